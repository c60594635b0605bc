import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import { copyOf, type DatabaseCopy, type Template } from './database-copy';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export const ADMIN_EMAIL = 'admin@example.org';
export const ADMIN_PASSWORD = 'Correct-Horse-9!';

export type TestServer = {
  /** Where the browser goes: the web app and the API on one origin. */
  baseUrl: string;
  /** The server, for direct API calls in test set-up (the same origin as baseUrl). */
  serverUrl: string;
  adminEmail: string;
  adminPassword: string;
  stop: () => Promise<void>;
};

export type ServerOptions = {
  /** Roles whose holders must use MFA (NEWHMS_MFA_REQUIRED_ROLES); none by default. */
  mfaRequiredRoles?: string[];
  /** A port for the HL7 v2 (MLLP) listener of analyzer results (NEWHMS_HL7_PORT); off by default. */
  hl7Port?: number;
  /** The PACS viewer link template (NEWHMS_PACS_VIEWER_URL, with {studyUid} or {accession}); none by default. */
  pacsViewerUrl?: string;
};

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

async function waitForReady(url: string, child: ChildProcess, output: () => string, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}:\n${output()}`);
    try {
      const res = await fetch(`${url}/ready`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the server was not ready within ${timeoutMs / 1000} s:\n${output()}`);
}

export async function servesWebApp(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/`, { headers: { Accept: 'text/html' } });
    return res.ok && (res.headers.get('content-type') ?? '').includes('text/html');
  } catch {
    return false;
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** The database the server has already migrated and seeded (e2e/global-setup.ts), or null. */
    e2eTemplate: Template | null;
    /** The pool of servers started ahead on copies of the template (e2e/support/server-pool.ts), or ''. */
    e2eServerPool: string;
  }
}

/** What the global setup provided, or nothing (a script outside vitest starts from scratch). */
function provided<K extends 'e2eTemplate' | 'e2eServerPool'>(key: K) {
  try {
    return inject(key);
  } catch {
    return undefined;
  }
}

/**
 * Spawns tsx apps/server/src/main.ts on a port, with its database in `env` (NEWHMS_DATA_DIR, or DATABASE_URL);
 * `stop` ends the whole process group.
 */
export function spawnServer(port: number, env: Record<string, string>) {
  let log = '';
  const child = spawn(join(repoRoot, 'node_modules/.bin/tsx'), ['apps/server/src/main.ts'], {
    cwd: repoRoot,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      NEWHMS_ADMIN_EMAIL: ADMIN_EMAIL,
      NEWHMS_ADMIN_PASSWORD: ADMIN_PASSWORD,
      ...env,
    },
  });
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const stop = async () => {
    if (child.exitCode === null && child.pid) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      const timer = setTimeout(() => {
        try {
          if (child.pid) process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }, 10_000);
      await exited;
      clearTimeout(timer);
    }
  };
  /** Ends it at once (SIGKILL): for a server whose database is thrown away next. */
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null && child.pid) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      await exited;
    }
  };
  const ready = () => waitForReady(`http://127.0.0.1:${port}`, child, () => log);
  return { child, ready, stop, kill };
}

/**
 * A fresh server of the real app (tsx apps/server/src/main.ts) on its own embedded database and a free port,
 * for one test file. With the default options it comes from the pool the global setup keeps (started ahead, on a
 * copy of the migrated template); otherwise, or without a pool, it is started here, on a copy of the template
 * when there is one (saves the migrations), or from scratch.
 */
export async function startServer(options: ServerOptions = {}): Promise<TestServer> {
  const pool = provided('e2eServerPool');
  const defaults = !options.mfaRequiredRoles?.length && !options.hl7Port && !options.pacsViewerUrl;
  if (pool && defaults) return claimFromPool(pool);

  const template = provided('e2eTemplate');
  const copy: DatabaseCopy = template ? await copyOf(template) : await emptyDataDir();
  const port = await freePort();
  const serverUrl = `http://127.0.0.1:${port}`;
  const server = spawnServer(port, {
    ...copy.env,
    NEWHMS_MFA_REQUIRED_ROLES: (options.mfaRequiredRoles ?? []).join(','),
    ...(options.hl7Port ? { NEWHMS_HL7_PORT: String(options.hl7Port) } : {}),
    ...(options.pacsViewerUrl ? { NEWHMS_PACS_VIEWER_URL: options.pacsViewerUrl } : {}),
  });
  // The database is thrown away: no need for a graceful shutdown (PGlite's checkpoint takes seconds).
  const stopServer = async () => {
    await server.kill();
    await copy.dispose();
  };

  try {
    await server.ready();
  } catch (err) {
    await stopServer();
    throw err;
  }

  if (!(await servesWebApp(serverUrl))) {
    await stopServer();
    throw new Error(
      'the server does not serve the web app at / (is apps/web/dist built? run scripts/ensure-web-build.mjs)',
    );
  }

  return {
    baseUrl: serverUrl,
    serverUrl,
    adminEmail: ADMIN_EMAIL,
    adminPassword: ADMIN_PASSWORD,
    stop: stopServer,
  };
}

/** A new embedded database, migrated by the server itself (no template: a script outside vitest). */
async function emptyDataDir(): Promise<DatabaseCopy> {
  const dataDir = await mkdtemp(join(tmpdir(), 'newhms-e2e-'));
  return { env: { NEWHMS_DATA_DIR: dataDir }, dispose: () => rm(dataDir, { recursive: true, force: true }) };
}

async function claimFromPool(pool: string): Promise<TestServer> {
  const res = await fetch(`${pool}/claim`, { method: 'POST' });
  const body = (await res.json()) as { id: number; port: number } | { error: string };
  if (!res.ok || 'error' in body) throw new Error(`no server from the pool: ${JSON.stringify(body)}`);
  const serverUrl = `http://127.0.0.1:${body.port}`;
  return {
    baseUrl: serverUrl,
    serverUrl,
    adminEmail: ADMIN_EMAIL,
    adminPassword: ADMIN_PASSWORD,
    stop: async () => {
      await fetch(`${pool}/release?id=${body.id}`, { method: 'POST' });
    },
  };
}
