import type { IdentifierType } from '@newhms/contracts';
import type { Coding } from '../../../platform/fhir/fhir-resources';

/** Our MRNs (assigned by Newhms per facility; read-only through FHIR). */
export const MRN_SYSTEM = 'https://newhms.dev/fhir/sid/mrn';

const V2_IDENTIFIER_TYPE = 'http://terminology.hl7.org/CodeSystem/v2-0203';
export const V2_CONTACT_ROLE = 'http://terminology.hl7.org/CodeSystem/v2-0131';
export const V3_MARITAL_STATUS = 'http://terminology.hl7.org/CodeSystem/v3-MaritalStatus';
export const V3_NULL_FLAVOR = 'http://terminology.hl7.org/CodeSystem/v3-NullFlavor';
const V3_OBSERVATION_VALUE = 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue';
export const BCP47 = 'urn:ietf:bcp:47';

/** Extension on Patient.birthDate: true when the date was derived from a stated age. */
export const BIRTH_DATE_ESTIMATED = 'https://newhms.dev/fhir/StructureDefinition/birth-date-estimated';
/** Extension on an Identifier: true when its value is masked (national ids show only the last four). */
export const IDENTIFIER_MASKED = 'https://newhms.dev/fhir/StructureDefinition/identifier-masked';
/** meta.security label of a resource some of whose values are masked. */
export const MASKED_LABEL: Coding = { system: V3_OBSERVATION_VALUE, code: 'MASKED', display: 'masked' };

/**
 * Identifier systems. The Indian ones are those of ABDM and UIDAI; where no authority publishes a system
 * URI (EPIC voter id, driving licence, passport, insurance member, temporary) it is a Newhms one, and the
 * issuing body (state RTO, insurer, ...) goes in assigner.display. A v2-0203 type code where one fits.
 */
export const identifierSystems: Record<IdentifierType, { system: string; type?: Coding }> = {
  'abha-number': { system: 'https://healthid.ndhm.gov.in' },
  'abha-address': { system: 'https://healthid.abdm.gov.in/abha-address' },
  aadhaar: { system: 'https://uidai.gov.in/aadhaar' },
  passport: {
    system: 'https://newhms.dev/fhir/sid/passport',
    type: { system: V2_IDENTIFIER_TYPE, code: 'PPN', display: 'Passport number' },
  },
  'voter-id': { system: 'https://newhms.dev/fhir/sid/voter-id' },
  'driving-licence': {
    system: 'https://newhms.dev/fhir/sid/driving-licence',
    type: { system: V2_IDENTIFIER_TYPE, code: 'DL', display: "Driver's license number" },
  },
  'insurance-member': {
    system: 'https://newhms.dev/fhir/sid/insurance-member',
    type: { system: V2_IDENTIFIER_TYPE, code: 'MB', display: 'Member Number' },
  },
  temporary: { system: 'https://newhms.dev/fhir/sid/temporary' },
};

export const MRN_TYPE: Coding = { system: V2_IDENTIFIER_TYPE, code: 'MR', display: 'Medical record number' };

/** The identifier type of a system URI, or of a v2-0203 type code when the system is someone else's. */
export function identifierTypeOf(
  system: string | undefined,
  typeCodes: readonly Coding[],
): IdentifierType | null {
  for (const [type, s] of Object.entries(identifierSystems))
    if (s.system === system) return type as IdentifierType;
  for (const c of typeCodes) {
    if (c.system !== V2_IDENTIFIER_TYPE) continue;
    if (c.code === 'PPN') return 'passport';
    if (c.code === 'DL') return 'driving-licence';
    if (c.code === 'MB') return 'insurance-member';
  }
  return null;
}

export const maritalStatusCodes = {
  single: { system: V3_MARITAL_STATUS, code: 'S', display: 'Never Married' },
  married: { system: V3_MARITAL_STATUS, code: 'M', display: 'Married' },
  divorced: { system: V3_MARITAL_STATUS, code: 'D', display: 'Divorced' },
  widowed: { system: V3_MARITAL_STATUS, code: 'W', display: 'Widowed' },
  separated: { system: V3_MARITAL_STATUS, code: 'L', display: 'Legally Separated' },
  unknown: { system: V3_NULL_FLAVOR, code: 'UNK', display: 'unknown' },
} as const;

/** v3-MaritalStatus codes we read: U (unmarried) is single, A (annulled) divorced; T, P, I are not kept. */
export const maritalStatusOfCode: Record<string, keyof typeof maritalStatusCodes> = {
  S: 'single',
  U: 'single',
  M: 'married',
  D: 'divorced',
  A: 'divorced',
  W: 'widowed',
  L: 'separated',
  UNK: 'unknown',
};

/** BCP-47 codes of the languages most often recorded; other languages are sent as text only. */
export const languageCodes: Record<string, string> = {
  english: 'en',
  hindi: 'hi',
  bengali: 'bn',
  marathi: 'mr',
  telugu: 'te',
  tamil: 'ta',
  gujarati: 'gu',
  urdu: 'ur',
  kannada: 'kn',
  odia: 'or',
  malayalam: 'ml',
  punjabi: 'pa',
  assamese: 'as',
};
