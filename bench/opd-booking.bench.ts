import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { FieldCipher } from '../apps/server/src/platform/crypto/field-cipher';
import { openDatabase } from '../apps/server/src/platform/db/database';
import { newId } from '../apps/server/src/platform/db/ids';
import { runMigrations } from '../apps/server/src/platform/db/migrate';
import { ensureDefaultFacility } from '../apps/server/src/platform/organization/organization.service';
import { addDays, isoWeekday, localDate } from '../apps/server/src/platform/time/facility-time';
import type { Bench, BenchOptions, Measurement } from './bench';
import { measureLoad } from './load';
import { type NewhmsServer, startNewhmsServer } from './newhms-server';
import { loadPatients, type SqlRunner } from './patient-data';
import { createScratchDatabase, postgresVersion } from './scratch-database';
import { stats } from './sql-latency';

const SEED = 20_260_401;
/** Each bench doctor sees patients all day tomorrow: 00:00-23:55 in 5-minute slots of 20 patients. */
const SESSION = { startTime: '00:00', endTime: '23:55', slotMinutes: 5, patientsPerSlot: 20 } as const;
const SLOTS_PER_SESSION = 287;
/**
 * Bookings are sized for these rates (per second, over warm-up + measured seconds): every booking takes a
 * patient of its own and a place in a slot, and neither is ever used twice. A row faster than this runs out
 * and says so in the notes.
 */
const APP_CEILING = 1000;
const SQL_CEILING = 3000;
/** The contention row: many concurrent bookings at a few places (as booking-contention.int.test.ts). */
const CONTENTION = { slots: 20, requests: 500, connections: 100 } as const;

type Booking = { patientId: string; slotId: string };

/** Every booking the run may make, each a patient not booked before and a free place in a slot. */
class BookingPool {
  private next = 0;
  constructor(private readonly bookings: readonly Booking[]) {}
  get size(): number {
    return this.bookings.length;
  }
  get left(): number {
    return this.bookings.length - this.next;
  }
  take(): Booking | undefined {
    const b = this.bookings[this.next];
    if (b) this.next += 1;
    return b;
  }
}

/** Pairs patients with slot places, the slots taken in turn (so concurrent bookings spread over slots). */
function poolOf(patients: readonly string[], slots: readonly { id: string; free: number }[]): Booking[] {
  const places: string[] = [];
  const most = Math.max(0, ...slots.map((s) => s.free));
  for (let round = 0; round < most; round++) {
    for (const s of slots) if (s.free > round) places.push(s.id);
  }
  return patients.slice(0, places.length).map((patientId, i) => ({ patientId, slotId: places[i]! }));
}

/**
 * OPD booking: the app's POST /api/v1/opd/appointments against the same booking as one INSERT, and a burst
 * of concurrent bookings at a few slots that must end with exactly their capacity booked.
 */
export const opdBookingBench: Bench = {
  name: 'opd-booking',
  title: 'OPD appointment booking',
  description:
    'Generated patients (`patient-data.ts`, each booked at most once in the whole run) are bulk-loaded into a ' +
    'fresh database; the real app then gets doctors through its API (a doctor user, a room, a practitioner ' +
    `profile and a weekly schedule each: tomorrow ${SESSION.startTime}-${SESSION.endTime} in ` +
    `${SESSION.slotMinutes}-minute slots of ${SESSION.patientsPerSlot} patients, ${SLOTS_PER_SESSION} slots, ` +
    "made by the app's materializer), as many doctors as the run can book. App: `POST /api/v1/opd/appointments` " +
    "through autocannon with the admin's bearer token, every request a patient of its own and the next place " +
    'of the slots taken in turn (patient check, slot and doctor checks, follow-up fee rule, the insert whose ' +
    "trigger takes the slot's capacity under its row lock, the audit entry and the outbox event in one " +
    'transaction). Baseline: the same appointment row written by one `INSERT ... SELECT` from the slot ' +
    '(autocommit, the same capacity trigger, CHECK and unique index), with `pg` clients (PGlite: in-process), ' +
    'one statement after another per client. "vs baseline" is requests/s over that SQL row. Contention: ' +
    `${CONTENTION.requests} booking requests from ${CONTENTION.connections} concurrent connections at ` +
    `${CONTENTION.slots} slots of capacity 1 (another doctor), each request a different patient; ` +
    'exactly the capacity must be booked, every other answer a 409, none a 5xx.',
  async run(options) {
    const rows: Measurement[] = [];
    const notes: string[] = [];
    const verdicts: string[] = [];
    const size = bookingSizes(options);
    const dir = mkdtempSync(join(tmpdir(), 'newhms-bench-opd-'));
    try {
      const r = await runOn({ kind: 'pglite', label: 'PGlite (data dir)', dir }, options, size);
      rows.push(...r.rows);
      notes.push(...r.notes);
      verdicts.push(r.verdict);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    if (options.postgresAdminUrl) {
      const scratch = await createScratchDatabase(options.postgresAdminUrl, 'opd_booking');
      try {
        const version = await postgresVersion(scratch.url);
        const r = await runOn(
          { kind: 'postgres', label: `PostgreSQL ${version.split(' ')[0]}`, url: scratch.url },
          options,
          size,
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
        `${verdicts.join(' ')} The app's booking is one transaction of about ten statements (patient summary, ` +
        'facility clock, slot with session, practitioner, last visit, insert + capacity trigger, audit entry, ' +
        'outbox event) plus the HTTP request and the token check, against one INSERT for the baseline; the ' +
        "capacity is the database's (trigger + CHECK), so no load can overbook.",
    };
  },
};

type Sizes = { patients: number; practitioners: number; appBookings: number; sqlBookings: number };

function bookingSizes(options: BenchOptions): Sizes {
  const seconds = options.warmupSeconds + options.durationSeconds;
  const appBookings = Math.ceil(APP_CEILING * seconds);
  const sqlBookings = Math.ceil(SQL_CEILING * seconds);
  const perPractitioner = SLOTS_PER_SESSION * SESSION.patientsPerSlot;
  return {
    // The contention burst's patients: one per request, and one per connection that autocannon builds ahead.
    patients: appBookings + sqlBookings + CONTENTION.requests + 2 * CONTENTION.connections,
    practitioners: Math.ceil((appBookings + sqlBookings) / perPractitioner),
    appBookings,
    sqlBookings,
  };
}

type Target =
  | { kind: 'pglite'; label: string; dir: string }
  | { kind: 'postgres'; label: string; url: string };

async function runOn(
  target: Target,
  options: BenchOptions,
  size: Sizes,
): Promise<{ rows: Measurement[]; notes: string[]; verdict: string }> {
  const { label } = target;
  const notes: string[] = [];
  const dataKey = randomBytes(32).toString('base64');
  const cipher = new FieldCipher(Buffer.from(dataKey, 'base64'));
  const open = () =>
    target.kind === 'pglite'
      ? openDatabase({ dataDir: target.dir })
      : openDatabase({ url: target.url, poolSize: 2 });

  // 1. A migrated database with the facility and the patients, written by this process.
  options.log(`${label}: loading ${size.patients.toLocaleString('en')} patients`);
  const database = await open();
  let patientIds: string[];
  let timeZone: string;
  let loadSeconds: number;
  try {
    await runMigrations(database);
    const facilityId = await ensureDefaultFacility(database.db);
    const sql: SqlRunner = {
      query: (text, params) => database.query(text, params),
      parallel: target.kind === 'pglite' ? 1 : 2,
    };
    const loaded = await loadPatients(sql, {
      count: size.patients,
      seed: SEED,
      cipher,
      facilityId,
      now: new Date(),
      samples: 1,
      log: options.log,
    });
    loadSeconds = loaded.seconds.total;
    patientIds = (await database.query('select id from patients.patients order by id')).map((r) =>
      String(r.id),
    );
    const [facility] = await database.query('select time_zone from org.facilities where id = $1', [
      facilityId,
    ]);
    timeZone = String(facility?.time_zone ?? 'Asia/Kolkata');
  } finally {
    await database.close();
  }
  const tomorrow = addDays(localDate(new Date(), timeZone), 1);

  // 2. The app on that database: doctors, rooms and schedules through its API, then the load.
  const env: Record<string, string> =
    target.kind === 'pglite'
      ? { BENCH_PGLITE_DATA_DIR: target.dir, NEWHMS_DATA_KEY: dataKey }
      : { DATABASE_URL: target.url, NEWHMS_DATA_KEY: dataKey };
  const server = await startNewhmsServer({ label, env });
  let pool: BookingPool;
  let contentionSlots: string[];
  let contentionDoctor: string;
  let appRow: Measurement & { statusCodes: Record<string, number> };
  let burst: Measurement & { statusCodes: Record<string, number> };
  const problemCodes = new Map<string, number>();
  let me: { id: string; facilityId: string };
  const setupStarted = performance.now();
  try {
    const api = apiOf(server);
    me = await api<{ id: string; facilityId: string }>('GET', '/api/v1/auth/me');
    const clinic = await setUpClinic(api, me.facilityId, tomorrow);
    const slotsOfDoctors: { id: string; free: number }[] = [];
    for (let i = 0; i < size.practitioners; i++) {
      const dr = await clinic.doctor(SESSION);
      slotsOfDoctors.push(...dr.slots);
    }
    const contention = await clinic.doctor({
      startTime: '09:00',
      endTime: '14:00',
      slotMinutes: 15,
      patientsPerSlot: 1,
    });
    if (contention.slots.length !== CONTENTION.slots) {
      throw new Error(`contention doctor has ${contention.slots.length} slots, not ${CONTENTION.slots}`);
    }
    contentionDoctor = contention.practitionerId;
    contentionSlots = contention.slots.map((s) => s.id);
    const burstPatients = patientIds.splice(0, CONTENTION.requests + 2 * CONTENTION.connections);
    pool = new BookingPool(poolOf(patientIds, slotsOfDoctors));
    options.log(
      `${label}: ${size.practitioners} doctors with ${slotsOfDoctors.length} slots set up in ` +
        `${((performance.now() - setupStarted) / 1000).toFixed(0)} s; ${pool.size} bookings available`,
    );

    const headers = {
      authorization: `Bearer ${server.accessToken}`,
      'x-facility-id': me.facilityId,
      'content-type': 'application/json',
    };
    let exhausted = false;
    let last = '';
    options.log(`${label}: the app, ${options.connections} connections`);
    appRow = await measureLoad(
      {
        url: `${server.origin}/api/v1/opd/appointments`,
        method: 'POST',
        headers,
        connections: options.connections,
        durationSeconds: options.durationSeconds,
        warmupSeconds: options.warmupSeconds,
        nextBody: () => {
          const b = pool.take();
          if (!b) exhausted = true;
          else last = JSON.stringify(b);
          return last;
        },
      },
      {
        target: `Newhms \`POST /api/v1/opd/appointments\`, ${options.connections} connections`,
        database: label,
      },
    );
    if (exhausted) {
      notes.push(
        `${label}: the app row ran out of prepared bookings (raise APP_CEILING); its failures are repeats.`,
      );
    }

    options.log(`${label}: contention, ${CONTENTION.requests} requests at ${CONTENTION.slots} slots`);
    let built = 0;
    burst = await measureLoad(
      {
        url: `${server.origin}/api/v1/opd/appointments`,
        method: 'POST',
        headers,
        connections: CONTENTION.connections,
        durationSeconds: 0,
        warmupSeconds: 0,
        amount: CONTENTION.requests,
        nextBody: () => {
          const i = built++;
          return JSON.stringify({
            patientId: burstPatients[i % burstPatients.length],
            slotId: contentionSlots[i % CONTENTION.slots],
          });
        },
        onResponse: (status, body) => {
          if (status < 300) return;
          let code = `${status}`;
          try {
            code = `${status} ${(JSON.parse(body) as { code?: string }).code ?? ''}`.trim();
          } catch {}
          problemCodes.set(code, (problemCodes.get(code) ?? 0) + 1);
        },
      },
      {
        target: `contention: ${CONTENTION.requests} bookings at ${CONTENTION.slots} slots × 1, ${CONTENTION.connections} connections (409 expected)`,
        database: label,
      },
    );
    if (built > burstPatients.length) throw new Error('the contention burst repeated a patient');
  } finally {
    await server.stop();
  }

  // 3. Back in this process: check the burst in the tables, then the baseline (the same booking as one INSERT).
  const check = await open();
  let held: { appointments: number; booked: number; overfull: number };
  try {
    const [row] = await check.query(
      `select (select count(*) from opd.appointments where practitioner_id = $1 and status <> 'cancelled')::int as appointments,
              coalesce(sum(booked), 0)::int as booked, count(*) filter (where booked > capacity)::int as overfull
         from opd.slots where practitioner_id = $1`,
      [contentionDoctor],
    );
    held = {
      appointments: Number(row?.appointments),
      booked: Number(row?.booked),
      overfull: Number(row?.overfull),
    };
  } finally {
    await check.close();
  }

  const clients = target.kind === 'pglite' ? 1 : options.connections;
  options.log(`${label}: the booking as one INSERT, ${clients} client(s)`);
  const baseline = await measureSqlBookings(target, clients, pool, me.id, options, {
    target: `booking as one SQL \`INSERT\`, direct, ${clients} client${clients > 1 ? 's' : ''}`,
    database: label,
  });
  if (baseline.exhausted) {
    notes.push(
      `${label}: the SQL row ran out of prepared bookings after ${baseline.seconds.toFixed(1)} s ` +
        '(raise SQL_CEILING); its rate is over the time it ran.',
    );
  }

  const { statusCodes: appCodes, ...app } = appRow;
  const { statusCodes: burstCodes, ...burstRow } = burst;
  const sent = Object.values(burstCodes).reduce((a, b) => a + b, 0);
  const ok = burstCodes['201'] ?? 0;
  const conflicts = burstCodes['409'] ?? 0;
  const serverErrors = Object.entries(burstCodes)
    .filter(([code]) => Number(code) >= 500)
    .reduce((a, [, n]) => a + n, 0);
  const pass =
    ok === CONTENTION.slots &&
    conflicts === sent - CONTENTION.slots &&
    serverErrors === 0 &&
    held.appointments === CONTENTION.slots &&
    held.booked === CONTENTION.slots &&
    held.overfull === 0;
  const codes = (m: Record<string, number>) =>
    Object.entries(m)
      .map(([k, n]) => `${k}: ${n}`)
      .join(', ');
  notes.push(
    `${label}: ${patientIds.length + CONTENTION.requests + 2 * CONTENTION.connections} patients loaded in ` +
      `${loadSeconds.toFixed(0)} s; ${size.practitioners} doctors set up through the API. App row answers: ` +
      `${codes(appCodes)}.`,
    `${label}, contention: ${sent} requests → ${codes(burstCodes)}; problem codes ${codes(Object.fromEntries(problemCodes))}; ` +
      `afterwards ${held.appointments} appointments hold the doctor's slots, slots.booked sums to ${held.booked}, ` +
      `${held.overfull} slots over capacity: ${pass ? 'PASS' : 'FAIL'} (expected ${CONTENTION.slots} × 201, ` +
      `${sent - CONTENTION.slots} × 409, no 5xx).`,
  );
  const { exhausted: _, seconds: __, ...sqlRow } = baseline;
  const ratio = app.requestsPerSecond / sqlRow.requestsPerSecond;
  return {
    rows: [
      { ...sqlRow, ratioToBaseline: 1 },
      { ...app, ratioToBaseline: ratio },
      // Here a 409 is the expected answer for all but the capacity: failures are everything else.
      { ...burstRow, failures: burstRow.failures - conflicts },
    ],
    notes,
    verdict:
      `On ${label} the app books ${Math.round(app.requestsPerSecond)} appointments/s at p99 ${app.latencyP99Ms} ms ` +
      `(${app.failures} failures), ${ratio.toFixed(2)}x the ${Math.round(sqlRow.requestsPerSecond)}/s of the bare INSERT; ` +
      `contention ${pass ? 'PASS' : 'FAIL'} (${ok} booked of ${CONTENTION.slots} places, ${conflicts} × 409, ${serverErrors} × 5xx).`,
  };
}

type Api = <T = Record<string, unknown>>(
  method: 'GET' | 'POST' | 'PUT',
  path: string,
  body?: unknown,
) => Promise<T>;

function apiOf(server: NewhmsServer): Api {
  let facilityId: string | undefined;
  return async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${server.origin}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${server.accessToken}`,
        ...(facilityId ? { 'x-facility-id': facilityId } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    const json = JSON.parse(text) as T;
    if (path === '/api/v1/auth/me') facilityId = (json as { facilityId?: string }).facilityId ?? undefined;
    return json;
  };
}

/** The OPD of the bench: a short booking window, a department, and doctors with tomorrow's session. */
async function setUpClinic(api: Api, facilityId: string, tomorrow: string) {
  const roles = await api<{ items: { id: string; name: string }[] }>('GET', '/api/v1/access/roles');
  const doctorRole = roles.items.find((r) => r.name === 'doctor');
  if (!doctorRole) throw new Error('no doctor role');
  const settings = await api<{ priorityKinds: string[]; elderlyAge: number; version: number }>(
    'GET',
    '/api/v1/opd/settings',
  );
  // Only tomorrow is made (a longer window would make the same weekday of later weeks too).
  await api('PUT', '/api/v1/opd/settings', {
    priorityKinds: settings.priorityKinds,
    elderlyAge: settings.elderlyAge,
    bookingWindowDays: 2,
    version: settings.version,
  });
  const department = await api<{ id: string }>(
    'POST',
    `/api/v1/organization/facilities/${facilityId}/departments`,
    {
      code: 'BENCHOPD',
      name: 'Bench OPD',
      kind: 'clinical',
    },
  );
  let n = 0;
  return {
    async doctor(shape: {
      startTime: string;
      endTime: string;
      slotMinutes: number;
      patientsPerSlot: number;
    }) {
      n += 1;
      const { user } = await api<{ user: { id: string } }>('POST', '/api/v1/auth/users', {
        email: `bench.doctor.${n}@newhms.test`,
        displayName: `Dr. Bench ${n}`,
        roles: [{ facilityId, roleId: doctorRole.id }],
      });
      const room = await api<{ id: string }>('POST', '/api/v1/opd/rooms', {
        departmentId: department.id,
        name: `Bench room ${n}`,
        boardCode: `BENCH-${n}`,
      });
      const practitioner = await api<{ id: string }>('POST', '/api/v1/opd/practitioners', {
        userId: user.id,
        displayName: `Dr. Bench ${n}`,
        departmentId: department.id,
        specialty: 'General Medicine',
        qualifications: ['MBBS'],
        firstVisitFee: 50_000,
        followUpFee: 30_000,
      });
      await api('POST', '/api/v1/opd/schedules', {
        practitionerId: practitioner.id,
        roomId: room.id,
        weekday: isoWeekday(tomorrow),
        ...shape,
        walkInQuota: 0,
        validFrom: tomorrow,
      });
      const { items } = await api<{ items: { id: string; free: number }[] }>(
        'GET',
        `/api/v1/opd/slots?practitionerId=${practitioner.id}&from=${tomorrow}&to=${tomorrow}&onlyFree=true`,
      );
      return { practitionerId: practitioner.id, slots: items };
    },
  };
}

/** The appointment row bookAppointment writes, as one statement: the slot's facts, the doctor's fee. */
const BOOKING_INSERT = `insert into opd.appointments
    (id, facility_id, patient_id, practitioner_id, slot_id, session_id, room_id, date, starts_at, ends_at,
     source, fee_kind, fee, currency, booked_by_id, created_at, updated_at)
  select $1, s.facility_id, $2, s.practitioner_id, s.id, s.session_id, s.room_id, s.date, s.starts_at, s.ends_at,
     'front-desk', 'first-visit', p.first_visit_fee, f.currency, $4, now(), now()
    from opd.slots s
    join opd.practitioners p on p.id = s.practitioner_id
    join org.facilities f on f.id = s.facility_id
   where s.id = $3
  returning id`;

/**
 * The baseline: bookings from the pool as one INSERT each, as fast as they answer, `clients` at a time (a
 * warm-up, then the measured run); stops early when the pool runs out.
 */
async function measureSqlBookings(
  target: Target,
  clients: number,
  pool: BookingPool,
  actorId: string,
  spec: { durationSeconds: number; warmupSeconds: number },
  label: { target: string; database: string },
): Promise<Measurement & { exhausted: boolean; seconds: number }> {
  type Run = (text: string, params: unknown[]) => Promise<unknown>;
  let runners: Run[];
  let close: () => Promise<void>;
  if (target.kind === 'pglite') {
    const database = await openDatabase({ dataDir: target.dir });
    runners = [(text, params) => database.query(text, params)];
    close = () => database.close();
  } else {
    const connections = await Promise.all(
      Array.from({ length: clients }, async () => {
        const c = new pg.Client({ connectionString: target.url });
        await c.connect();
        return c;
      }),
    );
    runners = connections.map((c) => (text, params) => c.query(text, params));
    close = async () => {
      await Promise.all(connections.map((c) => c.end()));
    };
  }
  let exhausted = false;
  const drive = async (seconds: number, record: boolean) => {
    const samples: number[] = [];
    let failures = 0;
    const started = performance.now();
    const until = started + seconds * 1000;
    await Promise.all(
      runners.map(async (run) => {
        while (performance.now() < until) {
          const b = pool.take();
          if (!b) {
            exhausted = true;
            return;
          }
          const t0 = performance.now();
          try {
            await run(BOOKING_INSERT, [newId(), b.patientId, b.slotId, actorId]);
            if (record) samples.push(performance.now() - t0);
          } catch {
            failures += 1;
          }
        }
      }),
    );
    return { samples, failures, seconds: (performance.now() - started) / 1000 };
  };
  try {
    if (spec.warmupSeconds > 0) await drive(spec.warmupSeconds, false);
    const { samples, failures, seconds } = await drive(spec.durationSeconds, true);
    const s = stats(samples);
    return {
      ...label,
      requestsPerSecond: samples.length / Math.max(seconds, 0.001),
      latencyP50Ms: s.p50,
      latencyP975Ms: s.p975,
      latencyP99Ms: s.p99,
      requests: samples.length,
      failures,
      loadAverage: loadavg()[0] ?? 0,
      exhausted,
      seconds,
    };
  } finally {
    await close();
  }
}
