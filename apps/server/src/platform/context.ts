import type { Db } from './db/database';

/** Who is acting: a signed-in staff user, or the system itself (jobs, event subscribers, CLI). */
export type Actor =
  | {
      type: 'user';
      userId: string;
      name: string;
      sessionId: string;
      facilityId: string | null;
      roles: readonly string[];
      permissions: ReadonlySet<string>;
    }
  | { type: 'system'; name: string };

/** What every service function receives: one request's database handle, actor and facility. */
export type Ctx = {
  db: Db;
  actor: Actor;
  facilityId: string | null;
  requestId: string;
  ip?: string | undefined;
  userAgent?: string | undefined;
  now: Date;
};

export function actorId(actor: Actor): string | null {
  return actor.type === 'user' ? actor.userId : null;
}

export function systemCtx(db: Db, name: string, facilityId: string | null = null): Ctx {
  return { db, actor: { type: 'system', name }, facilityId, requestId: `system:${name}`, now: new Date() };
}
