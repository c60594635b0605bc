import type {
  CodeableConcept,
  Coding,
  Meta,
  Reference,
  Resource,
} from '../../../platform/fhir/fhir-resources';
import type { diagnoses, encounterLocations, encounters } from '../encounters.tables';
import { encounterClassCodes, V3_PARTICIPATION_TYPE } from './fhir-systems';

type EncounterRow = typeof encounters.$inferSelect;
/** What the Encounter shows of its diagnoses: which, and which one is primary. */
export type EncounterDiagnosis = Pick<typeof diagnoses.$inferSelect, 'id' | 'rank' | 'recordedAt'>;
/** Where the patient was (encounters.encounter_locations): the bed history of an in-patient stay. */
export type EncounterPlace = Pick<
  typeof encounterLocations.$inferSelect,
  'locationId' | 'display' | 'physicalType' | 'startedAt' | 'endedAt'
>;

const LOCATION_PHYSICAL_TYPE = 'http://terminology.hl7.org/CodeSystem/location-physical-type';
const physicalTypeDisplay: Record<string, string> = { bd: 'Bed', ro: 'Room', wa: 'Ward', bu: 'Building' };

export type FhirEncounter = Resource & {
  resourceType: 'Encounter';
  id: string;
  meta: Meta;
  status: string;
  class: Coding;
  subject: Reference;
  participant?: { type: CodeableConcept[]; individual: Reference }[];
  period: { start: string; end?: string };
  reasonCode?: CodeableConcept[];
  diagnosis?: { condition: Reference; rank: number }[];
  location?: {
    location: Reference;
    status: 'active' | 'completed';
    physicalType?: CodeableConcept;
    period: { start: string; end?: string };
  }[];
};

/**
 * Encounter.location from the places of a stay, in time order. A place is `completed` once left (its period
 * ends); the open one is `active` while the encounter goes on, and `completed` with the encounter's end when
 * the encounter ended without closing it.
 */
export function encounterLocationsOf(row: EncounterRow, places: readonly EncounterPlace[]) {
  return [...places]
    .sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime())
    .map((p) => {
      const end = p.endedAt ?? row.endedAt;
      const code = physicalTypeDisplay[p.physicalType] ? p.physicalType : undefined;
      return {
        location: { reference: `Location/${p.locationId}`, display: p.display },
        status: end ? ('completed' as const) : ('active' as const),
        ...(code
          ? {
              physicalType: {
                coding: [{ system: LOCATION_PHYSICAL_TYPE, code, display: physicalTypeDisplay[code] }],
              },
            }
          : {}),
        period: {
          start: p.startedAt.toISOString(),
          ...(end ? { end: new Date(Math.max(end.getTime(), p.startedAt.getTime())).toISOString() } : {}),
        },
      };
    });
}

const PRIMARY_PERFORMER: CodeableConcept = {
  coding: [{ system: V3_PARTICIPATION_TYPE, code: 'PPRF', display: 'primary performer' }],
};

/**
 * An encounter as a FHIR R4 Encounter. The practitioner is a Practitioner reference with the name as
 * display (Practitioner itself is not served yet); diagnoses in error are left out. The primary diagnosis
 * ranks 1 and the secondary ones 2, 3, ... in the order they were recorded (rank 1 stays free when no
 * primary was named). Places (an in-patient's beds) become `location`.
 */
export function toFhirEncounter(
  row: EncounterRow,
  dx: readonly EncounterDiagnosis[],
  places: readonly EncounterPlace[] = [],
): FhirEncounter {
  const byTime = [...dx].sort((a, b) => a.recordedAt.getTime() - b.recordedAt.getTime());
  const ranked = [
    ...byTime.filter((d) => d.rank === 'primary').map((d) => ({ id: d.id, rank: 1 })),
    ...byTime.filter((d) => d.rank !== 'primary').map((d, i) => ({ id: d.id, rank: i + 2 })),
  ];
  const encounter: FhirEncounter = {
    resourceType: 'Encounter',
    id: row.id,
    meta: { versionId: String(row.version), lastUpdated: row.updatedAt.toISOString() },
    status: row.status,
    class: { ...encounterClassCodes[row.class as keyof typeof encounterClassCodes] },
    subject: { reference: `Patient/${row.patientId}` },
    period: {
      start: row.startedAt.toISOString(),
      ...(row.endedAt ? { end: row.endedAt.toISOString() } : {}),
    },
  };
  if (row.practitionerId) {
    encounter.participant = [
      {
        type: [PRIMARY_PERFORMER],
        individual: {
          reference: `Practitioner/${row.practitionerId}`,
          ...(row.practitionerName ? { display: row.practitionerName } : {}),
        },
      },
    ];
  }
  if (row.reason?.trim()) encounter.reasonCode = [{ text: row.reason }];
  if (ranked.length > 0) {
    encounter.diagnosis = ranked.map((d) => ({
      condition: { reference: `Condition/${d.id}` },
      rank: d.rank,
    }));
  }
  if (places.length > 0) encounter.location = encounterLocationsOf(row, places);
  return encounter;
}
