import { and, desc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, createTestUser, signIn, type TestApp } from '../../../test/harness';
import { sealAuditChain, verifyAuditChain } from '../../platform/audit/audit.service';
import { auditEntries } from '../../platform/audit/audit.tables';
import { rowsOf } from '../../platform/db/raw-rows';
import { loadSummaries } from './patient-records';
import { patients } from './patients.tables';
import { SEARCH_SESSION_SETTINGS, textArrayLiteral } from './search';

// The search box's stages and its one-statement summaries (search.ts). Each test file has its own copy of the
// database; names are made up per test so that the tests of this file do not find each other's patients.

let t: TestApp;
let desk: Record<string, string>;
let deskUserId: string;

/**
 * A made-up given name of letters only, different on every run. Words from disjoint `consonants` share no
 * trigram but the leading "q" and no phonetic key within one slip (keys fold q to k and z to j: leave those out).
 */
function uniqueWord(consonants = 'bdfgjklmnprstvz'): string {
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

  it('keeps the dictionary of name words for every way a name is written: registration, an edit, a bulk insert', async () => {
    // Four words that cannot find each other: a beginning of one is neither close to nor one slip from another.
    const [first, renamed, bulk1, bulk2] = ['bdf', 'glm', 'nps', 'rtv'].map((c) => uniqueWord(c)) as [
      string,
      string,
      string,
      string,
    ];
    const p = await register({
      name: { given: first, family: 'Bhat' },
      sex: 'male',
      birth: { birthDate: '1980-05-06' },
    });
    const patch = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/patients/${p.id}`,
      headers: desk,
      payload: { name: { given: renamed, family: 'Bhat' }, version: 1 },
    });
    expect(patch.statusCode).toBe(200);
    // Two patients in one statement, as the bench's loader and other bulk loads write them.
    await t.database.db.insert(patients).values(
      [bulk1, bulk2].map((given, n) => ({
        mrn: `BULK-${given.toUpperCase()}-${n}`,
        facilityId: t.facilityId,
        given,
        displayName: `${given} Bhat`,
        searchName: `${given.toLowerCase()} bhat`,
        phoneticKeys: [],
        sex: 'female',
        birthYear: 1980,
      })),
    );
    const words = await rowsOf<{ word: string }>(
      t.database.db,
      sql`select word from patients.name_words
        where word = any(${textArrayLiteral([first, renamed, bulk1, bulk2, 'bhat'].map((w) => w.toLowerCase()))}::text[])`,
    );
    expect(words.map((w) => w.word).sort()).toEqual(
      [first, renamed, bulk1, bulk2, 'bhat'].map((w) => w.toLowerCase()).sort(),
    );
    // The word stage (with a birth year, the only name stage after the keys) finds each by a word's beginning,
    // which neither sounds like the whole word nor is one consonant from it.
    const found = async (word: string) =>
      (await search(`${word.slice(0, 5)} Bhat`, '&birthYear=1980')).map((i) => i.id);
    expect(await found(renamed)).toContain(p.id);
    expect(await found(bulk1)).toHaveLength(1);
    // The old word stays in the dictionary, and leads to no one.
    expect(await found(first)).not.toContain(p.id);
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

  it('writes one audit entry with every search, saying how many it found, that the audit chain verifies', async () => {
    const given = uniqueWord();
    await register({ name: { given, family: 'Shenoy' }, sex: 'male' });
    await register({ name: { given, family: 'Shenoy' }, sex: 'female' });
    const mine = and(eq(auditEntries.action, 'search'), eq(auditEntries.actorId, deskUserId));
    const count = async () =>
      (await t.database.db.select({ n: sql<number>`count(*)::int` }).from(auditEntries).where(mine))[0]!.n;
    const before = await count();
    const two = await search(`${given} Shenoy`);
    const none = await search('Xwqz Vyxq');
    const capped = await search(`${given} Shenoy`, '&limit=1');
    expect([two.length, none.length, capped.length]).toEqual([2, 0, 1]);
    expect(await count()).toBe(before + 3);
    const entries = await t.database.db
      .select()
      .from(auditEntries)
      .where(mine)
      .orderBy(desc(auditEntries.occurredAt), desc(auditEntries.id))
      .limit(3);
    expect(entries.map((e) => e.detail).reverse()).toEqual([
      { q: `${given} Shenoy`, results: 2 },
      { q: 'Xwqz Vyxq', results: 0 },
      { q: `${given} Shenoy`, results: 1 },
    ]);
    expect(entries[0]).toMatchObject({
      resourceType: 'Patient',
      outcome: 'success',
      facilityId: t.facilityId,
    });
    await sealAuditChain(t.database);
    expect((await verifyAuditChain(t.database)).valid).toBe(true);
  });

  it('runs on connections that carry the search settings (PostgreSQL), leaving the other connections as they were', async () => {
    const searchDb = t.database.sessionWith(SEARCH_SESSION_SETTINGS);
    if (t.database.kind === 'pglite') {
      // One connection in one process: the settings are local to the search's transaction there.
      expect(searchDb).toBeNull();
      return;
    }
    const show = async (db: NonNullable<typeof searchDb>, name: string) =>
      (await rowsOf<{ v: string }>(db, sql`select current_setting(${name}) as v`))[0]!.v;
    expect(await show(searchDb!, 'enable_seqscan')).toBe('off');
    expect(await show(searchDb!, 'pg_trgm.word_similarity_threshold')).toBe('0.6');
    expect(await show(searchDb!, 'pg_trgm.similarity_threshold')).toBe('0.5');
    expect(await show(searchDb!, 'synchronous_commit')).toBe('off');
    expect(await show(t.database.db, 'enable_seqscan')).toBe('on');
    expect(await show(t.database.db, 'synchronous_commit')).toBe('on');
    // One pool per set of settings, however often it is asked for.
    expect(t.database.sessionWith(SEARCH_SESSION_SETTINGS)).toBe(searchDb);
  });

  it('passes a list as one text[] parameter that the database reads back exactly', async () => {
    const values = ['vrm', 'a"b', 'back\\slash', 'comma,brace}', 'space d', 'NULL', ''];
    const rows = await rowsOf<{ v: string[] | string }>(
      t.database.db,
      sql`select ${textArrayLiteral(values)}::text[] as v`,
    );
    const v = rows[0]!.v;
    // PGlite returns a JS array; pg too (text[] is parsed by node-postgres).
    expect(v).toEqual(values);
  });
});
