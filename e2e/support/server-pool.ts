import { createServer, type Server } from 'node:http';
import { copyOf, type Template } from './database-copy';
import { freePort, servesWebApp, spawnServer } from './server';

// Warm servers for the test files. Starting the server (tsx, PGlite opening its copy of the template, the app's
// routes) takes 10-15 s of a file's time on CI; the pool, in the main vitest process, starts the next files'
// servers while the current files run, so a file gets one already listening. Each file still gets its own fresh
// server on its own copy of the template, started with the default options; it stops it when it is done.
//
// The test files talk to the pool over HTTP on 127.0.0.1 (they run in child processes):
//   POST /claim        -> 200 { id, port } of a ready server (waits for one, starts another behind it)
//   POST /release?id=  -> 204 once that server has exited and its database is gone

type Warm = {
  id: number;
  /** The port, once the server answers /ready and serves the web app. */
  ready: Promise<number>;
  alive: () => boolean;
  kill: () => Promise<void>;
};

export type ServerPool = {
  url: string;
  /** Starts servers up to the spares (as many as are still expected); each claim does it too. */
  refill: () => void;
  close: () => Promise<void>;
};

export async function startServerPool(options: {
  template: Template;
  /** How many servers to keep started ahead of the files that will ask for one. */
  spares: number;
  /** How many servers the run will ask for at most, as far as known when a claim comes (read each time). */
  expectedClaims: () => number;
}): Promise<ServerPool> {
  const waiting: Warm[] = [];
  const claimed = new Map<number, Warm>();
  let started = 0;
  let claims = 0;
  let closed = false;

  const t0 = Date.now();
  const log =
    process.env.E2E_POOL_LOG === '1'
      ? (m: string) => console.log(`[e2e pool +${Date.now() - t0} ms] ${m}`)
      : () => {};

  const startOne = (): Warm => {
    started += 1;
    const id = started;
    const startedAt = Date.now();
    log(`server #${id} starting`);
    const spawned = (async () => {
      const copy = await copyOf(options.template);
      const port = await freePort();
      // The environment of startServer() with the default options.
      return { copy, port, server: spawnServer(port, { ...copy.env, NEWHMS_MFA_REQUIRED_ROLES: '' }) };
    })();
    const ready = (async () => {
      const { port, server } = await spawned;
      await server.ready();
      if (!(await servesWebApp(`http://127.0.0.1:${port}`))) {
        throw new Error(
          'the server does not serve the web app at / (is apps/web/dist built? run scripts/ensure-web-build.mjs)',
        );
      }
      log(`server #${id} ready after ${Date.now() - startedAt} ms`);
      return port;
    })();
    // A failed start is reported to the file that claims it, not as an unhandled rejection.
    ready.catch(() => undefined);
    const kill = async () => {
      const { copy, server } = await spawned;
      await server.kill();
      await copy.dispose();
    };
    let child: { exitCode: number | null; signalCode: string | null } | undefined;
    spawned.then(
      ({ server }) => {
        child = server.child;
      },
      () => undefined,
    );
    const alive = () => child !== undefined && child.exitCode === null && child.signalCode === null;
    return { id, ready, alive, kill };
  };

  const refill = () => {
    while (!closed && waiting.length < options.spares && claims + waiting.length < options.expectedClaims()) {
      waiting.push(startOne());
    }
  };

  const claim = async (): Promise<{ id: number; port: number }> => {
    claims += 1;
    const number = claims;
    const claimedAt = Date.now();
    let next = waiting.shift() ?? startOne();
    refill();
    claimed.set(next.id, next);
    try {
      let port = await next.ready;
      if (!next.alive()) {
        // It stopped while it waited (it should not): this file gets a new one.
        claimed.delete(next.id);
        await next.kill();
        next = startOne();
        claimed.set(next.id, next);
        port = await next.ready;
      }
      log(`claim ${number} got server #${next.id} after ${Date.now() - claimedAt} ms`);
      return { id: next.id, port };
    } catch (err) {
      claimed.delete(next.id);
      await next.kill();
      throw err;
    }
  };

  const http: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://pool');
    const reply = (status: number, body?: unknown) => {
      res.writeHead(status, body ? { 'Content-Type': 'application/json' } : {});
      res.end(body ? JSON.stringify(body) : undefined);
    };
    if (req.method === 'POST' && url.pathname === '/claim') {
      claim().then(
        (warm) => reply(200, warm),
        (err: unknown) => reply(500, { error: String(err) }),
      );
      return;
    }
    if (req.method === 'POST' && url.pathname === '/release') {
      const warm = claimed.get(Number(url.searchParams.get('id')));
      claimed.delete(Number(url.searchParams.get('id')));
      (warm?.kill() ?? Promise.resolve()).then(
        () => reply(204),
        (err: unknown) => reply(500, { error: String(err) }),
      );
      return;
    }
    reply(404, { error: 'not found' });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const address = http.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    url: `http://127.0.0.1:${port}`,
    refill,
    close: async () => {
      closed = true;
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await Promise.allSettled([...waiting, ...claimed.values()].map((w) => w.kill()));
      waiting.length = 0;
      claimed.clear();
    },
  };
}
