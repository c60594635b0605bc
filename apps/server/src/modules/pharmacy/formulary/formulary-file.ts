import { z } from 'zod';
import { readCsvColumns } from '../../../platform/csv/csv';

// The formulary files: the shipped formulary.csv and brands.csv, and a hospital's own list in the same
// columns. Pure: callers read the file and write the rows. Every bad row is reported with its line and
// column; good rows are still returned so an import can show the whole picture before it commits.

/** Drugs and Cosmetics Rules, 1945 schedules as dispensed; OTC = in no schedule. */
export const SCHEDULES = ['H', 'H1', 'X', 'G', 'OTC'] as const;
export type Schedule = (typeof SCHEDULES)[number];

export const ROUTES = [
  'oral',
  'sublingual',
  'buccal',
  'iv',
  'im',
  'sc',
  'intradermal',
  'intrathecal',
  'epidural',
  'intraperitoneal',
  'local',
  'topical',
  'transdermal',
  'inhalation',
  'nasal',
  'ophthalmic',
  'otic',
  'rectal',
  'vaginal',
] as const;
export type Route = (typeof ROUTES)[number];

export const DOSE_FORMS = [
  'tablet',
  'dispersible tablet',
  'chewable tablet',
  'modified-release tablet',
  'capsule',
  'syrup',
  'suspension',
  'oral solution',
  'oral drops',
  'powder for oral suspension',
  'powder for oral solution',
  'granules',
  'chewing gum',
  'injection',
  'powder for injection',
  'infusion',
  'inhaler',
  'nebuliser solution',
  'inhalation liquid',
  'medicinal gas',
  'cream',
  'ointment',
  'gel',
  'lotion',
  'topical solution',
  'shampoo',
  'mouthwash',
  'transdermal patch',
  'eye drops',
  'eye ointment',
  'ear drops',
  'nasal drops',
  'nasal spray',
  'suppository',
  'pessary',
  'enema',
  'dialysis solution',
] as const;
export type DoseForm = (typeof DOSE_FORMS)[number];

export const UNITS_OF_ISSUE = [
  'tablet',
  'capsule',
  'bottle',
  'vial',
  'ampoule',
  'tube',
  'jar',
  'sachet',
  'bag',
  'inhaler',
  'respule',
  'prefilled syringe',
  'pen',
  'cartridge',
  'patch',
  'suppository',
  'pessary',
  'piece',
  'cylinder',
  'kit',
] as const;
export type UnitOfIssue = (typeof UNITS_OF_ISSUE)[number];

/** GST slabs a medicine line can carry (percent). */
export const GST_RATES_PERCENT = [0, 5, 12, 18, 28, 40] as const;

// GST came into force on 2017-07-01; no rate row can start before it.
const GST_START = '2017-07-01';

export const FORMULARY_COLUMNS = [
  'code',
  'generic_name',
  'ingredients',
  'strength',
  'dose_form',
  'route',
  'unit_of_issue',
  'schedule',
  'narcotic',
  'hsn_code',
  'gst_rate_percent',
  'gst_valid_from',
  'high_alert',
  'lasa_group',
  'atc_code',
  'nlem_2022',
  'source',
  'licence',
] as const;
/** Columns a hospital's file may leave out; their values may be empty in any file. */
const FORMULARY_OPTIONAL = new Set(['lasa_group', 'atc_code', 'source', 'licence']);

export const BRAND_COLUMNS = [
  'brand_name',
  'formulary_code',
  'manufacturer',
  'pack_size',
  'pack_description',
  'source',
  'licence',
] as const;
const BRAND_OPTIONAL = new Set(['pack_description', 'source', 'licence']);

/** One dated GST rate of an item; `validTo` is exclusive (the next row's start), null when open. */
export type GstRate = { ratePercent: number; validFrom: string; validTo: string | null };

export type FormularyItem = {
  /** The hospital's stable item code (`F0001` in the shipped file). */
  code: string;
  genericName: string;
  /** Lowercase INN keys, one per active ingredient (`['amoxicillin', 'clavulanic acid']`). */
  ingredients: string[];
  strength: string;
  doseForm: DoseForm;
  /** Every route the product is given by (`iv/im` in the file). */
  routes: Route[];
  unitOfIssue: UnitOfIssue;
  schedule: Schedule;
  /** Controlled under the NDPS Act, 1985 (narcotic drug or psychotropic substance): register and storage. */
  narcotic: boolean;
  hsnCode: string;
  /** Dated rates, oldest first, from the rows of the same code. */
  gst: GstRate[];
  highAlert: boolean;
  /** Look-alike/sound-alike group key; the items sharing it are stored and labelled apart. */
  lasaGroup: string | null;
  atcCode: string | null;
  nlem2022: boolean;
  source: string | null;
  licence: string | null;
};

export type Brand = {
  brandName: string;
  formularyCode: string;
  manufacturer: string;
  /** Units of issue of the formulary item in one pack (10 tablets in a strip of 10). */
  packSize: number;
  packDescription: string | null;
  source: string | null;
  licence: string | null;
};

/** One problem in a file: the physical line the record starts on, the column (null for the whole row). */
export type FormularyFileError = { file: string; line: number; column: string | null; message: string };

export type FormularyParseResult = { items: FormularyItem[]; errors: FormularyFileError[] };
export type BrandsParseResult = { brands: Brand[]; errors: FormularyFileError[] };

/** "formulary.csv line 12, schedule: unknown schedule "Z" ..." for a log line or an import report. */
export function formatFormularyError(e: FormularyFileError): string {
  return `${e.file} line ${e.line}${e.column ? `, ${e.column}` : ''}: ${e.message}`;
}

/** The GST rate of an item on a date (YYYY-MM-DD), or null when no row covers it. */
export function gstRateOn(item: Pick<FormularyItem, 'gst'>, date: string): number | null {
  const row = item.gst.find((g) => g.validFrom <= date && (g.validTo === null || date < g.validTo));
  return row ? row.ratePercent : null;
}

// ---------------------------------------------------------------------------------------------------------
// Field rules (zod). Inputs are the raw CSV strings; each rule names the problem in the hospital's terms.

const oneOf = (values: readonly string[]) => values.join(', ');

/** The message for a bad value, or "<what> is empty" when there is no value at all. */
const unlessEmpty = (what: string, message: (value: string) => string) => (iss: { input?: unknown }) => {
  const value = String(iss.input ?? '').trim();
  return value === '' ? `${what} is empty` : message(value);
};

const text = (what: string, max = 200) =>
  z
    .string()
    .trim()
    .min(1, { error: `${what} is empty` })
    .max(max, { error: `${what} is longer than ${max} characters` });

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? null : v));

const TRUE_WORDS = ['true', 'yes', 'y', '1'];
const FALSE_WORDS = ['false', 'no', 'n', '0'];
const flag = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => TRUE_WORDS.includes(v) || FALSE_WORDS.includes(v), {
    error: unlessEmpty('the value (true or false)', (v) => `"${v}" is not true or false`),
  })
  .transform((v) => TRUE_WORDS.includes(v));

const member = <T extends string>(values: readonly T[], what: string, normalize: (v: string) => string) =>
  z
    .string()
    .transform((v) => normalize(v.trim()))
    .refine((v) => (values as readonly string[]).includes(v), {
      error: unlessEmpty(what, (v) => `unknown ${what} "${v}" (expected one of: ${oneOf(values)})`),
    })
    .transform((v) => v as T);

const lower = (v: string) => v.toLowerCase().replace(/\s+/g, ' ');

const CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,39}$/;
const code = (what: string) =>
  z
    .string()
    .trim()
    .refine((v) => CODE_PATTERN.test(v), {
      error: unlessEmpty(what, (v) => `"${v}" is not a ${what} (letters, digits, . _ / -; at most 40)`),
    });

const INGREDIENT_PATTERN = /^[a-z0-9][a-z0-9 ()',.-]*$/;
const ingredients = z.string().transform((raw, ctx) => {
  const value = raw.trim();
  if (value === '') {
    ctx.addIssue({ code: 'custom', message: 'ingredients is empty' });
    return z.NEVER;
  }
  const parts = value.split('+').map((p) => lower(p.trim()));
  if (parts.some((p) => p === '')) {
    ctx.addIssue({
      code: 'custom',
      message: `empty ingredient in "${value}" (join ingredients with a single +)`,
    });
    return z.NEVER;
  }
  const bad = parts.find((p) => !INGREDIENT_PATTERN.test(p));
  if (bad !== undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `ingredient "${bad}" has characters outside a-z, 0-9, space and ()',.-`,
    });
    return z.NEVER;
  }
  const twice = parts.find((p, i) => parts.indexOf(p) !== i);
  if (twice !== undefined) {
    ctx.addIssue({ code: 'custom', message: `ingredient "${twice}" is listed twice` });
    return z.NEVER;
  }
  return parts;
});

const routes = z.string().transform((raw, ctx) => {
  const value = raw.trim();
  if (value === '') {
    ctx.addIssue({ code: 'custom', message: 'route is empty' });
    return z.NEVER;
  }
  const parts = value.split('/').map((p) => p.trim().toLowerCase());
  const unknown = parts.filter((p) => !(ROUTES as readonly string[]).includes(p));
  if (unknown.length > 0) {
    ctx.addIssue({
      code: 'custom',
      message: `unknown route ${unknown.map((u) => `"${u}"`).join(', ')} (expected one or more of: ${oneOf(ROUTES)}, joined with /)`,
    });
    return z.NEVER;
  }
  return [...new Set(parts)] as Route[];
});

const gstRate = z
  .string()
  .trim()
  .transform((v) => v.replace(/%$/, '').trim())
  .refine((v) => /^\d+(\.\d+)?$/.test(v) && (GST_RATES_PERCENT as readonly number[]).includes(Number(v)), {
    error: unlessEmpty(
      'the GST rate',
      (v) => `bad GST rate "${v}" (expected a GST slab in percent: ${oneOf(GST_RATES_PERCENT.map(String))})`,
    ),
  })
  .transform(Number);

const isCalendarDate = (v: string): boolean => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
};
const gstDate = z
  .string()
  .trim()
  .superRefine((v, ctx) => {
    if (v === '') ctx.addIssue({ code: 'custom', message: 'the date is empty' });
    else if (!isCalendarDate(v))
      ctx.addIssue({ code: 'custom', message: `bad date "${v}" (expected YYYY-MM-DD)` });
    else if (v < GST_START)
      ctx.addIssue({ code: 'custom', message: `${v} is before GST began (${GST_START})` });
  });

const hsn = z
  .string()
  .trim()
  .refine((v) => /^\d{4}(\d{2}){0,2}$/.test(v), {
    error: unlessEmpty('the HSN code', (v) => `bad HSN code "${v}" (expected 4, 6 or 8 digits)`),
  });

const atc = z
  .string()
  .trim()
  .toUpperCase()
  .refine((v) => v === '' || /^[A-Z]\d{2}[A-Z]{2}\d{2}$/.test(v), {
    error: (iss) =>
      `bad ATC code "${String(iss.input).trim()}" (expected a full 7-character code such as C10AA01)`,
  })
  .transform((v) => (v === '' ? null : v));

const lasa = z
  .string()
  .trim()
  .toLowerCase()
  .refine((v) => v === '' || /^[a-z0-9]+(-[a-z0-9]+)*$/.test(v), {
    error: (iss) =>
      `bad LASA group "${String(iss.input).trim()}" (expected a key such as dopamine-dobutamine)`,
  })
  .transform((v) => (v === '' ? null : v));

const strengthText = text('strength', 100);

const formularyRow = z
  .object({
    code: code('code'),
    generic_name: text('generic_name'),
    ingredients,
    strength: strengthText,
    dose_form: member(DOSE_FORMS, 'dose form', lower),
    route: routes,
    unit_of_issue: member(UNITS_OF_ISSUE, 'unit of issue', lower),
    schedule: member(SCHEDULES, 'schedule', (v) => v.toUpperCase()),
    narcotic: flag,
    hsn_code: hsn,
    gst_rate_percent: gstRate,
    gst_valid_from: gstDate,
    high_alert: flag,
    lasa_group: lasa,
    atc_code: atc,
    nlem_2022: flag,
    source: optionalText,
    licence: optionalText,
  })
  .superRefine((row, ctx) => {
    if (!/^\d/.test(row.strength)) {
      ctx.addIssue({
        code: 'custom',
        path: ['strength'],
        message: `strength "${row.strength}" does not start with a quantity (500 mg, 125 mg/5 mL, 0.9% w/v)`,
      });
    }
    // A combination states one quantity per ingredient, in the same order: "500 mg + 125 mg".
    const parts = row.strength.split('+').length;
    if (parts > 1 && parts !== row.ingredients.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['strength'],
        message: `strength "${row.strength}" has ${parts} quantities for ${row.ingredients.length} ingredient(s)`,
      });
    }
    // NDPS Act drugs are prescription-only: never sold as schedule G or over the counter.
    if (row.narcotic && (row.schedule === 'G' || row.schedule === 'OTC')) {
      ctx.addIssue({
        code: 'custom',
        path: ['narcotic'],
        message: `an NDPS Act drug cannot be schedule ${row.schedule} (use H, H1 or X)`,
      });
    }
  });

const brandRow = z.object({
  brand_name: text('brand_name', 120),
  formulary_code: code('formulary code'),
  manufacturer: text('manufacturer'),
  pack_size: z
    .string()
    .trim()
    .refine((v) => /^[1-9]\d{0,5}$/.test(v), {
      error: unlessEmpty(
        'the pack size',
        (v) => `bad pack size "${v}" (expected a whole number of units of issue, 1 or more)`,
      ),
    })
    .transform(Number),
  pack_description: optionalText,
  source: optionalText,
  licence: optionalText,
});

// ---------------------------------------------------------------------------------------------------------
// Parsing.

/**
 * Items of a formulary CSV (the shipped formulary.csv or a hospital's list in the same columns; `source`,
 * `licence`, `lasa_group` and `atc_code` may be left out). Rows of one code that differ only in
 * `gst_rate_percent`/`gst_valid_from` are that item's dated GST rates. Tolerates a byte-order mark, CRLF,
 * quoted fields and extra columns; reports every bad row and returns the good ones.
 */
export function parseFormularyCsv(text: string, fileName = 'formulary.csv'): FormularyParseResult {
  const table = readTable(text, fileName, FORMULARY_COLUMNS, FORMULARY_OPTIONAL);
  const errors = [...table.errors];
  type Parsed = { line: number; row: z.output<typeof formularyRow> };
  const byCode = new Map<string, Parsed[]>();
  for (const { line, values } of table.rows) {
    const parsed = formularyRow.safeParse(values);
    if (!parsed.success) {
      errors.push(...issuesToErrors(parsed.error, fileName, line));
      continue;
    }
    const key = parsed.data.code.toUpperCase();
    const seen = byCode.get(key);
    if (!seen) {
      byCode.set(key, [{ line, row: parsed.data }]);
      continue;
    }
    const first = seen[0]!;
    const sameDate = seen.find((s) => s.row.gst_valid_from === parsed.data.gst_valid_from);
    const differs = ITEM_COLUMNS.find((c) => !sameValue(first.row[c], parsed.data[c]));
    if (sameDate) {
      errors.push({
        file: fileName,
        line,
        column: 'code',
        message: `duplicate code ${parsed.data.code}: line ${sameDate.line} has it with the same gst_valid_from ${parsed.data.gst_valid_from}`,
      });
    } else if (differs) {
      errors.push({
        file: fileName,
        line,
        column: differs,
        message: `code ${parsed.data.code} is on line ${first.line} with a different ${differs} (only gst_rate_percent and gst_valid_from may differ between rows of one code)`,
      });
    } else {
      seen.push({ line, row: parsed.data });
    }
  }
  const items = [...byCode.values()].map((rows) => toItem(rows.map((r) => r.row)));
  errors.sort((a, b) => a.line - b.line);
  return { items, errors };
}

/**
 * Brands of a brands CSV (`brand_name,formulary_code,manufacturer,pack_size`, optional `pack_description`,
 * `source`, `licence`). With `formularyCodes`, a brand of a code not in the formulary is an error.
 */
export function parseBrandsCsv(
  text: string,
  fileName = 'brands.csv',
  formularyCodes?: ReadonlySet<string>,
): BrandsParseResult {
  const table = readTable(text, fileName, BRAND_COLUMNS, BRAND_OPTIONAL);
  const errors = [...table.errors];
  const brands: Brand[] = [];
  const seen = new Map<string, number>();
  for (const { line, values } of table.rows) {
    const parsed = brandRow.safeParse(values);
    if (!parsed.success) {
      errors.push(...issuesToErrors(parsed.error, fileName, line));
      continue;
    }
    const b = parsed.data;
    if (formularyCodes && !formularyCodes.has(b.formulary_code)) {
      errors.push({
        file: fileName,
        line,
        column: 'formulary_code',
        message: `unknown formulary code ${b.formulary_code}: no item of the formulary has it`,
      });
      continue;
    }
    const key = `${b.brand_name.toLowerCase()}\u0000${b.formulary_code.toUpperCase()}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      errors.push({
        file: fileName,
        line,
        column: 'brand_name',
        message: `duplicate brand ${b.brand_name} of ${b.formulary_code}: it is on line ${earlier} already`,
      });
      continue;
    }
    seen.set(key, line);
    brands.push({
      brandName: b.brand_name,
      formularyCode: b.formulary_code,
      manufacturer: b.manufacturer,
      packSize: b.pack_size,
      packDescription: b.pack_description,
      source: b.source,
      licence: b.licence,
    });
  }
  errors.sort((a, b) => a.line - b.line);
  return { brands, errors };
}

type FormularyRow = z.output<typeof formularyRow>;

// Everything but the dated GST pair describes the item and must agree across its rows.
const ITEM_COLUMNS = FORMULARY_COLUMNS.filter(
  (c): c is Exclude<(typeof FORMULARY_COLUMNS)[number], 'gst_rate_percent' | 'gst_valid_from'> =>
    c !== 'gst_rate_percent' && c !== 'gst_valid_from',
);

function sameValue(a: unknown, b: unknown): boolean {
  return Array.isArray(a) && Array.isArray(b) ? a.join('\u0000') === b.join('\u0000') : a === b;
}

function toItem(rows: FormularyRow[]): FormularyItem {
  const r = rows[0]!;
  const dated = [...rows].sort((a, b) => a.gst_valid_from.localeCompare(b.gst_valid_from));
  return {
    code: r.code,
    genericName: r.generic_name,
    ingredients: r.ingredients,
    strength: r.strength,
    doseForm: r.dose_form,
    routes: r.route,
    unitOfIssue: r.unit_of_issue,
    schedule: r.schedule,
    narcotic: r.narcotic,
    hsnCode: r.hsn_code,
    gst: dated.map((d, i) => ({
      ratePercent: d.gst_rate_percent,
      validFrom: d.gst_valid_from,
      validTo: dated[i + 1]?.gst_valid_from ?? null,
    })),
    highAlert: r.high_alert,
    lasaGroup: r.lasa_group,
    atcCode: r.atc_code,
    nlem2022: r.nlem_2022,
    source: r.source,
    licence: r.licence,
  };
}

function issuesToErrors(error: z.ZodError, file: string, line: number): FormularyFileError[] {
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
  optional: ReadonlySet<string>,
): { rows: TableRow[]; errors: FormularyFileError[] } {
  const { rows, problems } = readCsvColumns(text, file, columns, optional);
  return { rows, errors: problems };
}
