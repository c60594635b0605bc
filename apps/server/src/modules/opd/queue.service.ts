import {
  type Appointment,
  OPD_EVENTS,
  type PatientSummary,
  type PriorityKind,
  type Queue,
  type QueueToken,
} from '@newhms/contracts';
import { and, asc, desc, eq, inArray, ne, sql } from 'drizzle-orm';
import { recordAudit } from '../../platform/audit/audit.service';
import { actorId, type Ctx } from '../../platform/context';
import { nextCounterValue } from '../../platform/db/counters';
import type { DbOrTx, Tx } from '../../platform/db/database';
import { Conflict, Forbidden, NotFound, RuleViolation, StaleVersion } from '../../platform/http/errors';
import { bookablePatient, lastSeenBy, presentAppointments } from './appointments.service';
import { openConsultation } from './encounter-link';
import { emitAppointmentEvent, emitTokenEvent, notifyBoard, type OpdEnv } from './opd.events';
import { appointments, practitioners, sessions, tokens } from './opd.tables';
import {
  type FacilityClock,
  facilityClock,
  loadPractitioner,
  loadSettings,
  worklistPractitioner,
} from './opd-lookups';
import {
  type AppointmentRow,
  type PractitionerRow,
  readPatients,
  requireFacility,
  type SessionRow,
  type TokenRow,
  toToken,
  withConstraintErrors,
} from './opd-records';
import {
  canTransition,
  compareQueue,
  effectivePriorities,
  feeKindFor,
  priorityRank,
  queueTime,
  type TokenAction,
  tokenLabel,
  tokenTransitions,
} from './queue-rules';

// Check-in (appointments and walk-ins), the token queue and its state machine, transfers, and the start of
// the consultation. Every change NOTIFYs the room's board channel inside its transaction.

const tokenConstraints = {
  tokens_patient_practitioner_day_uq: () =>
    new Conflict('OPD_ALREADY_IN_QUEUE', "The patient is already in this doctor's queue today"),
  tokens_appointment_uq: () =>
    new Conflict('OPD_ALREADY_CHECKED_IN', 'This appointment is already checked in'),
};

/** The practitioner's session a walk-in joins today: the one running now, else the next, else the last. */
async function sessionForWalkIn(
  tx: Tx,
  practitionerId: string,
  today: string,
  now: Date,
  path: string,
): Promise<SessionRow> {
  const list = await tx
    .select()
    .from(sessions)
    .where(
      and(eq(sessions.practitionerId, practitionerId), eq(sessions.date, today), eq(sessions.status, 'open')),
    )
    .orderBy(asc(sessions.startsAt));
  const session =
    list.find((s) => s.startsAt <= now && now < s.endsAt) ??
    list.find((s) => s.startsAt > now) ??
    list.at(-1);
  if (!session) {
    throw new RuleViolation('OPD_NO_SESSION_TODAY', 'The doctor has no OPD session today', [
      { path, message: 'no session today' },
    ]);
  }
  return session;
}

type IssueInput = {
  practitioner: PractitionerRow;
  session: SessionRow;
  clock: FacilityClock;
  patientId: string;
  birthDate: string | null;
  declared: readonly PriorityKind[];
  kind: 'appointment' | 'walk-in' | 'transfer';
  appointment?: AppointmentRow;
  /** A transfer keeps its place: the time it queued by in the first queue, and its priorities. */
  transferFrom?: TokenRow;
};

/** Issues the next token of the practitioner's day (the counter row stays locked until commit: gapless). */
async function issueToken(tx: Tx, env: OpdEnv, ctx: Ctx, input: IssueInput): Promise<TokenRow> {
  const { practitioner, session, clock } = input;
  const number = await nextCounterValue(tx, practitioner.id, 'opd-token', clock.today);
  const settings = await loadSettings(tx, clock.facilityId);
  const priorities = input.transferFrom
    ? (input.transferFrom.priorities as PriorityKind[])
    : effectivePriorities({
        declared: input.declared,
        enabled: settings.priorityKinds,
        birthDate: input.birthDate,
        onDate: clock.today,
        elderlyAge: settings.elderlyAge,
      });
  const rank = priorityRank(priorities);
  if (input.kind === 'walk-in' && rank > 0) {
    // The walk-in quota of the session; emergencies are always seen. The counter lock above serializes
    // this count with every other token of the practitioner's day.
    const [row] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(tokens)
      .where(and(eq(tokens.sessionId, session.id), eq(tokens.kind, 'walk-in'), ne(tokens.priorityRank, 0)));
    if ((row?.n ?? 0) >= session.walkInQuota) {
      throw new Conflict(
        'OPD_WALK_IN_QUOTA_FULL',
        `This session takes ${session.walkInQuota} walk-ins and they are all issued; book an appointment`,
      );
    }
  }
  const appointmentAt = input.appointment?.startsAt ?? null;
  const feeKind = input.appointment
    ? input.appointment.feeKind
    : feeKindFor(
        await lastSeenBy(tx, input.patientId, practitioner.id, ctx.now),
        ctx.now,
        practitioner.followUpWithinDays,
      );
  const [token] = await tx
    .insert(tokens)
    .values({
      facilityId: clock.facilityId,
      practitionerId: practitioner.id,
      roomId: session.roomId,
      sessionId: session.id,
      date: clock.today,
      number,
      label: tokenLabel(practitioner.tokenPrefix, number),
      patientId: input.patientId,
      appointmentId: input.appointment?.id ?? null,
      kind: input.kind,
      priorities,
      priorityRank: rank,
      arrivedAt: ctx.now,
      queuedAt: input.transferFrom?.queuedAt ?? queueTime(ctx.now, appointmentAt),
      appointmentAt,
      transferredFromTokenId: input.transferFrom?.id ?? null,
      feeKind,
      issuedById: actorId(ctx.actor),
      createdAt: ctx.now,
      updatedAt: ctx.now,
    })
    .returning();
  await recordAudit(tx, ctx, {
    action: 'create',
    resourceType: 'QueueToken',
    resourceId: token!.id,
    patientId: input.patientId,
    detail: { practitionerId: practitioner.id, number, kind: input.kind, priorities },
  });
  await emitTokenEvent(tx, env, ctx, OPD_EVENTS.tokenIssued, token!);
  await notifyBoard(tx, token!.roomId);
  return token!;
}

/** A walk-in: the patient joins the practitioner's queue today with a new token. */
export async function checkInWalkIn(
  ctx: Ctx,
  env: OpdEnv,
  input: { patientId: string; practitionerId: string; priorities: PriorityKind[] },
): Promise<{ token: QueueToken; appointment: Appointment | null }> {
  const facilityId = requireFacility(ctx);
  const patient = await bookablePatient(ctx.db, input.patientId, ctx.now);
  const clock = await facilityClock(ctx.db, facilityId, ctx.now);
  return withConstraintErrors(
    () =>
      ctx.db.transaction(async (tx) => {
        const practitioner = await loadPractitioner(tx, facilityId, input.practitionerId, {
          path: 'body.practitionerId',
        });
        if (!practitioner.active)
          throw new Conflict('OPD_PRACTITIONER_INACTIVE', 'This doctor is not seeing patients');
        const session = await sessionForWalkIn(
          tx,
          practitioner.id,
          clock.today,
          ctx.now,
          'body.practitionerId',
        );
        const token = await issueToken(tx, env, ctx, {
          practitioner,
          session,
          clock,
          patientId: input.patientId,
          birthDate: patient.birthDate,
          declared: input.priorities,
          kind: 'walk-in',
        });
        return { token: toToken(token, practitioner.displayName, patient), appointment: null };
      }),
    tokenConstraints,
  );
}

/** The patient of an appointment has come: the appointment is arrived and the patient gets a token. */
export async function checkInAppointment(
  ctx: Ctx,
  env: OpdEnv,
  appointmentId: string,
  input: { priorities: PriorityKind[]; version?: number | undefined },
): Promise<{ token: QueueToken; appointment: Appointment | null }> {
  const facilityId = requireFacility(ctx);
  const clock = await facilityClock(ctx.db, facilityId, ctx.now);
  return withConstraintErrors(
    () =>
      ctx.db.transaction(async (tx) => {
        const [current] = await tx
          .select()
          .from(appointments)
          .where(and(eq(appointments.id, appointmentId), eq(appointments.facilityId, facilityId)))
          .for('update');
        if (!current) throw new NotFound('The appointment', 'OPD_APPOINTMENT_NOT_FOUND');
        if (input.version !== undefined && current.version !== input.version) {
          throw new StaleVersion('The appointment');
        }
        if (current.status !== 'booked') {
          throw new Conflict(
            'OPD_APPOINTMENT_NOT_BOOKED',
            `An appointment that is ${current.status} cannot check in`,
          );
        }
        if (current.date !== clock.today) {
          throw new RuleViolation('OPD_NOT_TODAY', `This appointment is on ${current.date}, not today`);
        }
        const [session] = await tx.select().from(sessions).where(eq(sessions.id, current.sessionId));
        const practitioner = await loadPractitioner(tx, facilityId, current.practitionerId);
        const patient = await bookablePatient(tx, current.patientId, ctx.now);
        const token = await issueToken(tx, env, ctx, {
          practitioner,
          session: session!,
          clock,
          patientId: current.patientId,
          birthDate: patient.birthDate,
          declared: input.priorities,
          kind: 'appointment',
          appointment: current,
        });
        const [row] = await tx
          .update(appointments)
          .set({
            status: 'arrived',
            arrivedAt: ctx.now,
            tokenId: token.id,
            version: current.version + 1,
            updatedAt: ctx.now,
          })
          .where(eq(appointments.id, appointmentId))
          .returning();
        await recordAudit(tx, ctx, {
          action: 'update',
          resourceType: 'Appointment',
          resourceId: appointmentId,
          patientId: current.patientId,
          detail: { change: 'arrived', tokenId: token.id },
        });
        await emitAppointmentEvent(tx, env, ctx, OPD_EVENTS.appointmentArrived, row!, { tokenId: token.id });
        const [appointment] = await presentAppointments(tx, ctx, [row!], 'check-in');
        return { token: toToken(token, practitioner.displayName, patient), appointment: appointment ?? null };
      }),
    tokenConstraints,
  );
}

async function lockToken(tx: Tx, facilityId: string, id: string, version?: number): Promise<TokenRow> {
  const [row] = await tx
    .select()
    .from(tokens)
    .where(and(eq(tokens.id, id), eq(tokens.facilityId, facilityId)))
    .for('update');
  if (!row) throw new NotFound('The token', 'OPD_TOKEN_NOT_FOUND');
  if (version !== undefined && row.version !== version) throw new StaleVersion('The token');
  return row;
}

function assertTransition(token: TokenRow, action: TokenAction) {
  if (!canTransition(action, token.status as QueueToken['status'])) {
    throw new Conflict(
      'OPD_TOKEN_STATE',
      `Token ${token.label} is ${token.status}; it can be ${action === 'recall' ? 'recalled' : `${action}ed`} only when ${tokenTransitions[action].from.join(' or ')}`,
    );
  }
}

/** Applies one queue action (call, complete, skip, recall) to a locked token, with audit, event and board. */
async function applyAction(
  tx: Tx,
  env: OpdEnv,
  ctx: Ctx,
  token: TokenRow,
  action: TokenAction,
): Promise<TokenRow> {
  assertTransition(token, action);
  const changes: Partial<typeof tokens.$inferInsert> = {
    status: tokenTransitions[action].to,
    version: token.version + 1,
    updatedAt: ctx.now,
  };
  if (action === 'call') {
    changes.calledAt = ctx.now;
    changes.firstCalledAt = token.firstCalledAt ?? ctx.now;
    changes.callCount = token.callCount + 1;
  }
  if (action === 'skip') changes.skippedAt = ctx.now;
  if (action === 'complete') changes.completedAt = ctx.now;
  const [row] = await tx.update(tokens).set(changes).where(eq(tokens.id, token.id)).returning();
  if (action === 'complete' && token.appointmentId) {
    await tx
      .update(appointments)
      .set({ status: 'completed', version: sql`${appointments.version} + 1`, updatedAt: ctx.now })
      .where(and(eq(appointments.id, token.appointmentId), eq(appointments.status, 'arrived')));
  }
  await recordAudit(tx, ctx, {
    action: 'update',
    resourceType: 'QueueToken',
    resourceId: token.id,
    patientId: token.patientId,
    detail: { change: action, from: token.status },
  });
  if (action === 'call') await emitTokenEvent(tx, env, ctx, OPD_EVENTS.tokenCalled, row!);
  if (action === 'complete') await emitTokenEvent(tx, env, ctx, OPD_EVENTS.tokenCompleted, row!);
  await notifyBoard(tx, row!.roomId);
  return row!;
}

async function presentToken(tx: Tx, ctx: Ctx, row: TokenRow, purpose: string): Promise<QueueToken> {
  const [p] = await tx
    .select({ displayName: practitioners.displayName })
    .from(practitioners)
    .where(eq(practitioners.id, row.practitionerId));
  const patients = await readPatients(tx, ctx, [row.patientId], purpose);
  return toToken(row, p?.displayName ?? '', patients.get(row.patientId) ?? null);
}

export async function moveToken(
  ctx: Ctx,
  env: OpdEnv,
  tokenId: string,
  action: Exclude<TokenAction, 'start' | 'transfer'>,
  version?: number,
): Promise<QueueToken> {
  const facilityId = requireFacility(ctx);
  return withConstraintErrors(
    () =>
      ctx.db.transaction(async (tx) => {
        const token = await lockToken(tx, facilityId, tokenId, version);
        const row = await applyAction(tx, env, ctx, token, action);
        return presentToken(tx, ctx, row, 'queue');
      }),
    tokenConstraints,
  );
}

/** Serializes "call next" per practitioner, so two clicks never call two patients or one patient twice. */
async function lockQueue(tx: Tx, practitionerId: string) {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`opd-queue:${practitionerId}`}))`);
}

async function activeTokens(tx: Tx, practitionerId: string, date: string): Promise<TokenRow[]> {
  const rows = await tx
    .select()
    .from(tokens)
    .where(
      and(
        eq(tokens.practitionerId, practitionerId),
        eq(tokens.date, date),
        inArray(tokens.status, ['waiting', 'called', 'in-consultation', 'skipped']),
      ),
    );
  return rows.sort(compareQueue);
}

/**
 * Calls the next waiting patient. A patient called before and not come in is skipped (recall brings them
 * back to waiting, where their queue time puts them).
 */
async function callNextIn(
  tx: Tx,
  env: OpdEnv,
  ctx: Ctx,
  practitionerId: string,
  today: string,
): Promise<TokenRow> {
  await lockQueue(tx, practitionerId);
  const active = await activeTokens(tx, practitionerId, today);
  for (const t of active.filter((x) => x.status === 'called')) {
    await applyAction(tx, env, ctx, await lockToken(tx, t.facilityId, t.id), 'skip');
  }
  const next = active.find((t) => t.status === 'waiting');
  if (!next) throw new Conflict('OPD_QUEUE_EMPTY', 'Nobody is waiting in this queue');
  return applyAction(tx, env, ctx, await lockToken(tx, next.facilityId, next.id), 'call');
}

export async function callNext(ctx: Ctx, env: OpdEnv, practitionerId: string): Promise<QueueToken> {
  const facilityId = requireFacility(ctx);
  const clock = await facilityClock(ctx.db, facilityId, ctx.now);
  return ctx.db.transaction(async (tx) => {
    await loadPractitioner(tx, facilityId, practitionerId, { path: 'body.practitionerId' });
    const row = await callNextIn(tx, env, ctx, practitionerId, clock.today);
    return presentToken(tx, ctx, row, 'queue');
  });
}

/** The doctor at the desk: only the token's own practitioner starts its consultation. */
function assertOwnPatient(ctx: Ctx, practitioner: PractitionerRow) {
  if (ctx.actor.type === 'user' && practitioner.userId !== ctx.actor.userId) {
    throw new Forbidden('OPD_NOT_YOUR_QUEUE', `This patient is in ${practitioner.displayName}'s queue`);
  }
}

async function startIn(
  tx: Tx,
  env: OpdEnv,
  ctx: Ctx,
  token: TokenRow,
  practitioner: PractitionerRow,
): Promise<TokenRow> {
  if (token.status === 'in-consultation' && token.encounterId) return token;
  assertTransition(token, 'start');
  let reason: string | null = null;
  if (token.appointmentId) {
    const [a] = await tx
      .select({ reason: appointments.reason })
      .from(appointments)
      .where(eq(appointments.id, token.appointmentId));
    reason = a?.reason ?? null;
  }
  const encounter = await openConsultation({ ...ctx, db: tx }, env, {
    tokenId: token.id,
    patientId: token.patientId,
    practitionerId: practitioner.id,
    practitionerName: practitioner.displayName,
    departmentId: practitioner.departmentId,
    reason,
  });
  const [row] = await tx
    .update(tokens)
    .set({
      status: 'in-consultation',
      consultationStartedAt: ctx.now,
      calledAt: token.calledAt ?? ctx.now,
      firstCalledAt: token.firstCalledAt ?? ctx.now,
      callCount: token.callCount === 0 ? 1 : token.callCount,
      encounterId: encounter.id,
      version: token.version + 1,
      updatedAt: ctx.now,
    })
    .where(eq(tokens.id, token.id))
    .returning();
  await recordAudit(tx, ctx, {
    action: 'update',
    resourceType: 'QueueToken',
    resourceId: token.id,
    patientId: token.patientId,
    detail: { change: 'start', from: token.status, encounterId: encounter.id },
  });
  await notifyBoard(tx, row!.roomId);
  return row!;
}

export type ConsultationStart = { token: QueueToken; patient: PatientSummary; encounterId: string };

async function consultationResult(tx: Tx, ctx: Ctx, row: TokenRow): Promise<ConsultationStart> {
  const token = await presentToken(tx, ctx, row, 'consultation');
  return { token, patient: token.patient!, encounterId: row.encounterId! };
}

/** Starts the consultation of a token: opens its encounter once (again: the same encounter). */
export async function startConsultation(
  ctx: Ctx,
  env: OpdEnv,
  tokenId: string,
  version?: number,
): Promise<ConsultationStart> {
  const facilityId = requireFacility(ctx);
  return ctx.db.transaction(async (tx) => {
    const token = await lockToken(tx, facilityId, tokenId, version);
    const practitioner = await loadPractitioner(tx, facilityId, token.practitionerId);
    assertOwnPatient(ctx, practitioner);
    const row = await startIn(tx, env, ctx, token, practitioner);
    return consultationResult(tx, ctx, row);
  });
}

/** The doctor's "call next": calls the next patient and opens the consultation in one step. */
export async function callNextAndStart(
  ctx: Ctx,
  env: OpdEnv,
  practitionerId: string | undefined,
): Promise<ConsultationStart> {
  const facilityId = requireFacility(ctx);
  const practitioner = await worklistPractitioner(ctx, practitionerId);
  const clock = await facilityClock(ctx.db, facilityId, ctx.now);
  return ctx.db.transaction(async (tx) => {
    assertOwnPatient(ctx, practitioner);
    const called = await callNextIn(tx, env, ctx, practitioner.id, clock.today);
    const row = await startIn(tx, env, ctx, await lockToken(tx, facilityId, called.id), practitioner);
    return consultationResult(tx, ctx, row);
  });
}

/** Sends a patient to another doctor's queue today: a new token there, linked both ways; the place is kept. */
export async function transferToken(
  ctx: Ctx,
  env: OpdEnv,
  tokenId: string,
  input: { toPractitionerId: string; reason: string; version?: number | undefined },
): Promise<{ from: QueueToken; to: QueueToken }> {
  const facilityId = requireFacility(ctx);
  const clock = await facilityClock(ctx.db, facilityId, ctx.now);
  return withConstraintErrors(
    () =>
      ctx.db.transaction(async (tx) => {
        const token = await lockToken(tx, facilityId, tokenId, input.version);
        assertTransition(token, 'transfer');
        if (token.date !== clock.today) {
          throw new RuleViolation('OPD_NOT_TODAY', "Only today's tokens can be transferred");
        }
        const target = await loadPractitioner(tx, facilityId, input.toPractitionerId, {
          path: 'body.toPractitionerId',
        });
        if (target.id === token.practitionerId) {
          throw new RuleViolation('OPD_TRANSFER_SAME_DOCTOR', 'The patient is already in this queue', [
            { path: 'body.toPractitionerId', message: 'the same practitioner' },
          ]);
        }
        if (!target.active)
          throw new Conflict('OPD_PRACTITIONER_INACTIVE', 'This doctor is not seeing patients');
        const session = await sessionForWalkIn(tx, target.id, clock.today, ctx.now, 'body.toPractitionerId');
        const issued = await issueToken(tx, env, ctx, {
          practitioner: target,
          session,
          clock,
          patientId: token.patientId,
          birthDate: null,
          declared: [],
          kind: 'transfer',
          transferFrom: token,
        });
        const [from] = await tx
          .update(tokens)
          .set({
            status: 'transferred',
            transferredToTokenId: issued.id,
            transferReason: input.reason,
            completedAt: ctx.now,
            version: token.version + 1,
            updatedAt: ctx.now,
          })
          .where(eq(tokens.id, token.id))
          .returning();
        await recordAudit(tx, ctx, {
          action: 'update',
          resourceType: 'QueueToken',
          resourceId: token.id,
          patientId: token.patientId,
          detail: { change: 'transfer', to: issued.id, toPractitionerId: target.id, reason: input.reason },
        });
        await emitTokenEvent(tx, env, ctx, OPD_EVENTS.tokenTransferred, from!);
        await notifyBoard(tx, from!.roomId);
        return {
          from: await presentToken(tx, ctx, from!, 'queue'),
          to: await presentToken(tx, ctx, issued, 'queue'),
        };
      }),
    tokenConstraints,
  );
}

/** A practitioner's tokens of a day (at most a thousand: one doctor's day). */
export async function queueRows(db: DbOrTx, practitionerId: string, day: string): Promise<TokenRow[]> {
  return db
    .select()
    .from(tokens)
    .where(and(eq(tokens.practitionerId, practitionerId), eq(tokens.date, day)))
    .orderBy(desc(tokens.number))
    .limit(1000);
}

const isActive = (r: TokenRow) => ['waiting', 'called', 'in-consultation', 'skipped'].includes(r.status);

/** The active tokens in the order they will be seen, then the done ones, most recent first. */
export function presentQueue(
  practitioner: PractitionerRow,
  day: string,
  rows: readonly TokenRow[],
  patients: ReadonlyMap<string, PatientSummary>,
): Queue {
  const view = (r: TokenRow) => toToken(r, practitioner.displayName, patients.get(r.patientId) ?? null);
  return {
    practitionerId: practitioner.id,
    date: day,
    active: rows.filter(isActive).sort(compareQueue).map(view),
    done: rows
      .filter((r) => !isActive(r))
      .sort((a, b) => (b.completedAt?.getTime() ?? 0) - (a.completedAt?.getTime() ?? 0))
      .map(view),
  };
}

export async function getQueue(ctx: Ctx, practitionerId: string, date: string | undefined): Promise<Queue> {
  const facilityId = requireFacility(ctx);
  const practitioner = await loadPractitioner(ctx.db, facilityId, practitionerId);
  const day = date ?? (await facilityClock(ctx.db, facilityId, ctx.now)).today;
  const rows = await queueRows(ctx.db, practitionerId, day);
  const patients = await readPatients(
    ctx.db,
    ctx,
    rows.map((r) => r.patientId),
    'queue',
  );
  return presentQueue(practitioner, day, rows, patients);
}

/**
 * When the doctor finishes the consultation that a token opened, the token is completed too (and its
 * appointment): the queue follows the clinical record, whatever screen finished it.
 */
export async function completeTokenOfEncounter(
  tx: Tx,
  env: OpdEnv,
  ctx: Ctx,
  tokenId: string,
): Promise<boolean> {
  const [token] = await tx.select().from(tokens).where(eq(tokens.id, tokenId)).for('update');
  if (token?.status !== 'in-consultation') return false;
  await applyAction(tx, env, ctx, token, 'complete');
  return true;
}
