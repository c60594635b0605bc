import type { CultureResult, LabResult } from '@newhms/contracts';
import type { CodeableConcept, Meta, Reference, Resource } from '../../../platform/fhir/fhir-resources';
import type { RequestRow, ResultRow, SampleRow } from '../lab-records';
import type { resultRevisions } from '../laboratory.tables';

// Pure: the laboratory's records as FHIR R4 resources. A request is a ServiceRequest (and, once it has
// released results, a DiagnosticReport with the same id), a collected sample a Specimen, a released result an
// Observation. Only released (validated or amended) results leave the laboratory through FHIR: see README.md.

export const LOINC = 'http://loinc.org';
export const UCUM = 'http://unitsofmeasure.org';
const TERMINOLOGY = 'http://terminology.hl7.org/CodeSystem';
export const OBSERVATION_CATEGORY = `${TERMINOLOGY}/observation-category`;
export const DIAGNOSTIC_SERVICE_SECTION = `${TERMINOLOGY}/v2-0074`;
const INTERPRETATION = `${TERMINOLOGY}/v3-ObservationInterpretation`;
const SPECIMEN_CONDITION = `${TERMINOLOGY}/v2-0493`;
export const SNOMED = 'http://snomed.info/sct';
/** Our test and panel codes (the catalog's `code`). */
export const LAB_TEST_SYSTEM = 'https://newhms.dev/fhir/CodeSystem/lab-test';
/** Our specimen kinds (the catalog's `specimen`: blood, serum, urine, ...). */
export const LAB_SPECIMEN_SYSTEM = 'https://newhms.dev/fhir/CodeSystem/lab-specimen';
/** Accession numbers (unique per facility). */
export const ACCESSION_SYSTEM = 'https://newhms.dev/fhir/sid/lab-accession';
/** Ids of the encounters' orders (not served as ServiceRequest yet: referenced by identifier). */
export const ENCOUNTER_ORDER_SYSTEM = 'https://newhms.dev/fhir/sid/encounter-order';

/** SNOMED CT 108252007 "Laboratory procedure": the category of every laboratory ServiceRequest. */
export const LAB_PROCEDURE = { system: SNOMED, code: '108252007', display: 'Laboratory procedure' } as const;
const LAB_SECTION = { system: DIAGNOSTIC_SERVICE_SECTION, code: 'LAB', display: 'Laboratory' } as const;
const LAB_CATEGORY = { system: OBSERVATION_CATEGORY, code: 'laboratory', display: 'Laboratory' } as const;

export type RevisionRow = typeof resultRevisions.$inferSelect;

const FLAG_DISPLAY: Record<string, string> = {
  N: 'Normal',
  L: 'Low',
  H: 'High',
  LL: 'Critical low',
  HH: 'Critical high',
};
const SUSCEPTIBILITY: Record<'S' | 'I' | 'R', { display: string; text: string }> = {
  S: { display: 'Susceptible', text: 'Sensitive' },
  I: { display: 'Intermediate', text: 'Intermediate' },
  R: { display: 'Resistant', text: 'Resistant' },
};

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : undefined);
const patientRef = (id: string): Reference => ({ reference: `Patient/${id}` });

/** The code of a test or panel: LOINC when the catalog has it, and ours. */
export function labCode(code: string, name: string, loinc: string | null): CodeableConcept {
  return {
    coding: [
      ...(loinc ? [{ system: LOINC, code: loinc }] : []),
      { system: LAB_TEST_SYSTEM, code, display: name },
    ],
    text: name,
  };
}

// ------------------------------------------------------------------------------------------------------
// ServiceRequest
// ------------------------------------------------------------------------------------------------------

export type FhirServiceRequest = Resource & {
  resourceType: 'ServiceRequest';
  id: string;
  meta: Meta;
  status: 'active' | 'completed' | 'revoked';
  intent: 'order';
  category: CodeableConcept[];
  priority: 'routine' | 'urgent' | 'stat';
  code: CodeableConcept;
  subject: Reference;
  encounter?: Reference;
  authoredOn: string;
  requester?: Reference;
  basedOn?: (Reference & { type: string; identifier: { system: string; value: string } })[];
  specimen?: Reference[];
  note?: { text: string }[];
};

export type ServiceRequestSource = {
  request: RequestRow;
  loinc: string | null;
  requesterName: string | null;
  sampleIds: readonly string[];
};

/** As the status of toFhirServiceRequest, for search: requested and in progress are active. */
export const serviceRequestStatusOf: Record<string, FhirServiceRequest['status']> = {
  requested: 'active',
  'in-progress': 'active',
  completed: 'completed',
  cancelled: 'revoked',
};

/**
 * A request as a ServiceRequest: intent order, the test or panel (LOINC and our code), SNOMED category
 * "Laboratory procedure", priority as ordered, requested/in progress active, completed, cancelled revoked
 * (with the reason as a note), the encounter's order it came from by identifier.
 */
export function toFhirServiceRequest(s: ServiceRequestSource): FhirServiceRequest {
  const r = s.request;
  const notes = [
    ...(r.note ? [{ text: r.note }] : []),
    ...(r.status === 'cancelled' && r.cancelReason ? [{ text: `Cancelled: ${r.cancelReason}` }] : []),
  ];
  return {
    resourceType: 'ServiceRequest',
    id: r.id,
    meta: { versionId: String(r.version), lastUpdated: r.updatedAt.toISOString() },
    status: serviceRequestStatusOf[r.status] ?? 'active',
    intent: 'order',
    category: [{ coding: [{ ...LAB_PROCEDURE }], text: 'Laboratory' }],
    priority: r.priority as FhirServiceRequest['priority'],
    code: labCode(r.code, r.display, s.loinc),
    subject: patientRef(r.patientId),
    ...(r.encounterId ? { encounter: { reference: `Encounter/${r.encounterId}` } } : {}),
    authoredOn: r.requestedAt.toISOString(),
    ...(s.requesterName ? { requester: { display: s.requesterName } } : {}),
    ...(r.orderId
      ? {
          basedOn: [
            {
              type: 'ServiceRequest',
              identifier: { system: ENCOUNTER_ORDER_SYSTEM, value: r.orderId },
              display: "The encounter's order",
            },
          ],
        }
      : {}),
    ...(s.sampleIds.length > 0
      ? { specimen: s.sampleIds.map((id) => ({ reference: `Specimen/${id}` })) }
      : {}),
    ...(notes.length > 0 ? { note: notes } : {}),
  };
}

// ------------------------------------------------------------------------------------------------------
// Specimen
// ------------------------------------------------------------------------------------------------------

export type FhirSpecimen = Resource & {
  resourceType: 'Specimen';
  id: string;
  meta: Meta;
  accessionIdentifier: { system: string; value: string };
  status: 'available' | 'unavailable' | 'unsatisfactory';
  type: CodeableConcept;
  subject: Reference;
  receivedTime?: string;
  request: Reference[];
  collection: { collector?: Reference; collectedDateTime?: string };
  container: { type: CodeableConcept }[];
  condition?: CodeableConcept[];
  note?: { text: string }[];
};

/** As the status of toFhirSpecimen, for search. */
export const specimenStatusOf: Record<string, FhirSpecimen['status']> = {
  collected: 'available',
  received: 'available',
  rejected: 'unsatisfactory',
  cancelled: 'unavailable',
  'awaiting-collection': 'unavailable',
};

/** HL7 v2 table 0493 (specimen condition) for the rejection reasons it has a code for. */
const CONDITION_OF_REJECTION: Record<string, { code: string; display: string }> = {
  haemolysed: { code: 'HEM', display: 'Hemolyzed' },
  clotted: { code: 'CLOT', display: 'Clotted' },
};

const capitalized = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * A collected sample as a Specimen: the accession number, the specimen kind and tube, who collected it and
 * when, when the lab received it, the request. Collected and received: available; rejected: unsatisfactory,
 * the reason as condition (v2-0493 where it has a code) and note; cancelled: unavailable.
 */
export function toFhirSpecimen(s: SampleRow): FhirSpecimen {
  const notes: { text: string }[] = [];
  if (s.status === 'rejected' && s.rejectionReason) {
    notes.push({
      text: `Rejected${s.rejectedByName ? ` by ${s.rejectedByName}` : ''}${s.rejectedAt ? ` at ${s.rejectedAt.toISOString()}` : ''}: ${s.rejectionReason}${s.rejectionNote ? ` (${s.rejectionNote})` : ''}`,
    });
  }
  if (s.recollectionOf) notes.push({ text: 'Recollected after the rejection of an earlier sample' });
  const condition =
    s.status === 'rejected' && s.rejectionReason ? CONDITION_OF_REJECTION[s.rejectionReason] : null;
  return {
    resourceType: 'Specimen',
    id: s.id,
    meta: { versionId: String(s.version), lastUpdated: s.updatedAt.toISOString() },
    accessionIdentifier: { system: ACCESSION_SYSTEM, value: s.accession },
    status: specimenStatusOf[s.status] ?? 'unavailable',
    type: {
      coding: [{ system: LAB_SPECIMEN_SYSTEM, code: s.specimen, display: capitalized(s.specimen) }],
      text: s.specimen,
    },
    subject: patientRef(s.patientId),
    ...(s.receivedAt ? { receivedTime: s.receivedAt.toISOString() } : {}),
    request: [{ reference: `ServiceRequest/${s.requestId}` }],
    collection: {
      ...(s.collectedByName ? { collector: { display: s.collectedByName } } : {}),
      ...(s.collectedAt ? { collectedDateTime: s.collectedAt.toISOString() } : {}),
    },
    container: [{ type: { text: s.container } }],
    ...(s.status === 'rejected' && s.rejectionReason
      ? {
          condition: [
            {
              ...(condition ? { coding: [{ system: SPECIMEN_CONDITION, ...condition }] } : {}),
              text: s.rejectionReason,
            },
          ],
        }
      : {}),
    ...(notes.length > 0 ? { note: notes } : {}),
  };
}

// ------------------------------------------------------------------------------------------------------
// Observation
// ------------------------------------------------------------------------------------------------------

type Quantity = { value: number; unit?: string; system?: string; code?: string };
type Component = {
  code: CodeableConcept;
  valueString?: string;
  valueCodeableConcept?: CodeableConcept;
};

export type FhirLabObservation = Resource & {
  resourceType: 'Observation';
  id: string;
  meta: Meta;
  status: 'final' | 'amended';
  category: CodeableConcept[];
  code: CodeableConcept;
  subject: Reference;
  encounter?: Reference;
  effectiveDateTime?: string;
  issued?: string;
  performer?: Reference[];
  valueQuantity?: Quantity;
  valueString?: string;
  valueCodeableConcept?: CodeableConcept;
  interpretation?: CodeableConcept[];
  note?: { text: string }[];
  specimen: Reference;
  basedOn: Reference[];
  referenceRange?: { low?: Quantity; high?: Quantity; text?: string }[];
  component?: Component[];
};

export type LabObservationSource = {
  result: ResultRow;
  encounterId: string | null;
  collectedAt: Date | null;
  revisions: readonly RevisionRow[];
};

/** As the status of toFhirLabObservation, for search. */
export const observationStatusOf: Record<string, FhirLabObservation['status']> = {
  validated: 'final',
  amended: 'amended',
};

const quantity = (value: number, unit: string | null): Quantity =>
  unit ? { value, unit, system: UCUM, code: unit } : { value };

function cultureText(c: CultureResult | null): string {
  if (!c) return '';
  return `${c.organism ?? 'No growth'}${c.growth ? ` (${c.growth})` : ''}`;
}

function revisionValue(v: RevisionRow, unit: string | null): string {
  const value =
    v.previousValue !== null
      ? `${v.previousValue}${unit ? ` ${unit}` : ''}`
      : v.previousText !== null
        ? v.previousText
        : cultureText(v.previousCulture as CultureResult | null);
  return `${value}${v.previousFlag && v.previousFlag !== 'N' ? ` ${v.previousFlag}` : ''}`;
}

/** A culture: the organism (or no growth) as the value, the growth and each antibiotic's S/I/R and MIC as components. */
function cultureValue(c: CultureResult): Pick<FhirLabObservation, 'valueCodeableConcept' | 'component'> {
  const component: Component[] = [];
  if (c.growth) component.push({ code: { text: 'Growth' }, valueString: c.growth });
  for (const a of c.antibiotics) {
    const s = SUSCEPTIBILITY[a.interpretation];
    component.push({
      code: { text: `${a.antibiotic} susceptibility` },
      valueCodeableConcept: {
        coding: [{ system: INTERPRETATION, code: a.interpretation, display: s.display }],
        text: s.text,
      },
    });
    if (a.mic) component.push({ code: { text: `${a.antibiotic} MIC` }, valueString: a.mic });
  }
  return {
    valueCodeableConcept: { text: c.organism ?? 'No growth' },
    ...(component.length > 0 ? { component } : {}),
  };
}

/**
 * A released result as an Observation, category laboratory: final, or amended (each amendment as a note
 * with the reason and what was reported before). LOINC and our code; a UCUM valueQuantity, a valueString
 * for text and coded results, a culture's organism with its susceptibilities as components; the v3
 * interpretation of the flag; the range it was judged against; effective when the sample was collected,
 * issued when validated, the validator as performer, the Specimen and the ServiceRequest.
 */
export function toFhirLabObservation(s: LabObservationSource): FhirLabObservation {
  const r = s.result;
  const range = r.referenceRange as LabResult['referenceRange'];
  const notes: { text: string }[] = [];
  let value: Partial<FhirLabObservation>;
  if (r.resultType === 'culture' && r.culture) {
    value = cultureValue(r.culture as CultureResult);
    if (r.textValue) notes.push({ text: r.textValue });
  } else if (r.numericValue !== null) {
    value = { valueQuantity: quantity(r.numericValue, r.unit) };
    // A remark beside the number ("haemolysed, repeated").
    if (r.textValue) notes.push({ text: r.textValue });
  } else {
    value = { valueString: r.textValue ?? '' };
  }
  if (r.comment) notes.push({ text: r.comment });
  for (const v of s.revisions) {
    notes.push({
      text: `Amended ${v.amendedAt.toISOString()} by ${v.amendedByName}: ${v.reason}. Previously reported: ${revisionValue(v, r.unit)}.`,
    });
  }
  const low = range?.low ?? null;
  const high = range?.high ?? null;
  return {
    resourceType: 'Observation',
    id: r.id,
    meta: { versionId: String(r.version), lastUpdated: r.updatedAt.toISOString() },
    status: observationStatusOf[r.status] ?? 'final',
    category: [{ coding: [{ ...LAB_CATEGORY }] }],
    code: labCode(r.testCode, r.testName, r.loincCode),
    subject: patientRef(r.patientId),
    ...(s.encounterId ? { encounter: { reference: `Encounter/${s.encounterId}` } } : {}),
    ...(s.collectedAt ? { effectiveDateTime: s.collectedAt.toISOString() } : {}),
    ...(r.validatedAt ? { issued: r.validatedAt.toISOString() } : {}),
    ...(r.validatedByName ? { performer: [{ display: r.validatedByName }] } : {}),
    ...value,
    ...(r.flag
      ? {
          interpretation: [
            { coding: [{ system: INTERPRETATION, code: r.flag, display: FLAG_DISPLAY[r.flag] ?? r.flag }] },
          ],
        }
      : {}),
    ...(notes.length > 0 ? { note: notes } : {}),
    specimen: { reference: `Specimen/${r.sampleId}` },
    basedOn: [{ reference: `ServiceRequest/${r.requestId}` }],
    ...(range && (low !== null || high !== null || range.text)
      ? {
          referenceRange: [
            {
              ...(low !== null ? { low: quantity(low, r.unit) } : {}),
              ...(high !== null ? { high: quantity(high, r.unit) } : {}),
              ...(range.text ? { text: range.text } : {}),
            },
          ],
        }
      : {}),
  };
}

// ------------------------------------------------------------------------------------------------------
// DiagnosticReport
// ------------------------------------------------------------------------------------------------------

export type FhirDiagnosticReport = Resource & {
  resourceType: 'DiagnosticReport';
  id: string;
  meta: Meta;
  status: 'partial' | 'final' | 'amended';
  category: CodeableConcept[];
  code: CodeableConcept;
  subject: Reference;
  encounter?: Reference;
  effectiveDateTime?: string;
  issued?: string;
  performer?: Reference[];
  resultsInterpreter?: Reference[];
  basedOn: Reference[];
  specimen?: Reference[];
  result: Reference[];
};

export type DiagnosticReportSource = {
  request: RequestRow;
  loinc: string | null;
  /** Every result of the request (those not released are not shown, but make the report partial). */
  results: readonly ResultRow[];
  /** Collection time of each sample, by id. */
  collectedAt: ReadonlyMap<string, Date | null>;
};

const RELEASED = new Set(['validated', 'amended']);

/** Partial while a result (not cancelled) is not released; amended once one was amended; else final. */
export function diagnosticReportStatus(
  results: readonly Pick<ResultRow, 'status'>[],
): FhirDiagnosticReport['status'] {
  const live = results.filter((r) => r.status !== 'cancelled');
  if (live.some((r) => !RELEASED.has(r.status))) return 'partial';
  return live.some((r) => r.status === 'amended') ? 'amended' : 'final';
}

/**
 * A request with released results as a DiagnosticReport (the same id as its ServiceRequest), category LAB:
 * its released Observations, their Specimens, effective at the first collection, issued at the last
 * validation, the validators as performers and results interpreters.
 */
export function toFhirDiagnosticReport(s: DiagnosticReportSource): FhirDiagnosticReport {
  const r = s.request;
  const released = s.results.filter((x) => RELEASED.has(x.status));
  const sampleIds = [...new Set(released.map((x) => x.sampleId))];
  const collected = sampleIds
    .map((id) => s.collectedAt.get(id))
    .filter((d): d is Date => !!d)
    .sort((a, b) => a.getTime() - b.getTime());
  const issued = released
    .map((x) => x.validatedAt)
    .filter((d): d is Date => !!d)
    .sort((a, b) => b.getTime() - a.getTime());
  const validators = [...new Set(released.map((x) => x.validatedByName).filter((n): n is string => !!n))];
  const people = validators.map((display) => ({ display }));
  const lastUpdated = [r.updatedAt, ...released.map((x) => x.updatedAt)].sort(
    (a, b) => b.getTime() - a.getTime(),
  )[0]!;
  return {
    resourceType: 'DiagnosticReport',
    id: r.id,
    meta: { lastUpdated: lastUpdated.toISOString() },
    status: diagnosticReportStatus(s.results),
    category: [{ coding: [{ ...LAB_SECTION }] }],
    code: labCode(r.code, r.display, s.loinc),
    subject: patientRef(r.patientId),
    ...(r.encounterId ? { encounter: { reference: `Encounter/${r.encounterId}` } } : {}),
    ...(collected[0] ? { effectiveDateTime: iso(collected[0]) } : {}),
    ...(issued[0] ? { issued: iso(issued[0]) } : {}),
    ...(people.length > 0 ? { performer: people, resultsInterpreter: people } : {}),
    basedOn: [{ reference: `ServiceRequest/${r.id}` }],
    ...(sampleIds.length > 0 ? { specimen: sampleIds.map((id) => ({ reference: `Specimen/${id}` })) } : {}),
    result: released.map((x) => ({ reference: `Observation/${x.id}` })),
  };
}
