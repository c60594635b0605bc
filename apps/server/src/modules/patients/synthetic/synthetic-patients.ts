import {
  type bloodGroups,
  type IdentifierType,
  normalizeIdentifier,
  normalizePhone,
  type RegisterPatientBody,
  verhoeffCheckDigit,
} from '@newhms/contracts';
import type { FieldCipher } from '../../../platform/crypto/field-cipher';
import { newId } from '../../../platform/db/ids';
import { displayNameOf, normalizeName, phoneticKeys } from '../names';
import { birthOf, maskIdentifier } from '../patients.service';
import type { patientIdentifiers, patientPhones, patients } from '../patients.tables';
import { type Community, communities, initials } from './communities';
import { type District, districtsByState, type State, streetNames } from './places';
import { createRandom, type Random, type Weighted, weightedPicker } from './random';
import { sometimesRespelt } from './spelling';

/**
 * Synthetic Indian patients for the demo hospital, tests and benchmarks: deterministic from a seed, with
 * the naming conventions of each region and community, spelling variants, households that share a family
 * name, an address and often one mobile number, a hospital's age mix (more children and elderly people),
 * some ages known only roughly, and national ids with valid check digits. Nobody here is a real person.
 */

type BloodGroup = (typeof bloodGroups)[number];

export type Catchment = 'india' | 'bengaluru';

export type SyntheticPatient = {
  /** Position in the sequence of this seed. */
  index: number;
  community: string;
  household: number;
  name: { given: string | null; middle: string | null; family: string | null };
  sex: 'male' | 'female' | 'other';
  /** Age in whole years on the generator's `now`. */
  age: number;
  birth: { birthDate: string } | { age: { years: number; months: number } } | null;
  /** Ten-digit Indian mobile numbers, the first one primary; family members often share one. */
  phones: string[];
  address: {
    line: string;
    locality: string;
    district: string;
    state: string;
    postalCode: string;
    country: 'IN';
  };
  email: string | null;
  preferredLanguage: string | null;
  maritalStatus: 'single' | 'married' | 'widowed' | 'divorced' | null;
  occupation: string | null;
  bloodGroup: BloodGroup | null;
  aadhaar: string | null;
  abhaNumber: string | null;
  abhaAddress: string | null;
  contact: { name: string; relationship: string; phone: string } | null;
  consents: { kind: 'sms' | 'whatsapp'; granted: boolean }[];
  registeredAt: Date;
  lastVisitAt: Date | null;
};

export type GeneratorOptions = {
  seed: number;
  /** india: each community in its home states; bengaluru: the catchment of a Bengaluru hospital. */
  catchment?: Catchment;
  /** The day ages are counted from; registrations spread over the `years` before it. */
  now?: Date;
  years?: number;
};

const communityMix: Record<Catchment, Weighted<string>> = {
  india: [
    ['hindi-belt', 30],
    ['punjabi', 3],
    ['sikh', 2.5],
    ['kannada', 5],
    ['tamil', 7],
    ['telugu', 8],
    ['malayali', 3],
    ['kerala-christian', 1.5],
    ['marathi', 8],
    ['gujarati', 5],
    ['bengali', 8],
    ['odia', 3.5],
    ['assamese', 2.5],
    ['muslim', 14],
    ['goan-mangalorean-christian', 1],
  ],
  bengaluru: [
    ['kannada', 34],
    ['tamil', 12],
    ['telugu', 13],
    ['malayali', 6],
    ['kerala-christian', 2],
    ['hindi-belt', 8],
    ['punjabi', 1],
    ['sikh', 0.5],
    ['marathi', 2],
    ['gujarati', 1.5],
    ['bengali', 3],
    ['odia', 1.5],
    ['assamese', 1],
    ['muslim', 13],
    ['goan-mangalorean-christian', 3],
  ],
};

// A hospital sees more infants, children and old people than the population has.
const ageBands = weightedPicker<readonly [number, number]>([
  [[0, 0], 6],
  [[1, 4], 7],
  [[5, 12], 8],
  [[13, 17], 5],
  [[18, 29], 14],
  [[30, 44], 17],
  [[45, 59], 18],
  [[60, 74], 17],
  [[75, 95], 8],
]);

// Approximate ABO/Rh shares reported for Indian blood donors: B+ and O+ lead, Rh-negative about 6%.
const bloodGroupOf = weightedPicker<BloodGroup>([
  ['B+', 32],
  ['O+', 30],
  ['A+', 22],
  ['AB+', 8],
  ['O-', 2.2],
  ['B-', 2.2],
  ['A-', 1.6],
  ['AB-', 0.6],
]);

const householdSize = weightedPicker([
  [1, 45],
  [2, 25],
  [3, 17],
  [4, 9],
  [5, 4],
] as const);

const mobileFirstDigit = weightedPicker([
  ['9', 40],
  ['8', 25],
  ['7', 25],
  ['6', 10],
] as const);

const occupations = [
  'Farmer',
  'Homemaker',
  'Teacher',
  'Driver',
  'Shopkeeper',
  'Software engineer',
  'Labourer',
  'Business',
  'Nurse',
  'Clerk',
  'Electrician',
  'Tailor',
  'Police constable',
  'Accountant',
  'Daily wage worker',
  'Security guard',
  'Mechanic',
  'Government employee',
  'Auto-rickshaw driver',
  'Construction worker',
] as const;

const womenFamilyNames = ['Begum', 'Khatoon', 'Bano'] as const;
const mohammed = ['Mohammed', 'Mohammad', 'Muhammad', 'Md.', 'Mohd'] as const;

type Household = {
  id: number;
  community: Community;
  family: string;
  /** The initial (house name or father's name) that members write before the given name. */
  initial: string;
  father: string | null;
  address: SyntheticPatient['address'];
  phone: string;
  remaining: number;
};

/** An endless, reproducible sequence of synthetic patients. */
export function* syntheticPatients(options: GeneratorOptions): Generator<SyntheticPatient> {
  const random = createRandom(options.seed);
  const catchment = options.catchment ?? 'india';
  const now = options.now ?? new Date();
  const years = options.years ?? 8;
  const byId = new Map(communities.map((c) => [c.id, c]));
  const pickCommunity = weightedPicker(communityMix[catchment].map(([id, w]) => [byId.get(id)!, w] as const));
  const pickers = new Map(
    communities.map((c) => [
      c.id,
      {
        family: weightedPicker(c.family),
        state: weightedPicker(c.homeStates),
        maleMiddle: c.middles?.male ? weightedPicker(c.middles.male) : null,
        femaleMiddle: c.middles?.female ? weightedPicker(c.middles.female) : null,
      },
    ]),
  );
  let household: Household | null = null;
  let households = 0;
  for (let index = 0; ; index++) {
    if (!household || household.remaining === 0) {
      const community = pickCommunity(random);
      const p = pickers.get(community.id)!;
      household = {
        id: households++,
        community,
        family: sometimesRespelt(p.family(random), random, 0.15),
        initial: random.pick(initials),
        father: community.fathers ? random.pick(community.fathers) : null,
        address: addressFor(random, community, p.state(random), catchment),
        phone: mobile(random),
        remaining: householdSize(random),
      };
    }
    household.remaining -= 1;
    yield person(random, index, household, pickers.get(household.community.id)!, now, years);
  }
}

/** The first `count` patients of a seed. */
export function generatePatients(count: number, options: GeneratorOptions): SyntheticPatient[] {
  const out: SyntheticPatient[] = [];
  for (const p of syntheticPatients(options)) {
    if (out.length >= count) break;
    out.push(p);
  }
  return out;
}

function mobile(random: Random): string {
  return mobileFirstDigit(random) + random.digits(9);
}

function addressFor(random: Random, community: Community, home: State, catchment: Catchment) {
  let state: State = home;
  let district: District;
  if (catchment === 'bengaluru') {
    // Most patients of a Bengaluru hospital live in the city whatever their origin; some come from
    // the rest of Karnataka, and some give their permanent address back home.
    const local = community.id === 'kannada' ? 0.95 : 0.8;
    if (random.chance(local)) {
      state = 'Karnataka';
      const karnataka = districtsByState.Karnataka;
      district = random.chance(0.8) ? karnataka[0]! : random.pick(karnataka.slice(1));
    } else {
      district = random.pick(districtsByState[state]);
    }
  } else {
    district = random.pick(districtsByState[state]);
  }
  const locality = random.pick(district.localities);
  const line = random.chance(0.3)
    ? `#${random.int(1, 400)}, ${random.pick(streetNames)}`
    : `${random.int(1, 999)}, ${random.pick(streetNames)}`;
  return {
    line,
    locality,
    district: district.district,
    state,
    postalCode: `${district.pin}${String(random.int(1, 99)).padStart(3, '0')}`,
    country: 'IN' as const,
  };
}

function person(
  random: Random,
  index: number,
  h: Household,
  p: {
    maleMiddle: ((r: Random) => string) | null;
    femaleMiddle: ((r: Random) => string) | null;
  },
  now: Date,
  years: number,
): SyntheticPatient {
  const c = h.community;
  const sexDraw = random.next();
  const sex = sexDraw < 0.52 ? 'female' : sexDraw < 0.998 ? 'male' : 'other';
  const nameSex = sex === 'other' ? (random.chance(0.5) ? 'female' : 'male') : sex;
  const [minAge, maxAge] = ageBands(random);
  const age = random.int(minAge, maxAge);
  const name = nameOf(random, h, nameSex, age, p);

  // Ages given instead of a date: mostly old people who never had a birth certificate.
  const estimated = random.chance(age >= 60 ? 0.2 : age >= 18 ? 0.05 : age >= 2 ? 0.02 : 0);
  let birth: SyntheticPatient['birth'];
  if (random.chance(0.005)) birth = null;
  else if (estimated) birth = { age: { years: age, months: 0 } };
  else {
    const days = Math.floor((age + random.next()) * 365.2425);
    birth = { birthDate: new Date(now.getTime() - days * 86_400_000).toISOString().slice(0, 10) };
  }

  const child = age < 15;
  const phones: string[] = [];
  const sharesHouseholdPhone = child || random.chance(age >= 70 ? 0.6 : 0.35);
  if (!random.chance(0.03)) {
    phones.push(sharesHouseholdPhone ? h.phone : mobile(random));
    if (!child && random.chance(0.06)) phones.push(mobile(random));
  }

  const adult = age >= 18;
  const given = name.given?.replace(/^[A-Z]\. /, '') ?? name.family ?? 'patient';
  const handle = `${given}${name.family ?? ''}`.toLowerCase().replace(/[^a-z]/g, '');
  const email = adult && age < 65 && random.chance(0.08) ? `${handle}${random.int(1, 99)}@example.com` : null;
  const aadhaar = random.chance(adult ? 0.42 : 0.15) ? aadhaarNumber(random) : null;
  const abhaNumber = random.chance(0.12) ? `91${random.digits(12)}` : null;
  const birthYear = now.getUTCFullYear() - age;
  const abhaAddress = handle.length >= 4 && random.chance(0.05) ? `${handle}.${birthYear}@abdm` : null;

  const maritalStatus = !adult
    ? random.chance(0.6)
      ? 'single'
      : null
    : random.chance(0.2)
      ? null
      : age < 25
        ? random.chance(0.7)
          ? 'single'
          : 'married'
        : age < 60
          ? random.chance(0.9)
            ? 'married'
            : random.pick(['single', 'divorced', 'widowed'] as const)
          : random.chance(0.65)
            ? 'married'
            : 'widowed';
  const occupation =
    age >= 5 && age <= 22 && random.chance(0.5)
      ? 'Student'
      : age >= 62 && random.chance(0.4)
        ? 'Retired'
        : adult && random.chance(0.45)
          ? random.pick(occupations)
          : null;
  const preferredLanguage = random.chance(0.75)
    ? c.language
    : random.chance(0.6)
      ? 'English'
      : random.chance(0.2)
        ? null
        : 'Hindi';

  let contact: SyntheticPatient['contact'] = null;
  if (child || random.chance(0.45)) {
    const relSex = random.chance(child ? 0.6 : 0.5) ? 'female' : 'male';
    const relationship = child
      ? relSex === 'female'
        ? 'mother'
        : 'father'
      : age >= 65
        ? relSex === 'female'
          ? 'daughter'
          : 'son'
        : nameSex === 'female'
          ? 'husband'
          : 'wife';
    const relName = nameOf(random, h, relSex, child ? 35 : 40, p);
    contact = {
      name: displayNameOf(relName),
      relationship,
      phone: phones[0] && random.chance(0.5) ? phones[0] : h.phone,
    };
  }
  const consents: SyntheticPatient['consents'] = [];
  if (phones.length > 0 && random.chance(0.75)) consents.push({ kind: 'sms', granted: random.chance(0.93) });
  if (phones.length > 0 && random.chance(0.3)) consents.push({ kind: 'whatsapp', granted: true });

  const registeredAt = new Date(now.getTime() - random.next() * years * 365.25 * 86_400_000);
  const lastVisitAt = random.chance(0.6)
    ? new Date(registeredAt.getTime() + random.next() * (now.getTime() - registeredAt.getTime()))
    : null;

  return {
    index,
    community: c.id,
    household: h.id,
    name,
    sex,
    age,
    birth,
    phones,
    address: h.address,
    email,
    preferredLanguage,
    maritalStatus,
    occupation,
    bloodGroup: random.chance(0.45) ? bloodGroupOf(random) : null,
    aadhaar,
    abhaNumber,
    abhaAddress,
    contact,
    consents,
    registeredAt,
    lastVisitAt,
  };
}

function nameOf(
  random: Random,
  h: Household,
  sex: 'male' | 'female',
  age: number,
  p: {
    maleMiddle: ((r: Random) => string) | null;
    femaleMiddle: ((r: Random) => string) | null;
  },
): SyntheticPatient['name'] {
  const c = h.community;
  const given = sometimesRespelt(random.pick(sex === 'male' ? c.male : c.female), random, 0.2);
  // One name only: common among older people in rural South India, and seen everywhere.
  const singleName = random.chance(c.style === 'initial-given' ? 0.08 : age >= 60 ? 0.04 : 0.015);
  if (singleName) return { given, middle: null, family: null };
  const family = h.family;
  switch (c.style) {
    case 'given-family': {
      const middles = c.middles;
      const middlePick = sex === 'male' ? p.maleMiddle : p.femaleMiddle;
      const middle =
        middles && middlePick && random.chance(middles.probability[sex]) ? middlePick(random) : null;
      return { given, middle, family };
    }
    case 'given-father-family': {
      const fatherName = c.fathers && random.chance(0.5) ? random.pick(c.fathers) : random.pick(c.male);
      return { given, middle: random.chance(0.7) ? fatherName : null, family };
    }
    case 'initial-given': {
      const draw = random.next();
      if (draw < 0.5) return { given: `${h.initial}. ${given}`, middle: null, family: null };
      if (draw < 0.8) return { given, middle: null, family: h.father ?? family };
      if (draw < 0.9) return { given, middle: null, family: `${h.initial}.` };
      return { given, middle: null, family };
    }
    case 'initial-given-family':
      return random.chance(0.5)
        ? { given: `${h.initial}. ${given}`, middle: null, family }
        : { given, middle: null, family };
    case 'sikh': {
      const title = sex === 'male' ? 'Singh' : 'Kaur';
      return random.chance(0.55) ? { given, middle: title, family } : { given, middle: null, family: title };
    }
    case 'muslim': {
      if (sex === 'male' && random.chance(0.3)) {
        return { given: random.pick(mohammed), middle: given, family: random.chance(0.8) ? family : null };
      }
      if (sex === 'female' && random.chance(0.25)) {
        return { given, middle: null, family: random.pick(womenFamilyNames) };
      }
      return { given, middle: null, family };
    }
  }
}

/** A 12-digit Aadhaar-shaped number (first digit 2-9) whose last digit is the Verhoeff check digit. */
export function aadhaarNumber(random: Random): string {
  const body = String(random.int(2, 9)) + random.digits(10);
  return body + verhoeffCheckDigit(body);
}

/** The registration form as the front desk would fill it for this patient. */
export function toRegisterBody(p: SyntheticPatient): RegisterPatientBody {
  const identifiers: { type: IdentifierType; value: string }[] = [];
  if (p.aadhaar) identifiers.push({ type: 'aadhaar', value: p.aadhaar });
  if (p.abhaNumber) identifiers.push({ type: 'abha-number', value: p.abhaNumber });
  if (p.abhaAddress) identifiers.push({ type: 'abha-address', value: p.abhaAddress });
  return {
    name: p.name,
    sex: p.sex,
    birth: p.birth,
    phones: p.phones.map((number) => ({ number, kind: 'mobile' as const })),
    email: p.email,
    address: p.address,
    preferredLanguage: p.preferredLanguage,
    maritalStatus: p.maritalStatus,
    occupation: p.occupation,
    bloodGroup: p.bloodGroup,
    identifiers,
    contacts: p.contact ? [{ kind: 'next-of-kin', ...p.contact }] : [],
    consents: p.consents,
  };
}

export type PatientInsertRow = typeof patients.$inferInsert;
export type PhoneInsertRow = typeof patientPhones.$inferInsert;
export type IdentifierInsertRow = typeof patientIdentifiers.$inferInsert;

/**
 * The rows registration would write for this patient (patients, phones, identifiers), for bulk loading
 * straight into the tables: the same name normalization, phonetic keys, birth-date rules, phone digits,
 * identifier encryption and lookup hashes as patients.service, without versions, audit or events.
 */
export function toInsertRows(
  p: SyntheticPatient,
  context: {
    facilityId: string;
    mrn: string;
    cipher: FieldCipher;
    now: Date;
    /** Primary keys; a bulk loader may pass a faster UUIDv7 source than the platform's. */
    newId?: () => string;
  },
): { patient: PatientInsertRow; phones: PhoneInsertRow[]; identifiers: IdentifierInsertRow[] } {
  const nextId = context.newId ?? newId;
  const id = nextId();
  const displayName = displayNameOf(p.name);
  const patient: PatientInsertRow = {
    id,
    mrn: context.mrn,
    facilityId: context.facilityId,
    given: p.name.given,
    middle: p.name.middle,
    family: p.name.family,
    displayName,
    searchName: normalizeName(displayName),
    phoneticKeys: phoneticKeys(displayName),
    sex: p.sex,
    ...birthOf(p.birth, context.now),
    email: p.email,
    addressLine: p.address.line,
    locality: p.address.locality,
    district: p.address.district,
    state: p.address.state,
    postalCode: p.address.postalCode,
    country: p.address.country,
    preferredLanguage: p.preferredLanguage,
    maritalStatus: p.maritalStatus,
    occupation: p.occupation,
    bloodGroup: p.bloodGroup,
    lastVisitAt: p.lastVisitAt,
    createdAt: p.registeredAt,
    updatedAt: p.registeredAt,
  };
  const phones = [...new Set(p.phones.map((n) => normalizePhone(n)!))].map((number, position) => ({
    id: nextId(),
    patientId: id,
    number,
    lastDigits: number.replace(/\D/g, '').slice(-10),
    kind: 'mobile',
    position,
  }));
  const identifiers: IdentifierInsertRow[] = [];
  for (const { type, value } of toRegisterBody(p).identifiers ?? []) {
    const n = normalizeIdentifier(type, value);
    if (!n.ok) throw new Error(`generated an invalid ${type}: ${n.message}`);
    identifiers.push({
      id: nextId(),
      patientId: id,
      type,
      valueEncrypted: context.cipher.encrypt(n.value),
      valueHash: context.cipher.lookupHash(type, n.value),
      display: maskIdentifier(type, n.value),
      issuer: null,
      createdAt: p.registeredAt,
    });
  }
  return { patient, phones, identifiers };
}
