import {
  type bloodGroups,
  consentKinds,
  type IdentifierType,
  type MatchBody,
  type maritalStatuses,
  normalizeIdentifier,
  normalizePhone,
  PastDate,
  type Patient,
  type PatientFields,
  RegisterPatientBody,
  type Sex,
} from '@newhms/contracts';
import type { z } from 'zod';
import { type FieldErrors, validateForm } from '../../ui/form-validation';

type PhoneKind = 'mobile' | 'home' | 'work';
type BloodGroup = (typeof bloodGroups)[number];
type MaritalStatus = (typeof maritalStatuses)[number];
export type ConsentKind = (typeof consentKinds)[number];
type ContactKind = 'next-of-kin' | 'emergency';

export type PhoneRow = { number: string; kind: PhoneKind };
export type IdentifierRow = { type: IdentifierType; value: string; issuer: string };
export type ContactRow = {
  kind: ContactKind;
  name: string;
  relationship: string;
  phone: string;
  address: string;
};

/** What the demographics part of the form holds: strings as typed, '' for nothing chosen. */
export type DemographicValues = {
  given: string;
  middle: string;
  family: string;
  sex: Sex | '';
  birthMode: 'date' | 'age';
  birthDate: string;
  ageYears: string;
  ageMonths: string;
  /** Set once the birth fields were edited (an edit keeps an estimated birth date unless it was changed). */
  birthChanged: boolean;
  phones: PhoneRow[];
  email: string;
  line: string;
  locality: string;
  district: string;
  state: string;
  postalCode: string;
  country: string;
  preferredLanguage: string;
  maritalStatus: MaritalStatus | '';
  occupation: string;
  bloodGroup: BloodGroup | '';
};

export type RegistrationValues = DemographicValues & {
  identifiers: IdentifierRow[];
  contacts: ContactRow[];
  consents: Record<ConsentKind, boolean>;
};

export const emptyPhone = (): PhoneRow => ({ number: '', kind: 'mobile' });
export const emptyIdentifier = (): IdentifierRow => ({ type: 'aadhaar', value: '', issuer: '' });
export const emptyContact = (kind: ContactKind = 'next-of-kin'): ContactRow => ({
  kind,
  name: '',
  relationship: '',
  phone: '',
  address: '',
});

export function emptyRegistration(): RegistrationValues {
  return {
    given: '',
    middle: '',
    family: '',
    sex: '',
    birthMode: 'date',
    birthDate: '',
    ageYears: '',
    ageMonths: '',
    birthChanged: false,
    phones: [emptyPhone()],
    email: '',
    line: '',
    locality: '',
    district: '',
    state: '',
    postalCode: '',
    country: 'IN',
    preferredLanguage: '',
    maritalStatus: '',
    occupation: '',
    bloodGroup: '',
    identifiers: [],
    contacts: [],
    consents: Object.fromEntries(consentKinds.map((k) => [k, false])) as Record<ConsentKind, boolean>,
  };
}

export function demographicsFromPatient(p: Patient): DemographicValues {
  return {
    given: p.name.given ?? '',
    middle: p.name.middle ?? '',
    family: p.name.family ?? '',
    sex: p.sex,
    birthMode: 'date',
    birthDate: p.birthDate ?? '',
    ageYears: '',
    ageMonths: '',
    birthChanged: false,
    phones: p.phones.length > 0 ? p.phones.map((ph) => ({ ...ph })) : [emptyPhone()],
    email: p.email ?? '',
    line: p.address?.line ?? '',
    locality: p.address?.locality ?? '',
    district: p.address?.district ?? '',
    state: p.address?.state ?? '',
    postalCode: p.address?.postalCode ?? '',
    country: p.address?.country ?? 'IN',
    preferredLanguage: p.preferredLanguage ?? '',
    maritalStatus: p.maritalStatus ?? '',
    occupation: p.occupation ?? '',
    bloodGroup: p.bloodGroup ?? '',
  };
}

export function contactsFromPatient(p: Patient): ContactRow[] {
  return p.contacts.map((c) => ({
    kind: c.kind,
    name: c.name,
    relationship: c.relationship,
    phone: c.phone ?? '',
    address: c.address ?? '',
  }));
}

const blank = (v: string) => v.trim() === '';
const orNull = (v: string) => (blank(v) ? null : v.trim());

type BirthInput = NonNullable<PatientFields['birth']>;

/** The birth as the API takes it (null when unknown), or the field errors of what was typed. */
export function birthOf(v: DemographicValues): { birth: BirthInput | null } | { errors: FieldErrors } {
  if (v.birthMode === 'date') {
    if (blank(v.birthDate)) return { birth: null };
    const ok = PastDate.safeParse(v.birthDate);
    return ok.success
      ? { birth: { birthDate: v.birthDate } }
      : { errors: { 'birth.birthDate': 'a date between 1890 and today' } };
  }
  if (blank(v.ageYears) && blank(v.ageMonths)) return { birth: null };
  const years = blank(v.ageYears) ? 0 : Number(v.ageYears);
  const months = blank(v.ageMonths) ? 0 : Number(v.ageMonths);
  const errors: FieldErrors = {};
  if (!Number.isInteger(years) || years < 0 || years > 130) errors['birth.age.years'] = 'years, 0 to 130';
  if (!Number.isInteger(months) || months < 0 || months > 11) errors['birth.age.months'] = 'months, 0 to 11';
  return Object.keys(errors).length > 0 ? { errors } : { birth: { age: { years, months } } };
}

/** Which form row each item sent stands for, when empty rows are left out. */
type RowMap = Record<string, number[]>;

function compact<T>(rows: T[], isEmpty: (row: T) => boolean): { items: T[]; rows: number[] } {
  const items: T[] = [];
  const indexes: number[] = [];
  rows.forEach((row, i) => {
    if (!isEmpty(row)) {
      items.push(row);
      indexes.push(i);
    }
  });
  return { items, rows: indexes };
}

/** Error paths of what was sent (phones.1.number) as paths of the form's rows (phones.2.number). */
export function toFormPaths(errors: FieldErrors, map: RowMap): FieldErrors {
  const out: FieldErrors = {};
  for (const [key, message] of Object.entries(errors)) {
    const m = /^(\w+)\.(\d+)(\..*)?$/.exec(key);
    const rows = m ? map[m[1] as string] : undefined;
    const formIndex = m && rows ? rows[Number(m[2])] : undefined;
    out[formIndex !== undefined && m ? `${m[1]}.${formIndex}${m[3] ?? ''}` : key] = message;
  }
  return out;
}

type DemographicBody = Omit<PatientFields, 'identifiers' | 'contacts' | 'consents'>;

/** The demographics as the API takes them; `birth` only when known (or changed, for an edit). */
export function demographicsBody(v: DemographicValues, birth: BirthInput | null, forEdit: boolean) {
  const phones = compact(v.phones, (p) => blank(p.number));
  const anyAddress = [v.line, v.locality, v.district, v.state, v.postalCode].some((x) => !blank(x));
  const body: DemographicBody = {
    name: { given: orNull(v.given), middle: orNull(v.middle), family: orNull(v.family) },
    sex: v.sex as Sex,
    ...(!forEdit || v.birthChanged ? { birth } : {}),
    phones: phones.items.map((p) => ({ number: p.number.trim(), kind: p.kind })),
    email: orNull(v.email),
    address: anyAddress
      ? {
          line: orNull(v.line),
          locality: orNull(v.locality),
          district: orNull(v.district),
          state: orNull(v.state),
          postalCode: orNull(v.postalCode),
          country: v.country.trim().toUpperCase() || 'IN',
        }
      : null,
    preferredLanguage: orNull(v.preferredLanguage),
    maritalStatus: v.maritalStatus || null,
    occupation: orNull(v.occupation),
    bloodGroup: v.bloodGroup || null,
  };
  return { body, rows: { phones: phones.rows } satisfies RowMap };
}

export function contactInputs(rows: ContactRow[]) {
  const contacts = compact(rows, (c) => blank(c.name) && blank(c.phone) && blank(c.relationship));
  return {
    contacts: contacts.items.map((c) => ({
      kind: c.kind,
      name: c.name.trim(),
      relationship: c.relationship.trim(),
      phone: orNull(c.phone),
      address: orNull(c.address),
    })),
    rows: contacts.rows,
  };
}

export type PreparedRegistration =
  | { ok: true; body: RegisterPatientBody; rows: RowMap }
  | { ok: false; errors: FieldErrors };

/** Checks the form with the contract's own schema and builds the registration body. */
export function prepareRegistration(v: RegistrationValues): PreparedRegistration {
  const birth = birthOf(v);
  const { body: demographics, rows: demographicRows } = demographicsBody(
    v,
    'birth' in birth ? birth.birth : null,
    false,
  );
  const identifiers = compact(v.identifiers, (i) => blank(i.value));
  const contacts = contactInputs(v.contacts);
  const rows: RowMap = { ...demographicRows, identifiers: identifiers.rows, contacts: contacts.rows };
  const body: RegisterPatientBody = {
    ...demographics,
    identifiers: identifiers.items.map((i) => ({ type: i.type, value: i.value, issuer: orNull(i.issuer) })),
    contacts: contacts.contacts,
    consents: consentKinds.map((kind) => ({ kind, granted: v.consents[kind] === true })),
  };
  const checked = validateForm(RegisterPatientBody, body);
  const errors: FieldErrors = {
    ...('errors' in birth ? birth.errors : {}),
    ...(checked.ok ? {} : toFormPaths(checked.errors, rows)),
  };
  if (!v.sex) errors.sex = 'choose the sex (Unknown when it cannot be told)';
  else if (errors.sex) errors.sex = 'choose the sex';
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  // The parsed body carries the canonical identifiers and phones (+91…), as the server will store them.
  return { ok: true, body: checked.ok ? (checked.data as RegisterPatientBody) : body, rows };
}

/** The part of the form worth a duplicate check: a name and whatever valid detail is there; null if too little. */
export function matchBodyOf(v: RegistrationValues): z.input<typeof MatchBody> | null {
  const given = v.given.trim();
  const family = v.family.trim();
  if ((given + family).length < 2) return null;
  const birth = birthOf(v);
  const phones = v.phones.flatMap((p) => {
    const n = normalizePhone(p.number);
    return n ? [{ number: n, kind: p.kind }] : [];
  });
  const identifiers = v.identifiers.flatMap((i) => {
    const n = normalizeIdentifier(i.type, i.value);
    return n.ok ? [{ type: i.type, value: n.value }] : [];
  });
  return {
    name: { given: given || null, middle: orNull(v.middle), family: family || null },
    ...(v.sex ? { sex: v.sex } : {}),
    ...('birth' in birth && birth.birth ? { birth: birth.birth } : {}),
    ...(phones.length > 0 ? { phones } : {}),
    ...(identifiers.length > 0 ? { identifiers } : {}),
  };
}

/**
 * The lists of the record as an update takes them. An update names them even when only another field changed,
 * because the contract's defaults turn a missing list into an empty one.
 */
export function currentLists(p: Patient) {
  return {
    phones: p.phones.map((ph) => ({ number: ph.number, kind: ph.kind })),
    contacts: contactInputs(contactsFromPatient(p)).contacts,
    consents: p.consents.map((c) => ({ kind: c.kind, granted: c.granted })),
  };
}
