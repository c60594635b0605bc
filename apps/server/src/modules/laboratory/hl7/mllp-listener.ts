import { randomUUID } from 'node:crypto';
import net, { type AddressInfo } from 'node:net';
import { type AckCode, type AckError, ackCodes, buildAck } from './ack';
import { type MessageHeader, readMessageHeaderOnly } from './hl7-message';
import { encodeMllpFrame, MllpFrameDecoder } from './mllp-framing';
import { type OruMessage, type OruReadOptions, readOruMessage } from './oru';

/** What the laboratory answers for a readable ORU^R01; `errors` become ERR segments (table 0357 conditions). */
export type OruHandlerResult = { code: AckCode; text?: string; errors?: AckError[] };
export type OruHandler = (message: OruMessage) => Promise<OruHandlerResult>;

/** The part of a pino (or Fastify) logger the listener uses. */
export type Hl7Logger = {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
};

export type MllpListenerOptions = {
  handler: OruHandler;
  logger: Hl7Logger;
  /** Accession source, accepted processing ids and versions (see oru.ts). */
  read?: OruReadOptions;
  /** A frame larger than this is dropped and its connection closed. Default 1 MiB. */
  maxFrameBytes?: number;
  /** A connection with no traffic for this long is closed; 0 keeps it open. Default 10 minutes. */
  idleTimeoutMs?: number;
  /** A handler that has not answered by then gets the message an AR 207. Default 30 s. */
  handlerTimeoutMs?: number;
  /** Further connections are refused. Default 100. */
  maxConnections?: number;
  /** Character set of the messages on the wire (MSH-18 is not read). Default utf8. */
  encoding?: 'utf8' | 'latin1';
  /** Our MSH-3/MSH-4 in ACKs to messages that left MSH-5/MSH-6 empty. */
  receiver?: { application: string; facility: string };
  /** How long close() waits for messages being filed before it drops the connections. Default 5 s. */
  closeGraceMs?: number;
};

export type MllpListener = {
  /** Listens on `port` (0 for any free port); resolves with the bound address. */
  start(port: number, host?: string): Promise<AddressInfo>;
  /** Stops accepting, lets messages being filed finish (up to closeGraceMs), then closes every connection. */
  close(): Promise<void>;
  address(): AddressInfo | null;
  connectionCount(): number;
};

type QueueItem = { kind: 'frame'; payload: Buffer } | { kind: 'oversized'; head: Buffer; bytes: number };

// Frames read ahead of the one being filed before the connection stops reading (TCP back-pressure).
const maxQueuedFrames = 16;

/** Creates an MLLP listener that acknowledges each ORU^R01 with AA, AE or AR. */
export function createMllpListener(options: MllpListenerOptions): MllpListener {
  const {
    handler,
    logger,
    read = {},
    maxFrameBytes = 1024 * 1024,
    idleTimeoutMs = 10 * 60_000,
    handlerTimeoutMs = 30_000,
    maxConnections = 100,
    encoding = 'utf8',
    receiver = { application: 'NEWHMS', facility: '' },
    closeGraceMs = 5_000,
  } = options;

  let server: net.Server | null = null;
  let closing = false;
  let nextConnectionId = 0;
  const sockets = new Set<net.Socket>();
  const inflight = new Set<Promise<unknown>>();

  function acknowledge(
    header: MessageHeader,
    code: AckCode,
    errors: readonly AckError[],
    text?: string,
  ): Buffer {
    const ack = buildAck({
      header,
      code,
      errors,
      ...(text === undefined ? {} : { text }),
      controlId: randomUUID().replaceAll('-', '').slice(0, 20),
      now: new Date(),
      receiver,
    });
    return encodeMllpFrame(ack, encoding);
  }

  async function fileMessage(payload: Buffer, log: object): Promise<Buffer | null> {
    const result = readOruMessage(payload.toString(encoding), read);
    if (!result.header) {
      logger.warn(
        { ...log, bytes: payload.length, reason: result.ok ? '' : result.issues[0]?.text },
        'HL7 frame dropped: no readable MSH segment, nobody to acknowledge',
      );
      return null;
    }
    const about = { ...log, controlId: result.header.controlId, sender: result.header.sendingApplication };
    if (!result.ok) {
      // Never the message itself in the log: it names the patient.
      logger.warn(
        {
          ...about,
          ackCode: result.ackCode,
          issues: result.issues.map((i) => ({ condition: i.condition, location: i.location, text: i.text })),
        },
        'HL7 message not accepted',
      );
      return acknowledge(result.header, result.ackCode, result.issues);
    }
    let answer: OruHandlerResult;
    try {
      answer = await withTimeout(handler(result.message), handlerTimeoutMs);
      if (!answer || !(ackCodes as readonly string[]).includes(answer.code)) {
        throw new Error(`The handler answered ${JSON.stringify(answer)}, not an ACK code`);
      }
    } catch (err) {
      logger.error({ ...about, err }, 'HL7 result handler failed');
      // AR: refused for a reason unrelated to the content, so the sender may send it again later.
      return acknowledge(result.header, 'AR', [
        {
          condition: '207',
          text: 'The results could not be filed (internal error); send the message again later',
        },
      ]);
    }
    const errors =
      answer.errors ??
      (answer.code === 'AA'
        ? []
        : [{ condition: '207' as const, text: answer.text ?? 'The results could not be filed' }]);
    const observations = result.message.orders.reduce((n, o) => n + o.observations.length, 0);
    logger.info(
      { ...about, ackCode: answer.code, orders: result.message.orders.length, observations },
      'HL7 ORU^R01 acknowledged',
    );
    return acknowledge(result.header, answer.code, errors, answer.text);
  }

  function rejectOversized(head: Buffer, bytes: number, log: object): Buffer | null {
    const header = readMessageHeaderOnly(head.toString(encoding));
    logger.warn(
      { ...log, bytes, maxFrameBytes, controlId: header?.controlId },
      'MLLP frame over the size limit: dropped, connection closed',
    );
    if (!header) return null;
    return acknowledge(header, 'AR', [
      { condition: '207', text: `The message is larger than the ${maxFrameBytes}-byte limit` },
    ]);
  }

  function onConnection(socket: net.Socket): void {
    if (closing) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    const log = { connection: ++nextConnectionId, remote: `${socket.remoteAddress}:${socket.remotePort}` };
    logger.debug(log, 'MLLP connection opened');
    const decoder = new MllpFrameDecoder(maxFrameBytes);
    const queue: QueueItem[] = [];
    let draining = false;
    let ending = false;

    socket.setNoDelay(true);
    if (idleTimeoutMs > 0) {
      socket.setTimeout(idleTimeoutMs, () => {
        logger.info({ ...log, idleTimeoutMs }, 'MLLP connection idle: closed');
        socket.destroy();
      });
    }

    const drain = async () => {
      if (draining) return;
      draining = true;
      try {
        while (queue.length > 0 && !socket.destroyed && !closing) {
          const item = queue.shift()!;
          const work =
            item.kind === 'frame'
              ? fileMessage(item.payload, log)
              : Promise.resolve(rejectOversized(item.head, item.bytes, log));
          inflight.add(work);
          const reply = await work.finally(() => inflight.delete(work));
          if (reply && socket.writable) socket.write(reply);
          if (item.kind === 'oversized') {
            queue.length = 0;
            endSocket(socket);
            break;
          }
          if (queue.length < maxQueuedFrames && socket.isPaused() && !ending) socket.resume();
        }
      } catch (err) {
        // fileMessage does not throw; this is the last line that keeps a bug here from ending the process.
        logger.error({ ...log, err }, 'MLLP connection failed');
        socket.destroy();
      } finally {
        draining = false;
      }
    };

    socket.on('data', (chunk: Buffer) => {
      if (ending) return;
      for (const event of decoder.push(chunk)) {
        switch (event.type) {
          case 'frame':
            queue.push({ kind: 'frame', payload: event.payload });
            break;
          case 'garbage':
            logger.warn({ ...log, bytes: event.bytes }, 'MLLP bytes outside a frame dropped');
            break;
          case 'interrupted':
            logger.warn(
              { ...log, bytes: event.bytes },
              'MLLP frame interrupted by a new start byte: dropped',
            );
            break;
          case 'oversized':
            ending = true;
            socket.pause();
            queue.push({ kind: 'oversized', head: event.head, bytes: event.bytes });
            break;
        }
      }
      if (queue.length >= maxQueuedFrames) socket.pause();
      void drain();
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      logger.debug({ ...log, code: err.code, message: err.message }, 'MLLP connection error');
    });
    socket.on('close', () => {
      sockets.delete(socket);
      queue.length = 0;
      logger.debug(log, 'MLLP connection closed');
    });
  }

  return {
    async start(port, host) {
      if (server) throw new Error('The MLLP listener is already started');
      closing = false;
      const s = net.createServer({ noDelay: true }, onConnection);
      s.maxConnections = maxConnections;
      s.on('drop', (data) => {
        logger.warn(
          { remote: `${data?.remoteAddress}:${data?.remotePort}`, maxConnections },
          'MLLP connection refused: too many connections',
        );
      });
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.listen({ port, ...(host ? { host } : {}) }, () => {
          s.off('error', reject);
          resolve();
        });
      });
      s.on('error', (err) => logger.error({ err }, 'MLLP listener error'));
      server = s;
      const address = s.address() as AddressInfo;
      logger.info({ port: address.port, host: address.address }, 'HL7 MLLP listener started');
      return address;
    },

    async close() {
      const s = server;
      if (!s) return;
      closing = true;
      server = null;
      const closed = new Promise<void>((resolve) => s.close(() => resolve()));
      for (const socket of sockets) socket.pause();
      await Promise.race([Promise.allSettled([...inflight]), delay(closeGraceMs)]);
      await Promise.all([...sockets].map((socket) => endSocket(socket)));
      await closed;
      logger.info({}, 'HL7 MLLP listener closed');
    },

    address() {
      return (server?.address() as AddressInfo | null) ?? null;
    },

    connectionCount() {
      return sockets.size;
    },
  };
}

/** Ends a connection after what was written is flushed; destroys it if the peer does not close in time. */
function endSocket(socket: net.Socket, graceMs = 1_000): Promise<void> {
  if (socket.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => socket.destroy(), graceMs);
    timer.unref();
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.end();
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`The handler did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
