import { type SQL, sql } from 'drizzle-orm';
import type { FhirSearchParam } from '../../../platform/fhir/capability-statement';
import {
  dateParam,
  inList,
  parseToken,
  referenceParam,
  type SearchParamDef,
  tokenIn,
} from '../../../platform/fhir/fhir-search';
import { formularyItems } from '../pharmacy.tables';
import { prescriptionItems, prescriptions } from '../prescriptions.tables';
import {
  ATC_SYSTEM,
  FORMULARY_SYSTEM,
  MEDICATION_REQUEST_CATEGORY,
  MEDICATION_REQUEST_INTENT,
  MEDICATION_REQUEST_STATUS,
  medicationRequestCategories,
  medicationRequestStatuses,
  parseMedicationRequestId,
} from './medication-request-resource';

// The search parameters of MedicationRequest over a prescription line joined with its prescription and its
// formulary item (the rows of medication-request-fhir.service.ts).

const SP = 'http://hl7.org/fhir/SearchParameter';
const FALSE = sql`false`;
const TRUE = sql`true`;
const p = prescriptions;
const i = prescriptionItems;
const f = formularyItems;
const PATIENT_DOC = 'Patient/<id> or <id>';

/** As medicationRequestStatus() in medication-request-resource.ts. */
const FHIR_STATUS_SQL = sql`(case when ${p.status} = 'cancelled' then 'cancelled'
  when ${i.status} = 'stopped' then 'stopped'
  when ${i.status} = 'completed' or ${p.status} = 'completed' then 'completed'
  else 'active' end)`;

const categories = Object.keys(medicationRequestCategories);

export const medicationRequestSearchParams: FhirSearchParam[] = [
  { name: 'patient', type: 'reference', definition: `${SP}/clinical-patient`, documentation: PATIENT_DOC },
  {
    name: 'subject',
    type: 'reference',
    definition: `${SP}/MedicationRequest-subject`,
    documentation: PATIENT_DOC,
  },
  {
    name: 'encounter',
    type: 'reference',
    definition: `${SP}/medications-encounter`,
    documentation: "Encounter/<id> or <id>: the OPD visit, or the in-patient stay's encounter",
  },
  {
    name: 'status',
    type: 'token',
    definition: `${SP}/medications-status`,
    documentation: `${medicationRequestStatuses.join(' | ')}; :not`,
  },
  {
    name: 'intent',
    type: 'token',
    definition: `${SP}/MedicationRequest-intent`,
    documentation: 'order (every prescription line is an order)',
  },
  {
    name: 'authoredon',
    type: 'date',
    definition: `${SP}/MedicationRequest-authoredon`,
    documentation:
      'When the prescription was signed. YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm[:ss][zone] with the ' +
      "prefixes eq, ne, lt, le, gt, ge, sa, eb, ap; without a zone, in the facility's time zone",
  },
  {
    name: 'category',
    type: 'token',
    definition: `${SP}/MedicationRequest-category`,
    documentation: `${MEDICATION_REQUEST_CATEGORY}: ${categories.join(' | ')}`,
  },
  {
    name: 'code',
    type: 'token',
    definition: `${SP}/clinical-code`,
    documentation: `Our formulary code (${FORMULARY_SYSTEM}) or the ATC code (${ATC_SYSTEM})`,
  },
];

function codeCondition(v: string): SQL {
  const t = parseToken(v);
  if (t.system === undefined) return sql`(${f.code} = ${t.code} or ${f.atcCode} = ${t.code})`;
  if (t.system === FORMULARY_SYSTEM) return t.code === undefined ? TRUE : sql`${f.code} = ${t.code}`;
  if (t.system === ATC_SYSTEM) {
    return t.code === undefined ? sql`${f.atcCode} is not null` : sql`${f.atcCode} = ${t.code}`;
  }
  // `|code` (no system) or a system of which we have no codes.
  return FALSE;
}

/** The search parameters, in the facility's zone for dates (and now for `ap`). */
export function medicationRequestSearchDefs(c: {
  timeZone: string;
  now: Date;
}): Record<string, SearchParamDef> {
  return {
    _id: {
      match: (v) => {
        const ref = parseMedicationRequestId(v);
        return ref
          ? sql`(${i.prescriptionId} = ${ref.prescriptionId} and ${i.lineNo} = ${ref.lineNo})`
          : FALSE;
      },
    },
    patient: referenceParam(sql`${p.patientId}`, 'Patient'),
    subject: referenceParam(sql`${p.patientId}`, 'Patient'),
    encounter: referenceParam(sql`${p.encounterId}`, 'Encounter'),
    status: {
      modifiers: ['not'],
      match: (v) =>
        inList(FHIR_STATUS_SQL, tokenIn(parseToken(v), MEDICATION_REQUEST_STATUS, medicationRequestStatuses)),
    },
    intent: {
      modifiers: ['not'],
      match: (v) => (tokenIn(parseToken(v), MEDICATION_REQUEST_INTENT, ['order']).length > 0 ? TRUE : FALSE),
    },
    authoredon: dateParam(sql`${p.createdAt}`, null, 'authoredon', c.timeZone, c.now),
    category: {
      match: (v) =>
        inList(sql`${p.setting}`, tokenIn(parseToken(v), MEDICATION_REQUEST_CATEGORY, categories)),
    },
    code: { match: codeCondition },
  };
}
