import { FACILITIES_EVENTS, type HousekeepingTask } from '@newhms/contracts';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness';
import { outbox } from '../../platform/events/events.tables';
import { housekeepingTasks } from './facilities.tables';
import { createHousekeepingWorld, type HousekeepingWorld } from './facilities-test-support';
import { alertOverdueTasks } from './housekeeping-reports.service';
import { facilitiesModule } from './index';

let t: TestApp;
let w: HousekeepingWorld;
let asha: { id: string; headers: Record<string, string> };
let ravi: { id: string; headers: Record<string, string> };
beforeAll(async () => {
  t = await createTestApp();
  w = await createHousekeepingWorld(t);
  asha = await w.staff(['housekeeping'], 'Asha Housekeeper');
  ravi = await w.staff(['housekeeping'], 'Ravi Housekeeper');
});
afterAll(() => t.close());

const base = '/api/v1/facilities/housekeeping';

async function tasksOfBed(bedId: string) {
  return t.database.db.select().from(housekeepingTasks).where(eq(housekeepingTasks.bedId, bedId));
}

async function act(
  who: { headers: Record<string, string> },
  id: string,
  action: string,
  body: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) {
  return w.call('POST', `${base}/tasks/${id}/${action}`, { ...who.headers, ...headers }, body);
}

describe('a released bed', () => {
  it('becomes a cleaning task: 45 minutes for a bed, terminal cleaning in 90 for an isolation bed', async () => {
    const ward = w.ward('Ward Bluebell');
    const plain = await w.releaseBed(ward);
    const isolation = await w.releaseBed(ward, { isolation: true, cause: 'transfer' });
    await w.deliver();

    const [bed] = await tasksOfBed(plain.payload.bedId);
    expect(bed).toMatchObject({
      facilityId: w.facilityId,
      kind: 'bed-cleaning',
      status: 'open',
      location: `Ward Bluebell / ${plain.payload.bedCode}`,
      wardId: ward.wardId,
      sourceEventId: plain.eventId,
      createdByName: 'IPD (bed released)',
    });
    expect(bed!.requestedAt.toISOString()).toBe(plain.payload.releasedAt);
    expect(bed!.dueAt.getTime() - bed!.requestedAt.getTime()).toBe(45 * 60_000);

    const [terminal] = await tasksOfBed(isolation.payload.bedId);
    expect(terminal).toMatchObject({ kind: 'terminal-cleaning', note: 'Patient transferred' });
    expect(terminal!.dueAt.getTime() - terminal!.requestedAt.getTime()).toBe(90 * 60_000);
  });

  it('makes no second task when the event is delivered again or the bed is released again', async () => {
    const ward = w.ward();
    const released = await w.releaseBed(ward);
    await w.deliver();
    const subscriber = t.app.deps.events.subscriptions.get('facilities.bed-cleaning')!;
    const [event] = await t.database.db.select().from(outbox).where(eq(outbox.id, released.eventId));
    // At-least-once delivery (a relay, a retry after a lost acknowledgement): the same event again.
    await subscriber.handler(
      {
        id: event!.id,
        type: event!.type,
        facilityId: event!.facilityId,
        aggregateId: event!.aggregateId,
        actorId: event!.actorId,
        payload: event!.payload,
        occurredAt: event!.occurredAt,
      },
      t.database.db,
    );
    // A second release of a bed whose cleaning is still to do.
    await w.releaseBed(ward, { bedId: released.payload.bedId, bedCode: released.payload.bedCode });
    await w.deliver();
    expect(await tasksOfBed(released.payload.bedId)).toHaveLength(1);
  });
});

describe('the housekeeping queue on a phone', () => {
  it('lists work still to do, most overdue first, by ward, and mine', async () => {
    const east = w.ward('East Wing');
    const west = w.ward('West Wing');
    const now = Date.now();
    const late = await w.releaseBed(east, { releasedAt: new Date(now - 60 * 60_000).toISOString() });
    const fresh = await w.releaseBed(east, { releasedAt: new Date(now - 5 * 60_000).toISOString() });
    const elsewhere = await w.releaseBed(west);
    await w.deliver();

    const res = await w.call('GET', `${base}/tasks?wardId=${east.wardId}`, asha.headers);
    expect(res.statusCode).toBe(200);
    const items = res.json().items as HousekeepingTask[];
    expect(items.map((i) => i.bedId)).toEqual([late.payload.bedId, fresh.payload.bedId]);
    expect(items[0]!.overdue).toBe(true);
    expect(items[1]!.overdue).toBe(false);
    expect(items.some((i) => i.bedId === elsewhere.payload.bedId)).toBe(false);

    // Pages follow the same order.
    const first = (await w.call('GET', `${base}/tasks?wardId=${east.wardId}&limit=1`, asha.headers)).json();
    expect(first.items[0].bedId).toBe(late.payload.bedId);
    const second = (
      await w.call(
        'GET',
        `${base}/tasks?wardId=${east.wardId}&limit=1&cursor=${first.nextCursor}`,
        asha.headers,
      )
    ).json();
    expect(second.items[0].bedId).toBe(fresh.payload.bedId);
    expect(second.nextCursor).toBeNull();

    const taken = await act(ravi, items[1]!.id, 'take', { version: items[1]!.version });
    expect(taken.statusCode).toBe(200);
    const mine = (await w.call('GET', `${base}/tasks?mine=true`, ravi.headers)).json()
      .items as HousekeepingTask[];
    expect(mine.map((i) => i.id)).toEqual([items[1]!.id]);
    expect((await w.call('GET', `${base}/tasks?cursor=garbage`, ravi.headers)).statusCode).toBe(400);
  });

  it('takes, starts and finishes a bed clean; IPD hears the bed is clean with the turnaround', async () => {
    const ward = w.ward('Ward Tulip');
    const released = await w.releaseBed(ward, {
      releasedAt: new Date(Date.now() - 50 * 60_000).toISOString(),
    });
    await w.deliver();
    const [row] = await tasksOfBed(released.payload.bedId);
    const id = row!.id;

    // 1. Asha cannot finish what has not started.
    const early = await act(asha, id, 'finish', { version: 1 });
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('HOUSEKEEPING_INVALID_TRANSITION');
    // 2. She takes it; Ravi, reading an old version, cannot take it too.
    const taken = await act(asha, id, 'take', { version: 1 });
    expect(taken.statusCode).toBe(200);
    expect(taken.headers.etag).toBe('W/"2"');
    expect(taken.json()).toMatchObject({
      status: 'assigned',
      assignedToId: asha.id,
      assignedToName: 'Asha Housekeeper',
    });
    const stale = await act(ravi, id, 'take', { version: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('STALE_VERSION');
    expect((await act(ravi, id, 'take', {})).json().code).toBe('HOUSEKEEPING_INVALID_TRANSITION');
    // 3. Ravi may not start Asha's task; Asha starts it (If-Match carries the version).
    const notHis = await act(ravi, id, 'start');
    expect(notHis.statusCode).toBe(403);
    expect(notHis.json().code).toBe('HOUSEKEEPING_NOT_ASSIGNEE');
    const badMatch = await act(asha, id, 'start', {}, { 'if-match': 'W/"1"' });
    expect(badMatch.statusCode).toBe(409);
    const started = await act(asha, id, 'start', {}, { 'if-match': 'W/"2"' });
    expect(started.statusCode).toBe(200);
    expect(started.json().status).toBe('in-progress');
    // 4. Ravi may not finish it either; Asha finishes it.
    expect((await act(ravi, id, 'finish')).statusCode).toBe(403);
    const finished = await act(asha, id, 'finish', { version: 3, note: 'Mattress replaced' });
    expect(finished.statusCode).toBe(200);
    expect(finished.json()).toMatchObject({
      status: 'done',
      finishedByName: 'Asha Housekeeper',
      turnaroundMinutes: 50,
      note: 'Mattress replaced',
      overdue: false,
    });
    // 5. The bed-cleaned event is in the outbox (same transaction as the finish).
    const events = await t.database.db
      .select()
      .from(outbox)
      .where(and(eq(outbox.type, FACILITIES_EVENTS.bedCleaned), eq(outbox.aggregateId, id)));
    expect(events).toHaveLength(1);
    expect(events[0]!.facilityId).toBe(w.facilityId);
    expect(events[0]!.payload).toEqual({
      taskId: id,
      bedId: released.payload.bedId,
      finishedAt: finished.json().finishedAt,
      turnaroundMinutes: 50,
      kind: 'bed-cleaning',
    });
    // 6. Done is done: no second finish, no cancel.
    expect((await act(asha, id, 'finish')).json().code).toBe('HOUSEKEEPING_INVALID_TRANSITION');
    expect((await act(w.supervisor, id, 'cancel', { reason: 'duplicate' })).statusCode).toBe(409);
    // 7. Gone from the queue.
    const queue = (await w.call('GET', `${base}/tasks?wardId=${ward.wardId}`, asha.headers)).json();
    expect(queue.items).toEqual([]);
  });

  it('starting an open task takes it; a supervisor may finish it for the housekeeper', async () => {
    const released = await w.releaseBed(w.ward());
    await w.deliver();
    const [row] = await tasksOfBed(released.payload.bedId);
    const started = await act(ravi, row!.id, 'start');
    expect(started.json()).toMatchObject({ status: 'in-progress', assignedToId: ravi.id });
    const finished = await act(w.supervisor, row!.id, 'finish');
    expect(finished.statusCode).toBe(200);
    expect(finished.json().finishedByName).toMatch(/^Supervisor/);
  });
});

describe('the supervisor', () => {
  it('makes spill and routine tasks, assigns them to housekeeping staff only, and cancels with a reason', async () => {
    const spill = await w.call('POST', `${base}/tasks`, w.supervisor.headers, {
      kind: 'spill',
      location: 'OPD waiting hall, counter 3',
      note: 'Broken glass',
    });
    expect(spill.statusCode).toBe(201);
    const task = spill.json() as HousekeepingTask;
    expect(task).toMatchObject({
      kind: 'spill',
      priority: 'urgent',
      status: 'open',
      wardId: null,
      bedId: null,
    });
    expect(Date.parse(task.dueAt) - Date.parse(task.requestedAt)).toBe(30 * 60_000);

    const routine = await w.call('POST', `${base}/tasks`, w.supervisor.headers, {
      kind: 'routine',
      location: 'Lift lobby',
      dueInMinutes: 15,
    });
    expect(routine.json()).toMatchObject({ priority: 'routine' });
    expect(Date.parse(routine.json().dueAt) - Date.parse(routine.json().requestedAt)).toBe(15 * 60_000);

    // The people a supervisor may assign to: active staff holding facilities:housekeeping here, by name.
    const staff = await w.call('GET', `${base}/staff`, w.supervisor.headers);
    expect(staff.statusCode).toBe(200);
    const names = (staff.json().items as { id: string; displayName: string }[]).map((u) => u.displayName);
    expect(names).toEqual(expect.arrayContaining(['Asha Housekeeper', 'Ravi Housekeeper']));
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
    expect((await w.call('GET', `${base}/staff`, asha.headers)).statusCode).toBe(403);

    // Housekeeping staff may not make, assign or cancel tasks.
    expect(
      (await w.call('POST', `${base}/tasks`, asha.headers, { kind: 'spill', location: 'x' })).statusCode,
    ).toBe(403);
    expect((await act(asha, task.id, 'assign', { userId: asha.id })).statusCode).toBe(403);
    expect((await act(asha, task.id, 'cancel', { reason: 'not needed' })).statusCode).toBe(403);

    // A ward that is not this facility's; a bed-cleaning task cannot be made by hand.
    const badWard = await w.call('POST', `${base}/tasks`, w.supervisor.headers, {
      kind: 'routine',
      location: 'Somewhere',
      wardId: crypto.randomUUID(),
    });
    expect(badWard.statusCode).toBe(422);
    expect(badWard.json().code).toBe('HOUSEKEEPING_WARD_NOT_FOUND');
    expect(
      (await w.call('POST', `${base}/tasks`, w.supervisor.headers, { kind: 'bed-cleaning', location: 'x' }))
        .statusCode,
    ).toBe(400);

    // Assign: a front-desk user is not housekeeping staff; an unknown user neither.
    const desk = await w.staff(['front-desk']);
    const notStaff = await act(w.supervisor, task.id, 'assign', { userId: desk.id });
    expect(notStaff.statusCode).toBe(422);
    expect(notStaff.json().code).toBe('HOUSEKEEPING_NOT_STAFF');
    expect((await act(w.supervisor, task.id, 'assign', { userId: crypto.randomUUID() })).statusCode).toBe(
      422,
    );
    const assigned = await act(w.supervisor, task.id, 'assign', { userId: asha.id, version: 1 });
    expect(assigned.json()).toMatchObject({
      status: 'assigned',
      assignedToName: 'Asha Housekeeper',
      version: 2,
    });
    const reassigned = await act(w.supervisor, task.id, 'assign', { userId: ravi.id, version: 2 });
    expect(reassigned.json()).toMatchObject({ assignedToId: ravi.id });

    // Cancel needs a reason; the task stays, cancelled, with it.
    expect((await act(w.supervisor, task.id, 'cancel', {})).statusCode).toBe(400);
    const cancelled = await act(w.supervisor, task.id, 'cancel', { reason: 'Cleaned by the ward staff' });
    expect(cancelled.json()).toMatchObject({
      status: 'cancelled',
      cancelledReason: 'Cleaned by the ward staff',
    });
    expect((await act(ravi, task.id, 'start')).statusCode).toBe(409);
    const [kept] = await t.database.db
      .select()
      .from(housekeepingTasks)
      .where(eq(housekeepingTasks.id, task.id));
    expect(kept!.status).toBe('cancelled');
    expect((await w.call('GET', `${base}/tasks/${task.id}`, ravi.headers)).json().status).toBe('cancelled');
  });

  it('sees no task of another facility', async () => {
    const released = await w.releaseBed(w.ward());
    await w.deliver();
    const [row] = await tasksOfBed(released.payload.bedId);
    const other = await createHousekeepingWorld(t);
    expect((await other.call('GET', `${base}/tasks/${row!.id}`, other.supervisor.headers)).statusCode).toBe(
      404,
    );
    expect((await act(other.supervisor, row!.id, 'cancel', { reason: 'x' })).statusCode).toBe(404);
  });
});

describe('overdue alerts', () => {
  it('the job marks each overdue task once and announces it', async () => {
    const ward = w.ward('Ward Overdue');
    const overdue = await w.releaseBed(ward, {
      releasedAt: new Date(Date.now() - 46 * 60_000).toISOString(),
    });
    const onTime = await w.releaseBed(ward);
    await w.deliver();
    const [late] = await tasksOfBed(overdue.payload.bedId);
    const [fine] = await tasksOfBed(onTime.payload.bedId);

    const marked = await alertOverdueTasks(t.database.db, t.app.deps.events, new Date());
    expect(marked.map((r) => r.id)).toContain(late!.id);
    expect(marked.map((r) => r.id)).not.toContain(fine!.id);
    const events = await t.database.db
      .select()
      .from(outbox)
      .where(and(eq(outbox.type, FACILITIES_EVENTS.taskOverdue), eq(outbox.aggregateId, late!.id)));
    expect(events).toHaveLength(1);
    expect(events[0]!.payload).toMatchObject({
      taskId: late!.id,
      kind: 'bed-cleaning',
      status: 'open',
      bedId: overdue.payload.bedId,
      wardId: ward.wardId,
      dueAt: late!.dueAt.toISOString(),
    });
    const [after] = await tasksOfBed(overdue.payload.bedId);
    expect(after!.overdueAlertedAt).toBeInstanceOf(Date);
    expect(after!.version).toBe(late!.version);

    // The next minute: nothing new for it.
    const again = await alertOverdueTasks(t.database.db, t.app.deps.events, new Date());
    expect(again.map((r) => r.id)).not.toContain(late!.id);
    const still = await t.database.db
      .select()
      .from(outbox)
      .where(and(eq(outbox.type, FACILITIES_EVENTS.taskOverdue), eq(outbox.aggregateId, late!.id)));
    expect(still).toHaveLength(1);

    // A done or cancelled task is never overdue, however late.
    await act(w.supervisor, fine!.id, 'cancel', { reason: 'bed blocked for repair' });
    const muchLater = await alertOverdueTasks(
      t.database.db,
      t.app.deps.events,
      new Date(Date.now() + 3 * 3600_000),
    );
    expect(muchLater.map((r) => r.id)).not.toContain(fine!.id);
  });

  it('is a job the module schedules every minute', async () => {
    const defined: string[] = [];
    const scheduled: [string, string][] = [];
    await facilitiesModule.jobs?.(
      {
        define: (name) => defined.push(name),
        schedule: async (name, cron) => {
          scheduled.push([name, cron]);
        },
        send: async () => null,
        start: async () => {},
        stop: async () => {},
        stats: async () => [],
      },
      t.app.deps,
    );
    expect(defined).toEqual(['facilities.housekeeping-overdue']);
    expect(scheduled).toEqual([['facilities.housekeeping-overdue', '* * * * *']]);
  });
});

describe('the turnaround report', () => {
  it('gives count, median and p90 minutes per ward and kind over the dates asked', async () => {
    const report = await createHousekeepingWorld(t);
    const keeper = await report.staff(['housekeeping']);
    const ward = report.ward('Ward Report');
    const now = Date.now();
    const ago = (m: number) => new Date(now - m * 60_000).toISOString();
    const released = [
      await report.releaseBed(ward, { releasedAt: ago(30) }),
      await report.releaseBed(ward, { releasedAt: ago(60) }),
      await report.releaseBed(ward, { releasedAt: ago(90) }),
      await report.releaseBed(ward, { releasedAt: ago(70), isolation: true }),
      // Three days ago: outside today's report.
      await report.releaseBed(ward, { releasedAt: ago(3 * 24 * 60) }),
      // Not finished: not counted.
      await report.releaseBed(ward, { releasedAt: ago(20) }),
    ];
    await report.deliver();
    for (const r of released.slice(0, 5)) {
      const [task] = await tasksOfBed(r.payload.bedId);
      expect(
        (await report.call('POST', `${base}/tasks/${task!.id}/start`, keeper.headers, {})).statusCode,
      ).toBe(200);
      expect(
        (await report.call('POST', `${base}/tasks/${task!.id}/finish`, keeper.headers, {})).statusCode,
      ).toBe(200);
    }
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: report.timeZone }).format(new Date());
    const res = await report.call(
      'GET',
      `${base}/turnaround?from=${today}&to=${today}`,
      report.supervisor.headers,
    );
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      from: today,
      to: today,
      items: [
        // The ward is not an IPD ward of this test database: no name.
        {
          wardId: ward.wardId,
          wardName: null,
          kind: 'bed-cleaning',
          count: 3,
          medianMinutes: 60,
          p90Minutes: 84,
        },
        {
          wardId: ward.wardId,
          wardName: null,
          kind: 'terminal-cleaning',
          count: 1,
          medianMinutes: 70,
          p90Minutes: 70,
        },
      ],
    });
    // Housekeeping staff do not see reports; a range must be sane.
    expect(
      (await report.call('GET', `${base}/turnaround?from=${today}&to=${today}`, keeper.headers)).statusCode,
    ).toBe(403);
    expect(
      (await report.call('GET', `${base}/turnaround?from=${today}&to=2000-01-01`, report.supervisor.headers))
        .statusCode,
    ).toBe(400);
  });
});

describe('the demo hospital', () => {
  it('has a spill, a routine round assigned and one under way, once however often it is seeded', async () => {
    const demo = await createHousekeepingWorld(t);
    const keeper = await demo.staff(['housekeeping'], 'Demo Housekeeping');
    const seed = () =>
      facilitiesModule.seedDemo!(t.app.deps, {
        facilityId: demo.facilityId,
        userIds: { housekeeping: keeper.id },
      });
    await seed();
    await seed();
    const queue = (await demo.call('GET', `${base}/tasks`, demo.supervisor.headers)).json()
      .items as HousekeepingTask[];
    expect(queue.map((x) => [x.kind, x.status])).toEqual([
      ['routine', 'in-progress'],
      ['spill', 'open'],
      ['routine', 'assigned'],
    ]);
    expect(queue[0]!.overdue).toBe(true);
    const mine = (await demo.call('GET', `${base}/tasks?mine=true`, keeper.headers)).json().items;
    expect(mine).toHaveLength(2);
  });
});
