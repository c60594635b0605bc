// A kept patient-search database for manual analysis (EXPLAIN, variants of the SQL), outside `npm run bench`:
//
//   npx tsx bench/patient-search-db.ts create --name newhms_bench_search_keep [--patients 1000000]
//   npx tsx bench/patient-search-db.ts drop --name newhms_bench_search_keep
//
// `create` makes the database on TEST_DATABASE_URL/DATABASE_URL's server, migrates it, loads the generated
// patients exactly as the bench does (same seed, same loader) and writes the data key and the sampled
// patients next to it (/tmp/<name>.json), so that bench/patient-search-analyze.ts can rebuild the bench's
// query mix without loading again. `drop` removes both. Nothing else on the server is touched.
import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { FieldCipher } from '../apps/server/src/platform/crypto/field-cipher';
import { openDatabase } from '../apps/server/src/platform/db/database';
import { runMigrations } from '../apps/server/src/platform/db/migrate';
import { ensureDefaultFacility } from '../apps/server/src/platform/organization/organization.service';
import { loadPatients, type SampledPatient } from './patient-data';
import { PATIENT_SEARCH_SEED } from './patient-search-queries';

export type KeptDatabase = { url: string; dataKey: string; patients: number; sample: SampledPatient[] };

export function keptDatabaseFile(name: string): string {
  return `/tmp/${name}.json`;
}

function adminUrl(): string {
  const url = process.env.DATABASE_URL || process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('set TEST_DATABASE_URL (or DATABASE_URL) to a PostgreSQL server');
  return url;
}

function urlOf(name: string): string {
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin(statement: string): Promise<void> {
  const c = new pg.Client({ connectionString: adminUrl() });
  await c.connect();
  try {
    await c.query(statement);
  } finally {
    await c.end();
  }
}

async function main() {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { name: { type: 'string' }, patients: { type: 'string', default: '1000000' } },
  });
  const command = positionals[0];
  const name = values.name ?? '';
  // Only names of the bench's own pattern: this script must never drop anything else.
  if (!/^newhms_bench_[a-z0-9_]+$/.test(name)) throw new Error('--name must match newhms_bench_[a-z0-9_]+');
  if (command === 'drop') {
    await admin(`drop database if exists "${name}" with (force)`);
    rmSync(keptDatabaseFile(name), { force: true });
    console.log(`dropped ${name}`);
    return;
  }
  if (command !== 'create') throw new Error('usage: patient-search-db.ts create|drop --name <name>');
  const count = Number(values.patients);
  await admin(`create database "${name}"`);
  const url = urlOf(name);
  await admin(`alter database "${name}" set maintenance_work_mem = '512MB'`);
  const dataKey = randomBytes(32).toString('base64');
  const cipher = new FieldCipher(Buffer.from(dataKey, 'base64'));
  const database = await openDatabase({ url, poolSize: 2 });
  try {
    await runMigrations(database);
    const facilityId = await ensureDefaultFacility(database.db);
    const loaded = await loadPatients(
      { query: (text, params) => database.query(text, params), parallel: 2 },
      {
        count,
        seed: PATIENT_SEARCH_SEED,
        cipher,
        facilityId,
        now: new Date(),
        samples: 2000,
        log: (line) => console.log(line),
      },
    );
    const kept: KeptDatabase = { url, dataKey, patients: loaded.patients, sample: loaded.sample };
    writeFileSync(keptDatabaseFile(name), JSON.stringify(kept));
    console.log(
      `${name}: ${loaded.patients} patients in ${loaded.seconds.total.toFixed(0)} s; ${loaded.tableSizes}; ` +
        `key and sample in ${keptDatabaseFile(name)}`,
    );
  } finally {
    await database.close();
  }
}

// Run as a script (not when the analysis script imports the helpers above).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
