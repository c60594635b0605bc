import { and, asc, desc, eq, isNotNull, isNull, lt, or, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { hasPermission, staffWithPermission } from '../access/access.service';
import { recordAudit, recordAudits } from '../audit/audit.service';
import { actorId, type Ctx, systemCtx } from '../context';
import type { Db, DbOrTx } from '../db/database';
import { appendEvent, type EventRegistry } from '../events/outbox';
import { Conflict, Forbidden, NotFound } from '../http/errors';
import { requireFacility } from '../organization/facility-context';

// The loop around a department's critical result (a laboratory value, an imaging finding; Joint Commission
// NPSG.02.03.01): addressed at once to the ordering doctor, who acknowledges by reading it back; unacknowledged
// for a period it escalates a level (to the department's responders) each period, up to a maximum. Every step
// is an audit entry and an event. Raising an alert and the read-back rule are the department's own.

type EscalatedTo = { id: string; name: string }[];

/** The columns of a department's `critical_alerts` table that the loop reads and writes. */
export type CriticalAlertsTable = PgTable &
  Record<
    | 'id'
    | 'facilityId'
    | 'orderingUserId'
    | 'notifiedAt'
    | 'acknowledgedAt'
    | 'acknowledgedById'
    | 'acknowledgedByName'
    | 'readBack'
    | 'escalationLevel'
    | 'escalatedAt'
    | 'escalatedTo'
    | 'updatedAt',
    PgColumn
  >;

/** What the loop needs of an alert's row. */
export type CriticalAlertRow = {
  id: string;
  facilityId: string;
  patientId: string;
  encounterId: string | null;
  orderingUserId: string | null;
  orderingUserName: string | null;
  notifiedAt: Date;
  acknowledgedAt: Date | null;
  acknowledgedByName: string | null;
  readBack: string | null;
  escalationLevel: number;
  escalatedAt: Date | null;
  escalatedTo: unknown;
};

/** The loop's part of an alert as shown (the department adds what was critical: value, finding, ...). */
export type CriticalAlertLoopView = {
  id: string;
  patientId: string;
  patientName: string;
  mrn: string;
  encounterId: string | null;
  orderingUserId: string | null;
  orderingUserName: string | null;
  notifiedAt: string;
  status: 'open' | 'acknowledged';
  acknowledgedAt: string | null;
  acknowledgedByName: string | null;
  readBack: string | null;
  escalationLevel: number;
  escalatedAt: string | null;
  escalatedTo: EscalatedTo;
};

type PatientSummary = { id: string; displayName: string; mrn: string };
type DepartmentEvent = { type: string; payload: object };

/** What a department's critical-alert loop differs in. */
export type CriticalAlertLoopConfig<R extends CriticalAlertRow, V extends CriticalAlertLoopView> = {
  table: CriticalAlertsTable;
  /** The audit entries' resource type: `LabCriticalAlert`. */
  resourceType: string;
  /** The error codes' prefix: `LAB` gives LAB_CRITICAL_NOT_FOUND, _NOT_ADDRESSEE, _ALREADY_ACKNOWLEDGED, _MINE_ONLY. */
  errorPrefix: string;
  /** The alert in a 404: `The critical value`. */
  subject: string;
  /** Who sees every alert of the facility (any one of these); the others may only ask `mine`. */
  seeAll: { permissions: readonly string[]; message: string; list: string };
  /** Who acknowledges for the doctor (took the read-back on the telephone), and whom an escalation reaches. */
  responders: { permission: string; notAddresseeMessage: string };
  maxEscalation: number;
  /** The system actor of the escalation job: `laboratory.critical-escalation`. */
  escalationActor: string;
  /** The patients' names and MRNs (the patients module's summaries; the platform knows no patients). */
  patientSummaries: (db: DbOrTx, ids: readonly string[], now: Date) => Promise<readonly PatientSummary[]>;
  /** The department's fields of an alert as shown, besides the loop's (`CriticalAlertLoopView`). */
  view: (row: R) => Omit<V, keyof CriticalAlertLoopView>;
  /** Throws the department's RuleViolation (422) when the read-back does not repeat the alert. */
  checkReadBack: (readBack: string, row: R) => void;
  acknowledgedEvent: (
    row: R,
    ack: { acknowledgedById: string | null; minutesToAcknowledge: number },
  ) => DepartmentEvent;
  escalatedEvent: (row: R, escalation: { level: number; escalatedToIds: string[] }) => DepartmentEvent;
};

function loopView(r: CriticalAlertRow, patient: PatientSummary | undefined): CriticalAlertLoopView {
  return {
    id: r.id,
    patientId: r.patientId,
    patientName: patient?.displayName ?? '',
    mrn: patient?.mrn ?? '',
    encounterId: r.encounterId,
    orderingUserId: r.orderingUserId,
    orderingUserName: r.orderingUserName,
    notifiedAt: r.notifiedAt.toISOString(),
    status: r.acknowledgedAt ? 'acknowledged' : 'open',
    acknowledgedAt: r.acknowledgedAt?.toISOString() ?? null,
    acknowledgedByName: r.acknowledgedByName,
    readBack: r.readBack,
    escalationLevel: r.escalationLevel,
    escalatedAt: r.escalatedAt?.toISOString() ?? null,
    escalatedTo: r.escalatedTo as EscalatedTo,
  };
}

function isAddressee(ctx: Ctx, row: CriticalAlertRow): boolean {
  const me = actorId(ctx.actor);
  return (
    me !== null && (row.orderingUserId === me || (row.escalatedTo as EscalatedTo).some((e) => e.id === me))
  );
}

/** The listing, acknowledgement and escalation of one department's critical alerts. */
export function criticalAlertLoop<R extends CriticalAlertRow, V extends CriticalAlertLoopView>(
  config: CriticalAlertLoopConfig<R, V>,
) {
  const { table, resourceType: RESOURCE, errorPrefix: CODE } = config;

  async function toViews(db: DbOrTx, ctx: Ctx, rows: R[]): Promise<V[]> {
    const ids = [...new Set(rows.map((r) => r.patientId))];
    const patients = new Map((await config.patientSummaries(db, ids, ctx.now)).map((p) => [p.id, p]));
    return rows.map((r) => ({ ...config.view(r), ...loopView(r, patients.get(r.patientId)) }) as V);
  }

  /**
   * `mine`: those addressed to me (as the ordering doctor, or escalated to me); otherwise the department's
   * view of all of the facility's (its `seeAll` permissions only). Open ones oldest first.
   */
  async function listCriticalAlerts(
    ctx: Ctx,
    query: { mine: boolean; status: 'open' | 'acknowledged' | 'all'; limit: number },
  ): Promise<V[]> {
    const facilityId = requireFacility(ctx);
    if (!query.mine && !config.seeAll.permissions.some((p) => hasPermission(ctx, p))) {
      throw new Forbidden(`${CODE}_CRITICAL_MINE_ONLY`, config.seeAll.message);
    }
    const me = actorId(ctx.actor);
    const rows = (await ctx.db
      .select()
      .from(table)
      .where(
        and(
          eq(table.facilityId, facilityId),
          query.status === 'open' ? isNull(table.acknowledgedAt) : undefined,
          query.status === 'acknowledged' ? isNotNull(table.acknowledgedAt) : undefined,
          query.mine
            ? or(
                eq(table.orderingUserId, me ?? sql`null`),
                sql`${table.escalatedTo} @> ${JSON.stringify([{ id: me }])}::jsonb`,
              )
            : undefined,
        ),
      )
      .orderBy(query.status === 'open' ? asc(table.notifiedAt) : desc(table.notifiedAt), asc(table.id))
      .limit(query.limit)) as R[];
    await recordAudits(
      ctx.db,
      ctx,
      [...new Set(rows.map((r) => r.patientId))].map((patientId) => ({
        action: 'read',
        resourceType: RESOURCE,
        patientId,
        detail: {
          list: query.mine ? 'mine' : config.seeAll.list,
          status: query.status,
          alertIds: rows.filter((r) => r.patientId === patientId).map((r) => r.id),
        },
      })),
    );
    return toViews(ctx.db, ctx, rows);
  }

  /**
   * The doctor acknowledges by reading the alert back: only the addressee, whoever it was escalated to, or a
   * responder (who took the read-back on the telephone) may (403); the read-back must repeat the alert as the
   * department's rule says (422); an acknowledged alert cannot be acknowledged again (409).
   */
  async function acknowledgeCriticalAlert(
    ctx: Ctx,
    events: EventRegistry,
    id: string,
    input: { readBack: string },
  ): Promise<V> {
    const facilityId = requireFacility(ctx);
    const row = await ctx.db.transaction(async (tx) => {
      const [alert] = (await tx.select().from(table).where(eq(table.id, id)).for('update')) as R[];
      if (!alert || alert.facilityId !== facilityId) {
        throw new NotFound(config.subject, `${CODE}_CRITICAL_NOT_FOUND`);
      }
      if (!isAddressee(ctx, alert) && !hasPermission(ctx, config.responders.permission)) {
        throw new Forbidden(`${CODE}_CRITICAL_NOT_ADDRESSEE`, config.responders.notAddresseeMessage);
      }
      if (alert.acknowledgedAt) {
        throw new Conflict(
          `${CODE}_CRITICAL_ALREADY_ACKNOWLEDGED`,
          `Acknowledged by ${alert.acknowledgedByName} at ${alert.acknowledgedAt.toISOString()}`,
        );
      }
      config.checkReadBack(input.readBack, alert);
      const [updated] = (await tx
        .update(table)
        .set({
          acknowledgedAt: ctx.now,
          acknowledgedById: actorId(ctx.actor),
          acknowledgedByName: ctx.actor.name,
          readBack: input.readBack,
          updatedAt: ctx.now,
        })
        .where(eq(table.id, id))
        .returning()) as R[];
      const minutes = Math.round((ctx.now.getTime() - alert.notifiedAt.getTime()) / 6_000) / 10;
      await recordAudit(tx, ctx, {
        action: 'update',
        resourceType: RESOURCE,
        resourceId: id,
        patientId: alert.patientId,
        detail: {
          acknowledged: true,
          readBack: input.readBack,
          minutesToAcknowledge: minutes,
          escalationLevel: alert.escalationLevel,
        },
      });
      const event = config.acknowledgedEvent(alert, {
        acknowledgedById: actorId(ctx.actor),
        minutesToAcknowledge: minutes,
      });
      await appendEvent(tx, events, {
        type: event.type,
        facilityId,
        aggregateId: id,
        actorId: actorId(ctx.actor),
        payload: event.payload,
      });
      return updated!;
    });
    const [alert] = await toViews(ctx.db, ctx, [row]);
    return alert!;
  }

  /**
   * Escalates every open alert whose next level is due: level n once n * `ackMinutes` have passed since it was
   * notified (up to `maxEscalation`), to the facility's responders. One level per alert per run, so each level
   * has its event; a level is reached once (the update is conditional on the level read). Returns how many
   * alerts went up.
   */
  async function escalateCriticalAlerts(
    db: Db,
    events: EventRegistry,
    ackMinutes: number,
    now: Date = new Date(),
  ): Promise<number> {
    const periodMs = ackMinutes * 60_000;
    const due = (await db
      .select()
      .from(table)
      .where(
        and(
          isNull(table.acknowledgedAt),
          lt(table.escalationLevel, config.maxEscalation),
          sql`${table.notifiedAt} + (${table.escalationLevel} + 1) * ${periodMs}::bigint * interval '1 millisecond' <= ${now.toISOString()}::timestamptz`,
        ),
      )
      .orderBy(asc(table.notifiedAt))
      .limit(500)) as R[];
    let escalated = 0;
    for (const alert of due) {
      const level = alert.escalationLevel + 1;
      const went = await db.transaction(async (tx) => {
        const staff = await staffWithPermission(tx, alert.facilityId, config.responders.permission);
        const to = staff.map((s) => ({ id: s.id, name: s.displayName }));
        const [row] = await tx
          .update(table)
          .set({ escalationLevel: level, escalatedAt: now, escalatedTo: to, updatedAt: now })
          .where(
            and(
              eq(table.id, alert.id),
              eq(table.escalationLevel, alert.escalationLevel),
              isNull(table.acknowledgedAt),
            ),
          )
          .returning({ id: table.id });
        if (!row) return false;
        // The audit entry keeps the clock's time (its chain is in time order); escalated_at is `now`.
        const ctx = systemCtx(tx as Db, config.escalationActor, alert.facilityId);
        await recordAudit(tx, ctx, {
          action: 'update',
          resourceType: RESOURCE,
          resourceId: alert.id,
          patientId: alert.patientId,
          detail: { escalationLevel: level, escalatedTo: to.map((s) => s.id), ackMinutes },
        });
        const event = config.escalatedEvent(alert, { level, escalatedToIds: to.map((s) => s.id) });
        await appendEvent(tx, events, {
          type: event.type,
          facilityId: alert.facilityId,
          aggregateId: alert.id,
          payload: event.payload,
        });
        return true;
      });
      if (went) escalated++;
    }
    return escalated;
  }

  return { listCriticalAlerts, acknowledgeCriticalAlert, escalateCriticalAlerts };
}
