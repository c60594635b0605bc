import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort, spawnServer } from './support/server';

/**
 * Migrates and seeds one embedded database by starting the real server once, then stops it: each test file's
 * server starts on a copy (about 5 s less per file than migrating from scratch). Any failure here leaves the
 * files to start from scratch.
 */
export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'newhms-e2e-template-'));
  const server = spawnServer(dir, await freePort());
  try {
    await server.ready();
    await server.stop();
    project.provide('e2eTemplateDir', dir);
  } catch (err) {
    await server.stop();
    console.warn(`e2e template database not made, each file migrates its own: ${String(err)}`);
    project.provide('e2eTemplateDir', '');
  }
  return () => rmSync(dir, { recursive: true, force: true });
}
