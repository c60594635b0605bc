import {
  type Allergy,
  type AllergyState,
  ageLabel,
  type Patient,
  type PatientAlert,
  type PatientSummary,
} from '@newhms/contracts';
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { concurrently } from '../../platform/db/concurrently';
import type { DbOrTx } from '../../platform/db/database';
import { NotFound } from '../../platform/http/errors';
import {
  alerts,
  allergies,
  patientConsents,
  patientContacts,
  patientIdentifiers,
  patientPhones,
  patients,
} from './patients.tables';

export type PatientRow = typeof patients.$inferSelect;
type AllergyRow = typeof allergies.$inferSelect;
type AlertRow = typeof alerts.$inferSelect;

export function toAllergy(r: AllergyRow): Allergy {
  return {
    id: r.id,
    category: r.category as Allergy['category'],
    substance: r.substance,
    code: r.code,
    reaction: r.reaction,
    severity: r.severity as Allergy['severity'],
    status: r.status as Allergy['status'],
    note: r.note,
    recordedBy: r.recordedByName,
    recordedAt: r.recordedAt.toISOString(),
    version: r.version,
  };
}

export function toAlert(r: AlertRow): PatientAlert {
  return {
    id: r.id,
    kind: r.kind as PatientAlert['kind'],
    text: r.text,
    severity: r.severity as PatientAlert['severity'],
    status: r.status as PatientAlert['status'],
    recordedBy: r.recordedByName,
    recordedAt: r.recordedAt.toISOString(),
    version: r.version,
  };
}

/** "Not recorded" and "no known allergies" are different answers; an active allergy overrides both. */
export function allergyStateOf(row: PatientRow, list: readonly { status: string }[]): AllergyState {
  if (list.some((a) => a.status === 'active')) return 'recorded';
  return row.noKnownAllergiesAt ? 'none-known' : 'not-recorded';
}

export function maskPhone(number: string | null | undefined): string | null {
  if (!number) return null;
  return `••••••${number.slice(-4)}`;
}

/** The columns a summary needs (a summary of hundreds of patients reads only these). */
const summaryColumns = {
  id: patients.id,
  mrn: patients.mrn,
  displayName: patients.displayName,
  sex: patients.sex,
  birthDate: patients.birthDate,
  birthDateEstimated: patients.birthDateEstimated,
  locality: patients.locality,
  district: patients.district,
  lastVisitAt: patients.lastVisitAt,
  status: patients.status,
  unidentified: patients.unidentified,
};
type SummaryRow = Pick<PatientRow, keyof typeof summaryColumns>;

export function toSummary(row: SummaryRow, firstPhone: string | null, now: Date): PatientSummary {
  return {
    id: row.id,
    mrn: row.mrn,
    displayName: row.displayName,
    sex: row.sex as PatientSummary['sex'],
    birthDate: row.birthDate,
    birthDateEstimated: row.birthDateEstimated,
    age: ageLabel(row.birthDate, now),
    phoneEnding: maskPhone(firstPhone),
    locality: row.locality ?? row.district ?? null,
    lastVisitAt: row.lastVisitAt?.toISOString() ?? null,
    status: row.status as PatientSummary['status'],
    unidentified: row.unidentified,
  };
}

/** Summaries of many patients in two queries, in the order of the ids given. */
export async function loadSummaries(
  db: DbOrTx,
  ids: readonly string[],
  now: Date,
): Promise<PatientSummary[]> {
  if (ids.length === 0) return [];
  const list = [...ids];
  const [rows, phones] = await concurrently(db, [
    () => db.select(summaryColumns).from(patients).where(inArray(patients.id, list)),
    () =>
      db
        .select({ patientId: patientPhones.patientId, number: patientPhones.number })
        .from(patientPhones)
        .where(inArray(patientPhones.patientId, list))
        .orderBy(asc(patientPhones.position)),
  ]);
  const firstPhone = new Map<string, string>();
  for (const p of phones) if (!firstPhone.has(p.patientId)) firstPhone.set(p.patientId, p.number);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    return r ? [toSummary(r, firstPhone.get(id) ?? null, now)] : [];
  });
}

export async function loadPatientRow(db: DbOrTx, id: string, lock = false): Promise<PatientRow> {
  const q = db.select().from(patients).where(eq(patients.id, id));
  const [row] = lock ? await q.for('update') : await q;
  if (!row) throw new NotFound('The patient', 'PATIENT_NOT_FOUND');
  return row;
}

/** The whole record as the API shows it (identifiers masked as stored, consents current per kind). */
export async function loadPatient(db: DbOrTx, id: string, now: Date): Promise<Patient> {
  const row = await loadPatientRow(db, id);
  return assemblePatient(db, row, now);
}

export async function assemblePatient(db: DbOrTx, row: PatientRow, now: Date): Promise<Patient> {
  const id = row.id;
  const [phones, identifiers, contacts, consents, allergyRows, alertRows] = await concurrently(db, [
    () =>
      db
        .select()
        .from(patientPhones)
        .where(eq(patientPhones.patientId, id))
        .orderBy(asc(patientPhones.position)),
    () =>
      db
        .select()
        .from(patientIdentifiers)
        .where(eq(patientIdentifiers.patientId, id))
        .orderBy(asc(patientIdentifiers.createdAt), asc(patientIdentifiers.id)),
    () =>
      db
        .select()
        .from(patientContacts)
        .where(eq(patientContacts.patientId, id))
        .orderBy(asc(patientContacts.position)),
    () =>
      db
        .select()
        .from(patientConsents)
        .where(eq(patientConsents.patientId, id))
        .orderBy(desc(patientConsents.recordedAt), desc(patientConsents.id)),
    () => db.select().from(allergies).where(eq(allergies.patientId, id)).orderBy(asc(allergies.recordedAt)),
    () =>
      db
        .select()
        .from(alerts)
        .where(and(eq(alerts.patientId, id)))
        .orderBy(asc(alerts.recordedAt)),
  ]);
  const currentConsents = new Map<string, (typeof consents)[number]>();
  for (const c of consents) if (!currentConsents.has(c.kind)) currentConsents.set(c.kind, c);
  const hasAddress = [row.addressLine, row.locality, row.district, row.state, row.postalCode].some(Boolean);
  return {
    id,
    mrn: row.mrn,
    status: row.status as Patient['status'],
    mergedIntoId: row.mergedIntoId,
    name: { given: row.given, middle: row.middle, family: row.family },
    displayName: row.displayName,
    sex: row.sex as Patient['sex'],
    birthDate: row.birthDate,
    birthDateEstimated: row.birthDateEstimated,
    age: ageLabel(row.birthDate, now),
    phones: phones.map((p) => ({ number: p.number, kind: p.kind as 'mobile' | 'home' | 'work' })),
    email: row.email,
    address: hasAddress
      ? {
          line: row.addressLine,
          locality: row.locality,
          district: row.district,
          state: row.state,
          postalCode: row.postalCode,
          country: row.country ?? 'IN',
        }
      : null,
    preferredLanguage: row.preferredLanguage,
    maritalStatus: row.maritalStatus as Patient['maritalStatus'],
    occupation: row.occupation,
    bloodGroup: row.bloodGroup as Patient['bloodGroup'],
    hasPhoto: row.hasPhoto,
    unidentified: row.unidentified,
    identifiers: identifiers.map((i) => ({
      id: i.id,
      type: i.type as Patient['identifiers'][number]['type'],
      display: i.display,
      issuer: i.issuer,
    })),
    contacts: contacts.map((c) => ({
      id: c.id,
      kind: c.kind as 'next-of-kin' | 'emergency',
      name: c.name,
      relationship: c.relationship,
      phone: c.phone,
      address: c.address,
    })),
    consents: [...currentConsents.values()].map((c) => ({
      kind: c.kind as Patient['consents'][number]['kind'],
      granted: c.granted,
      recordedAt: c.recordedAt.toISOString(),
      recordedBy: c.recordedByName,
    })),
    allergyState: allergyStateOf(row, allergyRows),
    allergies: allergyRows.map(toAllergy),
    alerts: alertRows.map(toAlert),
    registeredFacilityId: row.facilityId,
    registeredAt: row.createdAt.toISOString(),
    lastVisitAt: row.lastVisitAt?.toISOString() ?? null,
    duplicateReason: row.duplicateReason,
    version: row.version,
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** What a version snapshot keeps: the demographics, without the clinical lists that have their own history. */
export function snapshotOf(p: Patient): Record<string, unknown> {
  const { allergies: _a, alerts: _b, allergyState: _c, age: _d, updatedAt: _e, version: _f, ...rest } = p;
  return rest;
}

/** The field paths that differ between two snapshots ("name.given", "phones", ...). */
export function changedFields(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const out: string[] = [];
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const k of [...keys].sort()) {
    const a = before[k];
    const b = after[k];
    if (JSON.stringify(a) === JSON.stringify(b)) continue;
    const isObj = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v);
    if (isObj(a) && isObj(b)) {
      for (const f of changedFields(a as Record<string, unknown>, b as Record<string, unknown>))
        out.push(`${k}.${f}`);
    } else {
      out.push(k);
    }
  }
  return out;
}

/** Ids of active patients registered at a facility, oldest first (demo data and batch jobs, not screens). */
export async function registeredPatientIds(db: DbOrTx, facilityId: string, limit: number): Promise<string[]> {
  const rows = await db
    .select({ id: patients.id })
    .from(patients)
    .where(and(eq(patients.facilityId, facilityId), eq(patients.status, 'active')))
    .orderBy(asc(patients.id))
    .limit(limit);
  return rows.map((r) => r.id);
}

/**
 * For ward lists (the nursing station): each patient's allergy state, active allergies and active alerts,
 * in three queries for any number of patients. Not audited here: the caller audits what it shows.
 */
export async function allergyFlagsOf(
  db: DbOrTx,
  ids: readonly string[],
): Promise<Map<string, { allergyState: AllergyState; allergies: string[]; alerts: string[] }>> {
  const out = new Map<string, { allergyState: AllergyState; allergies: string[]; alerts: string[] }>();
  if (ids.length === 0) return out;
  const [rows, allergyRows, alertRows] = await concurrently(db, [
    () =>
      db
        .select({ id: patients.id, noKnownAllergiesAt: patients.noKnownAllergiesAt })
        .from(patients)
        .where(inArray(patients.id, [...ids])),
    () =>
      db
        .select({ patientId: allergies.patientId, substance: allergies.substance })
        .from(allergies)
        .where(and(inArray(allergies.patientId, [...ids]), eq(allergies.status, 'active')))
        .orderBy(asc(allergies.recordedAt)),
    () =>
      db
        .select({ patientId: alerts.patientId, text: alerts.text })
        .from(alerts)
        .where(and(inArray(alerts.patientId, [...ids]), eq(alerts.status, 'active')))
        .orderBy(asc(alerts.recordedAt)),
  ]);
  for (const r of rows) {
    out.set(r.id, {
      allergyState: r.noKnownAllergiesAt ? 'none-known' : 'not-recorded',
      allergies: [],
      alerts: [],
    });
  }
  for (const a of allergyRows) {
    const f = out.get(a.patientId);
    if (f) {
      f.allergies.push(a.substance);
      f.allergyState = 'recorded';
    }
  }
  for (const a of alertRows) out.get(a.patientId)?.alerts.push(a.text);
  return out;
}
