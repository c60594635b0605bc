import type {
  CashCounter,
  CashCounterBody,
  CashierShift,
  CloseShiftBody,
  DayEndQuery,
  DayEndReport,
  ModeTotals,
  OpenShiftBody,
  ShiftQuery,
  UpdateCashCounterBody,
} from '@newhms/contracts';
import { and, asc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { recordAudit } from '../../platform/audit/audit.service';
import { actorId, type Ctx } from '../../platform/context';
import { withConstraintErrors } from '../../platform/db/constraint-errors';
import type { DbOrTx } from '../../platform/db/database';
import { Conflict, Forbidden, NotFound, RuleViolation, StaleVersion } from '../../platform/http/errors';
import { getFacility } from '../../platform/organization/organization.service';
import { cashCounters, cashierSessions, payments, refunds } from './billing.tables';
import { addToTotals, emptyModeTotals, expectedCashOf, sumTotals } from './payments-rules';

// Cash counters, the cashier's shift (opened with a float, closed with the cash counted) and the day's closing
// per cashier and counter.

export function requireFacility(ctx: Ctx): string {
  if (!ctx.facilityId) throw new RuleViolation('FACILITY_REQUIRED', 'Choose a facility first');
  return ctx.facilityId;
}

export function requireUser(ctx: Ctx): string {
  const id = actorId(ctx.actor);
  if (!id) throw new Forbidden('BILLING_STAFF_ONLY', 'Only a signed-in member of staff can do this');
  return id;
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** The calendar date of an instant in a time zone (YYYY-MM-DD). */
export function localDateOf(instant: Date, timeZone: string): string {
  let f = dateFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dateFormats.set(timeZone, f);
  }
  return f.format(instant);
}

/** Today's business date at the facility (its time zone), and the zone. */
export async function facilityDate(db: DbOrTx, facilityId: string, now: Date) {
  const facility = await getFacility(db, facilityId);
  return { today: localDateOf(now, facility.timeZone), timeZone: facility.timeZone, name: facility.name };
}

// ------------------------------------------------------------------------------------------------------
// Counters
// ------------------------------------------------------------------------------------------------------

type CounterRow = typeof cashCounters.$inferSelect;
const toCounter = (r: CounterRow): CashCounter => ({
  id: r.id,
  facilityId: r.facilityId,
  code: r.code,
  name: r.name,
  active: r.active,
});

export async function listCounters(ctx: Ctx): Promise<CashCounter[]> {
  const facilityId = requireFacility(ctx);
  const rows = await ctx.db
    .select()
    .from(cashCounters)
    .where(eq(cashCounters.facilityId, facilityId))
    .orderBy(asc(cashCounters.code));
  return rows.map(toCounter);
}

export async function createCounter(ctx: Ctx, input: z.output<typeof CashCounterBody>): Promise<CashCounter> {
  const facilityId = requireFacility(ctx);
  return withConstraintErrors(
    () =>
      ctx.db.transaction(async (tx) => {
        const [row] = await tx
          .insert(cashCounters)
          .values({ facilityId, code: input.code, name: input.name })
          .returning();
        await recordAudit(tx, ctx, { action: 'create', resourceType: 'CashCounter', resourceId: row!.id });
        return toCounter(row!);
      }),
    {
      cash_counters_code_uq: () =>
        new Conflict('BILLING_COUNTER_CODE_TAKEN', `A counter with the code ${input.code} exists already`),
    },
  );
}

export async function updateCounter(
  ctx: Ctx,
  id: string,
  input: z.output<typeof UpdateCashCounterBody>,
): Promise<CashCounter> {
  const facilityId = requireFacility(ctx);
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .update(cashCounters)
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.active !== undefined ? { active: input.active } : {}),
        updatedAt: ctx.now,
      })
      .where(and(eq(cashCounters.id, id), eq(cashCounters.facilityId, facilityId)))
      .returning();
    if (!row) throw new NotFound('The counter', 'BILLING_COUNTER_NOT_FOUND');
    await recordAudit(tx, ctx, {
      action: 'update',
      resourceType: 'CashCounter',
      resourceId: id,
      detail: { ...input },
    });
    return toCounter(row);
  });
}

// ------------------------------------------------------------------------------------------------------
// Shifts
// ------------------------------------------------------------------------------------------------------

export type ShiftRow = typeof cashierSessions.$inferSelect;

/** Stored at closing in `cashier_sessions.totals`. */
type ClosingTotals = {
  received: ModeTotals;
  refunds: ModeTotals;
  receiptsCount: number;
  refundsCount: number;
};

type ShiftFigures = ClosingTotals;

/** What was received and paid out in each shift (completed payments, paid refunds), by mode. */
async function figuresOf(db: DbOrTx, sessionIds: readonly string[]): Promise<Map<string, ShiftFigures>> {
  const out = new Map<string, ShiftFigures>();
  for (const id of sessionIds) {
    out.set(id, {
      received: emptyModeTotals(),
      refunds: emptyModeTotals(),
      receiptsCount: 0,
      refundsCount: 0,
    });
  }
  if (sessionIds.length === 0) return out;
  const received = await db
    .select({
      sessionId: payments.sessionId,
      mode: payments.mode,
      n: sql<number>`count(*)::int`,
      amount: sql<string>`coalesce(sum(${payments.amount}), 0)::text`,
    })
    .from(payments)
    .where(and(inArray(payments.sessionId, [...sessionIds]), eq(payments.status, 'completed')))
    .groupBy(payments.sessionId, payments.mode);
  for (const r of received) {
    const f = out.get(r.sessionId!)!;
    addToTotals(f.received, r.mode, Number(r.amount));
    f.receiptsCount += r.n;
  }
  const paidOut = await db
    .select({
      sessionId: refunds.sessionId,
      mode: refunds.mode,
      n: sql<number>`count(*)::int`,
      amount: sql<string>`coalesce(sum(${refunds.amount}), 0)::text`,
    })
    .from(refunds)
    .where(and(inArray(refunds.sessionId, [...sessionIds]), eq(refunds.status, 'paid')))
    .groupBy(refunds.sessionId, refunds.mode);
  for (const r of paidOut) {
    const f = out.get(r.sessionId!)!;
    addToTotals(f.refunds, r.mode, Number(r.amount));
    f.refundsCount += r.n;
  }
  return out;
}

async function shiftViews(db: DbOrTx, rows: readonly ShiftRow[]): Promise<CashierShift[]> {
  const open = rows.filter((r) => r.status === 'open' || !r.totals).map((r) => r.id);
  const live = await figuresOf(db, open);
  const counterIds = [...new Set(rows.map((r) => r.counterId))];
  const counters =
    counterIds.length === 0
      ? []
      : await db.select().from(cashCounters).where(inArray(cashCounters.id, counterIds));
  const counterOf = new Map(counters.map((c) => [c.id, c]));
  return rows.map((r) => {
    const f = live.get(r.id) ?? (r.totals as ClosingTotals);
    const counter = counterOf.get(r.counterId);
    const expected =
      r.status === 'closed' && r.expectedCash !== null
        ? r.expectedCash
        : expectedCashOf(r.openingFloat, f.received.cash, f.refunds.cash);
    return {
      id: r.id,
      facilityId: r.facilityId,
      counterId: r.counterId,
      counterCode: counter?.code ?? '',
      counterName: counter?.name ?? '',
      cashierId: r.cashierId,
      cashierName: r.cashierName,
      businessDate: r.businessDate,
      status: r.status as CashierShift['status'],
      openedAt: r.openedAt.toISOString(),
      closedAt: r.closedAt?.toISOString() ?? null,
      openingFloat: r.openingFloat,
      totals: f.received,
      receiptsCount: f.receiptsCount,
      refundsCount: f.refundsCount,
      refundTotals: f.refunds,
      expectedCash: expected,
      countedCash: r.countedCash,
      difference: r.difference,
      closingNote: r.closingNote,
      version: r.version,
    };
  });
}

async function loadShift(db: DbOrTx, facilityId: string, id: string, lock = false): Promise<ShiftRow> {
  const q = db
    .select()
    .from(cashierSessions)
    .where(and(eq(cashierSessions.id, id), eq(cashierSessions.facilityId, facilityId)));
  const [row] = lock ? await q.for('update') : await q;
  if (!row) throw new NotFound('The shift', 'BILLING_SHIFT_NOT_FOUND');
  return row;
}

/**
 * The actor's open shift at this facility, locked FOR SHARE: a payment or cash refund taken in it commits
 * before a concurrent closing counts the shift (closing locks it FOR UPDATE).
 */
export async function requireOpenShift(tx: DbOrTx, ctx: Ctx): Promise<ShiftRow> {
  const facilityId = requireFacility(ctx);
  const cashierId = requireUser(ctx);
  const [row] = await tx
    .select()
    .from(cashierSessions)
    .where(
      and(
        eq(cashierSessions.cashierId, cashierId),
        eq(cashierSessions.facilityId, facilityId),
        eq(cashierSessions.status, 'open'),
      ),
    )
    .for('share');
  if (!row) {
    throw new Conflict(
      'BILLING_NO_OPEN_SHIFT',
      'Open your cashier shift at a counter of this facility before taking or paying out money',
    );
  }
  return row;
}

export async function openShift(ctx: Ctx, input: z.output<typeof OpenShiftBody>): Promise<CashierShift> {
  const facilityId = requireFacility(ctx);
  const cashierId = requireUser(ctx);
  const { today } = await facilityDate(ctx.db, facilityId, ctx.now);
  const [counter] = await ctx.db
    .select()
    .from(cashCounters)
    .where(and(eq(cashCounters.id, input.counterId), eq(cashCounters.facilityId, facilityId)));
  if (!counter?.active) {
    throw new RuleViolation('BILLING_COUNTER_NOT_FOUND', 'No active counter of this facility has this id', [
      { path: 'body.counterId', message: 'not an active counter here' },
    ]);
  }
  return withConstraintErrors(
    () =>
      ctx.db.transaction(async (tx) => {
        const [row] = await tx
          .insert(cashierSessions)
          .values({
            facilityId,
            counterId: counter.id,
            cashierId,
            cashierName: ctx.actor.name,
            businessDate: today,
            openingFloat: input.openingFloat,
            openedAt: ctx.now,
          })
          .returning();
        await recordAudit(tx, ctx, {
          action: 'create',
          resourceType: 'CashierShift',
          resourceId: row!.id,
          detail: { counter: counter.code, openingFloat: input.openingFloat },
        });
        return (await shiftViews(tx, [row!]))[0]!;
      }),
    {
      cashier_sessions_open_cashier_uq: () =>
        new Conflict('BILLING_SHIFT_ALREADY_OPEN', 'You have a shift open already; close it first'),
      cashier_sessions_open_counter_uq: () =>
        new Conflict('BILLING_COUNTER_BUSY', `Counter ${counter.code} has an open shift of another cashier`),
    },
  );
}

export async function currentShift(ctx: Ctx): Promise<CashierShift> {
  const facilityId = requireFacility(ctx);
  const cashierId = requireUser(ctx);
  const [row] = await ctx.db
    .select()
    .from(cashierSessions)
    .where(
      and(
        eq(cashierSessions.cashierId, cashierId),
        eq(cashierSessions.facilityId, facilityId),
        eq(cashierSessions.status, 'open'),
      ),
    );
  if (!row) throw new NotFound('An open shift of yours', 'BILLING_NO_OPEN_SHIFT');
  return (await shiftViews(ctx.db, [row]))[0]!;
}

export async function getShift(ctx: Ctx, id: string): Promise<CashierShift> {
  const row = await loadShift(ctx.db, requireFacility(ctx), id);
  return (await shiftViews(ctx.db, [row]))[0]!;
}

export async function listShifts(ctx: Ctx, q: z.output<typeof ShiftQuery>): Promise<CashierShift[]> {
  const facilityId = requireFacility(ctx);
  const { today } = await facilityDate(ctx.db, facilityId, ctx.now);
  const filters: SQL[] = [
    eq(cashierSessions.facilityId, facilityId),
    eq(cashierSessions.businessDate, q.date ?? today),
  ];
  if (q.counterId) filters.push(eq(cashierSessions.counterId, q.counterId));
  if (q.cashierId) filters.push(eq(cashierSessions.cashierId, q.cashierId));
  if (q.status) filters.push(eq(cashierSessions.status, q.status));
  const rows = await ctx.db
    .select()
    .from(cashierSessions)
    .where(and(...filters))
    .orderBy(asc(cashierSessions.openedAt))
    .limit(500);
  return shiftViews(ctx.db, rows);
}

/**
 * Closes a shift with the cash counted: the cashier, or someone who may approve (a supervisor closing a
 * forgotten shift). Expected cash, the difference and the totals by mode are frozen; a closed shift is final.
 */
export async function closeShift(
  ctx: Ctx,
  id: string,
  input: z.output<typeof CloseShiftBody>,
): Promise<CashierShift> {
  const facilityId = requireFacility(ctx);
  const userId = requireUser(ctx);
  return ctx.db.transaction(async (tx) => {
    const row = await loadShift(tx, facilityId, id, true);
    const supervisor = ctx.actor.type === 'user' && ctx.actor.permissions.has('billing:approve');
    if (row.cashierId !== userId && !supervisor) {
      throw new Forbidden('BILLING_NOT_YOUR_SHIFT', 'Only the cashier or an approver may close this shift');
    }
    if (row.status !== 'open') throw new Conflict('BILLING_SHIFT_CLOSED', 'The shift is closed already');
    if (row.version !== input.version) throw new StaleVersion('The shift');
    const f = (await figuresOf(tx, [id])).get(id)!;
    const expected = expectedCashOf(row.openingFloat, f.received.cash, f.refunds.cash);
    const [updated] = await tx
      .update(cashierSessions)
      .set({
        status: 'closed',
        closedAt: ctx.now,
        expectedCash: expected,
        countedCash: input.countedCash,
        difference: input.countedCash - expected,
        totals: f,
        closingNote: input.note ?? null,
        version: row.version + 1,
      })
      .where(eq(cashierSessions.id, id))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'update',
      resourceType: 'CashierShift',
      resourceId: id,
      detail: { status: 'closed', expectedCash: expected, countedCash: input.countedCash },
    });
    return (await shiftViews(tx, [updated!]))[0]!;
  });
}

// ------------------------------------------------------------------------------------------------------
// Day end
// ------------------------------------------------------------------------------------------------------

type Group = DayEndReport['byCashier'][number];

function accumulate(
  groups: Map<string, Omit<Group, 'cashierId' | 'cashierName'>>,
  key: string,
  s: CashierShift,
) {
  const g = groups.get(key) ?? {
    totals: emptyModeTotals(),
    receiptsCount: 0,
    refundsCount: 0,
    refunded: 0,
    expectedCash: 0,
    countedCash: null,
    difference: null,
    openShifts: 0,
  };
  g.totals = sumTotals(g.totals, s.totals);
  g.receiptsCount += s.receiptsCount;
  g.refundsCount += s.refundsCount;
  g.refunded += Object.values(s.refundTotals).reduce((a, b) => a + b, 0);
  g.expectedCash += s.expectedCash;
  if (s.status === 'open') g.openShifts += 1;
  else {
    g.countedCash = (g.countedCash ?? 0) + (s.countedCash ?? 0);
    g.difference = (g.difference ?? 0) + (s.difference ?? 0);
  }
  groups.set(key, g);
}

/** The day's closing for a business date: every shift, per cashier and per counter, and the day's totals. */
export async function dayEndReport(ctx: Ctx, q: z.output<typeof DayEndQuery>): Promise<DayEndReport> {
  const facilityId = requireFacility(ctx);
  const { today } = await facilityDate(ctx.db, facilityId, ctx.now);
  const businessDate = q.date ?? today;
  const shifts = await listShifts(ctx, { ...q, date: businessDate });
  const byCashier = new Map<string, Omit<Group, 'cashierId' | 'cashierName'>>();
  const byCounter = new Map<string, Omit<Group, 'cashierId' | 'cashierName'>>();
  const day = new Map<string, Omit<Group, 'cashierId' | 'cashierName'>>();
  for (const s of shifts) {
    accumulate(byCashier, s.cashierId, s);
    accumulate(byCounter, s.counterId, s);
    accumulate(day, 'day', s);
  }
  const first = <K extends 'cashierId' | 'counterId'>(key: K, value: string) =>
    shifts.find((s) => s[key] === value)!;
  const total = day.get('day');
  await recordAudit(ctx.db, ctx, {
    action: 'read',
    resourceType: 'DayEndReport',
    detail: { businessDate, shifts: shifts.length },
  });
  return {
    facilityId,
    businessDate,
    shifts,
    byCashier: [...byCashier].map(([cashierId, g]) => ({
      cashierId,
      cashierName: first('cashierId', cashierId).cashierName,
      ...g,
    })),
    byCounter: [...byCounter].map(([counterId, g]) => ({
      counterId,
      counterCode: first('counterId', counterId).counterCode,
      counterName: first('counterId', counterId).counterName,
      ...g,
    })),
    totals: total?.totals ?? emptyModeTotals(),
    receiptsCount: total?.receiptsCount ?? 0,
    refunded: total?.refunded ?? 0,
    expectedCash: total?.expectedCash ?? 0,
    countedCash: total?.countedCash ?? null,
    difference: total?.difference ?? null,
    openShifts: total?.openShifts ?? 0,
  };
}
