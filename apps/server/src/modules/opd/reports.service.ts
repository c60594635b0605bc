import type { WaitingTimeQuery, WaitingTimes, Worklist } from '@newhms/contracts';
import { and, asc, eq, ne, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Ctx } from '../../platform/context';
import { rowsOf } from '../../platform/db/raw-rows';
import { presentAppointments } from './appointments.service';
import { countUnsignedNotes } from './encounter-link';
import { appointments } from './opd.tables';
import { facilityClock, worklistPractitioner } from './opd-lookups';
import { readPatients, requireFacility, toPractitioner } from './opd-records';
import { presentQueue, queueRows } from './queue.service';

// What the OPD measures and what the doctor sees first: waiting times and the day's worklist.

type WaitingRow = {
  date: string;
  room_id: string;
  room_name: string;
  practitioner_id: string;
  practitioner_name: string;
  tokens: number;
  called: number;
  completed: number;
  a2c_median: number | null;
  a2c_p90: number | null;
  c2c_median: number | null;
  c2c_p90: number | null;
};

const seconds = (v: number | string | null) => (v === null ? null : Math.round(Number(v)));

/**
 * Arrival (check-in) to first call, and first call to completion: median and 90th percentile per day, room
 * and practitioner. Reads one facility's tokens of at most 31 days through the (facility, date) index.
 */
export async function waitingTimes(ctx: Ctx, q: z.output<typeof WaitingTimeQuery>): Promise<WaitingTimes> {
  const facilityId = requireFacility(ctx);
  const rows = await rowsOf<WaitingRow>(
    ctx.db,
    sql`select t.date::text as date, t.room_id, r.name as room_name, t.practitioner_id,
               p.display_name as practitioner_name,
               count(*)::int as tokens,
               count(t.first_called_at)::int as called,
               count(*) filter (where t.status = 'completed')::int as completed,
               percentile_cont(0.5) within group (order by extract(epoch from t.first_called_at - t.arrived_at)) as a2c_median,
               percentile_cont(0.9) within group (order by extract(epoch from t.first_called_at - t.arrived_at)) as a2c_p90,
               percentile_cont(0.5) within group (order by case when t.status = 'completed'
                 then extract(epoch from t.completed_at - t.first_called_at) end) as c2c_median,
               percentile_cont(0.9) within group (order by case when t.status = 'completed'
                 then extract(epoch from t.completed_at - t.first_called_at) end) as c2c_p90
          from opd.tokens t
          join opd.rooms r on r.id = t.room_id
          join opd.practitioners p on p.id = t.practitioner_id
         where t.facility_id = ${facilityId}
           and t.date between ${q.from} and ${q.to}
           ${q.roomId ? sql`and t.room_id = ${q.roomId}` : sql``}
           ${q.practitionerId ? sql`and t.practitioner_id = ${q.practitionerId}` : sql``}
         group by t.date, t.room_id, r.name, t.practitioner_id, p.display_name
         order by t.date, r.name, p.display_name`,
  );
  return {
    items: rows.map((r) => ({
      date: r.date,
      roomId: r.room_id,
      roomName: r.room_name,
      practitionerId: r.practitioner_id,
      practitionerName: r.practitioner_name,
      tokens: r.tokens,
      called: r.called,
      completed: r.completed,
      arrivalToCall: { median: seconds(r.a2c_median), p90: seconds(r.a2c_p90) },
      callToCompletion: { median: seconds(r.c2c_median), p90: seconds(r.c2c_p90) },
    })),
  };
}

/** The doctor's day: appointments, the queue in order, who is in, who is next, and unsigned notes. */
export async function getWorklist(
  ctx: Ctx,
  q: { practitionerId?: string | undefined; date?: string | undefined },
): Promise<Worklist> {
  const facilityId = requireFacility(ctx);
  const practitioner = await worklistPractitioner(ctx, q.practitionerId);
  const clock = await facilityClock(ctx.db, facilityId, ctx.now);
  const day = q.date ?? clock.today;
  const appointmentRows = await ctx.db
    .select()
    .from(appointments)
    .where(
      and(
        eq(appointments.practitionerId, practitioner.id),
        eq(appointments.date, day),
        ne(appointments.status, 'cancelled'),
      ),
    )
    .orderBy(asc(appointments.startsAt), asc(appointments.id))
    .limit(500);
  const tokenRows = await queueRows(ctx.db, practitioner.id, day);
  // Every patient on the screen is one audited read, whether they appear as an appointment or a token.
  const patients = await readPatients(
    ctx.db,
    ctx,
    [...appointmentRows.map((a) => a.patientId), ...tokenRows.map((t) => t.patientId)],
    'worklist',
  );
  const appointmentViews = await presentAppointments(ctx.db, ctx, appointmentRows, 'worklist', patients);
  const queue = presentQueue(practitioner, day, tokenRows, patients);
  const current =
    queue.active.find((t) => t.status === 'in-consultation') ??
    queue.active.find((t) => t.status === 'called') ??
    null;
  return {
    practitioner: toPractitioner(practitioner, clock.currency),
    date: day,
    appointments: appointmentViews,
    queue,
    current,
    next: queue.active.find((t) => t.status === 'waiting') ?? null,
    counts: {
      booked: appointmentRows.filter((a) => a.status === 'booked').length,
      arrived: appointmentRows.filter((a) => a.status === 'arrived').length,
      waiting: queue.active.filter((t) => t.status === 'waiting').length,
      completed: tokenRows.filter((t) => t.status === 'completed').length,
      noShow: appointmentRows.filter((a) => a.status === 'no-show').length,
    },
    unsignedNotes: await countUnsignedNotes(ctx, practitioner.userId),
  };
}
