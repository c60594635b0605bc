import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness';
import { type BedBoardWorld, createBedBoardWorld } from './bed-board-test-support';

// The bed board's routes (staff, tickets, events, public, FHIR Location) sent random input with real ids and
// codes of this world mixed in, through a real HTTP server (the event streams are cut once their headers
// arrive): never a 5xx, and every error a problem+json (OperationOutcome under /fhir).

let t: TestApp;
let w: BedBoardWorld;
let origin: string;
let ticket: string;
const ids: string[] = [];
const codes: string[] = [];

beforeAll(async () => {
  t = await createTestApp();
  w = await createBedBoardWorld(t);
  const ward = await w.ward({ bedCount: 3 });
  const p = await w.patient();
  await w.admit(ward.beds[0]!, p.id);
  ids.push(ward.id, ward.roomId, ...ward.beds.map((b) => b.id), p.id, w.facilityId);
  codes.push(ward.displayCode!, ward.displayCode!.toLowerCase());
  ticket = (
    await t.app.inject({ method: 'POST', url: '/api/v1/ipd/bed-board/tickets', headers: w.nurse.headers })
  ).json().ticket;
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  origin = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
}, 120_000);
afterAll(() => t.close());

const text = () =>
  fc.oneof(
    fc.string({ maxLength: 30 }),
    fc.constantFrom('%00', '%', '..', "'; drop table ipd.beds;--", 'x'.repeat(300), '%E2%82', ' '),
  );
const anyId = () => fc.oneof(fc.constantFrom(...ids), fc.uuid(), text());
const code = () => fc.oneof(fc.constantFrom(...codes), text());
const credentials = () =>
  fc.constantFrom<Record<string, string>>(
    w.nurse.headers,
    {},
    { authorization: 'Bearer nonsense-token-xx' },
    {
      ...w.nurse.headers,
      'x-facility-id': 'not-a-facility',
    },
  );

type Call = { path: string; method: 'GET' | 'POST'; headers: Record<string, string> };
const enc = (v: string) => encodeURIComponent(v);

const callsOf = (): fc.Arbitrary<Call> =>
  fc.oneof(
    fc.record({
      path: anyId().map((v) => `/api/v1/ipd/bed-board?wardId=${enc(v)}`),
      method: fc.constant('GET' as const),
      headers: credentials(),
    }),
    fc.record({
      path: fc.constant('/api/v1/ipd/bed-board/tickets'),
      method: fc.constant('POST' as const),
      headers: credentials(),
    }),
    fc.record({
      path: fc
        .tuple(fc.oneof(fc.constant(ticket), text(), fc.constant(undefined)), fc.option(anyId()))
        .map(
          ([tk, ward]) =>
            `/api/v1/ipd/bed-board/events?${tk !== undefined ? `ticket=${enc(tk)}&` : ''}${ward ? `wardId=${enc(ward)}` : ''}`,
        ),
      method: fc.constant('GET' as const),
      headers: credentials(),
    }),
    fc.record({
      path: fc
        .tuple(code(), fc.boolean())
        .map(([c, live]) => `/api/public/bed-board/${enc(c)}${live ? '/events' : ''}`),
      method: fc.constant('GET' as const),
      headers: fc.constant({}),
    }),
    fc.record({
      path: fc
        .tuple(
          fc.constantFrom(
            'partof',
            'physical-type',
            'operational-status',
            'name',
            'name:contains',
            'name:exact',
            'status',
            '_id',
            '_count',
            '_cursor',
            'partof:missing',
          ),
          fc.oneof(
            anyId(),
            fc.constantFrom(
              'bd',
              'wa,ro',
              'O',
              'http://terminology.hl7.org/CodeSystem/v2-0116|K',
              '|U',
              'Location/',
            ),
          ),
        )
        .map(([k, v]) => `/fhir/R4/Location?${k}=${enc(v)}`),
      method: fc.constant('GET' as const),
      headers: credentials(),
    }),
    fc.record({
      path: anyId().map((v) => `/fhir/R4/Location/${enc(v)}`),
      method: fc.constant('GET' as const),
      headers: credentials(),
    }),
  );

describe('the bed board and Location routes, sent random input', () => {
  it('never answer 5xx', async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(callsOf(), async (call) => {
        const controller = new AbortController();
        const res = await fetch(`${origin}${call.path}`, {
          method: call.method,
          headers: call.headers,
          signal: controller.signal,
        });
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        const type = res.headers.get('content-type') ?? '';
        if (type.includes('text/event-stream')) {
          expect(res.status).toBe(200);
          controller.abort();
          return;
        }
        const body = await res.text();
        if (res.status >= 500) throw new Error(`${call.method} ${call.path} -> ${res.status}: ${body}`);
        if (res.status >= 400) {
          expect(type).toMatch(
            call.path.startsWith('/fhir/') ? /application\/fhir\+json/ : /application\/problem\+json/,
          );
        }
      }),
      { numRuns: 300 },
    );
    console.info('bed board fuzz statuses', Object.fromEntries(statuses));
    expect(statuses.get(200)).toBeGreaterThan(0);
    expect([...statuses.keys()].some((s) => s >= 400)).toBe(true);
  }, 600_000);
});
