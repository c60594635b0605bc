import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { eq } from 'drizzle-orm';
import pg from 'pg';
import { inject } from 'vitest';
import { type App, buildApp } from '../src/app';
import { modules as allModules } from '../src/modules/index';
import { roles, userRoles } from '../src/platform/access/access.tables';
import { users } from '../src/platform/auth/auth.tables';
import { hashPassword } from '../src/platform/auth/passwords';
import { loadConfig } from '../src/platform/config/config';
import { type Database, openDatabase, pgliteExtensions } from '../src/platform/db/database';
import type { ModuleDefinition } from '../src/platform/module';
import { ensureDefaultFacility } from '../src/platform/organization/organization.service';
import { copyDatabase } from './database-template';

export const TEST_PASSWORD = 'Ward-Round-Password-42';

/**
 * A database for one test file: a copy of the migrated template, on PGlite or on the PostgreSQL server.
 * On the server the copy is `CREATE DATABASE ... TEMPLATE` (about 0.2 s), dropped when the file closes it,
 * so no file sees another's rows, counters or events.
 */
export async function openTestDatabase(): Promise<Database> {
  const url = inject('testDatabaseUrl');
  if (url) return openPostgresCopy(url);
  const dump = readFileSync(inject('pgliteDump'));
  const client = await PGlite.create({ loadDataDir: new Blob([dump]), extensions: pgliteExtensions });
  return openDatabase({ pglite: client });
}

/** The URL of each PostgreSQL copy, by its Drizzle handle, so a second server can open its own pool on it. */
const copyUrls = new WeakMap<object, string>();

/**
 * The same database for a second app instance, as a second server process would have it: PGlite's one
 * in-process database itself (closed by its owner), or a pool of its own on the same PostgreSQL copy.
 */
async function openSameDatabase(database: Database): Promise<{ database: Database; close(): Promise<void> }> {
  const url = copyUrls.get(database.db);
  if (!url) return { database, close: async () => {} };
  const other = await openDatabase({ url, poolSize: 5 });
  return { database: other, close: () => other.close() };
}

async function openPostgresCopy(templateUrl: string): Promise<Database> {
  const template = new URL(templateUrl);
  const templateName = template.pathname.slice(1);
  const name = `${templateName}_${randomUUID().slice(0, 8)}`;
  const server = new URL(templateUrl);
  server.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: server.toString() });
  await admin.connect();
  await copyDatabase(admin, name, templateName);
  const url = new URL(templateUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ url: url.toString(), poolSize: 5 });
  copyUrls.set(database.db, url.toString());
  return {
    ...database,
    async close() {
      await database.close();
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

export type TestApp = {
  app: App;
  database: Database;
  facilityId: string;
  /** A fresh administrator of this test file (MFA not required unless the env says so). */
  admin: { id: string; email: string; token: string };
  close(): Promise<void>;
};

/** Builds the real app on a test database, with env overrides, and signs in a fresh administrator. */
export async function createTestApp(
  options: {
    env?: Record<string, string>;
    modules?: readonly ModuleDefinition[];
    database?: Database;
    /** A second server on this test app's database (PostgreSQL: with a pool of its own). */
    sameDatabaseAs?: TestApp;
  } = {},
): Promise<TestApp> {
  const shared = options.sameDatabaseAs ? await openSameDatabase(options.sameDatabaseAs.database) : undefined;
  const database = shared?.database ?? options.database ?? (await openTestDatabase());
  // No web app: what the API answers must not depend on whether apps/web/dist happens to be built.
  const config = loadConfig({
    NEWHMS_MFA_REQUIRED_ROLES: '',
    NEWHMS_JOBS: 'off',
    NEWHMS_WEB_DIR: '/nonexistent/newhms-web',
    ...options.env,
  });
  const app = await buildApp({ config, database, modules: options.modules ?? allModules });
  const facilityId = await ensureDefaultFacility(database.db);
  const admin = await createTestUser(database, { roles: ['admin'], facilityId });
  const token = await signIn(app, admin.email);
  return {
    app,
    database,
    facilityId,
    admin: { ...admin, token },
    async close() {
      await app.close();
      if (shared) await shared.close();
      else if (!options.database) await database.close();
    },
  };
}

/** Inserts a user with the given roles directly (fast path for tests); password TEST_PASSWORD. */
export async function createTestUser(
  database: Database,
  input: {
    roles: string[];
    facilityId: string;
    email?: string;
    displayName?: string;
    mustChangePassword?: boolean;
  },
): Promise<{ id: string; email: string }> {
  const email = input.email ?? `user-${randomUUID().slice(0, 8)}@test.newhms.local`;
  const [row] = await database.db
    .insert(users)
    .values({
      email,
      displayName: input.displayName ?? `Test ${input.roles.join('+')}`,
      passwordHash: await cachedHash(),
      mustChangePassword: input.mustChangePassword ?? false,
      defaultFacilityId: input.facilityId,
    })
    .returning({ id: users.id });
  for (const name of input.roles) {
    const [role] = await database.db.select().from(roles).where(eq(roles.name, name));
    await database.db
      .insert(userRoles)
      .values({ userId: row!.id, roleId: role!.id, facilityId: input.facilityId });
  }
  return { id: row!.id, email };
}

let hashed: Promise<string> | undefined;
function cachedHash(): Promise<string> {
  hashed ??= hashPassword(TEST_PASSWORD);
  return hashed;
}

/** Signs in through the API and returns the access token. */
export async function signIn(app: App, email: string, password = TEST_PASSWORD): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
  if (res.statusCode !== 200 || !res.json().accessToken) {
    throw new Error(`sign-in of ${email} failed: ${res.statusCode} ${res.body}`);
  }
  return res.json().accessToken as string;
}

export function bearer(token: string, facilityId?: string): Record<string, string> {
  return { authorization: `Bearer ${token}`, ...(facilityId ? { 'x-facility-id': facilityId } : {}) };
}

/** The refresh cookie a response set, ready to send back. */
export function refreshCookieOf(res: { cookies: { name: string; value: string }[] }): string {
  const c = res.cookies.find((x) => x.name === 'newhms_rt');
  if (!c) throw new Error('no refresh cookie');
  return `newhms_rt=${c.value}`;
}
