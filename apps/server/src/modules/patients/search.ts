import {
  ageLabel,
  identifierTypes,
  normalizeIdentifier,
  normalizePhone,
  type PatientSearchQuery,
  type PatientSummary,
} from '@newhms/contracts';
import { type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { recordAudit } from '../../platform/audit/audit.service';
import type { Ctx } from '../../platform/context';
import type { FieldCipher } from '../../platform/crypto/field-cipher';
import type { Db, DbOrTx, SessionSettings } from '../../platform/db/database';
import { rowsOf } from '../../platform/db/raw-rows';
import { normalizeName, phoneticKey } from './names';
import { maskPhone } from './patient-records';

type Query = z.output<typeof PatientSearchQuery>;
export type MatchKind = 'mrn' | 'phone' | 'identifier' | 'name' | 'phonetic';
export type SearchHit = PatientSummary & { score: number; matchedOn: MatchKind[] };

/** What one search box string could be: an MRN, a phone number, an identifier, a name, or several. */
export type Interpretation = {
  mrn: string | null;
  phoneDigits: string | null;
  identifierHashes: string[];
  name: string | null;
  phoneticKeys: string[];
};

/** How much of a word must match a word of the name (pg_trgm word_similarity). */
export const WORD_SIMILARITY_THRESHOLD = 0.6;
/** How much of the whole name must match the whole query (pg_trgm similarity), in the last stage. */
export const SIMILARITY_THRESHOLD = 0.5;
/** Rows read per branch before ranking: bounds the work for very common names. */
const BRANCH_LIMIT = 200;
/**
 * Stage 4 (the whole name close to the whole name) runs only while stages 1-3 found fewer patients than
 * this: it is the dearest stage for a common word, and once a few patients match the name word by word its
 * looser matches only fill the list's tail (measured at 1M: p99 16.6 -> 13.3 ms, recall unchanged).
 */
const WHOLE_NAME_BELOW = 5;
/** The slip branch is for a few words; a long query would make a long list of neighbouring keys. */
const MAX_NEAR_WORDS = 4;

/**
 * The settings the search runs with, local to its transaction (the benchmark sets them per connection).
 * With LIMIT 200 the planner hopes to stop a sequential scan early and reads the whole table for a one-word
 * name instead (measured at 1M: 128-415 ms); the indexes are always the better path here.
 */
export const SEARCH_SETTINGS: SessionSettings = [
  ['pg_trgm.word_similarity_threshold', String(WORD_SIMILARITY_THRESHOLD)],
  ['pg_trgm.similarity_threshold', String(SIMILARITY_THRESHOLD)],
  ['enable_seqscan', 'off'],
];

export function interpret(q: string, cipher: FieldCipher): Interpretation {
  const raw = q.trim();
  const compact = raw.replace(/\s+/g, '').toUpperCase();
  const mrn = /\d/.test(compact) && /^[A-Z0-9/-]{3,30}$/.test(compact) ? compact : null;
  const phone = normalizePhone(raw);
  const phoneDigits = phone ? phone.replace(/\D/g, '').slice(-10) : null;
  const identifierHashes: string[] = [];
  if (/\d/.test(raw) || raw.includes('@')) {
    for (const type of identifierTypes) {
      const n = normalizeIdentifier(type, raw);
      if (n.ok) identifierHashes.push(cipher.lookupHash(type, n.value));
    }
  }
  const letters = raw.replace(/[^\p{L}\s]/gu, '').trim();
  const name =
    letters.length >= 2 && !raw.includes('@') && !/\d{3,}/.test(raw) ? normalizeName(letters) : null;
  // Phonetic keys only for words long enough to mean something; a two-letter prefix would match everyone.
  const words = name?.split(' ') ?? [];
  const phoneticKeys = words.every((w) => w.length >= 3)
    ? words.map(phoneticKey).filter((k) => k.length >= 2)
    : [];
  return { mrn, phoneDigits, identifierHashes, name, phoneticKeys };
}

/** The letters a phonetic key holds after its first one (names.ts folds everything else away). */
const KEY_LETTERS = 'bcdfgjklmnprstvx';

/**
 * The phonetic keys one slip away from a key: a consonant of the skeleton dropped, added, changed, or two
 * neighbours swapped ("varma" vmr / "vamra" vmr → vrm). The first letter stays, as clerks rarely miss it.
 * Vowel slips, doubled letters and the usual transliteration variants already share the key itself.
 */
export function nearKeys(key: string): string[] {
  const first = key[0] ?? '';
  const rest = key.slice(1);
  const out = new Set<string>();
  for (let i = 0; i < rest.length; i++) out.add(rest.slice(0, i) + rest.slice(i + 1));
  for (let i = 0; i + 1 < rest.length; i++) {
    out.add(rest.slice(0, i) + rest[i + 1] + rest[i] + rest.slice(i + 2));
  }
  for (const c of KEY_LETTERS) {
    for (let i = 0; i <= rest.length; i++) out.add(rest.slice(0, i) + c + rest.slice(i));
    for (let i = 0; i < rest.length; i++) out.add(rest.slice(0, i) + c + rest.slice(i + 1));
  }
  const keys = new Set([...out].map((r) => first + r.replace(/(.)\1+/g, '$1')));
  keys.delete(key);
  // Two-letter keys (Ram, Sonu, Anu...) are shared by too many people to be a useful neighbour.
  return [...keys].filter((k) => k.length >= 3).sort();
}

/** Describes a search for the audit log without writing a national id there in clear. */
export function auditableQuery(q: string): string {
  return q.replace(/\d(?=(?:[\s-]?\d){4})/g, '•');
}

function filters(query: Query): SQL {
  const parts: SQL[] = [];
  parts.push(query.includeMerged ? sql`true` : sql`p.status = 'active'`);
  if (query.sex) parts.push(sql`p.sex = ${query.sex}`);
  if (query.birthYear) {
    parts.push(
      sql`(p.birth_year = ${query.birthYear} or (p.birth_date_estimated and p.birth_year between ${query.birthYear - 2} and ${query.birthYear + 2}))`,
    );
  }
  return sql.join(parts, sql` and `);
}

/**
 * A list as ONE text[] parameter (a PostgreSQL array literal), whatever its length. The slip branch passes
 * hundreds of neighbouring keys: one parameter each made Drizzle build hundreds of SQL fragments per search
 * (about 18% of the app's busy time in the benchmark's profile) and PostgreSQL parse a statement that long.
 */
export function textArrayLiteral(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
}

function keyArray(keys: readonly string[]): SQL {
  return sql`${textArrayLiteral(keys)}::text[]`;
}

/**
 * One slip in one word: every other word's key as it is, and this word's key one consonant away
 * (`nearKeys`). Only for keys of three letters or more, whose neighbours are few and specific.
 */
function nearCondition(keys: readonly string[]): SQL | null {
  if (keys.length === 0 || keys.length > MAX_NEAR_WORDS) return null;
  const alternatives = keys.flatMap((key, at) => {
    const others = keys.filter((_, j) => j !== at);
    const near = key.length >= 3 ? nearKeys(key).filter((k) => !others.includes(k)) : [];
    if (near.length === 0) return [];
    const overlap = sql`p.phonetic_keys && ${keyArray(near)}`;
    return [others.length > 0 ? sql`(p.phonetic_keys @> ${keyArray(others)} and ${overlap})` : overlap];
  });
  return alternatives.length > 0 ? sql`(${sql.join(alternatives, sql` or `)})` : null;
}

/**
 * The words of any patient's name close to a query word (word similarity 0.6), from the dictionary of name
 * words (patients.name_words, a few thousand rows with their own trigram index). Stage 3 then asks the
 * patients' `name_words` GIN index for names holding a close word for every query word: one index scan whose
 * rarest word drives it, where the trigram index on whole names read the whole posting list of every trigram
 * of a common word ("kumar", "ali": tens of thousands of rows each at 1M patients).
 */
function closeWords(word: string): SQL {
  return sql`array(select d.word from patients.name_words d where ${word} <% d.word)`;
}

/**
 * One search as one statement: the ranked hits with what a result row shows (the summary, with the first
 * phone). The stages, each reading at most BRANCH_LIMIT rows through an index, run in turn only while the
 * earlier ones found fewer patients than asked for:
 *
 * 1. the exact branches (MRN, phone digits, identifier hash) and the name's phonetic keys
 *    (`phonetic_keys @> keys`, GIN: Mohammad/Mohammed/Muhammad, vowel and doubled-letter slips);
 * 2. one consonant slip in one word: the other words' keys and a neighbouring key of this one
 *    (`@> others and && nearKeys(key)`, the same GIN index; "Ramesh Vamra" finds Ramesh Varma);
 * 3. every query word close to a word of the name: partial names ("Pad Sharma") and what the keys miss. The
 *    close words come from the dictionary of name words (word similarity 0.6, its own trigram index), then
 *    `name_words && close(w1) and name_words && close(w2)` is one scan of the GIN index on the names' words,
 *    in which the rarest word leads; `w <% search_name` on the names' trigram index read the whole posting
 *    list of every trigram of a common word instead. With a birth year, which leaves few hits by design, it
 *    runs only when stages 1-2 found nobody;
 * 4. without a birth year and while stages 1-3 found fewer than WHOLE_NAME_BELOW, the whole name close to the
 *    whole name (`%`, similarity 0.5).
 *
 * The birth-year filter is written so that btree indexes on the year can narrow every stage (BitmapAnd).
 * The union is ranked: exact MRN, identifier and phone hits first, then names by similarity with a bonus for
 * sounding alike and for a prefix match. Measured at 1M patients: bench/RESULTS.md.
 */
export function searchSql(i: Interpretation, query: Query): SQL {
  const where = filters(query);
  const first: SQL[] = [];
  if (i.mrn) {
    first.push(
      sql`(select p.id, 'mrn' as kind from patients.patients p where p.mrn = ${i.mrn} and ${where})`,
    );
  }
  if (i.phoneDigits) {
    first.push(sql`(select p.id, 'phone' as kind from patients.phones ph join patients.patients p on p.id = ph.patient_id
      where ph.last_digits = ${i.phoneDigits} and ${where} limit ${BRANCH_LIMIT})`);
  }
  if (i.identifierHashes.length > 0) {
    first.push(sql`(select p.id, 'identifier' as kind from patients.identifiers pi join patients.patients p on p.id = pi.patient_id
      where pi.value_hash = any(${keyArray(i.identifierHashes)}) and ${where} limit ${BRANCH_LIMIT})`);
  }
  if (i.phoneticKeys.length > 0) {
    first.push(sql`(select p.id, 'phonetic' as kind from patients.patients p
      where p.phonetic_keys @> ${keyArray(i.phoneticKeys)} and ${where} limit ${BRANCH_LIMIT})`);
  }
  const none = sql`select null::uuid as id, null::text as kind where false`;
  const firstHits = first.length > 0 ? sql.join(first, sql` union all `) : none;
  const near = nearCondition(i.phoneticKeys);
  const nearHits = near
    ? sql`select p.id, 'name' as kind from patients.patients p
        where ${near} and ${where} and (select count(*) from first_hits) < ${query.limit}
        limit ${BRANCH_LIMIT}`
    : none;
  const found = sql`(select count(*) from first_hits) + (select count(*) from near_hits)`;
  const wordHits = i.name
    ? sql`select p.id, 'name' as kind from patients.patients p
        where ${sql.join(
          i.name.split(' ').map((w) => sql`p.name_words && ${closeWords(w)}`),
          sql` and `,
        )} and ${where}
          and ${found} < ${query.birthYear ? 1 : query.limit}
        limit ${BRANCH_LIMIT}`
    : none;
  // Stage 4, without a birth year and only when stages 1-3 found fewer than WHOLE_NAME_BELOW: the whole name close
  // to the whole name. It finds a slip in a short word that is neither a key slip nor a close word
  // ("Rooa Rao" for Roopa Rao, "Gouda" for Gowda), but for a common word it rechecks thousands of rows.
  const wholeHits =
    i.name && !query.birthYear
      ? sql`select p.id, 'name' as kind from patients.patients p
        where ${i.name} % p.search_name and ${where}
          and ${found} + (select count(*) from word_hits) < ${WHOLE_NAME_BELOW}
        limit ${BRANCH_LIMIT}`
      : none;
  const name = i.name ?? '';
  return sql`with first_hits as materialized (${firstHits}),
    near_hits as materialized (${nearHits}),
    word_hits as materialized (${wordHits}),
    whole_hits as materialized (${wholeHits}),
    hits as (select id, kind from first_hits union all select id, kind from near_hits
      union all select id, kind from word_hits union all select id, kind from whole_hits),
    grouped as (select id, array_agg(distinct kind) as kinds from hits group by id),
    ranked as (select p.*, g.kinds,
      (case when 'mrn' = any(g.kinds) then 3 else 0 end
       + case when 'identifier' = any(g.kinds) then 2.5 else 0 end
       + case when 'phone' = any(g.kinds) then 2 else 0 end
       + case when ${name} <> '' then word_similarity(${name}, p.search_name) + 0.5 * similarity(${name}, p.search_name) else 0 end
       + case when 'phonetic' = any(g.kinds) then 0.4 else 0 end
       + case when ${name} <> '' and p.search_name like ${`${name.replace(/[%_\\]/g, '')}%`} then 0.2 else 0 end
      )::float8 as score
      from grouped g join patients.patients p on p.id = g.id
      order by score desc, p.display_name, p.id
      limit ${query.limit})
    select r.id, r.kinds, r.score, r.mrn, r.display_name, r.sex, r.birth_date::text as birth_date,
      r.birth_date_estimated, r.locality, r.district, r.status, r.unidentified,
      to_char(r.last_visit_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as last_visit_at,
      (select ph.number from patients.phones ph where ph.patient_id = r.id
        order by ph.position, ph.id limit 1) as first_phone
    from ranked r
    order by r.score desc, r.display_name, r.id`;
}

/** One row of searchSql. */
type SearchRow = {
  id: string;
  kinds: string[] | string;
  score: number | string;
  mrn: string;
  display_name: string;
  sex: string;
  birth_date: string | null;
  birth_date_estimated: boolean;
  locality: string | null;
  district: string | null;
  status: string;
  unidentified: boolean;
  last_visit_at: string | null;
  first_phone: string | null;
};

function toHit(r: SearchRow, now: Date): SearchHit {
  const kinds = Array.isArray(r.kinds) ? r.kinds : String(r.kinds).replace(/[{}]/g, '').split(',');
  return {
    id: r.id,
    mrn: r.mrn,
    displayName: r.display_name,
    sex: r.sex as PatientSummary['sex'],
    birthDate: r.birth_date,
    birthDateEstimated: r.birth_date_estimated,
    age: ageLabel(r.birth_date, now),
    phoneEnding: maskPhone(r.first_phone),
    locality: r.locality ?? r.district ?? null,
    lastVisitAt: r.last_visit_at,
    status: r.status as PatientSummary['status'],
    unidentified: r.unidentified,
    score: Math.round(Number(r.score) * 1000) / 1000,
    matchedOn: kinds as MatchKind[],
  };
}

function isEmpty(i: Interpretation): boolean {
  return (
    !i.mrn && !i.phoneDigits && i.identifierHashes.length === 0 && !i.name && i.phoneticKeys.length === 0
  );
}

/**
 * The search's settings plus `synchronous_commit off` for its audit entry: the commit was a third of a
 * search's time and most of its tail (an fsync queued behind other writers). The entry is still atomic and in
 * order; what a PostgreSQL crash can lose is the last ~0.6 s (3 x wal_writer_delay) of search entries, never
 * patient data and never a write's audit entry (writes keep the server's setting).
 */
export const SEARCH_SESSION_SETTINGS: SessionSettings = [...SEARCH_SETTINGS, ['synchronous_commit', 'off']];

/** Settings local to the caller's transaction. */
async function applySettings(tx: DbOrTx, settings: readonly (readonly [string, string])[]): Promise<void> {
  await tx.execute(
    sql`select ${sql.join(
      settings.map(([k, v]) => sql`set_config(${k}, ${v}, true)`),
      sql`, `,
    )}`,
  );
}

/**
 * Runs the search in the caller's transaction (the settings are local to it): the ranked hits with their
 * summaries, in one statement. Also used by the benchmark, which times searchSql directly in PostgreSQL.
 */
export async function runSearch(
  tx: DbOrTx,
  i: Interpretation,
  query: Query,
  now: Date,
  settings: readonly (readonly [string, string])[] = SEARCH_SETTINGS,
): Promise<SearchHit[]> {
  if (isEmpty(i)) return [];
  await applySettings(tx, settings);
  const rows = await rowsOf<SearchRow>(tx, searchSql(i, query));
  return rows.map((r) => toHit(r, now));
}

/**
 * The search box: the search with its summaries, then the audit entry (what was searched, national ids
 * masked, and how many results). On PostgreSQL both run on `searchDb`, connections that carry
 * SEARCH_SESSION_SETTINGS for their session (Database.sessionWith): two statements, each its own implicit
 * transaction, instead of begin, settings, search, audit entry and commit (five round trips; the bench
 * measured the difference, bench/RESULTS.md). No hit leaves before its audit entry is written: if the entry
 * fails, the request fails. On PGlite (no second connection) the same in one transaction with local settings.
 */
export async function searchPatients(
  ctx: Ctx,
  cipher: FieldCipher,
  query: Query,
  searchDb: Db | null = null,
): Promise<SearchHit[]> {
  const i = interpret(query.q, cipher);
  const audit = (db: DbOrTx, hits: readonly SearchHit[]) =>
    recordAudit(db, ctx, {
      action: 'search',
      resourceType: 'Patient',
      detail: {
        q: auditableQuery(query.q),
        sex: query.sex,
        birthYear: query.birthYear,
        results: hits.length,
      },
    });
  if (searchDb) {
    const hits = isEmpty(i)
      ? []
      : (await rowsOf<SearchRow>(searchDb, searchSql(i, query))).map((r) => toHit(r, ctx.now));
    await audit(searchDb, hits);
    return hits;
  }
  return ctx.db.transaction(async (tx) => {
    const hits = await runSearch(tx, i, query, ctx.now, SEARCH_SESSION_SETTINGS);
    await audit(tx, hits);
    return hits;
  });
}
