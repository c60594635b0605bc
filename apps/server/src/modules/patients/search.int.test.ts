import { and, desc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, createTestUser, signIn, type TestApp } from '../../../test/harness';
import { auditEntries } from '../../platform/audit/audit.tables';
import { loadSummaries } from './patient-records';
import { patients } from './patients.tables';

// The search box's stages and its one-statement summaries (search.ts). Names are unique per run: on
// PostgreSQL every test file shares one database.

let t: TestApp;
let desk: Record<string, string>;
let deskUserId: string;

/** A made-up given name of letters only, different on every run. */
function uniqueWord(): string {
  const consonants = 'bdfgjklmnprstvz';
  const vowels = 'aeiou';
  let w = 'Q';
  for (let i = 0; i < 4; i++) {
    w += consonants[Math.floor(Math.random() * consonants.length)]!;
    w += vowels[Math.floor(Math.random() * vowels.length)]!;
  }
  return w;
}

async function register(body: Record<string, unknown>) {
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/patients', headers: desk, payload: body });
  expect(res.statusCode).toBe(201);
  return res.json() as { id: string; birthDate: string | null; birthDateEstimated: boolean };
}

async function search(q: string, extra = '') {
  const res = await t.app.inject({
    method: 'GET',
    url: `/api/v1/patients/search?q=${encodeURIComponent(q)}${extra}`,
    headers: desk,
  });
  expect(res.statusCode).toBe(200);
  return res.json().items as ({ id: string; matchedOn: string[]; score: number } & Record<string, unknown>)[];
}

beforeAll(async () => {
  t = await createTestApp();
  const fd = await createTestUser(t.database, { roles: ['front-desk'], facilityId: t.facilityId });
  deskUserId = fd.id;
  desk = bearer(await signIn(t.app, fd.email));
});
afterAll(() => t.close());

describe('patient search', () => {
  it('finds a surname with two consonants swapped (one slip the trigram stage cannot see)', async () => {
    const given = uniqueWord();
    const p = await register({ name: { given, family: 'Varma' }, sex: 'male' });
    const items = await search(`${given} Vamra`);
    expect(items[0]?.id).toBe(p.id);
    expect(items[0]?.matchedOn).toEqual(['name']);
    // The name as registered sounds alike: the phonetic stage, ranked first.
    const exact = (await search(`${given} Varma`))[0];
    expect(exact?.id).toBe(p.id);
    expect(exact?.matchedOn).toContain('phonetic');
    // A different surname is not one slip away.
    expect((await search(`${given} Verghese`)).map((i) => i.id)).not.toContain(p.id);
  });

  it('narrows by birth year: the year itself, or two years either side of an estimated birth date', async () => {
    const given = uniqueWord();
    const estimated = await register({
      name: { given, family: 'Kamath' },
      sex: 'female',
      birth: { age: { years: 40 } },
    });
    expect(estimated.birthDateEstimated).toBe(true);
    const y = Number(estimated.birthDate!.slice(0, 4));
    const exact = await register({
      name: { given, family: 'Kamath' },
      sex: 'female',
      birth: { birthDate: `${y}-03-04` },
      duplicateOverride: {
        reason: 'twin sister, same name given by the family',
        candidateIds: [estimated.id],
      },
    });
    const ids = async (year: number) =>
      (await search(`${given} Kamath`, `&birthYear=${year}`)).map((i) => i.id);
    expect((await ids(y)).sort()).toEqual([estimated.id, exact.id].sort());
    expect(await ids(y + 2)).toEqual([estimated.id]);
    expect(await ids(y - 2)).toEqual([estimated.id]);
    expect(await ids(y + 3)).toEqual([]);
    // With a birth year and a slip that the keys miss, the trigram stage still runs when nothing else was found.
    expect(
      await search(`${given.slice(0, 4)} Kamath`, `&birthYear=${y}`).then((r) => r.map((i) => i.id).sort()),
    ).toEqual([estimated.id, exact.id].sort());
  });

  it('answers with the same summaries as the patient record shows (one statement, first phone, locality)', async () => {
    const given = uniqueWord();
    const p = await register({
      name: { given, middle: 'Devi', family: 'Hegde' },
      sex: 'female',
      birth: { birthDate: '1961-07-30' },
      phones: [{ number: '98450 11111' }, { number: '98450 22222' }],
      address: { district: 'Udupi', state: 'Karnataka' },
    });
    const visit = new Date('2026-01-02T03:04:05.678Z');
    await t.database.db.update(patients).set({ lastVisitAt: visit }).where(eq(patients.id, p.id));
    const [hit] = await search(`${given} Hegde`);
    const [summary] = await loadSummaries(t.database.db, [p.id], new Date());
    const { score, matchedOn, ...rest } = hit!;
    expect(rest).toEqual(summary);
    expect(rest).toMatchObject({
      phoneEnding: '••••••1111',
      locality: 'Udupi',
      lastVisitAt: visit.toISOString(),
    });
    expect(score).toBeGreaterThan(1);
    expect(matchedOn).toContain('phonetic');
  });

  it('writes the audit entry of a search in the same transaction, with the number of results', async () => {
    const given = uniqueWord();
    await register({ name: { given, family: 'Shenoy' }, sex: 'male' });
    const before = await t.database.db
      .select({ n: sql<number>`count(*)::int` })
      .from(auditEntries)
      .where(and(eq(auditEntries.action, 'search'), eq(auditEntries.actorId, deskUserId)));
    const items = await search(`${given} Shenoy`);
    const [entry] = await t.database.db
      .select()
      .from(auditEntries)
      .where(and(eq(auditEntries.action, 'search'), eq(auditEntries.actorId, deskUserId)))
      .orderBy(desc(auditEntries.occurredAt), desc(auditEntries.id))
      .limit(1);
    const after = await t.database.db
      .select({ n: sql<number>`count(*)::int` })
      .from(auditEntries)
      .where(and(eq(auditEntries.action, 'search'), eq(auditEntries.actorId, deskUserId)));
    expect(after[0]!.n).toBe(before[0]!.n + 1);
    expect(entry!.detail).toMatchObject({ q: `${given} Shenoy`, results: items.length });
  });
});
