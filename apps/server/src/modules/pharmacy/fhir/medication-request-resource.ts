import type { PrescriptionItem } from '@newhms/contracts';
import type { CodeableConcept, Meta, Reference, Resource } from '../../../platform/fhir/fhir-resources';
import { addDays } from '../../../platform/time/facility-time';
import { STANDARD_TIMES } from '../prescribing';
import type { prescriptionAlerts, prescriptions } from '../prescriptions.tables';

// A prescription line as a FHIR R4 MedicationRequest. Pure: no I/O. One MedicationRequest per line (FHIR
// orders one medication per request); the lines of one prescription share its number as groupIdentifier.

export const MEDICATION_REQUEST_STATUS = 'http://hl7.org/fhir/CodeSystem/medicationrequest-status';
export const MEDICATION_REQUEST_INTENT = 'http://hl7.org/fhir/CodeSystem/medicationrequest-intent';
export const MEDICATION_REQUEST_CATEGORY = 'http://terminology.hl7.org/CodeSystem/medicationrequest-category';
export const FORMULARY_SYSTEM = 'https://newhms.example/fhir/CodeSystem/formulary';
export const ATC_SYSTEM = 'http://www.whocc.no/atc';
const PRESCRIPTION_NUMBER_SYSTEM = 'https://newhms.example/fhir/sid/prescription-number';
const UCUM = 'http://unitsofmeasure.org';
const GTS_ABBREVIATION = 'http://terminology.hl7.org/CodeSystem/v3-GTSAbbreviation';

export const medicationRequestStatuses = ['active', 'completed', 'stopped', 'cancelled'] as const;
type MedicationRequestStatus = (typeof medicationRequestStatuses)[number];
export const medicationRequestCategories = { outpatient: 'Outpatient', inpatient: 'Inpatient' } as const;

type PrescriptionRow = typeof prescriptions.$inferSelect;
type AlertRow = typeof prescriptionAlerts.$inferSelect;
type OverriddenAlert = Pick<
  AlertRow,
  'severity' | 'kind' | 'message' | 'lineNos' | 'overrideReason' | 'overriddenByName'
>;
type Quantity = { value: number; unit: string; system?: string; code?: string };
type Annotation = { authorString?: string; text: string };
type TimingRepeat = {
  boundsPeriod?: { start: string; end: string };
  count?: number;
  frequency?: number;
  period?: number;
  periodUnit?: 'd';
  when?: string[];
  timeOfDay?: string[];
};
type Dosage = {
  text: string;
  additionalInstruction?: CodeableConcept[];
  timing?: { repeat?: TimingRepeat; code?: CodeableConcept };
  asNeededBoolean?: boolean;
  asNeededCodeableConcept?: CodeableConcept;
  route: CodeableConcept;
  doseAndRate: { doseQuantity: Quantity }[];
  maxDosePerPeriod?: { numerator: Quantity; denominator: Quantity };
};

export type FhirMedicationRequest = Resource & {
  resourceType: 'MedicationRequest';
  id: string;
  meta: Meta;
  status: MedicationRequestStatus;
  statusReason?: CodeableConcept;
  intent: 'order';
  category: CodeableConcept[];
  priority?: 'stat';
  medicationCodeableConcept: CodeableConcept;
  subject: Reference;
  encounter: Reference;
  authoredOn: string;
  requester: Reference;
  groupIdentifier: { system: string; value: string };
  note?: Annotation[];
  dosageInstruction: Dosage[];
  dispenseRequest: { quantity: Quantity; expectedSupplyDuration: Quantity };
};

/** What a line is mapped from: its prescription, the line as the REST API shows it, its product's ATC code. */
export type MedicationRequestSource = {
  prescription: Pick<
    PrescriptionRow,
    | 'id'
    | 'number'
    | 'patientId'
    | 'encounterId'
    | 'setting'
    | 'status'
    | 'prescriberName'
    | 'notes'
    | 'cancelReason'
    | 'createdAt'
    | 'updatedAt'
    | 'version'
  >;
  line: PrescriptionItem;
  atcCode: string | null;
  /** The prescription's alerts; those about this line with an override reason become notes. */
  alerts: readonly OverriddenAlert[];
};

// ------------------------------------------------------------------------------------------------------
// Ids
// ------------------------------------------------------------------------------------------------------

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
// Line numbers as written, without leading zeros, so that each line has one id.
const LINE_ID = new RegExp(`^(${UUID})-([1-9]\\d{0,2})$`, 'i');

/** The FHIR id of a prescription line: `<prescription id>-<line number>` (at most 40 characters). */
export function medicationRequestId(prescriptionId: string, lineNo: number): string {
  return `${prescriptionId}-${lineNo}`;
}

/** The prescription and line a MedicationRequest id names, or null when it cannot be one of ours. */
export function parseMedicationRequestId(id: string): { prescriptionId: string; lineNo: number } | null {
  const m = LINE_ID.exec(id);
  return m ? { prescriptionId: m[1]!.toLowerCase(), lineNo: Number(m[2]) } : null;
}

// ------------------------------------------------------------------------------------------------------
// Status
// ------------------------------------------------------------------------------------------------------

/**
 * medicationrequest-status of a line: a cancelled prescription cancels every line; a stopped line is
 * stopped; a completed line, or any line of a completed prescription (the stay ended, or no line is left
 * active), is completed; else active. The search's SQL twin is FHIR_STATUS_SQL in medication-request-search.ts.
 */
export function medicationRequestStatus(
  prescriptionStatus: string,
  lineStatus: string,
): MedicationRequestStatus {
  if (prescriptionStatus === 'cancelled') return 'cancelled';
  if (lineStatus === 'stopped') return 'stopped';
  if (lineStatus === 'completed' || prescriptionStatus === 'completed') return 'completed';
  return 'active';
}

// ------------------------------------------------------------------------------------------------------
// Dosage
// ------------------------------------------------------------------------------------------------------

/** Our dose units that are UCUM units, with their UCUM code (mcg is "ug" in UCUM). */
const UCUM_DOSE_UNITS: Record<string, string> = { mg: 'mg', g: 'g', mcg: 'ug', mL: 'mL', IU: '[iU]' };

const INSTRUCTION_TEXT: Record<PrescriptionItem['instructions'], string> = {
  'after-food': 'after food',
  'before-food': 'before food',
  'with-food': 'with food',
  'empty-stomach': 'on an empty stomach',
  bedtime: 'at bedtime',
  'as-directed': 'as directed',
};

type Scheduled = 'OD' | 'BD' | 'TDS' | 'QID' | 'HS';
/** v3 GTSAbbreviation (the timing-abbreviation value set) of each scheduled frequency. */
const ABBREVIATIONS: Record<Scheduled, { code: string; display: string }> = {
  OD: { code: 'QD', display: 'QD' },
  BD: { code: 'BID', display: 'BID' },
  TDS: { code: 'TID', display: 'TID' },
  QID: { code: 'QID', display: 'QID' },
  HS: { code: 'BED', display: 'at bedtime' },
};

const round3 = (n: number) => Math.round(n * 1000) / 1000;

function doseQuantity(amount: number, unit: string): Quantity {
  const code = UCUM_DOSE_UNITS[unit];
  return code ? { value: round3(amount), unit, system: UCUM, code } : { value: round3(amount), unit };
}

const days = (n: number): Quantity => ({ value: n, unit: n === 1 ? 'day' : 'days', system: UCUM, code: 'd' });

const sameTimes = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((t, n) => t === b[n]);

/**
 * Dosage.timing of a line. OD, BD, TDS, QID: that many a day, with the timing-abbreviation code; HS: once
 * a day "when" HS. Times other than the ward's standard ones (CUSTOM, or given for a frequency) are the
 * timeOfDay (a timing has timeOfDay or when, never both). The course is boundsPeriod, first to last day.
 * As-needed lines have only the course; a STAT dose is a count of 1.
 */
function timingOf(line: PrescriptionItem): Dosage['timing'] {
  if (line.frequency === 'STAT') return { repeat: { count: 1 } };
  const boundsPeriod = { start: line.startDate, end: addDays(line.startDate, line.durationDays - 1) };
  if (line.frequency === 'SOS') return { repeat: { boundsPeriod } };
  const standard = line.frequency === 'CUSTOM' ? null : STANDARD_TIMES[line.frequency];
  const times = line.times.length > 0 ? line.times : (standard ?? []);
  const custom = standard === null || !sameTimes(times, standard);
  const repeat: TimingRepeat = {
    boundsPeriod,
    frequency: Math.max(1, times.length),
    period: 1,
    periodUnit: 'd',
    ...(custom ? { timeOfDay: times.map((t) => `${t}:00`) } : {}),
    ...(!custom && line.frequency === 'HS' ? { when: ['HS'] } : {}),
  };
  if (custom) return { repeat };
  const abbreviation = ABBREVIATIONS[line.frequency as Scheduled];
  return {
    repeat,
    code: { coding: [{ system: GTS_ABBREVIATION, ...abbreviation }], text: line.frequency },
  };
}

function dosageOf(line: PrescriptionItem): Dosage {
  const dose = doseQuantity(line.dose.amount, line.dose.unit);
  const prn = line.frequency === 'SOS';
  return {
    text: line.sig,
    additionalInstruction: [{ text: INSTRUCTION_TEXT[line.instructions] ?? line.instructions }],
    timing: timingOf(line),
    // asNeeded[x] is a choice: the indication (which implies "as needed") or, without one, the boolean.
    ...(prn
      ? line.prnIndication
        ? { asNeededCodeableConcept: { text: line.prnIndication } }
        : { asNeededBoolean: true }
      : {}),
    route: { text: line.route },
    doseAndRate: [{ doseQuantity: dose }],
    ...(prn && line.maxDosesPerDay
      ? {
          maxDosePerPeriod: {
            numerator: { ...dose, value: round3(line.dose.amount * line.maxDosesPerDay) },
            denominator: days(1),
          },
        }
      : {}),
  };
}

// ------------------------------------------------------------------------------------------------------
// The resource
// ------------------------------------------------------------------------------------------------------

function notesOf(source: MedicationRequestSource): Annotation[] {
  const { line, prescription } = source;
  const overrides = source.alerts.filter((a) => a.overrideReason && a.lineNos.includes(line.lineNo));
  return [
    ...(line.note?.trim() ? [{ text: line.note }] : []),
    ...(prescription.notes?.trim() ? [{ text: `Prescription note: ${prescription.notes}` }] : []),
    ...overrides.map((a) => ({
      ...(a.overriddenByName ? { authorString: a.overriddenByName } : {}),
      text: `Alert overridden (${a.severity} ${a.kind}): ${a.message} Reason: ${a.overrideReason}`,
    })),
  ];
}

function statusReasonOf(status: MedicationRequestStatus, source: MedicationRequestSource) {
  const reason =
    status === 'stopped'
      ? source.line.stopReason
      : status === 'cancelled'
        ? source.prescription.cancelReason
        : null;
  return reason?.trim() ? { statusReason: { text: reason } } : {};
}

/**
 * A prescription line as a FHIR R4 MedicationRequest (intent order). The medication is our formulary code
 * (display "<generic> <strength> <form>") and its ATC code when known; the requester is the prescriber's
 * name (Practitioner is not served); the version is the prescription's.
 */
export function toFhirMedicationRequest(source: MedicationRequestSource): FhirMedicationRequest {
  const { prescription: p, line } = source;
  const status = medicationRequestStatus(p.status, line.status);
  const category = p.setting as keyof typeof medicationRequestCategories;
  const medication = `${line.genericName} ${line.strength} ${line.doseForm}`;
  const notes = notesOf(source);
  return {
    resourceType: 'MedicationRequest',
    id: medicationRequestId(p.id, line.lineNo),
    meta: { versionId: String(p.version), lastUpdated: p.updatedAt.toISOString() },
    status,
    ...statusReasonOf(status, source),
    intent: 'order',
    category: [
      {
        coding: [
          {
            system: MEDICATION_REQUEST_CATEGORY,
            code: category,
            display: medicationRequestCategories[category] ?? category,
          },
        ],
      },
    ],
    ...(line.frequency === 'STAT' ? { priority: 'stat' as const } : {}),
    medicationCodeableConcept: {
      coding: [
        { system: FORMULARY_SYSTEM, code: line.code, display: medication },
        ...(source.atcCode ? [{ system: ATC_SYSTEM, code: source.atcCode }] : []),
      ],
      text: medication,
    },
    subject: { reference: `Patient/${p.patientId}` },
    encounter: { reference: `Encounter/${p.encounterId}` },
    authoredOn: p.createdAt.toISOString(),
    requester: { display: p.prescriberName },
    groupIdentifier: { system: PRESCRIPTION_NUMBER_SYSTEM, value: p.number },
    ...(notes.length > 0 ? { note: notes } : {}),
    dosageInstruction: [dosageOf(line)],
    dispenseRequest: {
      quantity: { value: line.quantity, unit: line.unitOfIssue },
      expectedSupplyDuration: days(line.durationDays),
    },
  };
}
