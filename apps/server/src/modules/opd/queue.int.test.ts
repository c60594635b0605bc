import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness';
import { outbox } from '../../platform/events/events.tables';
import { appointments, tokens } from './opd.tables';
import { createOpdWorld, type OpdWorld } from './opd-test-support';

let t: TestApp;
let w: OpdWorld;

beforeAll(async () => {
  t = await createTestApp();
  w = await createOpdWorld(t);
});
afterAll(() => t.close());

type Token = {
  id: string;
  label: string;
  number: number;
  status: string;
  patientId: string;
  queuedAt: string;
  arrivedAt: string;
  priorities: string[];
  callCount: number;
  encounterId: string | null;
  version: number;
  transferredToTokenId: string | null;
  transferredFromTokenId: string | null;
  practitionerId: string;
};

/** A doctor with a session all day today (and tomorrow), in a room of their own. */
async function clinic(shape: Record<string, unknown> = {}, overrides: Record<string, unknown> = {}) {
  const dr = await w.doctor(overrides);
  const room = await w.room();
  await w.schedule(dr.id, room.id, { startTime: '00:00', endTime: '23:45', slotMinutes: 15, ...shape });
  return { dr, room };
}

async function queueOf(practitionerId: string) {
  return w.ok<{ active: Token[]; done: Token[] }>(
    'GET',
    `/api/v1/opd/queue?practitionerId=${practitionerId}`,
    w.nurse.headers,
  );
}

async function act(tokenId: string, action: string, headers = w.nurse.headers, body?: unknown) {
  return w.call('POST', `/api/v1/opd/tokens/${tokenId}/${action}`, headers, body);
}

describe('check-in and tokens', () => {
  it('numbers tokens per practitioner per day without gaps, also when the desk checks in ten at once', async () => {
    const a = await clinic({}, { tokenPrefix: 'A' });
    const b = await clinic();
    const patients = await Promise.all(Array.from({ length: 10 }, () => w.patient()));
    const issued = await Promise.all(patients.map((p) => w.walkIn(p.id, a.dr.id)));
    expect(issued.map((r) => r.statusCode)).toEqual(Array(10).fill(201));
    const numbers = issued.map((r) => r.json().token.number as number).sort((x, y) => x - y);
    expect(numbers).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(issued.map((r) => r.json().token.label)).toContain('A-001');
    // Another doctor's queue counts on its own.
    const other = await w.walkIn(patients[0]!.id, b.dr.id);
    expect(other.json().token).toMatchObject({ number: 1, label: '1' });
    // The same patient twice in one queue is refused, and the refused check-in used no number.
    const twice = await w.walkIn(patients[0]!.id, a.dr.id);
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('OPD_ALREADY_IN_QUEUE');
    const next = await w.walkIn((await w.patient()).id, a.dr.id);
    expect(next.json().token.number).toBe(11);
    const [event] = await t.database.db
      .select()
      .from(outbox)
      .where(eq(outbox.aggregateId, next.json().token.id));
    expect(event).toMatchObject({ type: 'opd.token.issued' });
  });

  it('checks in an appointment: arrived, with a token that queues from the slot time', async () => {
    const { dr } = await clinic();
    const p = await w.patient();
    const later = (await w.slots(dr.id, w.today)).find(
      (s) => new Date(s.startsAt).getTime() > Date.now() + 3600_000,
    )!;
    const a = (await w.book(p.id, later.id)).json();
    const res = await w.call('POST', `/api/v1/opd/appointments/${a.id}/arrive`, w.desk.headers);
    expect(res.statusCode, res.body).toBe(200);
    const { token, appointment } = res.json();
    expect(appointment).toMatchObject({ status: 'arrived', tokenId: token.id, version: 2 });
    expect(token).toMatchObject({ kind: 'appointment', appointmentId: a.id, feeKind: 'first-visit' });
    // Early: the token queues from the slot time, not from arrival.
    expect(token.queuedAt).toBe(later.startsAt);
    const again = await w.call('POST', `/api/v1/opd/appointments/${a.id}/arrive`, w.desk.headers);
    expect(again.statusCode).toBe(409);
    // An appointment of another day cannot check in today.
    const q = await w.patient();
    const [tomorrowSlot] = await w.slots(dr.id, w.tomorrow);
    const b = (await w.book(q.id, tomorrowSlot!.id)).json();
    const notToday = await w.call('POST', `/api/v1/opd/appointments/${b.id}/arrive`, w.desk.headers, {});
    expect(notToday.statusCode).toBe(422);
    expect(notToday.json().code).toBe('OPD_NOT_TODAY');
  });

  it('keeps to the walk-in quota of the session, except for emergencies', async () => {
    const { dr } = await clinic({ walkInQuota: 2 });
    for (let i = 0; i < 2; i++) expect((await w.walkIn((await w.patient()).id, dr.id)).statusCode).toBe(201);
    const full = await w.walkIn((await w.patient()).id, dr.id);
    expect(full.statusCode).toBe(409);
    expect(full.json().code).toBe('OPD_WALK_IN_QUOTA_FULL');
    const emergency = await w.walkIn((await w.patient()).id, dr.id, ['emergency']);
    expect(emergency.statusCode).toBe(201);
  });

  it('refuses walk-ins for a doctor with no session today, naming the field', async () => {
    const dr = await w.doctor();
    const res = await w.walkIn((await w.patient()).id, dr.id);
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({
      code: 'OPD_NO_SESSION_TODAY',
      errors: [{ path: 'body.practitionerId' }],
    });
  });
});

describe('queue order', () => {
  it('sees emergencies first, then elderly, pregnant and disabled patients, then the rest by queue time', async () => {
    const { dr } = await clinic();
    const plain1 = await w.patient({ birth: { birthDate: '1990-05-01' } });
    const elderly = await w.patient({ birth: { birthDate: '1950-01-01' } });
    const pregnant = await w.patient({ birth: { birthDate: '1995-01-01' } });
    const emergency = await w.patient();
    const plain2 = await w.patient();
    await w.walkIn(plain1.id, dr.id);
    await w.walkIn(elderly.id, dr.id);
    await w.walkIn(pregnant.id, dr.id, ['pregnant']);
    await w.walkIn(emergency.id, dr.id, ['emergency']);
    await w.walkIn(plain2.id, dr.id);
    const { active } = await queueOf(dr.id);
    expect(active.map((x) => x.patientId)).toEqual([
      emergency.id,
      elderly.id,
      pregnant.id,
      plain1.id,
      plain2.id,
    ]);
    expect(active[1]!.priorities).toEqual(['elderly']);
  });

  it('puts an early appointment after the walk-ins who came before its slot time', async () => {
    const { dr } = await clinic();
    const walkIn = await w.patient();
    await w.walkIn(walkIn.id, dr.id);
    const booked = await w.patient();
    const later = (await w.slots(dr.id, w.today)).find(
      (s) => new Date(s.startsAt).getTime() > Date.now() + 3600_000,
    )!;
    const a = (await w.book(booked.id, later.id)).json();
    await w.call('POST', `/api/v1/opd/appointments/${a.id}/arrive`, w.desk.headers);
    const walkIn2 = await w.patient();
    await w.walkIn(walkIn2.id, dr.id);
    const { active } = await queueOf(dr.id);
    // The appointment's queue time is its slot, an hour on: both walk-ins come first.
    expect(active.map((x) => x.patientId)).toEqual([walkIn.id, walkIn2.id, booked.id]);
  });

  it('honours only the priorities the facility configures', async () => {
    const settings = await w.ok<{ version: number }>('GET', '/api/v1/opd/settings', w.admin.headers);
    await w.ok('PUT', '/api/v1/opd/settings', w.admin.headers, {
      priorityKinds: ['emergency'],
      elderlyAge: 60,
      bookingWindowDays: 3,
      version: settings.version,
    });
    try {
      const { dr } = await clinic();
      const first = await w.patient();
      const pregnant = await w.patient();
      await w.walkIn(first.id, dr.id);
      const res = await w.walkIn(pregnant.id, dr.id, ['pregnant']);
      expect(res.json().token.priorities).toEqual([]);
      expect((await queueOf(dr.id)).active.map((x) => x.patientId)).toEqual([first.id, pregnant.id]);
    } finally {
      const now = await w.ok<{ version: number }>('GET', '/api/v1/opd/settings', w.admin.headers);
      await w.ok('PUT', '/api/v1/opd/settings', w.admin.headers, {
        priorityKinds: ['emergency', 'elderly', 'pregnant', 'disabled'],
        elderlyAge: 60,
        bookingWindowDays: 3,
        version: now.version,
      });
    }
  });
});

describe('the queue states', () => {
  it('calls, calls again, skips, recalls and completes, refusing what the state does not allow', async () => {
    const { dr } = await clinic();
    const [p1, p2] = [await w.patient(), await w.patient()];
    const t1 = (await w.walkIn(p1.id, dr.id)).json().token as Token;
    const t2 = (await w.walkIn(p2.id, dr.id)).json().token as Token;
    const called = await w.call('POST', '/api/v1/opd/queue/call-next', w.nurse.headers, {
      practitionerId: dr.id,
    });
    expect(called.json()).toMatchObject({ id: t1.id, status: 'called', callCount: 1 });
    expect((await act(t1.id, 'call')).json().callCount).toBe(2);
    // Calling the next one while the first never came in: the first is skipped.
    const next = await w.call('POST', '/api/v1/opd/queue/call-next', w.nurse.headers, {
      practitionerId: dr.id,
    });
    expect(next.json()).toMatchObject({ id: t2.id, status: 'called' });
    const { active } = await queueOf(dr.id);
    expect(active.find((x) => x.id === t1.id)!.status).toBe('skipped');
    const empty = await w.call('POST', '/api/v1/opd/queue/call-next', w.nurse.headers, {
      practitionerId: dr.id,
    });
    expect(empty.statusCode).toBe(409);
    expect(empty.json().code).toBe('OPD_QUEUE_EMPTY');
    // The skipped patient turns up: waiting again, in their place (ahead of later arrivals).
    const recalled = await act(t1.id, 'recall');
    expect(recalled.json().status).toBe('waiting');
    const notInRoom = await act(t1.id, 'complete');
    expect(notInRoom.statusCode).toBe(409);
    expect(notInRoom.json().code).toBe('OPD_TOKEN_STATE');
    const stale = await act(t1.id, 'call', w.nurse.headers, { version: 1 });
    expect(stale.statusCode).toBe(409);
    // The front desk may not run the queue.
    expect((await act(t1.id, 'call', w.desk.headers)).statusCode).toBe(403);
  });

  it("starts the consultation once (again: the same encounter), only by the patient's own doctor", async () => {
    const { dr } = await clinic();
    const other = await w.doctor();
    const p = await w.patient();
    const booked = (await w.slots(dr.id, w.today))[0]!;
    const a = (await w.book(p.id, booked.id)).json();
    const token = (await w.call('POST', `/api/v1/opd/appointments/${a.id}/arrive`, w.desk.headers)).json()
      .token as Token;
    const notYours = await act(token.id, 'start', other.headers);
    expect(notYours.statusCode).toBe(403);
    const nurse = await act(token.id, 'start', w.nurse.headers);
    expect(nurse.statusCode).toBe(403);
    const first = await act(token.id, 'start', dr.headers);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ token: { status: 'in-consultation' }, patient: { id: p.id } });
    const again = await act(token.id, 'start', dr.headers);
    expect(again.json().encounterId).toBe(first.json().encounterId);
    const [row] = await t.database.db.select().from(tokens).where(eq(tokens.id, token.id));
    expect(row!.encounterId).toBe(first.json().encounterId);
    const encounters = await t.database.query<{ n: number }>(
      `select count(*)::int as n from encounters.encounters where source_type = 'opd-token' and source_id = $1`,
      [token.id],
    );
    expect(encounters[0]!.n).toBe(1);
    // Completing the consultation completes the appointment.
    const done = await act(token.id, 'complete', dr.headers);
    expect(done.json().status).toBe('completed');
    const [appt] = await t.database.db.select().from(appointments).where(eq(appointments.id, a.id));
    expect(appt!.status).toBe('completed');
  });

  it('transfers a patient to another doctor: a linked token there, keeping the place', async () => {
    const a = await clinic();
    const b = await clinic({}, { tokenPrefix: 'T' });
    const early = await w.patient();
    const moving = await w.patient();
    const tok = (await w.walkIn(moving.id, a.dr.id)).json().token as Token;
    // Someone else is already waiting at doctor B, having arrived after the moving patient.
    await w.walkIn(early.id, b.dr.id);
    const res = await act(tok.id, 'transfer', w.nurse.headers, {
      toPractitionerId: b.dr.id,
      reason: 'Needs cardiology',
    });
    expect(res.statusCode, res.body).toBe(200);
    const { from, to } = res.json();
    expect(from).toMatchObject({ status: 'transferred', transferredToTokenId: to.id });
    expect(to).toMatchObject({
      practitionerId: b.dr.id,
      kind: 'transfer',
      label: 'T-002',
      transferredFromTokenId: tok.id,
      queuedAt: tok.queuedAt,
      status: 'waiting',
    });
    const { active } = await queueOf(b.dr.id);
    expect(active.map((x) => x.patientId)).toEqual([moving.id, early.id]);
    const same = await act(to.id, 'transfer', w.nurse.headers, { toPractitionerId: b.dr.id, reason: 'x' });
    expect(same.statusCode).toBe(422);
    const [event] = await t.database.db.select().from(outbox).where(eq(outbox.aggregateId, tok.id));
    expect(event).toBeDefined();
  });
});

describe('waiting times and the worklist', () => {
  it('gives median and p90 of arrival to call and call to completion per day, room and doctor', async () => {
    const { dr, room } = await clinic();
    const ids: string[] = [];
    for (let i = 0; i < 4; i++)
      ids.push(((await w.walkIn((await w.patient()).id, dr.id)).json().token as Token).id);
    // Known times: arrival to call 60, 120, 300 s; call to completion 600, 900, 1200 s; one still waiting.
    const base = Date.now() - 4 * 3600_000;
    const times: [number, number][] = [
      [60, 600],
      [120, 900],
      [300, 1200],
    ];
    for (const [i, [toCall, toDone]] of times.entries()) {
      const arrived = new Date(base + i * 1000);
      await t.database.db
        .update(tokens)
        .set({
          status: 'completed',
          arrivedAt: arrived,
          firstCalledAt: new Date(arrived.getTime() + toCall * 1000),
          completedAt: new Date(arrived.getTime() + (toCall + toDone) * 1000),
        })
        .where(eq(tokens.id, ids[i]!));
    }
    const res = await w.ok<{ items: Record<string, unknown>[] }>(
      'GET',
      `/api/v1/opd/waiting-times?from=${w.today}&to=${w.today}&practitionerId=${dr.id}`,
      w.admin.headers,
    );
    expect(res.items).toEqual([
      {
        date: w.today,
        roomId: room.id,
        roomName: room.name,
        practitionerId: dr.id,
        practitionerName: dr.displayName,
        tokens: 4,
        called: 3,
        completed: 3,
        arrivalToCall: { median: 120, p90: 264 },
        callToCompletion: { median: 900, p90: 1140 },
      },
    ]);
    const tooLong = await w.call(
      'GET',
      `/api/v1/opd/waiting-times?from=2026-01-01&to=2026-06-01`,
      w.admin.headers,
    );
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().errors[0].path).toBe('querystring.to');
  });

  it("shows the doctor's day and calls the next patient straight into the consultation", async () => {
    const { dr } = await clinic();
    const [booked, walkIn, later] = [await w.patient(), await w.patient(), await w.patient()];
    const slots = await w.slots(dr.id, w.today);
    const a = (await w.book(booked.id, slots[0]!.id)).json();
    await w.book(later.id, slots[slots.length - 1]!.id);
    await w.call('POST', `/api/v1/opd/appointments/${a.id}/arrive`, w.desk.headers);
    await w.walkIn(walkIn.id, dr.id);
    const before = await w.ok<
      Record<string, unknown> & { queue: { active: Token[] }; next: Token; current: Token | null }
    >('GET', '/api/v1/opd/worklist', dr.headers);
    expect(before).toMatchObject({
      practitioner: { id: dr.id },
      date: w.today,
      counts: { booked: 1, arrived: 1, waiting: 2, completed: 0, noShow: 0 },
      unsignedNotes: 0,
      current: null,
    });
    expect((before.appointments as unknown[]).length).toBe(2);
    const res = await w.call('POST', '/api/v1/opd/worklist/call-next', dr.headers);
    expect(res.statusCode, res.body).toBe(200);
    const started = res.json();
    expect(started.patient.id).toBe(before.next.patientId);
    expect(started.token.status).toBe('in-consultation');
    expect(started.encounterId).toEqual(expect.any(String));
    const after = await w.ok<{ current: Token }>('GET', '/api/v1/opd/worklist', dr.headers);
    expect(after.current).toMatchObject({ id: started.token.id, encounterId: started.encounterId });
    // A nurse names the doctor; someone without a profile and no name gets a 422 naming the field.
    const byNurse = await w.call('GET', `/api/v1/opd/worklist?practitionerId=${dr.id}`, w.nurse.headers);
    expect(byNurse.statusCode).toBe(200);
    const noProfile = await w.call('GET', '/api/v1/opd/worklist', w.nurse.headers);
    expect(noProfile.statusCode).toBe(422);
    // Every patient shown to the doctor is an audited read.
    const reads = await t.database.query<{ n: number }>(
      `select count(distinct patient_id)::int as n from audit.entries where action = 'read' and actor_id = $1`,
      [dr.userId],
    );
    expect(reads[0]!.n).toBeGreaterThanOrEqual(3);
  });
});
