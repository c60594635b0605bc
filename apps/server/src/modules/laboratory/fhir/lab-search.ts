import { type SQL, sql } from 'drizzle-orm';
import type { FhirSearchParam } from '../../../platform/fhir/capability-statement';
import {
  dateParam,
  idParam,
  inList,
  parseToken,
  referenceParam,
  type SearchParamDef,
  tokenIn,
} from '../../../platform/fhir/fhir-search';
import { requests, results, samples } from '../laboratory.tables';
import {
  ACCESSION_SYSTEM,
  DIAGNOSTIC_SERVICE_SECTION,
  LAB_PROCEDURE,
  LAB_SPECIMEN_SYSTEM,
  LAB_TEST_SYSTEM,
  LOINC,
  OBSERVATION_CATEGORY,
  observationStatusOf,
  serviceRequestStatusOf,
  specimenStatusOf,
} from './lab-resources';

// The search parameters of the laboratory's FHIR resources: what the CapabilityStatement says of them, and
// their SQL over requests (ServiceRequest, DiagnosticReport), samples (Specimen) and results joined with
// their sample and request (Observation).

const SP = 'http://hl7.org/fhir/SearchParameter';
const FALSE = sql`false`;
const TRUE = sql`true`;
const PATIENT_DOC = 'Patient/<id> or <id>';
const DATE_DOC =
  'YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm[:ss][zone] with the prefixes eq, ne, lt, le, gt, ge, sa, eb, ' +
  "ap; without a zone, in the facility's time zone";
const CODE_DOC = `LOINC (${LOINC}) or our test or panel code (${LAB_TEST_SYSTEM}); without a system, either`;

/** The context a search's parameters are read in: the facility's zone for dates, now for `ap`. */
export type LabSearchContext = { timeZone: string; now: Date };

const q = requests;
const s = samples;
const r = results;

const patientParams = (subjectDefinition: string): FhirSearchParam[] => [
  { name: 'patient', type: 'reference', definition: `${SP}/clinical-patient`, documentation: PATIENT_DOC },
  { name: 'subject', type: 'reference', definition: subjectDefinition, documentation: PATIENT_DOC },
];
const encounterParam = (definition: string): FhirSearchParam => ({
  name: 'encounter',
  type: 'reference',
  definition,
  documentation: 'Encounter/<id> or <id>',
});

/** A token over our statuses by the FHIR code each stands for (`:not` allowed). */
function mappedStatusParam(column: SQL, system: string, map: Record<string, string>): SearchParamDef {
  const fhirCodes = [...new Set(Object.values(map))];
  return {
    modifiers: ['not'],
    match: (v) => {
      const codes = tokenIn(parseToken(v), system, fhirCodes);
      return inList(
        column,
        Object.keys(map).filter((k) => codes.includes(map[k]!)),
      );
    },
  };
}

/** A token that is true for the one category code of a resource kind, false otherwise. */
function fixedCategory(system: string, code: string): SearchParamDef {
  return { match: (v) => (tokenIn(parseToken(v), system, [code]).length > 0 ? TRUE : FALSE) };
}

/** A test or panel code: LOINC, ours (stored upper-case), or either without a system. */
function codeParam(ours: SQL, loinc: SQL): SearchParamDef {
  return {
    match: (v) => {
      const t = parseToken(v);
      if (t.system === undefined) {
        return t.code === undefined ? TRUE : sql`(${ours} = ${t.code.toUpperCase()} or ${loinc} = ${t.code})`;
      }
      if (t.system === LOINC)
        return t.code === undefined ? sql`${loinc} is not null` : sql`${loinc} = ${t.code}`;
      if (t.system === LAB_TEST_SYSTEM)
        return t.code === undefined ? TRUE : sql`${ours} = ${t.code.toUpperCase()}`;
      return FALSE;
    },
  };
}

/** The LOINC code of a request's test or panel, from the catalog. */
export const requestLoinc = sql`(case when ${q.kind} = 'panel'
  then (select p.loinc_code from laboratory.panels p where p.code = ${q.code})
  else (select t.loinc_code from laboratory.tests t where t.code = ${q.code}) end)`;

// ------------------------------------------------------------------------------------------------------
// ServiceRequest
// ------------------------------------------------------------------------------------------------------

export const serviceRequestSearchParams: FhirSearchParam[] = [
  ...patientParams(`${SP}/ServiceRequest-subject`),
  encounterParam(`${SP}/clinical-encounter`),
  { name: 'authored', type: 'date', definition: `${SP}/ServiceRequest-authored`, documentation: DATE_DOC },
  {
    name: 'status',
    type: 'token',
    definition: `${SP}/ServiceRequest-status`,
    documentation: 'active (requested or in progress) | completed | revoked (cancelled); :not',
  },
  { name: 'code', type: 'token', definition: `${SP}/clinical-code`, documentation: CODE_DOC },
  {
    name: 'category',
    type: 'token',
    definition: `${SP}/ServiceRequest-category`,
    documentation: `${LAB_PROCEDURE.system}|${LAB_PROCEDURE.code} (${LAB_PROCEDURE.display})`,
  },
];

export function serviceRequestSearchDefs(c: LabSearchContext): Record<string, SearchParamDef> {
  return {
    _id: idParam(sql`${q.id}`),
    patient: referenceParam(sql`${q.patientId}`, 'Patient'),
    subject: referenceParam(sql`${q.patientId}`, 'Patient'),
    encounter: referenceParam(sql`${q.encounterId}`, 'Encounter'),
    authored: dateParam(sql`${q.requestedAt}`, null, 'authored', c.timeZone, c.now),
    status: mappedStatusParam(sql`${q.status}`, 'http://hl7.org/fhir/request-status', serviceRequestStatusOf),
    code: codeParam(sql`${q.code}`, requestLoinc),
    category: fixedCategory(LAB_PROCEDURE.system, LAB_PROCEDURE.code),
  };
}

// ------------------------------------------------------------------------------------------------------
// Specimen
// ------------------------------------------------------------------------------------------------------

export const specimenSearchParams: FhirSearchParam[] = [
  ...patientParams(`${SP}/Specimen-subject`),
  {
    name: 'accession',
    type: 'token',
    definition: `${SP}/Specimen-accession`,
    documentation: `The accession number on the tube (${ACCESSION_SYSTEM})`,
  },
  {
    name: 'collected',
    type: 'date',
    definition: `${SP}/Specimen-collected`,
    documentation: `When the sample was drawn. ${DATE_DOC}`,
  },
  {
    name: 'status',
    type: 'token',
    definition: `${SP}/Specimen-status`,
    documentation:
      'available (collected or received) | unsatisfactory (rejected) | unavailable (cancelled); :not',
  },
  {
    name: 'type',
    type: 'token',
    definition: `${SP}/Specimen-type`,
    documentation: `The specimen (${LAB_SPECIMEN_SYSTEM}): blood, serum, plasma, urine, arterial blood, csf, ...`,
  },
];

export function specimenSearchDefs(c: LabSearchContext): Record<string, SearchParamDef> {
  return {
    _id: idParam(sql`${s.id}`),
    patient: referenceParam(sql`${s.patientId}`, 'Patient'),
    subject: referenceParam(sql`${s.patientId}`, 'Patient'),
    accession: {
      match: (v) => {
        const t = parseToken(v);
        if (t.system !== undefined && t.system !== ACCESSION_SYSTEM) return FALSE;
        return t.code === undefined ? TRUE : sql`${s.accession} = ${t.code.toUpperCase()}`;
      },
    },
    collected: dateParam(sql`${s.collectedAt}`, null, 'collected', c.timeZone, c.now),
    status: mappedStatusParam(sql`${s.status}`, 'http://hl7.org/fhir/specimen-status', specimenStatusOf),
    type: {
      match: (v) => {
        const t = parseToken(v);
        if (t.system !== undefined && t.system !== LAB_SPECIMEN_SYSTEM) return FALSE;
        return t.code === undefined ? TRUE : sql`lower(${s.specimen}) = ${t.code.toLowerCase()}`;
      },
    },
  };
}

// ------------------------------------------------------------------------------------------------------
// Observation (released results) and DiagnosticReport (requests with released results)
// ------------------------------------------------------------------------------------------------------

const clinicalParams = (type: 'Observation' | 'DiagnosticReport', categoryDoc: string): FhirSearchParam[] => [
  ...patientParams(`${SP}/${type}-subject`),
  encounterParam(`${SP}/clinical-encounter`),
  {
    name: 'date',
    type: 'date',
    definition: `${SP}/clinical-date`,
    documentation: `effectiveDateTime: when the sample was collected. ${DATE_DOC}`,
  },
  { name: 'code', type: 'token', definition: `${SP}/clinical-code`, documentation: CODE_DOC },
  { name: 'category', type: 'token', definition: `${SP}/${type}-category`, documentation: categoryDoc },
  {
    name: 'status',
    type: 'token',
    definition: `${SP}/${type}-status`,
    documentation:
      type === 'Observation'
        ? 'final | amended; :not'
        : 'partial (results still to come) | final | amended; :not',
  },
];

export const labObservationSearchParams = clinicalParams('Observation', `${OBSERVATION_CATEGORY}|laboratory`);
export const diagnosticReportSearchParams = clinicalParams(
  'DiagnosticReport',
  `${DIAGNOSTIC_SERVICE_SECTION}|LAB`,
);

export function labObservationSearchDefs(c: LabSearchContext): Record<string, SearchParamDef> {
  return {
    _id: idParam(sql`${r.id}`),
    patient: referenceParam(sql`${r.patientId}`, 'Patient'),
    subject: referenceParam(sql`${r.patientId}`, 'Patient'),
    encounter: referenceParam(sql`${q.encounterId}`, 'Encounter'),
    date: dateParam(sql`${s.collectedAt}`, null, 'date', c.timeZone, c.now),
    code: codeParam(sql`${r.testCode}`, sql`${r.loincCode}`),
    category: fixedCategory(OBSERVATION_CATEGORY, 'laboratory'),
    status: mappedStatusParam(
      sql`${r.status}`,
      'http://hl7.org/fhir/observation-status',
      observationStatusOf,
    ),
  };
}

const RELEASED_OF_REQUEST = sql`rr.request_id = ${q.id} and rr.status in ('validated', 'amended')`;
/** The request has a released result: it is a DiagnosticReport. */
export const HAS_RELEASED = sql`exists (select 1 from laboratory.results rr where ${RELEASED_OF_REQUEST})`;
/** As diagnosticReportStatus() in lab-resources.ts. */
const reportStatus = sql`(case
  when exists (select 1 from laboratory.results rr where rr.request_id = ${q.id} and rr.status in ('pending', 'entered')) then 'partial'
  when exists (select 1 from laboratory.results rr where rr.request_id = ${q.id} and rr.status = 'amended') then 'amended'
  else 'final' end)`;
const reportEffective = sql`(select min(ss.collected_at) from laboratory.results rr
  join laboratory.samples ss on ss.id = rr.sample_id where ${RELEASED_OF_REQUEST})`;

export function diagnosticReportSearchDefs(c: LabSearchContext): Record<string, SearchParamDef> {
  return {
    _id: idParam(sql`${q.id}`),
    patient: referenceParam(sql`${q.patientId}`, 'Patient'),
    subject: referenceParam(sql`${q.patientId}`, 'Patient'),
    encounter: referenceParam(sql`${q.encounterId}`, 'Encounter'),
    date: dateParam(reportEffective, null, 'date', c.timeZone, c.now),
    code: codeParam(sql`${q.code}`, requestLoinc),
    category: fixedCategory(DIAGNOSTIC_SERVICE_SECTION, 'LAB'),
    status: {
      modifiers: ['not'],
      match: (v) =>
        inList(
          reportStatus,
          tokenIn(parseToken(v), 'http://hl7.org/fhir/diagnostic-report-status', [
            'partial',
            'final',
            'amended',
          ]),
        ),
    },
  };
}
