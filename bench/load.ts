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
};

/** Drives one URL with autocannon: a warm-up whose numbers are discarded, then the measured run. */
export async function measureLoad(
  spec: LoadSpec,
  label: { target: string; database: string },
): Promise<Measurement> {
  const base = {
    url: spec.url,
    connections: spec.connections,
    headers: spec.headers ?? {},
    method: spec.method ?? 'GET',
    body: spec.body,
  };
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
  };
}

/** Sets each measurement's ratio of requests/s to the baseline's. */
export function withRatios(baseline: Measurement, rows: Measurement[]): Measurement[] {
  return rows.map((m) => ({ ...m, ratioToBaseline: m.requestsPerSecond / baseline.requestsPerSecond }));
}
