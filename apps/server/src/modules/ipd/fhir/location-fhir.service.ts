import { type SQL, sql } from 'drizzle-orm';
import type { Ctx } from '../../../platform/context';
import { rowsOf } from '../../../platform/db/raw-rows';
import type { Bundle } from '../../../platform/fhir/fhir-resources';
import { parseSearch, searchBundle } from '../../../platform/fhir/fhir-search';
import { FhirError } from '../../../platform/fhir/operation-outcome';
import { RuleViolation } from '../../../platform/http/errors';
import { type FhirLocation, type LocationRow, type PhysicalType, toFhirLocation } from './location-resource';
import { locationSearchDefs } from './location-search';

// Beds, rooms and wards are one Location space: their ids are UUIDv7 from one generator, so an id names at
// most one of them. `l` is their union, limited to the actor's facility.

function locationsOf(facilityId: string): SQL {
  return sql`(
    select b.id, 'bd' as kind, b.code as name, w.name || ', ' || r.name as description, b.status as bed_status,
           b.isolation, b.active, b.version, b.updated_at, b.room_id as parent_id, r.name as parent_name
      from ipd.beds b join ipd.rooms r on r.id = b.room_id join ipd.wards w on w.id = b.ward_id
     where b.facility_id = ${facilityId}
    union all
    select r.id, 'ro', r.name, w.name, null, false, r.active, r.version, r.updated_at, r.ward_id, w.name
      from ipd.rooms r join ipd.wards w on w.id = r.ward_id
     where w.facility_id = ${facilityId}
    union all
    select w.id, 'wa', w.name, nullif(concat_ws(', ', w.building, case when w.floor is null then null else 'floor ' || w.floor end), ''),
           null, false, w.active, w.version, w.updated_at, null, null
      from ipd.wards w
     where w.facility_id = ${facilityId}
  ) l`;
}

type RawLocation = {
  id: string;
  kind: string;
  name: string;
  description: string | null;
  bed_status: string | null;
  isolation: boolean;
  active: boolean;
  version: number;
  updated_at: string | Date;
  parent_id: string | null;
  parent_name: string | null;
};

const toRow = (r: RawLocation): LocationRow => ({
  id: r.id,
  kind: r.kind as PhysicalType,
  name: r.name,
  description: r.description,
  bedStatus: r.bed_status,
  isolation: r.isolation,
  active: r.active,
  version: Number(r.version),
  updatedAt: new Date(r.updated_at),
  parentId: r.parent_id,
  parentName: r.parent_name,
});

const where = (conditions: SQL[]) =>
  conditions.length === 0
    ? sql`true`
    : sql.join(
        conditions.map((c) => sql`(${c})`),
        sql` and `,
      );

function requireFacility(ctx: Ctx): string {
  if (!ctx.facilityId) throw new RuleViolation('FACILITY_REQUIRED', 'Choose a facility first');
  return ctx.facilityId;
}

/**
 * read: a bed, room or ward of the actor's facility. Locations hold no patient data (a bed says occupied,
 * not by whom), so reads are not audited.
 */
export async function readLocationResource(ctx: Ctx, id: string): Promise<FhirLocation> {
  const facilityId = requireFacility(ctx);
  const [row] = await rowsOf<RawLocation>(
    ctx.db,
    sql`select * from ${locationsOf(facilityId)} where l.id = ${id}`,
  );
  if (!row) {
    throw new FhirError(
      404,
      [{ severity: 'error', code: 'not-found', details: { text: `Location/${id} is not known here` } }],
      'IPD_LOCATION_NOT_FOUND',
    );
  }
  return toFhirLocation(toRow(row));
}

/** search: partof, physical-type, operational-status, name, status, _id; ordered by id, paged. */
export async function searchLocationResources(
  ctx: Ctx,
  query: Record<string, unknown>,
  options: { base: string; strict: boolean },
): Promise<Bundle> {
  const facilityId = requireFacility(ctx);
  const search = parseSearch('Location', query, locationSearchDefs(), options);
  const { bundle } = await searchBundle({
    resourceType: 'Location',
    search,
    base: options.base,
    now: ctx.now,
    idColumn: sql`l.id`,
    rows: (conditions, limit) =>
      rowsOf<RawLocation>(
        ctx.db,
        sql`select * from ${locationsOf(facilityId)} where ${where(conditions)} order by l.id limit ${limit}`,
      ),
    countRows: async (conditions) => {
      const [r] = await rowsOf<{ n: number }>(
        ctx.db,
        sql`select count(*)::int as n from ${locationsOf(facilityId)} where ${where(conditions)}`,
      );
      return Number(r?.n ?? 0);
    },
    resources: async (rows) => rows.map((r) => toFhirLocation(toRow(r))),
  });
  return bundle;
}
