import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../test/harness';
import { users } from './auth/auth.tables';
import { verifyPassword } from './auth/passwords';
import { bootstrapInstallation } from './bootstrap';
import { loadConfig } from './config/config';
import type { Database } from './db/database';

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(() => database.close());

describe('first start', () => {
  it('creates one administrator with a printed one-time password, and a later start never resets it', async () => {
    const existing = await database.db.select({ n: sql<number>`count(*)::int` }).from(users);
    if (existing[0]!.n > 0) {
      // A shared PostgreSQL test database already has users: a start must then create nobody.
      const lines: string[] = [];
      await bootstrapInstallation(database, loadConfig({}), [], (l) => lines.push(l));
      expect(lines).toEqual([]);
      return;
    }
    const printed: string[] = [];
    await bootstrapInstallation(database, loadConfig({}), [], (l) => printed.push(l));
    const passwordLine = printed.find((l) => l.includes('password:'));
    const password = /password: (\S+)/.exec(passwordLine ?? '')?.[1];
    expect(password).toHaveLength(16);
    const [admin] = await database.db.select().from(users);
    expect(admin!.email).toBe('admin@newhms.local');
    expect(admin!.mustChangePassword).toBe(true);
    expect(await verifyPassword(admin!.passwordHash, password!)).toBe(true);

    const again: string[] = [];
    await bootstrapInstallation(
      database,
      loadConfig({ NEWHMS_ADMIN_EMAIL: 'other@x.in', NEWHMS_ADMIN_PASSWORD: 'Another-Password-99' }),
      [],
      (l) => again.push(l),
    );
    expect(again).toEqual([]);
    const all = await database.db.select().from(users);
    expect(all).toHaveLength(1);
    expect(await verifyPassword(all[0]!.passwordHash, password!)).toBe(true);
  });
});
