import { readCsv } from '../../../platform/csv/csv';
import { RuleViolation } from '../../../platform/http/errors';

/**
 * ICD-10 reference data: the curated ICD-10-CM CSV shipped with Newhms, the CDC's full ICD-10-CM order
 * file, and code shape rules. Pure: callers read the files and write the rows.
 *
 * ICD-10-CM (US, CDC/NCHS) is in the public domain. WHO ICD-10 may not be redistributed inside software
 * without a WHO licence, so WHO rows only ever come from a hospital's own licensed file, and every row
 * carries its code system.
 */
export const ICD10_CM_SYSTEM = 'http://hl7.org/fhir/sid/icd-10-cm';
export const ICD10_WHO_SYSTEM = 'http://hl7.org/fhir/sid/icd-10';
export const ICD10_SYSTEMS = [ICD10_CM_SYSTEM, ICD10_WHO_SYSTEM] as const;
export type Icd10System = (typeof ICD10_SYSTEMS)[number];

export type Icd10Entry = {
  /** With the dot after the third character: `E11.9`, `S52.501A`; a category has no dot: `E11`. */
  code: string;
  title: string;
  /** The three-character category, `E11` for `E11.9`. */
  category: string;
  /** Chapter number 1-22, null when unknown. */
  chapter: number | null;
  /** A leaf code that may be recorded as a diagnosis (ICD-10-CM "valid for submission"). */
  billable: boolean;
  system: Icd10System;
};

export const ICD10_CODE_PATTERN = /^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$/;

/** True when `code` has the stored shape: category, then optionally a dot and 1-4 characters. */
export function isIcdCode(code: string): boolean {
  return ICD10_CODE_PATTERN.test(code);
}

/**
 * Canonical form of a typed code or code prefix: upper case, spaces and WHO dagger/asterisk marks
 * dropped, the dot after the third character ("e119" -> "E11.9", "s52501a" -> "S52.501A", "e1" -> "E1").
 * Null when the input cannot begin an ICD-10 code. It does not say the code exists.
 */
export function normalizeIcdCode(input: string): string | null {
  const bare = input.replace(/[\s.†*]/g, '').toUpperCase();
  if (!/^[A-Z][0-9][0-9A-Z]{0,5}$/.test(bare)) return null;
  return bare.length > 3 ? `${bare.slice(0, 3)}.${bare.slice(3)}` : bare;
}

/**
 * The ICD-10-CM chapter (1-22) a code falls in, from its letter and, for D and H, its second character.
 * WHO ICD-10 uses the same ranges. Null for anything that is not a code.
 */
export function chapterOfIcdCode(code: string): number | null {
  if (!/^[A-Z][0-9]/.test(code)) return null;
  const letter = code[0] as string;
  const second = Number(code[1]);
  switch (letter) {
    case 'A':
    case 'B':
      return 1;
    case 'C':
      return 2;
    case 'D':
      // D00-D49 neoplasms (D3A included), D50-D89 blood and immune mechanism
      return second <= 4 ? 2 : 3;
    case 'H':
      // H00-H59 eye and adnexa, H60-H95 ear and mastoid process
      return second <= 5 ? 7 : 8;
    case 'S':
    case 'T':
      return 19;
    case 'V':
    case 'W':
    case 'X':
    case 'Y':
      return 20;
    case 'U':
      return 22;
    default:
      return LETTER_CHAPTERS[letter] ?? null;
  }
}

const LETTER_CHAPTERS: Readonly<Record<string, number>> = {
  E: 4,
  F: 5,
  G: 6,
  I: 9,
  J: 10,
  K: 11,
  L: 12,
  M: 13,
  N: 14,
  O: 15,
  P: 16,
  Q: 17,
  R: 18,
  Z: 21,
};

type FileProblem = { path: string; message: string };

const MAX_REPORTED_PROBLEMS = 20;

function failOn(problems: FileProblem[], what: string): void {
  if (problems.length === 0) return;
  throw new RuleViolation(
    'ICD10_FILE_INVALID',
    `The ${what} has ${problems.length} invalid line(s); the first is ${problems[0]?.path}: ${problems[0]?.message}`,
    problems.slice(0, MAX_REPORTED_PROBLEMS),
  );
}

/** RFC 4180 records with the line each starts on (platform/csv); the first broken record is the error. */
function readCsvRecords(text: string): { line: number; fields: string[] }[] {
  const { records, problems } = readCsv(text, 'the CSV');
  const first = problems[0];
  if (first)
    throw new RuleViolation('ICD10_FILE_INVALID', `The CSV has ${first.message} on line ${first.line}`);
  return records;
}

const CSV_COLUMNS = ['code', 'title', 'category', 'chapter', 'billable'] as const;

/**
 * Entries of a CSV with the header `code,title,category,chapter,billable` (RFC 4180), as shipped in
 * icd10cm-curated.csv. An optional `system` column lets a hospital load rows of its licensed WHO ICD-10
 * file in the same shape; rows without it get `defaultSystem` (ICD-10-CM). Throws ICD10_FILE_INVALID
 * listing the bad lines.
 */
export function parseCuratedCsv(text: string, defaultSystem: Icd10System = ICD10_CM_SYSTEM): Icd10Entry[] {
  const [header, ...rows] = readCsvRecords(text);
  if (!header) throw new RuleViolation('ICD10_FILE_INVALID', 'The CSV is empty');
  const names = header.fields.map((f) => f.trim().toLowerCase());
  const missing = CSV_COLUMNS.filter((c) => !names.includes(c));
  if (missing.length > 0) {
    throw new RuleViolation('ICD10_FILE_INVALID', `The CSV header lacks the column(s) ${missing.join(', ')}`);
  }
  const at = (fields: string[], column: string) => (fields[names.indexOf(column)] ?? '').trim();
  const hasSystem = names.includes('system');
  const entries: Icd10Entry[] = [];
  const seen = new Set<string>();
  const problems: FileProblem[] = [];
  for (const { line, fields } of rows) {
    const problem = (message: string) => problems.push({ path: `line ${line}`, message });
    if (fields.length !== names.length) {
      problem(`has ${fields.length} fields, the header has ${names.length}`);
      continue;
    }
    const code = normalizeIcdCode(at(fields, 'code'));
    if (!code || !isIcdCode(code)) {
      problem(`"${at(fields, 'code')}" is not an ICD-10 code`);
      continue;
    }
    if (seen.has(code)) {
      problem(`${code} appears twice`);
      continue;
    }
    seen.add(code);
    const title = at(fields, 'title');
    const category = at(fields, 'category') || code.slice(0, 3);
    const chapterText = at(fields, 'chapter');
    const chapter = chapterText === '' ? null : Number(chapterText);
    const billable = at(fields, 'billable').toLowerCase();
    const system = (hasSystem && at(fields, 'system')) || defaultSystem;
    if (!title) problem(`${code} has no title`);
    else if (category !== code.slice(0, 3)) problem(`${code} is filed under category ${category}`);
    else if (chapter !== null && !(Number.isInteger(chapter) && chapter >= 1 && chapter <= 22)) {
      problem(`${code} has chapter "${chapterText}", not 1-22`);
    } else if (billable !== 'true' && billable !== 'false') {
      problem(`${code} has billable "${billable}", not true or false`);
    } else if (!(ICD10_SYSTEMS as readonly string[]).includes(system)) {
      problem(`${code} has the unknown code system ${system}`);
    } else {
      entries.push({
        code,
        title,
        category,
        chapter,
        billable: billable === 'true',
        system: system as Icd10System,
      });
    }
  }
  failOn(problems, 'CSV');
  return entries;
}

/**
 * Entries of the CDC's ICD-10-CM order file (`icd10cm_order_YYYY.txt`), fixed width: order number
 * (5), space, code without dot (7, left-justified), space, 1 = valid for submission / 0 = header,
 * space, short description (60), space, long description. The long description becomes the title.
 */
export function parseCmOrderFile(text: string): Icd10Entry[] {
  const entries: Icd10Entry[] = [];
  const problems: FileProblem[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    if (raw.trim() === '') return;
    const problem = (message: string) => problems.push({ path: `line ${index + 1}`, message });
    const order = raw.slice(0, 5);
    const bare = raw.slice(6, 13).trim();
    const flag = raw[14];
    const title = (raw.slice(77).trim() || raw.slice(16, 76).trim()).replace(/\s+/g, ' ');
    if (!/^\d{5}$/.test(order) || raw[5] !== ' ' || raw[13] !== ' ') {
      problem('is not in the order-file layout (order number, code, flag, descriptions)');
      return;
    }
    const code = /^[A-Z0-9]{3,7}$/.test(bare) ? normalizeIcdCode(bare) : null;
    if (!code || !isIcdCode(code)) problem(`"${bare}" is not an ICD-10-CM code`);
    else if (flag !== '0' && flag !== '1') problem(`${code} has the flag "${flag ?? ''}", not 0 or 1`);
    else if (!title) problem(`${code} has no description`);
    else {
      entries.push({
        code,
        title,
        category: code.slice(0, 3),
        chapter: chapterOfIcdCode(code),
        billable: flag === '1',
        system: ICD10_CM_SYSTEM,
      });
    }
  });
  failOn(problems, 'order file');
  return entries;
}
