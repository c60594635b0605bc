import { z } from 'zod';
import { readCsvColumns } from '../../../platform/csv/csv';

// The laboratory catalog files: tests.csv, reference-ranges.csv, panels.csv and delta-rules.csv, shipped
// beside this file, or a hospital's own files in the same columns. Pure: callers read the files and write
// the rows. Every bad row is reported with its file, line and column; good rows are still returned so an
// import can show the whole picture before it commits.

export const SECTIONS = [
  'haematology',
  'biochemistry',
  'microbiology',
  'serology',
  'clinical-pathology',
  'immunology',
] as const;
export type Section = (typeof SECTIONS)[number];

export const SPECIMENS = [
  'blood',
  'serum',
  'plasma',
  'arterial blood',
  'capillary blood',
  'urine',
  'stool',
  'csf',
  'sputum',
  'swab',
  'body fluid',
  'any',
] as const;
export type Specimen = (typeof SPECIMENS)[number];

export const CONTAINERS = [
  'EDTA lavender',
  'plain red',
  'SST gold',
  'fluoride grey',
  'citrate blue',
  'citrate black',
  'heparin green',
  'sterile container',
  '24-hour urine container',
  'blood culture bottle',
  'ABG syringe',
  'swab transport',
] as const;
export type Container = (typeof CONTAINERS)[number];

export const RESULT_TYPES = ['numeric', 'text', 'coded', 'culture'] as const;
export type ResultType = (typeof RESULT_TYPES)[number];

export const RANGE_SEXES = ['male', 'female', 'any'] as const;
export type RangeSex = (typeof RANGE_SEXES)[number];

export const DELTA_MODES = ['absolute', 'percent'] as const;
export type DeltaMode = (typeof DELTA_MODES)[number];

/** The notice LOINC's licence asks to accompany LOINC codes (the `licence` of rows that carry one). */
export const LOINC_NOTICE =
  'This material contains content from LOINC (http://loinc.org). LOINC is copyright © Regenstrief Institute, Inc. and the Logical Observation Identifiers Names and Codes (LOINC) Committee and is available at no cost under the license at http://loinc.org/license.';

/** 18 years in days: the age from which a patient is an adult for the coverage check. */
export const ADULT_FROM_DAYS = 6575;

/** One orderable or reportable test. `line` is where the row starts in its file. */
export type LabTest = {
  code: string;
  localName: string;
  loincCode: string | null;
  section: Section;
  specimen: Specimen;
  container: Container;
  resultType: ResultType;
  /** UCUM; null for results without a unit (coded, text, culture, specific gravity). */
  ucumUnit: string | null;
  /** Decimal places a numeric result is reported with; null for non-numeric tests. */
  decimals: number | null;
  tatMinutesRoutine: number;
  tatMinutesStat: number | null;
  source: string;
  licence: string;
  line: number;
};

/**
 * A reference interval of one test for one sex and age band, in the test's unit. The age band is
 * [ageFromDays, ageToDays): from inclusive, to exclusive, null for no bound. `low`/`high` may be one-sided
 * (a desirable limit such as cholesterol below 200 mg/dL).
 */
export type ReferenceRange = {
  testCode: string;
  sex: RangeSex;
  ageFromDays: number | null;
  ageToDays: number | null;
  low: number | null;
  high: number | null;
  criticalLow: number | null;
  criticalHigh: number | null;
  source: string;
  licence: string;
  line: number;
};

export type Panel = {
  code: string;
  name: string;
  /** Member test codes in report order. */
  members: readonly string[];
  loincCode: string | null;
  source: string;
  licence: string;
  line: number;
};

/** A result differs suspiciously from the patient's previous one of the same test within `windowDays`. */
export type DeltaRule = {
  testCode: string;
  mode: DeltaMode;
  /** In the test's unit for `absolute`, in percent of the previous value for `percent`. */
  threshold: number;
  windowDays: number;
  source: string;
  licence: string;
  line: number;
};

export type LabCatalog = {
  tests: readonly LabTest[];
  ranges: readonly ReferenceRange[];
  panels: readonly Panel[];
  deltaRules: readonly DeltaRule[];
};

export type CatalogFileError = { file: string; line: number; column: string | null; message: string };

export type CatalogFileNames = { tests: string; ranges: string; panels: string; deltaRules: string };

const DEFAULT_FILES: CatalogFileNames = {
  tests: 'tests.csv',
  ranges: 'reference-ranges.csv',
  panels: 'panels.csv',
  deltaRules: 'delta-rules.csv',
};

/** `tests.csv line 14, loinc_code: ...` */
export function formatCatalogError(e: CatalogFileError): string {
  return `${e.file} line ${e.line}${e.column ? `, ${e.column}` : ''}: ${e.message}`;
}

// ---------------------------------------------------------------------------------------------------------
// LOINC and UCUM.

/**
 * The LOINC check digit of a code's number part: LOINC's mod 10 algorithm (Luhn). From the right, every
 * digit in an odd position is doubled (the digits of the product summed), the others are added as they are;
 * the check digit brings the sum up to the next multiple of 10.
 */
export function loincCheckDigit(body: string): number {
  if (!/^\d+$/.test(body)) throw new RangeError(`not a LOINC number part: "${body}"`);
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const digit = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      const doubled = digit * 2;
      sum += Math.floor(doubled / 10) + (doubled % 10);
    } else sum += digit;
  }
  return (10 - (sum % 10)) % 10;
}

/** A LOINC code of the shape `^\d{1,6}-\d$` whose last digit is its mod 10 check digit. */
export function isValidLoincCode(code: string): boolean {
  const m = /^(\d{1,6})-(\d)$/.exec(code);
  return m !== null && loincCheckDigit(m[1]!) === Number(m[2]);
}

// `@lhncbc/ucum-lhc` is not installed, so units are checked against UCUM's grammar with the atoms a clinical
// laboratory uses: a unit is terms joined by `.` and `/`, a term is a metric prefix with an atom and an
// optional exponent, a power of ten (10*3), a number, a bracketed sub-unit, or an annotation ({INR}).
const UCUM_PREFIXES = ['da', 'k', 'h', 'd', 'c', 'm', 'u', 'n', 'p', 'f'];
const UCUM_METRIC_ATOMS = ['g', 'L', 'l', 'mol', 'eq', 'osm', 'U', '[IU]', '[iU]', 's', 'm', 'm[Hg]', 'kat'];
const UCUM_OTHER_ATOMS = ['%', 'min', 'h', 'd', 'wk', 'mo', 'a', '[pH]', '[HPF]', '[LPF]', 'Cel', '[ppm]'];
const escapeRegex = (s: string) => s.replace(/[[\]%*]/g, (c) => `\\${c}`);
const UCUM_TERM = new RegExp(
  `^(?:(?:${UCUM_PREFIXES.join('|')})?(?:${UCUM_METRIC_ATOMS.map(escapeRegex).join('|')})|${UCUM_OTHER_ATOMS.map(escapeRegex).join('|')})(?:-?\\d+)?$`,
);

/** Whether a unit is syntactically plausible UCUM over the atoms a clinical laboratory reports in. */
export function isPlausibleUcum(unit: string): boolean {
  if (unit === '' || /\s/.test(unit)) return false;
  // Annotations are free text in braces: attached to a unit (ng/mL{FEU}) they change nothing, standing alone
  // ({INR}, mL/min/{1.73_m2}) they are the unit 1.
  const bare = unit.replace(/\{[^{}]*\}/g, (_m, offset: number, s: string) =>
    offset > 0 && !'./('.includes(s[offset - 1] as string) ? '' : '1',
  );
  if (/[{}]/.test(bare)) return false;
  return isUcumTerm(bare);
}

function isUcumTerm(expr: string): boolean {
  // A leading division (/[HPF]) is UCUM's "per".
  const body = expr.startsWith('/') ? expr.slice(1) : expr;
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of body) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (depth < 0) return false;
    if (depth === 0 && (ch === '.' || ch === '/')) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  if (depth !== 0) return false;
  parts.push(current);
  return parts.every((p) => {
    if (p === '') return false;
    if (p.startsWith('(') && p.endsWith(')')) return isUcumTerm(p.slice(1, -1));
    return /^10[*^]-?\d+$/.test(p) || /^\d+$/.test(p) || UCUM_TERM.test(p);
  });
}

// ---------------------------------------------------------------------------------------------------------
// Row schemas.

const oneOf = (values: readonly string[]) => values.join(', ');

const CODE_PATTERN = /^[A-Z0-9][A-Z0-9_-]{0,39}$/;
const code = (what: string) =>
  z
    .string()
    .trim()
    .toUpperCase()
    .refine((v) => CODE_PATTERN.test(v), {
      error: (iss) =>
        String(iss.input).trim() === ''
          ? `the ${what} is empty`
          : `bad ${what} "${String(iss.input).trim()}" (expected letters, digits, _ or -, at most 40 characters)`,
    });

const text = (column: string, max = 200) =>
  z
    .string()
    .trim()
    .min(1, { error: `${column} is empty` })
    .max(max, { error: `${column} is longer than ${max} characters` });

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? null : v));

const member = <T extends string>(values: readonly T[], what: string) =>
  z
    .string()
    .trim()
    .transform((raw, ctx) => {
      const found = values.find((v) => v.toLowerCase() === raw.toLowerCase());
      if (found === undefined) {
        ctx.addIssue({
          code: 'custom',
          message:
            raw === ''
              ? `the ${what} is empty`
              : `unknown ${what} "${raw}" (expected one of: ${oneOf(values)})`,
        });
        return z.NEVER;
      }
      return found;
    });

const loinc = (required: boolean) =>
  z
    .string()
    .trim()
    .transform((v, ctx) => {
      if (v === '') {
        if (required) ctx.addIssue({ code: 'custom', message: 'the LOINC code is empty' });
        return null;
      }
      if (!/^\d{1,6}-\d$/.test(v)) {
        ctx.addIssue({
          code: 'custom',
          message: `bad LOINC code "${v}" (expected digits, a hyphen and a check digit)`,
        });
      } else if (!isValidLoincCode(v)) {
        const body = v.split('-')[0]!;
        ctx.addIssue({
          code: 'custom',
          message: `LOINC code ${v} fails its check digit (the check digit of ${body} is ${loincCheckDigit(body)})`,
        });
      }
      return v;
    });

const NUMBER_PATTERN = /^-?\d+(\.\d+)?$/;
const optionalNumber = (what: string) =>
  z
    .string()
    .trim()
    .transform((v, ctx) => {
      if (v === '') return null;
      if (!NUMBER_PATTERN.test(v)) {
        ctx.addIssue({ code: 'custom', message: `bad ${what} "${v}" (expected a decimal number)` });
        return z.NEVER;
      }
      return Number(v);
    });

const wholeNumber = (what: string, required: boolean, min = 0) =>
  z
    .string()
    .trim()
    .transform((v, ctx) => {
      if (v === '') {
        if (required) ctx.addIssue({ code: 'custom', message: `the ${what} is empty` });
        return null;
      }
      if (!/^\d+$/.test(v) || Number(v) < min) {
        ctx.addIssue({
          code: 'custom',
          message: `bad ${what} "${v}" (expected a whole number, ${min} or more)`,
        });
        return z.NEVER;
      }
      return Number(v);
    });

const ucumUnit = z
  .string()
  .trim()
  .transform((v, ctx) => {
    if (v === '') return null;
    if (!isPlausibleUcum(v)) {
      ctx.addIssue({
        code: 'custom',
        message: `unit "${v}" is not UCUM (examples: g/dL, 10*3/uL, mmol/L, m[IU]/L, mm[Hg], {INR})`,
      });
    }
    return v;
  });

const testRow = z
  .object({
    code: code('test code'),
    local_name: text('local_name'),
    loinc_code: loinc(false),
    section: member(SECTIONS, 'section'),
    specimen: member(SPECIMENS, 'specimen'),
    container: member(CONTAINERS, 'container'),
    result_type: member(RESULT_TYPES, 'result type'),
    ucum_unit: ucumUnit,
    decimals: wholeNumber('number of decimals', false),
    tat_minutes_routine: wholeNumber('routine turnaround', true, 1),
    tat_minutes_stat: wholeNumber('stat turnaround', false, 1),
    source: optionalText,
    licence: optionalText,
  })
  .superRefine((row, ctx) => {
    if (row.result_type === 'numeric' && row.decimals === null) {
      ctx.addIssue({
        code: 'custom',
        path: ['decimals'],
        message: 'a numeric test needs its number of decimals',
      });
    }
    if (row.decimals !== null && row.decimals > 6) {
      ctx.addIssue({ code: 'custom', path: ['decimals'], message: `${row.decimals} decimals: at most 6` });
    }
    const { tat_minutes_routine: routine, tat_minutes_stat: stat } = row;
    if (routine !== null && stat !== null && stat > routine) {
      ctx.addIssue({
        code: 'custom',
        path: ['tat_minutes_stat'],
        message: `the stat turnaround (${stat} min) is longer than the routine one (${routine} min)`,
      });
    }
  });

// critical_low <= low <= high <= critical_high, where present: a critical limit lies beyond the interval.
const ORDER = ['critical_low', 'low', 'high', 'critical_high'] as const;

const rangeRow = z
  .object({
    test_code: code('test code'),
    sex: member(RANGE_SEXES, 'sex'),
    age_from_days: wholeNumber('age_from_days', false),
    age_to_days: wholeNumber('age_to_days', false, 1),
    low: optionalNumber('low limit'),
    high: optionalNumber('high limit'),
    critical_low: optionalNumber('critical low limit'),
    critical_high: optionalNumber('critical high limit'),
    source: optionalText,
    licence: optionalText,
  })
  .superRefine((row, ctx) => {
    const { age_from_days: from, age_to_days: to } = row;
    if (from !== null && to !== null && to <= from) {
      ctx.addIssue({
        code: 'custom',
        path: ['age_to_days'],
        message: `the age band is empty: age_to_days ${to} is not after age_from_days ${from} (to is exclusive)`,
      });
    }
    if (row.low === null && row.high === null) {
      ctx.addIssue({
        code: 'custom',
        path: ['low'],
        message: 'a range needs a low limit, a high limit or both',
      });
    }
    const present = ORDER.filter((c) => row[c] !== null);
    for (let i = 1; i < present.length; i++) {
      const a = present[i - 1]!;
      const b = present[i]!;
      if ((row[a] as number) > (row[b] as number)) {
        ctx.addIssue({
          code: 'custom',
          path: [b],
          message: `${b} ${row[b]} is below ${a} ${row[a]} (expected critical_low <= low <= high <= critical_high)`,
        });
      }
    }
  });

const panelRow = z.object({
  code: code('panel code'),
  name: text('name'),
  members: z
    .string()
    .trim()
    .transform((v, ctx) => {
      const parts = v
        .split(';')
        .map((p) => p.trim().toUpperCase())
        .filter((p) => p !== '');
      if (parts.length === 0) {
        ctx.addIssue({ code: 'custom', message: 'the panel has no members (test codes joined with ;)' });
        return z.NEVER;
      }
      const bad = parts.find((p) => !CODE_PATTERN.test(p));
      if (bad !== undefined) {
        ctx.addIssue({ code: 'custom', message: `bad member test code "${bad}"` });
        return z.NEVER;
      }
      const twice = parts.find((p, i) => parts.indexOf(p) !== i);
      if (twice !== undefined) {
        ctx.addIssue({ code: 'custom', message: `member ${twice} is listed twice` });
        return z.NEVER;
      }
      return parts;
    }),
  loinc_code: loinc(false),
  source: optionalText,
  licence: optionalText,
});

const deltaRow = z
  .object({
    test_code: code('test code'),
    mode: member(DELTA_MODES, 'delta mode'),
    threshold: optionalNumber('threshold'),
    window_days: wholeNumber('window in days', true, 1),
    source: optionalText,
    licence: optionalText,
  })
  .superRefine((row, ctx) => {
    if (row.threshold === null || row.threshold <= 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['threshold'],
        message: 'the threshold must be a number above 0',
      });
    }
  });

// ---------------------------------------------------------------------------------------------------------
// Parsing of each file.

export type ParseResult<T> = { rows: T[]; errors: CatalogFileError[] };

const TEST_FILE_COLUMNS = [
  'code',
  'local_name',
  'loinc_code',
  'section',
  'specimen',
  'container',
  'result_type',
  'ucum_unit',
  'decimals',
  'tat_minutes_routine',
  'tat_minutes_stat',
  'source',
  'licence',
] as const;
const RANGE_FILE_COLUMNS = [
  'test_code',
  'sex',
  'age_from_days',
  'age_to_days',
  'low',
  'high',
  'critical_low',
  'critical_high',
  'source',
  'licence',
] as const;
const PANEL_FILE_COLUMNS = ['code', 'name', 'members', 'loinc_code', 'source', 'licence'] as const;
const DELTA_FILE_COLUMNS = ['test_code', 'mode', 'threshold', 'window_days', 'source', 'licence'] as const;
const OPTIONAL = new Set([
  'loinc_code',
  'ucum_unit',
  'decimals',
  'tat_minutes_stat',
  'age_from_days',
  'age_to_days',
  'critical_low',
  'critical_high',
  'source',
  'licence',
]);

/**
 * Tests of a tests CSV (the shipped tests.csv or a hospital's list in the same columns). Tolerates a
 * byte-order mark, CRLF, quoted fields and extra columns; reports every bad row and returns the good ones.
 */
export function parseTestsCsv(text: string, fileName = DEFAULT_FILES.tests): ParseResult<LabTest> {
  const table = readTable(text, fileName, TEST_FILE_COLUMNS);
  const errors = [...table.errors];
  const rows: LabTest[] = [];
  const seen = new Map<string, number>();
  for (const { line, values } of table.rows) {
    const parsed = testRow.safeParse(values);
    if (!parsed.success) {
      errors.push(...issuesToErrors(parsed.error, fileName, line));
      continue;
    }
    const r = parsed.data;
    const earlier = seen.get(r.code);
    if (earlier !== undefined) {
      errors.push({
        file: fileName,
        line,
        column: 'code',
        message: `duplicate test code ${r.code}: line ${earlier} has it`,
      });
      continue;
    }
    seen.set(r.code, line);
    rows.push({
      code: r.code,
      localName: r.local_name,
      loincCode: r.loinc_code,
      section: r.section,
      specimen: r.specimen,
      container: r.container,
      resultType: r.result_type,
      ucumUnit: r.ucum_unit,
      decimals: r.decimals,
      tatMinutesRoutine: r.tat_minutes_routine as number,
      tatMinutesStat: r.tat_minutes_stat,
      source: r.source ?? '',
      licence: r.licence ?? '',
      line,
    });
  }
  return { rows, errors: sortErrors(errors) };
}

/** Reference ranges of a reference-ranges CSV; the cross-file checks are `checkLabCatalog`'s. */
export function parseReferenceRangesCsv(
  text: string,
  fileName = DEFAULT_FILES.ranges,
): ParseResult<ReferenceRange> {
  const table = readTable(text, fileName, RANGE_FILE_COLUMNS);
  const errors = [...table.errors];
  const rows: ReferenceRange[] = [];
  for (const { line, values } of table.rows) {
    const parsed = rangeRow.safeParse(values);
    if (!parsed.success) {
      errors.push(...issuesToErrors(parsed.error, fileName, line));
      continue;
    }
    const r = parsed.data;
    rows.push({
      testCode: r.test_code,
      sex: r.sex,
      ageFromDays: r.age_from_days,
      ageToDays: r.age_to_days,
      low: r.low,
      high: r.high,
      criticalLow: r.critical_low,
      criticalHigh: r.critical_high,
      source: r.source ?? '',
      licence: r.licence ?? '',
      line,
    });
  }
  return { rows, errors: sortErrors(errors) };
}

/** Panels (profiles) of a panels CSV: `members` are test codes joined with `;`, in report order. */
export function parsePanelsCsv(text: string, fileName = DEFAULT_FILES.panels): ParseResult<Panel> {
  const table = readTable(text, fileName, PANEL_FILE_COLUMNS);
  const errors = [...table.errors];
  const rows: Panel[] = [];
  const seen = new Map<string, number>();
  for (const { line, values } of table.rows) {
    const parsed = panelRow.safeParse(values);
    if (!parsed.success) {
      errors.push(...issuesToErrors(parsed.error, fileName, line));
      continue;
    }
    const r = parsed.data;
    const earlier = seen.get(r.code);
    if (earlier !== undefined) {
      errors.push({
        file: fileName,
        line,
        column: 'code',
        message: `duplicate panel code ${r.code}: line ${earlier} has it`,
      });
      continue;
    }
    seen.set(r.code, line);
    rows.push({
      code: r.code,
      name: r.name,
      members: r.members,
      loincCode: r.loinc_code,
      source: r.source ?? '',
      licence: r.licence ?? '',
      line,
    });
  }
  return { rows, errors: sortErrors(errors) };
}

/** Delta-check rules of a delta-rules CSV: at most one rule per test. */
export function parseDeltaRulesCsv(
  text: string,
  fileName = DEFAULT_FILES.deltaRules,
): ParseResult<DeltaRule> {
  const table = readTable(text, fileName, DELTA_FILE_COLUMNS);
  const errors = [...table.errors];
  const rows: DeltaRule[] = [];
  const seen = new Map<string, number>();
  for (const { line, values } of table.rows) {
    const parsed = deltaRow.safeParse(values);
    if (!parsed.success) {
      errors.push(...issuesToErrors(parsed.error, fileName, line));
      continue;
    }
    const r = parsed.data;
    const earlier = seen.get(r.test_code);
    if (earlier !== undefined) {
      errors.push({
        file: fileName,
        line,
        column: 'test_code',
        message: `a second delta rule for ${r.test_code}: line ${earlier} has one`,
      });
      continue;
    }
    seen.set(r.test_code, line);
    rows.push({
      testCode: r.test_code,
      mode: r.mode,
      threshold: r.threshold as number,
      windowDays: r.window_days as number,
      source: r.source ?? '',
      licence: r.licence ?? '',
      line,
    });
  }
  return { rows, errors: sortErrors(errors) };
}

// ---------------------------------------------------------------------------------------------------------
// Cross-file checks.

// Adult ages at which every numeric test must have a range for each sex: 18, 40 and 90 years.
const ADULT_PROBE_DAYS = [ADULT_FROM_DAYS, 40 * 365, 90 * 365];

const covers = (r: ReferenceRange, ageDays: number) =>
  (r.ageFromDays === null || ageDays >= r.ageFromDays) && (r.ageToDays === null || ageDays < r.ageToDays);

/**
 * Checks that the files agree: every range, panel member and delta rule names a known test; ranges and
 * delta rules only for numeric tests; the age bands of one test and sex do not overlap; every numeric test
 * has a range for adult men and adult women (a sex-specific or an `any` row).
 */
export function checkLabCatalog(
  catalog: LabCatalog,
  files: Partial<CatalogFileNames> = {},
): CatalogFileError[] {
  const f = { ...DEFAULT_FILES, ...files };
  const errors: CatalogFileError[] = [];
  const tests = new Map(catalog.tests.map((t) => [t.code, t]));

  const byTestSex = new Map<string, ReferenceRange[]>();
  for (const r of catalog.ranges) {
    const test = tests.get(r.testCode);
    if (!test) {
      errors.push({
        file: f.ranges,
        line: r.line,
        column: 'test_code',
        message: `unknown test code ${r.testCode}`,
      });
      continue;
    }
    if (test.resultType !== 'numeric') {
      errors.push({
        file: f.ranges,
        line: r.line,
        column: 'test_code',
        message: `${r.testCode} is a ${test.resultType} test: only numeric tests have reference ranges`,
      });
      continue;
    }
    const key = `${r.testCode}\u0000${r.sex}`;
    const earlier = byTestSex.get(key) ?? [];
    const overlapping = earlier.find(
      (e) =>
        (e.ageToDays ?? Infinity) > (r.ageFromDays ?? 0) && (r.ageToDays ?? Infinity) > (e.ageFromDays ?? 0),
    );
    if (overlapping) {
      errors.push({
        file: f.ranges,
        line: r.line,
        column: 'age_from_days',
        message: `the ${r.sex} age band ${band(r)} of ${r.testCode} overlaps line ${overlapping.line} (${band(overlapping)})`,
      });
      continue;
    }
    byTestSex.set(key, [...earlier, r]);
  }

  for (const t of catalog.tests) {
    if (t.resultType !== 'numeric') continue;
    const own = catalog.ranges.filter((r) => r.testCode === t.code);
    for (const sex of ['male', 'female'] as const) {
      const missing = ADULT_PROBE_DAYS.find(
        (age) => !own.some((r) => (r.sex === sex || r.sex === 'any') && covers(r, age)),
      );
      if (missing !== undefined) {
        errors.push({
          file: f.tests,
          line: t.line,
          column: 'code',
          message: `numeric test ${t.code} has no reference range for a ${sex} adult aged ${Math.floor(missing / 365)} years`,
        });
      }
    }
  }

  for (const p of catalog.panels) {
    for (const m of p.members) {
      if (!tests.has(m)) {
        errors.push({
          file: f.panels,
          line: p.line,
          column: 'members',
          message: `panel ${p.code}: unknown test code ${m}`,
        });
      }
    }
    if (tests.has(p.code)) {
      errors.push({
        file: f.panels,
        line: p.line,
        column: 'code',
        message: `panel code ${p.code} is also a test code`,
      });
    }
  }

  for (const d of catalog.deltaRules) {
    const test = tests.get(d.testCode);
    if (!test) {
      errors.push({
        file: f.deltaRules,
        line: d.line,
        column: 'test_code',
        message: `unknown test code ${d.testCode}`,
      });
    } else if (test.resultType !== 'numeric') {
      errors.push({
        file: f.deltaRules,
        line: d.line,
        column: 'test_code',
        message: `${d.testCode} is a ${test.resultType} test: delta checks need numeric results`,
      });
    }
  }
  return sortErrors(errors);
}

function band(r: ReferenceRange): string {
  return `[${r.ageFromDays ?? 0}, ${r.ageToDays ?? '∞'}) days`;
}

/**
 * The whole catalog from the texts of its four files: each file parsed, then `checkLabCatalog`. Import only
 * when `errors` is empty.
 */
export function parseLabCatalog(
  texts: { tests: string; ranges: string; panels: string; deltaRules: string },
  files: Partial<CatalogFileNames> = {},
): { catalog: LabCatalog; errors: CatalogFileError[] } {
  const f = { ...DEFAULT_FILES, ...files };
  const tests = parseTestsCsv(texts.tests, f.tests);
  const ranges = parseReferenceRangesCsv(texts.ranges, f.ranges);
  const panels = parsePanelsCsv(texts.panels, f.panels);
  const deltaRules = parseDeltaRulesCsv(texts.deltaRules, f.deltaRules);
  const catalog: LabCatalog = {
    tests: tests.rows,
    ranges: ranges.rows,
    panels: panels.rows,
    deltaRules: deltaRules.rows,
  };
  return {
    catalog,
    errors: [
      ...tests.errors,
      ...ranges.errors,
      ...panels.errors,
      ...deltaRules.errors,
      ...checkLabCatalog(catalog, f),
    ],
  };
}

// ---------------------------------------------------------------------------------------------------------
// CSV reading. The pharmacy's reader (pharmacy/reference/csv-records.ts) is not part of the pharmacy
// module's public face, so importing it would cross a module boundary (.dependency-cruiser.cjs), and it
// throws at the first malformed record; this one reports each malformed record and reads on.

function sortErrors(errors: CatalogFileError[]): CatalogFileError[] {
  return errors.sort((a, b) => (a.file === b.file ? a.line - b.line : a.file.localeCompare(b.file)));
}

function issuesToErrors(error: z.ZodError, file: string, line: number): CatalogFileError[] {
  return error.issues.map((issue) => ({
    file,
    line,
    column: issue.path.length > 0 ? String(issue.path[0]) : null,
    message: issue.message,
  }));
}

type TableRow = { line: number; values: Record<string, string> };

/** Header-checked rows by column name (platform/csv readCsvColumns). */
function readTable(
  text: string,
  file: string,
  columns: readonly string[],
): { rows: TableRow[]; errors: CatalogFileError[] } {
  const { rows, problems } = readCsvColumns(text, file, columns, OPTIONAL);
  return { rows, errors: problems };
}
