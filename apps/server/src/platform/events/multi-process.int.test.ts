import { type ChildProcess, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { migrationsFolder } from '../db/migrate';
import { rowsOf } from '../db/raw-rows';
import { appendEvent, EventRegistry } from './outbox';
import { createEmptyPostgresDatabase, openTestPostgres } from './test-databases';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

/** Starts a server-like child process (TypeScript through tsx) and waits until it says ready. */
async function spawnWorker(script: string, env: Record<string, string>): Promise<ChildProcess> {
  const child = fork(fixture(script), {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('message', (m) => (m === 'ready' ? resolve() : reject(new Error(String(m)))));
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before it was ready`)));
  });
  return child;
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });

async function until(probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.runIf(process.env.TEST_DATABASE_URL)(
  'several server processes on one PostgreSQL (needs TEST_DATABASE_URL)',
  () => {
    const serverUrl = process.env.TEST_DATABASE_URL!;
    const children: ChildProcess[] = [];
    afterAll(() => {
      for (const child of children) if (child.exitCode === null) child.kill();
    });

    it('two dispatcher processes handle each (event, subscriber) exactly once and share the work', async () => {
      const t = await openTestPostgres(serverUrl);
      try {
        await t.database.query('create schema test_effects');
        await t.database.query(`create table test_effects.handled (
        event_id uuid not null, subscriber text not null, times int not null default 1, worker text not null,
        primary key (event_id, subscriber))`);
        const subscribers = ['billing-charges', 'notifications-sms'];
        const type = 'laboratory.result.finalized';
        const env = { DATABASE_URL: t.url!, SUBSCRIBERS: subscribers.join(','), EVENT_TYPE: type };
        const workers = await Promise.all([
          spawnWorker('dispatcher-worker.ts', { ...env, WORKER_ID: 'worker-a' }),
          spawnWorker('dispatcher-worker.ts', { ...env, WORKER_ID: 'worker-b' }),
        ]);
        children.push(...workers);

        // The writing side knows the subscribers (to create their deliveries) but dispatches nothing.
        const registry = new EventRegistry();
        for (const s of subscribers) registry.subscribe(s, [type], async () => {});
        const started = performance.now();
        for (let batch = 0; batch < 50; batch++) {
          await t.database.db.transaction(async (tx) => {
            for (let i = 0; i < 10; i++) await appendEvent(tx, registry, { type, payload: { batch, i } });
          });
        }
        await until(async () => {
          const [row] = await t.database.query<{ n: number }>(
            `select count(*)::int as n from events.deliveries where status <> 'done'`,
          );
          return row!.n === 0;
        }, 60_000);
        const elapsedMs = performance.now() - started;
        for (const w of workers) w.send('stop');
        expect(await Promise.all(workers.map(exited))).toEqual([0, 0]);

        const [totals] = await rowsOf<{ pairs: number; max_times: number; events: number }>(
          t.database.db,
          sql`select count(*)::int as pairs, max(times)::int as max_times, count(distinct event_id)::int as events
              from test_effects.handled`,
        );
        expect(totals).toEqual({ pairs: 1000, max_times: 1, events: 500 });
        const byWorker = await t.database.query<{ worker: string; n: number }>(
          `select worker, count(*)::int as n from test_effects.handled group by worker order by worker`,
        );
        expect(byWorker.map((w) => w.worker)).toEqual(['worker-a', 'worker-b']);
        const handledBy = await t.database.query<{ handled_by: string; n: number }>(
          `select handled_by, count(*)::int as n from events.deliveries group by handled_by order by handled_by`,
        );
        expect(handledBy).toEqual(byWorker.map((w) => ({ handled_by: w.worker, n: w.n })));
        console.info(
          `1000 deliveries by 2 processes in ${elapsedMs.toFixed(0)} ms: ${byWorker.map((w) => `${w.worker} ${w.n}`).join(', ')}`,
        );
      } finally {
        await t.dispose();
      }
    });

    it('two processes migrating a fresh database at once both succeed, and the schema is complete', async () => {
      const { url, drop } = await createEmptyPostgresDatabase(serverUrl);
      try {
        const migrators = await Promise.all([
          spawnWorker('migrate-worker.ts', { DATABASE_URL: url }),
          spawnWorker('migrate-worker.ts', { DATABASE_URL: url }),
        ]);
        children.push(...migrators);
        for (const m of migrators) m.send('go');
        expect(await Promise.all(migrators.map(exited))).toEqual([0, 0]);

        const { openDatabase } = await import('../db/database');
        const database = await openDatabase({ url, poolSize: 1 });
        try {
          const journal = JSON.parse(readFileSync(`${migrationsFolder}/meta/_journal.json`, 'utf8')) as {
            entries: unknown[];
          };
          const [applied] = await database.query<{ n: number }>(
            'select count(*)::int as n from drizzle.__drizzle_migrations',
          );
          expect(applied!.n).toBe(journal.entries.length);
          const tables = await database.query<{ name: string }>(
            `select table_schema || '.' || table_name as name from information_schema.tables
            where table_schema in ('events', 'audit', 'auth') order by 1`,
          );
          expect(tables.map((r) => r.name)).toEqual(
            expect.arrayContaining([
              'events.outbox',
              'events.deliveries',
              'audit.entries',
              'auth.login_challenges',
            ]),
          );
        } finally {
          await database.close();
        }
      } finally {
        await drop();
      }
    });
  },
);
