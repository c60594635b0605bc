import { z } from 'zod';
import { IsoDateTime, Text, Uuid } from './common';

// ---------------------------------------------------------------------------------------------------------
// Value rules shared by the server (validation) and the web app (forms).
// ---------------------------------------------------------------------------------------------------------

export const sexes = ['male', 'female', 'other', 'unknown'] as const;
export const Sex = z.enum(sexes);
export type Sex = z.infer<typeof Sex>;

export const bloodGroups = ['A+', 'A-', 'B+', 'B-', 'AB+', 'AB-', 'O+', 'O-'] as const;
export const BloodGroup = z.enum(bloodGroups);
export type BloodGroup = z.infer<typeof BloodGroup>;

export const maritalStatuses = ['single', 'married', 'divorced', 'widowed', 'separated', 'unknown'] as const;
export const MaritalStatus = z.enum(maritalStatuses);
export type MaritalStatus = z.infer<typeof MaritalStatus>;

// Verhoeff check digit tables (Aadhaar's last digit is a Verhoeff checksum).
const verhoeffD = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
  [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
  [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
  [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
  [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
  [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const verhoeffP = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
  [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
  [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
  [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
  [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
  [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
  [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];

/** True when the digit string's last digit is its Verhoeff check digit. */
export function verhoeffValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let c = 0;
  const reversed = digits.split('').reverse();
  for (let i = 0; i < reversed.length; i++) {
    c = verhoeffD[c]![verhoeffP[i % 8]![Number(reversed[i])]!]!;
  }
  return c === 0;
}

/** The Verhoeff check digit to append to a digit string (used by tests and the demo data). */
export function verhoeffCheckDigit(digits: string): string {
  for (let d = 0; d <= 9; d++) if (verhoeffValid(`${digits}${d}`)) return String(d);
  throw new Error('unreachable');
}

export const identifierTypes = [
  'abha-number',
  'abha-address',
  'aadhaar',
  'passport',
  'voter-id',
  'driving-licence',
  'insurance-member',
  'temporary',
] as const;
export const IdentifierType = z.enum(identifierTypes);
export type IdentifierType = z.infer<typeof IdentifierType>;

/** National ids: encrypted at rest, shown masked (last four characters), found by a keyed hash. */
export const nationalIdentifierTypes: readonly IdentifierType[] = [
  'abha-number',
  'aadhaar',
  'passport',
  'voter-id',
  'driving-licence',
];

export const identifierLabels: Record<IdentifierType, string> = {
  'abha-number': 'ABHA number',
  'abha-address': 'ABHA address',
  aadhaar: 'Aadhaar',
  passport: 'Passport',
  'voter-id': 'Voter ID (EPIC)',
  'driving-licence': 'Driving licence',
  'insurance-member': 'Insurance member ID',
  temporary: 'Temporary ID',
};

/**
 * Puts an identifier into its canonical stored form (digits without spaces, upper case), or answers why it
 * is not valid. The same function validates the web form and the API.
 */
export function normalizeIdentifier(
  type: IdentifierType,
  raw: string,
): { ok: true; value: string } | { ok: false; message: string } {
  const v = raw.trim();
  switch (type) {
    case 'aadhaar': {
      const d = v.replace(/[\s-]/g, '');
      if (!/^[2-9]\d{11}$/.test(d))
        return { ok: false, message: 'an Aadhaar number is 12 digits, not starting with 0 or 1' };
      if (!verhoeffValid(d)) return { ok: false, message: 'the Aadhaar check digit does not match' };
      return { ok: true, value: d };
    }
    case 'abha-number': {
      const d = v.replace(/[\s-]/g, '');
      if (!/^\d{14}$/.test(d))
        return { ok: false, message: 'an ABHA number is 14 digits (e.g. 91-1234-5678-9012)' };
      return { ok: true, value: d };
    }
    case 'abha-address': {
      const a = v.toLowerCase();
      if (!/^[a-z0-9]+([._][a-z0-9]+)?@(abdm|sbx)$/.test(a) || a.split('@')[0]!.length < 4)
        return { ok: false, message: 'an ABHA address looks like name.1990@abdm' };
      return { ok: true, value: a };
    }
    case 'passport': {
      const p = v.toUpperCase().replace(/\s/g, '');
      if (!/^[A-Z][0-9]{7}$|^[A-Z0-9]{6,12}$/.test(p))
        return {
          ok: false,
          message: 'a passport number is 6-12 letters or digits (India: a letter and 7 digits)',
        };
      return { ok: true, value: p };
    }
    case 'voter-id': {
      const e = v.toUpperCase().replace(/\s/g, '');
      if (!/^[A-Z]{3}[0-9]{7}$/.test(e))
        return { ok: false, message: 'an EPIC number is 3 letters and 7 digits' };
      return { ok: true, value: e };
    }
    case 'driving-licence': {
      const l = v.toUpperCase().replace(/[\s-]/g, '');
      if (!/^[A-Z]{2}[0-9]{2}[0-9A-Z]{7,12}$/.test(l))
        return {
          ok: false,
          message: 'a driving licence number starts with the state code, e.g. KA0120230001234',
        };
      return { ok: true, value: l };
    }
    case 'insurance-member':
    case 'temporary': {
      const t = v.replace(/\s+/g, ' ');
      if (t.length < 2 || t.length > 40) return { ok: false, message: 'between 2 and 40 characters' };
      return { ok: true, value: t };
    }
  }
}

/** A mobile number in E.164 (+919812345678); a bare 10-digit Indian mobile (6-9 first) gets +91. */
export function normalizePhone(raw: string): string | null {
  const s = raw.trim().replace(/[\s()-]/g, '');
  if (/^[6-9]\d{9}$/.test(s)) return `+91${s}`;
  if (/^0[6-9]\d{9}$/.test(s)) return `+91${s.slice(1)}`;
  if (/^\+91[6-9]\d{9}$/.test(s)) return s;
  if (/^91[6-9]\d{9}$/.test(s)) return `+${s}`;
  if (/^\+(?!91)[1-9]\d{7,14}$/.test(s)) return s;
  return null;
}

export const Phone = z
  .string()
  .max(20)
  .transform((v, ctx) => {
    const n = normalizePhone(v);
    if (!n) {
      ctx.addIssue({ code: 'custom', message: 'a mobile number: 10 digits starting 6-9, or +country code' });
      return z.NEVER;
    }
    return n;
  });

/** A calendar date YYYY-MM-DD that exists, is not in the future and not before 1890. */
export const PastDate = z.iso.date().refine((d) => {
  const t = Date.parse(`${d}T00:00:00Z`);
  return t <= Date.now() + 14 * 3600_000 && d >= '1890-01-01';
}, 'a date between 1890 and today');

// ---------------------------------------------------------------------------------------------------------
// Registration
// ---------------------------------------------------------------------------------------------------------

const optional = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((v) => (v === '' ? null : v))
    .nullable()
    .optional();

export const PatientName = z
  .object({
    given: optional(80),
    middle: optional(80),
    family: optional(80),
  })
  .refine((n) => !!(n.given || n.family), { message: 'a given or a family name is needed', path: ['given'] });

export const PatientAddress = z.object({
  line: optional(300),
  locality: optional(120),
  district: optional(120),
  state: optional(120),
  postalCode: z
    .string()
    .trim()
    .regex(/^[0-9A-Za-z -]{3,10}$/, 'a postal code (India: 6 digits)')
    .nullable()
    .optional(),
  country: z
    .string()
    .regex(/^[A-Z]{2}$/, 'an ISO 3166 alpha-2 code')
    .default('IN'),
});

export const PhoneInput = z.object({
  number: Phone,
  kind: z.enum(['mobile', 'home', 'work']).default('mobile'),
});

export const IdentifierInput = z
  .object({ type: IdentifierType, value: z.string().max(60), issuer: optional(120) })
  .transform((v, ctx) => {
    const n = normalizeIdentifier(v.type, v.value);
    if (!n.ok) {
      ctx.addIssue({ code: 'custom', message: n.message, path: ['value'] });
      return z.NEVER;
    }
    return { ...v, value: n.value };
  });
export type IdentifierInput = z.input<typeof IdentifierInput>;

export const ContactInput = z.object({
  kind: z.enum(['next-of-kin', 'emergency']),
  name: Text(160),
  relationship: Text(60),
  phone: Phone.nullable().optional(),
  address: optional(300),
});

export const consentKinds = ['sms', 'email', 'whatsapp', 'data-sharing'] as const;
export const ConsentKind = z.enum(consentKinds);
export type ConsentKind = z.infer<typeof ConsentKind>;
export const ConsentInput = z.object({ kind: ConsentKind, granted: z.boolean() });

/** Date of birth when known, otherwise age in years and months (stored as an estimated birth date). */
export const BirthInput = z.union([
  z.object({ birthDate: PastDate }),
  z.object({
    age: z.object({
      years: z.number().int().min(0).max(130),
      months: z.number().int().min(0).max(11).default(0),
    }),
  }),
]);

export const PatientFields = z.object({
  name: PatientName,
  sex: Sex,
  birth: BirthInput.nullable().optional(),
  phones: z.array(PhoneInput).max(5).default([]),
  email: z.email().max(200).nullable().optional(),
  address: PatientAddress.nullable().optional(),
  preferredLanguage: optional(40),
  maritalStatus: MaritalStatus.nullable().optional(),
  occupation: optional(100),
  bloodGroup: BloodGroup.nullable().optional(),
  identifiers: z.array(IdentifierInput).max(10).default([]),
  contacts: z.array(ContactInput).max(10).default([]),
  consents: z.array(ConsentInput).max(10).default([]),
});
export type PatientFields = z.input<typeof PatientFields>;

export const RegisterPatientBody = PatientFields.extend({
  /** Set when the clerk registers despite the duplicates the server found; kept with the record. */
  duplicateOverride: z.object({ reason: Text(300), candidateIds: z.array(Uuid).max(20) }).optional(),
});
export type RegisterPatientBody = z.input<typeof RegisterPatientBody>;

/**
 * A partial update. Lists given replace the current ones; in `identifiers` an item `{ id }` keeps an
 * existing identifier as it is (its value is never sent back to clients), new ones come with type and value.
 */
export const UpdatePatientBody = PatientFields.partial().extend({
  // Lists without defaults: a PATCH that leaves a list out keeps it as it is.
  phones: z.array(PhoneInput).max(5).optional(),
  contacts: z.array(ContactInput).max(10).optional(),
  consents: z.array(ConsentInput).max(10).optional(),
  identifiers: z
    .array(z.union([z.object({ id: Uuid }).strict(), IdentifierInput]))
    .max(10)
    .optional(),
  version: z.number().int().min(1),
});
export type UpdatePatientBody = z.input<typeof UpdatePatientBody>;

/** Quick registration of an unknown patient in an emergency. */
export const RegisterUnknownBody = z.object({
  sex: Sex,
  approximateAge: z.number().int().min(0).max(120).nullable().optional(),
  note: optional(300),
});

// ---------------------------------------------------------------------------------------------------------
// The record
// ---------------------------------------------------------------------------------------------------------

export const Identifier = z.object({
  id: Uuid,
  type: IdentifierType,
  /** Masked for national ids (last four characters), in full for the others. */
  display: z.string(),
  issuer: z.string().nullable(),
});

export const Contact = z.object({
  id: Uuid,
  kind: z.enum(['next-of-kin', 'emergency']),
  name: z.string(),
  relationship: z.string(),
  phone: z.string().nullable(),
  address: z.string().nullable(),
});

export const Consent = z.object({
  kind: ConsentKind,
  granted: z.boolean(),
  recordedAt: IsoDateTime,
  recordedBy: z.string(),
});

export const allergyCategories = ['drug', 'food', 'environment', 'other'] as const;
export const allergySeverities = ['mild', 'moderate', 'severe'] as const;
export const allergyStatuses = ['active', 'inactive', 'resolved', 'entered-in-error'] as const;
/** not-recorded: nobody asked yet; none-known: asked, "no known allergies"; recorded: at least one active. */
export const allergyStates = ['not-recorded', 'none-known', 'recorded'] as const;
export const AllergyState = z.enum(allergyStates);
export type AllergyState = z.infer<typeof AllergyState>;

export const Allergy = z.object({
  id: Uuid,
  category: z.enum(allergyCategories),
  substance: z.string(),
  /** Code of the substance where known (e.g. a drug class or formulary code, later from pharmacy). */
  code: z.string().nullable(),
  reaction: z.string().nullable(),
  severity: z.enum(allergySeverities),
  status: z.enum(allergyStatuses),
  note: z.string().nullable(),
  recordedBy: z.string(),
  recordedAt: IsoDateTime,
  version: z.number().int(),
});
export type Allergy = z.infer<typeof Allergy>;
export const AllergyInput = z.object({
  category: z.enum(allergyCategories),
  substance: Text(120),
  code: optional(60),
  reaction: optional(200),
  severity: z.enum(allergySeverities),
  note: optional(500),
});
export const AllergyUpdate = z.object({
  status: z.enum(allergyStatuses),
  reason: Text(300),
  version: z.number().int().min(1),
});

export const alertKinds = [
  'fall-risk',
  'infection-control',
  'violence-risk',
  'dnr',
  'vip',
  'medico-legal',
  'language-barrier',
  'other',
] as const;
export const PatientAlert = z.object({
  id: Uuid,
  kind: z.enum(alertKinds),
  text: z.string(),
  severity: z.enum(['info', 'warning', 'high']),
  status: z.enum(['active', 'inactive', 'entered-in-error']),
  recordedBy: z.string(),
  recordedAt: IsoDateTime,
  version: z.number().int(),
});
export type PatientAlert = z.infer<typeof PatientAlert>;
export const AlertInput = z.object({
  kind: z.enum(alertKinds),
  text: Text(300),
  severity: z.enum(['info', 'warning', 'high']).default('warning'),
});
export const AlertUpdate = z.object({
  status: z.enum(['active', 'inactive', 'entered-in-error']),
  reason: Text(300),
  version: z.number().int().min(1),
});

export const patientStatuses = ['active', 'merged', 'inactive'] as const;

export const Patient = z
  .object({
    id: Uuid,
    mrn: z.string(),
    status: z.enum(patientStatuses),
    /** When status is merged: the record that survived; clients follow it. */
    mergedIntoId: Uuid.nullable(),
    name: z.object({
      given: z.string().nullable(),
      middle: z.string().nullable(),
      family: z.string().nullable(),
    }),
    displayName: z.string(),
    sex: Sex,
    birthDate: z.string().nullable(),
    birthDateEstimated: z.boolean(),
    /** Age as people say it: "34 y", "8 m", "12 d"; null when the birth date is unknown. */
    age: z.string().nullable(),
    phones: z.array(z.object({ number: z.string(), kind: z.enum(['mobile', 'home', 'work']) })),
    email: z.string().nullable(),
    address: z
      .object({
        line: z.string().nullable(),
        locality: z.string().nullable(),
        district: z.string().nullable(),
        state: z.string().nullable(),
        postalCode: z.string().nullable(),
        country: z.string(),
      })
      .nullable(),
    preferredLanguage: z.string().nullable(),
    maritalStatus: MaritalStatus.nullable(),
    occupation: z.string().nullable(),
    bloodGroup: BloodGroup.nullable(),
    hasPhoto: z.boolean(),
    unidentified: z.boolean(),
    identifiers: z.array(Identifier),
    contacts: z.array(Contact),
    consents: z.array(Consent),
    allergyState: AllergyState,
    allergies: z.array(Allergy),
    alerts: z.array(PatientAlert),
    registeredFacilityId: Uuid,
    registeredAt: IsoDateTime,
    lastVisitAt: IsoDateTime.nullable(),
    duplicateReason: z.string().nullable(),
    version: z.number().int(),
    updatedAt: IsoDateTime,
  })
  .meta({ id: 'Patient' });
export type Patient = z.infer<typeof Patient>;

/** What a search result or a duplicate candidate shows: enough to tell two people apart. */
export const PatientSummary = z
  .object({
    id: Uuid,
    mrn: z.string(),
    displayName: z.string(),
    sex: Sex,
    birthDate: z.string().nullable(),
    birthDateEstimated: z.boolean(),
    age: z.string().nullable(),
    /** Last four digits of the first phone, e.g. "••••••3210". */
    phoneEnding: z.string().nullable(),
    locality: z.string().nullable(),
    lastVisitAt: IsoDateTime.nullable(),
    status: z.enum(patientStatuses),
    unidentified: z.boolean(),
  })
  .meta({ id: 'PatientSummary' });
export type PatientSummary = z.infer<typeof PatientSummary>;

export const PatientSearchQuery = z.object({
  q: z.string().trim().min(1).max(100),
  birthYear: z.coerce.number().int().min(1890).max(2100).optional(),
  sex: Sex.optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
  /** 'true' also lists merged (inactive) records; anything else is refused (z.coerce.boolean read 'false' as true). */
  includeMerged: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .default(false),
});
export type PatientSearchQuery = z.input<typeof PatientSearchQuery>;

export const matchKinds = ['mrn', 'phone', 'identifier', 'name', 'phonetic'] as const;
export const PatientSearchResult = PatientSummary.extend({
  score: z.number(),
  matchedOn: z.array(z.enum(matchKinds)),
});
export const PatientSearchResponse = z.object({ items: z.array(PatientSearchResult) });

/** Duplicate candidates for what is being typed at registration. */
export const MatchBody = PatientFields.partial().extend({ name: PatientName });
export const DuplicateCandidate = PatientSummary.extend({
  score: z.number().min(0).max(1),
  reasons: z.array(z.string()),
});
export type DuplicateCandidate = z.infer<typeof DuplicateCandidate>;
export const MatchResponse = z.object({ candidates: z.array(DuplicateCandidate) });

// ---------------------------------------------------------------------------------------------------------
// Duplicates and merges
// ---------------------------------------------------------------------------------------------------------

export const DuplicateReview = z.object({
  id: Uuid,
  patientA: PatientSummary,
  patientB: PatientSummary,
  score: z.number(),
  reasons: z.array(z.string()),
  source: z.enum(['registration-override', 'scan', 'manual']),
  status: z.enum(['open', 'merged', 'not-duplicate']),
  note: z.string().nullable(),
  createdAt: IsoDateTime,
  resolvedAt: IsoDateTime.nullable(),
  resolvedBy: z.string().nullable(),
});
export const DuplicateReviewList = z.object({
  items: z.array(DuplicateReview),
  nextCursor: z.string().nullable(),
});
export const ResolveDuplicateBody = z.object({ status: z.literal('not-duplicate'), note: Text(300) });

export const MergeBody = z.object({
  survivorId: Uuid,
  mergedId: Uuid,
  reason: Text(300),
  reviewId: Uuid.optional(),
});
export const Merge = z.object({
  id: Uuid,
  survivor: PatientSummary,
  merged: PatientSummary,
  reason: z.string(),
  mergedBy: z.string(),
  mergedAt: IsoDateTime,
  /** What moved from the merged record to the survivor. */
  moved: z.record(z.string(), z.number().int()),
});
export const MergeList = z.object({ items: z.array(Merge), nextCursor: z.string().nullable() });

export const PatientChange = z.object({
  version: z.number().int(),
  changedAt: IsoDateTime,
  changedBy: z.string(),
  action: z.string(),
  /** Field paths that changed in this version, e.g. ["address.locality", "phones"]. */
  fields: z.array(z.string()),
  reason: z.string().nullable(),
});
export const PatientHistory = z.object({ items: z.array(PatientChange) });

export const MrnFormat = z.object({
  facilityId: Uuid,
  /** Tokens: {FACILITY} facility code, {YYYY} year, {YY}, {SEQ:n} zero-padded sequence. */
  format: z
    .string()
    .max(60)
    .regex(/\{SEQ(:\d)?\}/, 'must contain {SEQ} or {SEQ:n}'),
  example: z.string(),
  version: z.number().int(),
});
export const MrnFormatBody = z.object({ format: MrnFormat.shape.format, version: z.number().int().min(1) });

export const patientPermissions = [
  'patients:read',
  'patients:register',
  'patients:update',
  'patients:merge',
  'patients:manage-allergies',
  'patients:configure',
] as const;

/** Age as the desk says it: "34 y" from two years on, "8 m" under two years, "12 d" under a month. */
export function ageLabel(birthDate: string | null, now: Date = new Date()): string | null {
  if (!birthDate) return null;
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
  const ny = now.getUTCFullYear();
  const nm = now.getUTCMonth() + 1;
  const nd = now.getUTCDate();
  let months = (ny - y) * 12 + (nm - m) - (nd < d ? 1 : 0);
  if (months < 0) months = 0;
  if (months >= 24) return `${Math.floor(months / 12)} y`;
  if (months >= 1) return `${months} m`;
  const days = Math.max(0, Math.floor((Date.UTC(ny, nm - 1, nd) - Date.UTC(y, m - 1, d)) / 86_400_000));
  return `${days} d`;
}
