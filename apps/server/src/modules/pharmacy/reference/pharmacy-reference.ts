import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { RuleViolation } from '../../../platform/http/errors';
import { readCsvTable } from './csv-records';

// The prescription checker's reference data (DOMAIN.md, "Drug-drug interaction rules to start from"): our
// own rows in versioned CSV files beside this file, each with its source and licence, so that a hospital can
// review and extend them. Nothing here is copied from DrugBank, DDInter or any non-commercial database.

export const SEVERITIES = ['contraindicated', 'major', 'moderate', 'minor'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const DOSE_POPULATIONS = ['adult', 'paediatric'] as const;
export type DosePopulation = (typeof DOSE_POPULATIONS)[number];
export const DOSE_BASES = ['mg', 'mg/kg'] as const;
export type DoseBasis = (typeof DOSE_BASES)[number];

/** A group of ingredients that rules, allergies or duplicate checks refer to; a drug may be a class of one. */
export type DrugClass = {
  key: string;
  name: string;
  /** Lowercase INN (NLEM 2022 spelling). */
  members: readonly string[];
  /** Two different members prescribed together are duplicate therapy of this severity; null: not checked. */
  duplicateSeverity: Severity | null;
  source: string;
};

export type InteractionRule = {
  id: string;
  classA: string;
  classB: string;
  severity: Severity;
  effect: string;
  mechanism: string;
  management: string;
  citation: string;
  /** Rules this one replaces when both match the same two items (the more specific advice wins). */
  supersedes: readonly string[];
  source: string;
};

export type AllergyCrossReactivity = {
  id: string;
  allergenClass: string;
  relatedClass: string;
  /** For an allergy of high (or unassessed) criticality; one tier lower for a low-criticality allergy. */
  severity: Severity;
  note: string;
  citation: string;
};

export type DoseRange = {
  ingredient: string;
  /** oral, iv, im, sc, ... or `any`. */
  route: string;
  population: DosePopulation;
  /** mg: limits in mg; mg/kg: limits per kg of body weight (daily limits in mg/kg/day). */
  basis: DoseBasis;
  perDoseMin: number | null;
  perDoseMax: number | null;
  dailyMax: number | null;
  /** Once-weekly drugs (methotrexate): the most in any 7 days, in the basis unit. */
  weeklyMax: number | null;
  /** Absolute caps in mg over a weight-based limit. */
  perDoseCapMg: number | null;
  dailyCapMg: number | null;
  note: string;
  source: string;
};

/** Another name for an ingredient (acetaminophen, rifampin) or a class (penicillin, sulfa). */
export type SubstanceSynonym = { term: string; ingredient: string | null; classKey: string | null };

export type PharmacyReference = {
  classes: readonly DrugClass[];
  interactions: readonly InteractionRule[];
  allergyCrossReactivity: readonly AllergyCrossReactivity[];
  doseRanges: readonly DoseRange[];
  synonyms: readonly SubstanceSynonym[];
};

/** The reference data indexed for the checker; build once with buildCheckerRules and share. */
export type CheckerRules = {
  reference: PharmacyReference;
  classes: ReadonlyMap<string, DrugClass & { memberSet: ReadonlySet<string> }>;
  /** Ingredient -> the keys of the classes it belongs to. */
  classesOf: ReadonlyMap<string, readonly string[]>;
  /** Class key -> the interaction rules with that class on either side. */
  rulesByClass: ReadonlyMap<string, readonly InteractionRule[]>;
  /** Allergen class key -> its cross-reactivity rows. */
  crossReactivityFrom: ReadonlyMap<string, readonly AllergyCrossReactivity[]>;
  /** Ingredient -> its dose ranges. */
  doseRanges: ReadonlyMap<string, readonly DoseRange[]>;
  /** Every name the checker knows as an ingredient (class members, dose-range rows, synonym targets). */
  ingredients: ReadonlySet<string>;
  /** Lowercase term -> what it names: synonyms, ingredients, class keys and class names. */
  terms: ReadonlyMap<string, { ingredient: string | null; classKey: string | null }>;
  /** The terms longest first, for finding them inside free text ("penicillin - rash"). */
  termsLongestFirst: readonly string[];
};

// ---------------------------------------------------------------------------------------------------------
// Parsing: each file's rows, validated; a bad row fails the whole file with its name and line.
// ---------------------------------------------------------------------------------------------------------

const text = z.string().min(1, 'is empty');
const classKey = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'is not a class key (lowercase, kebab-case)');
const ingredient = z
  .string()
  .regex(/^[a-z][a-z0-9 '()-]*[a-z0-9)]$/, 'is not a lowercase INN (letters, digits, spaces, hyphens)');
const severity = z.enum(SEVERITIES);
const optionalSeverity = z.union([z.literal('').transform(() => null), severity]);
const optionalText = z.string().transform((v) => (v === '' ? null : v));
const optionalAmount = z.preprocess(
  (v) => (v === '' ? null : Number(v)),
  z.number().finite().nonnegative().nullable(),
);
const licensed = { source: text, licence: text };

const classRow = z.object({
  class_key: classKey,
  class_name: text,
  ingredient,
  duplicate_severity: optionalSeverity,
  ...licensed,
});
const interactionRow = z.object({
  rule_id: z.string().regex(/^[A-Z0-9]+(-[A-Z0-9]+)*$/, 'is not a rule id (UPPER-KEBAB)'),
  class_a: classKey,
  class_b: classKey,
  severity,
  effect: text,
  mechanism: text,
  management: text,
  citation: text,
  supersedes: z.string(),
  ...licensed,
});
const crossRow = z.object({
  rule_id: z.string().regex(/^[A-Z0-9]+(-[A-Z0-9]+)*$/, 'is not a rule id (UPPER-KEBAB)'),
  allergen_class: classKey,
  related_class: classKey,
  severity,
  note: text,
  citation: text,
  ...licensed,
});
const doseRow = z
  .object({
    ingredient,
    route: z.string().regex(/^[a-z]+$/, 'is not a route (oral, iv, im, sc, any ...)'),
    population: z.enum(DOSE_POPULATIONS),
    basis: z.enum(DOSE_BASES),
    per_dose_min: optionalAmount,
    per_dose_max: optionalAmount,
    daily_max: optionalAmount,
    weekly_max: optionalAmount,
    per_dose_cap_mg: optionalAmount,
    daily_cap_mg: optionalAmount,
    note: z.string(),
    ...licensed,
  })
  .refine((r) => r.per_dose_max !== null || r.daily_max !== null || r.weekly_max !== null, {
    message: 'sets no maximum',
  })
  .refine((r) => r.per_dose_min === null || r.per_dose_max === null || r.per_dose_min <= r.per_dose_max, {
    message: 'per_dose_min is above per_dose_max',
  })
  .refine((r) => r.basis === 'mg/kg' || (r.per_dose_cap_mg === null && r.daily_cap_mg === null), {
    message: 'caps in mg apply to mg/kg rows only',
  });
const synonymRow = z
  .object({
    term: z.string().regex(/^[a-z0-9][a-z0-9 -]*$/, 'is not a lowercase term'),
    ingredient: z.string(),
    class_key: z.string(),
    ...licensed,
  })
  .refine((r) => (r.ingredient === '') !== (r.class_key === ''), {
    message: 'names either an ingredient or a class key, not both or neither',
  });

type Problem = { path: string; message: string };
const MAX_REPORTED = 20;

function fail(file: string, problems: Problem[]): never {
  throw new RuleViolation(
    'PHARMACY_REFERENCE_INVALID',
    `${file} has ${problems.length} invalid row(s); the first: ${problems[0]?.path}: ${problems[0]?.message}`,
    problems.slice(0, MAX_REPORTED),
  );
}

function parseRows<S extends z.ZodType>(csv: string, file: string, schema: S): z.output<S>[] {
  let table: ReturnType<typeof readCsvTable>;
  try {
    const columns = schemaColumns(schema);
    table = readCsvTable(csv, file, columns);
  } catch (e) {
    fail(file, [{ path: file, message: (e as Error).message }]);
  }
  const out: z.output<S>[] = [];
  const problems: Problem[] = [];
  for (const { line, row } of table) {
    const parsed = schema.safeParse(row);
    if (parsed.success) out.push(parsed.data);
    else {
      for (const issue of parsed.error.issues) {
        const column = issue.path.join('.');
        const value = column ? ` (${JSON.stringify(row[column] ?? '')})` : '';
        problems.push({
          path: `${file} line ${line}`,
          message: `${column || 'row'}${value} ${issue.message}`,
        });
      }
    }
  }
  if (problems.length > 0) fail(file, problems);
  return out;
}

function schemaColumns(schema: z.ZodType): string[] {
  // A refined object is still a ZodObject in zod 4; its shape names the required columns.
  const shape = (schema as unknown as { shape?: Record<string, unknown> }).shape;
  return shape ? Object.keys(shape) : [];
}

/** Rows of drug-classes.csv, grouped into classes (a class's name and duplicate severity must agree). */
export function parseDrugClassesCsv(csv: string, file = 'drug-classes.csv'): DrugClass[] {
  const rows = parseRows(csv, file, classRow);
  const byKey = new Map<string, DrugClass & { members: string[] }>();
  const problems: Problem[] = [];
  rows.forEach((r, i) => {
    const at = { path: `${file} row ${i + 1} (${r.class_key}, ${r.ingredient})` };
    const existing = byKey.get(r.class_key);
    if (!existing) {
      byKey.set(r.class_key, {
        key: r.class_key,
        name: r.class_name,
        members: [r.ingredient],
        duplicateSeverity: r.duplicate_severity,
        source: r.source,
      });
      return;
    }
    if (existing.name !== r.class_name)
      problems.push({ ...at, message: `class name differs: ${r.class_name}` });
    if (existing.duplicateSeverity !== r.duplicate_severity) {
      problems.push({ ...at, message: 'duplicate_severity differs from the earlier rows of the class' });
    }
    if (existing.members.includes(r.ingredient)) problems.push({ ...at, message: 'member listed twice' });
    else existing.members.push(r.ingredient);
  });
  if (problems.length > 0) fail(file, problems);
  return [...byKey.values()];
}

export function parseInteractionsCsv(csv: string, file = 'interactions.csv'): InteractionRule[] {
  return parseRows(csv, file, interactionRow).map((r) => ({
    id: r.rule_id,
    classA: r.class_a,
    classB: r.class_b,
    severity: r.severity,
    effect: r.effect,
    mechanism: r.mechanism,
    management: r.management,
    citation: r.citation,
    supersedes: r.supersedes
      .split(';')
      .map((s) => s.trim())
      .filter(Boolean),
    source: r.source,
  }));
}

export function parseAllergyCrossReactivityCsv(
  csv: string,
  file = 'allergy-cross-reactivity.csv',
): AllergyCrossReactivity[] {
  return parseRows(csv, file, crossRow).map((r) => ({
    id: r.rule_id,
    allergenClass: r.allergen_class,
    relatedClass: r.related_class,
    severity: r.severity,
    note: r.note,
    citation: r.citation,
  }));
}

export function parseDoseRangesCsv(csv: string, file = 'dose-ranges.csv'): DoseRange[] {
  return parseRows(csv, file, doseRow).map((r) => ({
    ingredient: r.ingredient,
    route: r.route,
    population: r.population,
    basis: r.basis,
    perDoseMin: r.per_dose_min,
    perDoseMax: r.per_dose_max,
    dailyMax: r.daily_max,
    weeklyMax: r.weekly_max,
    perDoseCapMg: r.per_dose_cap_mg,
    dailyCapMg: r.daily_cap_mg,
    note: r.note,
    source: r.source,
  }));
}

export function parseSubstanceSynonymsCsv(csv: string, file = 'substance-synonyms.csv'): SubstanceSynonym[] {
  return parseRows(csv, file, synonymRow).map((r) => ({
    term: r.term,
    ingredient: optionalText.parse(r.ingredient),
    classKey: optionalText.parse(r.class_key),
  }));
}

/** The reference CSV files of a folder: the shipped ones by default, or a hospital's reviewed copy. */
export const PHARMACY_REFERENCE_FILES = {
  classes: 'drug-classes.csv',
  interactions: 'interactions.csv',
  allergyCrossReactivity: 'allergy-cross-reactivity.csv',
  doseRanges: 'dose-ranges.csv',
  synonyms: 'substance-synonyms.csv',
} as const;

export const SHIPPED_REFERENCE_FOLDER = fileURLToPath(new URL('.', import.meta.url));

/** Reads and validates the five reference files of a folder (throws PHARMACY_REFERENCE_INVALID). */
export function readPharmacyReference(folder: string = SHIPPED_REFERENCE_FOLDER): PharmacyReference {
  const read = (name: string) => readFileSync(join(folder, name), 'utf8');
  const f = PHARMACY_REFERENCE_FILES;
  return {
    classes: parseDrugClassesCsv(read(f.classes), f.classes),
    interactions: parseInteractionsCsv(read(f.interactions), f.interactions),
    allergyCrossReactivity: parseAllergyCrossReactivityCsv(
      read(f.allergyCrossReactivity),
      f.allergyCrossReactivity,
    ),
    doseRanges: parseDoseRangesCsv(read(f.doseRanges), f.doseRanges),
    synonyms: parseSubstanceSynonymsCsv(read(f.synonyms), f.synonyms),
  };
}

// ---------------------------------------------------------------------------------------------------------
// The index: cross-file references checked, lookups by ingredient and class.
// ---------------------------------------------------------------------------------------------------------

/**
 * Indexes reference data for checkPrescription, after checking that the files agree with each other: every
 * class a rule, cross-reactivity row or synonym names exists, rule ids are unique, superseded rules exist,
 * and no ingredient/route/population has two dose ranges. Throws PHARMACY_REFERENCE_INVALID.
 */
export function buildCheckerRules(reference: PharmacyReference): CheckerRules {
  const problems: Problem[] = [];
  const classes = new Map(reference.classes.map((c) => [c.key, { ...c, memberSet: new Set(c.members) }]));
  const needClass = (file: string, owner: string, key: string) => {
    if (!classes.has(key)) {
      problems.push({ path: `${file} ${owner}`, message: `class ${key} is not in drug-classes.csv` });
    }
  };
  const ruleIds = new Set<string>();
  for (const r of reference.interactions) {
    if (ruleIds.has(r.id)) problems.push({ path: `interactions.csv ${r.id}`, message: 'rule id used twice' });
    ruleIds.add(r.id);
    needClass('interactions.csv', r.id, r.classA);
    needClass('interactions.csv', r.id, r.classB);
  }
  for (const r of reference.interactions) {
    for (const s of r.supersedes) {
      if (!ruleIds.has(s) || s === r.id) {
        problems.push({ path: `interactions.csv ${r.id}`, message: `supersedes unknown rule ${s}` });
      }
    }
  }
  const crossIds = new Set<string>();
  for (const x of reference.allergyCrossReactivity) {
    if (crossIds.has(x.id)) {
      problems.push({ path: `allergy-cross-reactivity.csv ${x.id}`, message: 'rule id used twice' });
    }
    crossIds.add(x.id);
    needClass('allergy-cross-reactivity.csv', x.id, x.allergenClass);
    needClass('allergy-cross-reactivity.csv', x.id, x.relatedClass);
  }
  for (const s of reference.synonyms) if (s.classKey) needClass('substance-synonyms.csv', s.term, s.classKey);
  const doseKeys = new Set<string>();
  for (const d of reference.doseRanges) {
    const key = `${d.ingredient}/${d.route}/${d.population}`;
    if (doseKeys.has(key)) problems.push({ path: `dose-ranges.csv ${key}`, message: 'listed twice' });
    doseKeys.add(key);
  }
  if (problems.length > 0) fail('the pharmacy reference', problems);

  const classesOf = new Map<string, string[]>();
  for (const c of reference.classes) {
    for (const m of c.members) classesOf.set(m, [...(classesOf.get(m) ?? []), c.key]);
  }
  const rulesByClass = new Map<string, InteractionRule[]>();
  for (const r of reference.interactions) {
    for (const k of new Set([r.classA, r.classB])) rulesByClass.set(k, [...(rulesByClass.get(k) ?? []), r]);
  }
  const crossReactivityFrom = new Map<string, AllergyCrossReactivity[]>();
  for (const x of reference.allergyCrossReactivity) {
    crossReactivityFrom.set(x.allergenClass, [...(crossReactivityFrom.get(x.allergenClass) ?? []), x]);
  }
  const doseRanges = new Map<string, DoseRange[]>();
  for (const d of reference.doseRanges)
    doseRanges.set(d.ingredient, [...(doseRanges.get(d.ingredient) ?? []), d]);

  const ingredients = new Set<string>([...classesOf.keys(), ...doseRanges.keys()]);
  for (const s of reference.synonyms) if (s.ingredient) ingredients.add(s.ingredient);
  const terms = new Map<string, { ingredient: string | null; classKey: string | null }>();
  for (const i of ingredients) terms.set(i, { ingredient: i, classKey: null });
  for (const c of reference.classes) {
    // A class of one is named by its ingredient: the term stays the ingredient's.
    if (!terms.has(c.key)) terms.set(c.key, { ingredient: null, classKey: c.key });
    const name = canonicalTerm(c.name);
    if (!terms.has(name)) terms.set(name, { ingredient: null, classKey: c.key });
  }
  for (const s of reference.synonyms)
    terms.set(canonicalTerm(s.term), { ingredient: s.ingredient, classKey: s.classKey });

  return {
    reference,
    classes,
    classesOf,
    rulesByClass,
    crossReactivityFrom,
    doseRanges,
    ingredients,
    terms,
    termsLongestFirst: [...terms.keys()].sort((a, b) => b.length - a.length || a.localeCompare(b)),
  };
}

/** A name as the index keys it: lowercase, punctuation other than hyphen and apostrophe as spaces. */
export function canonicalTerm(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9'-]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

let shipped: CheckerRules | undefined;

/** The checker rules of the shipped reference files, read, validated and indexed once per process. */
export function checkerRules(): CheckerRules {
  shipped ??= buildCheckerRules(readPharmacyReference());
  return shipped;
}
