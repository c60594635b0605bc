import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness';
import { createOpdWorld, type OpdWorld } from './opd-test-support';

let t: TestApp;
let w: OpdWorld;

beforeAll(async () => {
  t = await createTestApp();
  w = await createOpdWorld(t);
});
afterAll(() => t.close());

type Board = {
  boardCode: string;
  roomName: string;
  nowServing: { label: string; status: string; initials: string | null }[];
  waiting: { label: string; status: string; initials: string | null }[];
};

/** A real HTTP client of an SSE stream: collects "board" events as they arrive. */
function openStream(url: string) {
  const controller = new AbortController();
  const boards: Board[] = [];
  let buffer = '';
  let waiters: (() => void)[] = [];
  const done = (async () => {
    const res = await fetch(url, { signal: controller.signal, headers: { accept: 'text/event-stream' } });
    if (res.status !== 200) throw new Error(`stream: ${res.status}`);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
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
        if (event === 'board' && data) boards.push(JSON.parse(data) as Board);
        for (const wake of waiters) wake();
        waiters = [];
        cut = buffer.indexOf('\n\n');
      }
    }
  })().catch((err: unknown) => {
    if (!controller.signal.aborted) throw err;
  });
  return {
    boards,
    /** Waits until a board event satisfies the predicate. */
    async until(predicate: (b: Board) => boolean, timeoutMs = 10_000): Promise<Board> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const hit = boards.find(predicate);
        if (hit) return hit;
        if (Date.now() > deadline)
          throw new Error(`no matching board event in ${timeoutMs} ms: ${JSON.stringify(boards)}`);
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
  };
}

async function clinicWithQueue(showInitials = false) {
  const dr = await w.doctor({ tokenPrefix: 'Q' });
  const room = await w.room({ showInitials });
  await w.schedule(dr.id, room.id, { startTime: '00:00', endTime: '23:45' }, [w.today]);
  const patients = [
    await w.patient({ name: { given: 'Kamala', family: 'Subramaniam' } }),
    await w.patient({ name: { given: 'Ravi', family: 'Menon' } }),
  ];
  const tokens = [];
  for (const p of patients)
    tokens.push((await w.walkIn(p.id, dr.id)).json().token as { id: string; label: string });
  return { dr, room, patients, tokens };
}

describe('the public token board', () => {
  it('shows token numbers and status without signing in, and no names', async () => {
    const { room, patients, tokens } = await clinicWithQueue();
    await w.call('POST', `/api/v1/opd/tokens/${tokens[0]!.id}/call`, w.nurse.headers);
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/public/display/${room.boardCode.toLowerCase()}`,
    });
    expect(res.statusCode).toBe(200);
    const board = res.json() as Board;
    expect(board).toMatchObject({
      boardCode: room.boardCode,
      roomName: room.name,
      nowServing: [{ label: 'Q-001', status: 'called', initials: null }],
      waiting: [{ label: 'Q-002', status: 'waiting', initials: null }],
    });
    for (const p of patients) {
      expect(res.body).not.toContain(p.displayName.split(' ')[0]!);
      expect(res.body).not.toContain(p.mrn);
      expect(res.body).not.toContain(p.id);
    }
    const unknown = await t.app.inject({ method: 'GET', url: '/api/public/display/NO-SUCH-BOARD' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toContain('application/problem+json');
  });

  it('shows initials only where the board allows them', async () => {
    const { room } = await clinicWithQueue(true);
    const board = (
      await t.app.inject({ method: 'GET', url: `/api/public/display/${room.boardCode}` })
    ).json() as Board;
    expect(board.waiting.map((x) => x.initials)).toEqual(['K S', 'R M']);
  });

  it('pushes a call made on one server to the board clients of another, over server-sent events', async () => {
    // Two app instances on one database: PGlite shares the in-process database, PostgreSQL gets a second
    // pool and its own LISTEN connection (what two server processes have).
    const other = await createTestApp({ sameDatabaseAs: t });
    try {
      await other.app.listen({ host: '127.0.0.1', port: 0 });
      const address = other.app.server.address() as { port: number };
      const { dr, room, tokens } = await clinicWithQueue();
      const stream = openStream(
        `http://127.0.0.1:${address.port}/api/public/display/${room.boardCode}/events`,
      );
      try {
        // 1. The board opens on server B with the current queue.
        const first = await stream.until(() => true);
        expect(first.waiting.map((x) => x.label)).toEqual(['Q-001', 'Q-002']);
        // 2. The nurse calls the first token on server A.
        const call = await w.call('POST', `/api/v1/opd/tokens/${tokens[0]!.id}/call`, w.nurse.headers);
        expect(call.statusCode).toBe(200);
        // 3. Server B's client sees it.
        const after = await stream.until((b) => b.nowServing.some((x) => x.label === 'Q-001'));
        expect(after.nowServing).toEqual([expect.objectContaining({ label: 'Q-001', status: 'called' })]);
        expect(after.waiting.map((x) => x.label)).toEqual(['Q-002']);
        // 4. A walk-in checked in on server A appears too.
        const p = await w.patient();
        await w.walkIn(p.id, dr.id);
        await stream.until((b) => b.waiting.some((x) => x.label === 'Q-003'));
      } finally {
        await stream.close();
      }
    } finally {
      await other.close();
    }
  });

  it('ends live streams when the server closes', async () => {
    const third = await createTestApp({ sameDatabaseAs: t });
    await third.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = third.app.server.address() as { port: number };
    const { room } = await clinicWithQueue();
    const stream = openStream(`http://127.0.0.1:${port}/api/public/display/${room.boardCode}/events`);
    await stream.until(() => true);
    const started = Date.now();
    await third.close();
    expect(Date.now() - started).toBeLessThan(5_000);
    await stream.close();
  });
});
