// Manual analysis of the patient search on a kept database (bench/patient-search-db.ts), outside `npm run bench`:
//
//   npx tsx bench/patient-search-analyze.ts sql [--runs 3] [--kind <kind>] [--variants "A=1;B=2"]
//   npx tsx bench/patient-search-analyze.ts explain [--kind <kind>] [--q <query text>] [--top 5]
//   npx tsx bench/patient-search-analyze.ts app [--runs 2]
//   (--name <database>, default newhms_bench_search_keep)
//
// `sql`: the bench's 1,000-query mix through searchSql, on one connection with the search's settings: each
// query after a warm pass, the fastest of --runs; wall time, the server process's CPU time, shared buffers
// (EXPLAIN ANALYZE BUFFERS: independent of the machine's load) and recall per kind. --variants compares
// several builds of the SQL query by query, interleaved, so that every variant sees the same load: each
// variant is a list of environment settings, and SEARCH_MODULE=<file> takes searchSql from a copy of
// search.ts next to the real one, e.g. the last commit's:
//   git show HEAD:apps/server/src/modules/patients/search.ts > apps/server/src/modules/patients/.search-before.ts
//   npx tsx bench/patient-search-analyze.ts sql --variants "SEARCH_MODULE=.search-before.ts;"
// (delete the copy afterwards). `explain`: the plans of the slowest queries, or of one. `app`: the service
// path (runSearch in its own transaction, an audit entry alone, searchPatients in
// one transaction as on PGlite, and on the session-settings pool as the route calls it on PostgreSQL).
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { PatientSearchQuery } from '@newhms/contracts';
import { PgDialect } from 'drizzle-orm/pg-core';
import pg from 'pg';
import * as current from '../apps/server/src/modules/patients/search';
import { recordAudit } from '../apps/server/src/platform/audit/audit.service';
import { systemCtx } from '../apps/server/src/platform/context';
import { FieldCipher } from '../apps/server/src/platform/crypto/field-cipher';
import { openDatabase } from '../apps/server/src/platform/db/database';
import { type KeptDatabase, keptDatabaseFile } from './patient-search-db';
import { buildQueryMix, PATIENT_SEARCH_SEED } from './patient-search-queries';
import { stats } from './sql-latency';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    name: { type: 'string', default: 'newhms_bench_search_keep' },
    runs: { type: 'string', default: '3' },
    kind: { type: 'string' },
    /** Another search.ts to measure (a copy next to the real one, e.g. the last commit's). */
    search: { type: 'string' },
    /** explain: this query text only. */
    q: { type: 'string' },
    /** sql: variants to compare, separated by ';', each as environment settings ("A=1 B=2"). */
    variants: { type: 'string' },
    top: { type: 'string', default: '5' },
  },
});
const searchModule: typeof current = values.search
  ? await import(new URL(`../apps/server/src/modules/patients/${values.search}`, import.meta.url).href)
  : current;
const { interpret, runSearch, searchPatients } = searchModule;
// The last commit's search.ts has no SEARCH_SETTINGS: the settings it made by hand.
const SEARCH_SETTINGS: readonly (readonly [string, string])[] = searchModule.SEARCH_SETTINGS ?? [
  ['pg_trgm.word_similarity_threshold', '0.6'],
  ['pg_trgm.similarity_threshold', '0.5'],
  ['enable_seqscan', 'off'],
];
const modules = new Map<string, typeof current>();
for (const m of (values.variants ?? '').matchAll(/SEARCH_MODULE=([^\s;]+)/g)) {
  modules.set(
    m[1]!,
    await import(new URL(`../apps/server/src/modules/patients/${m[1]}`, import.meta.url).href),
  );
}
const kept = JSON.parse(readFileSync(keptDatabaseFile(values.name), 'utf8')) as KeptDatabase;
const cipher = new FieldCipher(Buffer.from(kept.dataKey, 'base64'));
const queries = buildQueryMix(kept.sample, 1000, PATIENT_SEARCH_SEED).filter(
  (q) => !values.kind || q.kind === values.kind,
);
const dialect = new PgDialect();
const runs = Math.max(1, Number(values.runs));
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

type Prepared = {
  kind: string;
  q: string;
  birthYear?: number;
  patientId: string;
  text: string;
  params: unknown[];
};
/** The statements of one variant: environment settings applied while searchSql builds them ("" = as is). */
function prepare(variant: string): Prepared[] {
  const saved = { ...process.env };
  // SEARCH_MODULE=<file> in a variant: that search.ts copy (loaded up front) builds this variant's SQL.
  const chosen = /SEARCH_MODULE=([^\s;]+)/.exec(variant)?.[1];
  const { interpret, searchSql } = chosen ? modules.get(chosen)! : searchModule;
  for (const kv of variant.split(/\s+/).filter(Boolean)) {
    const [k, v] = kv.split('=') as [string, string];
    process.env[k] = v;
  }
  try {
    return queries.flatMap((q) => {
      const query = PatientSearchQuery.parse({ q: q.q, birthYear: q.birthYear });
      const i = interpret(query.q, cipher);
      if (
        !i.mrn &&
        !i.phoneDigits &&
        i.identifierHashes.length === 0 &&
        !i.name &&
        i.phoneticKeys.length === 0
      )
        return [];
      const { sql, params } = dialect.sqlToQuery(searchSql(i, query));
      return [{ ...q, text: sql, params }];
    });
  } finally {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  }
}
const variants = (values.variants ?? '').split(';').map((v) => v.trim());
const prepared = prepare(variants[0]!);

// The last commit's SQL also used `%` with pg_trgm.similarity_threshold 0.5; harmless for the SQL of now.
const settings = `select set_config('pg_trgm.similarity_threshold', '0.5', false), ${SEARCH_SETTINGS.map(([k, v]) => `set_config('${k}', '${v}', false)`).join(', ')}`;

function pct(a: number, b: number) {
  return `${Math.round((100 * a) / b)}%`;
}

/**
 * Every variant's statement for a query runs right after the others' (min of --runs each), so that all
 * variants see the same load; then latency, server CPU, buffers and recall per kind, per variant.
 */
async function sqlMode() {
  const c = new pg.Client({ connectionString: kept.url });
  await c.connect();
  await c.query(settings);
  console.log(`load before: ${load()}`);
  // The server process's own CPU time (/proc/<pid>/schedstat, ns): unlike the wall time, it does not grow
  // while the process waits for a CPU that other work holds (it still does with cache and SMT contention).
  const [{ pid }] = (await c.query<{ pid: number }>('select pg_backend_pid() as pid')).rows as [
    { pid: number },
  ];
  const schedstat = `/proc/${pid}/schedstat`;
  const cpuNs = () =>
    existsSync(schedstat) ? Number(readFileSync(schedstat, 'utf8').split(' ')[0]) : Number.NaN;
  const sets = variants.map(prepare);
  for (const set of sets) for (const p of set) await c.query(p.text, p.params); // warm pass
  type R = { ms: number; cpu: number; buffers: number; found: boolean; first: boolean; results: number };
  const byKind = sets.map(() => new Map<string, R[]>());
  const slow = sets.map(() => [] as { ms: number; p: Prepared }[]);
  for (let n = 0; n < sets[0]!.length; n++) {
    for (let v = 0; v < sets.length; v++) {
      const p = sets[v]![n]!;
      let best = Number.POSITIVE_INFINITY;
      let cpu = Number.POSITIVE_INFINITY;
      let rows: { id: string }[] = [];
      for (let r = 0; r < runs; r++) {
        const c0 = cpuNs();
        const t0 = performance.now();
        const res = await c.query<{ id: string }>(p.text, p.params);
        best = Math.min(best, performance.now() - t0);
        cpu = Math.min(cpu, (cpuNs() - c0) / 1e6);
        rows = res.rows;
      }
      const plan = await c.query<{ 'QUERY PLAN': { Plan: Record<string, number> }[] }>(
        `explain (analyze, buffers, format json) ${p.text}`,
        p.params,
      );
      const top = plan.rows[0]!['QUERY PLAN'][0]!.Plan;
      const buffers = (top['Shared Hit Blocks'] ?? 0) + (top['Shared Read Blocks'] ?? 0);
      const found = rows.some((r) => r.id === p.patientId);
      let first = rows[0]?.id === p.patientId;
      if (!first && rows[0]) {
        const names = await c.query('select search_name from patients.patients where id = any($1::uuid[])', [
          [rows[0].id, p.patientId],
        ]);
        first = names.rows.length === 2 && names.rows[0].search_name === names.rows[1].search_name;
      }
      const list = byKind[v]!.get(p.kind) ?? [];
      list.push({ ms: best, cpu, buffers, found, first, results: rows.length });
      byKind[v]!.set(p.kind, list);
      slow[v]!.push({ ms: cpu, p });
    }
  }
  console.log(`load after: ${load()}`);
  const line = (kind: string, rs: R[]) => {
    const s = stats(rs.map((r) => r.ms));
    const b = stats(rs.map((r) => r.buffers));
    const u = stats(rs.map((r) => r.cpu));
    return `| ${kind} | ${rs.length} | ${s.p50} | ${s.p99} | ${s.max} | ${rs.filter((r) => r.ms > 25).length} | ${u.p50} | ${u.p99} | ${u.max} | ${b.p50} | ${b.p99} | ${b.max} | ${pct(rs.filter((r) => r.found).length, rs.length)} / ${pct(rs.filter((r) => r.first).length, rs.length)} | ${(rs.reduce((a, r) => a + r.results, 0) / rs.length).toFixed(1)} |`;
  };
  for (let v = 0; v < sets.length; v++) {
    console.log(`\nvariant ${v}: ${variants[v] || '(as is)'}`);
    console.log(
      '| kind | n | p50 ms | p99 ms | max ms | > 25 ms | server CPU p50 | CPU p99 | CPU max | buffers p50 | buffers p99 | buffers max | found / first | results |',
    );
    console.log('| --- | --: | --: | --: | --: | --: | --: | --: | --: | --: | --: | --: | --: | --: |');
    for (const [kind, rs] of [...byKind[v]!.entries()].sort()) console.log(line(kind, rs));
    console.log(line('all', [...byKind[v]!.values()].flat()));
    slow[v]!.sort((a, b) => b.ms - a.ms);
    for (const s of slow[v]!.slice(0, Number(values.top))) {
      console.log(
        `slow (server CPU): ${s.ms.toFixed(1)} ms ${s.p.kind}: "${s.p.q}"${s.p.birthYear ? ` ${s.p.birthYear}` : ''}`,
      );
    }
  }
  await c.end();
}

async function explainMode() {
  const c = new pg.Client({ connectionString: kept.url });
  await c.connect();
  await c.query(settings);
  const timed: { ms: number; p: Prepared }[] = [];
  for (const p of prepared) await c.query(p.text, p.params);
  for (const p of prepared) {
    const t0 = performance.now();
    await c.query(p.text, p.params);
    timed.push({ ms: performance.now() - t0, p });
  }
  timed.sort((a, b) => b.ms - a.ms);
  const chosen = values.q ? timed.filter((t) => t.p.q === values.q) : timed.slice(0, Number(values.top));
  for (const { ms, p } of chosen) {
    console.log(
      `\n=== ${ms.toFixed(1)} ms ${p.kind}: "${p.q}"${p.birthYear ? ` birth year ${p.birthYear}` : ''}`,
    );
    const plan = await c.query(`explain (analyze, buffers, settings) ${p.text}`, p.params);
    for (const r of plan.rows) console.log(r['QUERY PLAN']);
  }
  await c.end();
}

async function appMode() {
  const database = await openDatabase({ url: kept.url, poolSize: 2 });
  const ctx = systemCtx(database.db, 'search-analysis');
  const parts = {
    'runSearch (own transaction)': [] as number[],
    'audit entry (autocommit)': [] as number[],
    'searchPatients in one transaction (PGlite path)': [] as number[],
    'searchPatients on the session-settings pool (as the route calls it)': [] as number[],
  };
  const searchDb = database.sessionWith(current.SEARCH_SESSION_SETTINGS);
  console.log(`load before: ${load()}`);
  for (let r = 0; r < runs; r++) {
    for (const q of queries) {
      const query = PatientSearchQuery.parse({ q: q.q, birthYear: q.birthYear });
      const i = interpret(query.q, cipher);
      let t0 = performance.now();
      await database.db.transaction((tx) => runSearch(tx, i, query, new Date()));
      parts['runSearch (own transaction)'].push(performance.now() - t0);
      t0 = performance.now();
      await recordAudit(database.db, ctx, {
        action: 'search',
        resourceType: 'Patient',
        detail: { q: 'x', results: 1 },
      });
      parts['audit entry (autocommit)'].push(performance.now() - t0);
      t0 = performance.now();
      await searchPatients({ ...ctx, now: new Date() }, cipher, query);
      parts['searchPatients in one transaction (PGlite path)'].push(performance.now() - t0);
      t0 = performance.now();
      await searchPatients({ ...ctx, now: new Date() }, cipher, query, searchDb);
      parts['searchPatients on the session-settings pool (as the route calls it)'].push(
        performance.now() - t0,
      );
    }
  }
  console.log(`load after: ${load()}`);
  for (const [k, v] of Object.entries(parts)) {
    const s = stats(v);
    console.log(`${k}: p50 ${s.p50} / p99 ${s.p99} / max ${s.max} ms (${s.count})`);
  }
  await database.close();
}

if (positionals[0] === 'sql') await sqlMode();
else if (positionals[0] === 'explain') await explainMode();
else if (positionals[0] === 'app') await appMode();
else throw new Error('usage: patient-search-analyze.ts sql|explain|app --name <kept database>');
