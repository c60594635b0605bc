import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, createTestUser, signIn, type TestApp } from '../../../test/harness';

// GET /api/v1/patients/search sent random query strings: names with slips, digits, national-id-like
// numbers, punctuation, any Unicode, long words, and random filters. No input may reach a 5xx, and every
// 200 is a ranked list of at most `limit`.

let t: TestApp;
let desk: Record<string, string>;

beforeAll(async () => {
  t = await createTestApp();
  const fd = await createTestUser(t.database, { roles: ['front-desk'], facilityId: t.facilityId });
  desk = bearer(await signIn(t.app, fd.email));
  // Names of this run only: on PostgreSQL every test file shares one database, and other files search for
  // (and check duplicates of) common names.
  const run = Array.from({ length: 5 }, () => 'bdgkmnprstv'[Math.floor(Math.random() * 11)]).join('');
  for (const [given, family, birthDate] of [
    [`Ramesh${run}`, 'Varma', '1970-01-02'],
    [`Qasim${run}`, 'Irfan', '1985-05-06'],
    [`Lakshmi${run}`, 'Narayanan', '1990-09-10'],
  ] as const) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/patients',
      headers: desk,
      payload: {
        name: { given, family },
        sex: 'unknown',
        birth: { birthDate },
        phones: [{ number: `98${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}` }],
      },
    });
    expect([201, 409]).toContain(res.statusCode);
  }
}, 120_000);
afterAll(() => t.close());

const word = fc.oneof(
  fc.constantFrom('ramesh', 'vamra', 'mohd', 'laxmi', 'sha', 'a', 'kumar', 'singh', 'xyzzy', 'ksh'),
  fc.stringMatching(/^[a-z]{1,12}$/),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
);
const q = fc.oneof(
  fc.array(word, { minLength: 1, maxLength: 8 }).map((w) => w.join(' ')),
  fc.stringMatching(/^[0-9 +-]{1,20}$/),
  fc.constantFrom(
    '9845012345',
    '+91 98450 12345',
    'MAIN-2026-000001',
    '1234 5678 9012',
    'a@b',
    '%_\\',
    "'; --",
  ),
  fc.string({ maxLength: 120 }),
);
// Mostly valid filters (so that most requests reach the SQL), now and then an invalid one (a 400).
const rarely = <T>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<unknown>) =>
  fc.oneof({ arbitrary: valid, weight: 9 }, { arbitrary: invalid, weight: 1 });
const extra = fc.record(
  {
    birthYear: rarely(
      fc.integer({ min: 1890, max: 2100 }),
      fc.constantFrom(1850, 2150, 'x', '', '1e3', '-1'),
    ),
    sex: rarely(fc.constantFrom('male', 'female', 'other', 'unknown'), fc.constant('x')),
    limit: rarely(fc.integer({ min: 1, max: 50 }), fc.constantFrom(0, -5, 80, 'ten')),
    includeMerged: fc.constantFrom('true', 'false'),
  },
  { requiredKeys: [] },
);

describe('GET /api/v1/patients/search, sent random input', () => {
  it('never answers 5xx; a 200 is at most `limit` ranked results', async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(q, extra, async (text, filters) => {
        const params = new URLSearchParams({ q: text });
        for (const [k, v] of Object.entries(filters)) params.set(k, String(v));
        const res = await t.app.inject({
          method: 'GET',
          url: `/api/v1/patients/search?${params}`,
          headers: desk,
        });
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        if (res.statusCode >= 500) throw new Error(`${params} -> ${res.statusCode}: ${res.body}`);
        if (res.statusCode >= 400) {
          expect(res.headers['content-type']).toContain('application/problem+json');
          return;
        }
        const items = res.json().items as { score: number }[];
        const limit = typeof filters.limit === 'number' ? filters.limit : 20;
        expect(items.length).toBeLessThanOrEqual(limit);
        for (let i = 1; i < items.length; i++)
          expect(items[i]!.score).toBeLessThanOrEqual(items[i - 1]!.score);
      }),
      { numRuns: 300 },
    );
    // Past validation too: most inputs are searched (200).
    expect(statuses.get(200) ?? 0).toBeGreaterThan(100);
  }, 300_000);
});
