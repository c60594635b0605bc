// The query mix of the patient-search bench: what a registration desk types into the one search box,
// built from patients that were loaded (so that most searches have someone to find).
import {
  createRandom,
  type Random,
  weightedPicker,
} from '../apps/server/src/modules/patients/synthetic/random';
import { otherSpellings, withTypo } from '../apps/server/src/modules/patients/synthetic/spelling';
import type { SampledPatient } from './patient-data';

/** The seed of the bench's generated patients and query mix (also used by patient-search-db.ts). */
export const PATIENT_SEARCH_SEED = 20_260_301;

export const queryKinds = [
  'name with one slip',
  'name spelt another way',
  'name as registered',
  'partial name',
  'name + birth year',
  'mobile number',
  'MRN',
  'Aadhaar or ABHA number',
] as const;
export type QueryKind = (typeof queryKinds)[number];

/** patientId: the loaded patient the query was made from (a search should find them). */
export type SearchQuery = { kind: QueryKind; q: string; birthYear?: number; patientId: string };

const mix = weightedPicker<QueryKind>([
  ['name with one slip', 20],
  ['name spelt another way', 5],
  ['name as registered', 10],
  ['partial name', 15],
  ['name + birth year', 15],
  ['mobile number', 15],
  ['MRN', 12],
  ['Aadhaar or ABHA number', 8],
]);

/** The kinds and their shares, for the report. */
export const queryMixDescription =
  'names with one typing slip 20%, names in another spelling (Laxmi/Lakshmi) 5%, names as registered 10%, ' +
  'partial names (first letters of the given name and the family name, either order) 15%, a name with the ' +
  'birth-year filter 15%, mobile numbers in desk formats (98450 12345, +91..., 0...) 15%, MRNs 12%, Aadhaar ' +
  'or ABHA numbers 8%';

/** Given and family name as a clerk types them: middle names and initials usually left out. */
function typedName(p: SampledPatient): string[] {
  const given = (p.name.given ?? '').replace(/^[A-Z]\.\s*/, '');
  const words = [given, p.name.family ?? ''].filter((w) => w && !w.endsWith('.'));
  return words.length > 0 ? words : [p.name.given ?? 'x'];
}

function slip(words: string[], random: Random): string[] {
  const at = random.int(0, words.length - 1);
  return words.map((w, i) => (i === at ? withTypo(w, random) : w));
}

function respell(words: string[], random: Random): string[] | null {
  const candidates = words.map((w, i) => [i, otherSpellings(w)] as const).filter(([, o]) => o.length > 0);
  if (candidates.length === 0) return null;
  const [at, others] = random.pick(candidates);
  return words.map((w, i) => (i === at ? random.pick(others) : w));
}

function phoneAsTyped(digits: string, random: Random): string {
  const style = random.int(0, 3);
  if (style === 0) return digits;
  if (style === 1) return `${digits.slice(0, 5)} ${digits.slice(5)}`;
  if (style === 2) return `+91 ${digits}`;
  return `0${digits}`;
}

export function buildQueryMix(sample: readonly SampledPatient[], count: number, seed: number): SearchQuery[] {
  const random = createRandom(seed);
  const out: SearchQuery[] = [];
  while (out.length < count) {
    const p = random.pick(sample);
    const query = queryFor(p, mix(random), random);
    if (query) out.push({ ...query, patientId: p.id });
  }
  return out;
}

/** What a clerk would type to find this patient, or null when the patient lacks it (no phone, no ids). */
function queryFor(p: SampledPatient, kind: QueryKind, random: Random): Omit<SearchQuery, 'patientId'> | null {
  const words = typedName(p);
  switch (kind) {
    case 'name with one slip':
      return { kind, q: slip(words, random).join(' ') };
    case 'name spelt another way': {
      const respelt = respell(words, random);
      return respelt ? { kind, q: respelt.join(' ') } : null;
    }
    case 'name as registered':
      return { kind, q: words.join(' ').toLowerCase() };
    case 'partial name': {
      const given = words[0]!;
      const prefix = given.slice(0, Math.min(given.length, random.int(3, 5)));
      if (words.length < 2) return { kind, q: prefix };
      return { kind, q: random.chance(0.7) ? `${prefix} ${words[1]}` : `${words[1]} ${prefix}` };
    }
    case 'name + birth year': {
      if (!p.birth || !('birthDate' in p.birth)) return null;
      const q = (random.chance(0.5) ? slip(words, random) : words).join(' ');
      return { kind, q, birthYear: Number(p.birth.birthDate.slice(0, 4)) };
    }
    case 'mobile number':
      return p.phones[0] ? { kind, q: phoneAsTyped(p.phones[0], random) } : null;
    case 'MRN':
      return { kind, q: random.chance(0.8) ? p.mrn : p.mrn.toLowerCase() };
    case 'Aadhaar or ABHA number':
      if (p.aadhaar) return { kind, q: p.aadhaar.replace(/(\d{4})(\d{4})(\d{4})/, '$1 $2 $3') };
      if (p.abhaNumber)
        return { kind, q: p.abhaNumber.replace(/(\d{2})(\d{4})(\d{4})(\d{4})/, '$1-$2-$3-$4') };
      return null;
  }
}

/** The request path of a query, as the web app sends it. */
export function searchPath(query: SearchQuery): string {
  const year = query.birthYear ? `&birthYear=${query.birthYear}` : '';
  return `/api/v1/patients/search?q=${encodeURIComponent(query.q)}${year}`;
}
