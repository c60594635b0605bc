// npm run bench [-- --only <name>] [--duration <s>] [--warmup <s>] [--connections <n>] [--no-write]
//   [--patients <n>] [--pglite-patients <n>]
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { authMeBench } from './auth-me.bench';
import { bedBoardBench } from './bed-board.bench';
import type { Bench, BenchOptions } from './bench';
import { invoiceGenerationBench } from './invoice-generation.bench';
import { labResultsBench } from './lab-results.bench';
import { opdBookingBench } from './opd-booking.bench';
import { patientSearchBench } from './patient-search.bench';
import { prescriptionCheckBench } from './prescription-check.bench';
import { writeBenchSection } from './results-file';

/** Every benchmark, in run order. A new one is one file `<name>.bench.ts` plus one line here. */
const benches: readonly Bench[] = [
  authMeBench,
  opdBookingBench,
  patientSearchBench,
  bedBoardBench,
  invoiceGenerationBench,
  prescriptionCheckBench,
  labResultsBench,
];

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '10' },
    'no-write': { type: 'boolean', default: false },
    patients: { type: 'string', default: '1000000' },
    'pglite-patients': { type: 'string', default: '100000' },
  },
});

function positive(name: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a non-negative number, not ${raw}`);
  return n;
}

const selected = values.only ? benches.filter((b) => b.name === values.only) : benches;
if (selected.length === 0) {
  console.error(`No benchmark named ${values.only}. Known: ${benches.map((b) => b.name).join(', ')}`);
  process.exit(2);
}

const options: BenchOptions = {
  durationSeconds: positive('duration', values.duration),
  warmupSeconds: positive('warmup', values.warmup),
  connections: Math.max(1, Math.round(positive('connections', values.connections))),
  postgresAdminUrl: process.env.DATABASE_URL || process.env.TEST_DATABASE_URL || undefined,
  log: (line) => console.log(`  ${line}`),
  patients: Math.round(positive('patients', values.patients)),
  pglitePatients: Math.round(positive('pglite-patients', values['pglite-patients'])),
};
const resultsFile = new URL('./RESULTS.md', import.meta.url);

if (!options.postgresAdminUrl)
  console.log('DATABASE_URL/TEST_DATABASE_URL unset: PostgreSQL rows are skipped.');
for (const bench of selected) {
  console.log(`${bench.name}: ${bench.title}`);
  const date = new Date();
  const report = await bench.run(options);
  console.table(
    report.measurements.map((m) => ({
      target: m.target,
      database: m.database,
      'req/s': Math.round(m.requestsPerSecond),
      p50: m.latencyP50Ms,
      'p97.5': m.latencyP975Ms,
      p99: m.latencyP99Ms,
      ratio: m.ratioToBaseline?.toFixed(2),
      failures: m.failures,
      load: m.loadAverage.toFixed(1),
    })),
  );
  for (const note of report.notes ?? []) console.log(`- ${note}`);
  console.log(report.meaning);
  if (!values['no-write']) {
    writeBenchSection(resultsFile, bench, report, { date, options, cpuCount: availableParallelism() });
  }
}
if (!values['no-write']) console.log(`Results written to ${resultsFile.pathname}`);
