import { randomBytes } from 'node:crypto';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf } from '../db/raw-rows';
import { startNatsRelay } from './nats-relay';
import { appendEvent, EventRegistry } from './outbox';
import { openTestPglite, openTestPostgres, type TestDatabase } from './test-databases';

const logger = pino({ level: 'silent' });

function describeRelay(open: () => Promise<TestDatabase>) {
  const url = process.env.NATS_URL!;
  const suffix = randomBytes(4).toString('hex');
  // A stream and subjects of this test file alone, so as not to overlap a real NEWHMS_EVENTS stream.
  const stream = `NEWHMS_TEST_${suffix}`;
  const subjectPrefix = `newhms_test_${suffix}`;
  let t: TestDatabase;
  let nc: NatsConnection;

  beforeAll(async () => {
    t = await open();
    nc = await connect({ servers: url });
  });
  afterAll(async () => {
    await jetstreamManager(nc)
      .then((jsm) => jsm.streams.delete(stream))
      .catch(() => {});
    await nc?.close();
    await t?.dispose();
  });

  it('publishes each outbox event once to JetStream with the event id as message id', async () => {
    const registry = new EventRegistry();
    const ids: string[] = [];
    await t.database.db.transaction(async (tx) => {
      for (let i = 0; i < 3; i++) {
        ids.push(await appendEvent(tx, registry, { type: 'laboratory.result.finalized', payload: { n: i } }));
      }
    });
    const relay = startNatsRelay({
      database: t.database,
      url,
      logger,
      stream,
      subjectPrefix,
      pollMs: 60_000,
    });
    await relay.drain().finally(() => relay.stop());

    const unrelayed = await rowsOf<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from events.outbox where relayed_at is null`,
    );
    expect(unrelayed[0]!.n).toBe(0);

    const jsm = await jetstreamManager(nc);
    const info = await jsm.streams.info(stream);
    expect(info.config.subjects).toEqual([`${subjectPrefix}.>`]);
    expect(info.state.messages).toBe(3);
    const js = jetstream(nc);
    for (let seq = 1; seq <= 3; seq++) {
      const msg = await jsm.streams.getMessage(stream, { seq });
      expect(msg!.subject).toBe(`${subjectPrefix}.laboratory.result.finalized`);
      expect(msg!.header.get('Nats-Msg-Id')).toBe(ids[seq - 1]);
      expect(msg!.json<{ id: string; payload: { n: number } }>()).toMatchObject({
        id: ids[seq - 1],
        payload: { n: seq - 1 },
      });
    }

    // A relay that crashed after publishing but before marking the row publishes it again: JetStream drops it.
    await t.database.query('update events.outbox set relayed_at = null where id = $1', [ids[0]]);
    const again = startNatsRelay({
      database: t.database,
      url,
      logger,
      stream,
      subjectPrefix,
      pollMs: 60_000,
    });
    await again.drain().finally(() => again.stop());
    const [republished] = await rowsOf<{ relayed_at: unknown }>(
      t.database.db,
      sql`select relayed_at from events.outbox where id = ${ids[0]}`,
    );
    expect(republished!.relayed_at).not.toBeNull();
    expect((await jsm.streams.info(stream)).state.messages).toBe(3);
    const ack = await js.publish(`${subjectPrefix}.laboratory.result.finalized`, '{}', { msgID: ids[1]! });
    expect(ack.duplicate).toBe(true);
  });

  it('keeps events in the outbox while NATS is unreachable, without throwing', async () => {
    const registry = new EventRegistry();
    const id = await t.database.db.transaction((tx) =>
      appendEvent(tx, registry, { type: 'billing.invoice.issued', payload: {} }),
    );
    const relay = startNatsRelay({
      database: t.database,
      url: 'nats://127.0.0.1:1',
      logger,
      stream,
      subjectPrefix,
      pollMs: 60_000,
    });
    await relay.drain().finally(() => relay.stop());
    const rows = await rowsOf<{ relayed_at: Date | null }>(
      t.database.db,
      sql`select relayed_at from events.outbox where id = ${id}`,
    );
    expect(rows[0]!.relayed_at).toBeNull();
  });
}

describe.runIf(process.env.NATS_URL)('NATS JetStream relay on PGlite (needs NATS_URL)', () =>
  describeRelay(openTestPglite),
);

describe.runIf(process.env.NATS_URL && process.env.TEST_DATABASE_URL)(
  'NATS JetStream relay on PostgreSQL (needs NATS_URL and TEST_DATABASE_URL)',
  () => describeRelay(() => openTestPostgres(process.env.TEST_DATABASE_URL!)),
);
