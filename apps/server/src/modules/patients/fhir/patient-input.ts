import {
  type IdentifierType,
  identifierTypes,
  normalizeIdentifier,
  normalizePhone,
  PastDate,
  RegisterPatientBody,
  UpdatePatientBody,
} from '@newhms/contracts';
import { z } from 'zod';
import type { OperationOutcomeIssue } from '../../../platform/fhir/fhir-resources';
import { FhirError, issueAt } from '../../../platform/fhir/operation-outcome';
import {
  BIRTH_DATE_ESTIMATED,
  identifierSystems,
  identifierTypeOf,
  languageCodes,
  MRN_SYSTEM,
  maritalStatusCodes,
  maritalStatusOfCode,
  V2_CONTACT_ROLE,
  V3_MARITAL_STATUS,
  V3_NULL_FLAVOR,
} from './fhir-systems';
import type { PatientView } from './patient-resource';

// ---------------------------------------------------------------------------------------------------------
// The shape of a FHIR Patient as far as we read it. Elements we do not keep (text, photo, multipleBirth,
// generalPractitioner, managingOrganization, link, most extensions) are accepted and ignored.
// ---------------------------------------------------------------------------------------------------------

const str = z.string().max(2000);
const Coding = z.object({ system: str.optional(), code: str.optional(), display: str.optional() });
const CodeableConcept = z.object({ coding: z.array(Coding).max(20).optional(), text: str.optional() });
const Extension = z.object({ url: str, valueBoolean: z.boolean().optional() });
const Identifier = z.object({
  use: str.optional(),
  type: CodeableConcept.optional(),
  system: str.optional(),
  value: str.optional(),
  assigner: z.object({ display: str.optional() }).optional(),
});
const HumanName = z.object({
  use: str.optional(),
  text: str.optional(),
  family: str.optional(),
  given: z.array(str).max(10).optional(),
});
const ContactPoint = z.object({ system: str.optional(), value: str.optional(), use: str.optional() });
const Address = z.object({
  use: str.optional(),
  text: str.optional(),
  line: z.array(str).max(10).optional(),
  city: str.optional(),
  district: str.optional(),
  state: str.optional(),
  postalCode: str.optional(),
  country: str.optional(),
});
const FhirPatientInput = z.object({
  resourceType: z.literal('Patient'),
  id: str.optional(),
  extension: z.array(Extension).max(50).optional(),
  identifier: z.array(Identifier).max(20).optional(),
  active: z.boolean().optional(),
  name: z.array(HumanName).max(10).optional(),
  telecom: z.array(ContactPoint).max(20).optional(),
  gender: str.optional(),
  birthDate: str.optional(),
  _birthDate: z.object({ extension: z.array(Extension).max(10).optional() }).optional(),
  deceasedBoolean: z.boolean().optional(),
  deceasedDateTime: str.optional(),
  address: z.array(Address).max(10).optional(),
  maritalStatus: CodeableConcept.optional(),
  communication: z
    .array(z.object({ language: CodeableConcept, preferred: z.boolean().optional() }))
    .max(10)
    .optional(),
  contact: z
    .array(
      z.object({
        relationship: z.array(CodeableConcept).max(10).optional(),
        name: HumanName.optional(),
        telecom: z.array(ContactPoint).max(10).optional(),
        address: Address.optional(),
      }),
    )
    .max(10)
    .optional(),
});
type FhirPatientInput = z.infer<typeof FhirPatientInput>;

/** Something in the resource that was not kept (lenient mode) or that refused it (strict mode). */
type MappingIssue = { expression: string; message: string };

type IdentifierItem = { id: string } | { type: IdentifierType; value: string; issuer: string | null };

export type MappedPatient = {
  name: { given: string | null; middle: string | null; family: string | null };
  sex: 'male' | 'female' | 'other' | 'unknown';
  birthDate: string | null;
  birthDateEstimated: boolean;
  phones: { number: string; kind: 'mobile' | 'home' | 'work' }[];
  email: string | null;
  address: {
    line: string | null;
    locality: string | null;
    district: string | null;
    state: string | null;
    postalCode: string | null;
    country?: string;
  } | null;
  preferredLanguage: string | null;
  maritalStatus: keyof typeof maritalStatusCodes | null;
  identifiers: IdentifierItem[];
  contacts: {
    kind: 'next-of-kin' | 'emergency';
    name: string;
    relationship: string;
    phone: string | null;
    address: string | null;
  }[];
  /** Our field path ("phones.1", "identifiers.0", "name") -> the FHIR element it came from. */
  sources: Map<string, string>;
  /** What was left out (lenient mode only; strict mode refuses instead). */
  warnings: MappingIssue[];
};

/**
 * strict: the API. Whatever the resource says that we cannot keep (an unknown identifier system, a fax
 * number, a death date, a phone number that is not one) is refused with 422, so that nothing is lost
 * silently. lenient: the bulk import. Such values are left out and reported as warnings.
 */
export type MappingMode = 'strict' | 'lenient';

const MARKS = /\p{M}/gu;
const fold = (s: string) => s.normalize('NFKD').replace(MARKS, '').trim().toLowerCase();
const text = (v: string | undefined | null) => {
  const t = v?.trim();
  return t ? t : null;
};

function path(parts: readonly PropertyKey[]): string {
  return parts.reduce<string>(
    (acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : `${acc}.${String(p)}`),
    'Patient',
  );
}

/** Parses the JSON body as a FHIR Patient: 400 when it is not one (wrong type, wrong shapes). */
export function parseFhirPatient(body: unknown): FhirPatientInput {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new FhirError(400, [
      {
        severity: 'error',
        code: 'structure',
        details: { text: 'The body must be a FHIR Patient resource (a JSON object)' },
      },
    ]);
  }
  const resourceType = (body as { resourceType?: unknown }).resourceType;
  if (resourceType !== 'Patient') {
    throw new FhirError(400, [
      issueAt(
        'resourceType',
        `resourceType must be "Patient"${typeof resourceType === 'string' ? `, not "${resourceType.slice(0, 40)}"` : ''}`,
        'invalid',
      ),
    ]);
  }
  const parsed = FhirPatientInput.safeParse(body);
  if (!parsed.success) {
    throw new FhirError(
      400,
      parsed.error.issues.slice(0, 20).map((i) => issueAt(path(i.path), i.message, 'structure')),
    );
  }
  return parsed.data;
}

const FULL_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const PARTIAL_DATE = /^\d{4}(-(0[1-9]|1[0-2]))?$/;
const Email = z.email().max(200);
const POSTAL_CODE = /^[0-9A-Za-z -]{3,10}$/;
const countryNames: Record<string, string> = {
  india: 'IN',
  ind: 'IN',
  usa: 'US',
  'united states': 'US',
  'united states of america': 'US',
  uk: 'GB',
  'united kingdom': 'GB',
};

/**
 * Reads a FHIR Patient into our registration fields. `current` is the stored record on update: an
 * identifier sent back with the masked value we showed (••••1234) keeps that identifier as it is, and
 * the MRN must be the record's own.
 */
export function mapFhirPatient(
  resource: FhirPatientInput,
  mode: MappingMode,
  current?: PatientView,
): MappedPatient {
  const errors: OperationOutcomeIssue[] = [];
  const warnings: MappingIssue[] = [];
  const sources = new Map<string, string>();
  const fail = (expression: string, message: string) => errors.push(issueAt(expression, message));
  const drop = (expression: string, message: string) =>
    mode === 'strict' ? fail(expression, message) : warnings.push({ expression, message });

  // Gender: http://hl7.org/fhir/ValueSet/administrative-gender (required binding).
  const sexes = ['male', 'female', 'other', 'unknown'] as const;
  const sex = sexes.find((s) => s === resource.gender);
  sources.set('sex', 'Patient.gender');
  if (resource.gender === undefined)
    fail('Patient.gender', 'gender is required: male, female, other or unknown');
  else if (!sex) {
    fail(
      'Patient.gender',
      `"${resource.gender.slice(0, 20)}" is not an administrative-gender code: male, female, other or unknown`,
    );
  }

  // Name: the official one, else the usual one, else the first current one.
  const names = resource.name ?? [];
  const nameIndex = [
    names.findIndex((n) => n.use === 'official'),
    names.findIndex((n) => n.use === 'usual'),
    names.findIndex((n) => !['old', 'maiden', 'nickname', 'anonymous'].includes(n.use ?? '')),
    names.length > 0 ? 0 : -1,
  ].find((i) => i >= 0);
  const name = { given: null as string | null, middle: null as string | null, family: null as string | null };
  if (nameIndex === undefined) fail('Patient.name', 'a name is required (given or family)');
  else {
    const n = names[nameIndex]!;
    sources.set('name', `Patient.name[${nameIndex}]`);
    const given = (n.given ?? []).map((g) => g.trim()).filter(Boolean);
    name.given = given[0] ?? null;
    name.middle = given.length > 1 ? given.slice(1).join(' ') : null;
    name.family = text(n.family);
    if (!name.given && !name.family && n.text?.trim()) {
      const words = n.text.trim().split(/\s+/);
      name.family = words.length > 1 ? words.pop()! : null;
      name.given = words.join(' ');
    }
    if (!name.given && !name.family) fail(`Patient.name[${nameIndex}]`, 'a given or a family name is needed');
  }

  // Birth date, and whether it was estimated from an age.
  let birthDate: string | null = null;
  const estimated =
    [...(resource._birthDate?.extension ?? []), ...(resource.extension ?? [])].find(
      (e) => e.url === BIRTH_DATE_ESTIMATED,
    )?.valueBoolean === true;
  sources.set('birth', 'Patient.birthDate');
  if (resource.birthDate !== undefined) {
    if (PARTIAL_DATE.test(resource.birthDate)) {
      fail(
        'Patient.birthDate',
        'a full date (YYYY-MM-DD) is needed; for an age, send the estimated date with the birth-date-estimated extension',
      );
    } else if (!FULL_DATE.test(resource.birthDate)) {
      fail('Patient.birthDate', 'not a FHIR date (YYYY-MM-DD)');
    } else {
      const checked = PastDate.safeParse(resource.birthDate);
      if (!checked.success) fail('Patient.birthDate', checked.error.issues[0]?.message ?? 'not a valid date');
      else birthDate = resource.birthDate;
    }
  }

  if (resource.deceasedBoolean === true || resource.deceasedDateTime !== undefined) {
    drop('Patient.deceased', 'this server does not record a death on the Patient resource');
  }
  if (resource.active === false && (!current || current.status === 'active')) {
    drop('Patient.active', 'a record becomes inactive by being merged into another, not by an update');
  }

  // Telecom: phones (E.164) and one e-mail address.
  const phones: MappedPatient['phones'] = [];
  let email: string | null = null;
  for (const [j, t] of (resource.telecom ?? []).entries()) {
    const at = `Patient.telecom[${j}]`;
    if (t.use === 'old') continue;
    const value = text(t.value);
    if (!value) {
      drop(`${at}.value`, 'a contact point needs a value');
      continue;
    }
    if (t.system === 'phone' || t.system === 'sms') {
      const number = normalizePhone(value);
      if (!number) {
        drop(
          `${at}.value`,
          `"${value.slice(0, 30)}" is not a phone number we keep: 10 digits starting 6-9, or +country code`,
        );
        continue;
      }
      if (phones.some((p) => p.number === number)) continue;
      sources.set(`phones.${phones.length}`, at);
      phones.push({ number, kind: t.use === 'home' || t.use === 'work' ? t.use : 'mobile' });
    } else if (t.system === 'email') {
      if (email) drop(at, 'only one e-mail address is kept');
      else if (!Email.safeParse(value).success) drop(`${at}.value`, 'not an e-mail address');
      else {
        email = value;
        sources.set('email', at);
      }
    } else {
      drop(
        `${at}.system`,
        `contact points of system "${(t.system ?? '(none)').slice(0, 20)}" are not kept; phone, sms and email are`,
      );
    }
  }
  if (phones.length > 5) {
    drop('Patient.telecom', 'at most five phone numbers are kept');
    phones.length = 5;
  }

  // Address: the home one, else the first current one.
  const addresses = resource.address ?? [];
  const addressIndex = [
    addresses.findIndex((a) => a.use === 'home'),
    addresses.findIndex((a) => a.use !== 'old'),
  ].find((i) => i >= 0);
  let address: MappedPatient['address'] = null;
  if (addressIndex !== undefined) {
    const a = addresses[addressIndex]!;
    const at = `Patient.address[${addressIndex}]`;
    sources.set('address', at);
    const lines = (a.line ?? []).map((l) => l.trim()).filter(Boolean);
    let postalCode = text(a.postalCode);
    if (postalCode && !POSTAL_CODE.test(postalCode)) {
      drop(`${at}.postalCode`, 'a postal code is 3-10 letters, digits, spaces or hyphens (India: 6 digits)');
      postalCode = null;
    }
    let country: string | undefined;
    const c = text(a.country);
    if (c) {
      country = /^[A-Za-z]{2}$/.test(c) ? c.toUpperCase() : countryNames[fold(c)];
      if (!country) drop(`${at}.country`, 'the country must be an ISO 3166 alpha-2 code, e.g. IN');
    }
    address = {
      line: lines.length > 0 ? lines.join(', ') : text(a.text),
      locality: text(a.city),
      district: text(a.district),
      state: text(a.state),
      postalCode,
      ...(country ? { country } : {}),
    };
    if (!address.line && !address.locality && !address.district && !address.state && !address.postalCode) {
      address = null;
    }
  }

  // Marital status: v3-MaritalStatus (and UNK of v3-NullFlavor).
  let maritalStatus: MappedPatient['maritalStatus'] = null;
  if (resource.maritalStatus) {
    sources.set('maritalStatus', 'Patient.maritalStatus');
    const coded = (resource.maritalStatus.coding ?? []).find(
      (c) =>
        (c.system === V3_MARITAL_STATUS || c.system === V3_NULL_FLAVOR) &&
        c.code &&
        maritalStatusOfCode[c.code],
    );
    const byText = Object.keys(maritalStatusCodes).find(
      (k) => k === fold(resource.maritalStatus?.text ?? ''),
    );
    maritalStatus = coded
      ? maritalStatusOfCode[coded.code!]!
      : ((byText as MappedPatient['maritalStatus']) ?? null);
    if (!maritalStatus) {
      drop('Patient.maritalStatus', 'a v3-MaritalStatus code we keep: S, U, M, D, A, W, L (or UNK)');
    }
  }

  // Preferred language.
  const communications = resource.communication ?? [];
  const communication = communications.find((c) => c.preferred) ?? communications[0];
  let preferredLanguage: string | null = null;
  if (communication) {
    sources.set('preferredLanguage', `Patient.communication[${communications.indexOf(communication)}]`);
    const coding = communication.language.coding?.[0];
    const byCode = coding?.code
      ? Object.entries(languageCodes).find(
          ([, code]) => code === coding.code!.split('-')[0]!.toLowerCase(),
        )?.[0]
      : undefined;
    preferredLanguage =
      text(communication.language.text) ??
      text(coding?.display) ??
      (byCode ? byCode[0]!.toUpperCase() + byCode.slice(1) : text(coding?.code));
    if (preferredLanguage && preferredLanguage.length > 40)
      preferredLanguage = preferredLanguage.slice(0, 40);
  }

  // Identifiers. The MRN is ours: never set by a client.
  const identifiers: IdentifierItem[] = [];
  for (const [i, id] of (resource.identifier ?? []).entries()) {
    const at = `Patient.identifier[${i}]`;
    const value = text(id.value);
    if (id.system === MRN_SYSTEM) {
      if (current && value === current.mrn) continue;
      drop(
        `${at}.value`,
        current ? 'the MRN cannot be changed' : 'MRNs are assigned by Newhms; leave this identifier out',
      );
      continue;
    }
    const type = identifierTypeOf(id.system, id.type?.coding ?? []);
    if (!type) {
      drop(
        `${at}.system`,
        `identifiers of system "${(id.system ?? '(none)').slice(0, 80)}" are not kept; the systems kept are ${[
          MRN_SYSTEM,
          ...identifierTypes.map((t) => identifierSystems[t].system),
        ].join(', ')}`,
      );
      continue;
    }
    if (!value) {
      drop(`${at}.value`, 'an identifier needs a value');
      continue;
    }
    const kept = current?.identifiers.find((e) => e.type === type && e.display === value);
    if (kept) {
      if (!identifiers.some((x) => 'id' in x && x.id === kept.id)) identifiers.push({ id: kept.id });
      sources.set(`identifiers.${identifiers.length - 1}`, at);
      continue;
    }
    const normalized = normalizeIdentifier(type, value);
    if (!normalized.ok) {
      drop(
        `${at}.value`,
        value.includes('•')
          ? 'a masked value can only stand for an identifier this record already has'
          : normalized.message,
      );
      continue;
    }
    sources.set(`identifiers.${identifiers.length}`, at);
    identifiers.push({
      type,
      value: normalized.value,
      issuer: text(id.assigner?.display)?.slice(0, 120) ?? null,
    });
  }

  // Contacts: next of kin (v2-0131 N, the default) and emergency contacts (C).
  const contacts: MappedPatient['contacts'] = [];
  for (const [i, c] of (resource.contact ?? []).entries()) {
    const at = `Patient.contact[${i}]`;
    const relationships = c.relationship ?? [];
    const role = relationships.flatMap((r) => r.coding ?? []).find((x) => x.system === V2_CONTACT_ROLE);
    const described = relationships.find((r) => !(r.coding ?? []).some((x) => x.system === V2_CONTACT_ROLE));
    const relationship =
      text(described?.text) ??
      text(described?.coding?.[0]?.display) ??
      text(described?.coding?.[0]?.code) ??
      relationships.map((r) => text(r.text)).find(Boolean) ??
      null;
    const contactName =
      text(c.name?.text) ?? text([...(c.name?.given ?? []), c.name?.family ?? ''].join(' ').trim());
    if (!contactName) {
      drop(`${at}.name`, "the contact's name is needed");
      continue;
    }
    if (!relationship) {
      drop(`${at}.relationship`, 'the relationship to the patient (e.g. husband, mother) is needed as text');
      continue;
    }
    const rawPhone = text(c.telecom?.find((t) => t.system === 'phone' || t.system === 'sms')?.value);
    let phone: string | null = null;
    if (rawPhone) {
      phone = normalizePhone(rawPhone);
      if (!phone) drop(`${at}.telecom`, `"${rawPhone.slice(0, 30)}" is not a phone number we keep`);
    }
    const a = c.address;
    const contactAddress = a
      ? (text(a.text) ?? text([...(a.line ?? []), a.city, a.state, a.postalCode].filter(Boolean).join(', ')))
      : null;
    sources.set(`contacts.${contacts.length}`, at);
    contacts.push({
      kind: role?.code === 'C' ? 'emergency' : 'next-of-kin',
      name: contactName.slice(0, 160),
      relationship: relationship.slice(0, 60),
      phone,
      address: contactAddress?.slice(0, 300) ?? null,
    });
  }

  if (errors.length > 0) throw new FhirError(422, errors, 'FHIR_PATIENT_INVALID');
  return {
    name,
    sex: sex!,
    birthDate,
    birthDateEstimated: birthDate !== null && estimated,
    phones,
    email,
    address,
    preferredLanguage,
    maritalStatus,
    identifiers,
    contacts,
    sources,
    warnings,
  };
}

// Our contract's field names where FHIR names the element differently ('' drops the part).
const fhirNames: Record<string, string> = {
  locality: 'city',
  middle: 'given',
  number: 'value',
  phone: 'telecom',
  birthDate: '',
  age: '',
  years: '',
  months: '',
};
const listElements: Record<string, string> = {
  phones: 'Patient.telecom',
  identifiers: 'Patient.identifier',
  contacts: 'Patient.contact',
};

/** The FHIR element behind an error of our contract, e.g. ["identifiers", 1, "value"] -> Patient.identifier[3].value. */
function expressionOf(sources: Map<string, string>, issuePath: readonly PropertyKey[]): string {
  const parts = issuePath.map(String);
  for (let n = parts.length; n > 0; n--) {
    const source = sources.get(parts.slice(0, n).join('.'));
    if (!source) continue;
    const rest = parts
      .slice(n)
      .filter((p) => !/^\d+$/.test(p))
      .map((p) => fhirNames[p] ?? p)
      .filter(Boolean);
    return [source, ...rest].join('.');
  }
  return listElements[parts[0] ?? ''] ?? 'Patient';
}

function contractErrors(sources: Map<string, string>, error: z.ZodError): FhirError {
  return new FhirError(
    422,
    error.issues.slice(0, 20).map((i) => issueAt(expressionOf(sources, i.path), i.message)),
    'FHIR_PATIENT_INVALID',
  );
}

/** Age in whole years and months on a day: how an estimated birth date is registered. */
function ageOn(birthDate: string, now: Date): { years: number; months: number } {
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
  let months = (now.getUTCFullYear() - y) * 12 + (now.getUTCMonth() + 1 - m) - (now.getUTCDate() < d ? 1 : 0);
  if (months < 0) months = 0;
  return { years: Math.floor(months / 12), months: months % 12 };
}

function birthInput(m: MappedPatient, now: Date) {
  if (!m.birthDate) return null;
  // An estimated date is kept as the age it implies, so that it stays marked as estimated.
  return m.birthDateEstimated ? { age: ageOn(m.birthDate, now) } : { birthDate: m.birthDate };
}

function commonFields(m: MappedPatient) {
  return {
    phones: m.phones,
    email: m.email,
    address: m.address,
    preferredLanguage: m.preferredLanguage,
    maritalStatus: m.maritalStatus,
    contacts: m.contacts,
  };
}

/** The registration body of a mapped FHIR Patient (422 naming the FHIR element when it breaks a rule). */
export function registrationOf(m: MappedPatient, now: Date): z.output<typeof RegisterPatientBody> {
  const parsed = RegisterPatientBody.safeParse({
    name: m.name,
    sex: m.sex,
    birth: birthInput(m, now),
    ...commonFields(m),
    identifiers: m.identifiers.filter((i) => 'type' in i),
  });
  if (!parsed.success) throw contractErrors(m.sources, parsed.error);
  return parsed.data;
}

/**
 * The update body of a mapped FHIR Patient. FHIR update replaces the resource, so what FHIR carries is
 * replaced (an element left out is cleared); what FHIR does not carry (occupation, blood group, consents,
 * allergies, photo) stays as it is. An unchanged name or birth date is not rewritten, so that an
 * unidentified patient stays unidentified and an estimated birth date stays estimated (also when a client
 * dropped the extension).
 */
export function updateOf(
  m: MappedPatient,
  current: PatientView,
  version: number,
  now: Date,
): z.output<typeof UpdatePatientBody> {
  const sameName =
    m.name.given === current.name.given &&
    m.name.middle === current.name.middle &&
    m.name.family === current.name.family;
  const sameBirth = m.birthDate === current.birthDate;
  const parsed = UpdatePatientBody.safeParse({
    ...(sameName ? {} : { name: m.name }),
    sex: m.sex,
    ...(sameBirth ? {} : { birth: birthInput(m, now) }),
    ...commonFields(m),
    identifiers: m.identifiers,
    version,
  });
  if (!parsed.success) throw contractErrors(m.sources, parsed.error);
  return parsed.data;
}
