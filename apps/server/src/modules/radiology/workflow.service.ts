import {
  RADIOLOGY_EVENTS,
  type RadArriveBody,
  type RadChecklist,
  type RadCompleteBody,
  type RadOrder,
  type RadStartBody,
  type RadStudyCompletedPayload,
  type RadStudyStartedPayload,
  type RadWorklistQuery,
} from '@newhms/contracts';
import { and, asc, eq, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { recordAudit } from '../../platform/audit/audit.service';
import { actorId, type Ctx } from '../../platform/context';
import { withConstraintErrors } from '../../platform/db/constraint-errors';
import type { DbOrTx } from '../../platform/db/database';
import { appendEvent } from '../../platform/events/outbox';
import { Conflict, RuleViolation } from '../../platform/http/errors';
import { facilityToday, requireFacility } from '../../platform/organization/facility-context';
import { getFacility } from '../../platform/organization/organization.service';
import { getPatientSummaries } from '../patients';
import { procedureOf } from './catalog.service';
import { uidFromUuid } from './dicom-uid';
import { assertLaterality, assertVersion, auditList, orderRowOf } from './orders.service';
import { type OrderRow, type RadiologyEnv, readOrderRecords } from './rad-records';
import { bookings, orders, reports } from './radiology.tables';
import { dayBounds, roomOf } from './rooms.service';
import { checklistProblems, mergeChecklists } from './safety-checklist';

// The technologist's day: the worklist by modality, room, day and state; the patient's arrival with the safety
// checklist; the start of the study (refused while the checklist lacks what this procedure and this patient
// need); the completion with the DICOM Study Instance UID, the images and the dose. Each step keeps who and
// when, and is guarded by the order's version (a stale screen gets 409).

const PRIORITY_RANK = sql`case ${orders.priority} when 'stat' then 0 when 'urgent' then 1 else 2 end`;
const OPEN = ['ordered', 'scheduled', 'arrived', 'in-progress'];

/** Orders for the technologists (and, with reportStatus, the radiologists): STAT first, then by time. */
export async function worklist(
  ctx: Ctx,
  env: RadiologyEnv,
  query: z.output<typeof RadWorklistQuery>,
): Promise<RadOrder[]> {
  const facilityId = requireFacility(ctx);
  const where: (SQL | undefined)[] = [eq(orders.facilityId, facilityId)];
  if (query.modality) where.push(eq(orders.modality, query.modality));
  if (query.encounterId) where.push(eq(orders.encounterId, query.encounterId));
  if (query.status) where.push(eq(orders.status, query.status));
  else if (!query.reportStatus) where.push(inArray(orders.status, OPEN));
  if (query.reportStatus === 'none') where.push(and(eq(orders.status, 'completed'), isNull(reports.id)));
  else if (query.reportStatus) where.push(eq(reports.status, query.reportStatus));
  if (query.roomId) {
    where.push(sql`(${bookings.roomId} = ${query.roomId} or ${orders.performedRoomId} = ${query.roomId})`);
  }
  if (query.date) {
    const { timeZone } = await getFacility(ctx.db, facilityId);
    const { from, to } = dayBounds(query.date, timeZone);
    where.push(
      sql`((${bookings.id} is not null and ${bookings.startsAt} >= ${from} and ${bookings.startsAt} < ${to})
        or (${bookings.id} is null and ${orders.orderedAt} >= ${from} and ${orders.orderedAt} < ${to}))`,
    );
  }
  const rows = await ctx.db
    .select({ id: orders.id })
    .from(orders)
    .leftJoin(bookings, and(eq(bookings.orderId, orders.id), eq(bookings.status, 'active')))
    .leftJoin(reports, eq(reports.radiologyOrderId, orders.id))
    .where(and(...where))
    .orderBy(PRIORITY_RANK, sql`coalesce(${bookings.startsAt}, ${orders.orderedAt})`, asc(orders.id))
    .limit(query.limit);
  const list = await readOrderRecords(
    ctx.db,
    rows.map((r) => r.id),
    env,
    ctx.now,
  );
  await auditList(ctx, list, 'worklist');
  return list;
}

async function writeStep(
  tx: DbOrTx,
  ctx: Ctx,
  order: OrderRow,
  set: Partial<typeof orders.$inferInsert>,
  detail: Record<string, unknown>,
) {
  await tx
    .update(orders)
    .set({ ...set, version: order.version + 1, updatedAt: ctx.now })
    .where(eq(orders.id, order.id));
  await recordAudit(tx, ctx, {
    action: 'update',
    resourceType: 'RadiologyOrder',
    resourceId: order.id,
    patientId: order.patientId,
    detail,
  });
}

function checklistSet(ctx: Ctx, checklist: RadChecklist | null) {
  return {
    checklist,
    checklistById: actorId(ctx.actor),
    checklistByName: ctx.actor.name,
    checklistAt: ctx.now,
  };
}

async function lateralityFor(tx: DbOrTx, order: OrderRow, given: RadOrder['laterality'] | undefined) {
  if (given === undefined) return order.laterality as RadOrder['laterality'];
  const procedure = await procedureOf(tx, order.procedureCode);
  if (procedure) assertLaterality(procedure, given);
  return given;
}

/** The patient is here: arrived, with the checklist as far as it was filled in (the start checks it). */
export async function arrive(
  ctx: Ctx,
  env: RadiologyEnv,
  id: string,
  input: z.output<typeof RadArriveBody>,
): Promise<RadOrder> {
  const facilityId = requireFacility(ctx);
  await ctx.db.transaction(async (tx) => {
    const order = await orderRowOf(tx, facilityId, id, true);
    assertVersion(order, input.version);
    if (order.status !== 'ordered' && order.status !== 'scheduled') {
      throw new RuleViolation('RAD_ORDER_NOT_EXPECTED', `An order that is ${order.status} cannot arrive`);
    }
    const laterality = await lateralityFor(tx, order, input.laterality);
    const checklist = mergeChecklists(order.checklist as RadChecklist | null, input.checklist);
    await writeStep(
      tx,
      ctx,
      order,
      {
        status: 'arrived',
        arrivedAt: ctx.now,
        arrivedById: actorId(ctx.actor),
        arrivedByName: ctx.actor.name,
        laterality,
        ...(input.checklist ? checklistSet(ctx, checklist) : {}),
      },
      { status: 'arrived', checklist: input.checklist ?? null, laterality },
    );
  });
  const [order] = await readOrderRecords(ctx.db, [id], env, ctx.now);
  return order!;
}

/**
 * The study starts: refused (422, each missing item named `checklist.<field>`) until the checklist says what
 * this procedure and this patient need, and the side is known when the procedure has one. Nothing is written
 * when it is refused.
 */
export async function startStudy(
  ctx: Ctx,
  env: RadiologyEnv,
  id: string,
  input: z.output<typeof RadStartBody>,
): Promise<RadOrder> {
  const facilityId = requireFacility(ctx);
  await ctx.db.transaction(async (tx) => {
    const order = await orderRowOf(tx, facilityId, id, true);
    assertVersion(order, input.version);
    if (order.status !== 'arrived') {
      throw new RuleViolation(
        'RAD_ORDER_NOT_ARRIVED',
        order.status === 'ordered' || order.status === 'scheduled'
          ? 'Record the arrival and the safety checklist first'
          : `An order that is ${order.status} cannot start`,
      );
    }
    const procedure = await procedureOf(tx, order.procedureCode);
    const laterality = await lateralityFor(tx, order, input.laterality);
    const checklist = mergeChecklists(order.checklist as RadChecklist | null, input.checklist);
    const [patient] = await getPatientSummaries(tx, [order.patientId], ctx.now);
    const { today } = await facilityToday(tx, facilityId, ctx.now);
    const problems = checklistProblems(
      {
        modality: order.modality as RadOrder['modality'],
        contrast: order.contrast as RadOrder['contrast'],
        contrastRoute: (procedure?.contrastRoute ?? null) as 'iv' | 'oral' | 'intracavitary' | null,
        sex: patient?.sex ?? 'unknown',
        birthDate: patient?.birthDate ?? null,
      },
      checklist,
      today,
    );
    if (procedure?.lateralityRequired && !laterality) {
      problems.unshift({ path: 'laterality', message: 'say which side before the study starts' });
    }
    if (problems.length > 0) {
      throw new RuleViolation(
        'RAD_CHECKLIST_INCOMPLETE',
        `The study cannot start yet: ${problems.map((p) => p.path).join(', ')}`,
        problems,
      );
    }
    const [booking] = await tx
      .select({ roomId: bookings.roomId })
      .from(bookings)
      .where(and(eq(bookings.orderId, id), eq(bookings.status, 'active')));
    const roomId = input.roomId ?? booking?.roomId;
    if (!roomId) {
      throw new RuleViolation('RAD_ROOM_REQUIRED', 'Say in which room the study is done', [
        { path: 'roomId', message: 'required when the order has no booking' },
      ]);
    }
    const room = await roomOf(tx, facilityId, roomId);
    if (room.modality !== order.modality || !room.active) {
      throw new RuleViolation('RAD_ROOM_WRONG_MODALITY', `${room.name} cannot do ${order.procedureName}`, [
        { path: 'roomId', message: `an active ${order.modality} room` },
      ]);
    }
    await writeStep(
      tx,
      ctx,
      order,
      {
        status: 'in-progress',
        startedAt: ctx.now,
        startedById: actorId(ctx.actor),
        startedByName: ctx.actor.name,
        performedRoomId: room.id,
        laterality,
        ...checklistSet(ctx, checklist),
      },
      { status: 'in-progress', roomId: room.id, checklist },
    );
    await appendEvent<RadStudyStartedPayload>(tx, env.events, {
      type: RADIOLOGY_EVENTS.studyStarted,
      facilityId,
      aggregateId: id,
      actorId: actorId(ctx.actor),
      payload: {
        radiologyOrderId: id,
        orderId: order.orderId,
        patientId: order.patientId,
        encounterId: order.encounterId,
        accession: order.accession,
        procedureCode: order.procedureCode,
        startedAt: ctx.now.toISOString(),
      },
    });
  });
  const [order] = await readOrderRecords(ctx.db, [id], env, ctx.now);
  return order!;
}

/**
 * The study is done: its DICOM Study Instance UID (the modality's, or one made under 2.25), the images and the
 * dose are recorded, and `radiology.study.completed` is published. A UID already used is 409.
 */
export async function completeStudy(
  ctx: Ctx,
  env: RadiologyEnv,
  id: string,
  input: z.output<typeof RadCompleteBody>,
): Promise<RadOrder> {
  const facilityId = requireFacility(ctx);
  const uid = input.studyInstanceUid ?? uidFromUuid(id);
  await withConstraintErrors(
    () =>
      ctx.db.transaction(async (tx) => {
        const order = await orderRowOf(tx, facilityId, id, true);
        assertVersion(order, input.version);
        if (order.status !== 'in-progress') {
          throw new RuleViolation(
            'RAD_ORDER_NOT_IN_PROGRESS',
            `An order that is ${order.status} cannot be completed`,
          );
        }
        const [taken] = await tx
          .select({ id: orders.id })
          .from(orders)
          .where(eq(orders.studyInstanceUid, uid))
          .limit(1);
        if (taken) throw studyUidTaken();
        const dose = input.dose ?? null;
        await writeStep(
          tx,
          ctx,
          order,
          {
            status: 'completed',
            completedAt: ctx.now,
            completedById: actorId(ctx.actor),
            completedByName: ctx.actor.name,
            completionNote: input.note ?? null,
            studyInstanceUid: uid,
            numberOfImages: input.numberOfImages ?? null,
            dlpMGyCm: dose?.dlpMGyCm ?? null,
            ctdiVolMGy: dose?.ctdiVolMGy ?? null,
            dapGyCm2: dose?.dapGyCm2 ?? null,
            fluoroscopySeconds: dose?.fluoroscopySeconds ?? null,
          },
          { status: 'completed', studyInstanceUid: uid, numberOfImages: input.numberOfImages ?? null, dose },
        );
        await appendEvent<RadStudyCompletedPayload>(tx, env.events, {
          type: RADIOLOGY_EVENTS.studyCompleted,
          facilityId,
          aggregateId: id,
          actorId: actorId(ctx.actor),
          payload: {
            radiologyOrderId: id,
            orderId: order.orderId,
            patientId: order.patientId,
            encounterId: order.encounterId,
            accession: order.accession,
            procedureCode: order.procedureCode,
            modality: order.modality as RadOrder['modality'],
            studyInstanceUid: uid,
            numberOfImages: input.numberOfImages ?? null,
            completedAt: ctx.now.toISOString(),
          },
        });
      }),
    { orders_study_uid_uq: studyUidTaken },
  );
  const [order] = await readOrderRecords(ctx.db, [id], env, ctx.now);
  return order!;
}

function studyUidTaken() {
  return new Conflict('RAD_STUDY_UID_TAKEN', 'Another study has this Study Instance UID');
}
