import { randomUUID } from 'node:crypto';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { copyDatabase } from '../../apps/server/test/database-template';

/**
 * The migrated and seeded database the servers of a run start from: an embedded (PGlite) data directory (the
 * default, and CI's), or a database on a PostgreSQL server (E2E_DATABASE_URL): the stories against the
 * production setup. Measured on 2 CPUs it is no faster, as Chromium takes most of the CPU either way.
 */
export type Template = { dir: string } | { url: string };

/** One server's own database: the environment that points the server at it, and its removal. */
export type DatabaseCopy = { env: Record<string, string>; dispose: () => Promise<void> };

/** A PostgreSQL URL with another database name. */
function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function onServer<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: withDatabase(url, 'postgres') });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** A new, empty database on the server of `serverUrl` for the template; the server migrates and seeds it. */
export async function createTemplateDatabase(serverUrl: string): Promise<string> {
  const name = `newhms_e2e_${randomUUID().slice(0, 8)}`;
  await onServer(serverUrl, (c) => c.query(`create database ${name}`));
  return withDatabase(serverUrl, name);
}

/** Drops the template and every copy of it a killed run left behind. */
export async function dropTemplateDatabase(templateUrl: string): Promise<void> {
  const name = new URL(templateUrl).pathname.slice(1);
  await onServer(templateUrl, async (c) => {
    const left = await c.query<{ datname: string }>(
      `select datname from pg_database where datname = $1 or datname like $2`,
      [name, `${name.replace(/_/g, '\\_')}\\_%`],
    );
    for (const { datname } of left.rows) await c.query(`drop database if exists ${datname} with (force)`);
  });
}

/** A fresh copy of the template for one server, with a data directory of its own for its other local state. */
export async function copyOf(template: Template): Promise<DatabaseCopy> {
  const dataDir = await mkdtemp(join(tmpdir(), 'newhms-e2e-'));
  if ('dir' in template) {
    await cp(template.dir, dataDir, { recursive: true });
    return {
      env: { NEWHMS_DATA_DIR: dataDir },
      dispose: () => rm(dataDir, { recursive: true, force: true }),
    };
  }
  const templateName = new URL(template.url).pathname.slice(1);
  const name = `${templateName}_${randomUUID().slice(0, 8)}`;
  await onServer(template.url, (c) => copyDatabase(c, name, templateName));
  return {
    env: {
      NEWHMS_DATA_DIR: dataDir,
      DATABASE_URL: withDatabase(template.url, name),
      DATABASE_POOL_SIZE: '5',
    },
    dispose: async () => {
      await onServer(template.url, (c) => c.query(`drop database if exists ${name} with (force)`));
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
