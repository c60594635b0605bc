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
import { orders, procedures, reports } from '../radiology.tables';
import {
  ACCESSION_SYSTEM,
  DCM,
  DIAGNOSTIC_REPORT_STATUS,
  DICOM_UID_SYSTEM,
  IMAGING_STUDY_STATUS,
  LOINC,
  LOINC_RADIOLOGY_CATEGORY,
  ourModalityOfDicom,
  PROCEDURE_SYSTEM,
  V2_0074,
} from './radiology-resources';

// The search parameters of ImagingStudy (over radiology.orders) and of the radiology share of
// DiagnosticReport (over radiology.reports joined with its order).

const SP = 'http://hl7.org/fhir/SearchParameter';
const FALSE = sql`false`;
const PATIENT_DOC = 'Patient/<id> or <id>';
const DATE_DOC =
  'YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm[:ss][zone] with the prefixes eq, ne, lt, le, gt, ge, sa, eb, ' +
  "ap; without a zone, in the facility's time zone";

export type SearchContext = { timeZone: string; now: Date };

const or = (parts: SQL[]) => (parts.length === 1 ? parts[0]! : sql`(${sql.join(parts, sql` or `)})`);

/** ImagingStudy.status of an order that has started. */
const STUDY_STATUS_SQL = sql`(case when ${orders.status} = 'completed' then 'available' else 'registered' end)`;

export const imagingStudySearchParams: FhirSearchParam[] = [
  { name: 'patient', type: 'reference', definition: `${SP}/clinical-patient`, documentation: PATIENT_DOC },
  {
    name: 'subject',
    type: 'reference',
    definition: `${SP}/ImagingStudy-subject`,
    documentation: PATIENT_DOC,
  },
  {
    name: 'started',
    type: 'date',
    definition: `${SP}/ImagingStudy-started`,
    documentation: `When the study started. ${DATE_DOC}`,
  },
  {
    name: 'status',
    type: 'token',
    definition: `${SP}/ImagingStudy-status`,
    documentation: 'registered (in progress) | available (completed); :not',
  },
  {
    name: 'modality',
    type: 'token',
    definition: `${SP}/ImagingStudy-modality`,
    documentation: `${DCM}|<code>: DX (or CR) for plain radiography, CT, MR, US, MG, RF`,
  },
  {
    name: 'identifier',
    type: 'token',
    definition: `${SP}/clinical-identifier`,
    documentation: `The accession number (${ACCESSION_SYSTEM}|R2603100001) or the Study Instance UID (${DICOM_UID_SYSTEM}|urn:oid:1.2...)`,
  },
  {
    name: 'encounter',
    type: 'reference',
    definition: `${SP}/ImagingStudy-encounter`,
    documentation: 'Encounter/<id> or <id>',
  },
];

function uidOf(value: string): string {
  return value.startsWith('urn:oid:') ? value.slice('urn:oid:'.length) : value;
}

export function imagingStudySearchDefs(c: SearchContext): Record<string, SearchParamDef> {
  const o = orders;
  return {
    _id: idParam(sql`${o.id}`),
    patient: referenceParam(sql`${o.patientId}`, 'Patient'),
    subject: referenceParam(sql`${o.patientId}`, 'Patient'),
    encounter: referenceParam(sql`${o.encounterId}`, 'Encounter'),
    started: dateParam(sql`${o.startedAt}`, null, 'started', c.timeZone, c.now),
    status: {
      modifiers: ['not'],
      match: (v) =>
        inList(STUDY_STATUS_SQL, tokenIn(parseToken(v), IMAGING_STUDY_STATUS, ['registered', 'available'])),
    },
    modality: {
      match: (v) => {
        const codes = tokenIn(parseToken(v), DCM, Object.keys(ourModalityOfDicom));
        return inList(sql`${o.modality}`, [...new Set(codes.map((code) => ourModalityOfDicom[code]!))]);
      },
    },
    identifier: {
      match: (v) => {
        const t = parseToken(v);
        if (t.code === undefined) {
          if (t.system === ACCESSION_SYSTEM) return sql`true`;
          if (t.system === DICOM_UID_SYSTEM) return sql`${o.studyInstanceUid} is not null`;
          return FALSE;
        }
        const code = t.code;
        const byAccession = sql`${o.accession} = ${code.toUpperCase()}`;
        const byUid = sql`${o.studyInstanceUid} = ${uidOf(code)}`;
        if (t.system === ACCESSION_SYSTEM) return byAccession;
        if (t.system === DICOM_UID_SYSTEM) return byUid;
        if (t.system === undefined) return or([byAccession, byUid]);
        return FALSE;
      },
    },
  };
}

// ------------------------------------------------------------------------------------------------------
// DiagnosticReport (radiology's share)
// ------------------------------------------------------------------------------------------------------

const REPORT_STATUS_SQL = sql`(case when ${reports.status} = 'amended' then 'appended' else 'final' end)`;

export const diagnosticReportSearchParams: FhirSearchParam[] = [
  { name: 'patient', type: 'reference', definition: `${SP}/clinical-patient`, documentation: PATIENT_DOC },
  {
    name: 'subject',
    type: 'reference',
    definition: `${SP}/DiagnosticReport-subject`,
    documentation: PATIENT_DOC,
  },
  {
    name: 'encounter',
    type: 'reference',
    definition: `${SP}/clinical-encounter`,
    documentation: 'Encounter/<id> or <id>',
  },
  {
    name: 'date',
    type: 'date',
    definition: `${SP}/clinical-date`,
    documentation: `When the study was done (effective). ${DATE_DOC}`,
  },
  {
    name: 'status',
    type: 'token',
    definition: `${SP}/DiagnosticReport-status`,
    documentation: 'final | appended (amended matches appended: an addendum after sign-off); :not',
  },
  {
    name: 'code',
    type: 'token',
    definition: `${SP}/clinical-code`,
    documentation: `Our procedure code (${PROCEDURE_SYSTEM}|RAD-CT-HEAD) or the procedure's LOINC code`,
  },
  {
    name: 'category',
    type: 'token',
    definition: `${SP}/DiagnosticReport-category`,
    documentation: `${V2_0074}|RAD or ${LOINC}|${LOINC_RADIOLOGY_CATEGORY} (Radiology)`,
  },
];

/** Whether a category token names radiology. */
export function isRadiologyCategory(value: string): boolean {
  const t = parseToken(value.trim());
  return tokenIn(t, V2_0074, ['RAD']).length > 0 || tokenIn(t, LOINC, [LOINC_RADIOLOGY_CATEGORY]).length > 0;
}

export function diagnosticReportSearchDefs(c: SearchContext): Record<string, SearchParamDef> {
  const o = orders;
  const r = reports;
  return {
    _id: idParam(sql`${r.id}`),
    patient: referenceParam(sql`${r.patientId}`, 'Patient'),
    subject: referenceParam(sql`${r.patientId}`, 'Patient'),
    encounter: referenceParam(sql`${o.encounterId}`, 'Encounter'),
    date: dateParam(
      sql`coalesce(${o.completedAt}, ${o.startedAt}, ${o.orderedAt})`,
      null,
      'date',
      c.timeZone,
      c.now,
    ),
    status: {
      modifiers: ['not'],
      match: (v) => {
        const t = parseToken(v);
        // The status codes are a hierarchy: amended includes appended (and corrected, which we never use).
        const codes = tokenIn(t, DIAGNOSTIC_REPORT_STATUS, ['final', 'appended', 'amended']).map((x) =>
          x === 'amended' ? 'appended' : x,
        );
        return inList(REPORT_STATUS_SQL, [...new Set(codes)]);
      },
    },
    code: {
      match: (v) => {
        const t = parseToken(v);
        if (t.code === undefined) {
          return t.system === PROCEDURE_SYSTEM
            ? sql`true`
            : t.system === LOINC
              ? sql`${procedures.loincCode} is not null`
              : FALSE;
        }
        const byOurs = sql`${o.procedureCode} = ${t.code.toUpperCase()}`;
        const byLoinc = sql`${procedures.loincCode} = ${t.code}`;
        if (t.system === PROCEDURE_SYSTEM) return byOurs;
        if (t.system === LOINC) return byLoinc;
        if (t.system === undefined) return or([byOurs, byLoinc]);
        return FALSE;
      },
    },
    category: { match: (v) => (isRadiologyCategory(v) ? sql`true` : FALSE) },
  };
}
