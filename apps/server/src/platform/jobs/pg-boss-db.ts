import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import type PgBoss from 'pg-boss';
import type { Database } from '../db/database';

/**
 * The database pg-boss talks to: the server's own pool on PostgreSQL, the one PGlite connection
 * otherwise, so that jobs need no second connection string and no second pool.
 */
export function pgBossDb(database: Database): PgBoss.Db {
  // Drizzle keeps the driver client it was built with; Database does not expose it otherwise.
  const client = (database.db as unknown as { $client: pg.Pool | PGlite }).$client;
  if (database.kind === 'postgres') {
    const pool = client as pg.Pool;
    return { executeSql: (text, values) => pool.query(text, values) };
  }
  const pglite = client as PGlite;
  return {
    async executeSql(text, values) {
      if (values && values.length > 0) return pglite.query(text, values);
      // pg-boss sends its DDL and its locked commands as one multi-statement string
      // ("BEGIN; SET LOCAL ...; SELECT pg_advisory_xact_lock(...); ...; COMMIT"). PGlite's query() speaks
      // the extended protocol, which takes one statement ("cannot insert multiple commands into a prepared
      // statement"); exec() takes many, but a failure between BEGIN and COMMIT would leave the only
      // connection in an aborted transaction for every other caller. Inside transaction(), PGlite rolls
      // such a failure back (the inner BEGIN/COMMIT are then a warning and the commit).
      const results = await pglite.transaction((tx) => tx.exec(text));
      return { rows: results.at(-1)?.rows ?? [] };
    },
  };
}
