import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Hl7Message } from '@medplum/core';
// The test client is Medplum's MLLP implementation, not ours: framing and parsing on the analyzer side are
// independent of the code under test.
import { Hl7Client } from '@medplum/hl7';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasHl7Samples, readHl7Sample, withField } from './hl7-test-support';
import { createMllpListener, type Hl7Logger, type MllpListener, type OruHandler } from './mllp-listener';
import type { OruMessage } from './oru';

type LogEntry = { level: string; obj: object; msg: string };

function captureLogger(entries: LogEntry[]): Hl7Logger {
  const at = (level: string) => (obj: object, msg: string) => entries.push({ level, obj, msg });
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

// The laboratory as the handler will be: accessions it knows, results kept as "pending validation".
const knownAccessions = new Set(['82503246', '890775544', 'R-991133']);
const filed: OruMessage[] = [];
const fileResults: OruHandler = async (message) => {
  if (message.orders.some((o) => o.accessionNumber === 'CRASH')) throw new Error('database unavailable');
  const unknown = message.orders.filter((o) => !knownAccessions.has(o.accessionNumber));
  if (unknown.length > 0) {
    return {
      code: 'AE',
      errors: unknown.map((o) => ({
        condition: '204' as const,
        text: `Unknown accession number ${o.accessionNumber}`,
        location: { segment: 'OBR', sequence: o.obrSequence, field: 3 },
      })),
    };
  }
  filed.push(message);
  return { code: 'AA' };
};

const logs: LogEntry[] = [];
let listener: MllpListener;
let port: number;
const maxFrameBytes = 64 * 1024;

beforeAll(async () => {
  listener = createMllpListener({
    handler: fileResults,
    logger: captureLogger(logs),
    read: { acceptedProcessingIds: ['P', 'T'] },
    maxFrameBytes,
  });
  ({ port } = await listener.start(0, '127.0.0.1'));
});
afterAll(async () => {
  await listener.close();
});

/** Sends one message with Medplum's MLLP client and returns the ACK's MSA (and ERR) as read by Medplum. */
async function send(text: string, client?: Hl7Client) {
  const own = client ?? new Hl7Client({ host: '127.0.0.1', port });
  try {
    const ack = await own.sendAndWait(Hl7Message.parse(text), { timeoutMs: 10_000 });
    return readAck(ack);
  } finally {
    if (!client) await own.close();
  }
}

function readAck(ack: Hl7Message) {
  return {
    type: ack.getSegment('MSH')?.getComponent(9, 1),
    code: ack.getSegment('MSA')?.getComponent(1, 1),
    controlId: ack.getSegment('MSA')?.getComponent(2, 1),
    text: ack.getSegment('MSA')?.getComponent(3, 1),
    conditions: ack.getAllSegments('ERR').map((e) => e.getComponent(3, 1)),
  };
}

const frame = (text: string) =>
  Buffer.concat([Buffer.from([0x0b]), Buffer.from(text), Buffer.from([0x1c, 0x0d])]);

/** A bare TCP connection, for what no HL7 client would send: split frames, noise, oversized frames. */
function rawConnection() {
  const socket = net.connect({ host: '127.0.0.1', port });
  const acks: Hl7Message[] = [];
  let buffer = '';
  let wake = () => {};
  socket.on('data', (data) => {
    buffer += data.toString('utf8');
    for (let end = buffer.indexOf('\u001c\r'); end !== -1; end = buffer.indexOf('\u001c\r')) {
      acks.push(Hl7Message.parse(buffer.slice(buffer.indexOf('\u000b') + 1, end)));
      buffer = buffer.slice(end + 2);
    }
    wake();
  });
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.on('error', () => {});
  return {
    socket,
    closed,
    write: (data: Buffer | string) => new Promise<void>((resolve) => socket.write(data, () => resolve())),
    async acks(n: number, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (acks.length < n && Date.now() < deadline) {
        await Promise.race([new Promise<void>((r) => (wake = r)), sleep(50)]);
      }
      return acks.map(readAck);
    },
    end: () => socket.destroy(),
  };
}

const oru = (controlId: string, accession = 'R-991133') =>
  [
    `MSH|^~\\&|XN-1000|LAB|NEWHMS|CITY HOSPITAL|20260127101500+0530||ORU^R01^ORU_R01|${controlId}|P|2.5.1`,
    'PID|1||MRN-0042^^^CITY^MR||Rao^Asha',
    `OBR|1||${accession}|58410-2^CBC panel^LN|||20260127093000+0530||||||||||||||||||F`,
    'OBX|1|NM|718-7^Hemoglobin^LN||13.2|g/dL^^UCUM|12.0-15.5|N|||F|||20260127100000+0530||||XN-1000^SYSMEX',
  ].join('\r');

describe.skipIf(!hasHl7Samples)('the analyzer sends the real-format sample messages', () => {
  it('1. The NIST CBC is acknowledged AA and its nine results reach the laboratory', async () => {
    const ack = await send(readHl7Sample('LRI-CBC-ORU'));
    expect(ack).toEqual({
      type: 'ACK',
      code: 'AA',
      controlId: 'NIST-LRI-NG-002.00',
      text: '',
      conditions: [],
    });
    const message = filed.find((m) => m.controlId === 'NIST-LRI-NG-002.00');
    expect(message?.orders[0]?.accessionNumber).toBe('R-991133');
    expect(message?.orders[0]?.observations).toHaveLength(9);
  });

  it('2. A hemogram for an accession the lab never issued gets AE 204 naming it', async () => {
    const text = withField(readHl7Sample('LAB-ORU-1'), 'OBR', 3, 'ACC-UNKNOWN', 2);
    const ack = await send(text);
    expect(ack).toMatchObject({ code: 'AE', controlId: '182', text: 'Unknown accession number ACC-UNKNOWN' });
    expect(ack.conditions).toEqual(['204']);
    expect(filed.some((m) => m.controlId === '182')).toBe(false);
  });

  it('3. The same hemogram relabelled ADT^A01 is rejected AR 200 without reaching the laboratory', async () => {
    const before = filed.length;
    const ack = await send(withField(readHl7Sample('LAB-ORU-1'), 'MSH', 9, 'ADT^A01'));
    expect(ack).toMatchObject({ code: 'AR', controlId: '182', conditions: ['200'] });
    // On the wire the ^ in the reason is escaped (\S\); Medplum's reader leaves escapes as they are
    expect(ack.text).toBe('Message type ADT is not accepted: only ORU\\S\\R01');
    expect(filed).toHaveLength(before);
  });

  it('4. A haemoglobin of "12,5" is refused AE 102 with the place and the reason', async () => {
    const ack = await send(withField(readHl7Sample('LRI-CBC-ORU'), 'OBX', 5, '12,5', 2));
    expect(ack).toMatchObject({
      code: 'AE',
      controlId: 'NIST-LRI-NG-002.00',
      text: 'OBX 2: OBX-5 "12,5" is not a number (value type NM)',
      conditions: ['102'],
    });
  });
});

describe('one analyzer connection', () => {
  it('carries several messages, each acknowledged in turn', async () => {
    const client = new Hl7Client({ host: '127.0.0.1', port });
    try {
      const acks = [];
      for (let i = 1; i <= 5; i++) acks.push(await send(oru(`SEQ-${i}`), client));
      expect(acks.map((a) => [a.code, a.controlId])).toEqual([1, 2, 3, 4, 5].map((i) => ['AA', `SEQ-${i}`]));
      const connections = logs
        .filter(
          (l) =>
            l.msg === 'HL7 ORU^R01 acknowledged' &&
            String(l.obj['controlId' as keyof object]).startsWith('SEQ-'),
        )
        .map((l) => l.obj['connection' as keyof object]);
      expect(connections).toHaveLength(5);
      expect(new Set(connections).size).toBe(1);
    } finally {
      await client.close();
    }
  });

  it('answers AR 207 when the laboratory fails, then goes on with the next message', async () => {
    const client = new Hl7Client({ host: '127.0.0.1', port });
    try {
      const failed = await send(oru('FAIL-1', 'CRASH'), client);
      expect(failed).toMatchObject({ code: 'AR', controlId: 'FAIL-1', conditions: ['207'] });
      expect(failed.text).toMatch(/send the message again later/);
      expect(await send(oru('FAIL-2'), client)).toMatchObject({ code: 'AA', controlId: 'FAIL-2' });
    } finally {
      await client.close();
    }
    expect(logs.some((l) => l.level === 'error' && l.msg === 'HL7 result handler failed')).toBe(true);
  });

  it('answers frames written back to back in one TCP write, in order', async () => {
    const raw = rawConnection();
    await raw.write(Buffer.concat([frame(oru('PIPE-1')), frame(oru('PIPE-2')), frame(oru('PIPE-3'))]));
    const acks = await raw.acks(3);
    expect(acks.map((a) => [a.code, a.controlId])).toEqual([
      ['AA', 'PIPE-1'],
      ['AA', 'PIPE-2'],
      ['AA', 'PIPE-3'],
    ]);
    raw.end();
  });

  it('reassembles a message that arrives in many small TCP pieces', async () => {
    const raw = rawConnection();
    const bytes = frame(oru('SPLIT-1'));
    for (let i = 0; i < bytes.length; i += 7) {
      await raw.write(bytes.subarray(i, i + 7));
      await sleep(1);
    }
    expect(await raw.acks(1)).toEqual([expect.objectContaining({ code: 'AA', controlId: 'SPLIT-1' })]);
    raw.end();
  });

  it('drops noise between frames and a frame of binary garbage, and answers the real messages', async () => {
    const raw = rawConnection();
    await raw.write(
      Buffer.concat([
        Buffer.from('ATZ\r\n'),
        frame(oru('NOISE-1')),
        randomBytes(64).map((b) => (b === 0x0b || b === 0x1c ? 0x20 : b)),
        Buffer.from([0x0b]),
        randomBytes(256).map((b) => (b === 0x0b || b === 0x1c ? 0x20 : b)),
        Buffer.from([0x1c, 0x0d]),
        frame(oru('NOISE-2').replaceAll('\r', '\n')),
      ]),
    );
    const acks = await raw.acks(2);
    await sleep(100);
    expect((await raw.acks(2)).map((a) => [a.code, a.controlId])).toEqual([
      ['AA', 'NOISE-1'],
      ['AA', 'NOISE-2'],
    ]);
    expect(acks).toHaveLength(2);
    expect(logs.some((l) => l.msg === 'MLLP bytes outside a frame dropped')).toBe(true);
    expect(logs.some((l) => l.msg.startsWith('HL7 frame dropped: no readable MSH'))).toBe(true);
    raw.end();
  });

  it('answers AR 101 with an empty MSA-2 to a message without control id, so the sender is not left waiting', async () => {
    const raw = rawConnection();
    await raw.write(frame(oru('')));
    expect(await raw.acks(1)).toEqual([
      {
        type: 'ACK',
        code: 'AR',
        controlId: '',
        text: 'MSH-10 (message control id) is missing',
        conditions: ['101'],
      },
    ]);
    raw.end();
  });

  it('rejects a frame over the size limit with AR, closes that connection, and serves the next one', async () => {
    const raw = rawConnection();
    const huge = `${oru('HUGE-1')}\rOBX|2|TX|note||${'A'.repeat(maxFrameBytes)}||||||F`;
    await raw.write(frame(huge));
    const [ack] = await raw.acks(1);
    expect(ack).toMatchObject({ code: 'AR', controlId: 'HUGE-1', conditions: ['207'] });
    expect(ack?.text).toBe(`The message is larger than the ${maxFrameBytes}-byte limit`);
    await raw.closed;
    expect(await send(oru('AFTER-HUGE'))).toMatchObject({ code: 'AA', controlId: 'AFTER-HUGE' });
  });
});

describe('many analyzers at once', () => {
  it('serves 50 concurrent connections, each getting the ACK of its own message', async () => {
    const clients = Array.from({ length: 50 }, () => new Hl7Client({ host: '127.0.0.1', port }));
    try {
      const acks = await Promise.all(clients.map((client, i) => send(oru(`CONC-${i}`), client)));
      expect(acks.map((a) => `${a.code} ${a.controlId}`)).toEqual(clients.map((_, i) => `AA CONC-${i}`));
    } finally {
      await Promise.all(clients.map((c) => c.close()));
    }
  });

  it('still answers after all of the above, and never logged a patient name', async () => {
    expect(await send(oru('LAST-1'))).toMatchObject({ code: 'AA', controlId: 'LAST-1' });
    const logged = JSON.stringify(logs);
    for (const name of ['Rao', 'Asha', 'Jones', 'DUCK']) expect(logged).not.toContain(name);
  });
});

describe('the listener lifecycle', () => {
  it('closes a connection that stays idle, and close() ends open connections', async () => {
    const entries: LogEntry[] = [];
    const quiet = createMllpListener({
      handler: fileResults,
      logger: captureLogger(entries),
      idleTimeoutMs: 150,
    });
    const address = await quiet.start(0, '127.0.0.1');
    const idle = net.connect({ host: '127.0.0.1', port: address.port });
    const idleClosed = new Promise<number>((resolve) => {
      const opened = Date.now();
      idle.on('close', () => resolve(Date.now() - opened));
    });
    expect(await idleClosed).toBeLessThan(5_000);
    expect(entries.some((e) => e.msg === 'MLLP connection idle: closed')).toBe(true);

    const open = net.connect({ host: '127.0.0.1', port: address.port });
    await new Promise((resolve) => open.on('connect', resolve));
    const openClosed = new Promise<void>((resolve) => open.on('close', () => resolve()));
    open.on('error', () => {});
    await quiet.close();
    await openClosed;
    expect(quiet.address()).toBeNull();
    await expect(
      new Promise((resolve, reject) =>
        net.connect({ host: '127.0.0.1', port: address.port }).on('connect', resolve).on('error', reject),
      ),
    ).rejects.toThrow(/ECONNREFUSED/);
  });

  it('fails to start on a port already in use, without crashing', async () => {
    // A pino logger (Fastify's app.log is one) fits the listener's logger type
    const other = createMllpListener({ handler: fileResults, logger: pino({ level: 'silent' }) });
    await expect(other.start(port, '127.0.0.1')).rejects.toThrow(/EADDRINUSE/);
  });
});
