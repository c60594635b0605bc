import { describe, expect, it } from 'vitest';
import { openTestDatabase } from '../../../test/harness';
import { LISTEN_APPLICATION_NAME } from './database';

// PGlite is one in-process connection that cannot be lost; this is about the PostgreSQL server's.
describe.runIf(process.env.TEST_DATABASE_URL)('LISTEN on PostgreSQL (needs TEST_DATABASE_URL)', () => {
  it('listens again on every channel when its connection is lost (a restart, a terminated backend)', async () => {
    const database = await openTestDatabase();
    try {
      const got: string[] = [];
      await database.listen('newhms_test_a', (p) => got.push(`a:${p}`));
      await database.listen('newhms_test_b', (p) => got.push(`b:${p}`));
      await database.notify('newhms_test_a', '1');
      await expect.poll(() => got, { timeout: 5_000 }).toEqual(['a:1']);

      // The server ends the listening connection of this database (this file's copy, no one else's).
      const ended = await database.query<{ ok: boolean }>(
        `select pg_terminate_backend(pid) as ok from pg_stat_activity
          where application_name = $1 and datname = current_database()`,
        [LISTEN_APPLICATION_NAME],
      );
      expect(ended).toEqual([{ ok: true }]);

      // What is notified while it is away is lost by design: notify until one arrives, on both channels.
      await expect
        .poll(
          async () => {
            await database.notify('newhms_test_b', '2');
            return got.includes('b:2');
          },
          { timeout: 15_000, interval: 250 },
        )
        .toBe(true);
      await database.notify('newhms_test_a', '3');
      await expect.poll(() => got.includes('a:3'), { timeout: 5_000 }).toBe(true);
      // One listening connection again, not one per attempt.
      const listening = await database.query<{ n: number }>(
        `select count(*)::int as n from pg_stat_activity where application_name = $1 and datname = current_database()`,
        [LISTEN_APPLICATION_NAME],
      );
      expect(listening).toEqual([{ n: 1 }]);
    } finally {
      await database.close();
    }
  });
});
