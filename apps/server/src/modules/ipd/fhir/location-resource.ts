import type { Coding, Meta, Reference, Resource } from '../../../platform/fhir/fhir-resources';

const TERMINOLOGY = 'http://terminology.hl7.org/CodeSystem';
export const LOCATION_PHYSICAL_TYPE = `${TERMINOLOGY}/location-physical-type`;
export const V2_BED_STATUS = `${TERMINOLOGY}/v2-0116`;

export const physicalTypes = {
  bd: 'Bed',
  ro: 'Room',
  wa: 'Ward',
} as const;
export type PhysicalType = keyof typeof physicalTypes;

export const bedStatusCodes = {
  C: 'Closed',
  H: 'Housekeeping',
  O: 'Occupied',
  U: 'Unoccupied',
  K: 'Contaminated',
  I: 'Isolated',
} as const;
export type BedStatusCode = keyof typeof bedStatusCodes;

/**
 * A bed's status as HL7 v2 table 0116 (what FHIR R4 binds Location.operationalStatus to). An isolation bed
 * that is occupied is Isolated; one being cleaned after a patient is Contaminated (it needs terminal cleaning);
 * reserved beds are still Unoccupied; blocked and maintenance beds are Closed.
 */
export function operationalStatusOf(status: string, isolation: boolean): BedStatusCode {
  switch (status) {
    case 'occupied':
      return isolation ? 'I' : 'O';
    case 'cleaning':
      return isolation ? 'K' : 'H';
    case 'available':
    case 'reserved':
      return 'U';
    default:
      return 'C';
  }
}

/** One row of the locations the IPD has: a bed, a room or a ward (see location-fhir.service.ts). */
export type LocationRow = {
  id: string;
  kind: PhysicalType;
  name: string;
  description: string | null;
  /** The bed's status (null for rooms and wards). */
  bedStatus: string | null;
  isolation: boolean;
  active: boolean;
  version: number;
  updatedAt: Date;
  parentId: string | null;
  parentName: string | null;
};

export type FhirLocation = Resource & {
  resourceType: 'Location';
  id: string;
  meta: Meta;
  status: 'active' | 'inactive';
  operationalStatus?: Coding;
  name: string;
  description?: string;
  mode: 'instance';
  physicalType: { coding: Coding[] };
  partOf?: Reference;
};

/** A bed (bd), room (ro) or ward (wa) as a FHIR R4 Location; partOf walks bed -> room -> ward. */
export function toFhirLocation(row: LocationRow): FhirLocation {
  const location: FhirLocation = {
    resourceType: 'Location',
    id: row.id,
    meta: { versionId: String(row.version), lastUpdated: row.updatedAt.toISOString() },
    status: row.active ? 'active' : 'inactive',
    name: row.name,
    mode: 'instance',
    physicalType: {
      coding: [{ system: LOCATION_PHYSICAL_TYPE, code: row.kind, display: physicalTypes[row.kind] }],
    },
  };
  if (row.kind === 'bd' && row.bedStatus) {
    const code = operationalStatusOf(row.bedStatus, row.isolation);
    location.operationalStatus = { system: V2_BED_STATUS, code, display: bedStatusCodes[code] };
  }
  if (row.description) location.description = row.description;
  if (row.parentId) {
    location.partOf = {
      reference: `Location/${row.parentId}`,
      ...(row.parentName ? { display: row.parentName } : {}),
    };
  }
  return location;
}
