import { radContrastRoutes, radContrastUses, radModalities } from '@newhms/contracts';
import { readCsvColumns } from '../../../platform/csv/csv';

// The radiology catalog files: procedures.csv and templates.csv, shipped beside this file, or a hospital's own
// in the same columns. Pure: callers read the files and write the rows. Every bad row is reported with its
// file, line and column; the good rows still come back.

export type Modality = (typeof radModalities)[number];
export type ContrastUse = (typeof radContrastUses)[number];
export type ContrastRoute = (typeof radContrastRoutes)[number];

export type ReportTemplate = {
  code: string;
  name: string;
  modality: Modality;
  technique: string;
  findings: string;
  impression: string;
  source: string;
  licence: string;
  line: number;
};

export type Procedure = {
  code: string;
  name: string;
  modality: Modality;
  bodyPart: string;
  lateralityRequired: boolean;
  contrast: ContrastUse;
  contrastRoute: ContrastRoute | null;
  durationMinutes: number;
  preparation: string | null;
  loincCode: string | null;
  radlexCode: string | null;
  templateCode: string;
  source: string;
  licence: string;
  line: number;
};

export type RadCatalog = { procedures: readonly Procedure[]; templates: readonly ReportTemplate[] };
export type RadCatalogError = { file: string; line: number; column: string | null; message: string };

const CODE = /^[A-Z0-9_-]{1,40}$/;
const TEMPLATE_COLUMNS = [
  'code',
  'name',
  'modality',
  'technique',
  'findings',
  'impression',
  'source',
  'licence',
];
const PROCEDURE_COLUMNS = [
  'code',
  'name',
  'modality',
  'body_part',
  'laterality',
  'contrast',
  'contrast_route',
  'duration_minutes',
  'preparation',
  'loinc_code',
  'radlex_code',
  'template',
  'source',
  'licence',
];
const OPTIONAL = new Set(['preparation', 'loinc_code', 'radlex_code', 'contrast_route', 'source', 'licence']);

/** `procedures.csv line 14, modality: ...` */
export function formatRadCatalogError(e: RadCatalogError): string {
  return `${e.file} line ${e.line}${e.column ? `, ${e.column}` : ''}: ${e.message}`;
}

/**
 * LOINC's mod 10 check digit (Luhn over the number part): a LOINC code is `^\d{1,7}-\d$` with that digit. A
 * wrong code in a catalog is worse than none, so a hospital's codes are checked as they come in.
 */
export function isValidLoincCode(code: string): boolean {
  const m = /^(\d{1,7})-(\d)$/.exec(code);
  if (!m) return false;
  const body = m[1]!;
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const digit = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      const doubled = digit * 2;
      sum += Math.floor(doubled / 10) + (doubled % 10);
    } else sum += digit;
  }
  return (10 - (sum % 10)) % 10 === Number(m[2]);
}

/** A RadLex term (RID) or RadLex Playbook procedure (RPID) identifier. */
export function isRadlexCode(code: string): boolean {
  return /^R(P)?ID\d{1,7}$/.test(code);
}

export function parseTemplatesCsv(
  text: string,
  file = 'templates.csv',
): { templates: ReportTemplate[]; errors: RadCatalogError[] } {
  const read = readCsvColumns(text, file, TEMPLATE_COLUMNS, new Set(['source', 'licence']));
  const errors: RadCatalogError[] = [...read.problems];
  const templates: ReportTemplate[] = [];
  const seen = new Set<string>();
  for (const { line, values: v } of read.rows) {
    const err = (column: string, message: string) => errors.push({ file, line, column, message });
    const before = errors.length;
    const code = v.code!.trim().toUpperCase();
    if (!CODE.test(code)) err('code', `"${v.code}" is not a code (A-Z, 0-9, _ and -, at most 40)`);
    else if (seen.has(code)) err('code', `${code} appears twice`);
    seen.add(code);
    const modality = v.modality!.trim().toUpperCase() as Modality;
    if (!radModalities.includes(modality))
      err('modality', `"${v.modality}" is not one of ${radModalities.join(', ')}`);
    for (const c of ['name', 'technique', 'findings', 'impression'] as const) {
      if (!v[c]!.trim()) err(c, `${c} is empty`);
    }
    if (errors.length > before) continue;
    templates.push({
      code,
      name: v.name!.trim(),
      modality,
      technique: v.technique!.trim(),
      findings: v.findings!.trim(),
      impression: v.impression!.trim(),
      source: v.source!.trim() || 'hospital file',
      licence: v.licence!.trim() || 'hospital data',
      line,
    });
  }
  return { templates, errors };
}

export function parseProceduresCsv(
  text: string,
  file = 'procedures.csv',
): { procedures: Procedure[]; errors: RadCatalogError[] } {
  const read = readCsvColumns(text, file, PROCEDURE_COLUMNS, OPTIONAL);
  const errors: RadCatalogError[] = [...read.problems];
  const procedures: Procedure[] = [];
  const seen = new Set<string>();
  for (const { line, values: v } of read.rows) {
    const err = (column: string, message: string) => errors.push({ file, line, column, message });
    const before = errors.length;
    const code = v.code!.trim().toUpperCase();
    if (!CODE.test(code)) err('code', `"${v.code}" is not a code (A-Z, 0-9, _ and -, at most 40)`);
    else if (seen.has(code)) err('code', `${code} appears twice`);
    seen.add(code);
    const name = v.name!.trim();
    if (!name) err('name', 'the name is empty');
    const modality = v.modality!.trim().toUpperCase() as Modality;
    if (!radModalities.includes(modality))
      err('modality', `"${v.modality}" is not one of ${radModalities.join(', ')}`);
    const bodyPart = v.body_part!.trim();
    if (!bodyPart) err('body_part', 'the body part is empty');
    const laterality = v.laterality!.trim().toLowerCase();
    if (laterality !== 'yes' && laterality !== 'no') err('laterality', `"${v.laterality}" is not yes or no`);
    const contrast = v.contrast!.trim().toLowerCase() as ContrastUse;
    if (!radContrastUses.includes(contrast)) {
      err('contrast', `"${v.contrast}" is not one of ${radContrastUses.join(', ')}`);
    }
    const routeText = v.contrast_route!.trim().toLowerCase();
    const route = routeText === '' ? null : (routeText as ContrastRoute);
    if (route !== null && !radContrastRoutes.includes(route)) {
      err('contrast_route', `"${v.contrast_route}" is not one of ${radContrastRoutes.join(', ')}`);
    } else if (contrast === 'none' && route !== null) {
      err('contrast_route', 'a procedure without contrast has no contrast route');
    } else if (contrast !== 'none' && radContrastUses.includes(contrast) && route === null) {
      err('contrast_route', 'say how the contrast is given (iv, oral or intracavitary)');
    }
    const duration = Number(v.duration_minutes!.trim());
    if (!/^\d+$/.test(v.duration_minutes!.trim()) || duration < 1 || duration > 480) {
      err('duration_minutes', `"${v.duration_minutes}" is not a whole number of minutes from 1 to 480`);
    }
    const loinc = v.loinc_code!.trim();
    if (loinc && !isValidLoincCode(loinc))
      err('loinc_code', `"${loinc}" is not a LOINC code (shape or check digit)`);
    const radlex = v.radlex_code!.trim().toUpperCase();
    if (radlex && !isRadlexCode(radlex)) err('radlex_code', `"${radlex}" is not a RadLex RID or RPID`);
    const template = v.template!.trim().toUpperCase();
    if (!CODE.test(template)) err('template', `"${v.template}" is not a template code`);
    if (errors.length > before) continue;
    procedures.push({
      code,
      name,
      modality,
      bodyPart,
      lateralityRequired: laterality === 'yes',
      contrast,
      contrastRoute: route,
      durationMinutes: duration,
      preparation: v.preparation!.trim() || null,
      loincCode: loinc || null,
      radlexCode: radlex || null,
      templateCode: template,
      source: v.source!.trim() || 'hospital file',
      licence: v.licence!.trim() || 'hospital data',
      line,
    });
  }
  return { procedures, errors };
}

/** Both files, checked together: every procedure names a template of the file. */
export function parseRadCatalog(files: { procedures: string; templates: string }): {
  catalog: RadCatalog;
  errors: RadCatalogError[];
} {
  const t = parseTemplatesCsv(files.templates);
  const p = parseProceduresCsv(files.procedures);
  const errors = [...t.errors, ...p.errors];
  const known = new Set(t.templates.map((x) => x.code));
  const procedures = p.procedures.filter((x) => {
    if (known.has(x.templateCode)) return true;
    errors.push({
      file: 'procedures.csv',
      line: x.line,
      column: 'template',
      message: `${x.templateCode} is not in templates.csv`,
    });
    return false;
  });
  return { catalog: { procedures, templates: t.templates }, errors };
}
