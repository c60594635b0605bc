import type {
  AdmissionRequest,
  AdmissionRequestBody,
  AdmissionRequestQuery,
  BedReservation,
  ReasonVersionBody,
  ReleaseReservationBody,
  ReservationQuery,
  ReserveBedBody,
} from '@newhms/contracts';
import { and, asc, eq, gt, inArray, lte, or, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { recordAudit, recordAudits } from '../../platform/audit/audit.service';
import { actorId, type Ctx } from '../../platform/context';
import type { DbOrTx } from '../../platform/db/database';
import { BadRequest, Conflict, NotFound, RuleViolation, StaleVersion } from '../../platform/http/errors';
import { decodeCursor, toPage } from '../../platform/http/pagination';
import { getEncounter } from '../encounters';
import { findPractitioner } from '../opd';
import { getPatientSummaries } from '../patients';
import { notifyBedBoard } from './bed-board';
import type { IpdEnv } from './ipd.env';
import { admissionRequests, bedCategories, bedReservations, beds, wards } from './ipd.tables';
import {
  loadBedInfo,
  type RequestRow,
  type ReservationRow,
  readPatients,
  requireFacility,
  toRequest,
  toReservation,
  withConstraintErrors,
} from './ipd-records';
import { changeBedStatus, idleStatusOf } from './wards.service';

// The admission request queue (from OPD, emergency, planned, direct) and bed reservations.

/** Reservations are for the near future: a planned admission next week, a patient waiting in emergency. */
const MAX_RESERVATION_DAYS = 14;

const priorityRank = sql<number>`case ${admissionRequests.priority} when 'emergency' then 0 when 'urgent' then 1 else 2 end`;

/** A patient who exists and is not a merged-away record; their summary. */
export async function admissiblePatient(db: DbOrTx, patientId: string, now: Date) {
  const [summary] = await getPatientSummaries(db, [patientId], now);
  if (!summary) {
    throw new RuleViolation('IPD_PATIENT_NOT_FOUND', 'The patient is not registered', [
      { path: 'body.patientId', message: 'no such patient' },
    ]);
  }
  if (summary.status === 'merged') {
    throw new RuleViolation('IPD_PATIENT_MERGED', 'This record was merged; use the surviving record', [
      { path: 'body.patientId', message: 'merged record' },
    ]);
  }
  return summary;
}

/** The OPD consultation or ER visit an admission comes from: the same patient, this facility. */
export async function assertSourceEncounter(
  db: DbOrTx,
  facilityId: string,
  patientId: string,
  encounterId: string | null | undefined,
) {
  if (!encounterId) return;
  let found: Awaited<ReturnType<typeof getEncounter>> | undefined;
  try {
    found = await getEncounter(db, encounterId);
  } catch (err) {
    if (!(err instanceof NotFound)) throw err;
  }
  if (!found || found.facilityId !== facilityId || found.patientId !== patientId) {
    throw new RuleViolation(
      'IPD_SOURCE_ENCOUNTER_NOT_FOUND',
      "The source encounter is not this patient's here",
      [{ path: 'body.sourceEncounterId', message: 'no such encounter of this patient in this facility' }],
    );
  }
}

async function reservationsOfRequests(db: DbOrTx, requestIds: readonly string[]) {
  if (requestIds.length === 0) return new Map<string, BedReservation>();
  const rows = await db
    .select({ r: bedReservations, bedCode: beds.code, wardId: wards.id, wardCode: wards.code })
    .from(bedReservations)
    .innerJoin(beds, eq(beds.id, bedReservations.bedId))
    .innerJoin(wards, eq(wards.id, beds.wardId))
    .where(and(inArray(bedReservations.requestId, [...requestIds]), eq(bedReservations.status, 'active')));
  return new Map(
    rows.map((x) => [
      x.r.requestId!,
      toReservation(x.r, { code: x.bedCode, wardId: x.wardId, wardCode: x.wardCode }),
    ]),
  );
}

async function loadRequest(db: DbOrTx, facilityId: string, id: string, lock = false): Promise<RequestRow> {
  const q = db
    .select()
    .from(admissionRequests)
    .where(and(eq(admissionRequests.id, id), eq(admissionRequests.facilityId, facilityId)));
  const [row] = lock ? await q.for('update') : await q;
  if (!row) throw new NotFound('The admission request', 'IPD_REQUEST_NOT_FOUND');
  return row;
}

async function requestView(db: DbOrTx, ctx: Ctx, row: RequestRow, purpose: string) {
  const patients = await readPatients(db, ctx, [row.patientId], purpose);
  const reservations = await reservationsOfRequests(db, [row.id]);
  return toRequest(row, patients.get(row.patientId) ?? null, reservations.get(row.id) ?? null);
}

export async function createRequest(
  ctx: Ctx,
  input: z.output<typeof AdmissionRequestBody>,
): Promise<AdmissionRequest> {
  const facilityId = requireFacility(ctx);
  await admissiblePatient(ctx.db, input.patientId, ctx.now);
  await assertSourceEncounter(ctx.db, facilityId, input.patientId, input.sourceEncounterId);
  const practitioner = input.practitionerId
    ? await findPractitioner(ctx.db, facilityId, input.practitionerId, 'body.practitionerId')
    : null;
  if (input.bedCategoryId) {
    const [category] = await ctx.db
      .select({ id: bedCategories.id })
      .from(bedCategories)
      .where(and(eq(bedCategories.id, input.bedCategoryId), eq(bedCategories.facilityId, facilityId)));
    if (!category) {
      throw new RuleViolation('IPD_CATEGORY_NOT_FOUND', 'The bed category is not in this facility', [
        { path: 'body.bedCategoryId', message: 'no such category' },
      ]);
    }
  }
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(admissionRequests)
      .values({
        facilityId,
        patientId: input.patientId,
        source: input.source,
        sourceEncounterId: input.sourceEncounterId ?? null,
        priority: input.priority,
        wardKind: input.wardKind ?? null,
        bedCategoryId: input.bedCategoryId ?? null,
        departmentId: input.departmentId ?? practitioner?.departmentId ?? null,
        practitionerId: practitioner?.id ?? null,
        practitionerName: practitioner?.displayName ?? null,
        reason: input.reason,
        plannedFor: input.plannedFor ?? null,
        requestedById: actorId(ctx.actor),
        requestedByName: ctx.actor.name,
        createdAt: ctx.now,
        updatedAt: ctx.now,
      })
      .returning();
    await recordAudit(tx, ctx, {
      action: 'create',
      resourceType: 'AdmissionRequest',
      resourceId: row!.id,
      patientId: input.patientId,
      detail: { source: input.source, priority: input.priority },
    });
    await notifyBedBoard(tx, row!.facilityId);
    return requestView(tx, ctx, row!, 'admission-request');
  });
}

export async function getRequest(ctx: Ctx, id: string): Promise<AdmissionRequest> {
  const row = await loadRequest(ctx.db, requireFacility(ctx), id);
  return requestView(ctx.db, ctx, row, 'admission-request');
}

/** The queue: waiting and reserved requests (or one status), most urgent first, then oldest. */
export async function listRequests(
  ctx: Ctx,
  env: Pick<IpdEnv, 'events'>,
  query: z.output<typeof AdmissionRequestQuery>,
): Promise<{ items: AdmissionRequest[]; nextCursor: string | null }> {
  const facilityId = requireFacility(ctx);
  await refreshReservations(ctx.db, ctx, env, facilityId);
  const after = decodeCursor(query.cursor, 3);
  const filters: (SQL | undefined)[] = [
    eq(admissionRequests.facilityId, facilityId),
    query.status
      ? eq(admissionRequests.status, query.status)
      : inArray(admissionRequests.status, ['waiting', 'reserved']),
    query.patientId ? eq(admissionRequests.patientId, query.patientId) : undefined,
  ];
  if (after) {
    const [rank, createdAt, id] = after as [number, string, string];
    if (typeof rank !== 'number' || typeof createdAt !== 'string' || Number.isNaN(Date.parse(createdAt))) {
      throw new BadRequest('INVALID_CURSOR', 'The cursor is not valid for this list');
    }
    filters.push(
      sql`(${priorityRank}, ${admissionRequests.createdAt}, ${admissionRequests.id}) > (${rank}, ${createdAt}::timestamptz, ${String(id)}::uuid)`,
    );
  }
  const rows = await ctx.db
    .select({ r: admissionRequests, rank: priorityRank })
    .from(admissionRequests)
    .where(and(...filters))
    .orderBy(priorityRank, asc(admissionRequests.createdAt), asc(admissionRequests.id))
    .limit(query.limit + 1);
  const pageRows = rows.slice(0, query.limit);
  const patients = await readPatients(
    ctx.db,
    ctx,
    pageRows.map((x) => x.r.patientId),
    'admission-queue',
  );
  const reservations = await reservationsOfRequests(
    ctx.db,
    pageRows.map((x) => x.r.id),
  );
  const ranks = new Map(rows.map((x) => [x.r.id, Number(x.rank)]));
  return toPage(
    rows.map((x) => toRequest(x.r, patients.get(x.r.patientId) ?? null, reservations.get(x.r.id) ?? null)),
    query.limit,
    (r) => [ranks.get(r.id) ?? 2, r.createdAt, r.id],
  );
}

export async function cancelRequest(
  ctx: Ctx,
  env: Pick<IpdEnv, 'events'>,
  id: string,
  input: z.output<typeof ReasonVersionBody>,
): Promise<AdmissionRequest> {
  const facilityId = requireFacility(ctx);
  return ctx.db.transaction(async (tx) => {
    const row = await loadRequest(tx, facilityId, id, true);
    if (row.version !== input.version) throw new StaleVersion('The admission request');
    if (row.status !== 'waiting' && row.status !== 'reserved') {
      throw new Conflict('IPD_REQUEST_CLOSED', `The request is already ${row.status}`);
    }
    const held = await tx
      .select()
      .from(bedReservations)
      .where(and(eq(bedReservations.requestId, id), eq(bedReservations.status, 'active')));
    for (const r of held) await endReservation(tx, ctx, env, r, 'released', 'Admission request cancelled');
    const [updated] = await tx
      .update(admissionRequests)
      .set({ status: 'cancelled', statusReason: input.reason, version: row.version + 1, updatedAt: ctx.now })
      .where(eq(admissionRequests.id, id))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'update',
      resourceType: 'AdmissionRequest',
      resourceId: id,
      patientId: row.patientId,
      detail: { status: 'cancelled', reason: input.reason },
    });
    await notifyBedBoard(tx, updated!.facilityId);
    return requestView(tx, ctx, updated!, 'admission-request');
  });
}

// ------------------------------------------------------------------------------------------------------
// Reservations
// ------------------------------------------------------------------------------------------------------

async function reservationView(db: DbOrTx, facilityId: string, r: ReservationRow): Promise<BedReservation> {
  const info = await loadBedInfo(db, facilityId, r.bedId);
  return toReservation(r, { code: info.bed.code, wardId: info.ward.id, wardCode: info.ward.code });
}

export async function reserveBed(
  ctx: Ctx,
  _env: Pick<IpdEnv, 'events'>,
  input: z.output<typeof ReserveBedBody>,
): Promise<BedReservation> {
  const facilityId = requireFacility(ctx);
  const fromAt = input.fromAt ? new Date(input.fromAt) : ctx.now;
  const untilAt = new Date(input.untilAt);
  if (untilAt.getTime() <= Math.max(fromAt.getTime(), ctx.now.getTime())) {
    throw new RuleViolation(
      'IPD_RESERVATION_WINDOW',
      'A reservation must end after it starts, in the future',
      [{ path: 'body.untilAt', message: 'after fromAt and after now' }],
    );
  }
  if (untilAt.getTime() - fromAt.getTime() > MAX_RESERVATION_DAYS * 86_400_000) {
    throw new RuleViolation(
      'IPD_RESERVATION_WINDOW',
      `A reservation lasts at most ${MAX_RESERVATION_DAYS} days`,
      [{ path: 'body.untilAt', message: `at most ${MAX_RESERVATION_DAYS} days after fromAt` }],
    );
  }
  return withConstraintErrors(
    () =>
      ctx.db.transaction(async (tx) => {
        let patientId = input.patientId;
        let request: RequestRow | undefined;
        if (input.requestId) {
          request = await tx
            .select()
            .from(admissionRequests)
            .where(
              and(eq(admissionRequests.id, input.requestId), eq(admissionRequests.facilityId, facilityId)),
            )
            .for('update')
            .then((r) => r[0]);
          if (!request) {
            throw new RuleViolation(
              'IPD_REQUEST_NOT_FOUND',
              'The admission request is not in this facility',
              [{ path: 'body.requestId', message: 'no such request' }],
            );
          }
          if (patientId && patientId !== request.patientId) {
            throw new RuleViolation('IPD_RESERVATION_PATIENT', 'The request is for another patient', [
              { path: 'body.patientId', message: "not the request's patient" },
            ]);
          }
          if (request.status !== 'waiting') {
            throw new Conflict('IPD_REQUEST_NOT_WAITING', `The request is ${request.status}`);
          }
          patientId = request.patientId;
        }
        await admissiblePatient(tx, patientId!, ctx.now);
        const info = await loadBedInfo(tx, facilityId, input.bedId, { lock: true, path: 'body.bedId' });
        if (!info.bed.active || !info.ward.active) {
          throw new Conflict('IPD_BED_INACTIVE', 'The bed is retired');
        }
        if (info.bed.status === 'blocked' || info.bed.status === 'maintenance') {
          throw new Conflict('IPD_BED_NOT_AVAILABLE', `The bed is ${info.bed.status}`);
        }
        const coversNow = fromAt.getTime() <= ctx.now.getTime();
        if (coversNow && info.bed.status !== 'available' && info.bed.status !== 'reserved') {
          throw new Conflict('IPD_BED_NOT_AVAILABLE', `The bed is ${info.bed.status} now`);
        }
        const [row] = await tx
          .insert(bedReservations)
          .values({
            facilityId,
            bedId: info.bed.id,
            patientId: patientId!,
            requestId: request?.id ?? null,
            fromAt,
            untilAt,
            status: 'active',
            reason: input.reason ?? null,
            reservedById: actorId(ctx.actor),
            reservedByName: ctx.actor.name,
            createdAt: ctx.now,
            updatedAt: ctx.now,
          })
          .returning();
        if (coversNow)
          await changeBedStatus(tx, ctx, info.bed, 'reserved', { reason: input.reason ?? 'Reserved' });
        if (request) {
          await tx
            .update(admissionRequests)
            .set({ status: 'reserved', version: request.version + 1, updatedAt: ctx.now })
            .where(eq(admissionRequests.id, request.id));
        }
        await recordAudit(tx, ctx, {
          action: 'create',
          resourceType: 'BedReservation',
          resourceId: row!.id,
          patientId: patientId!,
          detail: { bedId: info.bed.id, fromAt: fromAt.toISOString(), untilAt: untilAt.toISOString() },
        });
        return toReservation(row!, { code: info.bed.code, wardId: info.ward.id, wardCode: info.ward.code });
      }),
    {
      bed_reservations_no_overlap: () =>
        new Conflict('IPD_BED_ALREADY_RESERVED', 'The bed is already reserved for part of that time'),
    },
  );
}

/**
 * Ends an active reservation (released by hand, expired, or used by the admission), in the caller's
 * transaction: the request goes back to waiting (unless used), the bed back to available when nothing else
 * holds it.
 */
export async function endReservation(
  tx: DbOrTx,
  ctx: Pick<Ctx, 'actor' | 'now'>,
  _env: Pick<IpdEnv, 'events'>,
  r: ReservationRow,
  status: 'released' | 'expired' | 'used',
  reason: string | null,
  admissionId: string | null = null,
): Promise<void> {
  await tx
    .update(bedReservations)
    .set({ status, admissionId, version: r.version + 1, updatedAt: ctx.now })
    .where(eq(bedReservations.id, r.id));
  if (r.requestId && status !== 'used') {
    await tx
      .update(admissionRequests)
      .set({ status: 'waiting', version: sql`${admissionRequests.version} + 1`, updatedAt: ctx.now })
      .where(and(eq(admissionRequests.id, r.requestId), eq(admissionRequests.status, 'reserved')));
  }
  const [bed] = await tx.select().from(beds).where(eq(beds.id, r.bedId)).for('update');
  if (bed && bed.status === 'reserved' && status !== 'used') {
    const next = await idleStatusOf(tx, bed.id, ctx.now);
    if (next !== 'reserved')
      await changeBedStatus(tx, ctx, bed, next, { reason: reason ?? `Reservation ${status}` });
  }
}

export async function releaseReservation(
  ctx: Ctx,
  env: Pick<IpdEnv, 'events'>,
  id: string,
  input: z.output<typeof ReleaseReservationBody>,
): Promise<BedReservation> {
  const facilityId = requireFacility(ctx);
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(bedReservations)
      .where(and(eq(bedReservations.id, id), eq(bedReservations.facilityId, facilityId)))
      .for('update');
    if (!row) throw new NotFound('The reservation', 'IPD_RESERVATION_NOT_FOUND');
    if (row.version !== input.version) throw new StaleVersion('The reservation');
    if (row.status !== 'active')
      throw new Conflict('IPD_RESERVATION_CLOSED', `The reservation is ${row.status}`);
    await endReservation(tx, ctx, env, row, 'released', input.reason ?? 'Reservation released');
    await recordAudit(tx, ctx, {
      action: 'update',
      resourceType: 'BedReservation',
      resourceId: id,
      patientId: row.patientId,
      detail: { status: 'released', reason: input.reason ?? null },
    });
    const [updated] = await tx.select().from(bedReservations).where(eq(bedReservations.id, id));
    return reservationView(tx, facilityId, updated!);
  });
}

export async function listReservations(
  ctx: Ctx,
  env: Pick<IpdEnv, 'events'>,
  query: z.output<typeof ReservationQuery>,
): Promise<BedReservation[]> {
  const facilityId = requireFacility(ctx);
  await refreshReservations(ctx.db, ctx, env, facilityId);
  const rows = await ctx.db
    .select({ r: bedReservations, bedCode: beds.code, wardId: wards.id, wardCode: wards.code })
    .from(bedReservations)
    .innerJoin(beds, eq(beds.id, bedReservations.bedId))
    .innerJoin(wards, eq(wards.id, beds.wardId))
    .where(
      and(
        eq(bedReservations.facilityId, facilityId),
        query.bedId ? eq(bedReservations.bedId, query.bedId) : undefined,
        eq(bedReservations.status, query.status ?? 'active'),
      ),
    )
    .orderBy(asc(bedReservations.fromAt), asc(bedReservations.id))
    .limit(500);
  await recordAudits(
    ctx.db,
    ctx,
    [...new Set(rows.map((x) => x.r.patientId))].map((id) => ({
      action: 'read',
      resourceType: 'BedReservation',
      patientId: id,
      detail: { purpose: 'reservations' },
    })),
  );
  return rows.map((x) => toReservation(x.r, { code: x.bedCode, wardId: x.wardId, wardCode: x.wardCode }));
}

/**
 * Brings reservations up to the clock (on read, and by the `ipd.reservations` job): active reservations whose
 * time is over expire (their request waits again, their bed is free again), and an available bed whose
 * reservation has begun shows `reserved`. Idempotent; one facility, or all with null.
 */
export async function refreshReservations(
  db: DbOrTx,
  ctx: Pick<Ctx, 'actor' | 'now'>,
  env: Pick<IpdEnv, 'events'>,
  facilityId: string | null,
): Promise<number> {
  const scope = facilityId ? eq(bedReservations.facilityId, facilityId) : undefined;
  const [due] = await db
    .select({ id: bedReservations.id })
    .from(bedReservations)
    .innerJoin(beds, eq(beds.id, bedReservations.bedId))
    .where(
      and(
        scope,
        eq(bedReservations.status, 'active'),
        or(
          lte(bedReservations.untilAt, ctx.now),
          and(lte(bedReservations.fromAt, ctx.now), eq(beds.status, 'available')),
        ),
      ),
    )
    .limit(1);
  if (!due) return 0;
  return db.transaction(async (tx) => {
    const expired = await tx
      .select()
      .from(bedReservations)
      .where(and(scope, eq(bedReservations.status, 'active'), lte(bedReservations.untilAt, ctx.now)))
      .orderBy(asc(bedReservations.bedId))
      .for('update', { skipLocked: true });
    for (const r of expired) await endReservation(tx, ctx, env, r, 'expired', 'Reservation expired');
    const begunIds = await tx
      .select({ id: beds.id })
      .from(bedReservations)
      .innerJoin(beds, eq(beds.id, bedReservations.bedId))
      .where(
        and(
          scope,
          eq(bedReservations.status, 'active'),
          lte(bedReservations.fromAt, ctx.now),
          gt(bedReservations.untilAt, ctx.now),
          eq(beds.status, 'available'),
        ),
      );
    const begun =
      begunIds.length === 0
        ? []
        : await tx
            .select()
            .from(beds)
            .where(
              and(
                inArray(
                  beds.id,
                  begunIds.map((b) => b.id),
                ),
                eq(beds.status, 'available'),
              ),
            )
            .orderBy(asc(beds.id))
            .for('update', { skipLocked: true });
    for (const bed of begun) await changeBedStatus(tx, ctx, bed, 'reserved', { reason: 'Reservation began' });
    return expired.length + begun.length;
  });
}
