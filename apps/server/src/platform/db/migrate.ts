import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import type { Database } from './database';

export const migrationsFolder = fileURLToPath(new URL('../../../migrations', import.meta.url));
// Any fixed number: every replica that starts takes the same lock, so only one migrates at a time.
const MIGRATION_LOCK_KEY = 727_001;

/** Applies pending migrations under an advisory lock, so that replicas starting together do not race. */
export async function runMigrations(database: Database): Promise<void> {
  await database.withAdvisoryLock(MIGRATION_LOCK_KEY, async (db) => {
    if (database.kind === 'pglite')
      await migratePglite(db as unknown as PgliteDatabase, { migrationsFolder });
    else await migrateNodePg(db as unknown as NodePgDatabase, { migrationsFolder });
  });
}

function expectedMigrationCount(): number {
  const journal = JSON.parse(readFileSync(`${migrationsFolder}/meta/_journal.json`, 'utf8')) as {
    entries: unknown[];
  };
  return journal.entries.length;
}

/** True when every migration this build knows has been applied (used by /ready). */
export async function migrationsAreCurrent(database: Database): Promise<boolean> {
  try {
    const rows = await database.query<{ n: number }>(
      'select count(*)::int as n from drizzle.__drizzle_migrations',
    );
    return (rows[0]?.n ?? 0) >= expectedMigrationCount();
  } catch {
    return false;
  }
}
