import { availableParallelism, loadavg } from 'node:os';
import {
  type CheckAlert,
  checkPrescription,
  type MedicationItem,
  type PrescriptionCheckInput,
} from '../apps/server/src/modules/pharmacy/checker/checker';
import {
  buildCheckerRules,
  type CheckerRules,
  type DrugClass,
  type InteractionRule,
  type PharmacyReference,
  readPharmacyReference,
} from '../apps/server/src/modules/pharmacy/reference/pharmacy-reference';
import type { Bench, Measurement } from './bench';

const RULES = 500;
/** Synthetic classes: each holds one real ingredient and five made-up ones, so real drugs match more rules. */
const SYNTHETIC_CLASSES = 240;
const SEED = 20_260_606;
const TARGET_P99_MS = 1;
/** Measured seconds per row at most: the checks are microseconds, a few seconds give millions of samples. */
const MAX_SECONDS = 5;

// A medical ward's admission: 15 new orders (a combination, IV and oral, one in units) for a 64-year-old on
// 5 current medications, allergic to penicillin (high) and sulfa (low).
const mg = (
  ingredient: string,
  amount: number,
  route: string,
  frequency: number | 'prn',
): MedicationItem => ({
  ingredients: [ingredient],
  dose: { amount, unit: 'mg' },
  route,
  frequency,
});
const INPUT: PrescriptionCheckInput = {
  proposed: [
    mg('ceftriaxone', 2000, 'iv', 1),
    mg('metronidazole', 500, 'iv', 3),
    mg('pantoprazole', 40, 'iv', 1),
    mg('paracetamol', 1000, 'iv', 4),
    mg('ondansetron', 4, 'iv', 'prn'),
    { ingredients: ['enoxaparin'], dose: { amount: 40, unit: 'mg' }, route: 'sc', frequency: 1 },
    {
      ingredients: ['tramadol', 'paracetamol'],
      ingredientDoses: [
        { amount: 37.5, unit: 'mg' },
        { amount: 325, unit: 'mg' },
      ],
      route: 'oral',
      frequency: 'prn',
      maxDosesPerDay: 4,
    },
    { ingredients: ['insulin human'], dose: { amount: 6, unit: 'IU' }, route: 'sc', frequency: 3 },
    mg('atorvastatin', 40, 'oral', 1),
    mg('amlodipine', 5, 'oral', 1),
    mg('metformin', 500, 'oral', 2),
    mg('clopidogrel', 75, 'oral', 1),
    mg('Aspirin', 75, 'oral', 1),
    mg('clarithromycin', 500, 'oral', 2),
    mg('furosemide', 40, 'iv', 2),
  ],
  current: [
    mg('simvastatin', 20, 'oral', 1),
    mg('warfarin', 5, 'oral', 1),
    mg('sertraline', 50, 'oral', 1),
    mg('omeprazole', 20, 'oral', 1),
    mg('losartan potassium', 50, 'oral', 1),
  ],
  allergies: [
    { substance: 'Penicillin - anaphylaxis', criticality: 'high' },
    { substance: 'sulfa', criticality: 'low' },
  ],
  ageYears: 64,
  weightKg: 72,
};

/** The shipped reference plus synthetic classes and class pairs up to `total` interaction rules. */
function paddedReference(real: PharmacyReference, total: number): PharmacyReference {
  let state = SEED;
  const random = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  const realIngredients = [...new Set(real.classes.flatMap((c) => c.members))].sort();
  const classes: DrugClass[] = [...real.classes];
  for (let n = 0; n < SYNTHETIC_CLASSES; n++) {
    const members = [realIngredients[Math.floor(random() * realIngredients.length)]!];
    for (let m = 0; m < 5; m++) members.push(`synthetic drug ${n}-${m}`);
    classes.push({
      key: `synthetic-${n}`,
      name: `Synthetic class ${n}`,
      members,
      duplicateSeverity: null,
      source: 'bench',
    });
  }
  const interactions: InteractionRule[] = [...real.interactions];
  const severities = ['contraindicated', 'major', 'moderate', 'minor'] as const;
  for (let n = 0; interactions.length < total; n++) {
    const a = Math.floor(random() * SYNTHETIC_CLASSES);
    const b = Math.floor(random() * SYNTHETIC_CLASSES);
    if (a === b) continue;
    interactions.push({
      id: `SYN-${n}`,
      classA: `synthetic-${a}`,
      classB: `synthetic-${b}`,
      severity: severities[n % 4]!,
      effect: 'Synthetic effect',
      mechanism: 'Synthetic mechanism',
      management: 'Synthetic management',
      citation: 'bench',
      supersedes: [],
      source: 'bench',
    });
  }
  return { ...real, classes, interactions };
}

/** The least work over the same input: the list of item pairs the checker visits. */
function pairList(input: PrescriptionCheckInput): [number, number][] {
  const pairs: [number, number][] = [];
  const p = input.proposed.length;
  const c = input.current?.length ?? 0;
  for (let i = 0; i < p; i++) {
    for (let j = i + 1; j < p; j++) pairs.push([i, j]);
    for (let k = 0; k < c; k++) pairs.push([i, p + k]);
  }
  return pairs;
}

type Row = { measurement: Measurement; p50Us: number; p99Us: number; alerts: number };

function measure(target: string, seconds: number, warmupSeconds: number, fn: () => unknown[]): Row {
  const until = (s: number) => performance.now() + s * 1000;
  for (const end = until(warmupSeconds); performance.now() < end; ) fn();
  const samples: number[] = [];
  let alerts = 0;
  const started = performance.now();
  const end = started + seconds * 1000;
  while (performance.now() < end) {
    const t0 = performance.now();
    alerts = fn().length;
    samples.push(performance.now() - t0);
  }
  const elapsed = (performance.now() - started) / 1000;
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.ceil(q * samples.length) - 1)] ?? 0;
  const ms = (v: number) => Math.round(v * 10_000) / 10_000;
  return {
    measurement: {
      target,
      database: 'none (in process)',
      requestsPerSecond: samples.length / elapsed,
      latencyP50Ms: ms(at(0.5)),
      latencyP975Ms: ms(at(0.975)),
      latencyP99Ms: ms(at(0.99)),
      requests: samples.length,
      failures: 0,
      loadAverage: loadavg()[0] ?? 0,
    },
    p50Us: at(0.5) * 1000,
    p99Us: at(0.99) * 1000,
    alerts,
  };
}

/** What the admission must raise: a failure when any is missing. */
function missingExpected(alerts: readonly CheckAlert[]): string[] {
  const expected = [
    'ONC-11',
    'LABEL-VKA-ANTIPLATELETS',
    'LABEL-CLOPIDOGREL-PPI',
    'XR-PENICILLINS-CEPHALOSPORINS',
  ];
  return expected.filter((id) => !alerts.some((a) => a.ruleId === id));
}

export const prescriptionCheckBench: Bench = {
  name: 'prescription-check',
  title: 'Prescription check: 15 new orders against current medications, allergies and 500 rules',
  description:
    'The pharmacy prescription checker (`checkPrescription` of `modules/pharmacy/checker/checker.ts`) in process, ' +
    'no server and no database: a 15-line admission prescription (IV and oral, a combination product, a PRN order, ' +
    'insulin in units) for a 64-year-old, 72 kg patient on 5 current medications with 2 allergies, checked for ' +
    'interactions (105 new-new and 75 new-current pairs), allergies with cross-reactivity, duplicate therapy and ' +
    'dose ranges. Rule sets: the shipped reference files, and the same padded with synthetic class pairs to ' +
    `${RULES} interaction rules (${SYNTHETIC_CLASSES} synthetic classes, each holding one real ingredient so that the ` +
    "prescription's drugs meet more candidate rules). Each check is timed alone with `performance.now()`, " +
    `as many as fit in the run's duration (at most ${MAX_SECONDS} s per row) after the warm-up. Baseline in the same ` +
    'run: building the list of the 180 item pairs only; "vs baseline" is checks/s relative to it. Latency columns ' +
    `are milliseconds to 0.1 µs. Target: p99 under ${TARGET_P99_MS} ms per check (fast enough to run on every keystroke).`,
  async run(options) {
    const seconds = Math.min(MAX_SECONDS, Math.max(0.5, options.durationSeconds));
    const warmup = Math.min(2, options.warmupSeconds);
    const real = readPharmacyReference();
    const t0 = performance.now();
    const shipped = buildCheckerRules(real);
    const buildShippedMs = performance.now() - t0;
    const padded = paddedReference(real, RULES);
    const t1 = performance.now();
    const big: CheckerRules = buildCheckerRules(padded);
    const buildPaddedMs = performance.now() - t1;

    options.log('baseline: the pair list only');
    const baseline = measure('baseline: the 180 item pairs listed, no rules', seconds, warmup, () =>
      pairList(INPUT),
    );
    options.log(`checkPrescription, shipped rules (${real.interactions.length})`);
    const small = measure(
      `\`checkPrescription\`, shipped rules (${real.interactions.length} interaction rules)`,
      seconds,
      warmup,
      () => checkPrescription(INPUT, shipped),
    );
    options.log(`checkPrescription, ${RULES} rules`);
    const full = measure(`\`checkPrescription\`, ${RULES} interaction rules`, seconds, warmup, () =>
      checkPrescription(INPUT, big),
    );
    const missing = [
      ...missingExpected(checkPrescription(INPUT, shipped)),
      ...missingExpected(checkPrescription(INPUT, big)),
    ];
    small.measurement.failures = missingExpected(checkPrescription(INPUT, shipped)).length;
    full.measurement.failures = missingExpected(checkPrescription(INPUT, big)).length;
    const rows = [baseline, small, full].map((r) => ({
      ...r.measurement,
      ratioToBaseline: r.measurement.requestsPerSecond / baseline.measurement.requestsPerSecond,
    }));
    const us = (v: number) => `${v.toFixed(1)} µs`;
    const pass = full.measurement.latencyP99Ms < TARGET_P99_MS && missing.length === 0;
    const busy = Math.max(...rows.map((r) => r.loadAverage)) > availableParallelism();
    const verdict = pass
      ? 'PASS'
      : missing.length === 0 && busy && full.measurement.latencyP975Ms < TARGET_P99_MS
        ? 'FAIL on p99 only, with the machine loaded by other processes (the tail is preemption): rerun on a quiet machine'
        : 'FAIL';
    return {
      measurements: rows,
      notes: [
        `Shipped reference: ${real.classes.length} classes, ${real.interactions.length} interaction rules, ` +
          `${real.allergyCrossReactivity.length} cross-reactivity rows, ${real.doseRanges.length} dose ranges; read, ` +
          `validated and indexed once per process (index build ${buildShippedMs.toFixed(1)} ms; padded to ` +
          `${padded.interactions.length} rules and ${padded.classes.length} classes: ${buildPaddedMs.toFixed(1)} ms).`,
        `Alerts per check: ${small.alerts} with the shipped rules, ${full.alerts} with ${RULES} rules` +
          (missing.length > 0
            ? `; MISSING expected alerts: ${missing.join(', ')}`
            : ' (the expected ones present).'),
        `Per check: shipped rules p50 ${us(small.p50Us)}, p99 ${us(small.p99Us)} ` +
          `(${Math.round(small.measurement.requestsPerSecond).toLocaleString('en-US')} checks/s); ${RULES} rules p50 ` +
          `${us(full.p50Us)}, p99 ${us(full.p99Us)} (${Math.round(full.measurement.requestsPerSecond).toLocaleString('en-US')} checks/s); ` +
          `baseline p50 ${us(baseline.p50Us)}.`,
      ],
      meaning:
        `A 15-order prescription is checked against ${RULES} rules in a median ${us(full.p50Us)}, p99 ` +
        `${us(full.p99Us)} (${(full.p99Us / 1000 / TARGET_P99_MS).toFixed(3)} of the ${TARGET_P99_MS} ms budget), ` +
        `${(baseline.measurement.requestsPerSecond / full.measurement.requestsPerSecond).toFixed(0)}x the cost of ` +
        `merely listing its pairs. Target (p99 < ${TARGET_P99_MS} ms, expected alerts present): ${verdict}.`,
    };
  },
};
