import {
  type CheckerRules,
  canonicalTerm,
  checkerRules,
  type DoseRange,
  type InteractionRule,
  SEVERITIES,
  type Severity,
} from '../reference/pharmacy-reference';

// The prescription checker: a proposed prescription against the patient's current medications, allergies,
// age and weight, with the rules of reference/*.csv (DOMAIN.md, "Drug-drug interaction rules to start from").
// Pure: no I/O beyond the reference files read once by checkerRules(); the same input gives the same alerts.

export { SEVERITIES, type Severity } from '../reference/pharmacy-reference';

export const ALERT_KINDS = ['interaction', 'allergy', 'duplicate-therapy', 'dose-range'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];
export const ALLERGY_CRITICALITIES = ['low', 'high', 'unable-to-assess'] as const;
export type AllergyCriticality = (typeof ALLERGY_CRITICALITIES)[number];

/** An amount per administration: mg, g and mcg are checked; other units (ml, IU, tablet) are not. */
export type DoseAmount = { amount: number; unit: string };

/** One line of a prescription, or one current medication. */
export type MedicationItem = {
  /** Ingredients (INN, any case; salts and common synonyms are recognised); a combination has several. */
  ingredients: readonly string[];
  /** Per administration, for a single-ingredient item. */
  dose?: DoseAmount;
  /** Per administration, one per ingredient in the same order (combination products); null: unknown. */
  ingredientDoses?: readonly (DoseAmount | null)[];
  /** oral, iv, im, sc (po, intravenous, ... accepted). Without a route the dose is not checked. */
  route?: string;
  /** Doses per day (0.142857 = once weekly), or 'prn' (as needed). */
  frequency?: number | 'prn';
  /** For 'prn': the most doses allowed in a day, which the daily limit is checked against. */
  maxDosesPerDay?: number;
  durationDays?: number;
};

/** What the patient is allergic to: an ingredient, a class key or name, or free text ("Penicillin - rash"). */
export type PatientAllergy = { substance: string; criticality?: AllergyCriticality };

export type PrescriptionCheckInput = {
  proposed: readonly MedicationItem[];
  current?: readonly MedicationItem[];
  allergies?: readonly PatientAllergy[];
  ageYears?: number;
  weightKg?: number;
};

export type AlertItem = {
  list: 'proposed' | 'current';
  /** Index in its list. */
  index: number;
  /** The ingredients of the item the alert is about. */
  ingredients: readonly string[];
};

export type CheckAlert = {
  /** Stable for the same items and rule: what an override reason is recorded against. */
  key: string;
  kind: AlertKind;
  severity: Severity;
  /** An interactions.csv or allergy-cross-reactivity.csv id, or the checker's own (ALLERGY-SUBSTANCE, DUP-*, DOSE-*). */
  ruleId: string;
  items: readonly AlertItem[];
  /** For allergy alerts: the index of the allergy in the input. */
  allergyIndex?: number;
  message: string;
  mechanism: string | null;
  management: string | null;
  citation: string | null;
  /** Contraindicated and major alerts may only be overridden with a reason (audited by the caller). */
  requiresOverrideReason: boolean;
};

const SEVERITY_RANK: Record<Severity, number> = { contraindicated: 0, major: 1, moderate: 2, minor: 3 };
const KIND_RANK: Record<AlertKind, number> = {
  interaction: 0,
  allergy: 1,
  'duplicate-therapy': 2,
  'dose-range': 3,
};

/** True when a is more severe than b. */
export function isMoreSevere(a: Severity, b: Severity): boolean {
  return SEVERITY_RANK[a] < SEVERITY_RANK[b];
}

/** The most severe alert's severity, or null when there are none. */
export function highestSeverity(alerts: readonly CheckAlert[]): Severity | null {
  let best: Severity | null = null;
  for (const a of alerts) if (best === null || isMoreSevere(a.severity, best)) best = a.severity;
  return best;
}

/** Alert order: severity (contraindicated first), then kind, then rule id, then key. */
export function compareAlerts(a: CheckAlert, b: CheckAlert): number {
  return (
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
    KIND_RANK[a.kind] - KIND_RANK[b.kind] ||
    (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0) ||
    (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)
  );
}

// ---------------------------------------------------------------------------------------------------------
// Names: ingredients and allergy text to the reference's vocabulary.
// ---------------------------------------------------------------------------------------------------------

// Salt and hydrate words of label names ("metformin hydrochloride", "atorvastatin calcium"), dropped only
// when what remains is a known ingredient, so "sodium chloride" or "lithium carbonate" stay themselves.
const SALT_WORDS = new Set([
  'hydrochloride',
  'hcl',
  'sodium',
  'potassium',
  'calcium',
  'magnesium',
  'trihydrate',
  'dihydrate',
  'monohydrate',
  'sesquihydrate',
  'hyclate',
  'bisulfate',
  'bisulphate',
  'besilate',
  'besylate',
  'maleate',
  'mesilate',
  'mesylate',
  'tartrate',
  'succinate',
  'citrate',
  'phosphate',
  'sulfate',
  'sulphate',
  'fumarate',
  'acetate',
  'bromide',
  'hydrobromide',
  'dipropionate',
  'disodium',
]);

const canonical = canonicalTerm;

// Names repeat across checks (every keystroke re-checks the same prescription): resolved once per rule set.
const ingredientCache = new WeakMap<CheckerRules, Map<string, string>>();
const allergyCache = new WeakMap<CheckerRules, Map<string, { ingredients: string[]; classKeys: string[] }>>();

/**
 * The reference name of an ingredient as written on a prescription: lowercase, synonyms resolved
 * (acetaminophen -> paracetamol), salt words dropped when that gives a known ingredient. An unknown name
 * comes back lowercased and trimmed.
 */
export function normalizeIngredient(name: string, rules: CheckerRules = checkerRules()): string {
  let cache = ingredientCache.get(rules);
  if (!cache) {
    cache = new Map();
    ingredientCache.set(rules, cache);
  }
  const hit = cache.get(name);
  if (hit !== undefined) return hit;
  const resolve = (s: string): string | null => {
    if (rules.ingredients.has(s)) return s;
    const t = rules.terms.get(s);
    return t?.ingredient ?? null;
  };
  const c = canonical(name);
  let found = resolve(c);
  if (found === null) {
    const bare = c
      .split(' ')
      .filter((w) => !SALT_WORDS.has(w))
      .join(' ');
    found = resolve(bare);
  }
  const result = found ?? c;
  if (cache.size < 10_000) cache.set(name, result);
  return result;
}

/** What an allergy record names: ingredients and class keys, found whole or as words in free text. */
export function resolveAllergySubstance(
  substance: string,
  rules: CheckerRules = checkerRules(),
): { ingredients: string[]; classKeys: string[] } {
  let cache = allergyCache.get(rules);
  if (!cache) {
    cache = new Map();
    allergyCache.set(rules, cache);
  }
  const hit = cache.get(substance);
  if (hit) return { ingredients: [...hit.ingredients], classKeys: [...hit.classKeys] };
  const c = canonical(substance);
  const ingredients = new Set<string>();
  const classKeys = new Set<string>();
  const add = (t: { ingredient: string | null; classKey: string | null }) => {
    if (t.ingredient) ingredients.add(t.ingredient);
    if (t.classKey) classKeys.add(t.classKey);
  };
  const whole = rules.terms.get(c) ?? rules.terms.get(normalizeIngredient(c, rules));
  if (whole) add(whole);
  else {
    // Free text: every known term that stands as whole words, longest first, without overlaps.
    let rest = ` ${c} `;
    for (const term of rules.termsLongestFirst) {
      const at = rest.indexOf(` ${term} `);
      if (at < 0) continue;
      add(rules.terms.get(term)!);
      rest = `${rest.slice(0, at)} | ${rest.slice(at + term.length + 2)}`;
    }
  }
  const result = { ingredients: [...ingredients].sort(), classKeys: [...classKeys].sort() };
  if (cache.size < 10_000) cache.set(substance, result);
  return { ingredients: [...result.ingredients], classKeys: [...result.classKeys] };
}

// ---------------------------------------------------------------------------------------------------------
// The check.
// ---------------------------------------------------------------------------------------------------------

type Prepared = {
  list: 'proposed' | 'current';
  index: number;
  source: MedicationItem;
  ingredients: string[];
  /** Per administration, aligned with ingredients. */
  doses: (DoseAmount | null)[];
  classes: Set<string>;
};

function prepare(items: readonly MedicationItem[], list: Prepared['list'], rules: CheckerRules): Prepared[] {
  return items.map((source, index) => {
    const ingredients: string[] = [];
    const doses: (DoseAmount | null)[] = [];
    source.ingredients.forEach((name, k) => {
      const ingredient = normalizeIngredient(name, rules);
      if (ingredients.includes(ingredient)) return;
      ingredients.push(ingredient);
      const single = source.ingredients.length === 1 ? source.dose : undefined;
      doses.push(source.ingredientDoses?.[k] ?? single ?? null);
    });
    const classes = new Set<string>();
    for (const i of ingredients) for (const k of rules.classesOf.get(i) ?? []) classes.add(k);
    return { list, index, source, ingredients, doses, classes };
  });
}

const itemTag = (p: Prepared) => `${p.list === 'proposed' ? 'p' : 'c'}${p.index}`;
const alertItem = (p: Prepared, ingredients: readonly string[] = p.ingredients): AlertItem => ({
  list: p.list,
  index: p.index,
  ingredients: [...ingredients].sort(),
});

/**
 * Checks a proposed prescription: interactions among the new items and between each new item and the
 * current medications (never current against current), allergies (including class cross-reactivity),
 * duplicate therapy (same ingredient, or two members of a duplicate-checked class) and dose ranges (per dose,
 * per day and per week; by weight under 18). One alert per rule per pair of items, sorted by severity then
 * kind; contraindicated and major alerts require an override reason.
 */
export function checkPrescription(
  input: PrescriptionCheckInput,
  rules: CheckerRules = checkerRules(),
): CheckAlert[] {
  const proposed = prepare(input.proposed, 'proposed', rules);
  const current = prepare(input.current ?? [], 'current', rules);
  const alerts: CheckAlert[] = [];
  for (let i = 0; i < proposed.length; i++) {
    const x = proposed[i]!;
    for (let j = i + 1; j < proposed.length; j++) checkPair(x, proposed[j]!, rules, alerts);
    for (const y of current) checkPair(x, y, rules, alerts);
  }
  (input.allergies ?? []).forEach((allergy, allergyIndex) => {
    checkAllergy(allergy, allergyIndex, proposed, rules, alerts);
  });
  for (const item of proposed) checkDoses(item, input, rules, alerts);
  return alerts.sort(compareAlerts);
}

function checkPair(x: Prepared, y: Prepared, rules: CheckerRules, out: CheckAlert[]): void {
  // Interactions: a rule matches when one item has a member of class A and the other a member of class B,
  // and the two are different ingredients (a drug given twice is duplicate therapy, not an interaction).
  let matched: { rule: InteractionRule; xs: Set<string>; ys: Set<string> }[] | undefined;
  let seen: Set<string> | undefined;
  for (const k of x.classes) {
    const candidates = rules.rulesByClass.get(k);
    if (!candidates) continue;
    for (const rule of candidates) {
      const other = rule.classA === k ? rule.classB : rule.classA;
      if (!y.classes.has(other)) continue;
      seen ??= new Set();
      if (seen.has(rule.id)) continue;
      seen.add(rule.id);
      const hit = matchRule(rule, x, y, rules);
      if (hit) {
        matched ??= [];
        matched.push({ rule, ...hit });
      }
    }
  }
  if (matched) {
    const superseded = new Set(matched.flatMap((m) => m.rule.supersedes));
    for (const { rule, xs, ys } of matched) {
      if (superseded.has(rule.id)) continue;
      const xi = [...xs].sort();
      const yi = [...ys].sort();
      out.push({
        key: `interaction:${rule.id}:${itemTag(x)}|${itemTag(y)}`,
        kind: 'interaction',
        severity: rule.severity,
        ruleId: rule.id,
        items: [alertItem(x, xi), alertItem(y, yi)],
        message: `${xi.join(' + ')} with ${yi.join(' + ')}: ${rule.effect}`,
        mechanism: rule.mechanism,
        management: rule.management,
        citation: rule.citation,
        requiresOverrideReason: needsReason(rule.severity),
      });
    }
  }

  // Duplicate therapy: the same ingredient twice, else two members of a duplicate-checked class.
  const shared = x.ingredients.filter((i) => y.ingredients.includes(i));
  if (shared.length > 0) {
    out.push({
      key: `duplicate-therapy:DUP-INGREDIENT:${itemTag(x)}|${itemTag(y)}`,
      kind: 'duplicate-therapy',
      severity: 'moderate',
      ruleId: 'DUP-INGREDIENT',
      items: [alertItem(x, shared), alertItem(y, shared)],
      message: `${shared.join(' + ')} prescribed twice${y.list === 'current' ? ' (already a current medication)' : ''}`,
      mechanism: null,
      management: 'Keep one; if both are intended, check the combined daily dose',
      citation: null,
      requiresOverrideReason: false,
    });
    return;
  }
  for (const k of x.classes) {
    if (!y.classes.has(k)) continue;
    const c = rules.classes.get(k)!;
    if (c.duplicateSeverity === null) continue;
    const xs = x.ingredients.filter((i) => c.memberSet.has(i));
    const ys = y.ingredients.filter((i) => c.memberSet.has(i));
    out.push({
      key: `duplicate-therapy:DUP-${k}:${itemTag(x)}|${itemTag(y)}`,
      kind: 'duplicate-therapy',
      severity: c.duplicateSeverity,
      ruleId: `DUP-${k}`,
      items: [alertItem(x, xs), alertItem(y, ys)],
      message: `Two ${c.name.toLowerCase()}: ${xs.join(' + ')} and ${ys.join(' + ')}`,
      mechanism: null,
      management: 'Keep one unless the combination is intended',
      citation: null,
      requiresOverrideReason: needsReason(c.duplicateSeverity),
    });
  }
}

function matchRule(
  rule: InteractionRule,
  x: Prepared,
  y: Prepared,
  rules: CheckerRules,
): { xs: Set<string>; ys: Set<string> } | null {
  const a = rules.classes.get(rule.classA)!.memberSet;
  const b = rules.classes.get(rule.classB)!.memberSet;
  let xs: Set<string> | undefined;
  let ys: Set<string> | undefined;
  for (const p of x.ingredients) {
    for (const q of y.ingredients) {
      if (p === q) continue;
      if ((a.has(p) && b.has(q)) || (b.has(p) && a.has(q))) {
        xs ??= new Set();
        ys ??= new Set();
        xs.add(p);
        ys.add(q);
      }
    }
  }
  return xs && ys ? { xs, ys } : null;
}

function checkAllergy(
  allergy: PatientAllergy,
  allergyIndex: number,
  proposed: readonly Prepared[],
  rules: CheckerRules,
  out: CheckAlert[],
): void {
  const named = resolveAllergySubstance(allergy.substance, rules);
  if (named.ingredients.length === 0 && named.classKeys.length === 0) return;
  const direct = new Set(named.ingredients);
  for (const k of named.classKeys) for (const m of rules.classes.get(k)!.members) direct.add(m);
  const allergenClasses = new Set(named.classKeys);
  for (const i of named.ingredients) for (const k of rules.classesOf.get(i) ?? []) allergenClasses.add(k);
  const low = allergy.criticality === 'low';
  for (const item of proposed) {
    const hits = item.ingredients.filter((i) => direct.has(i));
    if (hits.length > 0) {
      // A documented allergy to the very substance (or its class): high or unassessed criticality blocks.
      const severity: Severity = low ? 'major' : 'contraindicated';
      out.push({
        key: `allergy:ALLERGY-SUBSTANCE:a${allergyIndex}:${itemTag(item)}`,
        kind: 'allergy',
        severity,
        ruleId: 'ALLERGY-SUBSTANCE',
        items: [alertItem(item, hits)],
        allergyIndex,
        message: `Allergy "${allergy.substance}": the patient is allergic to ${hits.join(' + ')}${viaClass(hits, named.classKeys, rules)}`,
        mechanism: null,
        management: 'Do not give unless the allergy has been disproved; choose another drug',
        citation: null,
        requiresOverrideReason: needsReason(severity),
      });
      continue;
    }
    let best: {
      severity: Severity;
      row: (typeof rules.reference.allergyCrossReactivity)[number];
      hits: string[];
    } | null = null;
    for (const k of allergenClasses) {
      for (const row of rules.crossReactivityFrom.get(k) ?? []) {
        const related = rules.classes.get(row.relatedClass)!.memberSet;
        const rowHits = item.ingredients.filter((i) => related.has(i));
        if (rowHits.length === 0) continue;
        const severity = low ? oneTierLower(row.severity) : row.severity;
        if (
          !best ||
          isMoreSevere(severity, best.severity) ||
          (severity === best.severity && row.id < best.row.id)
        ) {
          best = { severity, row, hits: rowHits };
        }
      }
    }
    if (!best) continue;
    out.push({
      key: `allergy:${best.row.id}:a${allergyIndex}:${itemTag(item)}`,
      kind: 'allergy',
      severity: best.severity,
      ruleId: best.row.id,
      items: [alertItem(item, best.hits)],
      allergyIndex,
      message: `Allergy "${allergy.substance}": ${best.hits.join(' + ')} may cross-react (${rules.classes.get(best.row.allergenClass)!.name.toLowerCase()} -> ${rules.classes.get(best.row.relatedClass)!.name.toLowerCase()})`,
      mechanism: best.row.note,
      management: needsReason(best.severity)
        ? 'Avoid unless the allergy has been disproved; choose another drug'
        : 'Usually safe; give with monitoring, avoid after a severe (anaphylactic or blistering) reaction',
      citation: best.row.citation,
      requiresOverrideReason: needsReason(best.severity),
    });
  }
}

// ---------------------------------------------------------------------------------------------------------
// Dose ranges.
// ---------------------------------------------------------------------------------------------------------

const MG_PER_UNIT: Record<string, number> = {
  mg: 1,
  milligram: 1,
  milligrams: 1,
  g: 1000,
  gm: 1000,
  gram: 1000,
  grams: 1000,
  mcg: 0.001,
  ug: 0.001,
  µg: 0.001,
  μg: 0.001,
  microgram: 0.001,
  micrograms: 0.001,
};

const ROUTES: Record<string, string> = {
  po: 'oral',
  oral: 'oral',
  'per oral': 'oral',
  'by mouth': 'oral',
  iv: 'iv',
  intravenous: 'iv',
  intravenously: 'iv',
  im: 'im',
  intramuscular: 'im',
  sc: 'sc',
  sq: 'sc',
  subcut: 'sc',
  subcutaneous: 'sc',
};

/** The amount in mg, or null for a unit the checker does not convert (ml, IU, tablet, puff). */
export function doseInMg(dose: DoseAmount): number | null {
  const factor = MG_PER_UNIT[dose.unit.trim().toLowerCase()];
  if (factor === undefined || !Number.isFinite(dose.amount) || dose.amount < 0) return null;
  return dose.amount * factor;
}

// Limits compare with a relative tolerance: 25 mg x (1/7 per day) x 7 days must equal 25 mg, not exceed it.
const exceeds = (value: number, limit: number) => value > limit * (1 + 1e-9);
const below = (value: number, limit: number) => value < limit * (1 - 1e-9);
const fmt = (mg: number) => `${Number(mg.toPrecision(4))} mg`;

type Finding = { severity: Severity; ruleId: string; text: string; row: DoseRange | null };

function checkDoses(
  item: Prepared,
  input: PrescriptionCheckInput,
  rules: CheckerRules,
  out: CheckAlert[],
): void {
  const route =
    item.source.route === undefined
      ? undefined
      : (ROUTES[canonical(item.source.route)] ?? canonical(item.source.route));
  if (route === undefined) return;
  const child = input.ageYears !== undefined && input.ageYears < 18;
  const weight = input.weightKg !== undefined && input.weightKg > 0 ? input.weightKg : undefined;
  item.ingredients.forEach((ingredient, k) => {
    const rows = rules.doseRanges.get(ingredient);
    if (!rows) return;
    const dose = item.doses[k] ?? null;
    const mg = dose ? doseInMg(dose) : null;
    if (mg === null) return;
    const pick = (population: DoseRange['population']) =>
      rows.find((r) => r.population === population && r.route === route) ??
      rows.find((r) => r.population === population && r.route === 'any');
    const findings: Finding[] = [];
    const adult = pick('adult');
    if (child) {
      const paediatric = pick('paediatric');
      if (paediatric && weight !== undefined)
        findings.push(...limits(paediatric, mg, item.source, weight, true));
      else {
        if (paediatric) {
          findings.push({
            severity: 'moderate',
            ruleId: 'DOSE-WEIGHT-NEEDED',
            text: `a patient under 18 is dosed by weight (${paediatric.perDoseMax ?? '?'} mg/kg per dose): the dose cannot be checked without a weight`,
            row: paediatric,
          });
        }
        // The adult limits still bound a child's dose from above.
        if (adult) findings.push(...limits(adult, mg, item.source, weight, false));
      }
    } else if (adult) findings.push(...limits(adult, mg, item.source, weight, true));
    if (findings.length === 0) return;
    findings.sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]);
    const worst = findings[0]!;
    const row = worst.row ?? findings.find((f) => f.row)?.row ?? null;
    out.push({
      key: `dose-range:${worst.ruleId}:${itemTag(item)}:${ingredient}`,
      kind: 'dose-range',
      severity: worst.severity,
      ruleId: worst.ruleId,
      items: [alertItem(item, [ingredient])],
      message: `${ingredient} ${fmt(mg)} ${route}: ${findings.map((f) => f.text).join('; ')}`,
      mechanism: null,
      management: row?.note ? `Review the dose (${row.note})` : 'Review the dose',
      citation: row?.source ?? null,
      requiresOverrideReason: needsReason(worst.severity),
    });
  });
}

/** The findings of one dose-range row; weight is required for a mg/kg row (else nothing is checked). */
function limits(
  row: DoseRange,
  mg: number,
  item: MedicationItem,
  weight: number | undefined,
  checkMinimum: boolean,
): Finding[] {
  if (row.basis === 'mg/kg' && weight === undefined) return [];
  const factor = row.basis === 'mg/kg' ? weight! : 1;
  const unit = row.basis === 'mg/kg' ? ` (${Number(factor.toPrecision(4))} kg)` : '';
  const cap = (value: number | null, capMg: number | null) =>
    value === null ? capMg : capMg === null ? value * factor : Math.min(value * factor, capMg);
  const findings: Finding[] = [];
  const perDoseMax = cap(row.perDoseMax, row.perDoseCapMg);
  if (perDoseMax !== null && exceeds(mg, perDoseMax)) {
    findings.push({
      severity: 'major',
      ruleId: 'DOSE-PER-DOSE-MAX',
      text: `above the ${fmt(perDoseMax)} maximum per dose${unit}`,
      row,
    });
  }
  const perDay =
    typeof item.frequency === 'number' && Number.isFinite(item.frequency) && item.frequency > 0
      ? item.frequency
      : item.frequency === 'prn' && item.maxDosesPerDay !== undefined && item.maxDosesPerDay > 0
        ? item.maxDosesPerDay
        : null;
  if (perDay !== null) {
    const daily = mg * perDay;
    const dailyMax = cap(row.dailyMax, row.dailyCapMg);
    let dailyExceeded = false;
    if (dailyMax !== null && exceeds(daily, dailyMax)) {
      dailyExceeded = true;
      findings.push({
        severity: 'major',
        ruleId: 'DOSE-DAILY-MAX',
        text: `${fmt(daily)} a day is above the ${fmt(dailyMax)} daily maximum${unit}`,
        row,
      });
    }
    if (row.weeklyMax !== null && !dailyExceeded) {
      const days = Math.min(
        7,
        item.durationDays !== undefined && item.durationDays > 0 ? item.durationDays : 7,
      );
      const weekly = daily * days;
      const weeklyMax = row.weeklyMax * factor;
      if (exceeds(weekly, weeklyMax)) {
        findings.push({
          severity: 'major',
          ruleId: 'DOSE-WEEKLY-MAX',
          text: `${fmt(weekly)} in 7 days is above the ${fmt(weeklyMax)} weekly maximum (a once-weekly drug)`,
          row,
        });
      }
    }
  }
  if (checkMinimum && row.perDoseMin !== null && below(mg, row.perDoseMin * factor)) {
    findings.push({
      severity: 'minor',
      ruleId: 'DOSE-PER-DOSE-MIN',
      text: `below the usual ${fmt(row.perDoseMin * factor)} minimum per dose${unit}`,
      row,
    });
  }
  return findings;
}

/** " (penicillins)" when the allergy named a class the hits belong to. */
function viaClass(hits: readonly string[], classKeys: readonly string[], rules: CheckerRules): string {
  const names = classKeys
    .map((k) => rules.classes.get(k)!)
    .filter((c) => hits.some((h) => c.memberSet.has(h)))
    .map((c) => c.name.toLowerCase());
  return names.length > 0 ? ` (${names.join(', ')})` : '';
}

function needsReason(severity: Severity): boolean {
  return severity === 'contraindicated' || severity === 'major';
}

function oneTierLower(severity: Severity): Severity {
  return SEVERITIES[Math.min(SEVERITIES.length - 1, SEVERITY_RANK[severity] + 1)]!;
}
