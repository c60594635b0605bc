import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBedBoard } from '../apps/server/src/modules/ipd/bed-board';
import { FieldCipher } from '../apps/server/src/platform/crypto/field-cipher';
import { type Database, openDatabase } from '../apps/server/src/platform/db/database';
import { newId } from '../apps/server/src/platform/db/ids';
import { runMigrations } from '../apps/server/src/platform/db/migrate';
import { ensureDefaultFacility } from '../apps/server/src/platform/organization/organization.service';
import type { Bench, BenchOptions, Measurement } from './bench';
import { measureLoad } from './load';
import { startNewhmsServer } from './newhms-server';
import { loadPatients } from './patient-data';
import { createScratchDatabase, postgresVersion } from './scratch-database';
import { stats } from './sql-latency';

const SEED = 20_260_505;
const WARDS = 20;
const ROOMS_PER_WARD = 5;
const BEDS_PER_ROOM = 5;
const BEDS = WARDS * ROOMS_PER_WARD * BEDS_PER_ROOM;
/** Of every 100 beds: 80 occupied, 6 cleaning, 3 reserved, 2 blocked, 1 maintenance, the rest available. */
const MIX = { occupied: 80, cleaning: 6, reserved: 3, blocked: 2, maintenance: 1 } as const;
const WAITING_REQUESTS = 30;
/** Live latency: this many bed changes, one at a time, each waited for at the SSE client. */
const CHANGES = 200;
/** Beds the live row toggles (blocked <-> maintenance), from the available ones. */
const TOGGLED = 20;
/** The admission contention row (as admission-contention.int.test.ts): this many admissions at once for the beds. */
const CONTENTION = { admissions: 200, beds: 50, connections: 100 } as const;
/** Patients kept out of the generated beds for the contention burst (autocannon builds bodies ahead). */
const BURST_PATIENTS = CONTENTION.admissions + 2 * CONTENTION.connections;

type Target =
  | { kind: 'pglite'; label: string; dir: string }
  | { kind: 'postgres'; label: string; url: string };

/**
 * The bed board at 500 beds: the staff snapshot through HTTP against the same snapshot read directly, and
 * the time from a committed bed change to its frame at an SSE client.
 */
export const bedBoardBench: Bench = {
  name: 'bed-board',
  title: 'Bed board: snapshot of 500 beds and live latency',
  description:
    `A facility of ${BEDS} beds in ${WARDS} wards (${ROOMS_PER_WARD} rooms of ${BEDS_PER_ROOM}) written straight into ` +
    `the ipd tables: ${MIX.occupied}% occupied (generated patients, admissions, open occupancies, a tenth expected ` +
    `home today), ${MIX.cleaning}% cleaning, ${MIX.reserved}% reserved for a request, ${MIX.blocked}% blocked, ` +
    `${MIX.maintenance}% maintenance, and ${WAITING_REQUESTS} admission requests waiting. App: ` +
    '`GET /api/v1/ipd/bed-board` (every bed of the facility with its patient, ward figures, the audit entry of the ' +
    "patients shown) through autocannon with the admin's bearer token. Baseline: the same snapshot read " +
    'directly (`loadBedBoard` of `bed-board.ts`: facility, the beds query, the request queue, the patient ' +
    'summaries), PGlite 1 loop, PostgreSQL one loop per connection. Live: a staff SSE client of ' +
    '`/api/v1/ipd/bed-board/events` is open while ' +
    `${CHANGES} bed status changes are made one after another through \`POST /api/v1/ipd/beds/{id}/status\` ` +
    `(${TOGGLED} beds toggled blocked <-> maintenance); each latency runs from the change's HTTP answer (committed) ` +
    'to the first SSE frame showing it (NOTIFY, the hub reading the whole board, the frame written and parsed).',
  async run(options) {
    const rows: Measurement[] = [];
    const notes: string[] = [];
    const verdicts: string[] = [];
    const dir = mkdtempSync(join(tmpdir(), 'newhms-bench-beds-'));
    try {
      const r = await runOn({ kind: 'pglite', label: 'PGlite (data dir)', dir }, options);
      rows.push(...r.rows);
      notes.push(...r.notes);
      verdicts.push(r.verdict);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    if (options.postgresAdminUrl) {
      const scratch = await createScratchDatabase(options.postgresAdminUrl, 'bed_board');
      try {
        const version = await postgresVersion(scratch.url);
        const r = await runOn(
          { kind: 'postgres', label: `PostgreSQL ${version.split(' ')[0]}`, url: scratch.url },
          options,
        );
        rows.push(...r.rows);
        notes.push(...r.notes);
        verdicts.push(r.verdict);
      } finally {
        await scratch.drop();
      }
    } else {
      notes.push('PostgreSQL rows skipped: set DATABASE_URL or TEST_DATABASE_URL.');
    }
    return {
      measurements: rows,
      notes,
      meaning:
        `${verdicts.join(' ')} The snapshot is one read of the beds (with ward, room, category, open occupancy, ` +
        'admission and current reservation), one of the request queue and two of the patients module; the app ' +
        'adds the HTTP request, the token check, JSON of ~500 beds and one audit entry listing the patients shown.',
    };
  },
};

/** The status of the n-th bed of every hundred, by MIX. */
function statusOfSlot(slot: number): string {
  let upTo = 0;
  for (const [status, share] of Object.entries(MIX)) {
    upTo += share;
    if (slot < upTo) return status;
  }
  return 'available';
}

async function generateBeds(database: Database, facilityId: string, patientIds: string[], now: Date) {
  const q = (text: string, params: unknown[] = []) => database.query(text, params);
  const categoryId = newId();
  await q(
    `insert into ipd.bed_categories (id, facility_id, code, name, tariff_class) values ($1, $2, 'GEN', 'General', 'general')`,
    [categoryId, facilityId],
  );
  const available: { id: string; wardId: string }[] = [];
  let patient = 0;
  let n = 0;
  for (let w = 1; w <= WARDS; w++) {
    const wardId = newId();
    const code = `W${String(w).padStart(2, '0')}`;
    await q(
      `insert into ipd.wards (id, facility_id, code, name, kind, building, floor, display_code)
       values ($1, $2, $3, $4, $5, 'Main', $6, $7)`,
      [
        wardId,
        facilityId,
        code,
        `Ward ${code}`,
        w <= 2 ? 'icu' : 'general',
        String(1 + (w % 5)),
        `BENCH-${code}`,
      ],
    );
    for (let r = 1; r <= ROOMS_PER_WARD; r++) {
      const roomId = newId();
      await q(`insert into ipd.rooms (id, ward_id, code, name) values ($1, $2, $3, $4)`, [
        roomId,
        wardId,
        `R${r}`,
        `Room ${r}`,
      ]);
      for (let b = 1; b <= BEDS_PER_ROOM; b++) {
        n += 1;
        const bedId = newId();
        const status = statusOfSlot(n % 100);
        const since = new Date(now.getTime() - ((n * 7) % 240) * 60_000);
        await q(
          `insert into ipd.beds (id, facility_id, ward_id, room_id, category_id, code, status, status_since, sort_order)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          [bedId, facilityId, wardId, roomId, categoryId, `${code}-${r}${b}`, status, since.toISOString(), b],
        );
        if (status === 'available') available.push({ id: bedId, wardId });
        if (status === 'occupied') {
          const admissionId = newId();
          const pid = patientIds[patient++]!;
          const admitted = new Date(now.getTime() - (1 + (n % 9)) * 86_400_000);
          const expected = new Date(now.getTime() + ((n % 10) - 1) * 86_400_000).toISOString().slice(0, 10);
          await q(
            `insert into ipd.admissions (id, facility_id, admission_number, patient_id, encounter_id, source,
               admitting_practitioner_name, attending_practitioner_name, reason, expected_discharge_date,
               payer_category, admitted_at, admitted_by_name)
             values ($1, $2, $3, $4, $5, 'direct', 'Dr. Bench', $6, 'Bench', $7, 'cash', $8, 'Bench')`,
            [
              admissionId,
              facilityId,
              `IP-${String(n).padStart(5, '0')}`,
              pid,
              newId(),
              `Dr. Bench ${1 + (n % 12)}`,
              expected,
              admitted.toISOString(),
            ],
          );
          await q(
            `insert into ipd.bed_occupancies (id, admission_id, patient_id, bed_id, ward_id, tariff_class, started_at,
               start_reason, moved_by_name)
             values ($1, $2, $3, $4, $5, 'general', $6, 'admission', 'Bench')`,
            [newId(), admissionId, pid, bedId, wardId, admitted.toISOString()],
          );
        }
        if (status === 'reserved') {
          const pid = patientIds[patient++]!;
          const requestId = newId();
          await q(
            `insert into ipd.admission_requests (id, facility_id, patient_id, source, reason, status, requested_by_name)
             values ($1, $2, $3, 'planned', 'Bench', 'reserved', 'Bench')`,
            [requestId, facilityId, pid],
          );
          await q(
            `insert into ipd.bed_reservations (id, facility_id, bed_id, patient_id, request_id, from_at, until_at, reserved_by_name)
             values ($1, $2, $3, $4, $5, $6, $7, 'Bench')`,
            [
              newId(),
              facilityId,
              bedId,
              pid,
              requestId,
              new Date(now.getTime() - 3600_000).toISOString(),
              new Date(now.getTime() + 86_400_000).toISOString(),
            ],
          );
        }
      }
    }
  }
  for (let i = 0; i < WAITING_REQUESTS; i++) {
    await q(
      `insert into ipd.admission_requests (id, facility_id, patient_id, source, priority, ward_kind, reason, requested_by_name, created_at)
       values ($1, $2, $3, 'emergency', $4, $5, 'Bench', 'Bench', $6)`,
      [
        newId(),
        facilityId,
        patientIds[patient++]!,
        ['routine', 'urgent', 'emergency'][i % 3],
        i % 4 === 0 ? 'icu' : 'general',
        new Date(now.getTime() - i * 7 * 60_000).toISOString(),
      ],
    );
  }
  await q('analyze');
  return { available, patientsUsed: patient };
}

async function runOn(
  target: Target,
  options: BenchOptions,
): Promise<{ rows: Measurement[]; notes: string[]; verdict: string }> {
  const { label } = target;
  const notes: string[] = [];
  const dataKey = randomBytes(32).toString('base64');
  const cipher = new FieldCipher(Buffer.from(dataKey, 'base64'));
  const open = (poolSize = 2) =>
    target.kind === 'pglite'
      ? openDatabase({ dataDir: target.dir })
      : openDatabase({ url: target.url, poolSize });

  // 1. The facility, patients and 500 beds, written by this process.
  const started = performance.now();
  const database = await open();
  let facilityId: string;
  let toggled: { id: string; wardId: string }[];
  let burstPatients: string[];
  try {
    await runMigrations(database);
    facilityId = await ensureDefaultFacility(database.db);
    const people =
      Math.ceil(BEDS * ((MIX.occupied + MIX.reserved) / 100)) + WAITING_REQUESTS + 20 + BURST_PATIENTS;
    await loadPatients(
      { query: (text, params) => database.query(text, params), parallel: 1 },
      { count: people, seed: SEED, cipher, facilityId, now: new Date(), samples: 1, log: () => {} },
    );
    const patientIds = (await database.query('select id from patients.patients order by id')).map((r) =>
      String(r.id),
    );
    burstPatients = patientIds.slice(-BURST_PATIENTS);
    const generated = await generateBeds(
      database,
      facilityId,
      patientIds.slice(0, patientIds.length - BURST_PATIENTS),
      new Date(),
    );
    toggled = generated.available.slice(0, TOGGLED);
    notes.push(
      `${label}: ${BEDS} beds, ${generated.patientsUsed} patients placed or waiting, generated in ` +
        `${((performance.now() - started) / 1000).toFixed(1)} s.`,
    );
  } finally {
    await database.close();
  }

  // 2. The app on that database: the snapshot under load, then the live latency.
  const env: Record<string, string> =
    target.kind === 'pglite'
      ? { BENCH_PGLITE_DATA_DIR: target.dir, NEWHMS_DATA_KEY: dataKey }
      : { DATABASE_URL: target.url, NEWHMS_DATA_KEY: dataKey };
  const server = await startNewhmsServer({ label, env });
  let app: Measurement;
  let live: Measurement & { frameBytes: number };
  let contention: ContentionResult;
  try {
    const headers = { authorization: `Bearer ${server.accessToken}`, 'x-facility-id': facilityId };
    const probe = await fetch(`${server.origin}/api/v1/ipd/bed-board`, { headers });
    const probeBody = await probe.text();
    if (probe.status !== 200) throw new Error(`bed board: ${probe.status} ${probeBody.slice(0, 300)}`);
    const beds = (JSON.parse(probeBody) as { wards: { beds: unknown[] }[] }).wards.reduce(
      (s, w) => s + w.beds.length,
      0,
    );
    if (beds !== BEDS) throw new Error(`the board shows ${beds} beds, not ${BEDS}`);
    notes.push(`${label}: one snapshot is ${(probeBody.length / 1024).toFixed(0)} KiB of JSON.`);
    options.log(`${label}: GET /api/v1/ipd/bed-board, ${options.connections} connections`);
    const { statusCodes, ...row } = await measureLoad(
      {
        url: `${server.origin}/api/v1/ipd/bed-board`,
        headers,
        connections: options.connections,
        durationSeconds: options.durationSeconds,
        warmupSeconds: options.warmupSeconds,
      },
      {
        target: `Newhms \`GET /api/v1/ipd/bed-board\` (${BEDS} beds), ${options.connections} connections`,
        database: label,
      },
    );
    app = row;
    if (Object.keys(statusCodes).some((c) => c !== '200'))
      notes.push(`${label}: snapshot answers ${JSON.stringify(statusCodes)}.`);
    options.log(`${label}: live latency, ${CHANGES} changes`);
    live = await measureLive(server.origin, headers, toggled, label);
    options.log(`${label}: ${CONTENTION.admissions} concurrent admissions for ${CONTENTION.beds} beds`);
    contention = await admissionContention(server.origin, headers, facilityId, burstPatients, label);
  } finally {
    await server.stop();
  }
  // The burst checked in the tables: one open occupancy per bed, one per admission, nothing else.
  const check = await open();
  try {
    const [held] = await check.query(
      `select count(*)::int as occupancies, count(distinct o.bed_id)::int as beds,
              count(distinct o.admission_id)::int as admissions,
              (select count(*)::int from ipd.admissions a where a.patient_id = any($2::uuid[])) as admitted
         from ipd.bed_occupancies o where o.ended_at is null and o.bed_id = any($1::uuid[])`,
      [contention.bedIds, burstPatients],
    );
    contention.held = {
      occupancies: Number(held?.occupancies),
      beds: Number(held?.beds),
      admissions: Number(held?.admissions),
      admitted: Number(held?.admitted),
    };
  } finally {
    await check.close();
  }

  // 3. The baseline: the same snapshot read directly, after the server stopped (PGlite has one owner).
  const clients = target.kind === 'pglite' ? 1 : options.connections;
  const direct = await open(clients);
  let baseline: Measurement;
  try {
    baseline = await measureSnapshot(direct, facilityId, clients, options, {
      target: `the snapshot read directly (\`loadBedBoard\`), ${clients} loop${clients > 1 ? 's' : ''}`,
      database: label,
    });
  } finally {
    await direct.close();
  }
  const ratio = app.requestsPerSecond / baseline.requestsPerSecond;
  const { frameBytes, ...liveRow } = live;
  notes.push(`${label}: live frames are ${(frameBytes / 1024).toFixed(0)} KiB each.`);
  const burstCodes = contention.row.statusCodes;
  const sent = Object.values(burstCodes).reduce((a, b) => a + b, 0);
  const won = burstCodes['201'] ?? 0;
  const taken = burstCodes['409'] ?? 0;
  const serverErrors = Object.entries(burstCodes)
    .filter(([code]) => Number(code) >= 500)
    .reduce((a, [, n]) => a + n, 0);
  const h = contention.held;
  const pass =
    won === CONTENTION.beds &&
    taken === sent - CONTENTION.beds &&
    serverErrors === 0 &&
    h.occupancies === CONTENTION.beds &&
    h.beds === CONTENTION.beds &&
    h.admissions === CONTENTION.beds &&
    h.admitted === CONTENTION.beds;
  const codes = (m: Record<string, number>) =>
    Object.entries(m)
      .map(([k, n]) => `${k}: ${n}`)
      .join(', ');
  notes.push(
    `${label}, admission contention: ${sent} admissions for ${CONTENTION.beds} free beds from ` +
      `${CONTENTION.connections} connections → ${codes(burstCodes)}; problem codes ${codes(contention.problems)}; ` +
      `afterwards ${h.occupancies} open occupancies on ${h.beds} distinct beds, ${h.admissions} admissions holding ` +
      `them, ${h.admitted} of the burst's patients admitted: ${pass ? 'PASS' : 'FAIL'} (expected ` +
      `${CONTENTION.beds} × 201, ${sent - CONTENTION.beds} × 409, no 5xx).`,
  );
  const { statusCodes: _codes, ...burstRow } = contention.row;
  return {
    rows: [
      { ...baseline, ratioToBaseline: 1 },
      { ...app, ratioToBaseline: ratio },
      liveRow,
      // A 409 is the expected answer for all but the beds: failures are everything else.
      { ...burstRow, failures: burstRow.failures - taken },
    ],
    notes,
    verdict:
      `On ${label} the staff board of ${BEDS} beds answers ${Math.round(app.requestsPerSecond)}/s at p99 ` +
      `${app.latencyP99Ms} ms (${ratio.toFixed(2)}x the direct read's ${Math.round(baseline.requestsPerSecond)}/s); ` +
      `a committed change reaches an SSE client at p50 ${liveRow.latencyP50Ms} ms, p99 ${liveRow.latencyP99Ms} ms ` +
      `(${liveRow.failures} of ${CHANGES} missed); admission contention ${pass ? 'PASS' : 'FAIL'} ` +
      `(${won} admitted for ${CONTENTION.beds} beds, ${taken} × 409, ${serverErrors} × 5xx).`,
  };
}

type ContentionResult = {
  row: Measurement & { statusCodes: Record<string, number> };
  problems: Record<string, number>;
  bedIds: string[];
  held: { occupancies: number; beds: number; admissions: number; admitted: number };
};

/**
 * 200 admissions at once for 50 free beds through `POST /api/v1/ipd/admissions`, each a patient of its own
 * and a bed taken in turn (4 patients per bed): a ward, its beds, a department and the admin as practitioner
 * are set up through the API first.
 */
async function admissionContention(
  origin: string,
  headers: Record<string, string>,
  facilityId: string,
  patients: readonly string[],
  label: string,
): Promise<ContentionResult> {
  const post = async <T>(path: string, body: unknown): Promise<T> => {
    const res = await fetch(`${origin}${path}`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${path}: ${res.status} ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
  };
  const me = (await (await fetch(`${origin}/api/v1/auth/me`, { headers })).json()) as {
    id: string;
  };
  const department = await post<{ id: string }>(`/api/v1/organization/facilities/${facilityId}/departments`, {
    code: 'BENCH-MED',
    name: 'Bench Medicine',
    kind: 'clinical',
  });
  const doctor = await post<{ id: string }>('/api/v1/opd/practitioners', {
    userId: me.id,
    displayName: 'Dr. Bench Admitting',
    departmentId: department.id,
    specialty: 'General Medicine',
    firstVisitFee: 50_000,
    followUpFee: 30_000,
  });
  const category = await post<{ id: string }>('/api/v1/ipd/bed-categories', {
    code: 'BURST',
    name: 'Contention bed',
    tariffClass: 'general',
  });
  const ward = await post<{ id: string }>('/api/v1/ipd/wards', {
    code: 'BURST',
    name: 'Burst ward',
    kind: 'general',
  });
  const room = await post<{ id: string }>('/api/v1/ipd/rooms', {
    wardId: ward.id,
    code: 'R1',
    name: 'Room 1',
  });
  const bedIds: string[] = [];
  for (let i = 1; i <= CONTENTION.beds; i++) {
    const bed = await post<{ id: string }>('/api/v1/ipd/beds', {
      roomId: room.id,
      categoryId: category.id,
      code: `X${String(i).padStart(3, '0')}`,
      sortOrder: i,
    });
    bedIds.push(bed.id);
  }
  const problems = new Map<string, number>();
  let built = 0;
  const row = await measureLoad(
    {
      url: `${origin}/api/v1/ipd/admissions`,
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      connections: CONTENTION.connections,
      durationSeconds: 0,
      warmupSeconds: 0,
      amount: CONTENTION.admissions,
      nextBody: () => {
        const i = built++;
        return JSON.stringify({
          patientId: patients[i % patients.length],
          bedId: bedIds[i % CONTENTION.beds],
          source: 'direct',
          admittingPractitionerId: doctor.id,
          attendingPractitionerId: doctor.id,
          reason: 'Bench admission',
          payerCategory: 'cash',
        });
      },
      onResponse: (status, body) => {
        if (status < 300) return;
        let code = `${status}`;
        try {
          code = `${status} ${(JSON.parse(body) as { code?: string }).code ?? ''}`.trim();
        } catch {}
        problems.set(code, (problems.get(code) ?? 0) + 1);
      },
    },
    {
      target: `contention: ${CONTENTION.admissions} admissions for ${CONTENTION.beds} beds, ${CONTENTION.connections} connections (409 expected)`,
      database: label,
    },
  );
  if (built > patients.length) throw new Error('the admission burst repeated a patient');
  return {
    row,
    problems: Object.fromEntries(problems),
    bedIds,
    held: { occupancies: 0, beds: 0, admissions: 0, admitted: 0 },
  };
}

async function measureSnapshot(
  database: Database,
  facilityId: string,
  loops: number,
  spec: { durationSeconds: number; warmupSeconds: number },
  label: { target: string; database: string },
): Promise<Measurement> {
  const drive = async (seconds: number) => {
    const samples: number[] = [];
    let failures = 0;
    const until = performance.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: loops }, async () => {
        while (performance.now() < until) {
          const t0 = performance.now();
          try {
            await loadBedBoard(database.db, facilityId, new Date());
            samples.push(performance.now() - t0);
          } catch {
            failures += 1;
          }
        }
      }),
    );
    return { samples, failures };
  };
  if (spec.warmupSeconds > 0) await drive(spec.warmupSeconds);
  const { samples, failures } = await drive(spec.durationSeconds);
  const s = stats(samples);
  return {
    ...label,
    requestsPerSecond: samples.length / spec.durationSeconds,
    latencyP50Ms: s.p50,
    latencyP975Ms: s.p975,
    latencyP99Ms: s.p99,
    requests: samples.length,
    failures,
    loadAverage: loadavg()[0] ?? 0,
  };
}

type Frame = { wards: { beds: { bedId: string; status: string }[] }[] };

/** Opens the staff stream, then makes CHANGES bed changes one at a time and times each to its frame. */
async function measureLive(
  origin: string,
  headers: Record<string, string>,
  beds: { id: string }[],
  label: string,
): Promise<Measurement & { frameBytes: number }> {
  const controller = new AbortController();
  const res = await fetch(`${origin}/api/v1/ipd/bed-board/events`, {
    headers: { ...headers, accept: 'text/event-stream' },
    signal: controller.signal,
  });
  if (res.status !== 200) throw new Error(`bed board events: ${res.status}`);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let frameBytes = 0;
  let latest: Map<string, string> | undefined;
  let wake: (() => void) | undefined;
  const reading = (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let cut = buffer.indexOf('\n\n');
      while (cut >= 0) {
        const frame = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const data = frame.startsWith('event: board\n') ? /^data: (.+)$/m.exec(frame)?.[1] : undefined;
        if (data) {
          frameBytes = data.length;
          const board = JSON.parse(data) as Frame;
          latest = new Map(board.wards.flatMap((w) => w.beds.map((b) => [b.bedId, b.status] as const)));
          wake?.();
        }
        cut = buffer.indexOf('\n\n');
      }
    }
  })().catch(() => {});
  const seen = async (bedId: string, status: string, timeoutMs: number) => {
    const deadline = performance.now() + timeoutMs;
    while (latest?.get(bedId) !== status) {
      if (performance.now() > deadline) return false;
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, 50);
      });
    }
    return true;
  };
  const versions = new Map(beds.map((b) => [b.id, 1]));
  const samples: number[] = [];
  let failures = 0;
  try {
    if (!(await seen(beds[0]!.id, 'available', 10_000))) throw new Error('no first frame');
    for (let i = 0; i < CHANGES; i++) {
      const bed = beds[i % beds.length]!;
      const status = Math.floor(i / beds.length) % 2 === 0 ? 'blocked' : 'maintenance';
      const change = await fetch(`${origin}/api/v1/ipd/beds/${bed.id}/status`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ status, reason: `bench change ${i}`, version: versions.get(bed.id) }),
      });
      const body = (await change.json()) as { version?: number };
      if (change.status !== 200) {
        failures += 1;
        continue;
      }
      const t0 = performance.now();
      versions.set(bed.id, body.version ?? (versions.get(bed.id) ?? 1) + 1);
      if (await seen(bed.id, status, 5_000)) samples.push(performance.now() - t0);
      else failures += 1;
    }
  } finally {
    controller.abort();
    await reading;
  }
  const s = stats(samples);
  return {
    target: `live: a committed bed change to its SSE frame (${CHANGES} changes, one at a time)`,
    database: label,
    requestsPerSecond: 0,
    latencyP50Ms: s.p50,
    latencyP975Ms: s.p975,
    latencyP99Ms: s.p99,
    requests: samples.length,
    failures,
    loadAverage: loadavg()[0] ?? 0,
    frameBytes,
  };
}
