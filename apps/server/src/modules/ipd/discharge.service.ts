import {
  type Admission,
  type ClearItemBody,
  type CompleteDischargeBody,
  type DischargeClearanceItem,
  type DischargeClearancePayload,
  type ExpectedDischargeBody,
  type ExpectedDischargesQuery,
  type InitiateDischargeBody,
  IPD_EVENTS,
} from '@newhms/contracts';
import { and, asc, eq, inArray, lte, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { recordAudit } from '../../platform/audit/audit.service';
import { actorId, type Ctx } from '../../platform/context';
import type { DbOrTx } from '../../platform/db/database';
import { Conflict, Forbidden, NotFound, RuleViolation, StaleVersion } from '../../platform/http/errors';
import { endStayEncounter, hasSignedNote } from '../encounters';
import { admissionViews, loadAdmission, OPEN_STATUSES, vacateBed } from './admissions.service';
import { notifyBedBoard } from './bed-board';
import { localDateIn } from './bed-days';
import type { IpdEnv } from './ipd.env';
import { bedRefOf, emitAdmissionEvent } from './ipd.events';
import { admissions, clearanceItems, dischargeClearances } from './ipd.tables';
import {
  type AdmissionRow,
  currentBedOf,
  facilityToday,
  readPatients,
  requireFacility,
  toAdmission,
  toClearance,
} from './ipd-records';

// Discharge: planning (expected date), initiation with its clearance checklist, clearing, completion.

/** The checklist every facility starts with (created the first time a discharge is initiated there). */
export const DEFAULT_CLEARANCE_ITEMS = [
  { item: 'nursing', label: 'Nursing clearance (lines out, belongings, education given)', sortOrder: 10 },
  { item: 'pharmacy-returns', label: 'Pharmacy returns of unused medicines', sortOrder: 20 },
  { item: 'discharge-summary', label: 'Discharge summary signed', sortOrder: 30 },
] as const;

/** Note kinds that are a discharge summary (encounters' 'discharge'; nursing's 'discharge-summary'). */
const DISCHARGE_SUMMARY_KINDS = ['discharge', 'discharge-summary'] as const;

/** Discharge types that may complete with items still pending (the patient is gone either way). */
const MAY_LEAVE_UNCLEARED = new Set(['absconded', 'death']);

async function ensureClearanceItems(tx: DbOrTx, facilityId: string) {
  const [any] = await tx
    .select({ id: clearanceItems.id })
    .from(clearanceItems)
    .where(eq(clearanceItems.facilityId, facilityId))
    .limit(1);
  if (any) return;
  await tx
    .insert(clearanceItems)
    .values(DEFAULT_CLEARANCE_ITEMS.map((i) => ({ ...i, facilityId })))
    .onConflictDoNothing();
}

export async function listClearanceItems(ctx: Ctx) {
  const facilityId = requireFacility(ctx);
  await ensureClearanceItems(ctx.db, facilityId);
  const rows = await ctx.db
    .select()
    .from(clearanceItems)
    .where(eq(clearanceItems.facilityId, facilityId))
    .orderBy(asc(clearanceItems.sortOrder), asc(clearanceItems.item));
  return rows.map((r) => ({
    id: r.id,
    item: r.item,
    label: r.label,
    permission: r.permission,
    sortOrder: r.sortOrder,
    active: r.active,
  }));
}

async function view(tx: DbOrTx, ctx: Ctx, row: AdmissionRow, purpose: string): Promise<Admission> {
  const patients = await readPatients(tx, ctx, [row.patientId], purpose);
  return toAdmission(row, patients.get(row.patientId) ?? null, await currentBedOf(tx, row.id));
}

export async function setExpectedDischarge(
  ctx: Ctx,
  id: string,
  input: z.output<typeof ExpectedDischargeBody>,
): Promise<Admission> {
  const facilityId = requireFacility(ctx);
  const { timeZone } = await facilityToday(ctx.db, facilityId, ctx.now);
  return ctx.db.transaction(async (tx) => {
    const row = await loadAdmission(tx, facilityId, id, true);
    if (row.version !== input.version) throw new StaleVersion('The admission');
    if (!(OPEN_STATUSES as readonly string[]).includes(row.status)) {
      throw new Conflict('IPD_ADMISSION_CLOSED', `The admission is ${row.status}`);
    }
    const admittedOn = localDateIn(row.admittedAt, timeZone);
    if (input.expectedDischargeDate < admittedOn) {
      throw new RuleViolation(
        'IPD_EXPECTED_DISCHARGE_DATE',
        'The expected discharge is before the admission',
        [{ path: 'body.expectedDischargeDate', message: `on or after ${admittedOn}` }],
      );
    }
    const [updated] = await tx
      .update(admissions)
      .set({
        expectedDischargeDate: input.expectedDischargeDate,
        version: row.version + 1,
        updatedAt: ctx.now,
      })
      .where(eq(admissions.id, id))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'update',
      resourceType: 'Admission',
      resourceId: id,
      patientId: row.patientId,
      detail: { expectedDischargeDate: input.expectedDischargeDate },
    });
    await notifyBedBoard(tx, updated!.facilityId);
    return view(tx, ctx, updated!, 'admission');
  });
}

/** Open admissions expected to leave on or before a date (default today): the day's discharge plan. */
export async function expectedDischarges(
  ctx: Ctx,
  query: z.output<typeof ExpectedDischargesQuery>,
): Promise<Admission[]> {
  const facilityId = requireFacility(ctx);
  const date = query.date ?? (await facilityToday(ctx.db, facilityId, ctx.now)).today;
  const rows = await ctx.db
    .select()
    .from(admissions)
    .where(
      and(
        eq(admissions.facilityId, facilityId),
        inArray(admissions.status, [...OPEN_STATUSES]),
        lte(admissions.expectedDischargeDate, date),
        query.wardId
          ? sql`exists (select 1 from ipd.bed_occupancies o where o.admission_id = ${admissions.id}
              and o.ward_id = ${query.wardId} and o.ended_at is null)`
          : undefined,
      ),
    )
    .orderBy(asc(admissions.expectedDischargeDate), asc(admissions.admittedAt))
    .limit(500);
  return admissionViews(ctx.db, ctx, rows, 'expected-discharges');
}

export async function initiateDischarge(
  ctx: Ctx,
  env: Pick<IpdEnv, 'events'>,
  id: string,
  input: z.output<typeof InitiateDischargeBody>,
): Promise<Admission> {
  const facilityId = requireFacility(ctx);
  return ctx.db.transaction(async (tx) => {
    const row = await loadAdmission(tx, facilityId, id, true);
    if (row.version !== input.version) throw new StaleVersion('The admission');
    if (row.status !== 'admitted') {
      throw new Conflict('IPD_ADMISSION_NOT_ADMITTED', `The admission is ${row.status}`);
    }
    let deathAt: Date | null = null;
    if (input.type === 'death') {
      deathAt = new Date(input.deathAt);
      if (deathAt.getTime() > ctx.now.getTime() || deathAt.getTime() < row.admittedAt.getTime()) {
        throw new RuleViolation('IPD_DEATH_TIME', 'The time of death lies between the admission and now', [
          { path: 'body.deathAt', message: 'between the admission and now' },
        ]);
      }
    }
    const [updated] = await tx
      .update(admissions)
      .set({
        status: 'discharge-initiated',
        dischargeInitiatedAt: ctx.now,
        dischargeType: input.type,
        deathAt,
        deathCause: input.type === 'death' ? input.deathCause : null,
        transferredTo: input.type === 'transferred' ? input.transferredTo : null,
        version: row.version + 1,
        updatedAt: ctx.now,
      })
      .where(eq(admissions.id, id))
      .returning();
    await ensureClearanceItems(tx, facilityId);
    const items = await tx
      .select()
      .from(clearanceItems)
      .where(and(eq(clearanceItems.facilityId, facilityId), eq(clearanceItems.active, true)))
      .orderBy(asc(clearanceItems.sortOrder));
    const summarySigned = await hasSignedNote(tx, row.encounterId, DISCHARGE_SUMMARY_KINDS);
    if (items.length > 0) {
      await tx
        .insert(dischargeClearances)
        .values(
          items.map((i) => {
            const done = i.item === 'discharge-summary' && summarySigned;
            return {
              admissionId: id,
              item: i.item,
              label: i.label,
              heldBy: 'ipd',
              status: done ? 'cleared' : 'pending',
              clearedAt: done ? ctx.now : null,
              clearedByName: done ? 'encounters' : null,
              clearNote: done ? 'The discharge summary was already signed' : null,
              createdAt: ctx.now,
              updatedAt: ctx.now,
            };
          }),
        )
        .onConflictDoNothing();
    }
    await recordAudit(tx, ctx, {
      action: 'update',
      resourceType: 'Admission',
      resourceId: id,
      patientId: row.patientId,
      detail: { status: 'discharge-initiated', dischargeType: input.type },
    });
    const bed = await currentBedOf(tx, id);
    await emitAdmissionEvent(tx, env, ctx, IPD_EVENTS.dischargeInitiated, updated!, {
      bed: bed
        ? {
            bedId: bed.bedId,
            bedCode: bed.bedCode,
            wardId: bed.wardId,
            wardCode: bed.wardCode,
            wardName: bed.wardName,
            tariffClass: bed.tariffClass,
            isolation: bed.isolation,
          }
        : null,
      previousBed: null,
      at: ctx.now,
    });
    await notifyBedBoard(tx, updated!.facilityId);
    return view(tx, ctx, updated!, 'admission');
  });
}

export async function listClearances(ctx: Ctx, id: string): Promise<DischargeClearanceItem[]> {
  const row = await loadAdmission(ctx.db, requireFacility(ctx), id);
  await recordAudit(ctx.db, ctx, {
    action: 'read',
    resourceType: 'Admission',
    resourceId: id,
    patientId: row.patientId,
    detail: { purpose: 'discharge-clearances' },
  });
  const rows = await ctx.db
    .select()
    .from(dischargeClearances)
    .where(eq(dischargeClearances.admissionId, id))
    .orderBy(asc(dischargeClearances.createdAt), asc(dischargeClearances.item));
  return rows.map(toClearance);
}

/** A person clears or waives a manual (ipd) item, with a note; items other modules hold clear by their events. */
export async function clearItem(
  ctx: Ctx,
  id: string,
  clearanceId: string,
  input: z.output<typeof ClearItemBody>,
): Promise<DischargeClearanceItem> {
  const facilityId = requireFacility(ctx);
  return ctx.db.transaction(async (tx) => {
    const row = await loadAdmission(tx, facilityId, id, true);
    const [item] = await tx
      .select()
      .from(dischargeClearances)
      .where(and(eq(dischargeClearances.id, clearanceId), eq(dischargeClearances.admissionId, id)))
      .for('update');
    if (!item) throw new NotFound('The clearance item', 'IPD_CLEARANCE_NOT_FOUND');
    if (item.version !== input.version) throw new StaleVersion('The clearance item');
    if (row.status !== 'discharge-initiated') {
      throw new Conflict('IPD_ADMISSION_NOT_DISCHARGING', `The admission is ${row.status}`);
    }
    if (item.status !== 'pending')
      throw new Conflict('IPD_CLEARANCE_DONE', `The item is already ${item.status}`);
    if (item.heldBy !== 'ipd') {
      throw new Conflict(
        'IPD_CLEARANCE_HELD_BY_MODULE',
        `${item.heldBy} holds this item; it clears when ${item.heldBy} releases it`,
      );
    }
    const [config] = await tx
      .select({ permission: clearanceItems.permission })
      .from(clearanceItems)
      .where(and(eq(clearanceItems.facilityId, facilityId), eq(clearanceItems.item, item.item)));
    const permission = config?.permission ?? 'ipd:discharge';
    if (ctx.actor.type === 'user' && !ctx.actor.permissions.has(permission)) {
      throw new Forbidden('ACCESS_DENIED', `Clearing "${item.label}" needs the ${permission} permission`);
    }
    const [updated] = await tx
      .update(dischargeClearances)
      .set({
        status: input.action === 'clear' ? 'cleared' : 'waived',
        clearedAt: ctx.now,
        clearedById: actorId(ctx.actor),
        clearedByName: ctx.actor.name,
        clearNote: input.note,
        version: item.version + 1,
        updatedAt: ctx.now,
      })
      .where(eq(dischargeClearances.id, clearanceId))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'update',
      resourceType: 'DischargeClearance',
      resourceId: clearanceId,
      patientId: row.patientId,
      detail: { item: item.item, action: input.action, note: input.note },
    });
    return toClearance(updated!);
  });
}

export async function completeDischarge(
  ctx: Ctx,
  env: Pick<IpdEnv, 'events'>,
  id: string,
  input: z.output<typeof CompleteDischargeBody>,
): Promise<Admission> {
  const facilityId = requireFacility(ctx);
  return ctx.db.transaction(async (tx) => {
    const row = await loadAdmission(tx, facilityId, id, true);
    if (row.version !== input.version) throw new StaleVersion('The admission');
    if (row.status !== 'discharge-initiated') {
      throw new Conflict(
        'IPD_ADMISSION_NOT_DISCHARGING',
        `Initiate the discharge first (the admission is ${row.status})`,
      );
    }
    const at = input.dischargedAt ? new Date(input.dischargedAt) : ctx.now;
    if (at.getTime() > ctx.now.getTime() || at.getTime() < row.admittedAt.getTime()) {
      throw new RuleViolation('IPD_DISCHARGE_TIME', 'The discharge time lies between the admission and now', [
        { path: 'body.dischargedAt', message: 'between the admission and now' },
      ]);
    }
    const pending = await tx
      .select()
      .from(dischargeClearances)
      .where(and(eq(dischargeClearances.admissionId, id), eq(dischargeClearances.status, 'pending')))
      .orderBy(asc(dischargeClearances.item));
    const pendingItems = pending.map((p) => ({ item: p.item, label: p.label, heldBy: p.heldBy }));
    if (pending.length > 0 && !MAY_LEAVE_UNCLEARED.has(row.dischargeType ?? '')) {
      throw new Conflict(
        'IPD_DISCHARGE_NOT_CLEARED',
        `The discharge is held: ${pending.map((p) => p.label).join('; ')}`,
        { pending: pendingItems },
      );
    }
    const left = await vacateBed(tx, ctx, env, row, at, 'discharge');
    const [updated] = await tx
      .update(admissions)
      .set({
        status: 'discharged',
        dischargedAt: at,
        dischargedById: actorId(ctx.actor),
        dischargedByName: ctx.actor.name,
        version: row.version + 1,
        updatedAt: ctx.now,
      })
      .where(eq(admissions.id, id))
      .returning();
    await endStayEncounter(tx, ctx, env, row.encounterId, { status: 'finished', endedAt: at });
    await recordAudit(tx, ctx, {
      action: 'update',
      resourceType: 'Admission',
      resourceId: id,
      patientId: row.patientId,
      detail: {
        status: 'discharged',
        dischargeType: row.dischargeType,
        // Absconded and death may leave with items pending: recorded here.
        pendingAtDischarge: pendingItems,
      },
    });
    await emitAdmissionEvent(tx, env, ctx, IPD_EVENTS.discharged, updated!, {
      bed: null,
      previousBed: left ? bedRefOf(left) : null,
      at,
    });
    return view(tx, ctx, updated!, 'admission');
  });
}

// ------------------------------------------------------------------------------------------------------
// Subscribers
// ------------------------------------------------------------------------------------------------------

/**
 * discharge-clearance.held / .released from any module: one row per (admission, item), upserted, so a
 * redelivery changes nothing. A hold on a closed admission is ignored.
 */
export async function applyClearanceEvent(
  tx: DbOrTx,
  kind: 'held' | 'released',
  p: DischargeClearancePayload,
  now: Date,
  /** When the publisher decided it: an older event delivered late (a retry) never undoes a newer one. */
  occurredAt: Date = now,
): Promise<void> {
  const [admission] = await tx
    .select({ id: admissions.id, status: admissions.status })
    .from(admissions)
    .where(eq(admissions.id, p.admissionId));
  if (!admission) return;
  if (kind === 'held' && !(OPEN_STATUSES as readonly string[]).includes(admission.status)) return;
  const status = kind === 'held' ? 'pending' : 'cleared';
  await tx
    .insert(dischargeClearances)
    .values({
      admissionId: p.admissionId,
      item: p.item,
      label: p.label,
      heldBy: p.heldBy,
      status,
      detail: p.detail,
      clearedAt: kind === 'released' ? occurredAt : null,
      clearedByName: kind === 'released' ? p.heldBy : null,
      createdAt: now,
      updatedAt: occurredAt,
    })
    .onConflictDoUpdate({
      target: [dischargeClearances.admissionId, dischargeClearances.item],
      set: {
        label: p.label,
        heldBy: p.heldBy,
        status,
        detail: p.detail,
        clearedAt: kind === 'released' ? occurredAt : null,
        clearedById: null,
        clearedByName: kind === 'released' ? p.heldBy : null,
        clearNote: null,
        version: sql`${dischargeClearances.version} + 1`,
        updatedAt: occurredAt,
      },
      // Only a change, and only when newer than the row's last change: the dispatcher retries a failed
      // delivery later, so 'held' may arrive after the 'released' that followed it.
      setWhere: sql`${dischargeClearances.status} <> ${status} and ${dischargeClearances.updatedAt} <= ${occurredAt.toISOString()}::timestamptz`,
    });
}

/** encounters.note.signed: a signed discharge summary clears the 'discharge-summary' item. */
export async function onNoteSigned(
  tx: DbOrTx,
  p: { encounterId: string; kind: string },
  now: Date,
): Promise<void> {
  if (!(DISCHARGE_SUMMARY_KINDS as readonly string[]).includes(p.kind)) return;
  const [admission] = await tx
    .select({ id: admissions.id })
    .from(admissions)
    .where(eq(admissions.encounterId, p.encounterId));
  if (!admission) return;
  await tx
    .update(dischargeClearances)
    .set({
      status: 'cleared',
      clearedAt: now,
      clearedByName: 'encounters',
      clearNote: 'Discharge summary signed',
      version: sql`${dischargeClearances.version} + 1`,
      updatedAt: now,
    })
    .where(
      and(
        eq(dischargeClearances.admissionId, admission.id),
        eq(dischargeClearances.item, 'discharge-summary'),
        eq(dischargeClearances.status, 'pending'),
      ),
    );
}
