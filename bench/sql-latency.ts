import { loadavg } from 'node:os';
import type { Measurement } from './bench';

/** expectedId: the patient the statement should find (for the recall check). */
export type Statement = { text: string; params: unknown[]; kind: string; expectedId?: string };
/** Runs one statement on one connection; one runner per simulated client. */
export type StatementRunner = (text: string, params: unknown[]) => Promise<unknown>;

export type LatencyStats = { count: number; p50: number; p975: number; p99: number; max: number };

/**
 * Runs statements in turn on each runner (each a connection, as a client of the app would be) as fast as
 * they answer: a warm-up whose numbers are discarded, then the measured run. Latencies are per statement,
 * from sending it to having all rows, in milliseconds with one decimal (autocannon rounds to whole ms).
 */
export async function measureStatements(
  runners: readonly StatementRunner[],
  statements: readonly Statement[],
  spec: { durationSeconds: number; warmupSeconds: number },
  label: { target: string; database: string },
): Promise<Measurement & { byKind: Map<string, LatencyStats> }> {
  let next = 0;
  const drive = async (seconds: number, record: boolean) => {
    const samples: { ms: number; kind: string }[] = [];
    let failures = 0;
    const until = performance.now() + seconds * 1000;
    await Promise.all(
      runners.map(async (run) => {
        while (performance.now() < until) {
          const s = statements[next % statements.length]!;
          next += 1;
          const t0 = performance.now();
          try {
            await run(s.text, s.params);
            if (record) samples.push({ ms: performance.now() - t0, kind: s.kind });
          } catch {
            failures += 1;
          }
        }
      }),
    );
    return { samples, failures };
  };
  if (spec.warmupSeconds > 0) await drive(spec.warmupSeconds, false);
  const { samples, failures } = await drive(spec.durationSeconds, true);
  const all = stats(samples.map((s) => s.ms));
  const byKind = new Map<string, LatencyStats>();
  const kinds = new Set(samples.map((s) => s.kind));
  for (const k of kinds) byKind.set(k, stats(samples.filter((s) => s.kind === k).map((s) => s.ms)));
  return {
    ...label,
    requestsPerSecond: samples.length / spec.durationSeconds,
    latencyP50Ms: all.p50,
    latencyP975Ms: all.p975,
    latencyP99Ms: all.p99,
    requests: samples.length,
    failures,
    loadAverage: loadavg()[0] ?? 0,
    byKind,
  };
}

export function stats(values: readonly number[]): LatencyStats {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => {
    if (sorted.length === 0) return 0;
    const v = sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
    return Math.round(v * 10) / 10;
  };
  return { count: sorted.length, p50: at(0.5), p975: at(0.975), p99: at(0.99), max: at(1) };
}
