import type { CodeableConcept, Meta, Reference, Resource } from '../../../platform/fhir/fhir-resources';
import type { observations } from '../encounters.tables';
import {
  BP_PANEL_DISPLAY,
  BP_PANEL_LOINC,
  DATA_ABSENT_REASON,
  DIASTOLIC_LOINC,
  interpretationDisplay,
  LOINC,
  OBSERVATION_CATEGORY,
  OBSERVATION_INTERPRETATION,
  observationCategoryDisplay,
  SYSTOLIC_LOINC,
  UCUM,
  VITAL_SIGNS_PROFILE,
  vitalProfiles,
} from './fhir-systems';

export type ObservationRow = typeof observations.$inferSelect;

type Quantity = { value: number; unit: string; system: string; code: string };
type Value = { valueQuantity?: Quantity; valueString?: string; dataAbsentReason?: CodeableConcept };
type Component = Value & { code: CodeableConcept; interpretation?: CodeableConcept[] };

export type FhirObservation = Resource &
  Value & {
    resourceType: 'Observation';
    id: string;
    meta?: Meta;
    status: 'final' | 'amended' | 'entered-in-error';
    category: CodeableConcept[];
    code: CodeableConcept;
    subject: Reference;
    encounter?: Reference;
    effectiveDateTime: string;
    issued: string;
    performer: Reference[];
    interpretation?: CodeableConcept[];
    component?: Component[];
    derivedFrom?: Reference[];
  };

/** A row is the systolic half of a blood pressure pair: it stands for the panel. */
export const isPanelRow = (r: Pick<ObservationRow, 'code' | 'groupId'>) =>
  r.code === SYSTOLIC_LOINC && r.groupId !== null;

const absent = (code: 'error' | 'unknown', display: string): CodeableConcept => ({
  coding: [{ system: DATA_ABSENT_REASON, code, display }],
});

/** The value of a row: a UCUM quantity, a text, or why there is none. */
function valueOfRow(r: ObservationRow, code: string): Value {
  if (r.value !== null && r.unit) {
    return {
      valueQuantity: {
        value: r.value,
        unit: vitalProfiles[code]?.unitDisplay ?? r.unit,
        system: UCUM,
        code: r.unit,
      },
    };
  }
  if (r.valueText?.trim()) return { valueString: r.valueText };
  return { dataAbsentReason: absent('unknown', 'Unknown') };
}

function interpretationOf(r: ObservationRow): CodeableConcept[] | undefined {
  if (!r.interpretation) return undefined;
  return [
    {
      coding: [
        {
          system: OBSERVATION_INTERPRETATION,
          code: r.interpretation,
          display: interpretationDisplay[r.interpretation] ?? r.interpretation,
        },
      ],
    },
  ];
}

/**
 * One half of the panel. When only this half was entered in error it shows no value, only the reason
 * "error" (the other half stands); when the whole panel is in error both keep what was entered.
 */
function bpComponent(
  r: ObservationRow | null,
  loinc: string,
  display: string,
  panel: FhirObservation['status'],
): Component {
  const code = { coding: [{ system: LOINC, code: loinc, display }], text: display };
  if (!r) return { code, dataAbsentReason: absent('unknown', 'Unknown') };
  if (r.status === 'entered-in-error' && panel !== 'entered-in-error') {
    return { code, dataAbsentReason: absent('error', 'Error') };
  }
  const interpretation = interpretationOf(r);
  return { code, ...valueOfRow(r, loinc), ...(interpretation ? { interpretation } : {}) };
}

/**
 * The status of a blood pressure panel from its halves: entered-in-error when both are, amended when one
 * is (that half then shows dataAbsentReason "error"), else the systolic row's status.
 */
export function panelStatus(
  systolic: Pick<ObservationRow, 'status'>,
  diastolic: Pick<ObservationRow, 'status'> | null,
): FhirObservation['status'] {
  const s = systolic.status === 'entered-in-error';
  const d = diastolic ? diastolic.status === 'entered-in-error' : s;
  if (s && d) return 'entered-in-error';
  if (s || d) return 'amended';
  return systolic.status as FhirObservation['status'];
}

/**
 * An observation row as a FHIR R4 Observation. Vital signs carry the vital signs profile of their LOINC
 * code. Blood pressure is stored as two rows (systolic 8480-6, diastolic 8462-4) sharing a group id; FHIR's
 * bp profile wants one panel (85354-9) with the two as components, so the systolic row, given its
 * diastolic partner, becomes the panel and keeps its id. BMI names the weight and height it came from.
 */
export function toFhirObservation(
  r: ObservationRow,
  options: { diastolic?: ObservationRow | null; derivedFrom?: readonly string[] } = {},
): FhirObservation {
  const panel = isPanelRow(r);
  const code = panel ? BP_PANEL_LOINC : r.code;
  const vital = r.category === 'vital-signs';
  const profile = vital ? (vitalProfiles[code]?.profile ?? VITAL_SIGNS_PROFILE) : undefined;
  const category = r.category as keyof typeof observationCategoryDisplay;
  const interpretation = panel ? undefined : interpretationOf(r);
  const diastolic = options.diastolic ?? null;
  const status = panel ? panelStatus(r, diastolic) : (r.status as FhirObservation['status']);
  return {
    resourceType: 'Observation',
    id: r.id,
    ...(profile ? { meta: { profile: [profile] } } : {}),
    status,
    category: [
      {
        coding: [
          {
            system: OBSERVATION_CATEGORY,
            code: r.category,
            display: observationCategoryDisplay[category] ?? r.category,
          },
        ],
      },
    ],
    code: panel
      ? {
          coding: [{ system: LOINC, code: BP_PANEL_LOINC, display: BP_PANEL_DISPLAY }],
          text: 'Blood pressure',
        }
      : { coding: [{ system: r.system, code: r.code, display: r.display }], text: r.display },
    subject: { reference: `Patient/${r.patientId}` },
    ...(r.encounterId ? { encounter: { reference: `Encounter/${r.encounterId}` } } : {}),
    effectiveDateTime: r.effectiveAt.toISOString(),
    issued: r.recordedAt.toISOString(),
    performer: [{ display: r.recordedByName }],
    ...(panel
      ? {
          component: [
            bpComponent(r, SYSTOLIC_LOINC, 'Systolic blood pressure', status),
            bpComponent(diastolic, DIASTOLIC_LOINC, 'Diastolic blood pressure', status),
          ],
        }
      : valueOfRow(r, code)),
    ...(interpretation ? { interpretation } : {}),
    ...(options.derivedFrom?.length
      ? { derivedFrom: options.derivedFrom.map((id) => ({ reference: `Observation/${id}` })) }
      : {}),
  };
}
