import {
  type AlertInput,
  type AlertUpdate,
  type AllergyInput,
  type AllergyUpdate,
  type IdentifierType,
  identifierLabels,
  nationalIdentifierTypes,
  type Patient,
  type PatientFields,
  type RegisterPatientBody,
  type RegisterUnknownBody,
  type UpdatePatientBody,
} from '@newhms/contracts';
import { and, desc, eq, inArray } from 'drizzle-orm';
import type { z } from 'zod';
import { recordAudit } from '../../platform/audit/audit.service';
import { actorId, type Ctx } from '../../platform/context';
import type { FieldCipher } from '../../platform/crypto/field-cipher';
import { nextCounterValue } from '../../platform/db/counters';
import type { Db, DbOrTx, Tx } from '../../platform/db/database';
import { appendEvent, type EventRegistry } from '../../platform/events/outbox';
import { NotFound, RuleViolation, StaleVersion } from '../../platform/http/errors';
import { getFacility } from '../../platform/organization/organization.service';
import { displayNameOf, normalizeName, phoneticKeys } from './names';
import {
  assemblePatient,
  changedFields,
  loadPatient,
  loadPatientRow,
  type PatientRow,
  snapshotOf,
  toAlert,
  toAllergy,
} from './patient-records';
import {
  alerts,
  allergies,
  mrnFormats,
  patientConsents,
  patientContacts,
  patientIdentifiers,
  patientPhones,
  patientPhotos,
  patients,
  patientVersions,
} from './patients.tables';

export type PatientsEnv = {
  cipher: FieldCipher;
  events: EventRegistry;
  /** Connections with the search's session settings (PostgreSQL), or null (PGlite: settings per transaction). */
  searchDb?: Db | null;
};

export const PATIENT_EVENTS = {
  registered: 'patients.patient.registered',
  updated: 'patients.patient.updated',
  merged: 'patients.patient.merged',
  allergiesChanged: 'patients.allergies.changed',
} as const;

export type Fields = z.output<typeof PatientFields>;
export type RegisterInput = z.output<typeof RegisterPatientBody>;
type UpdateInput = z.output<typeof UpdatePatientBody>;
type IdentifierValue = Fields['identifiers'][number];

export function actorName(ctx: Ctx): string {
  return ctx.actor.name;
}

// ------------------------------------------------------------------------------------------------------
// MRN
// ------------------------------------------------------------------------------------------------------

export const DEFAULT_MRN_FORMAT = '{FACILITY}-{YYYY}-{SEQ:6}';

/** Renders an MRN format; also used for the example shown on the settings screen. */
export function renderMrn(format: string, facilityCode: string, year: number, seq: number): string {
  return format
    .replaceAll('{FACILITY}', facilityCode)
    .replaceAll('{YYYY}', String(year))
    .replaceAll('{YY}', String(year % 100).padStart(2, '0'))
    .replace(/\{SEQ(?::(\d))?\}/g, (_m, width: string | undefined) =>
      String(seq).padStart(Number(width ?? 1), '0'),
    );
}

function yearIn(timeZone: string, now: Date): number {
  return Number(new Intl.DateTimeFormat('en', { timeZone, year: 'numeric' }).format(now));
}

async function facilityOf(db: DbOrTx, facilityId: string) {
  return getFacility(db, facilityId);
}

export async function getMrnFormat(db: DbOrTx, facilityId: string) {
  const [row] = await db.select().from(mrnFormats).where(eq(mrnFormats.facilityId, facilityId));
  const f = await facilityOf(db, facilityId);
  const format = row?.format ?? DEFAULT_MRN_FORMAT;
  return {
    facilityId,
    format,
    example: renderMrn(format, f.code, yearIn(f.timeZone, new Date()), 123),
    version: row?.version ?? 1,
  };
}

export async function setMrnFormat(ctx: Ctx, facilityId: string, input: { format: string; version: number }) {
  return ctx.db.transaction(async (tx) => {
    const current = await getMrnFormat(tx, facilityId);
    if (current.version !== input.version) throw new StaleVersion('The MRN format');
    await tx
      .insert(mrnFormats)
      .values({ facilityId, format: input.format, version: input.version + 1 })
      .onConflictDoUpdate({
        target: mrnFormats.facilityId,
        set: { format: input.format, version: input.version + 1, updatedAt: ctx.now },
      });
    await recordAudit(tx, ctx, {
      action: 'update',
      resourceType: 'MrnFormat',
      resourceId: facilityId,
      detail: { from: current.format, to: input.format },
    });
    return getMrnFormat(tx, facilityId);
  });
}

/** The next MRN of a facility, inside the registering transaction (never reused, gapless per period). */
export async function nextMrn(tx: Tx, facilityId: string, now: Date): Promise<string> {
  const f = await facilityOf(tx, facilityId);
  const [row] = await tx.select().from(mrnFormats).where(eq(mrnFormats.facilityId, facilityId));
  const format = row?.format ?? DEFAULT_MRN_FORMAT;
  const year = yearIn(f.timeZone, now);
  const period = /\{YY(YY)?\}/.test(format) ? String(year) : '';
  const seq = await nextCounterValue(tx, facilityId, 'mrn', period);
  return renderMrn(format, f.code, year, seq);
}

// ------------------------------------------------------------------------------------------------------
// Registration and update
// ------------------------------------------------------------------------------------------------------

/** Birth date from a date or from an age (then estimated: today minus the years and months). */
export function birthOf(
  birth: Fields['birth'],
  now: Date,
): { birthDate: string | null; birthDateEstimated: boolean; birthYear: number | null } {
  if (!birth) return { birthDate: null, birthDateEstimated: false, birthYear: null };
  if ('birthDate' in birth) {
    return {
      birthDate: birth.birthDate,
      birthDateEstimated: false,
      birthYear: Number(birth.birthDate.slice(0, 4)),
    };
  }
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  d.setUTCMonth(d.getUTCMonth() - (birth.age.years * 12 + birth.age.months));
  const birthDate = d.toISOString().slice(0, 10);
  return { birthDate, birthDateEstimated: true, birthYear: d.getUTCFullYear() };
}

export function maskIdentifier(type: IdentifierType, value: string): string {
  if (!nationalIdentifierTypes.includes(type)) return value;
  return `${'•'.repeat(Math.max(4, value.length - 4))}${value.slice(-4)}`;
}

function nameColumns(name: Fields['name']) {
  const displayName = displayNameOf(name);
  return {
    given: name.given ?? null,
    middle: name.middle ?? null,
    family: name.family ?? null,
    displayName,
    searchName: normalizeName(displayName),
    phoneticKeys: phoneticKeys(displayName),
  };
}

function addressColumns(address: Fields['address']) {
  return {
    addressLine: address?.line ?? null,
    locality: address?.locality ?? null,
    district: address?.district ?? null,
    state: address?.state ?? null,
    postalCode: address?.postalCode ?? null,
    country: address?.country ?? null,
  };
}

async function writePhones(tx: Tx, patientId: string, phones: Fields['phones']) {
  await tx.delete(patientPhones).where(eq(patientPhones.patientId, patientId));
  const unique = [...new Map(phones.map((p) => [p.number, p])).values()];
  if (unique.length === 0) return;
  await tx.insert(patientPhones).values(
    unique.map((p, position) => ({
      patientId,
      number: p.number,
      lastDigits: p.number.replace(/\D/g, '').slice(-10),
      kind: p.kind,
      position,
    })),
  );
}

async function insertIdentifiers(
  tx: Tx,
  env: PatientsEnv,
  patientId: string,
  ids: readonly IdentifierValue[],
) {
  const seen = new Set<string>();
  const rows = [];
  for (const i of ids) {
    const valueHash = env.cipher.lookupHash(i.type, i.value);
    if (seen.has(valueHash)) continue;
    seen.add(valueHash);
    rows.push({
      patientId,
      type: i.type,
      valueEncrypted: env.cipher.encrypt(i.value),
      valueHash,
      display: maskIdentifier(i.type, i.value),
      issuer: i.issuer ?? null,
    });
  }
  if (rows.length > 0) await tx.insert(patientIdentifiers).values(rows);
}

async function writeContacts(tx: Tx, patientId: string, contacts: Fields['contacts']) {
  await tx.delete(patientContacts).where(eq(patientContacts.patientId, patientId));
  if (contacts.length === 0) return;
  await tx.insert(patientContacts).values(
    contacts.map((c, position) => ({
      patientId,
      kind: c.kind,
      name: c.name,
      relationship: c.relationship,
      phone: c.phone ?? null,
      address: c.address ?? null,
      position,
    })),
  );
}

/** Appends a consent row only where the answer changed (the table is the consent history). */
async function writeConsents(ctx: Ctx, tx: Tx, patientId: string, consents: Fields['consents']) {
  if (consents.length === 0) return;
  const current = await tx
    .select()
    .from(patientConsents)
    .where(eq(patientConsents.patientId, patientId))
    .orderBy(desc(patientConsents.recordedAt), desc(patientConsents.id));
  const latest = new Map<string, boolean>();
  for (const c of current) if (!latest.has(c.kind)) latest.set(c.kind, c.granted);
  const changes = consents.filter((c) => latest.get(c.kind) !== c.granted);
  const unique = [...new Map(changes.map((c) => [c.kind, c])).values()];
  if (unique.length === 0) return;
  await tx.insert(patientConsents).values(
    unique.map((c) => ({
      patientId,
      kind: c.kind,
      granted: c.granted,
      recordedById: actorId(ctx.actor),
      recordedByName: actorName(ctx),
      recordedAt: ctx.now,
    })),
  );
}

export async function writeVersion(
  tx: Tx,
  ctx: Ctx,
  patient: Patient,
  action: string,
  before: Patient | null,
  reason: string | null = null,
) {
  const snapshot = snapshotOf(patient);
  const fields = before ? changedFields(snapshotOf(before), snapshot) : ['*'];
  await tx.insert(patientVersions).values({
    patientId: patient.id,
    version: patient.version,
    action,
    fields,
    snapshot,
    reason,
    changedById: actorId(ctx.actor),
    changedByName: actorName(ctx),
    changedAt: ctx.now,
  });
  return fields;
}

function requireFacility(ctx: Ctx): string {
  if (!ctx.facilityId)
    throw new RuleViolation('FACILITY_REQUIRED', 'Choose a facility to register patients in');
  return ctx.facilityId;
}

/**
 * Inserts a new record with its MRN, children, first version, audit entry and event. Duplicate checks
 * happen before (see duplicates.ts); this only writes.
 */
export async function insertPatient(
  ctx: Ctx,
  env: PatientsEnv,
  input: Fields & { duplicateReason?: string | null; unidentified?: boolean; displayName?: string },
  tx: Tx,
): Promise<Patient> {
  const facilityId = requireFacility(ctx);
  const mrn = await nextMrn(tx, facilityId, ctx.now);
  const names = nameColumns(input.name);
  const [row] = await tx
    .insert(patients)
    .values({
      mrn,
      facilityId,
      ...names,
      ...(input.displayName ? { displayName: input.displayName } : {}),
      sex: input.sex,
      ...birthOf(input.birth, ctx.now),
      email: input.email ?? null,
      ...addressColumns(input.address),
      preferredLanguage: input.preferredLanguage ?? null,
      maritalStatus: input.maritalStatus ?? null,
      occupation: input.occupation ?? null,
      bloodGroup: input.bloodGroup ?? null,
      unidentified: input.unidentified ?? false,
      duplicateReason: input.duplicateReason ?? null,
      createdById: actorId(ctx.actor),
      createdAt: ctx.now,
      updatedAt: ctx.now,
    })
    .returning();
  const id = row!.id;
  await writePhones(tx, id, input.phones);
  await insertIdentifiers(tx, env, id, input.identifiers);
  await writeContacts(tx, id, input.contacts);
  await writeConsents(ctx, tx, id, input.consents);
  const patient = await assemblePatient(tx, row!, ctx.now);
  await writeVersion(tx, ctx, patient, 'register', null, input.duplicateReason ?? null);
  await recordAudit(tx, ctx, {
    action: 'create',
    resourceType: 'Patient',
    resourceId: id,
    patientId: id,
    detail: { mrn, unidentified: row!.unidentified, duplicateReason: input.duplicateReason ?? undefined },
  });
  await appendEvent(tx, env.events, {
    type: PATIENT_EVENTS.registered,
    facilityId,
    aggregateId: id,
    actorId: actorId(ctx.actor),
    payload: { patientId: id, mrn, unidentified: row!.unidentified },
  });
  return patient;
}

/** Quick registration of an unknown patient: "Unknown Male ~40" with a temporary identifier. */
export async function registerUnknown(
  ctx: Ctx,
  env: PatientsEnv,
  input: z.output<typeof RegisterUnknownBody>,
): Promise<Patient> {
  const facilityId = requireFacility(ctx);
  const sexWord = { male: 'Male', female: 'Female', other: 'Person', unknown: 'Person' }[input.sex];
  const age = input.approximateAge ?? null;
  const displayName = `Unknown ${sexWord}${age !== null ? ` ~${age}` : ''}`;
  return ctx.db.transaction(async (tx) => {
    const day = ctx.now.toISOString().slice(0, 10);
    const seq = await nextCounterValue(tx, facilityId, 'unknown-patient', day);
    const temporary = `UNK-${day.replaceAll('-', '')}-${String(seq).padStart(3, '0')}`;
    return insertPatient(
      ctx,
      env,
      {
        name: { given: 'Unknown', middle: null, family: sexWord },
        displayName,
        sex: input.sex,
        birth: age !== null ? { age: { years: age, months: 0 } } : null,
        phones: [],
        identifiers: [{ type: 'temporary', value: temporary, issuer: input.note ?? null }],
        contacts: [],
        consents: [],
        unidentified: true,
      },
      tx,
    );
  });
}

export async function registerWithoutCheck(
  ctx: Ctx,
  env: PatientsEnv,
  input: RegisterInput,
  reason: string | null,
) {
  return ctx.db.transaction((tx) => insertPatient(ctx, env, { ...input, duplicateReason: reason }, tx));
}

/** Reads a patient for a person: audited as a view of the record. */
export async function viewPatient(ctx: Ctx, id: string, purpose = 'view'): Promise<Patient> {
  const patient = await loadPatient(ctx.db, id, ctx.now);
  await recordAudit(ctx.db, ctx, {
    action: 'read',
    resourceType: 'Patient',
    resourceId: id,
    patientId: id,
    detail: { purpose },
  });
  return patient;
}

export async function updatePatient(
  ctx: Ctx,
  env: PatientsEnv,
  id: string,
  input: UpdateInput,
): Promise<Patient> {
  return ctx.db.transaction(async (tx) => {
    const row = await loadPatientRow(tx, id, true);
    if (row.version !== input.version) throw new StaleVersion('The patient');
    if (row.status === 'merged') {
      throw new RuleViolation('PATIENT_MERGED', 'This record was merged; edit the surviving record instead');
    }
    const before = await assemblePatient(tx, row, ctx.now);
    const set: Partial<PatientRow> = { version: row.version + 1, updatedAt: ctx.now };
    if (input.name) {
      Object.assign(set, nameColumns(input.name));
      // Naming an unknown patient identifies them.
      if (row.unidentified) set.unidentified = false;
    }
    if (input.sex) set.sex = input.sex;
    if (input.birth !== undefined) Object.assign(set, birthOf(input.birth, ctx.now));
    if (input.email !== undefined) set.email = input.email ?? null;
    if (input.address !== undefined) Object.assign(set, addressColumns(input.address));
    if (input.preferredLanguage !== undefined) set.preferredLanguage = input.preferredLanguage ?? null;
    if (input.maritalStatus !== undefined) set.maritalStatus = input.maritalStatus ?? null;
    if (input.occupation !== undefined) set.occupation = input.occupation ?? null;
    if (input.bloodGroup !== undefined) set.bloodGroup = input.bloodGroup ?? null;
    const [updated] = await tx.update(patients).set(set).where(eq(patients.id, id)).returning();
    if (input.phones) await writePhones(tx, id, input.phones);
    if (input.contacts) await writeContacts(tx, id, input.contacts);
    if (input.consents) await writeConsents(ctx, tx, id, input.consents);
    if (input.identifiers) await replaceIdentifiers(tx, env, id, input.identifiers);
    const after = await assemblePatient(tx, updated!, ctx.now);
    const fields = await writeVersion(tx, ctx, after, 'update', before);
    await recordAudit(tx, ctx, {
      action: 'update',
      resourceType: 'Patient',
      resourceId: id,
      patientId: id,
      detail: { fields },
    });
    await appendEvent(tx, env.events, {
      type: PATIENT_EVENTS.updated,
      facilityId: row.facilityId,
      aggregateId: id,
      actorId: actorId(ctx.actor),
      payload: { patientId: id, version: after.version, fields },
    });
    return after;
  });
}

async function replaceIdentifiers(
  tx: Tx,
  env: PatientsEnv,
  patientId: string,
  list: UpdateInput['identifiers'] & {},
) {
  const existing = await tx
    .select()
    .from(patientIdentifiers)
    .where(eq(patientIdentifiers.patientId, patientId));
  const keep = new Set(list.flatMap((i) => ('id' in i && !('type' in i) ? [i.id] : [])));
  for (const id of keep) {
    if (!existing.some((e) => e.id === id)) {
      throw new RuleViolation(
        'PATIENT_IDENTIFIER_UNKNOWN',
        'An identifier to keep is not one of this patient',
        [{ path: 'body.identifiers', message: `${id} is not an identifier of this patient` }],
      );
    }
  }
  const drop = existing.filter((e) => !keep.has(e.id)).map((e) => e.id);
  if (drop.length > 0) await tx.delete(patientIdentifiers).where(inArray(patientIdentifiers.id, drop));
  const kept = new Set(existing.filter((e) => keep.has(e.id)).map((e) => e.valueHash));
  const added = list.flatMap((i) => ('type' in i ? [i as IdentifierValue] : []));
  await insertIdentifiers(
    tx,
    env,
    patientId,
    added.filter((i) => !kept.has(env.cipher.lookupHash(i.type, i.value))),
  );
}

export async function patientHistory(ctx: Ctx, id: string) {
  await loadPatientRow(ctx.db, id);
  const rows = await ctx.db
    .select()
    .from(patientVersions)
    .where(eq(patientVersions.patientId, id))
    .orderBy(desc(patientVersions.version));
  await recordAudit(ctx.db, ctx, {
    action: 'read',
    resourceType: 'Patient',
    resourceId: id,
    patientId: id,
    detail: { purpose: 'history' },
  });
  return rows;
}

/** One stored version of a patient (FHIR vread). */
export async function patientVersion(db: DbOrTx, id: string, version: number) {
  const [row] = await db
    .select()
    .from(patientVersions)
    .where(and(eq(patientVersions.patientId, id), eq(patientVersions.version, version)));
  if (!row) throw new NotFound('That version of the patient', 'PATIENT_VERSION_NOT_FOUND');
  return row;
}

// ------------------------------------------------------------------------------------------------------
// Photo
// ------------------------------------------------------------------------------------------------------

const JPEG = Buffer.from([0xff, 0xd8, 0xff]);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47]);

export async function setPhoto(ctx: Ctx, id: string, contentType: 'image/jpeg' | 'image/png', data: Buffer) {
  const magic = contentType === 'image/jpeg' ? JPEG : PNG;
  if (!data.subarray(0, magic.length).equals(magic)) {
    throw new RuleViolation('PATIENT_PHOTO_INVALID', `The photo is not a ${contentType} image`, [
      { path: 'body.data', message: `not a ${contentType} image` },
    ]);
  }
  await ctx.db.transaction(async (tx) => {
    const row = await loadPatientRow(tx, id, true);
    if (row.status === 'merged') throw new RuleViolation('PATIENT_MERGED', 'This record was merged');
    await tx
      .insert(patientPhotos)
      .values({ patientId: id, contentType, data, updatedAt: ctx.now })
      .onConflictDoUpdate({
        target: patientPhotos.patientId,
        set: { contentType, data, updatedAt: ctx.now },
      });
    await tx.update(patients).set({ hasPhoto: true, updatedAt: ctx.now }).where(eq(patients.id, id));
    await recordAudit(tx, ctx, {
      action: 'update',
      resourceType: 'PatientPhoto',
      resourceId: id,
      patientId: id,
    });
  });
}

export async function getPhoto(ctx: Ctx, id: string) {
  const [photo] = await ctx.db.select().from(patientPhotos).where(eq(patientPhotos.patientId, id));
  if (!photo) throw new NotFound('The photo');
  await recordAudit(ctx.db, ctx, {
    action: 'read',
    resourceType: 'PatientPhoto',
    resourceId: id,
    patientId: id,
  });
  return photo;
}

// ------------------------------------------------------------------------------------------------------
// Allergies and alerts
// ------------------------------------------------------------------------------------------------------

async function activePatient(tx: DbOrTx, id: string) {
  const row = await loadPatientRow(tx, id);
  if (row.status === 'merged') {
    throw new RuleViolation('PATIENT_MERGED', 'This record was merged; record it on the surviving record');
  }
  return row;
}

export async function addAllergy(
  ctx: Ctx,
  env: PatientsEnv,
  patientId: string,
  input: z.output<typeof AllergyInput>,
) {
  return ctx.db.transaction(async (tx) => {
    const p = await activePatient(tx, patientId);
    const [row] = await tx
      .insert(allergies)
      .values({
        patientId,
        category: input.category,
        substance: input.substance,
        code: input.code ?? null,
        reaction: input.reaction ?? null,
        severity: input.severity,
        note: input.note ?? null,
        recordedById: actorId(ctx.actor),
        recordedByName: actorName(ctx),
        recordedAt: ctx.now,
        updatedAt: ctx.now,
      })
      .returning();
    // A recorded allergy replaces an earlier "no known allergies".
    await tx
      .update(patients)
      .set({ noKnownAllergiesAt: null, noKnownAllergiesBy: null })
      .where(eq(patients.id, patientId));
    await recordAudit(tx, ctx, {
      action: 'create',
      resourceType: 'AllergyIntolerance',
      resourceId: row!.id,
      patientId,
      detail: { substance: input.substance, severity: input.severity },
    });
    await appendEvent(tx, env.events, {
      type: PATIENT_EVENTS.allergiesChanged,
      facilityId: p.facilityId,
      aggregateId: patientId,
      actorId: actorId(ctx.actor),
      payload: { patientId, allergyId: row!.id, change: 'added' },
    });
    return toAllergy(row!);
  });
}

export async function updateAllergy(
  ctx: Ctx,
  env: PatientsEnv,
  patientId: string,
  allergyId: string,
  input: z.output<typeof AllergyUpdate>,
) {
  return ctx.db.transaction(async (tx) => {
    const p = await activePatient(tx, patientId);
    const [current] = await tx
      .select()
      .from(allergies)
      .where(and(eq(allergies.id, allergyId), eq(allergies.patientId, patientId)))
      .for('update');
    if (!current) throw new NotFound('The allergy');
    if (current.version !== input.version) throw new StaleVersion('The allergy');
    const [row] = await tx
      .update(allergies)
      .set({
        status: input.status,
        statusReason: input.reason,
        version: current.version + 1,
        updatedAt: ctx.now,
      })
      .where(eq(allergies.id, allergyId))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'update',
      resourceType: 'AllergyIntolerance',
      resourceId: allergyId,
      patientId,
      detail: { from: current.status, to: input.status, reason: input.reason },
    });
    await appendEvent(tx, env.events, {
      type: PATIENT_EVENTS.allergiesChanged,
      facilityId: p.facilityId,
      aggregateId: patientId,
      actorId: actorId(ctx.actor),
      payload: { patientId, allergyId, change: input.status },
    });
    return toAllergy(row!);
  });
}

export async function recordNoKnownAllergies(
  ctx: Ctx,
  env: PatientsEnv,
  patientId: string,
): Promise<Patient> {
  return ctx.db.transaction(async (tx) => {
    const p = await activePatient(tx, patientId);
    const active = await tx
      .select({ id: allergies.id })
      .from(allergies)
      .where(and(eq(allergies.patientId, patientId), eq(allergies.status, 'active')));
    if (active.length > 0) {
      throw new RuleViolation(
        'PATIENT_HAS_ALLERGIES',
        'The patient has active allergies; mark them inactive or entered in error first',
      );
    }
    await tx
      .update(patients)
      .set({ noKnownAllergiesAt: ctx.now, noKnownAllergiesBy: actorName(ctx) })
      .where(eq(patients.id, patientId));
    await recordAudit(tx, ctx, {
      action: 'update',
      resourceType: 'AllergyIntolerance',
      resourceId: patientId,
      patientId,
      detail: { noKnownAllergies: true },
    });
    await appendEvent(tx, env.events, {
      type: PATIENT_EVENTS.allergiesChanged,
      facilityId: p.facilityId,
      aggregateId: patientId,
      actorId: actorId(ctx.actor),
      payload: { patientId, change: 'no-known-allergies' },
    });
    return loadPatient(tx, patientId, ctx.now);
  });
}

export async function addAlert(ctx: Ctx, patientId: string, input: z.output<typeof AlertInput>) {
  return ctx.db.transaction(async (tx) => {
    await activePatient(tx, patientId);
    const [row] = await tx
      .insert(alerts)
      .values({
        patientId,
        kind: input.kind,
        text: input.text,
        severity: input.severity,
        recordedById: actorId(ctx.actor),
        recordedByName: actorName(ctx),
        recordedAt: ctx.now,
        updatedAt: ctx.now,
      })
      .returning();
    await recordAudit(tx, ctx, {
      action: 'create',
      resourceType: 'Flag',
      resourceId: row!.id,
      patientId,
      detail: { kind: input.kind },
    });
    return toAlert(row!);
  });
}

export async function updateAlert(
  ctx: Ctx,
  patientId: string,
  alertId: string,
  input: z.output<typeof AlertUpdate>,
) {
  return ctx.db.transaction(async (tx) => {
    await activePatient(tx, patientId);
    const [current] = await tx
      .select()
      .from(alerts)
      .where(and(eq(alerts.id, alertId), eq(alerts.patientId, patientId)))
      .for('update');
    if (!current) throw new NotFound('The alert');
    if (current.version !== input.version) throw new StaleVersion('The alert');
    const [row] = await tx
      .update(alerts)
      .set({
        status: input.status,
        statusReason: input.reason,
        version: current.version + 1,
        updatedAt: ctx.now,
      })
      .where(eq(alerts.id, alertId))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'update',
      resourceType: 'Flag',
      resourceId: alertId,
      patientId,
      detail: { from: current.status, to: input.status, reason: input.reason },
    });
    return toAlert(row!);
  });
}

export function identifierLabel(type: string): string {
  return identifierLabels[type as IdentifierType] ?? type;
}

/** Printing a card or wristband shows the record: audited like a view. */
export async function auditDocument(ctx: Ctx, patientId: string, document: string) {
  await recordAudit(ctx.db, ctx, {
    action: 'read',
    resourceType: 'Patient',
    resourceId: patientId,
    patientId,
    detail: { purpose: `print ${document}` },
  });
}
