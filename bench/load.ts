import { loadavg } from 'node:os';
import autocannon from 'autocannon';
import type { Measurement } from './bench';

export type LoadSpec = {
  url: string;
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
  headers?: Record<string, string>;
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: string;
  /** Paths (with query strings) taken in turn, one per request, instead of the URL's own path. */
  paths?: readonly string[];
  /**
   * A body per request, called once for every request autocannon builds (warm-up and measured run alike, so a
   * body is never sent twice when each call returns a new one). Takes precedence over `body`.
   */
  nextBody?: () => string;
  /** Sees every answer (status and body) of the nextBody requests. */
  onResponse?: (status: number, body: string) => void;
  /** Send exactly this many requests (no warm-up, no duration): a burst. */
  amount?: number;
};

export type LoadResult = Measurement & {
  /** Answers by HTTP status code. */
  statusCodes: Record<string, number>;
};

/** Drives one URL with autocannon: a warm-up whose numbers are discarded, then the measured run. */
export async function measureLoad(
  spec: LoadSpec,
  label: { target: string; database: string },
): Promise<LoadResult> {
  const base = {
    url: spec.url,
    connections: spec.connections,
    headers: spec.headers ?? {},
    method: spec.method ?? 'GET',
    body: spec.body,
    ...(spec.paths && spec.paths.length > 0 ? { requests: [rotating(spec.paths)] } : {}),
    ...(spec.nextBody ? { requests: [withBodies(spec.nextBody, spec.onResponse)] } : {}),
  };
  if (spec.amount !== undefined) {
    // Every request of a burst is answered however long it queues (autocannon's default gives up after 10 s).
    const result = await autocannon({ ...base, amount: spec.amount, timeout: 300 });
    return {
      ...label,
      // A burst: its requests over its wall-clock time (autocannon's per-second average needs whole seconds).
      requestsPerSecond: result.requests.total / Math.max(result.duration, 0.001),
      latencyP50Ms: result.latency.p50,
      latencyP975Ms: result.latency.p97_5,
      latencyP99Ms: result.latency.p99,
      requests: result.requests.total,
      failures: result.errors + result.timeouts + result.non2xx,
      loadAverage: loadavg()[0] ?? 0,
      statusCodes: statusCounts(result.statusCodeStats),
    };
  }
  if (spec.warmupSeconds > 0) await autocannon({ ...base, duration: spec.warmupSeconds });
  const result = await autocannon({ ...base, duration: spec.durationSeconds });
  return {
    ...label,
    requestsPerSecond: result.requests.average,
    latencyP50Ms: result.latency.p50,
    latencyP975Ms: result.latency.p97_5,
    latencyP99Ms: result.latency.p99,
    requests: result.requests.total,
    failures: result.errors + result.timeouts + result.non2xx,
    loadAverage: loadavg()[0] ?? 0,
    statusCodes: statusCounts(result.statusCodeStats),
  };
}

function statusCounts(stats: Record<string, { count?: number }> | undefined): Record<string, number> {
  return Object.fromEntries(Object.entries(stats ?? {}).map(([code, s]) => [code, s.count ?? 0]));
}

/** An autocannon request whose body is the next of nextBody() each time it is built. */
function withBodies(nextBody: () => string, onResponse?: (status: number, body: string) => void) {
  return {
    setupRequest: (request: autocannon.Request) => ({ ...request, body: nextBody() }),
    ...(onResponse ? { onResponse } : {}),
  };
}

/** An autocannon request that takes the next path of the list each time it is sent (all connections share it). */
function rotating(paths: readonly string[]) {
  let next = 0;
  return {
    setupRequest: (request: { path?: string }) => {
      const path = paths[next % paths.length]!;
      next += 1;
      return { ...request, path };
    },
  };
}

/** Sets each measurement's ratio of requests/s to the baseline's. */
export function withRatios(baseline: Measurement, rows: Measurement[]): Measurement[] {
  return rows.map((m) => ({ ...m, ratioToBaseline: m.requestsPerSecond / baseline.requestsPerSecond }));
}
