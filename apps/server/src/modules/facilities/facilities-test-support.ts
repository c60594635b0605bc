import { randomBytes, randomUUID } from 'node:crypto';
import { type BedReleasedPayload, IPD_EVENTS } from '@newhms/contracts';
import pino from 'pino';
import { bearer, createTestUser, signIn, type TestApp } from '../../../test/harness';
import { startDispatcher } from '../../platform/events/dispatcher';
import { appendEvent } from '../../platform/events/outbox';

// Test factories of the housekeeping tests: a facility of its own whose clock reads about 11:00 (so that
// "90 minutes ago" is still today there), its staff, and IPD's bed-released event published for real.

type Headers = Record<string, string>;

const letters = (n: number) =>
  Array.from(randomBytes(n), (b) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'[b % 26]).join('');

/** A fixed-offset zone in which the wall clock now reads about 11:00. */
export function lateMorningZone(now = new Date()): string {
  let offset = 11 - now.getUTCHours();
  if (offset < -12) offset += 24;
  if (offset === 0) return 'Etc/GMT';
  // Etc/GMT signs are inverted (POSIX): Etc/GMT-5 is five hours ahead of UTC.
  return offset > 0 ? `Etc/GMT-${offset}` : `Etc/GMT+${-offset}`;
}

export type HousekeepingWorld = Awaited<ReturnType<typeof createHousekeepingWorld>>;

export async function createHousekeepingWorld(t: TestApp) {
  const timeZone = lateMorningZone();
  const code = `H${letters(6)}`;
  const facility = await t.app.inject({
    method: 'POST',
    url: '/api/v1/organization/facilities',
    headers: bearer(t.admin.token),
    payload: { code, name: `Housekeeping test ${code}`, timeZone },
  });
  if (facility.statusCode !== 201) throw new Error(`facility: ${facility.statusCode} ${facility.body}`);
  const facilityId = facility.json().id as string;
  const staff = async (roles: string[], displayName?: string) => {
    const user = await createTestUser(t.database, { roles, facilityId, displayName });
    return { id: user.id, headers: bearer(await signIn(t.app, user.email), facilityId) };
  };

  async function call(method: 'GET' | 'POST', url: string, headers: Headers, payload?: unknown) {
    return t.app.inject({
      method,
      url,
      headers,
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });
  }

  /** Runs the event dispatcher until nothing is due (the way the server delivers events). */
  async function deliver(): Promise<void> {
    const dispatcher = startDispatcher({
      database: t.database,
      registry: t.app.deps.events,
      logger: pino({ level: 'silent' }),
      pollMs: 60_000,
    });
    await dispatcher.drain();
    await dispatcher.stop();
  }

  return {
    facilityId,
    timeZone,
    staff,
    call,
    deliver,
    supervisor: await staff(['admin'], `Supervisor ${letters(4)}`),

    /** A ward of IPD as its events name it (by value: no IPD rows are needed). */
    ward(name = `Ward ${letters(4)}`) {
      return { wardId: randomUUID(), wardCode: name.slice(0, 6).toUpperCase(), wardName: name };
    },

    /** IPD releases a bed: the real event in the outbox, with a delivery per subscriber. */
    async releaseBed(
      ward: { wardId: string; wardCode: string; wardName: string },
      overrides: Partial<BedReleasedPayload> = {},
    ) {
      const payload: BedReleasedPayload = {
        bedId: randomUUID(),
        bedCode: `${ward.wardCode}-${Math.floor(Math.random() * 90) + 10}`,
        ...ward,
        isolation: false,
        admissionId: randomUUID(),
        releasedAt: new Date().toISOString(),
        cause: 'discharge',
        ...overrides,
      };
      const eventId = await appendEvent(t.database.db, t.app.deps.events, {
        type: IPD_EVENTS.bedReleased,
        facilityId,
        aggregateId: payload.admissionId,
        payload,
      });
      return { eventId, payload };
    },
  };
}
