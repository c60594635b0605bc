import type { Bench, Measurement } from './bench';
import { measureLoad, withRatios } from './load';
import { forEachDatabase, startNewhmsServer } from './newhms-server';
import { startServerProcess } from './server-process';

/** Authenticated GET /api/v1/auth/me against a bare Fastify route: the cost of the platform per request. */
export const authMeBench: Bench = {
  name: 'auth-me',
  title: 'Authenticated GET /api/v1/auth/me',
  description:
    'A bare Fastify app answering `GET /ping` with a small JSON object (the baseline) against the real app ' +
    'answering `GET /api/v1/auth/me` with a bearer token. Per request the app verifies the JWT, loads the ' +
    'session with its user and role grants in one query (/me reuses them), and runs every platform hook ' +
    '(request id, security headers, metrics). Each server runs in its own child process; autocannon drives it ' +
    'from the parent over 127.0.0.1.',
  async run(options) {
    const load = {
      connections: options.connections,
      durationSeconds: options.durationSeconds,
      warmupSeconds: options.warmupSeconds,
    };

    options.log('baseline: bare Fastify');
    const bare = await startServerProcess(new URL('./servers/bare-fastify.ts', import.meta.url), {});
    let baseline: Measurement;
    try {
      baseline = await measureLoad(
        { ...load, url: `${bare.origin}/ping` },
        { target: 'bare Fastify `GET /ping`', database: 'none' },
      );
    } finally {
      await bare.stop();
    }

    const appRows = await forEachDatabase(options, async (target) => {
      options.log(`Newhms on ${target.label}`);
      const server = await startNewhmsServer(target);
      try {
        return await measureLoad(
          {
            ...load,
            url: `${server.origin}/api/v1/auth/me`,
            headers: { authorization: `Bearer ${server.accessToken}` },
          },
          { target: 'Newhms `GET /api/v1/auth/me`', database: target.label },
        );
      } finally {
        await server.stop();
      }
    });

    const measurements = withRatios(baseline, [baseline, ...appRows]);
    const summary = appRows
      .map((m) => `${Math.round(m.requestsPerSecond)} req/s at p99 ${m.latencyP99Ms} ms on ${m.database}`)
      .join(', ');
    const factor = Math.max(...appRows.map((m) => baseline.requestsPerSecond / m.requestsPerSecond));
    return {
      measurements,
      meaning:
        `One server process answers ${summary}; the platform's per-request work (JWT check, session, ` +
        `grants query, hooks, response validation) makes a signed-in request up to ` +
        `${factor.toFixed(0)}x dearer than a bare Fastify reply. This is the floor under every authenticated ` +
        'endpoint: a module route can only be slower.',
    };
  },
};
