import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import {
  accounts,
  invoiceLines,
  invoices,
  payerPlans,
  payers,
  policies,
  preauths,
  servicePrices,
  services,
} from '../apps/server/src/modules/billing/billing.tables';
import { seedBillingReference } from '../apps/server/src/modules/billing/billing-reference';
import {
  type ChargeInput,
  computeInvoice,
  financialYearOf,
  type InvoiceFigures,
  type TaxRow,
} from '../apps/server/src/modules/billing/invoice-calc';
import { invoicePdf } from '../apps/server/src/modules/billing/invoice-pdf';
import { issueInvoice } from '../apps/server/src/modules/billing/invoices.service';
import type { SplitRules } from '../apps/server/src/modules/billing/payer-split';
import { systemCtx } from '../apps/server/src/platform/context';
import { FieldCipher } from '../apps/server/src/platform/crypto/field-cipher';
import { type Database, openDatabase } from '../apps/server/src/platform/db/database';
import { newId } from '../apps/server/src/platform/db/ids';
import { runMigrations } from '../apps/server/src/platform/db/migrate';
import { EventRegistry } from '../apps/server/src/platform/events/outbox';
import { ensureDefaultFacility } from '../apps/server/src/platform/organization/organization.service';
import { addDays, localDate } from '../apps/server/src/platform/time/facility-time';
import type { Bench, BenchOptions, Measurement } from './bench';
import { measureLoad } from './load';
import { startNewhmsServer } from './newhms-server';
import { loadPatients } from './patient-data';
import { createScratchDatabase, postgresVersion } from './scratch-database';
import { stats } from './sql-latency';

const SEED = 20_260_606;
const STAY_DAYS = 10;
const LINES = 300;
/** Final bills issued per row (each account is billed once), after WARMUP discarded ones. */
const ISSUES = 60;
const WARMUP = 5;
/** Final bills issued at once through the API, from this many connections (at most options.connections). */
const BURST = 40;
const BURST_CONNECTIONS = 10;
/** Targets (PostgreSQL, through the API, one bill at a time). */
const TARGET_ISSUE_P99_MS = 250;
const TARGET_PDF_P99_MS = 1000;
const TIME_ZONE = 'Asia/Kolkata';

// ---------------------------------------------------------------------------------------------------------
// The charge master and the 10-day stay: 30 charges a day, 9 service groups, 6 tax codes.
// ---------------------------------------------------------------------------------------------------------

type Service = { code: string; name: string; group: string; taxCode: string; price: number };
const svc = (code: string, name: string, group: string, taxCode: string, price: number): Service => ({
  code,
  name,
  group,
  taxCode,
  price,
});

/** Private room at INR 6,500/day: above INR 5,000 outside ICU, so 5% GST (ROOM's threshold row). */
const ROOM = svc('RM-PVT', 'Private room (per day)', 'room', 'ROOM', 650_000);
const NURSING = svc('NUR-PVT', 'Nursing care, private ward (per day)', 'nursing', 'HEALTHCARE', 150_000);
const ATTENDANT_FOOD = svc('FD-ATT', 'Attendant meals', 'other', 'FOOD-ATTENDANT', 12_000);
const CONSULTATIONS = [
  svc('CON-ATT', 'Attending physician visit', 'consultation', 'HEALTHCARE', 100_000),
  svc('CON-PUL', 'Pulmonology consultation', 'consultation', 'HEALTHCARE', 150_000),
  svc('CON-CAR', 'Cardiology consultation', 'consultation', 'HEALTHCARE', 150_000),
  svc('CON-NEP', 'Nephrology consultation', 'consultation', 'HEALTHCARE', 150_000),
];
const INVESTIGATIONS = [
  svc('LAB-CBC', 'Complete blood count', 'investigation', 'HEALTHCARE', 40_000),
  svc('LAB-CRP', 'C-reactive protein', 'investigation', 'HEALTHCARE', 60_000),
  svc('LAB-RFT', 'Renal function test', 'investigation', 'HEALTHCARE', 80_000),
  svc('LAB-LFT', 'Liver function test', 'investigation', 'HEALTHCARE', 90_000),
  svc('LAB-ELY', 'Serum electrolytes', 'investigation', 'HEALTHCARE', 50_000),
  svc('LAB-BCS', 'Blood culture and sensitivity', 'investigation', 'HEALTHCARE', 120_000),
  svc('LAB-ABG', 'Arterial blood gas', 'investigation', 'HEALTHCARE', 110_000),
  svc('LAB-PCT', 'Procalcitonin', 'investigation', 'HEALTHCARE', 250_000),
  svc('LAB-PTI', 'Prothrombin time / INR', 'investigation', 'HEALTHCARE', 45_000),
  svc('LAB-RBS', 'Random blood sugar', 'investigation', 'HEALTHCARE', 15_000),
  svc('LAB-URM', 'Urine routine and microscopy', 'investigation', 'HEALTHCARE', 20_000),
  svc('LAB-DDM', 'D-dimer', 'investigation', 'HEALTHCARE', 180_000),
];
const IMAGING = [
  svc('IMG-CXR', 'Chest X-ray PA view', 'imaging', 'HEALTHCARE', 60_000),
  svc('IMG-HRCT', 'HRCT chest', 'imaging', 'HEALTHCARE', 550_000),
  svc('IMG-USG', 'Ultrasound abdomen', 'imaging', 'HEALTHCARE', 180_000),
  svc('IMG-ECHO', '2D echocardiography', 'imaging', 'HEALTHCARE', 250_000),
  svc('IMG-ECG', '12-lead ECG', 'imaging', 'HEALTHCARE', 30_000),
];
const PROCEDURES = [
  svc('PRC-NEB', 'Nebulization', 'procedure', 'HEALTHCARE', 30_000),
  svc('PRC-IVC', 'IV cannulation', 'procedure', 'HEALTHCARE', 50_000),
  svc('PRC-CPT', 'Chest physiotherapy', 'procedure', 'HEALTHCARE', 80_000),
  svc('PRC-CVC', 'Central venous catheter insertion', 'procedure', 'HEALTHCARE', 600_000),
  svc('PRC-BRS', 'Fibre-optic bronchoscopy', 'procedure', 'HEALTHCARE', 1_500_000),
];
const PHARMACY = [
  svc('RX-CTX', 'Ceftriaxone 1 g injection', 'pharmacy', 'MEDICINE', 9_000),
  svc('RX-AZI', 'Azithromycin 500 mg tablet', 'pharmacy', 'MEDICINE', 4_500),
  svc('RX-PCM', 'Paracetamol 1 g IV infusion', 'pharmacy', 'MEDICINE', 12_000),
  svc('RX-PAN', 'Pantoprazole 40 mg injection', 'pharmacy', 'MEDICINE', 6_000),
  svc('RX-OND', 'Ondansetron 4 mg injection', 'pharmacy', 'MEDICINE', 2_500),
  svc('RX-ENX', 'Enoxaparin 40 mg injection', 'pharmacy', 'MEDICINE', 45_000),
  svc('RX-MER', 'Meropenem 1 g injection', 'pharmacy', 'MEDICINE-LIFESAVING', 180_000),
  svc('RX-INS', 'Insulin regular 40 IU/ml', 'pharmacy', 'MEDICINE-LIFESAVING', 40_000),
  svc('RX-SAL', 'Salbutamol respule', 'pharmacy', 'MEDICINE', 1_500),
  svc('RX-BUD', 'Budesonide respule', 'pharmacy', 'MEDICINE', 3_000),
  svc('RX-NS', 'Sodium chloride 0.9% 500 ml', 'pharmacy', 'MEDICINE', 4_000),
  svc('RX-RL', "Ringer's lactate 500 ml", 'pharmacy', 'MEDICINE', 4_500),
  svc('RX-DEX', 'Dexamethasone 8 mg injection', 'pharmacy', 'MEDICINE', 1_200),
  svc('RX-KCL', 'Potassium chloride 15% ampoule', 'pharmacy', 'MEDICINE', 1_800),
  svc('RX-HEP', 'Heparin 5000 IU injection', 'pharmacy', 'MEDICINE-LIFESAVING', 25_000),
  svc('RX-FUR', 'Furosemide 20 mg injection', 'pharmacy', 'MEDICINE', 1_000),
];
const CONSUMABLES = [
  svc('CSM-IVS', 'IV infusion set', 'consumable', 'DEVICE', 15_000),
  svc('CSM-SYR', 'Syringes 10 ml (pack of 10)', 'consumable', 'DEVICE', 5_000),
  svc('CSM-GLV', 'Examination gloves (box)', 'consumable', 'DEVICE', 30_000),
  svc('CSM-CAN', 'IV cannula 20G', 'consumable', 'DEVICE', 12_000),
  svc('CSM-O2M', 'Oxygen mask with tubing', 'consumable', 'DEVICE', 25_000),
  svc('CSM-URB', 'Urine collection bag', 'consumable', 'DEVICE', 8_000),
];
const CHARGE_MASTER = [
  ROOM,
  NURSING,
  ATTENDANT_FOOD,
  ...CONSULTATIONS,
  ...INVESTIGATIONS,
  ...IMAGING,
  ...PROCEDURES,
  ...PHARMACY,
  ...CONSUMABLES,
];
/** The plan's rules: 10% co-pay, room rent eligible up to INR 5,000/day, attendant food and gloves never paid. */
const PLAN = {
  copayBp: 1000,
  roomRentLimit: 500_000,
  nonPayableGroups: ['other'],
  nonPayableCodes: ['CSM-GLV'],
  sumInsured: 50_000_000,
  preauthApproved: 30_000_000,
} as const;

type StayLine = {
  line: number;
  code: string;
  day: number;
  quantity: number;
  unitPrice: number;
  minute: number;
};

/** The 300 charges of a 10-day stay: per day room, nursing, 2 visits, 7 tests, 1 scan, 1 procedure, 12 drugs, 4 consumables, attendant meals. */
function stayTemplate(): StayLine[] {
  const out: StayLine[] = [];
  const add = (day: number, s: Service, quantity = 1) => {
    out.push({
      line: out.length + 1,
      code: s.code,
      day,
      quantity,
      unitPrice: s.price,
      minute: day * 1440 + 420 + (out.length % 30) * 20,
    });
  };
  const pick = <T>(list: readonly T[], i: number) => list[i % list.length]!;
  for (let d = 0; d < STAY_DAYS; d++) {
    add(d, ROOM);
    add(d, NURSING);
    add(d, CONSULTATIONS[0]!);
    add(d, pick(CONSULTATIONS.slice(1), d));
    for (let i = 0; i < 7; i++) add(d, pick(INVESTIGATIONS, d * 7 + i));
    add(d, pick(IMAGING, d));
    add(d, pick(PROCEDURES, d));
    for (let i = 0; i < 12; i++) add(d, pick(PHARMACY, d * 5 + i), 1 + ((d + i) % 3));
    for (let i = 0; i < 4; i++) add(d, pick(CONSUMABLES, d + i), 1 + (i % 2));
    add(d, ATTENDANT_FOOD, 3);
  }
  if (out.length !== LINES) throw new Error(`the stay has ${out.length} charges, not ${LINES}`);
  return out;
}

type Target =
  | { kind: 'pglite'; label: string; dir: string }
  | { kind: 'postgres'; label: string; url: string };

type Outcome = {
  rows: Measurement[];
  notes: string[];
  issueHttp: Measurement;
  pdf: Measurement;
  baseline: Measurement;
  drizzleInsert: Measurement;
  direct: Measurement;
  burst: Measurement;
  /** In-process rows without a database (the first run only): the calculation and Drizzle's statement build. */
  calc?: Measurement;
  build?: Measurement;
};

export const invoiceGenerationBench: Bench = {
  name: 'invoice-generation',
  title: 'Invoice generation: the IPD final bill of a 10-day stay with 300 lines',
  description:
    `A facility with billing's GST reference rows and a charge master of ${CHARGE_MASTER.length} services in 9 service ` +
    `groups; ${LINES}-charge ${STAY_DAYS}-day in-patient stays written straight into billing.charges, one account per ` +
    'stay (per day: private room at INR 6,500, above the INR 5,000 threshold so 5% GST; nursing; 2 consultations; ' +
    '7 investigations; 1 imaging study; 1 procedure; 12 pharmacy issues, some life-saving drugs; 4 consumables; ' +
    'attendant meals at 5% GST; tax codes HEALTHCARE, ROOM, MEDICINE, MEDICINE-LIFESAVING, DEVICE, ' +
    'FOOD-ATTENDANT). Every other account is billed to a policy (plan: 10% co-pay, room rent eligible to ' +
    'INR 5,000/day with proportionate deduction, non-payable attendant food and gloves, an approved ' +
    'pre-authorization), so the payer split runs on half the bills. Issue: the IPD final bill (`issueInvoice` ' +
    'of `invoices.service.ts`: locks the account, loads charges, GST rows, discounts and policy, computes tax, ' +
    'split and round-off, inserts the invoice and its 300 lines (one JSON parameter), binds the 300 charges, ' +
    'then takes the gapless number, ' +
    'closes the account, audits, appends the event, reviews the discharge clearance), one new account per ' +
    `bill, one at a time (${WARMUP} discarded, then up to ${ISSUES} or the run's duration): in process, and ` +
    'through the real server process as `POST /api/v1/billing/accounts/:id/invoices {kind: "ipd-final"}` with ' +
    "the admin's bearer token; the preview `GET .../invoice-preview?kind=ipd-final` the same way; and " +
    `${BURST} final bills of ${BURST} accounts at once from ${BURST_CONNECTIONS} connections (autocannon), ` +
    'after which the numbers are checked gapless. Baselines in the same run: `computeInvoice` ' +
    '(`invoice-calc.ts`) on the same 300 charges in process (no I/O), and the raw write: a draft invoice and ' +
    'the same 300 computed lines in one INSERT sending them as one JSON parameter (`jsonb_to_recordset`), in ' +
    "one transaction (the database floor of a bill, with the lines' foreign keys and freeze trigger; the " +
    '"vs baseline" column is requests/s relative to it); beside it the same write through Drizzle\'s ' +
    '`insert(invoiceLines).values(lines)` (what `writeFinalInvoice` sent before it switched to the JSON ' +
    'parameter), and Drizzle building that statement ' +
    'alone (`toSQL`, no I/O). PDF: `invoicePdf` of a 300-line final bill in process ' +
    '(read, audit, A4 render over several pages). Latencies here are measured in the bench process to 0.1 ms ' +
    '(the burst row: autocannon, whole ms). PGlite (data directory) and PostgreSQL. ' +
    `Targets on PostgreSQL: a 300-line final bill issued through the API in under ${TARGET_ISSUE_P99_MS} ms p99, ` +
    `its PDF rendered in under ${TARGET_PDF_P99_MS} ms p99.`,
  async run(options) {
    const rows: Measurement[] = [];
    const notes: string[] = [];
    const dir = mkdtempSync(join(tmpdir(), 'newhms-bench-invoices-'));
    let pglite: Outcome;
    try {
      pglite = await runOn({ kind: 'pglite', label: 'PGlite (data dir)', dir }, options, true);
      rows.push(...pglite.rows);
      notes.push(...pglite.notes);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    let postgres: Outcome | undefined;
    if (options.postgresAdminUrl) {
      const scratch = await createScratchDatabase(options.postgresAdminUrl, 'invoices');
      try {
        const version = await postgresVersion(scratch.url);
        postgres = await runOn(
          { kind: 'postgres', label: `PostgreSQL ${version.split(' ')[0]}`, url: scratch.url },
          options,
          false,
        );
        rows.push(...postgres.rows);
        notes.push(...postgres.notes);
      } finally {
        await scratch.drop();
      }
    } else {
      notes.push('PostgreSQL rows skipped: set DATABASE_URL or TEST_DATABASE_URL.');
    }
    const line = (o: Outcome) =>
      `On ${o.issueHttp.database} a ${LINES}-line IPD final bill is issued through the API at p50 ` +
      `${o.issueHttp.latencyP50Ms} ms, p99 ${o.issueHttp.latencyP99Ms} ms; its PDF renders at p99 ${o.pdf.latencyP99Ms} ms.`;
    const last = postgres ?? pglite;
    if (pglite.calc && pglite.build) {
      notes.push(
        `Where the time goes (${last.direct.database}): in process a bill is issued at p50 ${last.direct.latencyP50Ms} ms, ` +
          `of which \`computeInvoice\` is p50 ${pglite.calc.latencyP50Ms} ms, while Drizzle alone spends p50 ` +
          `${pglite.build.latencyP50Ms} ms building the 6,000-parameter INSERT of the ${LINES} lines that ` +
          `\`writeFinalInvoice\` sent before it switched to one JSON parameter: the same lines written that way take p50 ` +
          `${last.baseline.latencyP50Ms} ms with the transaction, through Drizzle's statement p50 ` +
          `${last.drizzleInsert.latencyP50Ms} ms.`,
      );
    }
    notes.push(
      `Bills issued at once queue on the invoice-number counter row (gapless numbers), which \`writeFinalInvoice\` ` +
        'locks after the lines and the charge binding, until the audit, the event and the commit: ' +
        `${BURST} bills at once complete at ${last.burst.requestsPerSecond.toFixed(1)}/s (one at a time: ` +
        `${last.issueHttp.requestsPerSecond.toFixed(1)}/s), p99 ${last.burst.latencyP99Ms} ms (${last.burst.database}).`,
    );
    let verdict: string;
    if (postgres) {
      const issueOk =
        postgres.issueHttp.failures === 0 && postgres.issueHttp.latencyP99Ms < TARGET_ISSUE_P99_MS;
      const pdfOk = postgres.pdf.failures === 0 && postgres.pdf.latencyP99Ms < TARGET_PDF_P99_MS;
      verdict =
        `Issue target (< ${TARGET_ISSUE_P99_MS} ms p99 on PostgreSQL, through the API): ${issueOk ? 'PASS' : 'FAIL'}; ` +
        `PDF target (< ${TARGET_PDF_P99_MS} ms p99): ${pdfOk ? 'PASS' : 'FAIL'}.`;
    } else {
      verdict = 'Targets are for PostgreSQL: not judged in a PGlite-only run.';
    }
    return {
      measurements: rows,
      notes,
      meaning: [verdict, line(pglite), postgres ? line(postgres) : ''].filter(Boolean).join(' '),
    };
  },
};

// ---------------------------------------------------------------------------------------------------------
// Data
// ---------------------------------------------------------------------------------------------------------

type World = {
  facilityId: string;
  /** Not billed: the calculation and the raw-insert baselines use its charges. */
  reference: { id: string; policyId: string | null };
  direct: string[];
  http: string[];
  burst: string[];
  generatedSeconds: number;
};

async function generate(database: Database, cipher: FieldCipher, now: Date): Promise<World> {
  const started = performance.now();
  const db = database.db;
  await runMigrations(database);
  const facilityId = await ensureDefaultFacility(db);
  await database.query(
    `update org.facilities set gstin = '29ABCDE1234F1Z5', address_line = '1 Hospital Road', city = 'Bengaluru',
       state = 'Karnataka', postal_code = '560001', phone = '+91 80 4000 0000', time_zone = $2 where id = $1`,
    [facilityId, TIME_ZONE],
  );
  await seedBillingReference(db);
  const count = 1 + 2 * (WARMUP + ISSUES) + BURST;
  await loadPatients(
    { query: (text, params) => database.query(text, params), parallel: 1 },
    { count, seed: SEED, cipher, facilityId, now, samples: 1, log: () => {} },
  );
  const patientIds = (await database.query('select id from patients.patients order by id')).map((r) =>
    String(r.id),
  );
  if (patientIds.length < count) throw new Error(`only ${patientIds.length} patients for ${count} stays`);

  const today = localDate(now, TIME_ZONE);
  const firstDay = addDays(today, -STAY_DAYS);
  // The charge master with the hospital's own prices (room: the private tariff class).
  const serviceRows = await db
    .insert(services)
    .values(
      CHARGE_MASTER.map((s) => ({
        facilityId,
        code: s.code,
        name: s.name,
        serviceGroup: s.group,
        taxCode: s.taxCode,
      })),
    )
    .returning({ id: services.id, code: services.code });
  const byCode = new Map(CHARGE_MASTER.map((s) => [s.code, s]));
  await db.insert(servicePrices).values(
    serviceRows.map((r) => ({
      serviceId: r.id,
      tariffClass: r.code === ROOM.code ? 'private' : '*',
      price: byCode.get(r.code)!.price,
      validFrom: addDays(firstDay, -30),
    })),
  );

  // A payer with its plan; a policy (and an approved pre-authorization) for every other stay.
  const [payer] = await db
    .insert(payers)
    .values({ facilityId, code: 'STAR', name: 'Star Health and Allied Insurance', kind: 'insurer' })
    .returning({ id: payers.id });
  const [plan] = await db
    .insert(payerPlans)
    .values({
      payerId: payer!.id,
      code: 'GOLD',
      name: 'Gold',
      copayBp: PLAN.copayBp,
      roomRentLimit: PLAN.roomRentLimit,
      nonPayableGroups: [...PLAN.nonPayableGroups],
      nonPayableCodes: [...PLAN.nonPayableCodes],
    })
    .returning({ id: payerPlans.id });
  const stays = patientIds.slice(0, count).map((patientId, n) => ({
    n,
    patientId,
    admissionId: newId(),
    policyId: n % 2 === 0 ? newId() : null,
  }));
  const insured = stays.filter((s) => s.policyId);
  await db.insert(policies).values(
    insured.map((s) => ({
      id: s.policyId!,
      facilityId,
      patientId: s.patientId,
      payerId: payer!.id,
      planId: plan!.id,
      policyNumber: `POL-${String(s.n).padStart(6, '0')}`,
      memberId: `M${s.n}`,
      validFrom: addDays(firstDay, -60),
      validTo: addDays(firstDay, 300),
      sumInsured: PLAN.sumInsured,
    })),
  );
  const accountRows = await db
    .insert(accounts)
    .values(
      stays.map((s) => ({
        facilityId,
        patientId: s.patientId,
        kind: 'ipd',
        episodeKey: `ipd.admission:${s.admissionId}`,
        admissionId: s.admissionId,
        admissionNumber: `IP-${String(s.n + 1).padStart(6, '0')}`,
        payerCategory: s.policyId ? 'insurance' : 'cash',
        policyId: s.policyId,
        tariffClass: 'private',
        openedAt: new Date(`${firstDay}T02:30:00Z`),
      })),
    )
    .returning({ id: accounts.id, patientId: accounts.patientId, policyId: accounts.policyId });
  await db.insert(preauths).values(
    accountRows
      .filter((a) => a.policyId)
      .map((a, i) => ({
        facilityId,
        accountId: a.id,
        policyId: a.policyId!,
        patientId: a.patientId,
        number: `PA-${String(i + 1).padStart(6, '0')}`,
        estimate: PLAN.preauthApproved,
        requestedAmount: PLAN.preauthApproved,
        approvedAmount: PLAN.preauthApproved,
        status: 'approved',
      })),
  );

  // 300 charges per stay, as the charges service posts them (priced, dated, sourced), 20 stays a statement.
  const template = JSON.stringify(stayTemplate());
  const ids = accountRows.map((a) => a.id);
  for (let i = 0; i < ids.length; i += 20) {
    await database.query(
      `insert into billing.charges (id, facility_id, account_id, patient_id, service_id, service_code, service_name,
         service_group, department_id, tax_code, tariff_class, intensive_care, quantity, unit_price, amount,
         service_date, source_type, source_id, source_line, posted_by_name, posted_at)
       select gen_random_uuid(), a.facility_id, a.id, a.patient_id, s.id, s.code, s.name, s.service_group, null,
              s.tax_code, 'private', false, t.quantity, t."unitPrice", t.quantity * t."unitPrice",
              $2::date + t.day, 'bench.stay', a.id::text, t.line::text, 'Bench',
              $2::date + interval '1 minute' * t.minute
         from billing.accounts a
        cross join jsonb_to_recordset($1::jsonb)
              as t(line int, code text, day int, quantity int, "unitPrice" bigint, minute int)
         join billing.services s on s.facility_id = a.facility_id and s.code = t.code
        where a.id = any($3::uuid[])`,
      [template, firstDay, ids.slice(i, i + 20)],
    );
  }
  const [check] = await database.query<{ n: number }>(
    'select count(*)::int as n from billing.charges where facility_id = $1',
    [facilityId],
  );
  if (Number(check?.n) !== ids.length * LINES)
    throw new Error(`${check?.n} charges, not ${ids.length * LINES}`);
  await database.query('analyze');
  const reference = accountRows[0]!;
  const rest = ids.slice(1);
  return {
    facilityId,
    reference: { id: reference.id, policyId: reference.policyId },
    direct: rest.slice(0, WARMUP + ISSUES),
    http: rest.slice(WARMUP + ISSUES, 2 * (WARMUP + ISSUES)),
    burst: rest.slice(2 * (WARMUP + ISSUES)),
    generatedSeconds: (performance.now() - started) / 1000,
  };
}

/** The calculation's inputs for one account, read the way loadBillInputs of invoices.service.ts reads them. */
async function calcInputs(database: Database, account: { id: string; policyId: string | null }) {
  const rows = await database.query<Record<string, unknown>>(
    `select c.id, c.service_group, c.service_code, c.service_name, c.service_date::text as service_date, c.quantity,
            c.unit_price, c.amount, c.tax_code, k.hsn_sac, c.intensive_care, c.tariff_class
       from billing.charges c join billing.tax_codes k on k.code = c.tax_code
      where c.account_id = $1 and c.status = 'active' and c.invoice_id is null
      order by c.service_date, c.posted_at, c.id`,
    [account.id],
  );
  const charges: ChargeInput[] = rows.map((c) => ({
    chargeId: String(c.id),
    serviceGroup: String(c.service_group),
    serviceCode: String(c.service_code),
    description: String(c.service_name),
    serviceDate: String(c.service_date),
    quantity: Number(c.quantity),
    unitPrice: Number(c.unit_price),
    amount: Number(c.amount),
    taxCode: String(c.tax_code),
    hsnSac: c.hsn_sac === null ? null : String(c.hsn_sac),
    intensiveCare: Boolean(c.intensive_care),
    tariffClass: String(c.tariff_class),
  }));
  const codes = [...new Set(charges.map((c) => c.taxCode))];
  const taxRows: TaxRow[] = (
    await database.query<Record<string, unknown>>(
      `select tax_code, setting, rate_bp, min_unit_price, input_credit, valid_from::text as valid_from,
              valid_to::text as valid_to, notification
         from billing.tax_rates where tax_code = any($1::text[])`,
      [codes],
    )
  ).map((r) => ({
    taxCode: String(r.tax_code),
    setting: r.setting as TaxRow['setting'],
    rateBp: Number(r.rate_bp),
    minUnitPrice: r.min_unit_price === null ? null : Number(r.min_unit_price),
    inputCredit: Boolean(r.input_credit),
    validFrom: String(r.valid_from),
    validTo: r.valid_to === null ? null : String(r.valid_to),
    notification: r.notification === null ? null : String(r.notification),
  }));
  const split: SplitRules | null = account.policyId
    ? {
        payerId: null,
        policyId: account.policyId,
        planCode: 'GOLD',
        copayBp: PLAN.copayBp,
        roomRentLimitPerDay: PLAN.roomRentLimit,
        proportionateDeduction: true,
        nonPayableGroups: PLAN.nonPayableGroups,
        nonPayableCodes: PLAN.nonPayableCodes,
        preauthApproved: PLAN.preauthApproved,
        policyBalance: PLAN.sumInsured,
      }
    : null;
  return { setting: 'inpatient' as const, charges, discounts: [], taxRows, split };
}

// ---------------------------------------------------------------------------------------------------------
// Measuring
// ---------------------------------------------------------------------------------------------------------

type Loop = { warmup: number; max: number; seconds: number; min?: number };

/**
 * Calls fn one at a time: `warmup` discarded calls, then up to `max` measured ones, stopping early once
 * `seconds` have passed (but not before `min`). Latencies to 0.1 ms; requests/s over the measured wall time.
 */
async function timed(
  label: { target: string; database: string },
  loop: Loop,
  fn: (i: number) => Promise<unknown>,
  errors: string[],
): Promise<Measurement> {
  let i = 0;
  let failures = 0;
  const call = async () => {
    try {
      await fn(i++);
      return true;
    } catch (e) {
      failures += 1;
      if (errors.length < 3) errors.push(`${label.target}: ${(e as Error).message.slice(0, 200)}`);
      return false;
    }
  };
  for (let w = 0; w < loop.warmup; w++) await call();
  failures = 0;
  const samples: number[] = [];
  const started = performance.now();
  const until = started + loop.seconds * 1000;
  for (let n = 0; n < loop.max; n++) {
    if (n >= (loop.min ?? 10) && performance.now() > until) break;
    const t0 = performance.now();
    if (await call()) samples.push(performance.now() - t0);
  }
  const elapsed = (performance.now() - started) / 1000;
  const s = stats(samples);
  return {
    ...label,
    requestsPerSecond: samples.length / Math.max(elapsed, 0.001),
    latencyP50Ms: s.p50,
    latencyP975Ms: s.p975,
    latencyP99Ms: s.p99,
    requests: samples.length,
    failures,
    loadAverage: loadavg()[0] ?? 0,
  };
}

/**
 * A draft invoice of the reference account and the 300 computed lines in one INSERT, in one transaction:
 * `json` sends the lines as one JSON parameter (`INSERT … SELECT … FROM jsonb_to_recordset`, the floor),
 * `drizzle` as `insert(invoiceLines).values(lines)`, the statement `writeFinalInvoice` sends (20 columns × 300
 * rows = 6,000 parameters, built by Drizzle in this process).
 */
async function rawInsert(
  database: Database,
  how: 'json' | 'drizzle',
  draft: { facilityId: string; patientId: string; accountId: string },
  f: InvoiceFigures,
) {
  await database.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(invoices)
      .values({
        ...draft,
        kind: 'ipd-final',
        status: 'draft',
        series: 'INV',
        gross: f.gross,
        discount: f.discount,
        tax: f.tax,
        roundOff: f.roundOff,
        total: f.total,
        patientShare: f.patientShare,
        payerShare: f.payerShare,
      })
      .returning({ id: invoices.id });
    if (how === 'drizzle') {
      await tx.insert(invoiceLines).values(f.lines.map((l) => ({ ...l, invoiceId: row!.id })));
      return;
    }
    const json = JSON.stringify(
      f.lines.map((l) => ({
        id: newId(),
        position: l.position,
        charge_id: l.chargeId,
        service_group: l.serviceGroup,
        service_code: l.serviceCode,
        description: l.description,
        service_date: l.serviceDate,
        quantity: l.quantity,
        unit_price: l.unitPrice,
        amount: l.amount,
        discount: l.discount,
        tax_code: l.taxCode,
        hsn_sac: l.hsnSac,
        tax_rate_bp: l.taxRateBp,
        tax: l.tax,
        total: l.total,
        payer_share: l.payerShare,
        patient_share: l.patientShare,
        split_note: l.splitNote,
      })),
    );
    await tx.execute(sql`
      insert into billing.invoice_lines (id, invoice_id, position, charge_id, service_group, service_code,
        description, service_date, quantity, unit_price, amount, discount, tax_code, hsn_sac, tax_rate_bp, tax,
        total, payer_share, patient_share, split_note)
      select t.id, ${row!.id}::uuid, t.position, t.charge_id, t.service_group, t.service_code, t.description,
             t.service_date, t.quantity, t.unit_price, t.amount, t.discount, t.tax_code, t.hsn_sac, t.tax_rate_bp,
             t.tax, t.total, t.payer_share, t.patient_share, t.split_note
        from jsonb_to_recordset(${json}::jsonb) as t(id uuid, position int, charge_id uuid, service_group text,
             service_code text, description text, service_date date, quantity int, unit_price bigint,
             amount bigint, discount bigint, tax_code text, hsn_sac text, tax_rate_bp int, tax bigint,
             total bigint, payer_share bigint, patient_share bigint, split_note text)`);
  });
}

async function runOn(target: Target, options: BenchOptions, withCalc: boolean): Promise<Outcome> {
  const { label } = target;
  const notes: string[] = [];
  const errors: string[] = [];
  const rows: Measurement[] = [];
  const dataKey = randomBytes(32).toString('base64');
  const cipher = new FieldCipher(Buffer.from(dataKey, 'base64'));
  const open = () =>
    target.kind === 'pglite'
      ? openDatabase({ dataDir: target.dir })
      : openDatabase({ url: target.url, poolSize: 2 });
  const seconds = options.durationSeconds;

  // 1. The data, then everything measured in this process (PGlite has one owner: before the server starts).
  let world: World;
  let baseline: Measurement;
  let calc: Measurement | undefined;
  let build: Measurement | undefined;
  let drizzleInsert: Measurement;
  let direct: Measurement;
  let pdf: Measurement;
  const database = await open();
  try {
    options.log(`${label}: generating ${1 + 2 * (WARMUP + ISSUES) + BURST} stays of ${LINES} charges`);
    world = await generate(database, cipher, new Date());
    notes.push(
      `${label}: ${1 + world.direct.length + world.http.length + world.burst.length} stays of ${LINES} charges ` +
        `(${(1 + world.direct.length + world.http.length + world.burst.length) * LINES} charges) generated in ` +
        `${world.generatedSeconds.toFixed(1)} s.`,
    );
    const [ref] = await database.query<{ patient_id: string }>(
      'select patient_id from billing.accounts where id = $1',
      [world.reference.id],
    );
    const input = await calcInputs(database, world.reference);
    const figures = computeInvoice(input);
    if (figures.lines.length !== LINES) throw new Error(`the calculation gave ${figures.lines.length} lines`);
    if (withCalc) {
      options.log('computeInvoice of 300 charges, in process');
      calc = await timed(
        {
          target: `baseline: \`computeInvoice\` of ${LINES} charges with the split, in process`,
          database: 'none (no I/O)',
        },
        { warmup: 200, max: 100_000, seconds: Math.min(seconds, 3), min: 100 },
        async () => computeInvoice(input),
        errors,
      );
      // What Drizzle alone spends turning the 300 lines into the INSERT that writeFinalInvoice sends.
      const invoiceId = newId();
      build = await timed(
        {
          target: `Drizzle building the ${LINES}-line \`insert(invoiceLines).values(…)\` (\`toSQL\`), in process`,
          database: 'none (no I/O)',
        },
        { warmup: 20, max: 2000, seconds: Math.min(seconds, 3), min: 20 },
        async () =>
          database.db
            .insert(invoiceLines)
            .values(figures.lines.map((l) => ({ ...l, invoiceId })))
            .toSQL(),
        errors,
      );
      rows.push(calc, build);
      const taxed = figures.lines.filter((l) => l.tax > 0);
      notes.push(
        `A policy stay's bill: ${figures.lines.length} lines in ${figures.groups.length} groups, ` +
          `${figures.taxSummary.length} GST summary rows, ${taxed.length} taxed lines; gross INR ` +
          `${(figures.gross / 100).toFixed(2)}, GST INR ${(figures.tax / 100).toFixed(2)}, total INR ` +
          `${(figures.total / 100).toFixed(2)}: payer INR ${(figures.payerShare / 100).toFixed(2)}, patient INR ` +
          `${(figures.patientShare / 100).toFixed(2)} (rules ${figures.split?.rules.join(', ') ?? '-'}).`,
      );
    }
    const draft = { facilityId: world.facilityId, patientId: ref!.patient_id, accountId: world.reference.id };
    options.log(`${label}: raw insert of ${LINES} lines`);
    baseline = await timed(
      {
        target: `baseline: a draft invoice + the same ${LINES} lines in one INSERT (one JSON parameter), one transaction`,
        database: label,
      },
      { warmup: WARMUP, max: 200, seconds },
      () => rawInsert(database, 'json', draft, figures),
      errors,
    );
    options.log(`${label}: the same through Drizzle`);
    drizzleInsert = await timed(
      {
        target: `the same through Drizzle \`insert(invoiceLines).values(…)\` (6,000 parameters; the old \`writeFinalInvoice\`)`,
        database: label,
      },
      { warmup: WARMUP, max: 200, seconds },
      () => rawInsert(database, 'drizzle', draft, figures),
      errors,
    );
    const env = { events: new EventRegistry(), database };
    const ctx = () => systemCtx(database.db, 'bench', world.facilityId);
    options.log(`${label}: issueInvoice in process`);
    let firstIssued: string | undefined;
    direct = await timed(
      { target: `\`issueInvoice\` ipd-final of ${LINES} lines, in process, one at a time`, database: label },
      { warmup: WARMUP, max: ISSUES, seconds },
      async (i) => {
        const invoice = await issueInvoice(ctx(), env, world.direct[i]!, { kind: 'ipd-final' });
        if (invoice.lines.length !== LINES) throw new Error(`${invoice.lines.length} lines`);
        firstIssued ??= invoice.id;
      },
      errors,
    );
    options.log(`${label}: invoice PDF in process`);
    let pages = 0;
    let bytes = 0;
    pdf = await timed(
      {
        target: `\`invoicePdf\` of a ${LINES}-line final bill (read, audit, render), in process`,
        database: label,
      },
      { warmup: 2, max: 40, seconds, min: 5 },
      async () => {
        const { pdf: buffer } = await invoicePdf(ctx(), firstIssued!);
        bytes = buffer.length;
        pages = buffer.toString('latin1').match(/\/Type \/Page\b(?!s)/g)?.length ?? 0;
      },
      errors,
    );
    notes.push(
      `${label}: the PDF of a ${LINES}-line bill is ${pages} A4 pages, ${(bytes / 1024).toFixed(0)} KiB.`,
    );
  } finally {
    await database.close();
  }

  // 2. The real server process on the same database.
  const env: Record<string, string> =
    target.kind === 'pglite'
      ? { BENCH_PGLITE_DATA_DIR: target.dir, NEWHMS_DATA_KEY: dataKey }
      : { DATABASE_URL: target.url, NEWHMS_DATA_KEY: dataKey };
  const server = await startNewhmsServer({ label, env });
  let preview: Measurement;
  let issueHttp: Measurement;
  let burst: Measurement & { statusCodes: Record<string, number> };
  try {
    const headers = {
      authorization: `Bearer ${server.accessToken}`,
      'x-facility-id': world.facilityId,
      'content-type': 'application/json',
    };
    let previewBytes = 0;
    options.log(`${label}: GET invoice-preview`);
    const previewed = [world.reference.id, ...world.http];
    preview = await timed(
      {
        target: `API \`GET …/invoice-preview?kind=ipd-final\` (${LINES} lines), one at a time`,
        database: label,
      },
      { warmup: WARMUP, max: ISSUES, seconds },
      async (i) => {
        const { authorization, 'x-facility-id': facility } = headers;
        const res = await fetch(
          `${server.origin}/api/v1/billing/accounts/${previewed[i % previewed.length]}/invoice-preview?kind=ipd-final`,
          { headers: { authorization, 'x-facility-id': facility } },
        );
        const text = await res.text();
        if (res.status !== 200) throw new Error(`${res.status} ${text.slice(0, 200)}`);
        previewBytes = text.length;
      },
      errors,
    );
    let issueBytes = 0;
    options.log(`${label}: POST invoices ipd-final`);
    issueHttp = await timed(
      {
        target: `API \`POST …/accounts/:id/invoices\` ipd-final (${LINES} lines), one at a time`,
        database: label,
      },
      { warmup: WARMUP, max: ISSUES, seconds },
      async (i) => {
        const res = await fetch(`${server.origin}/api/v1/billing/accounts/${world.http[i]}/invoices`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ kind: 'ipd-final' }),
        });
        const text = await res.text();
        if (res.status !== 201) throw new Error(`${res.status} ${text.slice(0, 200)}`);
        issueBytes = text.length;
      },
      errors,
    );
    notes.push(
      `${label}: the preview answers ${(previewBytes / 1024).toFixed(0)} KiB of JSON, the issued bill ` +
        `${(issueBytes / 1024).toFixed(0)} KiB.`,
    );
    const connections = Math.min(BURST_CONNECTIONS, options.connections, BURST);
    options.log(`${label}: ${BURST} final bills at once from ${connections} connections`);
    burst = await measureLoad(
      {
        url: `${server.origin}/api/v1/billing/accounts/${world.burst[0]}/invoices`,
        method: 'POST',
        headers,
        body: JSON.stringify({ kind: 'ipd-final' }),
        paths: world.burst.map((id) => `/api/v1/billing/accounts/${id}/invoices`),
        connections,
        durationSeconds: 0,
        warmupSeconds: 0,
        amount: BURST,
      },
      {
        target: `API: ${BURST} final bills of ${LINES} lines at once, ${connections} connections (autocannon)`,
        database: label,
      },
    );
  } finally {
    await server.stop();
  }

  // 3. What the bills left behind: numbers gapless, 300 lines each, every charge of a billed stay bound.
  const check = await open();
  try {
    const fy = financialYearOf(localDate(new Date(), TIME_ZONE));
    const [n] = await check.query<Record<string, number>>(
      `select count(*)::int as bills, count(distinct number)::int as numbers,
              max(substr(number, length(number) - 5)::int) as highest,
              min(substr(number, length(number) - 5)::int) as lowest
         from billing.invoices where facility_id = $1 and series = 'INV' and status = 'final' and financial_year = $2`,
      [world.facilityId, fy],
    );
    const [lines] = await check.query<Record<string, number>>(
      `select count(*)::int as short from (
         select i.id from billing.invoices i left join billing.invoice_lines l on l.invoice_id = i.id
          where i.facility_id = $1 and i.status = 'final' group by i.id having count(l.id) <> $2) x`,
      [world.facilityId, LINES],
    );
    const [unbound] = await check.query<Record<string, number>>(
      `select count(*)::int as n from billing.charges c join billing.accounts a on a.id = c.account_id
        where a.status = 'final-billed' and c.invoice_id is null and a.facility_id = $1`,
      [world.facilityId],
    );
    const bills = Number(n?.bills);
    const ok =
      bills > 0 &&
      Number(n?.numbers) === bills &&
      Number(n?.lowest) === 1 &&
      Number(n?.highest) === bills &&
      Number(lines?.short) === 0 &&
      Number(unbound?.n) === 0;
    const codes = Object.entries(burst.statusCodes)
      .map(([k, v]) => `${k}: ${v}`)
      .join(', ');
    notes.push(
      `${label}: afterwards ${bills} final bills numbered 1..${n?.highest} (${n?.numbers} distinct), ` +
        `${lines?.short} with a line count other than ${LINES}, ${unbound?.n} charges of a billed stay unbound; ` +
        `burst answers ${codes}: ${ok ? 'PASS' : 'FAIL'} (gapless, complete).`,
    );
  } finally {
    await check.close();
  }
  for (const e of errors) notes.push(`${label}: error ${e}`);
  const { statusCodes: _codes, ...burstRow } = burst;
  const ratio = (m: Measurement) => ({
    ...m,
    ratioToBaseline: m.requestsPerSecond / baseline.requestsPerSecond,
  });
  rows.push(
    { ...baseline, ratioToBaseline: 1 },
    ratio(drizzleInsert),
    ratio(direct),
    ratio(preview),
    ratio(issueHttp),
    ratio(burstRow),
    ratio(pdf),
  );
  return { rows, notes, issueHttp, pdf, baseline, drizzleInsert, direct, burst: burstRow, calc, build };
}
