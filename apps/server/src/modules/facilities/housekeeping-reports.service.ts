import {
  FACILITIES_EVENTS,
  type HousekeepingTaskKind,
  type HousekeepingTaskOverduePayload,
  type HousekeepingTurnaround,
  type HousekeepingTurnaroundQuery,
  liveHousekeepingStatuses,
} from '@newhms/contracts';
import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Ctx } from '../../platform/context';
import type { Db } from '../../platform/db/database';
import { rowsOf } from '../../platform/db/raw-rows';
import { appendEvent, type EventRegistry } from '../../platform/events/outbox';
import { getFacility } from '../../platform/organization/organization.service';
import { addDays, zonedInstant } from '../../platform/time/facility-time';
import { getWardNames } from '../ipd';
import { housekeepingTasks } from './facilities.tables';
import { requireFacility, type TaskRow } from './housekeeping.service';

// What housekeeping measures: overdue alerts (the job) and the turnaround report.

/** How many overdue tasks one run marks at most; the next minute takes the rest. */
const OVERDUE_BATCH = 500;

/**
 * The every-minute job: marks each task still to do that is past its due time, once (overdue_alerted_at),
 * and appends `facilities.housekeeping.task-overdue` for it in the same transaction (notifications tells
 * the supervisor). Concurrent runs skip each other's rows. Returns the tasks marked.
 */
export async function alertOverdueTasks(db: Db, events: EventRegistry, now: Date): Promise<TaskRow[]> {
  return db.transaction(async (tx) => {
    const marked = await rowsOf<{ id: string }>(
      tx,
      sql`update ${housekeepingTasks} set overdue_alerted_at = ${now.toISOString()}::timestamptz
           where id in (select id from ${housekeepingTasks}
                         where status in (${sql.join(
                           liveHousekeepingStatuses.map((s) => sql`${s}`),
                           sql`, `,
                         )})
                           and due_at < ${now.toISOString()}::timestamptz
                           and overdue_alerted_at is null
                         order by due_at
                         limit ${OVERDUE_BATCH}
                         for update skip locked)
          returning id`,
    );
    if (marked.length === 0) return [];
    const rows = await tx
      .select()
      .from(housekeepingTasks)
      .where(
        sql`${housekeepingTasks.id} in (${sql.join(
          marked.map((m) => sql`${m.id}`),
          sql`, `,
        )})`,
      );
    for (const row of rows) {
      const payload: HousekeepingTaskOverduePayload = {
        taskId: row.id,
        kind: row.kind as HousekeepingTaskKind,
        priority: row.priority as HousekeepingTaskOverduePayload['priority'],
        status: row.status as HousekeepingTaskOverduePayload['status'],
        location: row.location,
        wardId: row.wardId,
        bedId: row.bedId,
        dueAt: row.dueAt.toISOString(),
        assignedToId: row.assignedToId,
      };
      await appendEvent(tx, events, {
        type: FACILITIES_EVENTS.taskOverdue,
        facilityId: row.facilityId,
        aggregateId: row.id,
        payload,
      });
    }
    return rows;
  });
}

type TurnaroundSqlRow = {
  ward_id: string | null;
  kind: HousekeepingTaskKind;
  count: number;
  median: number | string;
  p90: number | string;
};

const oneDecimal = (v: number | string) => Math.round(Number(v) * 10) / 10;

/**
 * Turnaround of finished tasks requested between two dates (facility time, both included): per ward and
 * kind, the count and the median and 90th percentile of minutes from request to finish.
 */
export async function turnaroundReport(
  ctx: Ctx,
  q: z.output<typeof HousekeepingTurnaroundQuery>,
): Promise<HousekeepingTurnaround> {
  const facilityId = requireFacility(ctx);
  const { timeZone } = await getFacility(ctx.db, facilityId);
  const from = zonedInstant(q.from, '00:00', timeZone);
  const until = zonedInstant(addDays(q.to, 1), '00:00', timeZone);
  const rows = await rowsOf<TurnaroundSqlRow>(
    ctx.db,
    sql`select ward_id, kind, count(*)::int as count,
               percentile_cont(0.5) within group (order by turnaround_minutes) as median,
               percentile_cont(0.9) within group (order by turnaround_minutes) as p90
          from ${housekeepingTasks}
         where facility_id = ${facilityId}
           and status = 'done'
           and requested_at >= ${from.toISOString()}::timestamptz
           and requested_at < ${until.toISOString()}::timestamptz
           ${q.wardId ? sql`and ward_id = ${q.wardId}` : sql``}
         group by ward_id, kind`,
  );
  const wards = await getWardNames(
    ctx.db,
    facilityId,
    rows.flatMap((r) => (r.ward_id ? [r.ward_id] : [])),
  );
  const items = rows
    .map((r) => ({
      wardId: r.ward_id,
      wardName: r.ward_id ? (wards.get(r.ward_id)?.name ?? null) : null,
      kind: r.kind,
      count: r.count,
      medianMinutes: oneDecimal(r.median),
      p90Minutes: oneDecimal(r.p90),
    }))
    .sort(
      (a, b) =>
        (a.wardName ?? '\uffff').localeCompare(b.wardName ?? '\uffff') || a.kind.localeCompare(b.kind),
    );
  return { from: q.from, to: q.to, items };
}
