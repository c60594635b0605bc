import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import type { Bench, BenchOptions, BenchReport, Measurement } from './bench';

const HEADER = `# Benchmark results

Written by \`npm run bench\` (see README.md). Each section is replaced when its benchmark runs again;
numbers are from the machine named in the section, not a promise for another one.
`;

export type RunContext = { date: Date; options: BenchOptions; cpuCount: number };

/** Replaces the section of this bench in RESULTS.md (or appends it), keeping every other section. */
export function writeBenchSection(file: URL, bench: Bench, report: BenchReport, run: RunContext): void {
  const start = `<!-- bench:${bench.name}:start -->`;
  const end = `<!-- bench:${bench.name}:end -->`;
  const section = `${start}\n${renderSection(bench, report, run)}\n${end}`;
  const current = existsSync(file) ? readFileSync(file, 'utf8') : HEADER;
  const from = current.indexOf(start);
  const to = current.indexOf(end);
  const next =
    from >= 0 && to > from
      ? `${current.slice(0, from)}${section}${current.slice(to + end.length)}`
      : `${current.trimEnd()}\n\n${section}\n`;
  writeFileSync(file, next);
}

function renderSection(bench: Bench, report: BenchReport, run: RunContext): string {
  const { options } = run;
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  const busiest = Math.max(...report.measurements.map((m) => m.loadAverage));
  const caveat =
    busiest > run.cpuCount
      ? [
          `**Caveat:** other processes loaded this machine during the run (load average up to ${busiest.toFixed(1)} ` +
            `on ${run.cpuCount} CPUs). Every row reads low, and the rows whose server needs more processes ` +
            '(the app plus PostgreSQL) suffer most; rerun on a quiet machine before comparing with another run.',
          '',
        ]
      : [];
  return [
    `## ${bench.title} (\`${bench.name}\`)`,
    '',
    bench.description,
    '',
    `- date: ${run.date.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    `- machine: ${run.cpuCount} CPUs (${cpu}), Node ${process.version}, ${process.platform}/${process.arch}`,
    report.driver
      ? `- load: ${report.driver}`
      : `- load: autocannon, ${options.connections} connections, ${options.warmupSeconds} s warm-up then ${options.durationSeconds} s measured per row`,
    '',
    renderTable(
      [
        'target',
        'database',
        'requests/s',
        'p50 ms',
        'p97.5 ms',
        'p99 ms',
        'vs baseline',
        'requests',
        'failures',
        'load avg',
      ],
      report.measurements.map(renderRow),
    ),
    '',
    (report.driver
      ? 'Latencies are measured in the bench process, to 0.1 ms. '
      : "Latencies are autocannon's, in whole milliseconds. ") +
      '"load avg" is the 1-minute load average when the row ' +
      `finished; above ${run.cpuCount} other processes were competing for the CPUs and the row reads low.`,
    '',
    ...caveat,
    ...(report.notes && report.notes.length > 0 ? [...report.notes.map((n) => `- ${n}`), ''] : []),
    `**What this means:** ${report.meaning}`,
  ].join('\n');
}

function renderRow(m: Measurement): string[] {
  return [
    m.target,
    m.database,
    String(Math.round(m.requestsPerSecond)),
    String(m.latencyP50Ms),
    String(m.latencyP975Ms),
    String(m.latencyP99Ms),
    m.ratioToBaseline === undefined ? '' : m.ratioToBaseline.toFixed(3),
    String(m.requests),
    String(m.failures),
    m.loadAverage.toFixed(1),
  ];
}

/** A Markdown table padded the way the formatter (Biome) prints it: text left, numbers right. */
function renderTable(header: string[], rows: string[][]): string {
  const numeric = header.map((_, i) => i >= 2);
  const widths = header.map((h, i) => Math.max(3, h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(' | ')} |`;
  const rule = `| ${widths.map((w, i) => (numeric[i] ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}
