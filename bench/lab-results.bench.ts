import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hl7Message } from '@medplum/core';
import { Hl7Client } from '@medplum/hl7';
import type { LabRequest } from '@newhms/contracts';
import pg from 'pg';
import { seedLabCatalog } from '../apps/server/src/modules/laboratory/catalog.service';
import { formatHl7DateTime } from '../apps/server/src/modules/laboratory/hl7/ack';
import { createRandom, type Random } from '../apps/server/src/modules/patients/synthetic/random';
import { FieldCipher } from '../apps/server/src/platform/crypto/field-cipher';
import { type Database, openDatabase } from '../apps/server/src/platform/db/database';
import { runMigrations } from '../apps/server/src/platform/db/migrate';
import { facilityToday } from '../apps/server/src/platform/organization/facility-context';
import { ensureDefaultFacility } from '../apps/server/src/platform/organization/organization.service';
import type { Bench, BenchOptions, Measurement } from './bench';
import { startNewhmsServer } from './newhms-server';
import { loadPatients } from './patient-data';
import { createScratchDatabase, postgresVersion } from './scratch-database';
import { startServerProcess } from './server-process';
import { stats } from './sql-latency';

const SEED = 20_260_808;
/** Generated patients: the day's requests go to the first ones, the history to all of them. */
const PATIENTS = 1200;
/**
 * Samples of earlier days written straight into the tables before the run (received, their requests
 * completed): ~3 months of a 300-bed hospital's laboratory at ~1,100 tubes a day, so that every lookup by
 * accession number runs against a table of the size it has in use, not an empty one.
 */
const HISTORY_SAMPLES = 100_000;
const HISTORY_PER_DAY = 1100;
/** The day's panels: each patient's walk-in is a CBC (haematology analyzer) and a KFT (chemistry analyzer). */
const PANELS = [
  { code: 'CBC', name: 'Complete blood count', loinc: '57021-8', sender: 'XN-1000' },
  { code: 'KFT', name: 'Kidney function tests', loinc: '', sender: 'COBAS-C311' },
] as const;
type Panel = (typeof PANELS)[number];
/** Analyzers sending at once in the parallel row (one MLLP connection each). */
const ANALYZERS = 4;
/**
 * Messages (or HTTP requests) per row: a discarded warm-up, then up to max or ROW_SECONDS (at most the
 * run's --duration), whichever comes first. The one-connection row's warm-up is the tubes made through the API.
 */
const ONE = { warmup: 2 * 3, max: 600 };
const MANY = { warmup: 4, max: 800 };
const BY_HAND = { warmup: 3, max: 200 };
const ECHO = { warmup: 50, max: 5000 };
const FLOOR = { warmup: 20, max: 3000 };
const LOOKUPS = 300;
const ROW_SECONDS = 5;
const FLOOR_SECONDS = 4;
/** Patients whose walk-in goes through the API (walk-in, collect and receive each tube): the warm-up tubes. */
const API_PATIENTS = ONE.warmup / PANELS.length;
/** Walk-ins set up at once through the API. */
const SETUP_WORKERS = 2;
/** Targets (PostgreSQL, one analyzer connection). */
const TARGET_RESULTS_PER_SECOND = 50;
const TARGET_P99_MS = 250;
/** Messages the target's row measures at least, even past ROW_SECONDS on a slow machine. */
const TARGET_MIN = 60;
const LAB_PASSWORD = 'bench-Lab-password-42';

/** Typical adult values [low, high] in the catalog's units; drawn 15% beyond either end, so some are flagged. */
const TYPICAL: Record<string, readonly [number, number]> = {
  HB: [12, 16.5],
  RBC: [4, 5.5],
  HCT: [36, 50],
  MCV: [83, 101],
  MCH: [27, 32],
  MCHC: [31.5, 34.5],
  RDW: [11.6, 14],
  WBC: [4, 11],
  NEUT_PCT: [40, 75],
  LYMPH_PCT: [20, 45],
  MONO_PCT: [2, 10],
  EOS_PCT: [1, 6],
  BASO_PCT: [0.1, 2],
  NEUT_ABS: [2, 7],
  LYMPH_ABS: [1, 3],
  MONO_ABS: [0.2, 1],
  EOS_ABS: [0.05, 0.5],
  BASO_ABS: [0.02, 0.1],
  PLT: [150, 410],
  MPV: [7.5, 11.5],
  UREA: [15, 45],
  CREAT: [0.6, 1.3],
  URIC: [2.6, 7.2],
  EGFR: [60, 120],
  NA: [135, 145],
  K: [3.5, 5.1],
  CL: [98, 107],
};

type Target =
  | { kind: 'pglite'; label: string; dir: string }
  | { kind: 'postgres'; label: string; url: string };

type ResultLine = {
  id: string;
  testCode: string;
  testName: string;
  loincCode: string | null;
  unit: string | null;
  section: string;
  resultType: string;
  position: number;
  value: number;
};
/** A received tube of the day with the values its analyzer measured. */
type Tube = {
  requestId: string;
  sampleId: string;
  accession: string;
  patientId: string;
  mrn: string;
  panel: Panel;
  results: ResultLine[];
};
/** One ORU^R01 as it goes on the wire, parsed once for the client ahead of the timing. */
type Oru = { tube: Tube; controlId: string; message: Hl7Message };
/** Items per row: `warmup` discarded, then up to `max` until `seconds` have passed, but not fewer than `min`. */
type Loop = { warmup: number; max: number; seconds: number; min?: number };
/** A measured row, with the results it filed per second and how many items it took (warm-up included). */
type Row = Measurement & { resultsPerSecond: number; done: number; taken: number };

export const labResultsBench: Bench = {
  name: 'lab-results',
  title: 'Laboratory results throughput: analyzer ORU^R01 over MLLP, and entry and validation by hand',
  description:
    `${PATIENTS.toLocaleString('en')} generated patients, a history of ${HISTORY_SAMPLES.toLocaleString('en')} ` +
    `received samples of earlier days (~${Math.round(HISTORY_SAMPLES / HISTORY_PER_DAY)} days at ` +
    `${HISTORY_PER_DAY.toLocaleString('en')} tubes a day) and the day's tubes (a walk-in for ` +
    `${PANELS.map((p) => p.code).join(' + ')} per patient, each tube collected and received, results pending) ` +
    "written straight into the tables; then, through the real app's API (child process, its MLLP listener on " +
    'a loopback port): a lab technician and a pathologist (`POST /api/v1/auth/users`, password changed), and ' +
    `the first ${API_PATIENTS} walk-ins (\`POST /api/v1/laboratory/requests\`, \`POST …/samples/:id/collect\`, ` +
    "`POST …/samples/receive`), whose tubes are the analyzer's warm-up (the set-up note says what a tube " +
    'costs through the API: too slow for the volume). Analyzer path: one ORU^R01 per tube (MSH-3 XN-1000 ' +
    'with the 20 CBC results, COBAS-C311 with the 7 KFT results; PID-3 the MRN, OBR-3 the accession, OBX-3 ' +
    "LOINC, OBX-6 the unit) sent by @medplum/hl7's `Hl7Client` from the bench process, each waited for until " +
    `its ACK: one connection, one message at a time, then ${ANALYZERS} connections at once (${ANALYZERS} ` +
    'analyzers); every ACK must be AA, and afterwards every OBX must be in `laboratory.results` as entered ' +
    'from the analyzer and every message in `analyzer_messages`. By hand: the technician enters each ' +
    "request's results (`POST …/requests/:id/results`) and the pathologist validates them " +
    '(`POST …/requests/:id/validate`, which completes the request and publishes the event), one request at ' +
    'a time, afterwards checked in the tables. Baselines in the same run: the MLLP floor ' +
    '(`servers/mllp-echo.ts`: the same listener, ORU reader and ACK builder answering AA without a database; ' +
    'the "vs baseline" column is messages/s relative to it at one connection) and the database floor: each ' +
    "message's results written with one statement from the bench process (`INSERT … ON CONFLICT (request_id, " +
    'test_code) DO UPDATE` into `laboratory.results`, the rows the analyzer filed; no lookup, lock, audit or ' +
    `message log; PGlite one connection, PostgreSQL 1 and ${ANALYZERS}); beside them the analyzer's sample ` +
    'lookup by accession alone, and the same sample found through the unique index. Rows run up to ' +
    `${ROW_SECONDS} s (baselines ${FLOOR_SECONDS} s) after a short warm-up (the target's row: at least ` +
    `${TARGET_MIN} messages on PostgreSQL). Latencies from sending to the ACK ` +
    '(or HTTP answer), to 0.1 ms; "requests/s" is messages (or HTTP requests, or statements) per second; ' +
    'results per second are in the notes. PGlite (data directory) and PostgreSQL. The target: a 300-bed ' +
    "hospital's laboratory files ~5,000-10,000 results a day, half of them in a morning peak of ~3 hours " +
    '(under 1 result/s on average), but an analyzer that reconnects or finishes a rack sends its whole queue ' +
    `at once, and the wards wait for it: on PostgreSQL, one connection, >= ${TARGET_RESULTS_PER_SECOND} ` +
    `results/s with p99 ACK < ${TARGET_P99_MS} ms, every ACK AA and every result in the tables.`,
  async run(options) {
    const rows: Measurement[] = [];
    const notes: string[] = [];
    const lines: string[] = [];
    let echo: Row | undefined;
    const dir = mkdtempSync(join(tmpdir(), 'newhms-bench-lab-'));
    let postgres: Outcome | undefined;
    try {
      const r = await runOn({ kind: 'pglite', label: 'PGlite (data dir)', dir }, options, true);
      echo = r.echo;
      rows.push(...r.rows);
      notes.push(...r.notes);
      lines.push(r.line);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    if (options.postgresAdminUrl) {
      const scratch = await createScratchDatabase(options.postgresAdminUrl, 'lab_results');
      try {
        const version = await postgresVersion(scratch.url);
        postgres = await runOn(
          { kind: 'postgres', label: `PostgreSQL ${version.split(' ')[0]}`, url: scratch.url },
          options,
          false,
        );
        rows.push(...postgres.rows);
        notes.push(...postgres.notes);
        lines.push(postgres.line);
      } finally {
        await scratch.drop();
      }
    } else {
      notes.push('PostgreSQL rows skipped: set DATABASE_URL or TEST_DATABASE_URL.');
    }
    const baseline = echo!;
    const measurements = rows.map((m) => ({
      ...m,
      ratioToBaseline: m.requestsPerSecond / baseline.requestsPerSecond,
    }));
    let verdict: string;
    if (postgres) {
      const a = postgres.one;
      const pass =
        postgres.checked &&
        a.failures === 0 &&
        a.resultsPerSecond >= TARGET_RESULTS_PER_SECOND &&
        a.latencyP99Ms < TARGET_P99_MS;
      verdict =
        `Target (PostgreSQL, one analyzer connection: >= ${TARGET_RESULTS_PER_SECOND} results/s, p99 ACK < ` +
        `${TARGET_P99_MS} ms, every ACK AA and every result in the tables): ${pass ? 'PASS' : 'FAIL'} ` +
        `(${a.resultsPerSecond.toFixed(0)} results/s, p99 ${a.latencyP99Ms} ms, ${a.failures} failures).`;
    } else {
      verdict = 'The target is for PostgreSQL: not judged in a PGlite-only run.';
    }
    const rowSeconds = Math.min(options.durationSeconds, ROW_SECONDS);
    const driver =
      "@medplum/hl7's Hl7Client (MLLP) and fetch (HTTP) from the bench process, each connection one message or " +
      `request at a time; a warm-up of ${ONE.warmup} (the API's tubes), ${MANY.warmup} and ${BY_HAND.warmup} ` +
      `discarded, then up to ${rowSeconds} s per row (baselines ${Math.min(options.durationSeconds, FLOOR_SECONDS)} s` +
      `; the target's row at least ${TARGET_MIN} messages on PostgreSQL)`;
    return { measurements, notes, driver, meaning: [verdict, ...lines].join(' ') };
  },
};

type Outcome = {
  rows: Measurement[];
  notes: string[];
  line: string;
  echo?: Row;
  one: Row;
  checked: boolean;
};

async function runOn(target: Target, options: BenchOptions, withEcho: boolean): Promise<Outcome> {
  const { label } = target;
  const notes: string[] = [];
  const errors: string[] = [];
  const seconds = options.durationSeconds;
  const dataKey = randomBytes(32).toString('base64');
  const cipher = new FieldCipher(Buffer.from(dataKey, 'base64'));
  const open = (poolSize = 2) =>
    target.kind === 'pglite'
      ? openDatabase({ dataDir: target.dir })
      : openDatabase({ url: target.url, poolSize });

  const rowSeconds = Math.min(seconds, ROW_SECONDS);
  const floorSeconds = Math.min(seconds, FLOOR_SECONDS);
  const apiTubes = API_PATIENTS * PANELS.length;
  const dayTubes = ONE.max + MANY.warmup + MANY.max + BY_HAND.warmup + BY_HAND.max;
  const random = createRandom(SEED);

  // 1. Patients, the history of earlier days and the day's received tubes, written by this process.
  const timing: string[] = [];
  let facility: { id: string; code: string };
  let patients: { id: string; mrn: string }[];
  let day: Tube[];
  {
    let lap = performance.now();
    const took = (what: string) => {
      timing.push(`${what} ${((performance.now() - lap) / 1000).toFixed(1)} s`);
      lap = performance.now();
    };
    const database = await open();
    try {
      options.log(
        `${label}: ${PATIENTS} patients, ${HISTORY_SAMPLES} samples of earlier days, ${dayTubes} of today`,
      );
      await runMigrations(database);
      const facilityId = await ensureDefaultFacility(database.db);
      await seedLabCatalog(database.db);
      took('migrations and catalog');
      await loadPatients(
        { query: (text, params) => database.query(text, params), parallel: 1 },
        { count: PATIENTS, seed: SEED, cipher, facilityId, now: new Date(), samples: 1, log: () => {} },
      );
      patients = (await database.query('select id, mrn from patients.patients order by id')).map((r) => ({
        id: String(r.id),
        mrn: String(r.mrn),
      }));
      const [f] = await database.query('select code from org.facilities where id = $1', [facilityId]);
      facility = { id: facilityId, code: String(f?.code) };
      took(`${PATIENTS} patients`);
      await writeHistory(database, facility.id);
      took(`${HISTORY_SAMPLES.toLocaleString('en')} earlier samples`);
      day = await writeDay(database, facility.id, dayTubes, API_PATIENTS, random);
      await database.query('analyze laboratory.requests, laboratory.samples, laboratory.results');
      took(`${dayTubes} of today's tubes`);
    } finally {
      await database.close();
    }
  }

  // 2. The real app with its MLLP listener; the lab's staff and the first tubes through its API.
  const hl7Port = await freePort();
  const server = await startNewhmsServer({
    label,
    env: {
      ...(target.kind === 'pglite' ? { BENCH_PGLITE_DATA_DIR: target.dir } : { DATABASE_URL: target.url }),
      NEWHMS_DATA_KEY: dataKey,
      NEWHMS_HL7_PORT: String(hl7Port),
      NEWHMS_HL7_HOST: '127.0.0.1',
    },
  });
  let echo: Row | undefined;
  let echoMany: Row | undefined;
  let one: Row;
  let many: Row;
  let enter: Row;
  let validate: Row;
  let sentOne: Oru[];
  let sentMany: Oru[];
  let byHand: Tube[];
  try {
    const admin = apiOf(server.origin, server.accessToken, facility.id);
    const lap = performance.now();
    const technician = await labUser(admin, server.origin, facility.id, 'technician', 'Tech Anil');
    const pathologist = await labUser(admin, server.origin, facility.id, 'pathologist', 'Dr Path Sen');
    options.log(`${label}: ${API_PATIENTS} walk-ins (${apiTubes} tubes) through the API`);
    const viaApi = await receiveTubes(technician, patients.slice(0, API_PATIENTS), random);
    const perTube = (performance.now() - lap) / 1000 / viaApi.length;
    timing.push(
      `2 lab users and ${viaApi.length} tubes through the API ${((performance.now() - lap) / 1000).toFixed(1)} s ` +
        `(~${perTube.toFixed(2)} s a tube, walk-in, collect and receive: the day's ${dayTubes} would take ` +
        `~${Math.round(perTube * dayTubes)} s, hence written straight into the tables)`,
    );
    const now = new Date();
    const tubes = [...viaApi, ...day];
    const messages = tubes.map((tube, i) =>
      oruOf(tube, `B${String(i + 1).padStart(7, '0')}`, facility.code, now),
    );
    const forOne = messages.slice(0, ONE.warmup + ONE.max);
    const forMany = messages.slice(forOne.length, forOne.length + MANY.warmup + MANY.max);
    byHand = tubes.slice(forOne.length + forMany.length);

    if (withEcho) {
      // The protocol floor, with the same messages (the echo files nothing, so they can go round).
      const floor = await startServerProcess(new URL('./servers/mllp-echo.ts', import.meta.url), {});
      try {
        const port = Number(new URL(floor.origin).port);
        const round = Array.from(
          { length: ECHO.warmup + ECHO.max },
          (_, i) => messages[i % messages.length]!,
        );
        options.log('MLLP echo (no database), 1 connection');
        echo = await sendOverMllp(port, round, 1, { ...ECHO, seconds: floorSeconds }, errors, {
          target: 'baseline: MLLP echo (our listener and ORU reader, AA without a database), 1 connection',
          database: 'none (no database)',
        });
        options.log(`MLLP echo, ${ANALYZERS} connections`);
        echoMany = await sendOverMllp(port, round, ANALYZERS, { ...ECHO, seconds: floorSeconds }, errors, {
          target: `MLLP echo, ${ANALYZERS} connections at once`,
          database: 'none (no database)',
        });
      } finally {
        await floor.stop();
      }
    }

    options.log(`${label}: analyzer, 1 connection`);
    // The target's row: enough messages on PostgreSQL for its percentiles, however loaded the machine.
    const oneLoop = {
      ...ONE,
      seconds: rowSeconds,
      ...(target.kind === 'postgres' ? { min: TARGET_MIN } : {}),
    };
    one = await sendOverMllp(hl7Port, forOne, 1, oneLoop, errors, {
      target: 'Newhms MLLP listener: ORU^R01 (CBC 20 / KFT 7 results) to AA, 1 connection',
      database: label,
    });
    options.log(`${label}: analyzer, ${ANALYZERS} connections`);
    many = await sendOverMllp(hl7Port, forMany, ANALYZERS, { ...MANY, seconds: rowSeconds }, errors, {
      target: `Newhms MLLP listener: the same, ${ANALYZERS} analyzers at once (${ANALYZERS} connections)`,
      database: label,
    });
    sentOne = forOne;
    sentMany = forMany;

    options.log(`${label}: results entered and validated through HTTP`);
    enter = await drive(
      byHand,
      1,
      { ...BY_HAND, seconds: rowSeconds },
      async (_, tube) => {
        const body = { results: tube.results.map((r) => ({ testCode: r.testCode, value: r.value })) };
        const entered = await technician<LabRequest>(
          'POST',
          `/api/v1/laboratory/requests/${tube.requestId}/results`,
          body,
        );
        if (entered.results.some((r) => r.status !== 'entered')) throw new Error('a result is not entered');
      },
      (tube) => tube.results.length,
      errors,
      {
        target: "API `POST …/requests/:id/results`: the technician's entry, one request at a time",
        database: label,
      },
    );
    validate = await drive(
      byHand.slice(0, enter.taken),
      1,
      { ...BY_HAND, seconds: rowSeconds },
      async (_, tube) => {
        const done = await pathologist<LabRequest>(
          'POST',
          `/api/v1/laboratory/requests/${tube.requestId}/validate`,
          {},
        );
        if (done.status !== 'completed') throw new Error(`the request is ${done.status}`);
      },
      (tube) => tube.results.length,
      errors,
      {
        target: 'API `POST …/requests/:id/validate`: the pathologist, one request at a time',
        database: label,
      },
    );
  } finally {
    await server.stop();
  }

  // 3. What persisted, then the database floor (after the server stopped: PGlite has one owner).
  const database = await open(ANALYZERS);
  let floorOne: Row;
  let floorMany: Row | undefined;
  let lookup: Row;
  let lookupIndexed: Row;
  let lookupPlan: string;
  let sampleRows: number;
  let checked: boolean;
  try {
    const sent = [...sentOne.slice(0, one.taken), ...sentMany.slice(0, many.taken)];
    const expectedResults = sent.reduce((n, m) => n + m.tube.results.length, 0);
    const [filed] = await database.query(
      `select count(*)::int as n, count(*) filter (where source = 'analyzer' and status = 'entered')::int as analyzer
         from laboratory.results where sample_id = any($1::uuid[])`,
      [sent.map((m) => m.tube.sampleId)],
    );
    const [logged] = await database.query(
      `select count(*)::int as n from laboratory.analyzer_messages where control_id = any($1::text[])`,
      [sent.map((m) => m.controlId)],
    );
    const validated = byHand.slice(0, validate.taken);
    const [released] = await database.query(
      `select count(*) filter (where status = 'validated' and source = 'manual')::int as validated,
              count(*)::int as n,
              (select count(*)::int from laboratory.requests where id = any($1::uuid[]) and status = 'completed')
                as completed
         from laboratory.results where request_id = any($1::uuid[])`,
      [validated.map((t) => t.requestId)],
    );
    const failures = one.failures + many.failures + enter.failures + validate.failures;
    checked =
      failures === 0 &&
      Number(filed?.analyzer) === expectedResults &&
      Number(filed?.n) === expectedResults &&
      Number(logged?.n) === sent.length &&
      Number(released?.validated) === Number(released?.n) &&
      Number(released?.completed) === validated.length;
    notes.push(
      `${label}: ${sent.length} ORU^R01 sent (warm-up included), ${failures} failures (ACK other than AA, HTTP ` +
        `error); afterwards ${filed?.analyzer} of ${expectedResults} results entered from the analyzer, ` +
        `${logged?.n} of ${sent.length} messages in analyzer_messages; by hand ${released?.validated} of ` +
        `${released?.n} results validated, ${released?.completed} of ${validated.length} requests completed: ` +
        `${checked ? 'PASS' : 'FAIL'}.`,
    );

    options.log(`${label}: database floor`);
    const upserts = sent.map((m) => upsertOf(m.tube, facility.id));
    const floorLoop = { ...FLOOR, seconds: floorSeconds };
    const runners: ((text: string, params: unknown[]) => Promise<unknown>)[] = [];
    let clients: pg.Client[] = [];
    if (target.kind === 'pglite') runners.push((text, params) => database.query(text, params));
    else {
      clients = await Promise.all(
        Array.from({ length: ANALYZERS }, async () => {
          const c = new pg.Client({ connectionString: target.url });
          await c.connect();
          return c;
        }),
      );
      for (const c of clients) runners.push((text, params) => c.query(text, params));
    }
    try {
      const round = Array.from({ length: FLOOR.warmup + FLOOR.max }, (_, i) => upserts[i % upserts.length]!);
      floorOne = await drive(
        round,
        1,
        floorLoop,
        (_, u) => runners[0]!(u.text, u.params).then(() => undefined),
        (u) => u.results,
        errors,
        {
          target: "baseline: each message's results in one `INSERT … ON CONFLICT DO UPDATE`, 1 connection",
          database: label,
        },
      );
      if (runners.length > 1) {
        floorMany = await drive(
          round,
          runners.length,
          floorLoop,
          (lane, u) => runners[lane]!(u.text, u.params).then(() => undefined),
          (u) => u.results,
          errors,
          { target: `the same, ${runners.length} connections at once`, database: label },
        );
      }
      // What the analyzer path spends finding each OBR's sample (analyzer-results.service.ts: the accession
      // alone, across facilities, through samples_accession_idx), against the unique index the receipt desk uses.
      // Before migration 0027 it was `upper(accession) = $1`: a Seq Scan of every sample (p50 25.5 ms here).
      const accessions = sent.map((m) => m.tube.accession);
      const [explained] = await database.query(
        `explain (format json) select * from laboratory.samples where accession = '${accessions[0]}'`,
      );
      const plan = explained?.['QUERY PLAN'];
      lookupPlan = String(
        ((typeof plan === 'string' ? JSON.parse(plan) : plan) as { Plan: { 'Node Type': string } }[])[0]
          ?.Plan['Node Type'],
      );
      const [samplesCount] = await database.query('select count(*)::int as n from laboratory.samples');
      sampleRows = Number(samplesCount?.n);
      const lookups = Array.from({ length: 3 + LOOKUPS }, (_, i) => accessions[i % accessions.length]!);
      lookup = await drive(
        lookups,
        1,
        { warmup: 3, max: LOOKUPS, seconds: floorSeconds },
        (_, accession) =>
          runners[0]!('select * from laboratory.samples where accession = $1', [accession]).then(
            () => undefined,
          ),
        () => 0,
        errors,
        {
          target: `the analyzer's sample lookup alone: \`accession = $1\` (${lookupPlan}), 1 connection`,
          database: label,
        },
      );
      lookupIndexed = await drive(
        lookups,
        1,
        { warmup: 3, max: LOOKUPS, seconds: floorSeconds },
        (_, accession) =>
          runners[0]!('select * from laboratory.samples where facility_id = $1 and accession = $2', [
            facility.id,
            accession,
          ]).then(() => undefined),
        () => 0,
        errors,
        {
          target:
            'the same sample through the unique index (facility_id, accession), as the receipt desk finds it',
          database: label,
        },
      );
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
  } finally {
    await database.close();
  }

  for (const e of errors.slice(0, 5)) notes.push(`${label}: error ${e}`);
  notes.unshift(`${label}, set-up: ${timing.join('; ')}.`);
  const perSecond = (r: Row) => `${r.resultsPerSecond.toFixed(0)} results/s`;
  notes.push(
    `${label}, results per second: analyzer 1 connection ${perSecond(one)}, ${ANALYZERS} connections ` +
      `${perSecond(many)}; by hand entry ${perSecond(enter)}, validation ${perSecond(validate)}; database floor ` +
      `1 connection ${perSecond(floorOne)}${floorMany ? `, ${ANALYZERS} connections ${perSecond(floorMany)}` : ''}` +
      `${echo ? `; MLLP echo ${perSecond(echo)}` : ''}. The analyzer path at 1 connection runs at ` +
      `${(one.requestsPerSecond / floorOne.requestsPerSecond).toFixed(3)} of the database floor.`,
  );
  notes.push(
    `${label}: finding an OBR's sample (\`accession = $1\`, samples_accession_idx) is a ` +
      `${lookupPlan} among ${sampleRows.toLocaleString('en')} samples: p50 ${lookup.latencyP50Ms} ms, p99 ` +
      `${lookup.latencyP99Ms} ms alone, ${((100 * lookup.latencyP50Ms) / one.latencyP50Ms).toFixed(0)}% of an ` +
      `ORU^R01's p50 at one connection; the unique index (facility_id, accession) finds the same sample in p50 ` +
      `${lookupIndexed.latencyP50Ms} ms. (Before migration 0027 the lookup was \`upper(accession) = $1\`, a Seq ` +
      'Scan of every sample: p50 25.5 ms at 101,613 samples on PostgreSQL, 92% of a message.)',
  );
  const strip = ({ resultsPerSecond: _r, done: _d, taken: _t, ...m }: Row): Measurement => m;
  const rows = [
    ...(echo ? [echo] : []),
    ...(echoMany ? [echoMany] : []),
    floorOne,
    ...(floorMany ? [floorMany] : []),
    lookup,
    lookupIndexed,
    one,
    many,
    enter,
    validate,
  ].map(strip);
  return {
    rows,
    notes,
    echo,
    one,
    checked,
    line:
      `On ${label} an analyzer's ORU^R01 is filed at p50 ${one.latencyP50Ms} ms, p99 ${one.latencyP99Ms} ms ` +
      `(${perSecond(one)} on one connection, ${perSecond(many)} from ${ANALYZERS} at once); by hand a ` +
      `request's entry takes p99 ${enter.latencyP99Ms} ms and its validation p99 ${validate.latencyP99Ms} ms; ` +
      `finding the sample by its accession alone takes p50 ${lookup.latencyP50Ms} ms (${lookupPlan} among ` +
      `${sampleRows.toLocaleString('en')} samples).`,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Data
// ---------------------------------------------------------------------------------------------------------

/** A valid version-4 UUID made from a text in SQL, the same every time (md5 with the version and variant set). */
const uuidOf = (text: string) =>
  `(substr(md5(${text}), 1, 12) || '4' || substr(md5(${text}), 14, 3) || '8' || substr(md5(${text}), 18, 15))::uuid`;

/**
 * Received samples of earlier days (one per completed request, a CBC or a KFT, accession numbers of their
 * day), written in batches: enough rows that a lookup by accession number costs what it costs in use.
 */
async function writeHistory(database: Database, facilityId: string): Promise<void> {
  const batch = 25_000;
  for (let from = 0; from < HISTORY_SAMPLES; from += batch) {
    // From the day before yesterday: never the facility's today, whatever its time zone.
    await database.query(
      `with g as (
         select g.n, gen_random_uuid() as request_id, p.id as patient_id, g.n % 2 = 0 as cbc,
                now() - interval '1 day' * (2 + g.n / $4::int) as requested_at
           from generate_series($2::int, $2::int + $3::int - 1) as g(n)
           join (select id, (row_number() over (order by id) - 1)::int as k from patients.patients) p
             on p.k = g.n % ${PATIENTS}),
       r as (
         insert into laboratory.requests (id, facility_id, patient_id, code, display, kind, priority, setting,
           status, requested_by_name, requested_at, completed_at, created_at, updated_at)
         select request_id, $1, patient_id, case when cbc then 'CBC' else 'KFT' end,
                case when cbc then 'Complete blood count' else 'Kidney function tests' end, 'panel', 'routine',
                'opd', 'completed', 'Bench', requested_at, requested_at + interval '3 hours', requested_at,
                requested_at
           from g)
       insert into laboratory.samples (id, facility_id, request_id, patient_id, accession, specimen, container,
         test_codes, status, collected_at, collected_by_name, received_at, received_by_name, created_at,
         updated_at)
       select gen_random_uuid(), $1, request_id, patient_id,
              'L' || to_char(requested_at, 'YYMMDD') || lpad((1 + n % $4::int)::text, 4, '0'),
              case when cbc then 'blood' else 'serum' end, case when cbc then 'EDTA lavender' else 'SST gold' end,
              case when cbc then array['HB', 'WBC', 'PLT'] else array['UREA', 'CREAT'] end, 'received',
              requested_at + interval '20 minutes', 'Bench', requested_at + interval '50 minutes', 'Bench',
              requested_at, requested_at
         from g`,
      [facilityId, from, Math.min(batch, HISTORY_SAMPLES - from), HISTORY_PER_DAY],
    );
  }
}

/**
 * The day's tubes as a walk-in, collection and receipt leave them (requests in progress, samples received
 * with today's accession numbers and the counter after them, pending results of every panel member), without
 * audit entries: one walk-in for all panels per patient from `firstPatient` on.
 */
async function writeDay(
  database: Database,
  facilityId: string,
  count: number,
  firstPatient: number,
  random: Random,
): Promise<Tube[]> {
  const { today } = await facilityToday(database.db, facilityId, new Date());
  const day = today.slice(2).replaceAll('-', '');
  const panels = PANELS.map((p) => p.code);
  const n = `generate_series(0, $2::int - 1) as g(n)`;
  const id = (what: string) => uuidOf(`'bench.lab.today.${what}.' || g.n`);
  await database.query(
    `insert into laboratory.requests (id, facility_id, patient_id, code, display, kind, priority, setting, status,
       requested_by_name, requested_at, version)
     select ${id('request')}, $1, p.id, pa.code, pa.name, 'panel', 'routine', 'walk-in', 'in-progress', 'Bench',
            now() - interval '90 minutes' + interval '1 millisecond' * g.n, 2
       from ${n}
       join (select id, (row_number() over (order by id) - 1)::int as k from patients.patients) p
         on p.k = $3::int + g.n / cardinality($4::text[])
       join laboratory.panels pa on pa.code = ($4::text[])[1 + g.n % cardinality($4::text[])]`,
    [facilityId, count, firstPatient, panels],
  );
  await database.query(
    `insert into laboratory.samples (id, facility_id, request_id, patient_id, accession, specimen, container,
       test_codes, status, collected_at, collected_by_name, received_at, received_by_name, version)
     select ${id('sample')}, $1, r.id, r.patient_id, 'L' || $3 || lpad((g.n + 1)::text, 4, '0'), t.specimen,
            t.container, pa.members, 'received', r.requested_at + interval '10 minutes', 'Bench',
            r.requested_at + interval '40 minutes', 'Bench', 3
       from ${n}
       join laboratory.requests r on r.id = ${id('request')}
       join laboratory.panels pa on pa.code = r.code
       join laboratory.tests t on t.code = pa.members[1]`,
    [facilityId, count, day],
  );
  await database.query(
    `insert into laboratory.results (id, facility_id, request_id, sample_id, patient_id, position, test_code,
       test_name, loinc_code, section, result_type, unit)
     select gen_random_uuid(), $1, r.id, s.id, r.patient_id, (m.ord - 1)::int, t.code, t.name, t.loinc_code,
            t.section, t.result_type, t.unit
       from ${n}
       join laboratory.requests r on r.id = ${id('request')}
       join laboratory.samples s on s.request_id = r.id
       join laboratory.panels pa on pa.code = r.code
       cross join lateral unnest(pa.members) with ordinality as m(code, ord)
       join laboratory.tests t on t.code = m.code`,
    [facilityId, count],
  );
  // The walk-ins of the run come after these in the day's numbering.
  await database.query(
    `insert into platform.counters (scope, name, period, value) values ($1, 'laboratory.accession', $2, $3)
     on conflict (scope, name, period) do update set value = excluded.value`,
    [facilityId, day, count],
  );
  const rows = await database.query(
    `select r.id as request_id, s.id as sample_id, s.accession, r.patient_id, pt.mrn, r.code,
            count(distinct t.container)::int as containers,
            json_agg(json_build_object('id', x.id, 'testCode', x.test_code, 'testName', x.test_name,
              'loincCode', x.loinc_code, 'unit', x.unit, 'section', x.section, 'resultType', x.result_type,
              'position', x.position) order by x.position) as results
       from ${n}
       join laboratory.requests r on r.id = ${id('request')}
       join laboratory.samples s on s.request_id = r.id
       join laboratory.results x on x.request_id = r.id
       join laboratory.tests t on t.code = x.test_code
       join patients.patients pt on pt.id = r.patient_id
      where r.facility_id = $1
      group by g.n, r.id, s.id, pt.mrn
      order by g.n`,
    [facilityId, count],
  );
  if (rows.length !== count) throw new Error(`${rows.length} of today's tubes written, not ${count}`);
  const tubes = rows.map((r): Tube => {
    if (Number(r.containers) !== 1) throw new Error(`${String(r.code)} needs more than one tube`);
    const results = (typeof r.results === 'string' ? JSON.parse(r.results) : r.results) as ResultLine[];
    return {
      requestId: String(r.request_id),
      sampleId: String(r.sample_id),
      accession: String(r.accession),
      patientId: String(r.patient_id),
      mrn: String(r.mrn),
      panel: PANELS.find((p) => p.code === r.code)!,
      results: results.map((x) => ({ ...x, value: 0 })),
    };
  });
  return drawValues(tubes, random);
}

type Call = <T>(method: 'GET' | 'POST', path: string, body?: unknown) => Promise<T>;

function apiOf(origin: string, token: string, facilityId: string): Call {
  return async <T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${origin}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        'x-facility-id': facilityId,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
}

async function login(origin: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${origin}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const body = (await res.json()) as { accessToken?: string };
  if (!res.ok || !body.accessToken)
    throw new Error(`sign-in of ${email}: ${res.status} ${JSON.stringify(body)}`);
  return body.accessToken;
}

/** A lab technician made by the admin, signed in, the temporary password changed: an API caller as them. */
async function labUser(admin: Call, origin: string, facilityId: string, who: string, displayName: string) {
  const roles = await admin<{ items: { id: string; name: string }[] }>('GET', '/api/v1/access/roles');
  const role = roles.items.find((r) => r.name === 'lab-technician');
  if (!role) throw new Error('no lab-technician role');
  const email = `bench.${who}@newhms.test`;
  const { temporaryPassword } = await admin<{ temporaryPassword?: string }>('POST', '/api/v1/auth/users', {
    email,
    displayName,
    roles: [{ facilityId, roleId: role.id }],
  });
  if (!temporaryPassword) throw new Error(`no temporary password for ${email}`);
  const first = await login(origin, email, temporaryPassword);
  await apiOf(origin, first, facilityId)('POST', '/api/v1/auth/password', {
    currentPassword: temporaryPassword,
    newPassword: LAB_PASSWORD,
  });
  return apiOf(origin, await login(origin, email, LAB_PASSWORD), facilityId);
}

/**
 * The day's tubes through the API: per patient a walk-in for every panel, then each tube collected and
 * received, SETUP_WORKERS patients at a time; the values the analyzer will report are drawn here.
 */
async function receiveTubes(
  technician: Call,
  patients: readonly { id: string; mrn: string }[],
  random: Random,
): Promise<Tube[]> {
  const byPatient: Tube[][] = [];
  let next = 0;
  const worker = async () => {
    while (next < patients.length) {
      const index = next++;
      const patient = patients[index]!;
      const requests = await technician<LabRequest[]>('POST', '/api/v1/laboratory/requests', {
        patientId: patient.id,
        tests: PANELS.map((p) => p.code),
        priority: 'routine',
      });
      const tubes: Tube[] = [];
      for (const request of requests) {
        const panel = PANELS.find((p) => p.code === request.code)!;
        const sample = request.samples[0];
        if (!sample || request.samples.length !== 1)
          throw new Error(`${request.code}: ${request.samples.length} tubes`);
        await technician('POST', `/api/v1/laboratory/samples/${sample.id}/collect`, {});
        await technician('POST', '/api/v1/laboratory/samples/receive', { accession: sample.accession });
        tubes.push({
          requestId: request.id,
          sampleId: sample.id,
          accession: sample.accession,
          patientId: patient.id,
          mrn: patient.mrn,
          panel,
          results: request.results.map((r, position) => ({
            id: r.id,
            testCode: r.testCode,
            testName: r.testName,
            loincCode: r.loincCode,
            unit: r.unit,
            section: r.section,
            resultType: r.resultType,
            position,
            value: 0,
          })),
        });
      }
      byPatient[index] = tubes;
    }
  };
  await Promise.all(Array.from({ length: SETUP_WORKERS }, worker));
  // Values drawn in a fixed order, whatever order the workers finished in.
  return drawValues(byPatient.flat(), random);
}

/** The values the analyzer measured: typical adult values, some beyond the range (flagged H or L). */
function drawValues(tubes: Tube[], random: Random): Tube[] {
  for (const tube of tubes) {
    for (const r of tube.results) {
      const [low, high] = TYPICAL[r.testCode] ?? [1, 10];
      const v = low + (high - low) * (random.next() * 1.3 - 0.15);
      r.value = Math.max(0.01, Math.round(v * 100) / 100);
    }
  }
  return tubes;
}

/** A field's text with the HL7 escape sequences for the five delimiters of MSH-1 and MSH-2. */
const hl7Text = (s: string) =>
  s.replace(
    /[\\|^~&]/g,
    (c) => ({ '\\': '\\E\\', '|': '\\F\\', '^': '\\S\\', '~': '\\R\\', '&': '\\T\\' })[c]!,
  );

/** The ORU^R01 an analyzer sends for one tube: PID-3 the MRN, OBR-3 the accession, one OBX per result. */
function oruOf(tube: Tube, controlId: string, facilityCode: string, now: Date): Oru {
  const at = formatHl7DateTime(now);
  const { panel } = tube;
  const service = panel.loinc ? `${panel.loinc}^${panel.name}^LN` : `${panel.code}^${panel.name}^99NEWHMS`;
  const text = [
    `MSH|^~\\&|${panel.sender}|LAB|NEWHMS|${hl7Text(facilityCode)}|${at}||ORU^R01^ORU_R01|${controlId}|P|2.5.1`,
    `PID|1||${hl7Text(tube.mrn)}^^^NEWHMS^MR||BENCH^PATIENT`,
    `OBR|1||${tube.accession}|${service}|||${at}||||||||||||||||||F`,
    ...tube.results.map((r, i) => {
      const code = r.loincCode
        ? `${r.loincCode}^${hl7Text(r.testName)}^LN`
        : `${r.testCode}^${hl7Text(r.testName)}^99NEWHMS`;
      return `OBX|${i + 1}|NM|${code}||${r.value}|${hl7Text(r.unit ?? '')}^^UCUM|||||F|||${at}`;
    }),
  ].join('\r');
  return { tube, controlId, message: Hl7Message.parse(text) };
}

type Upsert = { text: string; params: unknown[]; results: number };

/** The database floor of one message: its results written in one statement, nothing else. */
function upsertOf(tube: Tube, facilityId: string): Upsert {
  const rows = tube.results.map((r) => ({
    id: r.id,
    position: r.position,
    test_code: r.testCode,
    test_name: r.testName,
    loinc_code: r.loincCode,
    section: r.section,
    result_type: r.resultType,
    numeric_value: r.value,
    unit: r.unit,
  }));
  return {
    results: rows.length,
    params: [
      JSON.stringify(rows),
      facilityId,
      tube.requestId,
      tube.sampleId,
      tube.patientId,
      tube.panel.sender,
    ],
    text: `insert into laboratory.results as r (id, facility_id, request_id, sample_id, patient_id, position, test_code,
             test_name, loinc_code, section, result_type, status, numeric_value, unit, source, entered_by_name,
             entered_at)
           select t.id, $2, $3, $4, $5, t.position, t.test_code, t.test_name, t.loinc_code, t.section, t.result_type,
                  'entered', t.numeric_value, t.unit, 'analyzer', $6, now()
             from jsonb_to_recordset($1::jsonb) as t(id uuid, position int, test_code text, test_name text,
                  loinc_code text, section text, result_type text, numeric_value numeric, unit text)
           on conflict (request_id, test_code) do update
              set status = 'entered', numeric_value = excluded.numeric_value, unit = excluded.unit,
                  source = 'analyzer', entered_by_name = excluded.entered_by_name, entered_at = excluded.entered_at,
                  version = r.version + 1, updated_at = now()`,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Measuring
// ---------------------------------------------------------------------------------------------------------

async function freePort(): Promise<number> {
  const probe = net.createServer();
  const port = await new Promise<number>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => resolve((probe.address() as AddressInfo).port));
  });
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/**
 * Sends each message over MLLP with @medplum/hl7's client and waits for its ACK (`lanes` connections, each
 * one message at a time); a message counts as done only when its ACK is AA for its control id.
 */
async function sendOverMllp(
  port: number,
  messages: readonly Oru[],
  lanes: number,
  loop: Loop,
  errors: string[],
  label: { target: string; database: string },
): Promise<Row> {
  const clients = Array.from({ length: lanes }, () => new Hl7Client({ host: '127.0.0.1', port }));
  try {
    await Promise.all(clients.map((c) => c.connect()));
    return await drive(
      messages,
      lanes,
      loop,
      async (lane, m) => {
        const ack = await clients[lane]!.sendAndWait(m.message, { timeoutMs: 30_000 });
        const msa = ack.getSegment('MSA');
        const code = msa?.getField(1)?.toString();
        const about = msa?.getField(2)?.toString();
        if (code !== 'AA' || about !== m.controlId) {
          const reasons = ack.getAllSegments('ERR').map((e) => e.getField(8)?.toString() ?? '');
          throw new Error(
            `${m.controlId}: ${code} ${msa?.getField(3)?.toString() ?? ''} ${reasons.join('; ')}`,
          );
        }
      },
      (m) => m.tube.results.length,
      errors,
      label,
    );
  } finally {
    await Promise.all(clients.map((c) => c.close()));
  }
}

/**
 * Runs `work` over the items in order from `lanes` loops at once (each a connection, one item at a time):
 * the first `warmup` items are discarded, then up to `max` more, stopping once `seconds` have passed (but not
 * before `min` were measured).
 * Latencies to 0.1 ms; per second over the measured wall time.
 */
async function drive<T>(
  items: readonly T[],
  lanes: number,
  loop: Loop,
  work: (lane: number, item: T) => Promise<void>,
  resultsOf: (item: T) => number,
  errors: string[],
  label: { target: string; database: string },
): Promise<Row> {
  let next = 0;
  let failures = 0;
  let results = 0;
  const samples: number[] = [];
  let measured = 0;
  const phase = async (limit: number, until: number, record: boolean) => {
    const min = record ? (loop.min ?? 0) : 0;
    await Promise.all(
      Array.from({ length: lanes }, async (_, lane) => {
        while (next < limit && (performance.now() < until || measured < min)) {
          if (record) measured += 1;
          const item = items[next++]!;
          const t0 = performance.now();
          try {
            await work(lane, item);
            if (record) {
              samples.push(performance.now() - t0);
              results += resultsOf(item);
            }
          } catch (e) {
            if (record) failures += 1;
            if (errors.length < 10) errors.push(`${label.target}: ${(e as Error).message.slice(0, 300)}`);
          }
        }
      }),
    );
  };
  await phase(Math.min(loop.warmup, items.length), Number.POSITIVE_INFINITY, false);
  const started = performance.now();
  await phase(Math.min(next + loop.max, items.length), started + loop.seconds * 1000, true);
  const elapsed = Math.max((performance.now() - started) / 1000, 0.001);
  const s = stats(samples);
  return {
    ...label,
    requestsPerSecond: samples.length / elapsed,
    latencyP50Ms: s.p50,
    latencyP975Ms: s.p975,
    latencyP99Ms: s.p99,
    requests: samples.length,
    failures,
    loadAverage: loadavg()[0] ?? 0,
    resultsPerSecond: results / elapsed,
    done: samples.length,
    taken: next,
  };
}
