import {
  type AmendNoteBody,
  type CancelOrderBody,
  type ClinicalNote,
  type CloseEncounterBody,
  type CreateNoteBody,
  codedVitals,
  type Diagnosis,
  type DiagnosisBody,
  type DiagnosisUpdate,
  type Encounter,
  type EncounterDetail,
  type Observation,
  type Order,
  type OrderBody,
  type StartEncounterBody,
  type UpdateNoteBody,
  type VitalSign,
  type VitalsBody,
  vitalSigns,
} from '@newhms/contracts';
import { and, asc, desc, eq, gte, inArray, isNull, lt, lte, or } from 'drizzle-orm';
import type { z } from 'zod';
import { recordAudit } from '../../platform/audit/audit.service';
import { actorId, type Ctx } from '../../platform/context';
import { concurrently } from '../../platform/db/concurrently';
import type { DbOrTx, Tx } from '../../platform/db/database';
import { newId } from '../../platform/db/ids';
import { appendEvent, type EventRegistry } from '../../platform/events/outbox';
import { Conflict, NotFound, RuleViolation, StaleVersion } from '../../platform/http/errors';
import { decodeCursor, toPage } from '../../platform/http/pagination';
import { getPatient } from '../patients';
import {
  clinicalNotes,
  diagnoses,
  encounterLocations,
  encounters,
  icd10Codes,
  noteRevisions,
  observations,
  orders,
} from './encounters.tables';
import { ageInMonths, bmiOf, interpretVital } from './vitals';

export type EncountersEnv = { events: EventRegistry };

export const ENCOUNTER_EVENTS = {
  started: 'encounters.encounter.started',
  finished: 'encounters.encounter.finished',
  vitalsRecorded: 'encounters.vitals.recorded',
  noteSigned: 'encounters.note.signed',
  diagnosisRecorded: 'encounters.diagnosis.recorded',
  orderPlaced: 'encounters.order.placed',
  orderCancelled: 'encounters.order.cancelled',
} as const;

type EncounterRow = typeof encounters.$inferSelect;
type NoteRow = typeof clinicalNotes.$inferSelect;

const iso = (d: Date) => d.toISOString();

export function toEncounter(r: EncounterRow): Encounter {
  return {
    id: r.id,
    patientId: r.patientId,
    facilityId: r.facilityId,
    class: r.class as Encounter['class'],
    status: r.status as Encounter['status'],
    departmentId: r.departmentId,
    practitionerId: r.practitionerId,
    practitionerName: r.practitionerName,
    reason: r.reason,
    sourceType: r.sourceType,
    sourceId: r.sourceId,
    startedAt: iso(r.startedAt),
    endedAt: r.endedAt ? iso(r.endedAt) : null,
    followUpDate: r.followUpDate,
    advice: r.advice,
    referral: r.referral,
    version: r.version,
  };
}

function toObservation(r: typeof observations.$inferSelect): Observation {
  return {
    id: r.id,
    encounterId: r.encounterId,
    patientId: r.patientId,
    category: r.category as Observation['category'],
    code: r.code,
    system: r.system,
    display: r.display,
    value: r.value,
    valueText: r.valueText,
    unit: r.unit,
    interpretation: r.interpretation as Observation['interpretation'],
    status: r.status as Observation['status'],
    effectiveAt: iso(r.effectiveAt),
    recordedBy: r.recordedByName,
    groupId: r.groupId,
  };
}

function toDiagnosis(r: typeof diagnoses.$inferSelect): Diagnosis {
  return {
    id: r.id,
    encounterId: r.encounterId,
    patientId: r.patientId,
    code: r.code,
    system: r.system,
    display: r.display,
    kind: r.kind as Diagnosis['kind'],
    rank: r.rank as Diagnosis['rank'],
    status: r.status as Diagnosis['status'],
    note: r.note,
    recordedBy: r.recordedByName,
    recordedAt: iso(r.recordedAt),
    version: r.version,
  };
}

function toOrder(r: typeof orders.$inferSelect): Order {
  return {
    id: r.id,
    encounterId: r.encounterId,
    patientId: r.patientId,
    category: r.category as Order['category'],
    code: r.code,
    system: r.system,
    display: r.display,
    priority: r.priority as Order['priority'],
    status: r.status as Order['status'],
    note: r.note,
    requestedBy: r.requestedByName,
    requestedAt: iso(r.requestedAt),
    cancelReason: r.cancelReason,
    fulfilmentStatus: r.fulfilmentStatus as Order['fulfilmentStatus'],
    fulfilmentNote: r.fulfilmentNote,
    fulfilmentUpdatedAt: r.fulfilmentUpdatedAt ? iso(r.fulfilmentUpdatedAt) : null,
    fulfilledAt: r.fulfilledAt ? iso(r.fulfilledAt) : null,
    version: r.version,
  };
}

async function toNote(db: DbOrTx, r: NoteRow): Promise<ClinicalNote> {
  const revisions = await db
    .select()
    .from(noteRevisions)
    .where(eq(noteRevisions.noteId, r.id))
    .orderBy(desc(noteRevisions.revision));
  return {
    id: r.id,
    encounterId: r.encounterId,
    patientId: r.patientId,
    kind: r.kind as ClinicalNote['kind'],
    status: r.status as ClinicalNote['status'],
    sections: r.sections as ClinicalNote['sections'],
    authorId: r.authorId,
    authorName: r.authorName,
    signedAt: r.signedAt ? iso(r.signedAt) : null,
    signedBy: r.signedByName,
    amendmentReason: r.amendmentReason,
    revisions: revisions.map((v) => ({
      revision: v.revision,
      sections: v.sections as ClinicalNote['sections'],
      signedAt: iso(v.signedAt),
      signedBy: v.signedByName,
      reason: v.reason,
    })),
    version: r.version,
    createdAt: iso(r.createdAt),
    updatedAt: iso(r.updatedAt),
  };
}

const actorName = (ctx: Ctx) => ctx.actor.name;

function requireFacility(ctx: Ctx): string {
  if (!ctx.facilityId) throw new RuleViolation('FACILITY_REQUIRED', 'Choose a facility first');
  return ctx.facilityId;
}

async function loadEncounterRow(db: DbOrTx, id: string, lock = false): Promise<EncounterRow> {
  const q = db.select().from(encounters).where(eq(encounters.id, id));
  const [row] = lock ? await q.for('update') : await q;
  if (!row) throw new NotFound('The encounter', 'ENCOUNTER_NOT_FOUND');
  return row;
}

/** Clinical writes need an open encounter: not finished long ago, not cancelled or in error. */
function assertOpen(row: EncounterRow) {
  if (row.status === 'cancelled' || row.status === 'entered-in-error') {
    throw new RuleViolation('ENCOUNTER_CLOSED', `The encounter is ${row.status}`);
  }
}

// ------------------------------------------------------------------------------------------------------
// Encounters
// ------------------------------------------------------------------------------------------------------

/**
 * Starts an encounter for a patient. With a source (an OPD token, an appointment, an admission) it is
 * idempotent: the same source gives back the same encounter.
 */
export async function startEncounter(
  ctx: Ctx,
  env: EncountersEnv,
  input: z.input<typeof StartEncounterBody> & { practitionerName?: string | null },
): Promise<Encounter> {
  const facilityId = requireFacility(ctx);
  const patient = await getPatient(ctx.db, input.patientId, ctx.now);
  if (patient.status === 'merged') {
    throw new RuleViolation('PATIENT_MERGED', 'This record was merged; use the surviving record', [
      { path: 'body.patientId', message: `merged into ${patient.mergedIntoId}` },
    ]);
  }
  if (input.sourceType && input.sourceId) {
    const [existing] = await ctx.db
      .select()
      .from(encounters)
      .where(and(eq(encounters.sourceType, input.sourceType), eq(encounters.sourceId, input.sourceId)));
    if (existing) return toEncounter(existing);
  }
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(encounters)
      .values({
        patientId: input.patientId,
        facilityId,
        class: input.class ?? 'ambulatory',
        status: 'in-progress',
        departmentId: input.departmentId ?? null,
        practitionerId: input.practitionerId ?? null,
        practitionerName: input.practitionerName ?? null,
        reason: input.reason ?? null,
        sourceType: input.sourceType ?? null,
        sourceId: input.sourceId ?? null,
        startedAt: ctx.now,
        createdById: actorId(ctx.actor),
        createdAt: ctx.now,
        updatedAt: ctx.now,
      })
      .returning();
    await recordAudit(tx, ctx, {
      action: 'create',
      resourceType: 'Encounter',
      resourceId: row!.id,
      patientId: input.patientId,
      detail: { class: row!.class, sourceType: row!.sourceType },
    });
    await appendEvent(tx, env.events, {
      type: ENCOUNTER_EVENTS.started,
      facilityId,
      aggregateId: row!.id,
      actorId: actorId(ctx.actor),
      payload: {
        encounterId: row!.id,
        patientId: row!.patientId,
        class: row!.class,
        practitionerId: row!.practitionerId,
        departmentId: row!.departmentId,
        sourceType: row!.sourceType,
        sourceId: row!.sourceId,
      },
    });
    return toEncounter(row!);
  });
}

/** The encounter with everything recorded in it; audited as a view of the patient's record. */
export async function getEncounterDetail(ctx: Ctx, id: string): Promise<EncounterDetail> {
  const row = await loadEncounterRow(ctx.db, id);
  const [vitals, notes, dx, ord] = await concurrently(ctx.db, [
    () =>
      ctx.db
        .select()
        .from(observations)
        .where(and(eq(observations.encounterId, id), eq(observations.category, 'vital-signs')))
        .orderBy(asc(observations.effectiveAt), asc(observations.code)),
    () =>
      ctx.db
        .select()
        .from(clinicalNotes)
        .where(eq(clinicalNotes.encounterId, id))
        .orderBy(asc(clinicalNotes.createdAt)),
    () =>
      ctx.db.select().from(diagnoses).where(eq(diagnoses.encounterId, id)).orderBy(asc(diagnoses.recordedAt)),
    () => ctx.db.select().from(orders).where(eq(orders.encounterId, id)).orderBy(asc(orders.requestedAt)),
  ]);
  await recordAudit(ctx.db, ctx, {
    action: 'read',
    resourceType: 'Encounter',
    resourceId: id,
    patientId: row.patientId,
  });
  return {
    encounter: toEncounter(row),
    vitals: vitals.map(toObservation),
    notes: await Promise.all(notes.map((n) => toNote(ctx.db, n))),
    diagnoses: dx.map(toDiagnosis),
    orders: ord.map(toOrder),
  };
}

/** For other modules: the encounter itself, without an audit entry (callers audit their own reads). */
export async function getEncounter(db: DbOrTx, id: string): Promise<Encounter> {
  return toEncounter(await loadEncounterRow(db, id));
}

export async function listPatientEncounters(
  ctx: Ctx,
  patientId: string,
  query: { limit: number; cursor?: string | undefined },
) {
  const after = decodeCursor(query.cursor, 2);
  const rows = await ctx.db
    .select()
    .from(encounters)
    .where(
      and(
        eq(encounters.patientId, patientId),
        after
          ? or(
              lt(encounters.startedAt, new Date(String(after[0]))),
              and(eq(encounters.startedAt, new Date(String(after[0]))), lt(encounters.id, String(after[1]))),
            )
          : undefined,
      ),
    )
    .orderBy(desc(encounters.startedAt), desc(encounters.id))
    .limit(query.limit + 1);
  await recordAudit(ctx.db, ctx, {
    action: 'read',
    resourceType: 'Encounter',
    patientId,
    detail: { purpose: 'list', results: Math.min(rows.length, query.limit) },
  });
  return toPage(rows.map(toEncounter), query.limit, (e) => [e.startedAt, e.id]);
}

/** Finishes a consultation with advice, follow-up and referral. */
export async function finishEncounter(
  ctx: Ctx,
  env: EncountersEnv,
  id: string,
  input: z.output<typeof CloseEncounterBody>,
): Promise<Encounter> {
  return ctx.db.transaction(async (tx) => {
    const row = await loadEncounterRow(tx, id, true);
    if (row.version !== input.version) throw new StaleVersion('The encounter');
    assertOpen(row);
    if (row.status === 'finished')
      throw new Conflict('ENCOUNTER_FINISHED', 'The encounter is already finished');
    const [updated] = await tx
      .update(encounters)
      .set({
        status: 'finished',
        endedAt: ctx.now,
        followUpDate: input.followUpDate ?? null,
        advice: input.advice ?? null,
        referral: input.referral ?? null,
        version: row.version + 1,
        updatedAt: ctx.now,
      })
      .where(eq(encounters.id, id))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'update',
      resourceType: 'Encounter',
      resourceId: id,
      patientId: row.patientId,
      detail: { status: 'finished', followUpDate: input.followUpDate ?? null },
    });
    await appendEvent(tx, env.events, {
      type: ENCOUNTER_EVENTS.finished,
      facilityId: row.facilityId,
      aggregateId: id,
      actorId: actorId(ctx.actor),
      payload: {
        encounterId: id,
        patientId: row.patientId,
        class: row.class,
        practitionerId: row.practitionerId,
        sourceType: row.sourceType,
        sourceId: row.sourceId,
        followUpDate: input.followUpDate ?? null,
      },
    });
    return toEncounter(updated!);
  });
}

// ------------------------------------------------------------------------------------------------------
// Vitals
// ------------------------------------------------------------------------------------------------------

export async function recordVitals(
  ctx: Ctx,
  env: EncountersEnv,
  encounterId: string,
  input: z.output<typeof VitalsBody>,
): Promise<Observation[]> {
  const encounter = await loadEncounterRow(ctx.db, encounterId);
  assertOpen(encounter);
  const patient = await getPatient(ctx.db, encounter.patientId, ctx.now);
  const effectiveAt = input.effectiveAt ? new Date(input.effectiveAt) : ctx.now;
  if (effectiveAt.getTime() > ctx.now.getTime() + 5 * 60_000) {
    throw new RuleViolation('VITALS_IN_FUTURE', 'Vitals cannot be recorded for a time in the future', [
      { path: 'body.effectiveAt', message: 'in the future' },
    ]);
  }
  const age = ageInMonths(patient.birthDate, effectiveAt);
  const values: [VitalSign, number][] = (Object.keys(vitalSigns) as VitalSign[]).flatMap((k) => {
    const v = (input as Record<string, unknown>)[k];
    return typeof v === 'number' ? [[k, v] as [VitalSign, number]] : [];
  });
  if (input.weight !== undefined && input.height !== undefined)
    values.push(['bmi', bmiOf(input.weight, input.height)]);
  const groupId = newId();
  const recorded = {
    encounterId,
    patientId: encounter.patientId,
    category: 'vital-signs',
    groupId,
    effectiveAt,
    recordedById: actorId(ctx.actor),
    recordedByName: actorName(ctx),
    recordedAt: ctx.now,
  };
  // The coded vitals NEWS2 needs: ACVPU as text, air or oxygen as the inhaled O2 flow (0 on room air).
  const coded: (typeof observations.$inferInsert)[] = [];
  if (input.consciousness !== undefined) {
    coded.push({
      ...recorded,
      code: codedVitals.consciousness.loinc,
      display: codedVitals.consciousness.display,
      valueText: input.consciousness,
    });
  }
  if (input.supplementalOxygen !== undefined || input.oxygenFlowRate !== undefined) {
    const onOxygen = input.supplementalOxygen ?? (input.oxygenFlowRate ?? 0) > 0;
    coded.push({
      ...recorded,
      code: codedVitals.supplementalOxygen.loinc,
      display: codedVitals.supplementalOxygen.display,
      value: onOxygen ? (input.oxygenFlowRate ?? null) : 0,
      valueText: onOxygen ? 'supplemental oxygen' : 'room air',
      unit: codedVitals.supplementalOxygen.unit,
    });
  }
  return ctx.db.transaction(async (tx) => {
    const rows = await tx
      .insert(observations)
      .values([
        ...values.map(([k, v]) => ({
          ...recorded,
          code: vitalSigns[k].loinc,
          display: vitalSigns[k].display,
          value: v,
          unit: vitalSigns[k].unit,
          interpretation: interpretVital(k, v, age),
        })),
        ...coded,
      ])
      .returning();
    const flagged = rows.filter((r) => r.interpretation && r.interpretation !== 'N');
    await recordAudit(tx, ctx, {
      action: 'create',
      resourceType: 'Observation',
      resourceId: groupId,
      patientId: encounter.patientId,
      detail: { vitals: rows.length, flagged: flagged.map((r) => `${r.display} ${r.interpretation}`) },
    });
    await appendEvent(tx, env.events, {
      type: ENCOUNTER_EVENTS.vitalsRecorded,
      facilityId: encounter.facilityId,
      aggregateId: encounterId,
      actorId: actorId(ctx.actor),
      payload: {
        encounterId,
        patientId: encounter.patientId,
        groupId,
        values: Object.fromEntries(
          rows.map((r) => [r.code, { value: r.value, interpretation: r.interpretation }]),
        ),
      },
    });
    return rows.map(toObservation);
  });
}

/**
 * For other modules (the IPD flow sheet): an encounter's vital signs over a time range with the set each
 * belongs to, oldest first, at most `limit` observations. Not audited here: the caller audits its read.
 */
export async function encounterVitals(
  db: DbOrTx,
  encounterId: string,
  range: { from: Date; to: Date; limit?: number },
): Promise<Observation[]> {
  const rows = await db
    .select()
    .from(observations)
    .where(
      and(
        eq(observations.encounterId, encounterId),
        eq(observations.category, 'vital-signs'),
        gte(observations.effectiveAt, range.from),
        lte(observations.effectiveAt, range.to),
      ),
    )
    .orderBy(asc(observations.effectiveAt), asc(observations.id))
    .limit(range.limit ?? 5000);
  return rows.map(toObservation);
}

/** A patient's vitals over time (trend chart), newest last; optionally one LOINC code. */
export async function vitalsHistory(
  ctx: Ctx,
  patientId: string,
  code?: string,
  limit = 200,
): Promise<Observation[]> {
  const rows = await ctx.db
    .select()
    .from(observations)
    .where(
      and(
        eq(observations.patientId, patientId),
        eq(observations.category, 'vital-signs'),
        code ? eq(observations.code, code) : undefined,
      ),
    )
    .orderBy(desc(observations.effectiveAt))
    .limit(limit);
  await recordAudit(ctx.db, ctx, {
    action: 'read',
    resourceType: 'Observation',
    patientId,
    detail: { purpose: 'vitals trend', code, results: rows.length },
  });
  return rows.reverse().map(toObservation);
}

export async function markObservationInError(ctx: Ctx, observationId: string, reason: string) {
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(observations)
      .where(eq(observations.id, observationId))
      .for('update');
    if (!row) throw new NotFound('The observation');
    const [updated] = await tx
      .update(observations)
      .set({ status: 'entered-in-error' })
      .where(eq(observations.id, observationId))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'update',
      resourceType: 'Observation',
      resourceId: observationId,
      patientId: row.patientId,
      detail: { status: 'entered-in-error', reason },
    });
    return toObservation(updated!);
  });
}

// ------------------------------------------------------------------------------------------------------
// Notes: draft -> signed -> amended (the signed text is kept as a revision)
// ------------------------------------------------------------------------------------------------------

async function loadNote(tx: DbOrTx, encounterId: string, noteId: string, lock = false): Promise<NoteRow> {
  const q = tx
    .select()
    .from(clinicalNotes)
    .where(and(eq(clinicalNotes.id, noteId), eq(clinicalNotes.encounterId, encounterId)));
  const [row] = lock ? await q.for('update') : await q;
  if (!row) throw new NotFound('The note', 'NOTE_NOT_FOUND');
  return row;
}

export async function createNote(ctx: Ctx, encounterId: string, input: z.output<typeof CreateNoteBody>) {
  const encounter = await loadEncounterRow(ctx.db, encounterId);
  assertOpen(encounter);
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(clinicalNotes)
      .values({
        encounterId,
        patientId: encounter.patientId,
        kind: input.kind,
        sections: input.sections,
        authorId: actorId(ctx.actor),
        authorName: actorName(ctx),
        createdAt: ctx.now,
        updatedAt: ctx.now,
      })
      .returning();
    await recordAudit(tx, ctx, {
      action: 'create',
      resourceType: 'ClinicalNote',
      resourceId: row!.id,
      patientId: encounter.patientId,
      detail: { kind: input.kind },
    });
    return toNote(tx, row!);
  });
}

function assertAuthor(ctx: Ctx, note: NoteRow) {
  if (ctx.actor.type === 'user' && note.authorId && note.authorId !== ctx.actor.userId) {
    throw new RuleViolation('NOTE_NOT_AUTHOR', 'Only the author may edit or sign this note');
  }
}

export async function updateDraft(
  ctx: Ctx,
  encounterId: string,
  noteId: string,
  input: z.output<typeof UpdateNoteBody>,
) {
  return ctx.db.transaction(async (tx) => {
    const note = await loadNote(tx, encounterId, noteId, true);
    if (note.version !== input.version) throw new StaleVersion('The note');
    if (note.status !== 'draft') {
      throw new RuleViolation('NOTE_SIGNED', 'A signed note is not edited: amend it with a reason');
    }
    assertAuthor(ctx, note);
    const [row] = await tx
      .update(clinicalNotes)
      .set({ sections: input.sections, version: note.version + 1, updatedAt: ctx.now })
      .where(eq(clinicalNotes.id, noteId))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'update',
      resourceType: 'ClinicalNote',
      resourceId: noteId,
      patientId: note.patientId,
      detail: { status: 'draft' },
    });
    return toNote(tx, row!);
  });
}

export async function signNote(
  ctx: Ctx,
  env: EncountersEnv,
  encounterId: string,
  noteId: string,
  version: number,
) {
  return ctx.db.transaction(async (tx) => {
    const note = await loadNote(tx, encounterId, noteId, true);
    if (note.version !== version) throw new StaleVersion('The note');
    if (note.status !== 'draft') throw new Conflict('NOTE_ALREADY_SIGNED', 'The note is already signed');
    assertAuthor(ctx, note);
    const sections = note.sections as Record<string, string | undefined>;
    if (!Object.values(sections).some((v) => v && v.trim() !== '')) {
      throw new RuleViolation('NOTE_EMPTY', 'An empty note cannot be signed');
    }
    const [row] = await tx
      .update(clinicalNotes)
      .set({
        status: 'signed',
        signedAt: ctx.now,
        signedById: actorId(ctx.actor),
        signedByName: actorName(ctx),
        version: note.version + 1,
        updatedAt: ctx.now,
      })
      .where(eq(clinicalNotes.id, noteId))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'sign',
      resourceType: 'ClinicalNote',
      resourceId: noteId,
      patientId: note.patientId,
    });
    const encounter = await loadEncounterRow(tx, encounterId);
    await appendEvent(tx, env.events, {
      type: ENCOUNTER_EVENTS.noteSigned,
      facilityId: encounter.facilityId,
      aggregateId: encounterId,
      actorId: actorId(ctx.actor),
      payload: { encounterId, noteId, patientId: note.patientId, kind: note.kind },
    });
    return toNote(tx, row!);
  });
}

export async function amendNote(
  ctx: Ctx,
  encounterId: string,
  noteId: string,
  input: z.output<typeof AmendNoteBody>,
) {
  return ctx.db.transaction(async (tx) => {
    const note = await loadNote(tx, encounterId, noteId, true);
    if (note.version !== input.version) throw new StaleVersion('The note');
    if (note.status !== 'signed' && note.status !== 'amended') {
      throw new RuleViolation('NOTE_NOT_SIGNED', 'Only a signed note is amended; edit the draft instead');
    }
    assertAuthor(ctx, note);
    const [last] = await tx
      .select({ revision: noteRevisions.revision })
      .from(noteRevisions)
      .where(eq(noteRevisions.noteId, noteId))
      .orderBy(desc(noteRevisions.revision))
      .limit(1);
    await tx.insert(noteRevisions).values({
      noteId,
      revision: (last?.revision ?? 0) + 1,
      sections: note.sections,
      signedAt: note.signedAt!,
      signedByName: note.signedByName ?? note.authorName,
      reason: note.amendmentReason,
    });
    const [row] = await tx
      .update(clinicalNotes)
      .set({
        status: 'amended',
        sections: input.sections,
        amendmentReason: input.reason,
        signedAt: ctx.now,
        signedById: actorId(ctx.actor),
        signedByName: actorName(ctx),
        version: note.version + 1,
        updatedAt: ctx.now,
      })
      .where(eq(clinicalNotes.id, noteId))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'amend',
      resourceType: 'ClinicalNote',
      resourceId: noteId,
      patientId: note.patientId,
      detail: { reason: input.reason },
    });
    return toNote(tx, row!);
  });
}

/** Notes still in draft written by a user: the doctor's "unsigned notes" list. */
export async function unsignedNotesOf(db: DbOrTx, userId: string) {
  return db
    .select({
      id: clinicalNotes.id,
      encounterId: clinicalNotes.encounterId,
      patientId: clinicalNotes.patientId,
      kind: clinicalNotes.kind,
      updatedAt: clinicalNotes.updatedAt,
    })
    .from(clinicalNotes)
    .where(and(eq(clinicalNotes.authorId, userId), eq(clinicalNotes.status, 'draft')))
    .orderBy(asc(clinicalNotes.updatedAt))
    .limit(100);
}

// ------------------------------------------------------------------------------------------------------
// Diagnoses (ICD-10)
// ------------------------------------------------------------------------------------------------------

export async function addDiagnosis(
  ctx: Ctx,
  env: EncountersEnv,
  encounterId: string,
  input: z.output<typeof DiagnosisBody>,
): Promise<Diagnosis> {
  const encounter = await loadEncounterRow(ctx.db, encounterId);
  assertOpen(encounter);
  const [code] = await ctx.db.select().from(icd10Codes).where(eq(icd10Codes.code, input.code));
  if (!code) {
    throw new RuleViolation('ICD10_UNKNOWN', `${input.code} is not in the ICD-10 code set`, [
      { path: 'body.code', message: 'unknown ICD-10 code' },
    ]);
  }
  return ctx.db.transaction(async (tx) => {
    if (input.rank === 'primary') {
      // One primary diagnosis per encounter: an earlier one becomes secondary.
      await tx
        .update(diagnoses)
        .set({ rank: 'secondary', updatedAt: ctx.now })
        .where(and(eq(diagnoses.encounterId, encounterId), eq(diagnoses.rank, 'primary')));
    }
    const [row] = await tx
      .insert(diagnoses)
      .values({
        encounterId,
        patientId: encounter.patientId,
        code: code.code,
        system: code.system,
        display: code.title,
        kind: input.kind,
        rank: input.rank,
        note: input.note ?? null,
        recordedById: actorId(ctx.actor),
        recordedByName: actorName(ctx),
        recordedAt: ctx.now,
        updatedAt: ctx.now,
      })
      .returning();
    await recordAudit(tx, ctx, {
      action: 'create',
      resourceType: 'Condition',
      resourceId: row!.id,
      patientId: encounter.patientId,
      detail: { code: code.code, kind: input.kind },
    });
    await appendEvent(tx, env.events, {
      type: ENCOUNTER_EVENTS.diagnosisRecorded,
      facilityId: encounter.facilityId,
      aggregateId: encounterId,
      actorId: actorId(ctx.actor),
      payload: {
        encounterId,
        diagnosisId: row!.id,
        patientId: encounter.patientId,
        code: code.code,
        kind: input.kind,
      },
    });
    return toDiagnosis(row!);
  });
}

export async function updateDiagnosis(
  ctx: Ctx,
  encounterId: string,
  diagnosisId: string,
  input: z.output<typeof DiagnosisUpdate>,
): Promise<Diagnosis> {
  return ctx.db.transaction(async (tx) => {
    const [current] = await tx
      .select()
      .from(diagnoses)
      .where(and(eq(diagnoses.id, diagnosisId), eq(diagnoses.encounterId, encounterId)))
      .for('update');
    if (!current) throw new NotFound('The diagnosis');
    if (current.version !== input.version) throw new StaleVersion('The diagnosis');
    if (input.status === 'entered-in-error' && !input.reason) {
      throw new RuleViolation('REASON_REQUIRED', 'Say why the diagnosis was entered in error', [
        { path: 'body.reason', message: 'required for entered-in-error' },
      ]);
    }
    if (input.rank === 'primary') {
      await tx
        .update(diagnoses)
        .set({ rank: 'secondary', updatedAt: ctx.now })
        .where(and(eq(diagnoses.encounterId, encounterId), eq(diagnoses.rank, 'primary')));
    }
    const [row] = await tx
      .update(diagnoses)
      .set({
        ...(input.kind ? { kind: input.kind } : {}),
        ...(input.rank ? { rank: input.rank } : {}),
        ...(input.status ? { status: input.status, statusReason: input.reason ?? null } : {}),
        version: current.version + 1,
        updatedAt: ctx.now,
      })
      .where(eq(diagnoses.id, diagnosisId))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'update',
      resourceType: 'Condition',
      resourceId: diagnosisId,
      patientId: current.patientId,
      detail: { kind: input.kind, rank: input.rank, status: input.status, reason: input.reason },
    });
    return toDiagnosis(row!);
  });
}

/** Active diagnoses across a patient's encounters (the "active problems" shown while consulting). */
export async function activeProblems(db: DbOrTx, patientId: string): Promise<Diagnosis[]> {
  const rows = await db
    .select()
    .from(diagnoses)
    .where(
      and(eq(diagnoses.patientId, patientId), eq(diagnoses.status, 'active'), eq(diagnoses.kind, 'final')),
    )
    .orderBy(desc(diagnoses.recordedAt))
    .limit(100);
  const seen = new Set<string>();
  return rows.filter((r) => !seen.has(r.code) && seen.add(r.code)).map(toDiagnosis);
}

// ------------------------------------------------------------------------------------------------------
// Orders
// ------------------------------------------------------------------------------------------------------

export async function placeOrder(
  ctx: Ctx,
  env: EncountersEnv,
  encounterId: string,
  input: z.output<typeof OrderBody>,
): Promise<Order> {
  const encounter = await loadEncounterRow(ctx.db, encounterId);
  assertOpen(encounter);
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(orders)
      .values({
        encounterId,
        patientId: encounter.patientId,
        facilityId: encounter.facilityId,
        category: input.category,
        code: input.code ?? null,
        system: input.system ?? null,
        display: input.display,
        priority: input.priority,
        note: input.note ?? null,
        requestedById: actorId(ctx.actor),
        requestedByName: actorName(ctx),
        requestedAt: ctx.now,
        updatedAt: ctx.now,
      })
      .returning();
    await recordAudit(tx, ctx, {
      action: 'create',
      resourceType: 'ServiceRequest',
      resourceId: row!.id,
      patientId: encounter.patientId,
      detail: { category: input.category, display: input.display, priority: input.priority },
    });
    await appendEvent(tx, env.events, {
      type: ENCOUNTER_EVENTS.orderPlaced,
      facilityId: encounter.facilityId,
      aggregateId: row!.id,
      actorId: actorId(ctx.actor),
      payload: {
        orderId: row!.id,
        encounterId,
        patientId: encounter.patientId,
        category: row!.category,
        code: row!.code,
        system: row!.system,
        priority: row!.priority,
      },
    });
    return toOrder(row!);
  });
}

export async function cancelOrder(
  ctx: Ctx,
  env: EncountersEnv,
  encounterId: string,
  orderId: string,
  input: z.output<typeof CancelOrderBody>,
): Promise<Order> {
  return ctx.db.transaction(async (tx) => {
    const [current] = await tx
      .select()
      .from(orders)
      .where(and(eq(orders.id, orderId), eq(orders.encounterId, encounterId)))
      .for('update');
    if (!current) throw new NotFound('The order');
    if (current.version !== input.version) throw new StaleVersion('The order');
    if (current.status !== 'active') {
      throw new RuleViolation(
        'ORDER_NOT_CANCELLABLE',
        `An order that is ${current.status} cannot be cancelled`,
      );
    }
    const [row] = await tx
      .update(orders)
      .set({
        status: 'cancelled',
        cancelReason: input.reason,
        version: current.version + 1,
        updatedAt: ctx.now,
      })
      .where(eq(orders.id, orderId))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'update',
      resourceType: 'ServiceRequest',
      resourceId: orderId,
      patientId: current.patientId,
      detail: { status: 'cancelled', reason: input.reason },
    });
    await appendEvent(tx, env.events, {
      type: ENCOUNTER_EVENTS.orderCancelled,
      facilityId: current.facilityId,
      aggregateId: orderId,
      actorId: actorId(ctx.actor),
      payload: { orderId, encounterId, patientId: current.patientId, reason: input.reason },
    });
    return toOrder(row!);
  });
}

// ------------------------------------------------------------------------------------------------------
// Merges: every row of a merged patient follows the survivor
// ------------------------------------------------------------------------------------------------------

export async function followMerge(tx: DbOrTx, survivorId: string, mergedId: string): Promise<void> {
  for (const table of [encounters, observations, clinicalNotes, diagnoses, orders] as const) {
    await (tx as Tx)
      .update(table)
      .set({ patientId: survivorId } as never)
      .where(eq(table.patientId, mergedId));
  }
}

// ------------------------------------------------------------------------------------------------------
// In-patient stays: where the patient is (FHIR Encounter.location), and the end of the stay
// ------------------------------------------------------------------------------------------------------

/** Records that the encounter's patient is at a location (a bed) from a time, in the caller's transaction. */
export async function recordEncounterLocation(
  tx: DbOrTx,
  input: { encounterId: string; locationId: string; display: string; startedAt: Date },
): Promise<void> {
  await tx.insert(encounterLocations).values({
    encounterId: input.encounterId,
    locationId: input.locationId,
    display: input.display,
    physicalType: 'bd',
    startedAt: input.startedAt,
  });
}

/** Ends the encounter's open location periods (all of them, or the one at locationId) at a time. */
export async function endEncounterLocation(
  tx: DbOrTx,
  input: { encounterId: string; locationId?: string; endedAt: Date },
): Promise<void> {
  await tx
    .update(encounterLocations)
    .set({ endedAt: input.endedAt })
    .where(
      and(
        eq(encounterLocations.encounterId, input.encounterId),
        isNull(encounterLocations.endedAt),
        input.locationId ? eq(encounterLocations.locationId, input.locationId) : undefined,
      ),
    );
}

/**
 * Ends an in-patient stay's encounter from the module that owns the stay, in the caller's transaction:
 * `finished` at discharge (emits encounters.encounter.finished), `entered-in-error` when the admission was a
 * mistake. Idempotent: an encounter already ended is left as it is.
 */
export async function endStayEncounter(
  tx: DbOrTx,
  ctx: Omit<Ctx, 'db'>,
  env: EncountersEnv,
  encounterId: string,
  input: { status: 'finished' | 'entered-in-error'; endedAt: Date; reason?: string | null },
): Promise<void> {
  const row = await loadEncounterRow(tx, encounterId, true);
  if (row.status !== 'in-progress' && row.status !== 'arrived' && row.status !== 'planned') return;
  await tx
    .update(encounters)
    .set({ status: input.status, endedAt: input.endedAt, version: row.version + 1, updatedAt: ctx.now })
    .where(eq(encounters.id, encounterId));
  await recordAudit(tx, ctx, {
    action: 'update',
    resourceType: 'Encounter',
    resourceId: encounterId,
    patientId: row.patientId,
    detail: { status: input.status, reason: input.reason ?? null },
  });
  if (input.status === 'finished') {
    await appendEvent(tx, env.events, {
      type: ENCOUNTER_EVENTS.finished,
      facilityId: row.facilityId,
      aggregateId: encounterId,
      actorId: actorId(ctx.actor),
      payload: {
        encounterId,
        patientId: row.patientId,
        class: row.class,
        practitionerId: row.practitionerId,
        sourceType: row.sourceType,
        sourceId: row.sourceId,
        followUpDate: null,
      },
    });
  }
}

/** Whether the encounter has a signed (or amended) note of one of these kinds. */
export async function hasSignedNote(
  db: DbOrTx,
  encounterId: string,
  kinds: readonly string[],
): Promise<boolean> {
  const [row] = await db
    .select({ id: clinicalNotes.id })
    .from(clinicalNotes)
    .where(
      and(
        eq(clinicalNotes.encounterId, encounterId),
        inArray(clinicalNotes.kind, [...kinds]),
        inArray(clinicalNotes.status, ['signed', 'amended']),
      ),
    )
    .limit(1);
  return !!row;
}
