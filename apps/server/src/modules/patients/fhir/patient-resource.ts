import { identifierLabels, nationalIdentifierTypes, type Patient } from '@newhms/contracts';
import type {
  CodeableConcept,
  Coding,
  Extension,
  Meta,
  Reference,
  Resource,
} from '../../../platform/fhir/fhir-resources';
import {
  BCP47,
  BIRTH_DATE_ESTIMATED,
  IDENTIFIER_MASKED,
  identifierSystems,
  languageCodes,
  MASKED_LABEL,
  MRN_SYSTEM,
  MRN_TYPE,
  maritalStatusCodes,
  V2_CONTACT_ROLE,
} from './fhir-systems';

type FhirIdentifier = {
  extension?: Extension[];
  use?: 'usual' | 'official' | 'temp' | 'secondary' | 'old';
  type?: CodeableConcept;
  system?: string;
  value?: string;
  assigner?: Reference;
};
type HumanName = { use?: string; text?: string; family?: string; given?: string[] };
type ContactPoint = { system?: string; value?: string; use?: string; rank?: number };
type Address = {
  use?: string;
  text?: string;
  line?: string[];
  city?: string;
  district?: string;
  state?: string;
  postalCode?: string;
  country?: string;
};

export type FhirPatient = Resource & {
  resourceType: 'Patient';
  id: string;
  meta: Meta;
  identifier?: FhirIdentifier[];
  active?: boolean;
  name?: HumanName[];
  telecom?: ContactPoint[];
  gender?: string;
  birthDate?: string;
  _birthDate?: { extension: Extension[] };
  address?: Address[];
  maritalStatus?: CodeableConcept;
  communication?: { language: CodeableConcept; preferred?: boolean }[];
  contact?: {
    relationship?: CodeableConcept[];
    name?: HumanName;
    telecom?: ContactPoint[];
    address?: Address;
  }[];
  link?: { other: Reference; type: 'replaced-by' | 'replaces' | 'refer' | 'seealso' }[];
};

/** What the FHIR view needs of a record: the current one, or a version snapshot. */
export type PatientView = Pick<
  Patient,
  | 'id'
  | 'mrn'
  | 'status'
  | 'mergedIntoId'
  | 'name'
  | 'displayName'
  | 'sex'
  | 'birthDate'
  | 'birthDateEstimated'
  | 'phones'
  | 'email'
  | 'address'
  | 'preferredLanguage'
  | 'maritalStatus'
  | 'unidentified'
  | 'identifiers'
  | 'contacts'
  | 'version'
  | 'updatedAt'
>;

/** FHIR forbids empty strings, arrays and objects: drop them. */
function present<T>(v: T | null | undefined): v is T {
  if (v === null || v === undefined) return false;
  if (typeof v === 'string') return v.trim() !== '';
  if (Array.isArray(v)) return v.length > 0;
  return true;
}

function compact<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => present(v))) as T;
}

const contactRoles = {
  'next-of-kin': { system: V2_CONTACT_ROLE, code: 'N', display: 'Next-of-Kin' },
  emergency: { system: V2_CONTACT_ROLE, code: 'C', display: 'Emergency Contact' },
} as const;

function fhirIdentifiers(p: PatientView): FhirIdentifier[] {
  const mrn: FhirIdentifier = {
    use: 'usual',
    type: { coding: [MRN_TYPE], text: 'MRN' },
    system: MRN_SYSTEM,
    value: p.mrn,
  };
  return [
    mrn,
    ...p.identifiers.map((i) => {
      const s = identifierSystems[i.type];
      const masked = nationalIdentifierTypes.includes(i.type);
      return compact({
        extension: masked ? [{ url: IDENTIFIER_MASKED, valueBoolean: true }] : undefined,
        use: i.type === 'temporary' ? ('temp' as const) : ('official' as const),
        type: compact({ coding: s.type ? [s.type] : undefined, text: identifierLabels[i.type] }),
        system: s.system,
        // National ids leave the server masked (••••1234), as stored for display; the full value never does.
        value: i.display,
        assigner: i.issuer ? { display: i.issuer } : undefined,
      });
    }),
  ];
}

function languageOf(text: string): CodeableConcept {
  const code = languageCodes[text.trim().toLowerCase()];
  return compact({ coding: code ? [{ system: BCP47, code, display: text }] : undefined, text });
}

/** Our patient record (or one of its versions) as a FHIR R4 Patient. */
export function toFhirPatient(p: PatientView): FhirPatient {
  const masked = p.identifiers.some((i) => nationalIdentifierTypes.includes(i.type));
  const given = [p.name.given, p.name.middle].filter(present);
  const address = p.address;
  const marital = p.maritalStatus ? maritalStatusCodes[p.maritalStatus] : null;
  return compact({
    resourceType: 'Patient' as const,
    id: p.id,
    meta: compact({
      versionId: String(p.version),
      lastUpdated: p.updatedAt,
      security: masked ? [MASKED_LABEL] : undefined,
    }),
    identifier: fhirIdentifiers(p),
    active: p.status === 'active',
    name: [
      compact({
        // An unknown emergency patient's name ("Unknown Male ~40") is a placeholder until identified.
        use: p.unidentified ? 'temp' : 'official',
        text: p.displayName,
        family: p.name.family ?? undefined,
        given,
      }),
    ],
    telecom: [
      ...p.phones.map((ph, i) => ({ system: 'phone', value: ph.number, use: ph.kind, rank: i + 1 })),
      ...(p.email ? [{ system: 'email', value: p.email }] : []),
    ],
    gender: p.sex,
    birthDate: p.birthDate ?? undefined,
    _birthDate:
      p.birthDate && p.birthDateEstimated
        ? { extension: [{ url: BIRTH_DATE_ESTIMATED, valueBoolean: true }] }
        : undefined,
    address: address
      ? [
          compact({
            use: 'home',
            line: address.line ? [address.line] : undefined,
            city: address.locality ?? undefined,
            district: address.district ?? undefined,
            state: address.state ?? undefined,
            postalCode: address.postalCode ?? undefined,
            country: address.country,
          }),
        ]
      : undefined,
    maritalStatus: marital ? { coding: [marital as Coding], text: p.maritalStatus! } : undefined,
    communication: p.preferredLanguage
      ? [{ language: languageOf(p.preferredLanguage), preferred: true }]
      : undefined,
    contact: p.contacts.map((c) =>
      compact({
        relationship: [{ coding: [contactRoles[c.kind]] }, { text: c.relationship }],
        name: { text: c.name },
        telecom: c.phone ? [{ system: 'phone', value: c.phone }] : undefined,
        address: c.address ? { text: c.address } : undefined,
      }),
    ),
    link: p.mergedIntoId
      ? [{ other: { reference: `Patient/${p.mergedIntoId}` }, type: 'replaced-by' as const }]
      : undefined,
  }) as FhirPatient;
}

/**
 * A stored version (patient_versions.snapshot: the record without version, time and clinical lists) as the
 * view of that version. Snapshots written by older releases may lack lists; they count as empty.
 */
export function viewOfSnapshot(snapshot: unknown, version: number, changedAt: Date): PatientView {
  const s = (snapshot ?? {}) as Partial<PatientView>;
  return {
    id: s.id ?? '',
    mrn: s.mrn ?? '',
    status: s.status ?? 'active',
    mergedIntoId: s.mergedIntoId ?? null,
    name: s.name ?? { given: null, middle: null, family: null },
    displayName: s.displayName ?? '',
    sex: s.sex ?? 'unknown',
    birthDate: s.birthDate ?? null,
    birthDateEstimated: s.birthDateEstimated ?? false,
    phones: s.phones ?? [],
    email: s.email ?? null,
    address: s.address ?? null,
    preferredLanguage: s.preferredLanguage ?? null,
    maritalStatus: s.maritalStatus ?? null,
    unidentified: s.unidentified ?? false,
    identifiers: s.identifiers ?? [],
    contacts: s.contacts ?? [],
    version,
    updatedAt: changedAt.toISOString(),
  };
}
