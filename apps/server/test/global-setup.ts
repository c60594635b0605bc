import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { modules } from '../src/modules/index';
import { syncPermissions } from '../src/platform/access/access.service';
import { platformPermissionDeclarations } from '../src/platform/access/permissions';
import { openDatabase, pgliteExtensions } from '../src/platform/db/database';
import { migrationsFolder, runMigrations } from '../src/platform/db/migrate';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteDump: string;
    testDatabaseUrl: string;
  }
}

const modulesFolder = fileURLToPath(new URL('../src/modules', import.meta.url));

/** The cache key of the template database: the migrations and the reference data the modules ship. */
function migrationsHash(): string {
  const h = createHash('sha256');
  for (const f of readdirSync(migrationsFolder).sort()) {
    if (f.endsWith('.sql')) h.update(f).update(readFileSync(`${migrationsFolder}/${f}`));
  }
  // Every CSV a module ships (reference/, formulary/, catalog/...) and the loaders that read them.
  for (const f of (readdirSync(modulesFolder, { recursive: true }) as string[]).sort()) {
    if (/\.csv$|(reference|formulary|catalog)[^/]*\.ts$/.test(f) && !f.includes('.test.')) {
      h.update(f).update(readFileSync(`${modulesFolder}/${f}`));
    }
  }
  return h.digest('hex').slice(0, 16);
}

async function seedReference(database: Awaited<ReturnType<typeof openDatabase>>) {
  for (const m of modules) await m.seedReference?.(database.db);
}

const declarations = () => [...platformPermissionDeclarations, ...modules.flatMap((m) => m.permissions)];

/**
 * Migrates one template database for the whole run. PGlite: a data-dir dump that each test file loads
 * (cached by the hash of the migrations). PostgreSQL (TEST_DATABASE_URL): a fresh database that each test file copies (`harness.ts`), all dropped after.
 */
export default async function setup(project: TestProject) {
  const cacheDir = fileURLToPath(new URL('../../../node_modules/.cache/newhms', import.meta.url));
  mkdirSync(cacheDir, { recursive: true });
  const dumpPath = `${cacheDir}/pglite-${migrationsHash()}.tar.gz`;
  if (!existsSync(dumpPath)) {
    const client = await PGlite.create({ extensions: pgliteExtensions });
    const database = await openDatabase({ pglite: client });
    await runMigrations(database);
    await seedReference(database);
    const dump = await client.dumpDataDir('gzip');
    writeFileSync(dumpPath, Buffer.from(await dump.arrayBuffer()));
    await client.close();
  }
  project.provide('pgliteDump', dumpPath);

  const base = process.env.TEST_DATABASE_URL;
  if (!base) {
    project.provide('testDatabaseUrl', '');
    return;
  }
  const name = `newhms_test_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const database = await openDatabase({ url: url.toString() });
  await runMigrations(database);
  await seedReference(database);
  await syncPermissions(database.db, declarations());
  await database.close();
  project.provide('testDatabaseUrl', url.toString());
  return async () => {
    // The template, and any file's copy left behind by a file that failed before closing it.
    const { rows } = await admin.query<{ datname: string }>(
      `select datname from pg_database where datname = $1 or datname like $2`,
      [name, `${name}\\_%`],
    );
    for (const { datname } of rows) await admin.query(`drop database if exists ${datname} with (force)`);
    await admin.end();
  };
}
