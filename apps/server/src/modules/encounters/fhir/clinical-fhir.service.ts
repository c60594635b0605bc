import { and, asc, eq, inArray, ne, type SQL, sql } from 'drizzle-orm';
import type { Ctx } from '../../../platform/context';
import { auditFhirRead, auditFhirSearch } from '../../../platform/fhir/fhir-audit';
import type { Bundle } from '../../../platform/fhir/fhir-resources';
import { parseSearch, searchBundle } from '../../../platform/fhir/fhir-search';
import { FhirError } from '../../../platform/fhir/operation-outcome';
import {
  type ProviderSearchInput,
  type ProviderSearchResult,
  providerPage,
} from '../../../platform/fhir/resource-providers';
import { getFacility } from '../../../platform/organization/organization.service';
import { diagnoses, encounterLocations, encounters, observations } from '../encounters.tables';
import {
  conditionSearchDefs,
  encounterSearchDefs,
  LISTED_ROW,
  observationSearchDefs,
  type SearchContext,
} from './clinical-search';
import { type FhirCondition, toFhirCondition } from './condition-resource';
import {
  type EncounterDiagnosis,
  type EncounterPlace,
  type FhirEncounter,
  toFhirEncounter,
} from './encounter-resource';
import { DIASTOLIC_LOINC, derivedFromCodes, SYSTOLIC_LOINC } from './fhir-systems';
import {
  type FhirObservation,
  isPanelRow,
  type ObservationRow,
  toFhirObservation,
} from './observation-resource';

export type SearchOptions = { base: string; strict: boolean };

function notFound(type: string, id: string, code: string, text?: string): FhirError {
  return new FhirError(
    404,
    [{ severity: 'error', code: 'not-found', details: { text: text ?? `${type}/${id} is not known here` } }],
    code,
  );
}

const patientOfSubject = (r: { subject: { reference?: string } }) =>
  r.subject.reference?.replace(/^Patient\//, '') ?? null;

// Clinical rows are the high-volume tables: an Observation or Condition search reads one patient's (or one
// encounter's) records.
const NARROWING = ['patient', 'subject', 'encounter', '_id'];

const where = (conditions: SQL[]) =>
  conditions.length > 0
    ? sql.join(
        conditions.map((c) => sql`(${c})`),
        sql` and `,
      )
    : sql`true`;

/** The zone a date parameter without one is read in: the facility's (UTC when the actor has none). */
async function searchContext(ctx: Ctx, query: Record<string, unknown>, dateParams: string[]) {
  const needsZone = Object.keys(query).some((k) => dateParams.includes(k.split(':')[0] ?? ''));
  const timeZone = needsZone && ctx.facilityId ? (await getFacility(ctx.db, ctx.facilityId)).timeZone : 'UTC';
  return { timeZone, now: ctx.now } satisfies SearchContext;
}

// ------------------------------------------------------------------------------------------------------
// Encounter
// ------------------------------------------------------------------------------------------------------

async function diagnosesOf(ctx: Ctx, encounterIds: string[]): Promise<Map<string, EncounterDiagnosis[]>> {
  const byEncounter = new Map<string, EncounterDiagnosis[]>();
  if (encounterIds.length === 0) return byEncounter;
  const rows = await ctx.db
    .select({
      id: diagnoses.id,
      encounterId: diagnoses.encounterId,
      rank: diagnoses.rank,
      recordedAt: diagnoses.recordedAt,
    })
    .from(diagnoses)
    .where(and(inArray(diagnoses.encounterId, encounterIds), ne(diagnoses.status, 'entered-in-error')));
  for (const r of rows) byEncounter.set(r.encounterId, [...(byEncounter.get(r.encounterId) ?? []), r]);
  return byEncounter;
}

async function placesOf(ctx: Ctx, encounterIds: string[]): Promise<Map<string, EncounterPlace[]>> {
  const byEncounter = new Map<string, EncounterPlace[]>();
  if (encounterIds.length === 0) return byEncounter;
  const rows = await ctx.db
    .select({
      encounterId: encounterLocations.encounterId,
      locationId: encounterLocations.locationId,
      display: encounterLocations.display,
      physicalType: encounterLocations.physicalType,
      startedAt: encounterLocations.startedAt,
      endedAt: encounterLocations.endedAt,
    })
    .from(encounterLocations)
    .where(inArray(encounterLocations.encounterId, encounterIds))
    .orderBy(asc(encounterLocations.startedAt), asc(encounterLocations.id));
  for (const r of rows) byEncounter.set(r.encounterId, [...(byEncounter.get(r.encounterId) ?? []), r]);
  return byEncounter;
}

/** read: audited as a view of the patient's record, like GET /api/v1/encounters/:id. */
export async function readEncounterResource(ctx: Ctx, id: string): Promise<FhirEncounter> {
  const [row] = await ctx.db.select().from(encounters).where(eq(encounters.id, id));
  if (!row) throw notFound('Encounter', id, 'ENCOUNTER_NOT_FOUND');
  const dx = await diagnosesOf(ctx, [id]);
  const places = await placesOf(ctx, [id]);
  await auditFhirRead(ctx, 'Encounter', id, row.patientId);
  return toFhirEncounter(row, dx.get(id) ?? [], places.get(id) ?? []);
}

export async function searchEncounterResources(
  ctx: Ctx,
  query: Record<string, unknown>,
  options: SearchOptions,
): Promise<Bundle> {
  const search = parseSearch(
    'Encounter',
    query,
    encounterSearchDefs(await searchContext(ctx, query, ['date'])),
    options,
  );
  const { bundle, resources, cursor } = await searchBundle({
    resourceType: 'Encounter',
    search,
    base: options.base,
    now: ctx.now,
    idColumn: sql`${encounters.id}`,
    rows: (conditions, limit) =>
      ctx.db.select().from(encounters).where(where(conditions)).orderBy(asc(encounters.id)).limit(limit),
    countRows: async (conditions) => {
      const [r] = await ctx.db
        .select({ n: sql<number>`count(*)::int` })
        .from(encounters)
        .where(where(conditions));
      return Number(r?.n ?? 0);
    },
    resources: async (rows) => {
      const ids = rows.map((r) => r.id);
      const dx = await diagnosesOf(ctx, ids);
      const places = await placesOf(ctx, ids);
      return rows.map((r) => toFhirEncounter(r, dx.get(r.id) ?? [], places.get(r.id) ?? []));
    },
  });
  await auditFhirSearch(ctx, 'Encounter', search, resources, patientOfSubject, { nextPage: cursor });
  return bundle;
}

// ------------------------------------------------------------------------------------------------------
// Observation
// ------------------------------------------------------------------------------------------------------

/**
 * The rows a page's observations are built with beside their own: the diastolic half of each blood
 * pressure panel, and the weight and height each BMI was computed from (same patient, same group).
 */
async function observationResources(ctx: Ctx, rows: ObservationRow[]): Promise<FhirObservation[]> {
  const needing = rows.filter((r) => r.groupId && (isPanelRow(r) || derivedFromCodes[r.code]));
  const siblings = new Map<string, ObservationRow[]>();
  if (needing.length > 0) {
    const codes = [DIASTOLIC_LOINC, ...needing.flatMap((r) => derivedFromCodes[r.code] ?? [])];
    const found = await ctx.db
      .select()
      .from(observations)
      .where(
        and(
          inArray(observations.patientId, [...new Set(needing.map((r) => r.patientId))]),
          inArray(observations.code, [...new Set(codes)]),
          inArray(observations.groupId, [...new Set(needing.map((r) => r.groupId!))]),
        ),
      )
      .orderBy(asc(observations.id));
    for (const s of found) siblings.set(s.groupId!, [...(siblings.get(s.groupId!) ?? []), s]);
  }
  return rows.map((r) => {
    const group = (r.groupId && siblings.get(r.groupId)) || [];
    const inputs = derivedFromCodes[r.code] ?? [];
    return toFhirObservation(r, {
      diastolic: isPanelRow(r) ? (group.find((s) => s.code === DIASTOLIC_LOINC) ?? null) : null,
      derivedFrom: group.filter((s) => inputs.includes(s.code)).map((s) => s.id),
    });
  });
}

/**
 * read, for the Observation provider: null when the id is no observation of ours. The diastolic half of a
 * blood pressure pair is a component of the panel that carries the systolic row's id, not an Observation of
 * its own: reading it is 404, naming the panel.
 */
export async function readObservationResource(ctx: Ctx, id: string): Promise<FhirObservation | null> {
  const [row] = await ctx.db.select().from(observations).where(eq(observations.id, id));
  if (!row) return null;
  if (row.code === DIASTOLIC_LOINC && row.groupId) {
    const [panel] = await ctx.db
      .select({ id: observations.id })
      .from(observations)
      .where(
        and(
          eq(observations.patientId, row.patientId),
          eq(observations.code, SYSTOLIC_LOINC),
          eq(observations.effectiveAt, row.effectiveAt),
          eq(observations.groupId, row.groupId),
        ),
      )
      .limit(1);
    if (panel) {
      throw notFound(
        'Observation',
        id,
        'OBSERVATION_NOT_FOUND',
        `Observation/${id} is the diastolic component of the blood pressure panel Observation/${panel.id}`,
      );
    }
  }
  const [resource] = await observationResources(ctx, [row]);
  await auditFhirRead(ctx, 'Observation', id, row.patientId);
  return resource!;
}

/**
 * search, for the Observation provider: the vital signs (and other observations of the encounters) matching
 * the query after `afterId`, in id order. Needs patient, subject, encounter or _id (400 otherwise).
 */
export async function searchObservationResources(
  ctx: Ctx,
  input: ProviderSearchInput,
): Promise<ProviderSearchResult<FhirObservation>> {
  const search = parseSearch(
    'Observation',
    input.query,
    observationSearchDefs(await searchContext(ctx, input.query, ['date'])),
    { strict: false, requireOneOf: NARROWING },
  );
  const page = await providerPage({
    search,
    request: input,
    idColumn: sql`${observations.id}`,
    rows: (conditions, limit) =>
      ctx.db
        .select()
        .from(observations)
        .where(where([LISTED_ROW, ...conditions]))
        .orderBy(asc(observations.id))
        .limit(limit),
    countRows: async (conditions) => {
      const [r] = await ctx.db
        .select({ n: sql<number>`count(*)::int` })
        .from(observations)
        .where(where([LISTED_ROW, ...conditions]));
      return Number(r?.n ?? 0);
    },
    resources: (rows) => observationResources(ctx, rows),
  });
  await auditFhirSearch(ctx, 'Observation', search, page.resources, patientOfSubject, {
    nextPage: input.afterId !== undefined,
  });
  return page;
}

// ------------------------------------------------------------------------------------------------------
// Condition
// ------------------------------------------------------------------------------------------------------

export async function readConditionResource(ctx: Ctx, id: string): Promise<FhirCondition> {
  const [row] = await ctx.db.select().from(diagnoses).where(eq(diagnoses.id, id));
  if (!row) throw notFound('Condition', id, 'DIAGNOSIS_NOT_FOUND');
  await auditFhirRead(ctx, 'Condition', id, row.patientId);
  return toFhirCondition(row);
}

export async function searchConditionResources(
  ctx: Ctx,
  query: Record<string, unknown>,
  options: SearchOptions,
): Promise<Bundle> {
  const search = parseSearch(
    'Condition',
    query,
    conditionSearchDefs(await searchContext(ctx, query, ['recorded-date'])),
    { ...options, requireOneOf: NARROWING },
  );
  const { bundle, resources, cursor } = await searchBundle({
    resourceType: 'Condition',
    search,
    base: options.base,
    now: ctx.now,
    idColumn: sql`${diagnoses.id}`,
    rows: (conditions, limit) =>
      ctx.db.select().from(diagnoses).where(where(conditions)).orderBy(asc(diagnoses.id)).limit(limit),
    countRows: async (conditions) => {
      const [r] = await ctx.db
        .select({ n: sql<number>`count(*)::int` })
        .from(diagnoses)
        .where(where(conditions));
      return Number(r?.n ?? 0);
    },
    resources: async (rows) => rows.map(toFhirCondition),
  });
  await auditFhirSearch(ctx, 'Condition', search, resources, patientOfSubject, { nextPage: cursor });
  return bundle;
}
