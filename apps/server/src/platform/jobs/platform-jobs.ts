import { lt, sql } from 'drizzle-orm';
import { sealAuditChain } from '../audit/audit.service';
import { loginChallenges } from '../auth/auth.tables';
import type { Database, DbOrTx } from '../db/database';
import type { Jobs } from './jobs';

export const platformJobNames = ['audit.seal', 'auth.purge-challenges'] as const;

/** Deletes login challenges (MFA steps, password resets) past their expiry; returns how many. */
export async function purgeExpiredLoginChallenges(db: DbOrTx): Promise<number> {
  const deleted = await db
    .delete(loginChallenges)
    .where(lt(loginChallenges.expiresAt, sql`now()`))
    .returning({ id: loginChallenges.id });
  return deleted.length;
}

/** Defines and schedules the platform's own jobs: sealing the audit chain and purging expired challenges. */
export async function registerPlatformJobs(jobs: Jobs, database: Database): Promise<void> {
  // Every minute, so that an entry sits outside the verifiable chain for at most about a minute.
  jobs.define(
    'audit.seal',
    async () => {
      // A backlog (after downtime) is sealed in batches; bounded so one run cannot go on forever.
      for (let batch = 0; batch < 50; batch++) if ((await sealAuditChain(database)) === 0) break;
    },
    { retryLimit: 2, retryDelaySeconds: 10, retryBackoff: false, expireInSeconds: 5 * 60 },
  );
  jobs.define(
    'auth.purge-challenges',
    async () => {
      await purgeExpiredLoginChallenges(database.db);
    },
    { retryLimit: 3, retryDelaySeconds: 300 },
  );
  await jobs.schedule('audit.seal', '* * * * *');
  await jobs.schedule('auth.purge-challenges', '17 3 * * *');
}
