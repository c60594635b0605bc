/** What every benchmark in bench/ exports, and what run.ts hands it. */

export type BenchOptions = {
  /** Measured seconds per target, after the warm-up. */
  durationSeconds: number;
  warmupSeconds: number;
  connections: number;
  /** A PostgreSQL server URL the bench may create and drop scratch databases on; absent: PGlite only. */
  postgresAdminUrl: string | undefined;
  log: (line: string) => void;
  /** Generated patients for the patient-search bench on PostgreSQL, and on PGlite (0 skips PGlite). */
  patients?: number;
  pglitePatients?: number;
};

/** One measured target: a row of the results table. */
export type Measurement = {
  target: string;
  database: string;
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP975Ms: number;
  latencyP99Ms: number;
  requests: number;
  /** Connection errors, timeouts and non-2xx answers; anything above 0 makes the row suspect. */
  failures: number;
  /** The machine's 1-minute load average when the measured run ended: above its CPU count, others competed. */
  loadAverage: number;
  /** Requests/s relative to the run's baseline row (1 for the baseline itself). */
  ratioToBaseline?: number;
};

export type BenchReport = {
  measurements: Measurement[];
  /** One or two sentences: what the numbers say. */
  meaning: string;
  /** Facts of this run shown above the meaning (data set, load time, findings), one bullet each. */
  notes?: string[];
  /**
   * How the rows were driven and timed, when not by autocannon with the run's options: replaces the "load"
   * line of the section (and its latencies are then the bench's own, to 0.1 ms).
   */
  driver?: string;
};

export type Bench = {
  /** Used by --only and as the RESULTS.md section key. */
  name: string;
  title: string;
  /** What is measured, and how; shown in RESULTS.md above the table. */
  description: string;
  run(options: BenchOptions): Promise<BenchReport>;
};
