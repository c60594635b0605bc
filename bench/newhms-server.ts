import type { BenchOptions } from './bench';
import { createScratchDatabase, postgresVersion } from './scratch-database';
import { type ServerProcess, startServerProcess } from './server-process';

export const BENCH_ADMIN = { email: 'bench.admin@newhms.test', password: 'bench-Admin-password-42' } as const;

export type NewhmsServer = ServerProcess & {
  /** Bearer token of the first administrator. */
  accessToken: string;
};

/** A database the real app can run on for one bench: its label for the table and the env that selects it. */
export type DatabaseTarget = { label: string; env: Record<string, string> };

/**
 * Runs fn once per database the bench should cover: in-memory PGlite always, and PostgreSQL in a fresh
 * scratch database (dropped afterwards) when options.postgresAdminUrl is set.
 */
export async function forEachDatabase<T>(
  options: BenchOptions,
  fn: (target: DatabaseTarget) => Promise<T>,
): Promise<T[]> {
  const results: T[] = [await fn({ label: 'PGlite (in-memory)', env: {} })];
  if (options.postgresAdminUrl) {
    const scratch = await createScratchDatabase(options.postgresAdminUrl, 'app');
    try {
      const version = await postgresVersion(scratch.url);
      results.push(
        await fn({ label: `PostgreSQL ${version.split(' ')[0]}`, env: { DATABASE_URL: scratch.url } }),
      );
    } finally {
      await scratch.drop();
    }
  }
  return results;
}

/** Starts the real app in a child process on a migrated, bootstrapped database and signs the admin in. */
export async function startNewhmsServer(target: DatabaseTarget): Promise<NewhmsServer> {
  const server = await startServerProcess(new URL('./servers/newhms-app.ts', import.meta.url), {
    ...target.env,
    NEWHMS_ADMIN_EMAIL: BENCH_ADMIN.email,
    NEWHMS_ADMIN_PASSWORD: BENCH_ADMIN.password,
    // The bench signs in with a password alone; MFA is covered by the auth tests.
    NEWHMS_MFA_REQUIRED_ROLES: '',
    NEWHMS_ACCESS_TOKEN_TTL_SECONDS: '3600',
    NEWHMS_JOBS: 'off',
    LOG_LEVEL: 'silent',
  });
  try {
    const accessToken = await signIn(server.origin);
    return { ...server, accessToken };
  } catch (e) {
    await server.stop();
    throw e;
  }
}

async function signIn(origin: string): Promise<string> {
  const res = await fetch(`${origin}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(BENCH_ADMIN),
  });
  const body = (await res.json()) as { accessToken?: string };
  if (!res.ok || !body.accessToken) {
    throw new Error(`sign-in failed (${res.status}): ${JSON.stringify(body)}`);
  }
  return body.accessToken;
}
