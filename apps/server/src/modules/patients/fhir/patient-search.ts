import { type IdentifierType, identifierTypes, normalizeIdentifier, normalizePhone } from '@newhms/contracts';
import { type SQL, sql } from 'drizzle-orm';
import type { FieldCipher } from '../../../platform/crypto/field-cipher';
import type { FhirSearchParam } from '../../../platform/fhir/capability-statement';
import type { OperationOutcomeIssue } from '../../../platform/fhir/fhir-resources';
import { FhirError, issueAt } from '../../../platform/fhir/operation-outcome';
import { normalizeName } from '../names';
import { identifierSystems, MRN_SYSTEM } from './fhir-systems';

const GENDER_SYSTEM = 'http://hl7.org/fhir/administrative-gender';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The Patient search parameters, as the CapabilityStatement lists them. */
export const patientSearchParams: FhirSearchParam[] = [
  {
    name: 'name',
    type: 'string',
    definition: 'http://hl7.org/fhir/SearchParameter/Patient-name',
    documentation: 'Any word of the name starts with the value (case and accents ignored); :exact, :contains',
  },
  {
    name: 'family',
    type: 'string',
    definition: 'http://hl7.org/fhir/SearchParameter/individual-family',
    documentation: 'Family name starts with the value; :exact, :contains',
  },
  {
    name: 'given',
    type: 'string',
    definition: 'http://hl7.org/fhir/SearchParameter/individual-given',
    documentation: 'A given (or middle) name starts with the value; :exact, :contains',
  },
  {
    name: 'birthdate',
    type: 'date',
    definition: 'http://hl7.org/fhir/SearchParameter/individual-birthdate',
    documentation:
      'YYYY, YYYY-MM or YYYY-MM-DD with the prefixes eq, ne, lt, le, gt, ge, sa, eb, ap (a year either side)',
  },
  {
    name: 'gender',
    type: 'token',
    definition: 'http://hl7.org/fhir/SearchParameter/individual-gender',
    documentation: 'male | female | other | unknown; :not',
  },
  {
    name: 'identifier',
    type: 'token',
    definition: 'http://hl7.org/fhir/SearchParameter/Patient-identifier',
    documentation:
      'system|value, |value or value (exact; national ids by their full value), or system| for any value',
  },
  {
    name: 'phone',
    type: 'token',
    definition: 'http://hl7.org/fhir/SearchParameter/individual-phone',
    documentation: 'A phone number in any common spelling (its last ten digits are compared)',
  },
  {
    name: 'email',
    type: 'token',
    definition: 'http://hl7.org/fhir/SearchParameter/individual-email',
    documentation: 'The e-mail address, case ignored',
  },
  {
    name: 'active',
    type: 'token',
    definition: 'http://hl7.org/fhir/SearchParameter/Patient-active',
    documentation: 'false finds the records merged into another',
  },
];

/** Parameters that shape the result rather than filter it. */
const CONTROL = new Set(['_count', '_cursor', '_total', '_format', '_pretty']);
const FILTERS = new Set([...patientSearchParams.map((p) => p.name), '_id']);
const MODIFIERS: Record<string, readonly string[]> = {
  name: ['exact', 'contains'],
  family: ['exact', 'contains'],
  given: ['exact', 'contains'],
  gender: ['not'],
};

export type PatientSearch = {
  conditions: SQL[];
  /** The filters as understood, in order: for the self and next links. */
  params: [string, string][];
  count: string | undefined;
  cursor: string | undefined;
  total: 'none' | 'accurate';
  /** Parameters this server does not know, left out of the search (lenient handling). */
  ignored: string[];
  /** For the audit log: national ids and phone numbers masked. */
  described: string;
};

// Accents PostgreSQL should fold like names.ts does in JavaScript (NFKD without marks), for the
// Latin-script letters that occur in names; lower() first.
const ACCENTED = 'áàâäãåāăąéèêëēĕėęěíìîïĩīĭįóòôöõōŏőúùûüũūŭůűųýÿçćčďñńňšśşťžźżł';
const PLAIN = 'aaaaaaaaaeeeeeeeeeiiiiiiiioooooooouuuuuuuuuuyycccdnnnssstzzzl';
const folded = (column: SQL) => sql`translate(lower(${column}), ${ACCENTED}, ${PLAIN})`;
const foldJs = (s: string) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/ł/g, 'l');
const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
const or = (parts: SQL[]) => (parts.length === 1 ? parts[0]! : sql`(${sql.join(parts, sql` or `)})`);
const FALSE = sql`false`;

/** Splits a parameter value on commas (OR), honouring "\," as a literal comma. */
function orValues(raw: string): string[] {
  return raw.split(/(?<!\\),/).map((v) => v.replace(/\\,/g, ','));
}

function stringCondition(name: 'name' | 'family' | 'given', modifier: string | undefined, v: string): SQL {
  if (name === 'name') {
    if (modifier === 'exact') {
      return sql`(p.given = ${v} or p.middle = ${v} or p.family = ${v} or p.display_name = ${v})`;
    }
    const n = normalizeName(v);
    if (!n) return FALSE;
    if (modifier === 'contains') return sql`p.search_name like ${`%${n}%`}`;
    return sql`(p.search_name like ${`${n}%`} or p.search_name like ${`% ${n}%`})`;
  }
  const f = likeEscape(foldJs(v));
  // The trigram index on search_name narrows the rows; the folded column decides.
  const n = normalizeName(v);
  const narrow = n.length >= 3 ? sql` and p.search_name like ${`%${n}%`}` : sql``;
  if (name === 'family') {
    if (modifier === 'exact') return sql`p.family = ${v}`;
    if (modifier === 'contains') return sql`(${folded(sql`p.family`)} like ${`%${f}%`}${narrow})`;
    return sql`(${folded(sql`p.family`)} like ${`${f}%`}${narrow})`;
  }
  if (modifier === 'exact') return sql`(p.given = ${v} or p.middle = ${v})`;
  const givenNames = folded(sql`concat_ws(' ', p.given, p.middle)`);
  if (modifier === 'contains') return sql`(${givenNames} like ${`%${f}%`}${narrow})`;
  return sql`((${givenNames} like ${`${f}%`} or ${givenNames} like ${`% ${f}%`})${narrow})`;
}

function addDays(date: string, unit: 'year' | 'month' | 'day', n: number): string {
  const [y, m = 1, d = 1] = date.split('-').map(Number) as [number, number?, number?];
  const t = new Date(Date.UTC(2000, 0, 1));
  t.setUTCFullYear(
    y + (unit === 'year' ? n : 0),
    m - 1 + (unit === 'month' ? n : 0),
    d + (unit === 'day' ? n : 0),
  );
  const year = t.getUTCFullYear();
  if (year > 9999) return 'infinity';
  if (year < 1) return '-infinity';
  return `${String(year).padStart(4, '0')}-${String(t.getUTCMonth() + 1).padStart(2, '0')}-${String(t.getUTCDate()).padStart(2, '0')}`;
}

/** A date parameter as the half-open range of days it stands for, then compared by its prefix. */
function birthdateCondition(v: string): SQL {
  const m = /^(eq|ne|lt|le|gt|ge|sa|eb|ap)?(\d{4})(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?)?$/.exec(v);
  if (!m) {
    throw new FhirError(400, [
      issueAt(
        'birthdate',
        `"${v.slice(0, 30)}" is not a date parameter: [prefix]YYYY[-MM[-DD]], prefix eq, ne, lt, le, gt, ge, sa, eb or ap`,
        'invalid',
      ),
    ]);
  }
  const [, prefix = 'eq', year, month, day] = m;
  const unit = day ? 'day' : month ? 'month' : 'year';
  const start = [year, month ?? '01', day ?? '01'].join('-');
  if (year === '0000' || (day && addDays(start, 'day', 0) !== start)) {
    throw new FhirError(400, [issueAt('birthdate', `${start} is not a day of the calendar`, 'invalid')]);
  }
  const end = addDays(start, unit, 1);
  const b = sql`p.birth_date`;
  switch (prefix) {
    case 'eq':
      return sql`(${b} >= ${start}::date and ${b} < ${end}::date)`;
    case 'ne':
      return sql`(${b} < ${start}::date or ${b} >= ${end}::date)`;
    case 'lt':
    case 'eb':
      return sql`${b} < ${start}::date`;
    case 'le':
      return sql`${b} < ${end}::date`;
    case 'gt':
    case 'sa':
      return sql`${b} >= ${end}::date`;
    case 'ge':
      return sql`${b} >= ${start}::date`;
    default:
      // ap: approximately, here a year either side.
      return sql`(${b} >= ${addDays(start, 'year', -1)}::date and ${b} < ${addDays(end, 'year', 1)}::date)`;
  }
}

function genderCode(v: string): string {
  const code = v.startsWith(`${GENDER_SYSTEM}|`) ? v.slice(GENDER_SYSTEM.length + 1) : v.replace(/^\|/, '');
  if (!['male', 'female', 'other', 'unknown'].includes(code)) {
    throw new FhirError(400, [
      issueAt(
        'gender',
        `"${v.slice(0, 40)}" is not an administrative-gender code: male, female, other or unknown`,
        'code-invalid',
      ),
    ]);
  }
  return code;
}

const hasIdentifierHash = (hashes: string[]) =>
  hashes.length === 0
    ? FALSE
    : sql`exists (select 1 from patients.identifiers i where i.patient_id = p.id and i.value_hash in (${sql.join(
        hashes.map((h) => sql`${h}`),
        sql`, `,
      )}))`;

function identifierCondition(v: string, cipher: FieldCipher): SQL {
  const bar = v.indexOf('|');
  const system = bar >= 0 ? v.slice(0, bar) : null;
  const value = (bar >= 0 ? v.slice(bar + 1) : v).trim();
  const typeOfSystem = (Object.entries(identifierSystems).find(([, s]) => s.system === system)?.[0] ??
    null) as IdentifierType | null;
  if (system === MRN_SYSTEM) return value ? sql`p.mrn = ${value.toUpperCase()}` : sql`true`;
  if (system && !typeOfSystem) return FALSE;
  if (typeOfSystem && !value) {
    return sql`exists (select 1 from patients.identifiers i where i.patient_id = p.id and i.type = ${typeOfSystem})`;
  }
  if (!value) return FALSE;
  const types = typeOfSystem ? [typeOfSystem] : identifierTypes;
  const hashes = types.flatMap((type) => {
    const n = normalizeIdentifier(type, value);
    return n.ok ? [cipher.lookupHash(type, n.value)] : [];
  });
  const byHash = hasIdentifierHash(hashes);
  // Without a system (or with none: "|value") the MRN counts too.
  return system ? byHash : sql`(p.mrn = ${value.toUpperCase()} or ${byHash})`;
}

function phoneCondition(v: string): SQL {
  const normalized = normalizePhone(v);
  const digits = (normalized ?? v).replace(/\D/g, '');
  if (digits.length < 7 || digits.length > 15) return FALSE;
  return sql`exists (select 1 from patients.phones ph where ph.patient_id = p.id and ph.last_digits = ${digits.slice(-10)})`;
}

/** Masks anything that looks like a national id or a phone number before it reaches the audit log. */
function auditable(name: string, value: string): string {
  if (name.startsWith('identifier') || name === 'phone')
    return value.replace(/[A-Za-z0-9](?=[A-Za-z0-9]{4})/g, '•');
  return value;
}

/**
 * Reads a FHIR search query of Patient: each parameter is ANDed with the others, the comma-separated values
 * of one parameter are ORed. A malformed value is 400; an unknown parameter is ignored (and reported in
 * the bundle) unless the client asked for "Prefer: handling=strict".
 */
export function parsePatientSearch(
  query: Record<string, unknown>,
  cipher: FieldCipher,
  strict: boolean,
): PatientSearch {
  const conditions: SQL[] = [];
  const params: [string, string][] = [];
  const ignored: string[] = [];
  const control: Record<string, string> = {};
  const issues: OperationOutcomeIssue[] = [];
  for (const [key, raw] of Object.entries(query)) {
    const values = (Array.isArray(raw) ? raw : [raw]).map(String);
    if (CONTROL.has(key)) {
      if (values.length > 1) issues.push(issueAt(key, `${key} may be given once`, 'invalid'));
      control[key] = values[0]!;
      continue;
    }
    const [name = '', modifier, ...extra] = key.split(':');
    if (!FILTERS.has(name)) {
      ignored.push(key);
      continue;
    }
    if (extra.length > 0 || (modifier !== undefined && !(MODIFIERS[name] ?? []).includes(modifier))) {
      issues.push(issueAt(key, `the modifier :${modifier} is not supported on ${name}`, 'not-supported'));
      continue;
    }
    for (const value of values) {
      if (value.trim() === '' || value.length > 500) {
        issues.push(issueAt(key, `${key} needs a value (at most 500 characters)`, 'invalid'));
        continue;
      }
      const alternatives = orValues(value);
      if (alternatives.length > 20) {
        issues.push(issueAt(key, 'at most 20 values separated by commas', 'too-long'));
        continue;
      }
      params.push([key, value]);
      const parts = alternatives.map((v): SQL => {
        switch (name) {
          case 'name':
          case 'family':
          case 'given':
            return stringCondition(name, modifier, v);
          case 'birthdate':
            return birthdateCondition(v);
          case 'gender':
            return modifier === 'not' ? sql`p.sex <> ${genderCode(v)}` : sql`p.sex = ${genderCode(v)}`;
          case 'identifier':
            return identifierCondition(v, cipher);
          case 'phone':
            return phoneCondition(v);
          case 'email':
            return sql`lower(p.email) = ${v.trim().toLowerCase()}`;
          case 'active':
            if (v !== 'true' && v !== 'false') {
              throw new FhirError(400, [issueAt('active', 'active is true or false', 'invalid')]);
            }
            return v === 'true' ? sql`p.status = 'active'` : sql`p.status <> 'active'`;
          default: {
            const id = v.trim();
            return UUID.test(id) ? sql`p.id = ${id.toLowerCase()}` : FALSE;
          }
        }
      });
      conditions.push(modifier === 'not' ? sql`(${sql.join(parts, sql` and `)})` : or(parts));
    }
  }
  if (strict && ignored.length > 0) {
    issues.push(
      ...ignored.map((k) => issueAt(k, `${k} is not a search parameter of Patient here`, 'not-supported')),
    );
  }
  const total = control._total ?? 'none';
  if (!['none', 'estimate', 'accurate'].includes(total)) {
    issues.push(issueAt('_total', '_total is none, estimate or accurate', 'invalid'));
  }
  if (issues.length > 0) throw new FhirError(400, issues, 'FHIR_SEARCH_INVALID');
  return {
    conditions,
    params,
    count: control._count,
    cursor: control._cursor,
    total: total === 'accurate' ? 'accurate' : 'none',
    ignored,
    described: params.map(([k, v]) => `${k}=${auditable(k, v)}`).join('&'),
  };
}
