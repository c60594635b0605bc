import type { BedBoard, PublicBedBoard } from '@newhms/contracts';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../test/harness';
import { auditEntries } from '../../platform/audit/audit.tables';
import { LiveTickets } from '../../platform/live/live-tickets';
import { type BedBoardWorld, createBedBoardWorld } from './bed-board-test-support';

let t: TestApp;
let w: BedBoardWorld;

beforeAll(async () => {
  t = await createTestApp();
  w = await createBedBoardWorld(t);
}, 120_000);
afterAll(() => t.close());

const todayIn = (timeZone: string, offsetDays = 0) =>
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(Date.now() + offsetDays * 86_400_000),
  );

/** A real HTTP client of an SSE stream: collects the frames of one event name as they arrive. */
function openStream<T>(url: string, headers: Record<string, string> = {}, eventName = 'board') {
  const controller = new AbortController();
  const frames: T[] = [];
  const events: string[] = [];
  let status = 0;
  let waiters: (() => void)[] = [];
  const done = (async () => {
    const res = await fetch(url, {
      signal: controller.signal,
      headers: { accept: 'text/event-stream', ...headers },
    });
    status = res.status;
    if (res.status !== 200) return;
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done: end } = await reader.read();
      if (end) return;
      buffer += decoder.decode(value, { stream: true });
      let cut = buffer.indexOf('\n\n');
      while (cut >= 0) {
        const frame = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const event = /^event: (.+)$/m.exec(frame)?.[1];
        const data = /^data: (.+)$/m.exec(frame)?.[1];
        if (event) events.push(event);
        if (event === eventName && data) frames.push(JSON.parse(data) as T);
        for (const wake of waiters) wake();
        waiters = [];
        cut = buffer.indexOf('\n\n');
      }
    }
  })().catch((err: unknown) => {
    if (!controller.signal.aborted) throw err;
  });
  return {
    frames,
    events,
    get status() {
      return status;
    },
    async until(predicate: (b: T) => boolean, timeoutMs = 10_000): Promise<T> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const hit = frames.find(predicate);
        if (hit) return hit;
        if (Date.now() > deadline)
          throw new Error(`no matching frame in ${timeoutMs} ms: ${JSON.stringify(frames).slice(0, 2000)}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 200);
        });
      }
    },
    async close() {
      controller.abort();
      await done;
    },
    done,
  };
}

async function listening(app: TestApp['app']): Promise<string> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
}

async function auditOf(resourceId: string) {
  return t.database.db
    .select()
    .from(auditEntries)
    .where(and(eq(auditEntries.resourceType, 'BedBoard'), eq(auditEntries.resourceId, resourceId)));
}

describe('the staff bed board', () => {
  it('shows every bed with status, colour and patient, and the ward figures by the stated rules', async () => {
    // 1. A general ward of seven beds and an ICU of two.
    const ward = await w.ward({ kind: 'general', bedCount: 7 });
    const icu = await w.ward({ kind: 'icu', bedCount: 2 });
    const [b1, b2, b3, b4, b5, b6] = ward.beds;
    const asha = await w.patient('Asha', 'Rao');
    const ravi = await w.patient('Ravi', 'Menon', { sex: 'male', birth: { birthDate: '1950-01-10' } });
    const kamala = await w.patient('Kamala', 'Subramaniam');
    // 2. Asha goes home today, Ravi tomorrow.
    const a1 = await w.admit(b1!, asha.id, {
      expectedDischargeDate: todayIn('Asia/Kolkata'),
      attending: 'Dr. Iyer',
    });
    await w.admit(b2!, ravi.id, { expectedDischargeDate: todayIn('Asia/Kolkata', 1) });
    // 3. Bed 3 is held for Kamala's request; bed 4 has been in cleaning for 25 minutes; 5 blocked, 6 under repair.
    const request = await w.request(kamala.id, { priority: 'emergency' });
    await w.reserve(b3!.id, kamala.id, request.id);
    await w.setStatus(b4!.id, 'cleaning', new Date(Date.now() - 25 * 60_000));
    await w.setStatus(b5!.id, 'blocked', new Date(), 'Oxygen line fault');
    await w.setStatus(b6!.id, 'maintenance');
    // 4. The queue: two more general requests (one 90 minutes old), one for ICU, one already admitted.
    await w.request(asha.id, { createdAt: new Date(Date.now() - 90 * 60_000), priority: 'routine' });
    await w.request(ravi.id, { priority: 'routine' });
    await w.request(ravi.id, { wardKind: 'icu' });
    await w.request(asha.id, { status: 'admitted' });

    const res = await w.get('/api/v1/ipd/bed-board');
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const board = res.json() as BedBoard;
    expect(board.facilityId).toBe(w.facilityId);
    expect(board.date).toBe(todayIn('Asia/Kolkata'));
    const general = board.wards.find((x) => x.wardId === ward.id)!;
    expect(general.beds.map((b) => b.code)).toEqual(ward.beds.map((b) => b.code));
    expect(general.beds.map((b) => [b.status, b.colour])).toEqual([
      ['occupied', 'red'],
      ['occupied', 'red'],
      ['reserved', 'blue'],
      ['cleaning', 'amber'],
      ['blocked', 'black'],
      ['maintenance', 'grey'],
      ['available', 'green'],
    ]);
    expect(general.beds[0]!.occupant).toMatchObject({
      patientId: asha.id,
      name: asha.displayName,
      initials: 'A R',
      mrn: asha.mrn,
      sex: 'female',
      admissionId: a1.id,
      admissionNumber: a1.admissionNumber,
      attendingDoctor: 'Dr. Iyer',
      expectedDischargeDate: todayIn('Asia/Kolkata'),
      dischargeInitiated: false,
    });
    expect(general.beds[1]!.occupant).toMatchObject({
      initials: 'R M',
      sex: 'male',
      age: expect.stringMatching(/^7\d/),
    });
    expect(general.beds[2]!.occupant).toBeNull();
    expect(general.beds[2]!.reservedFor).toMatchObject({
      requestId: request.id,
      patientId: kamala.id,
      initials: 'K S',
      mrn: kamala.mrn,
      priority: 'emergency',
    });
    expect(general.beds[3]!.minutesInStatus).toBeGreaterThanOrEqual(25);
    expect(general.beds[3]!.minutesInStatus).toBeLessThan(27);
    expect(general.beds[4]!.statusReason).toBe('Oxygen line fault');
    expect(general.summary.counts).toEqual({
      available: 1,
      reserved: 1,
      occupied: 2,
      cleaning: 1,
      maintenance: 1,
      blocked: 1,
    });
    expect(general.summary.total).toBe(7);
    // 2 occupied of 5 in service (7 less the blocked and the maintenance bed).
    expect(general.summary.occupancyPercent).toBe(40);
    expect(general.summary.expectedDischargesToday).toBe(1);
    expect(general.summary.cleaning).toEqual([
      { bedId: b4!.id, code: b4!.code, minutes: general.beds[3]!.minutesInStatus },
    ]);
    // Kamala's request holds a reservation but is still waiting; the admitted one is not.
    expect(general.summary.requests.waiting).toBe(3);
    expect(general.summary.requests.oldestWaitMinutes).toBeGreaterThanOrEqual(90);
    const icuWard = board.wards.find((x) => x.wardId === icu.id)!;
    expect(icuWard.summary).toMatchObject({ occupancyPercent: 0, requests: { waiting: 1 } });
    expect(board.requests).toMatchObject({ waiting: 4, byPriority: { emergency: 1, routine: 2, urgent: 1 } });

    // 5. The read is audited with every patient it showed.
    const audit = await auditOf(w.facilityId);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'read', actorId: w.nurse.id });
    expect((audit[0]!.detail as { patientIds: string[] }).patientIds.sort()).toEqual(
      [asha.id, ravi.id, kamala.id].sort(),
    );

    // 6. One ward only.
    const one = (await w.get(`/api/v1/ipd/bed-board?wardId=${icu.id}`)).json() as BedBoard;
    expect(one.wards.map((x) => x.wardId)).toEqual([icu.id]);
  });

  it('answers 401 without a sign-in, 403 without ipd:read, 400 for a bad ward id, and no other facility', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/ipd/bed-board' })).statusCode).toBe(401);
    const cook = await w.staff(['housekeeping']);
    const denied = await w.get('/api/v1/ipd/bed-board', cook.headers);
    expect(denied.statusCode).toBe(403);
    expect(denied.headers['content-type']).toContain('application/problem+json');
    expect((await w.get('/api/v1/ipd/bed-board?wardId=nope')).statusCode).toBe(400);
    // Another facility's board does not show this facility's wards.
    const other = await createBedBoardWorld(t);
    const otherWard = await other.ward();
    const mine = (await w.get('/api/v1/ipd/bed-board')).json() as BedBoard;
    expect(mine.wards.some((x) => x.wardId === otherWard.id)).toBe(false);
  });
});

describe('the public bed board', () => {
  it('shows statuses, initials and MRN without signing in, and no names, ids or reservations', async () => {
    const ward = await w.ward({ bedCount: 3 });
    const p = await w.patient('Lakshmi', 'Narayanan');
    const waiting = await w.patient('Gopal', 'Krishnan');
    await w.admit(ward.beds[0]!, p.id);
    const req = await w.request(waiting.id);
    await w.reserve(ward.beds[1]!.id, waiting.id, req.id);
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/public/bed-board/${ward.displayCode!.toLowerCase()}`,
    });
    expect(res.statusCode).toBe(200);
    const board = res.json() as PublicBedBoard;
    expect(board.displayCode).toBe(ward.displayCode);
    expect(board.ward.beds.map((b) => b.status)).toEqual(['occupied', 'reserved', 'available']);
    expect(board.ward.beds[0]!.occupant).toEqual({
      initials: 'L N',
      mrn: p.mrn,
      admissionNumber: expect.any(String),
      attendingDoctor: 'Dr. Meera Iyer',
    });
    expect(board.ward.summary.occupancyPercent).toBeCloseTo(33.3);
    for (const secret of [
      'Lakshmi',
      'Narayanan',
      'Gopal',
      'Krishnan',
      p.id,
      waiting.id,
      waiting.mrn,
      req.id,
    ]) {
      expect(res.body).not.toContain(secret);
    }
    // Anonymous reads of initials and MRN are audited too.
    const audit = await auditOf(ward.id);
    expect(audit).toEqual([
      expect.objectContaining({ action: 'read', actorId: null, actorType: 'system', patientId: null }),
    ]);
    expect(audit[0]!.detail).toMatchObject({ via: 'public-display', displayCode: ward.displayCode });

    const unknown = await t.app.inject({ method: 'GET', url: '/api/public/bed-board/NO-SUCH-WARD' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toContain('application/problem+json');
    const noCode = await w.ward({ displayCode: null });
    expect(noCode.displayCode).toBeNull();
    const events404 = await t.app.inject({ method: 'GET', url: '/api/public/bed-board/%20/events' });
    expect(events404.statusCode).toBe(404);
  });

  it('shows an empty board for a ward that has no beds yet', async () => {
    const ward = await w.ward({ bedCount: 0 });
    const res = await t.app.inject({ method: 'GET', url: `/api/public/bed-board/${ward.displayCode}` });
    expect(res.statusCode).toBe(200);
    expect((res.json() as PublicBedBoard).ward).toMatchObject({
      name: ward.name,
      beds: [],
      summary: { total: 0 },
    });
  });
});

describe('live bed board over server-sent events', () => {
  it('opens with a one-minute ticket (EventSource) or a bearer token, and refuses anything else', async () => {
    const origin = await listening(t.app);
    const ward = await w.ward({ bedCount: 1 });
    const issued = await t.app.inject({
      method: 'POST',
      url: '/api/v1/ipd/bed-board/tickets',
      headers: w.nurse.headers,
    });
    expect(issued.statusCode).toBe(201);
    const { ticket, expiresAt } = issued.json() as { ticket: string; expiresAt: string };
    expect(Date.parse(expiresAt) - Date.now()).toBeLessThanOrEqual(60_000);
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(50_000);

    const withTicket = openStream<BedBoard>(
      `${origin}/api/v1/ipd/bed-board/events?ticket=${ticket}&wardId=${ward.id}`,
    );
    const withBearer = openStream<BedBoard>(
      `${origin}/api/v1/ipd/bed-board/events?wardId=${ward.id}`,
      w.nurse.headers,
    );
    try {
      expect((await withTicket.until(() => true)).wards.map((x) => x.wardId)).toEqual([ward.id]);
      await withBearer.until(() => true);
    } finally {
      await withTicket.close();
      await withBearer.close();
    }

    const refused = async (query: string, headers: Record<string, string> = {}) => {
      const res = await fetch(`${origin}/api/v1/ipd/bed-board/events${query}`, { headers });
      const body = (await res.json()) as { code?: string };
      return [res.status, body.code];
    };
    // No credential at all; a forged ticket; the access token passed as a ticket (another audience).
    expect(await refused('')).toEqual([401, 'LIVE_TICKET_REQUIRED']);
    expect(await refused(`?ticket=${ticket.slice(0, -4)}AAAA`)).toEqual([401, 'LIVE_TICKET_INVALID']);
    expect(await refused(`?ticket=${w.nurse.token}`)).toEqual([401, 'LIVE_TICKET_INVALID']);
    // An expired ticket (issued two minutes ago).
    const tickets = new LiveTickets(t.database.db, t.app.deps.config);
    const nurseActor = {
      type: 'user' as const,
      userId: w.nurse.id,
      name: 'n',
      sessionId: (
        await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: w.nurse.headers })
      ).json().sessionId as string,
      facilityId: w.facilityId,
      roles: [],
      permissions: new Set<string>(),
    };
    const old = await tickets.issue(nurseActor, 'ipd.bed-board', new Date(Date.now() - 120_000));
    expect(await refused(`?ticket=${old.ticket}`)).toEqual([401, 'LIVE_TICKET_INVALID']);
    // A ticket of another scope.
    const other = await tickets.issue(nurseActor, 'er.board', new Date());
    expect(await refused(`?ticket=${other.ticket}`)).toEqual([401, 'LIVE_TICKET_INVALID']);
    // Someone without ipd:read gets no ticket, and a bearer token without it is 403.
    const cook = await w.staff(['housekeeping']);
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/v1/ipd/bed-board/tickets', headers: cook.headers }))
        .statusCode,
    ).toBe(403);
    expect((await refused('', cook.headers))[0]).toBe(403);
    // After sign-out the ticket no longer opens a stream.
    const leaver = await w.staff(['nurse']);
    const leaverTicket = (
      await t.app.inject({ method: 'POST', url: '/api/v1/ipd/bed-board/tickets', headers: leaver.headers })
    ).json().ticket as string;
    const out = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: leaver.headers });
    expect(out.statusCode).toBeLessThan(300);
    expect(await refused(`?ticket=${leaverTicket}`)).toEqual([401, 'LIVE_TICKET_INVALID']);
  });

  it('pushes a change committed through another server to the staff and public clients of this one', async () => {
    // Two app instances on one database: PGlite shares the in-process database, PostgreSQL gets a second
    // pool and its own LISTEN connection (what two server processes have).
    const other = await createTestApp({ sameDatabaseAs: t });
    try {
      const origin = await listening(other.app);
      const ward = await w.ward({ bedCount: 2 });
      const p = await w.patient('Fatima', 'Sheikh');
      // The ticket is issued by server A and redeemed by server B (one signing key in the database).
      const { ticket } = (
        await t.app.inject({ method: 'POST', url: '/api/v1/ipd/bed-board/tickets', headers: w.nurse.headers })
      ).json() as { ticket: string };
      const staffStream = openStream<BedBoard>(
        `${origin}/api/v1/ipd/bed-board/events?ticket=${ticket}&wardId=${ward.id}`,
      );
      const publicStream = openStream<PublicBedBoard>(
        `${origin}/api/public/bed-board/${ward.displayCode}/events`,
      );
      try {
        // 1. Both open on server B with every bed available.
        const first = await staffStream.until(() => true);
        expect(first.wards[0]!.beds.map((b) => b.status)).toEqual(['available', 'available']);
        await publicStream.until((b) => b.ward.beds.every((x) => x.status === 'available'));
        // 2. The patient is admitted through server A's database connection.
        const admission = await w.admit(ward.beds[0]!, p.id);
        const staffAfter = await staffStream.until((b) => b.wards[0]!.beds[0]!.status === 'occupied');
        expect(staffAfter.wards[0]!.beds[0]!.occupant).toMatchObject({ name: p.displayName, mrn: p.mrn });
        const publicAfter = await publicStream.until((b) => b.ward.beds[0]!.status === 'occupied');
        expect(publicAfter.ward.beds[0]!.occupant).toMatchObject({ initials: 'F S', mrn: p.mrn });
        expect(JSON.stringify(publicStream.frames)).not.toContain('Fatima');
        // 3. Discharge: the bed goes to cleaning, on both boards.
        await w.release(ward.beds[0]!.id, admission.id);
        const cleaning = await staffStream.until((b) => b.wards[0]!.beds[0]!.status === 'cleaning');
        expect(cleaning.wards[0]!.summary.cleaning).toHaveLength(1);
        await publicStream.until((b) => b.ward.beds[0]!.status === 'cleaning');
        // 4. Housekeeping marks it clean.
        await w.setStatus(ward.beds[0]!.id, 'available');
        await staffStream.until((b) => b.wards[0]!.beds.every((x) => x.status === 'available'));
        // 5. The staff stream audited Fatima once, as the nurse (not once per frame).
        const audit = (await auditOf(ward.id)).filter((a) => a.actorId === w.nurse.id);
        expect(audit).toHaveLength(1);
        expect(audit[0]).toMatchObject({
          patientId: p.id,
          detail: expect.objectContaining({ via: 'bed-board-events' }),
        });
      } finally {
        await staffStream.close();
        await publicStream.close();
      }
    } finally {
      await other.close();
    }
  });

  it('folds a burst of changes into few frames', async () => {
    const third = await createTestApp({ sameDatabaseAs: t });
    try {
      const origin = await listening(third.app);
      const ward = await w.ward({ bedCount: 10 });
      const stream = openStream<BedBoard>(
        `${origin}/api/v1/ipd/bed-board/events?wardId=${ward.id}`,
        w.nurse.headers,
      );
      try {
        await stream.until(() => true);
        for (const bed of ward.beds) await w.setStatus(bed.id, 'blocked');
        await stream.until((b) => b.wards[0]!.beds.every((x) => x.status === 'blocked'));
        // Ten commits, the first frame and at most a handful of pushes.
        expect(stream.frames.length).toBeLessThan(10);
      } finally {
        await stream.close();
      }
    } finally {
      await third.close();
    }
  });

  it('ends live streams when the server closes', async () => {
    const fourth = await createTestApp({ sameDatabaseAs: t });
    const origin = await listening(fourth.app);
    const ward = await w.ward({ bedCount: 1 });
    const pub = openStream<PublicBedBoard>(`${origin}/api/public/bed-board/${ward.displayCode}/events`);
    const staff = openStream<BedBoard>(
      `${origin}/api/v1/ipd/bed-board/events`,
      bearer(w.nurse.token, w.facilityId),
    );
    await pub.until(() => true);
    await staff.until(() => true);
    const started = Date.now();
    await fourth.close();
    expect(Date.now() - started).toBeLessThan(5_000);
    await pub.done;
    await staff.done;
  });
});
