import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { createTemplateDatabase, dropTemplateDatabase, type Template } from './support/database-copy';
import { plannedServers, whenPlanned } from './support/sequencer';
import { freePort, spawnServer } from './support/server';
import { type ServerPool, startServerPool } from './support/server-pool';

/**
 * Migrates and seeds one database by starting the real server once, then stops it: each test file's server
 * starts on a copy (about 5 s less per file than migrating from scratch). The database is embedded (PGlite, a
 * data directory) unless E2E_DATABASE_URL names a PostgreSQL server, where the template and each file's copy
 * are databases of their own (`CREATE DATABASE ... TEMPLATE`), dropped at the end.
 * Then keeps servers on copies started ahead of the files (support/server-pool.ts), one per worker and one
 * more, so that a file does not wait 10-15 s for its own (E2E_SERVER_POOL=0 turns that off). Any failure here
 * leaves the files to start their own servers, from scratch.
 */
export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'newhms-e2e-template-'));
  const serverUrl = process.env.E2E_DATABASE_URL;
  const templateUrl = serverUrl ? await createTemplateDatabase(serverUrl) : undefined;
  const template: Template = templateUrl ? { url: templateUrl } : { dir };
  const server = spawnServer(await freePort(), {
    NEWHMS_DATA_DIR: dir,
    ...(templateUrl ? { DATABASE_URL: templateUrl, DATABASE_POOL_SIZE: '2' } : {}),
  });
  let made = false;
  let pool: ServerPool | undefined;
  try {
    await server.ready();
    await server.stop();
    made = true;
  } catch (err) {
    await server.stop();
    console.warn(`e2e template database not made, each file migrates its own: ${String(err)}`);
  }
  project.provide('e2eTemplate', made ? template : null);
  if (made && process.env.E2E_SERVER_POOL !== '0') {
    pool = await startServerPool({
      template,
      // One more than the workers: near the end short files come one after the other, faster than a server starts.
      spares: Math.max(1, project.globalConfig.maxWorkers) + 1,
      expectedClaims: plannedServers,
    });
    // Once the sequencer knows the files to run (at once if it already does); a claim before that starts one.
    const started = pool;
    whenPlanned(() => started.refill());
  }
  project.provide('e2eServerPool', pool?.url ?? '');
  return async () => {
    await pool?.close();
    if (templateUrl) await dropTemplateDatabase(templateUrl);
    rmSync(dir, { recursive: true, force: true });
  };
}
