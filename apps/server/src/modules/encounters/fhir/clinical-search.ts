import { encounterStatuses } from '@newhms/contracts';
import { type SQL, sql } from 'drizzle-orm';
import type { FhirSearchParam } from '../../../platform/fhir/capability-statement';
import {
  dateParam,
  idParam,
  inList,
  parseToken,
  referencedId,
  referenceParam,
  type SearchParamDef,
  tokenIn,
} from '../../../platform/fhir/fhir-search';
import { diagnoses, encounterLocations, encounters, observations } from '../encounters.tables';
import {
  BP_PANEL_LOINC,
  CONDITION_CATEGORY,
  CONDITION_CLINICAL,
  CONDITION_VERIFICATION,
  DIASTOLIC_LOINC,
  encounterClassCodes,
  OBSERVATION_CATEGORY,
  observationCategories,
  SYSTOLIC_LOINC,
  V3_ACT_CODE,
} from './fhir-systems';

const SP = 'http://hl7.org/fhir/SearchParameter';
const FALSE = sql`false`;
const DATE_DOC =
  'YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm[:ss][zone] with the prefixes eq, ne, lt, le, gt, ge, sa, eb, ' +
  "ap; without a zone, in the facility's time zone";
const PATIENT_DOC = 'Patient/<id> or <id>';
const patientParams = (subjectDefinition: string): FhirSearchParam[] => [
  { name: 'patient', type: 'reference', definition: `${SP}/clinical-patient`, documentation: PATIENT_DOC },
  { name: 'subject', type: 'reference', definition: subjectDefinition, documentation: PATIENT_DOC },
];

/** The context a search's parameters are read in: the facility's zone for dates, now for `ap`. */
export type SearchContext = { timeZone: string; now: Date };

/** A token parameter over a status column whose values are the FHIR codes themselves; `:not` allowed. */
function statusParam(column: SQL, system: string, codes: readonly string[]): SearchParamDef {
  return { modifiers: ['not'], match: (v) => inList(column, tokenIn(parseToken(v), system, codes)) };
}

// ------------------------------------------------------------------------------------------------------
// Encounter
// ------------------------------------------------------------------------------------------------------

export const encounterSearchParams: FhirSearchParam[] = [
  ...patientParams(`${SP}/Encounter-subject`),
  {
    name: 'date',
    type: 'date',
    definition: `${SP}/clinical-date`,
    documentation: `The period (an encounter still open has no end). ${DATE_DOC}`,
  },
  {
    name: 'status',
    type: 'token',
    definition: `${SP}/Encounter-status`,
    documentation: `${encounterStatuses.join(' | ')}; :not`,
  },
  {
    name: 'class',
    type: 'token',
    definition: `${SP}/Encounter-class`,
    documentation: 'v3-ActCode AMB (OPD visit), IMP (IPD stay), EMER (ER visit)',
  },
  {
    name: 'practitioner',
    type: 'reference',
    definition: `${SP}/Encounter-practitioner`,
    documentation: 'Practitioner/<id> or <id>: the primary performer (the OPD practitioner)',
  },
  {
    name: 'location',
    type: 'reference',
    definition: `${SP}/Encounter-location`,
    documentation: 'Location/<id> or <id>: a bed (or ward) the patient was in at any time of the encounter',
  },
];

export function encounterSearchDefs(c: SearchContext): Record<string, SearchParamDef> {
  const e = encounters;
  const classes = Object.entries(encounterClassCodes);
  return {
    _id: idParam(sql`${e.id}`),
    patient: referenceParam(sql`${e.patientId}`, 'Patient'),
    subject: referenceParam(sql`${e.patientId}`, 'Patient'),
    date: dateParam(sql`${e.startedAt}`, sql`${e.endedAt}`, 'date', c.timeZone, c.now),
    status: statusParam(sql`${e.status}`, 'http://hl7.org/fhir/encounter-status', encounterStatuses),
    class: {
      match: (v) => {
        const codes = tokenIn(
          parseToken(v),
          V3_ACT_CODE,
          classes.map(([, coding]) => coding.code),
        );
        return inList(
          sql`${e.class}`,
          classes.filter(([, coding]) => codes.includes(coding.code)).map(([ours]) => ours),
        );
      },
    },
    practitioner: referenceParam(sql`${e.practitionerId}`, 'Practitioner'),
    location: {
      match: (v) => {
        const id = referencedId(v, 'Location');
        if (!id) return sql`false`;
        return sql`exists (select 1 from ${encounterLocations} el where el.encounter_id = ${e.id} and el.location_id = ${id})`;
      },
    },
  };
}

// ------------------------------------------------------------------------------------------------------
// Observation: blood pressure pairs are one panel (see observation-resource.ts)
// ------------------------------------------------------------------------------------------------------

const o = observations;
/** The row is the systolic half of a pair, standing for the panel 85354-9. */
const PANEL_ROW = sql`(${o.code} = ${SYSTOLIC_LOINC} and ${o.groupId} is not null)`;
// The halves of a pair share patient, time and group: the (patient_id, code, effective_at) index finds them.
const diastolicStatus = sql`(select d.status from encounters.observations d where d.patient_id = ${o.patientId} and d.code = ${DIASTOLIC_LOINC} and d.effective_at = ${o.effectiveAt} and d.group_id = ${o.groupId} order by d.id limit 1)`;
const hasSystolic = sql`exists (select 1 from encounters.observations s where s.patient_id = ${o.patientId} and s.code = ${SYSTOLIC_LOINC} and s.effective_at = ${o.effectiveAt} and s.group_id = ${o.groupId})`;
/** A diastolic row of a pair is a component of the panel, not an Observation of its own. */
export const LISTED_ROW = sql`not (${o.code} = ${DIASTOLIC_LOINC} and ${o.groupId} is not null and ${hasSystolic})`;
const fhirCode = sql`(case when ${PANEL_ROW} then ${BP_PANEL_LOINC} else ${o.code} end)`;
// As panelStatus() in observation-resource.ts.
const fhirStatus = sql`(case when not ${PANEL_ROW} then ${o.status}
  when ${o.status} = 'entered-in-error' and coalesce(${diastolicStatus}, 'entered-in-error') = 'entered-in-error' then 'entered-in-error'
  when ${o.status} = 'entered-in-error' or ${diastolicStatus} = 'entered-in-error' then 'amended'
  else ${o.status} end)`;

const observationStatuses = ['final', 'amended', 'entered-in-error'] as const;

export const observationSearchParams: FhirSearchParam[] = [
  ...patientParams(`${SP}/Observation-subject`),
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
    documentation: `effectiveDateTime. ${DATE_DOC}`,
  },
  {
    name: 'code',
    type: 'token',
    definition: `${SP}/clinical-code`,
    documentation: `LOINC code (system http://loinc.org); blood pressure is the panel ${BP_PANEL_LOINC}`,
  },
  {
    name: 'category',
    type: 'token',
    definition: `${SP}/Observation-category`,
    documentation: `${OBSERVATION_CATEGORY}: ${observationCategories.join(' | ')}`,
  },
  {
    name: 'status',
    type: 'token',
    definition: `${SP}/Observation-status`,
    documentation: `${observationStatuses.join(' | ')}; :not`,
  },
];

export function observationSearchDefs(c: SearchContext): Record<string, SearchParamDef> {
  return {
    _id: idParam(sql`${o.id}`),
    patient: referenceParam(sql`${o.patientId}`, 'Patient'),
    subject: referenceParam(sql`${o.patientId}`, 'Patient'),
    encounter: referenceParam(sql`${o.encounterId}`, 'Encounter'),
    date: dateParam(sql`${o.effectiveAt}`, null, 'date', c.timeZone, c.now),
    code: {
      match: (v) => {
        const t = parseToken(v);
        if (t.system === null) return FALSE;
        const system = t.system === undefined ? sql`` : sql` and ${o.system} = ${t.system}`;
        return t.code === undefined ? sql`(true${system})` : sql`(${fhirCode} = ${t.code}${system})`;
      },
    },
    category: {
      match: (v) =>
        inList(sql`${o.category}`, tokenIn(parseToken(v), OBSERVATION_CATEGORY, observationCategories)),
    },
    status: statusParam(fhirStatus, 'http://hl7.org/fhir/observation-status', observationStatuses),
  };
}

// ------------------------------------------------------------------------------------------------------
// Condition
// ------------------------------------------------------------------------------------------------------

const dg = diagnoses;

export const conditionSearchParams: FhirSearchParam[] = [
  ...patientParams(`${SP}/Condition-subject`),
  {
    name: 'encounter',
    type: 'reference',
    definition: `${SP}/Condition-encounter`,
    documentation: 'Encounter/<id> or <id>',
  },
  {
    name: 'recorded-date',
    type: 'date',
    definition: `${SP}/Condition-recorded-date`,
    documentation: `When the diagnosis was recorded. ${DATE_DOC}`,
  },
  {
    name: 'code',
    type: 'token',
    definition: `${SP}/clinical-code`,
    documentation: 'ICD-10-CM code (system http://hl7.org/fhir/sid/icd-10-cm), e.g. E11.9',
  },
  {
    name: 'category',
    type: 'token',
    definition: `${SP}/Condition-category`,
    documentation: 'encounter-diagnosis (every diagnosis of an encounter)',
  },
  {
    name: 'clinical-status',
    type: 'token',
    definition: `${SP}/Condition-clinical-status`,
    documentation: 'active | resolved (a diagnosis entered in error has none)',
  },
  {
    name: 'verification-status',
    type: 'token',
    definition: `${SP}/Condition-verification-status`,
    documentation: 'provisional | confirmed (a final diagnosis) | entered-in-error',
  },
];

export function conditionSearchDefs(c: SearchContext): Record<string, SearchParamDef> {
  const notInError = sql`${dg.status} <> 'entered-in-error'`;
  const verification: Record<string, SQL> = {
    provisional: sql`(${dg.kind} = 'provisional' and ${notInError})`,
    confirmed: sql`(${dg.kind} = 'final' and ${notInError})`,
    'entered-in-error': sql`${dg.status} = 'entered-in-error'`,
  };
  return {
    _id: idParam(sql`${dg.id}`),
    patient: referenceParam(sql`${dg.patientId}`, 'Patient'),
    subject: referenceParam(sql`${dg.patientId}`, 'Patient'),
    encounter: referenceParam(sql`${dg.encounterId}`, 'Encounter'),
    'recorded-date': dateParam(sql`${dg.recordedAt}`, null, 'recorded-date', c.timeZone, c.now),
    code: {
      match: (v) => {
        const t = parseToken(v);
        if (t.system === null) return FALSE;
        const system = t.system === undefined ? sql`` : sql` and ${dg.system} = ${t.system}`;
        return t.code === undefined
          ? sql`(true${system})`
          : sql`(${dg.code} = ${t.code.toUpperCase()}${system})`;
      },
    },
    category: {
      match: (v) =>
        tokenIn(parseToken(v), CONDITION_CATEGORY, ['encounter-diagnosis']).length > 0 ? sql`true` : FALSE,
    },
    'clinical-status': {
      match: (v) =>
        inList(sql`${dg.status}`, tokenIn(parseToken(v), CONDITION_CLINICAL, ['active', 'resolved'])),
    },
    'verification-status': {
      match: (v) => {
        const codes = tokenIn(parseToken(v), CONDITION_VERIFICATION, Object.keys(verification));
        return codes.length === 0
          ? FALSE
          : sql`(${sql.join(
              codes.map((k) => verification[k]!),
              sql` or `,
            )})`;
      },
    },
  };
}
