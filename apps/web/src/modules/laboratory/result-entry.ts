import type { CultureResult, EnterResultsBody, LabResult } from '@newhms/contracts';
import type { z } from 'zod';
import { formatNumber } from './result-flags';

// Pure: the technician's result form to the API's bodies. What is left blank is not sent (a panel is often
// entered in parts); what is half-filled is named at its field before anything is sent.

export type Interpretation = 'S' | 'I' | 'R';

export type AntibioticDraft = {
  key: string;
  antibiotic: string;
  interpretation: Interpretation | '';
  mic: string;
};

export type CultureDraft = {
  /** '' until the technician says which. */
  outcome: '' | 'growth' | 'no-growth';
  organism: string;
  /** Colony count or growth description. */
  growth: string;
  antibiotics: AntibioticDraft[];
};

export type EntryDraft = { value: string; text: string; comment: string; culture: CultureDraft };

/** What the form needs to know of a result to enter it. */
export type EntryTarget = Pick<LabResult, 'testCode' | 'testName' | 'resultType'>;

export type EntryResult = z.input<typeof EnterResultsBody>['results'][number];

/** Field errors keyed `<testCode>.<field>` (`value`, `text`, `organism`, `antibiotics.<n>.<field>`), `_form`. */
export type EntryErrors = Record<string, string>;

const emptyCulture = (): CultureDraft => ({ outcome: '', organism: '', growth: '', antibiotics: [] });
export const emptyDraft = (): EntryDraft => ({ value: '', text: '', comment: '', culture: emptyCulture() });

const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)$/;

/**
 * A typed number ("6.9", " 6.90 ", "-2", ".5") or null for blank; 'comparator' for "< 0.5" and the like (the
 * server takes no comparators yet), 'invalid' for anything else.
 */
export function parseResultNumber(input: string): number | null | 'comparator' | 'invalid' {
  const t = input.trim();
  if (t === '') return null;
  if (/^[<>≤≥]=?/.test(t)) return 'comparator';
  if (!NUMBER.test(t)) return 'invalid';
  const n = Number(t);
  return Number.isFinite(n) && Math.abs(n) <= 1e9 ? n : 'invalid';
}

let antibioticKey = 0;
export function newAntibioticRow(antibiotic = ''): AntibioticDraft {
  antibioticKey += 1;
  return { key: `ab${antibioticKey}`, antibiotic, interpretation: '', mic: '' };
}

const blank = (s: string) => s.trim() === '';

function cultureTouched(c: CultureDraft): boolean {
  return (
    c.outcome !== '' ||
    !blank(c.organism) ||
    !blank(c.growth) ||
    c.antibiotics.some((a) => !blank(a.antibiotic) || a.interpretation !== '' || !blank(a.mic))
  );
}

/** The culture the draft says, or the errors that stop it (keys relative to the test). */
function toCulture(c: CultureDraft): { culture: CultureResult } | { errors: EntryErrors } {
  const errors: EntryErrors = {};
  const rows = c.antibiotics.filter((a) => !blank(a.antibiotic) || a.interpretation !== '' || !blank(a.mic));
  if (c.outcome === '') errors.outcome = 'Say whether anything grew';
  if (c.outcome === 'growth' && blank(c.organism)) errors.organism = 'Name the organism';
  if (c.outcome === 'no-growth' && rows.length > 0) {
    errors.antibiotics = 'No growth has no susceptibilities: remove the antibiotic rows';
  }
  for (const row of rows) {
    const i = c.antibiotics.indexOf(row);
    if (blank(row.antibiotic)) errors[`antibiotics.${i}.antibiotic`] = 'Name the antibiotic';
    if (row.interpretation === '') errors[`antibiotics.${i}.interpretation`] = 'S, I or R';
  }
  if (Object.keys(errors).length > 0) return { errors };
  const growth = blank(c.growth) ? null : c.growth.trim();
  if (c.outcome === 'no-growth') return { culture: { organism: null, growth, antibiotics: [] } };
  return {
    culture: {
      organism: c.organism.trim(),
      growth,
      antibiotics: rows.map((a) => ({
        antibiotic: a.antibiotic.trim(),
        interpretation: a.interpretation as Interpretation,
        mic: blank(a.mic) ? null : a.mic.trim(),
      })),
    },
  };
}

type Value = { value?: number; text?: string; culture?: CultureResult };

/** One draft's value: nothing (blank), the value to send, or its field errors (keys relative to the test). */
export function draftValue(target: EntryTarget, draft: EntryDraft): null | Value | { errors: EntryErrors } {
  const comment = !blank(draft.comment);
  if (target.resultType === 'numeric') {
    const n = parseResultNumber(draft.value);
    if (n === null) return comment || !blank(draft.text) ? { errors: { value: 'Enter the number' } } : null;
    if (n === 'comparator') {
      return { errors: { value: 'A number only: write "< 0.5" and the like in the comment' } };
    }
    if (n === 'invalid') return { errors: { value: 'Enter a number, e.g. 6.9' } };
    return blank(draft.text) ? { value: n } : { value: n, text: draft.text.trim() };
  }
  if (target.resultType === 'culture') {
    if (!cultureTouched(draft.culture)) return comment ? { errors: { outcome: 'Enter the culture' } } : null;
    const c = toCulture(draft.culture);
    return 'errors' in c ? c : { culture: c.culture };
  }
  if (blank(draft.text)) return comment ? { errors: { text: 'Enter the result' } } : null;
  return { text: draft.text.trim() };
}

/**
 * The results to send for the filled drafts, in the order of the targets, or the errors keyed
 * `<testCode>.<field>` (and `_form` when nothing was filled).
 */
export function buildEntries(
  targets: readonly EntryTarget[],
  drafts: Readonly<Record<string, EntryDraft>>,
): { ok: true; results: EntryResult[] } | { ok: false; errors: EntryErrors } {
  const results: EntryResult[] = [];
  const errors: EntryErrors = {};
  for (const target of targets) {
    const draft = drafts[target.testCode];
    if (!draft) continue;
    const v = draftValue(target, draft);
    if (v === null) continue;
    if ('errors' in v) {
      for (const [k, message] of Object.entries(v.errors)) errors[`${target.testCode}.${k}`] = message;
      continue;
    }
    results.push({
      testCode: target.testCode,
      ...v,
      comment: blank(draft.comment) ? null : draft.comment.trim(),
    });
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  if (results.length === 0) return { ok: false, errors: { _form: 'Enter at least one result' } };
  return { ok: true, results };
}

/** A form draft holding a result's current value (to correct an entered result, or to amend a released one). */
export function draftFromResult(
  r: Pick<LabResult, 'value' | 'text' | 'culture' | 'comment'> & { decimals?: number | null },
): EntryDraft {
  const culture: CultureDraft = r.culture
    ? {
        outcome: r.culture.organism === null ? 'no-growth' : 'growth',
        organism: r.culture.organism ?? '',
        growth: r.culture.growth ?? '',
        antibiotics: r.culture.antibiotics.map((a) => ({
          ...newAntibioticRow(a.antibiotic),
          interpretation: a.interpretation,
          mic: a.mic ?? '',
        })),
      }
    : emptyCulture();
  return {
    value: r.value === null ? '' : formatNumber(r.value, r.decimals),
    text: r.text ?? '',
    comment: r.comment ?? '',
    culture,
  };
}

/** The server's 422 paths (`results.<n>.<field>`) as the form's keys, by the order the results were sent. */
export function entryErrorsFromPaths(
  sent: readonly EntryResult[],
  problems: readonly { path: string; message: string }[],
): EntryErrors {
  const errors: EntryErrors = {};
  for (const p of problems) {
    const m = /^(?:body[./])?results[./](\d+)(?:[./](.+))?$/.exec(p.path);
    const code = m ? sent[Number(m[1])]?.testCode : undefined;
    if (!code) continue;
    const field = (m?.[2] ?? '').replaceAll('/', '.');
    const key = `${code}.${field === '' || field === 'testCode' ? 'value' : field.replace(/^culture\./, '')}`;
    errors[key] = errors[key] ? `${errors[key]}; ${p.message}` : p.message;
  }
  return errors;
}
