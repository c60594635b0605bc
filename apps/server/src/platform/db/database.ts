import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { fuzzystrmatch } from '@electric-sql/pglite/contrib/fuzzystrmatch';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import type { ExtractTablesWithRelations } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';

type NoSchema = Record<string, never>;
/** The one Drizzle handle the whole server uses, whichever database is behind it. */
export type Db = PgDatabase<PgQueryResultHKT, NoSchema>;
/** A transaction (or the database itself where a function may run inside or outside one). */
export type Tx = PgTransaction<PgQueryResultHKT, NoSchema, ExtractTablesWithRelations<NoSchema>>;
export type DbOrTx = Db | Tx;

export type Database = {
  readonly kind: 'pglite' | 'postgres';
  readonly db: Db;
  /** Runs plain SQL with parameters and returns the rows. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Subscribes to a NOTIFY channel; returns the unsubscribe function. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  notify(channel: string, payload: string): Promise<void>;
  /** Runs fn holding a session-level advisory lock (on one connection). */
  withAdvisoryLock<T>(key: number, fn: (db: Db) => Promise<T>): Promise<T>;
  /**
   * A handle whose connections carry these settings for their whole session (PostgreSQL: a small pool of
   * its own, the settings sent as startup options, so a statement needs no transaction and no SET round
   * trip to have them). Null on PGlite, whose one connection is shared: set them in a transaction there.
   */
  sessionWith(settings: SessionSettings): Db | null;
  close(): Promise<void>;
};

/** Server settings as name/value pairs (`enable_seqscan`, `off`). */
export type SessionSettings = readonly (readonly [string, string])[];

/** The libpq `options` startup parameter for these settings (`-c name=value`, spaces escaped). */
export function startupOptions(settings: SessionSettings): string {
  return settings
    .map(([name, value]) => {
      if (!/^[a-z_][a-z0-9_.]*$/i.test(name)) throw new Error(`not a setting name: ${name}`);
      return `-c ${name}=${value.replace(/\\/g, '\\\\').replace(/ /g, '\\ ')}`;
    })
    .join(' ');
}

/** The extensions Newhms needs, loaded explicitly into PGlite and created by the first migration. */
export const pgliteExtensions = { pg_trgm, btree_gist, fuzzystrmatch };

export type OpenDatabaseOptions =
  | { url: string; poolSize?: number }
  | { dataDir: string }
  | { pglite: PGlite };

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  if ('url' in options) return openPostgres(options.url, options.poolSize ?? 10);
  let client: PGlite;
  if ('pglite' in options) client = options.pglite;
  else {
    if (!options.dataDir.startsWith('memory://')) mkdirSync(options.dataDir, { recursive: true });
    client = await PGlite.create({ dataDir: options.dataDir, extensions: pgliteExtensions });
  }
  return wrapPglite(client);
}

function wrapPglite(client: PGlite): Database {
  const db = drizzlePglite(client) as unknown as Db;
  return {
    kind: 'pglite',
    db,
    async query<T>(sql: string, params: unknown[] = []) {
      const r = await client.query<T>(sql, params);
      return r.rows;
    },
    async listen(channel, onPayload) {
      const unsub = await client.listen(channel, onPayload);
      return async () => unsub();
    },
    async notify(channel, payload) {
      await client.query('select pg_notify($1, $2)', [channel, payload]);
    },
    // PGlite is one connection in one process: nothing else can race it.
    async withAdvisoryLock(_key, fn) {
      return fn(db);
    },
    sessionWith: () => null,
    async close() {
      if (!client.closed) await client.close();
    },
  };
}

/** The LISTEN connection's name in pg_stat_activity. */
export const LISTEN_APPLICATION_NAME = 'newhms-listen';
const LISTEN_RETRY_MIN_MS = 500;
const LISTEN_RETRY_MAX_MS = 30_000;
const listenStatement = (channel: string) => `listen "${channel.replaceAll('"', '')}"`;

function openPostgres(url: string, poolSize: number): Database {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle client that errors (server restart) must not crash the process.
  pool.on('error', () => {});
  const db = drizzleNodePg(pool) as unknown as Db;
  const listeners = new Map<string, Set<(p: string) => void>>();
  let listenClient: pg.Client | undefined;
  let connecting: Promise<pg.Client> | undefined;
  let reconnectTimer: NodeJS.Timeout | undefined;
  let reconnectDelayMs = LISTEN_RETRY_MIN_MS;
  let closed = false;
  const settingPools = new Map<string, { pool: pg.Pool; db: Db }>();

  /**
   * The one connection that LISTENs. When it is lost (a server restart, a terminated backend), it connects
   * again, with a growing pause, and LISTENs on every channel it had: before, the channels stayed silent until
   * the process restarted. What was notified while it was away is lost: NOTIFY is a wake-up here (the event
   * dispatcher also polls; a live board catches up with the next change or when its page reconnects).
   */
  async function getListenClient(): Promise<pg.Client> {
    if (listenClient) return listenClient;
    connecting ??= (async () => {
      const c = new pg.Client({ connectionString: url, application_name: LISTEN_APPLICATION_NAME });
      c.on('notification', (msg) => {
        for (const fn of listeners.get(msg.channel) ?? []) fn(msg.payload ?? '');
      });
      const lost = () => {
        if (listenClient === c) listenClient = undefined;
        connecting = undefined;
        scheduleReconnect();
      };
      c.on('error', lost);
      c.on('end', lost);
      try {
        await c.connect();
        for (const channel of listeners.keys()) await c.query(listenStatement(channel));
      } catch (e) {
        connecting = undefined;
        c.removeAllListeners('end');
        await c.end().catch(() => {});
        throw e;
      }
      listenClient = c;
      reconnectDelayMs = LISTEN_RETRY_MIN_MS;
      return c;
    })();
    return connecting;
  }

  function scheduleReconnect() {
    if (closed || reconnectTimer || listeners.size === 0) return;
    reconnectTimer = setTimeout(() => {
      reconnectTimer = undefined;
      getListenClient().catch(() => {
        reconnectDelayMs = Math.min(reconnectDelayMs * 2, LISTEN_RETRY_MAX_MS);
        scheduleReconnect();
      });
    }, reconnectDelayMs);
    reconnectTimer.unref();
  }

  return {
    kind: 'postgres',
    db,
    async query<T>(sql: string, params: unknown[] = []) {
      const r = await pool.query(sql, params);
      return r.rows as T[];
    },
    async listen(channel, onPayload) {
      const c = await getListenClient();
      let set = listeners.get(channel);
      if (!set) {
        set = new Set();
        listeners.set(channel, set);
        await c.query(listenStatement(channel));
      }
      set.add(onPayload);
      return async () => {
        set.delete(onPayload);
      };
    },
    async notify(channel, payload) {
      await pool.query('select pg_notify($1, $2)', [channel, payload]);
    },
    async withAdvisoryLock(key, fn) {
      const client = await pool.connect();
      try {
        await client.query('select pg_advisory_lock($1)', [key]);
        try {
          return await fn(drizzleNodePg(client) as unknown as Db);
        } finally {
          await client.query('select pg_advisory_unlock($1)', [key]);
        }
      } finally {
        client.release();
      }
    },
    sessionWith(settings) {
      const options = startupOptions(settings);
      let entry = settingPools.get(options);
      if (!entry) {
        // Half the main pool: these serve one kind of read (the search box), not the whole server.
        const settingPool = new pg.Pool({
          connectionString: url,
          max: Math.max(2, Math.ceil(poolSize / 2)),
          options,
        });
        settingPool.on('error', () => {});
        entry = { pool: settingPool, db: drizzleNodePg(settingPool) as unknown as Db };
        settingPools.set(options, entry);
      }
      return entry.db;
    },
    async close() {
      closed = true;
      clearTimeout(reconnectTimer);
      await listenClient?.end().catch(() => {});
      await Promise.all([...settingPools.values()].map((p) => p.pool.end()));
      await pool.end();
    },
  };
}
