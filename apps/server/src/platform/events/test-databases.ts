import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type Database, openDatabase } from '../db/database';
import { runMigrations } from '../db/migrate';

/** A fresh, migrated database for one test file, and how to throw it away. */
export type TestDatabase = { database: Database; url?: string; dispose(): Promise<void> };

/** An in-memory PGlite database with every migration applied. */
export async function openTestPglite(): Promise<TestDatabase> {
  const database = await openDatabase({ dataDir: 'memory://' });
  await runMigrations(database);
  return { database, dispose: () => database.close() };
}

/** An empty database on the TEST_DATABASE_URL server (created here, dropped by dispose). */
export async function createEmptyPostgresDatabase(
  serverUrl: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `newhms_t_${randomBytes(6).toString('hex')}`;
  const admin = new URL(serverUrl);
  admin.pathname = '/postgres';
  const run = async (statement: string) => {
    const client = new pg.Client({ connectionString: admin.toString() });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await run(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => run(`drop database if exists ${name} with (force)`) };
}

/** A fresh PostgreSQL database on the TEST_DATABASE_URL server, migrated. */
export async function openTestPostgres(serverUrl: string, poolSize = 10): Promise<TestDatabase> {
  const { url, drop } = await createEmptyPostgresDatabase(serverUrl);
  const database = await openDatabase({ url, poolSize });
  await runMigrations(database);
  return {
    database,
    url,
    async dispose() {
      await database.close();
      await drop();
    },
  };
}
