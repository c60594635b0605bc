import { type SQL, sql } from 'drizzle-orm';
import type { FhirSearchParam } from '../../../platform/fhir/capability-statement';
import {
  idParam,
  inList,
  parseToken,
  referenceParam,
  type SearchParamDef,
  tokenIn,
} from '../../../platform/fhir/fhir-search';
import { bedStatusCodes, LOCATION_PHYSICAL_TYPE, physicalTypes, V2_BED_STATUS } from './location-resource';

const SP = 'http://hl7.org/fhir/SearchParameter';

export const locationSearchParams: FhirSearchParam[] = [
  {
    name: 'partof',
    type: 'reference',
    definition: `${SP}/Location-partof`,
    documentation: 'Location/<id> of the room (its beds) or the ward (its rooms)',
  },
  {
    name: 'physical-type',
    type: 'token',
    definition: `${SP}/Location-physical-type`,
    documentation: `${LOCATION_PHYSICAL_TYPE}: bd | ro | wa`,
  },
  {
    name: 'operational-status',
    type: 'token',
    definition: `${SP}/Location-operational-status`,
    documentation: `${V2_BED_STATUS}: ${Object.keys(bedStatusCodes).join(' | ')} (beds only)`,
  },
  {
    name: 'name',
    type: 'string',
    definition: `${SP}/Location-name`,
    documentation: 'Starts with, ignoring case; :contains and :exact',
  },
  {
    name: 'status',
    type: 'token',
    definition: `${SP}/Location-status`,
    documentation: 'active | inactive',
  },
];

/** The SQL of the v2-0116 code of a bed (the same rule as operationalStatusOf). */
export const OPERATIONAL_STATUS_SQL = sql`case
  when l.kind <> 'bd' then null
  when l.bed_status = 'occupied' then case when l.isolation then 'I' else 'O' end
  when l.bed_status = 'cleaning' then case when l.isolation then 'K' else 'H' end
  when l.bed_status in ('available', 'reserved') then 'U'
  else 'C' end`;

const escapeLike = (v: string) => v.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The search parameters over the `l` rows of location-fhir.service.ts. */
export function locationSearchDefs(): Record<string, SearchParamDef> {
  return {
    _id: idParam(sql`l.id`),
    partof: referenceParam(sql`l.parent_id`, 'Location'),
    'physical-type': {
      match: (v) =>
        inList(sql`l.kind`, tokenIn(parseToken(v), LOCATION_PHYSICAL_TYPE, Object.keys(physicalTypes))),
    },
    'operational-status': {
      match: (v) =>
        inList(OPERATIONAL_STATUS_SQL, tokenIn(parseToken(v), V2_BED_STATUS, Object.keys(bedStatusCodes))),
    },
    name: {
      modifiers: ['contains', 'exact'],
      match: (v, modifier): SQL => {
        if (modifier === 'exact') return sql`l.name = ${v}`;
        const pattern = modifier === 'contains' ? `%${escapeLike(v)}%` : `${escapeLike(v)}%`;
        return sql`l.name ilike ${pattern}`;
      },
    },
    status: {
      match: (v) => {
        const codes = tokenIn(parseToken(v), 'http://hl7.org/fhir/location-status', ['active', 'inactive']);
        if (codes.length === 0) return sql`false`;
        if (codes.length === 2) return sql`true`;
        return codes[0] === 'active' ? sql`l.active` : sql`not l.active`;
      },
    },
  };
}
