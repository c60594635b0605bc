import { createHash } from 'node:crypto';
import { and, eq, lt } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { canonicalJson } from '../audit/audit-hash';
import type { Db } from '../db/database';
import { idempotencyKeys } from '../db/platform.tables';
import { BadRequest, DomainError } from './errors';

const KEY_PATTERN = /^[A-Za-z0-9_.:-]{8,128}$/;

/**
 * Idempotency-Key (IETF draft): a POST that creates something, sent again with the same key by the same
 * actor, gets the first reply instead of creating a second record. The same key with another body is 422.
 */
export function registerIdempotency(app: FastifyInstance, db: Db): void {
  app.addHook('preHandler', async (request, reply) => {
    if (!request.routeOptions.config?.idempotent || request.method !== 'POST') return;
    const key = request.headers['idempotency-key'];
    if (key === undefined) return;
    if (typeof key !== 'string' || !KEY_PATTERN.test(key)) {
      throw new BadRequest(
        'IDEMPOTENCY_KEY_INVALID',
        'Idempotency-Key must be 8-128 letters, digits or -_.:',
      );
    }
    const actorKey = request.actor?.type === 'user' ? request.actor.userId : `ip:${request.ip}`;
    const requestHash = createHash('sha256')
      .update(canonicalJson(request.body ?? null))
      .digest('hex');
    const path = request.routeOptions.url ?? request.url;
    const [stored] = await db
      .select()
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.actorKey, actorKey), eq(idempotencyKeys.key, key)));
    if (stored) {
      if (stored.requestHash !== requestHash || stored.path !== path) {
        throw new DomainError(
          422,
          'IDEMPOTENCY_KEY_REUSED',
          'This Idempotency-Key was used for a different request',
        );
      }
      reply.header('idempotent-replayed', 'true');
      return reply.status(stored.statusCode).send(stored.responseBody);
    }
    (request as { idempotency?: object }).idempotency = { actorKey, key, requestHash, path };
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const pending = (
      request as { idempotency?: { actorKey: string; key: string; requestHash: string; path: string } }
    ).idempotency;
    if (!pending || reply.statusCode >= 300 || typeof payload !== 'string') return payload;
    let body: unknown = null;
    try {
      body = JSON.parse(payload);
    } catch {
      return payload;
    }
    await db
      .insert(idempotencyKeys)
      .values({ ...pending, method: 'POST', statusCode: reply.statusCode, responseBody: body })
      .onConflictDoNothing();
    return payload;
  });
}

/** Forgets keys older than a day (run by a job). */
export async function purgeIdempotencyKeys(db: Db, now: Date): Promise<void> {
  await db.delete(idempotencyKeys).where(lt(idempotencyKeys.createdAt, new Date(now.getTime() - 86_400_000)));
}
