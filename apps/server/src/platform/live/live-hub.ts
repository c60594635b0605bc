import type { ServerResponse } from 'node:http';
import type { FastifyBaseLogger, FastifyReply } from 'fastify';
import type { Database } from '../db/database';
import { DomainError } from '../http/errors';

/** One server-sent event frame. */
export function sseFrame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * Takes over a reply and starts a server-sent event stream on it (status 200, no caching, no proxy
 * buffering; the browser reconnects after 3 s). The caller attaches it to a hub and writes the first frame.
 */
export function startSseStream(reply: FastifyReply): ServerResponse {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  res.write('retry: 3000\n\n');
  return res;
}

/**
 * A client of a live feed: its stream, and what to send it when the value of its key changes (undefined when
 * the key's value is gone, e.g. a board switched off). deliver writes its own frames: clients of one key may
 * see different views of the same value (a public board hides names) and may audit what they were shown.
 */
export type LiveClient<V> = {
  res: ServerResponse;
  deliver(value: V | undefined): void | Promise<void>;
};

export type LiveHubOptions<V, K extends string> = {
  database: Database;
  log: FastifyBaseLogger;
  /** The NOTIFY channel; the payload of a notification is the key that changed. */
  channel: string;
  /**
   * The key a notification payload stands for (default: the payload itself), e.g. a ward id mapped to its
   * facility's board; undefined ignores the notification.
   */
  resolveKey?: (payload: string, hasClients: (key: K) => boolean) => K | undefined | Promise<K | undefined>;
  /** Reads the current value of a key (once per burst, whatever the number of clients). */
  load: (key: K) => Promise<V | undefined>;
  /** The problem code of a 503 when this process cannot listen (or is closing). */
  unavailableCode: string;
  /** A key is read at most once per this many ms; changes in between fold into one read (default 100). */
  foldMs?: number;
  /** A comment line this often keeps proxies from closing idle streams (default 20 s). */
  heartbeatMs?: number;
};

/**
 * The live feed of one kind of board in one server process. Writers NOTIFY the channel with the key inside
 * their transaction, so the notification leaves on commit and every process (each LISTENing through the
 * platform Database: PostgreSQL's listening connection, or PGlite in-process) hears about changes made by
 * any process. A process reads the key's value at most once per `foldMs` (a lone change at once, a burst
 * folded) and hands it to its own clients of that key; keys without clients here are ignored.
 */
export class LiveHub<V, K extends string = string> {
  private readonly clients = new Map<K, Set<LiveClient<V>>>();
  private readonly pending = new Map<K, NodeJS.Timeout>();
  private readonly lastRead = new Map<K, number>();
  private listening: Promise<() => Promise<void>> | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly foldMs: number;
  private readonly heartbeatMs: number;

  constructor(private readonly options: LiveHubOptions<V, K>) {
    this.foldMs = options.foldMs ?? 100;
    this.heartbeatMs = options.heartbeatMs ?? 20_000;
  }

  /** Resolves once this process listens for changes (503 when it cannot, or is shutting down). */
  async ready(): Promise<void> {
    const code = this.options.unavailableCode;
    if (this.closed) throw new DomainError(503, code, 'The server is shutting down');
    this.listening ??= this.options.database.listen(this.options.channel, (payload) => this.heard(payload));
    try {
      await this.listening;
    } catch (err) {
      this.listening = undefined;
      this.options.log.error({ err, channel: this.options.channel }, 'cannot listen for live changes');
      throw new DomainError(503, code, 'Live updates are not available right now');
    }
  }

  /** Adds a client of a key (after ready()); it is detached when its stream closes. Returns its detach. */
  attach(key: K, client: LiveClient<V>): () => void {
    let set = this.clients.get(key);
    if (!set) {
      set = new Set();
      this.clients.set(key, set);
    }
    set.add(client);
    client.res.on('close', () => this.detach(key, client));
    this.heartbeat ??= setInterval(() => this.broadcast(': keep-alive\n\n'), this.heartbeatMs).unref();
    return () => this.detach(key, client);
  }

  /**
   * Reads the key's value now and delivers it to one client: a stream's first frame. Attach first, then
   * call this, so that a change committed in between is pushed after it and never lost.
   */
  async sendCurrent(key: K, client: LiveClient<V>): Promise<void> {
    await client.deliver(await this.options.load(key));
  }

  detach(key: K, client: LiveClient<V>): void {
    const set = this.clients.get(key);
    if (!set) return;
    set.delete(client);
    if (set.size === 0) {
      this.clients.delete(key);
      this.lastRead.delete(key);
    }
  }

  /** How many clients this process is feeding (for tests and metrics). */
  get clientCount(): number {
    let n = 0;
    for (const set of this.clients.values()) n += set.size;
    return n;
  }

  private heard(payload: string): void {
    const resolve = this.options.resolveKey;
    if (!resolve) {
      this.changed(payload as K);
      return;
    }
    const has = (key: K) => this.clients.has(key);
    Promise.resolve()
      .then(() => resolve(payload, has))
      .then(
        (key) => key !== undefined && this.changed(key),
        (err: unknown) => this.options.log.warn({ err, payload }, 'cannot resolve a live notification'),
      );
  }

  // A change is pushed at once when the key was not read in the last foldMs; otherwise it waits for the end of
  // that window, together with every other change of the key in it (one read per key per foldMs at most).
  private changed(key: K): void {
    if (this.closed || !this.clients.has(key) || this.pending.has(key)) return;
    const wait = Math.max(0, (this.lastRead.get(key) ?? 0) + this.foldMs - Date.now());
    this.pending.set(
      key,
      setTimeout(() => {
        this.pending.delete(key);
        this.lastRead.set(key, Date.now());
        void this.push(key);
      }, wait),
    );
  }

  private async push(key: K): Promise<void> {
    let value: V | undefined;
    try {
      value = await this.options.load(key);
    } catch (err) {
      this.options.log.warn({ err, key, channel: this.options.channel }, 'cannot read a live value');
      return;
    }
    for (const client of this.clients.get(key) ?? []) {
      try {
        await client.deliver(value);
      } catch (err) {
        this.options.log.warn({ err, key, channel: this.options.channel }, 'cannot deliver a live value');
        client.res.end();
      }
    }
  }

  private broadcast(chunk: string): void {
    for (const set of this.clients.values()) for (const c of set) c.res.write(chunk);
  }

  /** Ends every stream (so the HTTP server can close) and stops listening. */
  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.pending.values()) clearTimeout(t);
    this.pending.clear();
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const set of this.clients.values()) for (const c of set) c.res.end();
    this.clients.clear();
    const listening = this.listening;
    this.listening = undefined;
    const unlisten = await listening?.catch(() => undefined);
    await unlisten?.().catch((err: unknown) =>
      this.options.log.warn({ err, channel: this.options.channel }, 'cannot stop listening'),
    );
  }
}
