import { type SQL, sql } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import { encodeCursor, fhirUrl, pageSize, readCursor, searchsetBundle } from './bundles';
import type { Bundle, OperationOutcomeIssue, Resource } from './fhir-resources';
import { FhirError, issueAt, operationOutcome } from './operation-outcome';

// The parts of FHIR search (R4 §3.1.1) that every resource shares: parameters ANDed, comma-separated values
// ORed, date prefixes, tokens, references, _count with an opaque keyset _cursor, lenient handling of unknown
// parameters. Each module says what its parameters mean in SQL.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Parameters that shape the result rather than filter it. */
export const CONTROL_PARAMS: ReadonlySet<string> = new Set([
  '_count',
  '_cursor',
  '_total',
  '_format',
  '_pretty',
]);
const CONTROL = CONTROL_PARAMS;
const FALSE = sql`false`;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the characters this finds
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

/** "Prefer: handling=strict": the client wants a 400 for parameters the server does not know. */
export function strictHandling(request: FastifyRequest): boolean {
  const prefer = request.headers.prefer;
  return /\bhandling\s*=\s*strict\b/i.test((Array.isArray(prefer) ? prefer[0] : prefer) ?? '');
}

/** One search parameter: the modifiers it accepts and the SQL condition of one of its values. */
export type SearchParamDef = {
  modifiers?: readonly string[];
  match: (value: string, modifier: string | undefined) => SQL;
};

export type ParsedSearch = {
  conditions: SQL[];
  /** The filters as understood, in order: for the self and next links. */
  params: [string, string][];
  count: string | undefined;
  cursor: string | undefined;
  total: 'none' | 'accurate';
  /** Parameters this server does not know, left out of the search (lenient handling). */
  ignored: string[];
};

const or = (parts: SQL[]) => (parts.length === 1 ? parts[0]! : sql`(${sql.join(parts, sql` or `)})`);

/** Splits a parameter value on commas (OR), honouring "\," as a literal comma. */
function orValues(raw: string): string[] {
  return raw.split(/(?<!\\),/).map((v) => v.replace(/\\,/g, ','));
}

/**
 * Whether a token parameter of a query (e.g. category) can match one of `codes` of `system`: false only when
 * it is given without a modifier and none of its values names one of them (each repetition must). Lets a
 * provider of a shared resource type say that it has nothing to offer without reading data.
 */
export function tokenParamAllows(
  query: Record<string, unknown>,
  name: string,
  system: string,
  codes: readonly string[],
): boolean {
  for (const [key, raw] of Object.entries(query)) {
    if (key !== name) continue;
    for (const value of (Array.isArray(raw) ? raw : [raw]).map(String)) {
      // A malformed value is left to the providers' parsing (400), not read as "nothing here".
      if (value.trim() === '' || value.length > 500) continue;
      const alternatives = orValues(value).map((v) => parseToken(v.trim()));
      if (!alternatives.some((t) => tokenIn(t, system, codes).length > 0)) return false;
    }
  }
  return true;
}

/**
 * Reads a FHIR search query: each parameter is ANDed with the others (a repeated parameter too), the
 * comma-separated values of one are ORed (`:not` negates them all). A malformed value is 400; an unknown
 * parameter is ignored (and reported in the bundle) unless the client asked for "Prefer: handling=strict".
 * `requireOneOf` names parameters of which a search must use one (400 otherwise).
 */
export function parseSearch(
  resourceType: string,
  query: Record<string, unknown>,
  defs: Readonly<Record<string, SearchParamDef>>,
  options: { strict: boolean; requireOneOf?: readonly string[] },
): ParsedSearch {
  const { strict } = options;
  const conditions: SQL[] = [];
  const params: [string, string][] = [];
  const ignored: string[] = [];
  const control: Record<string, string> = {};
  const issues: OperationOutcomeIssue[] = [];
  for (const [key, raw] of Object.entries(query)) {
    const values = (Array.isArray(raw) ? raw : [raw]).map(String);
    if (CONTROL.has(key)) {
      if (values.length > 1) issues.push(issueAt(key, `${key} may be given once`, 'invalid'));
      control[key] = values[0]!;
      continue;
    }
    const [name = '', modifier, ...extra] = key.split(':');
    const def = defs[name];
    if (!def) {
      ignored.push(key);
      continue;
    }
    if (extra.length > 0 || (modifier !== undefined && !(def.modifiers ?? []).includes(modifier))) {
      issues.push(issueAt(key, `the modifier :${modifier} is not supported on ${name}`, 'not-supported'));
      continue;
    }
    for (const value of values) {
      if (value.trim() === '' || value.length > 500) {
        issues.push(issueAt(key, `${key} needs a value (at most 500 characters)`, 'invalid'));
        continue;
      }
      // No value of ours holds control characters, and PostgreSQL refuses NUL in text and jsonb (the audit).
      if (CONTROL_CHARS.test(value)) {
        issues.push(issueAt(key, `${key} may not contain control characters`, 'invalid'));
        continue;
      }
      const alternatives = orValues(value);
      if (alternatives.length > 20) {
        issues.push(issueAt(key, 'at most 20 values separated by commas', 'too-long'));
        continue;
      }
      params.push([key, value]);
      const parts = alternatives.map((v) => def.match(v.trim(), modifier));
      conditions.push(modifier === 'not' ? sql`not (${or(parts)})` : or(parts));
    }
  }
  if (strict && ignored.length > 0) {
    issues.push(
      ...ignored.map((k) =>
        issueAt(k, `${k} is not a search parameter of ${resourceType} here`, 'not-supported'),
      ),
    );
  }
  const total = control._total ?? 'none';
  if (!['none', 'estimate', 'accurate'].includes(total)) {
    issues.push(issueAt('_total', '_total is none, estimate or accurate', 'invalid'));
  }
  if (issues.length > 0) throw new FhirError(400, issues, 'FHIR_SEARCH_INVALID');
  const required = options.requireOneOf;
  if (required && !params.some(([k]) => required.includes(k.split(':')[0] ?? ''))) {
    throw new FhirError(
      400,
      [issueAt(resourceType, `A search of ${resourceType} needs one of ${required.join(', ')}`, 'required')],
      'FHIR_SEARCH_TOO_BROAD',
    );
  }
  return {
    conditions,
    params,
    count: control._count,
    cursor: control._cursor,
    total: total === 'accurate' ? 'accurate' : 'none',
    ignored,
  };
}

// ------------------------------------------------------------------------------------------------------
// Value types
// ------------------------------------------------------------------------------------------------------

/** A token: `system|code`, `|code` (no system), `code` (any system) or `system|` (any code of the system). */
export type Token = { system: string | null | undefined; code: string | undefined };

export function parseToken(value: string): Token {
  const bar = value.indexOf('|');
  if (bar < 0) return { system: undefined, code: value };
  const system = value.slice(0, bar);
  const code = value.slice(bar + 1);
  return { system: system === '' ? null : system, code: code === '' ? undefined : code };
}

/**
 * A token matched against codes we store with one implied system: true when the token names that system
 * (or none), and the code, when given, is one of ours.
 */
export function tokenIn(token: Token, system: string, codes: readonly string[]): string[] {
  if (token.system !== undefined && token.system !== system) return [];
  if (token.code === undefined) return [...codes];
  return codes.includes(token.code) ? [token.code] : [];
}

/** SQL `column in (...)`, or false for no values. */
export function inList(column: SQL, values: readonly string[]): SQL {
  if (values.length === 0) return FALSE;
  return sql`${column} in (${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )})`;
}

/**
 * The id a reference parameter names: `Type/<id>`, an absolute URL ending in `Type/<id>`, or a bare id.
 * Null when it names another type or an id that cannot be ours (the search then finds nothing).
 */
export function referencedId(value: string, type: string): string | null {
  const m = /^(?:.*\/)?([A-Z][A-Za-z]+)\/([^/]+)$/.exec(value);
  const [t, id] = m ? [m[1], m[2]!] : [type, value];
  if (t !== type || !UUID.test(id)) return null;
  return id.toLowerCase();
}

/** _id: one of our ids (uuid), else nothing matches. */
export function idParam(column: SQL): SearchParamDef {
  return { match: (v) => (UUID.test(v) ? sql`${column} = ${v.toLowerCase()}` : FALSE) };
}

/** A reference parameter to one resource type, matched on a uuid column. */
export function referenceParam(column: SQL, type: string): SearchParamDef {
  return {
    match: (v) => {
      const id = referencedId(v, type);
      return id ? sql`${column} = ${id}` : FALSE;
    },
  };
}

// ------------------------------------------------------------------------------------------------------
// Dates
// ------------------------------------------------------------------------------------------------------

const DATE_PREFIXES = ['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'sa', 'eb', 'ap'] as const;
type DatePrefix = (typeof DATE_PREFIXES)[number];

/** A date parameter: its prefix and the half-open range [start, end) its precision stands for. */
export type DateRange = { prefix: DatePrefix; start: Date; end: Date };

const DATE =
  /^(eq|ne|lt|le|gt|ge|sa|eb|ap)?(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+ -]\d{2}:\d{2})?)?)?)?$/;

const zoneFormatters = new Map<string, Intl.DateTimeFormat>();

/** How far a time zone's wall clock is ahead of UTC at an instant, in minutes. */
function zoneOffsetMinutes(instant: number, timeZone: string): number {
  let f = zoneFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    zoneFormatters.set(timeZone, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(instant)).map((x) => [x.type, Number(x.value)]));
  const wall = utc(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!);
  return Math.round((wall - Math.floor(instant / 60_000) * 60_000) / 60_000);
}

/** Date.UTC without its reading of years 0 to 99 as 1900 to 1999. */
function utc(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  const t = new Date(Date.UTC(2000, 0, 1, hour, minute, second));
  t.setUTCFullYear(year, month, day);
  return t.getTime();
}

/** The instant of a wall-clock time (as if UTC, in ms) in a time zone. */
function zonedInstant(wallAsUtc: number, timeZone: string): number {
  // Two passes settle the offset across a daylight-saving change.
  let t = wallAsUtc - zoneOffsetMinutes(wallAsUtc, timeZone) * 60_000;
  t = wallAsUtc - zoneOffsetMinutes(t, timeZone) * 60_000;
  return t;
}

function invalidDate(expression: string, value: string, why?: string): FhirError {
  return new FhirError(400, [
    issueAt(
      expression,
      why ??
        `"${value.slice(0, 40)}" is not a date parameter: [prefix]YYYY[-MM[-DD[Thh:mm[:ss][zone]]]], ` +
          'prefix eq, ne, lt, le, gt, ge, sa, eb or ap',
      'invalid',
    ),
  ]);
}

/**
 * Reads a date parameter. Its precision is a range (2024 is the whole year, 2024-05-01T10:00 a minute);
 * a value without a time zone is read in the facility's zone, as the spec asks of the server's local time.
 */
export function parseDateParam(value: string, timeZone: string, expression: string): DateRange {
  const m = DATE.exec(value);
  if (!m) throw invalidDate(expression, value);
  const [, prefix = 'eq', y, mo, d, hh, mi, ss, frac, zone] = m;
  const year = Number(y);
  const month = mo ? Number(mo) : 1;
  const day = d ? Number(d) : 1;
  const wall = utc(year, month - 1, day, Number(hh ?? 0), Number(mi ?? 0), Number(ss ?? 0));
  const check = new Date(wall);
  if (
    year === 0 ||
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day ||
    Number(hh ?? 0) > 23 ||
    Number(mi ?? 0) > 59 ||
    Number(ss ?? 0) > 59
  ) {
    throw invalidDate(expression, value, `${value.slice(0, 40)} is not a moment of the calendar`);
  }
  const fraction = frac ? Math.floor(Number(`0${frac}`) * 1000) : 0;
  let start: number;
  if (zone === undefined) {
    start = zonedInstant(wall, timeZone);
  } else if (zone === 'Z') {
    start = wall;
  } else {
    // A "+" that was not URL-encoded arrives as a space.
    const sign = zone.startsWith('-') ? -1 : 1;
    const [oh, om] = zone.slice(1).split(':').map(Number) as [number, number];
    start = wall - sign * (oh * 60 + om) * 60_000;
  }
  start += fraction;
  let end: number;
  if (frac) end = start + 1;
  else if (ss) end = start + 1000;
  else if (mi) end = start + 60_000;
  else {
    // Calendar units: the next day, month or year at midnight in the same zone.
    const next = d ? utc(year, month - 1, day + 1) : mo ? utc(year, month, 1) : utc(year + 1, 0, 1);
    end = zonedInstant(next, timeZone);
  }
  return { prefix: prefix as DatePrefix, start: new Date(start), end: new Date(end) };
}

// The instants a parameter is compared with stay within years 1 to 9999: beyond them (ap0001 widens the range
// by a tenth of two thousand years, gt9999-12-31 ends in the year 10000) a timestamp written as ISO text is
// no longer one PostgreSQL reads.
const FIRST_INSTANT = utc(1, 0, 1);
const LAST_INSTANT = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
const bounded = (ms: number) => new Date(Math.min(Math.max(ms, FIRST_INSTANT), LAST_INSTANT));

/**
 * The condition of a date parameter on a time span [from, to] of the resource (an instant has from = to;
 * a null `to` is a period still running). eq: the span lies within the parameter's range; ge/gt/le/lt:
 * some of the span lies at or after the range's start, after its end, before its end, before its start;
 * sa/eb: the whole span starts after or ends before the range; ap: the span meets the range widened by
 * a tenth of its distance from now.
 */
function dateCondition(from: SQL, to: SQL | null, range: DateRange, now: Date): SQL {
  const s = bounded(range.start.getTime());
  const e = bounded(range.end.getTime());
  const toAtOrAfter = (t: Date) => (to ? sql`(${to} is null or ${to} >= ${t})` : sql`${from} >= ${t}`);
  const within = to
    ? sql`(${from} >= ${s} and ${to} is not null and ${to} < ${e})`
    : sql`(${from} >= ${s} and ${from} < ${e})`;
  switch (range.prefix) {
    case 'eq':
      return within;
    case 'ne':
      return sql`not ${within}`;
    case 'lt':
      return sql`${from} < ${s}`;
    case 'le':
      return sql`${from} < ${e}`;
    case 'gt':
      return toAtOrAfter(e);
    case 'ge':
      return toAtOrAfter(s);
    case 'sa':
      return sql`${from} >= ${e}`;
    case 'eb':
      return to ? sql`(${to} is not null and ${to} < ${s})` : sql`${from} < ${s}`;
    default: {
      const gap = Math.abs(now.getTime() - s.getTime()) / 10;
      const lo = bounded(s.getTime() - gap);
      const hi = bounded(e.getTime() + gap);
      return sql`(${from} < ${hi} and ${toAtOrAfter(lo)})`;
    }
  }
}

/** A date parameter over a span (or an instant when `to` is null), read in the facility's time zone. */
export function dateParam(
  from: SQL,
  to: SQL | null,
  name: string,
  timeZone: string,
  now: Date,
): SearchParamDef {
  return { match: (v) => dateCondition(from, to, parseDateParam(v, timeZone, name), now) };
}

// ------------------------------------------------------------------------------------------------------
// Paging
// ------------------------------------------------------------------------------------------------------

/**
 * Runs a parsed search ordered by id and paged by an opaque keyset cursor: one row more than the page is
 * read to know whether a next page exists. The total is given when it is known without counting (the
 * whole result fits the first page) or when asked for (_total=accurate, or _count=0).
 */
export async function searchBundle<T extends { id: string }, R extends Resource & { id: string }>(input: {
  resourceType: string;
  search: ParsedSearch;
  base: string;
  now: Date;
  /** The id column the cursor compares with. */
  idColumn: SQL;
  rows: (conditions: SQL[], limit: number) => Promise<T[]>;
  countRows: (conditions: SQL[]) => Promise<number>;
  resources: (rows: T[]) => Promise<R[]>;
}): Promise<{ bundle: Bundle; resources: R[]; cursor: boolean }> {
  const { search } = input;
  const count = pageSize(search.count);
  const cursor = readCursor(search.cursor, 1, ([v]) => typeof v === 'string' && UUID.test(v))?.[0];
  const conditions = [
    ...search.conditions,
    ...(cursor !== undefined ? [sql`${input.idColumn} > ${String(cursor)}`] : []),
  ];
  const rows = count > 0 ? await input.rows(conditions, count + 1) : [];
  const page = rows.slice(0, count);
  const resources = await input.resources(page);
  let total: number | undefined;
  if (search.total === 'accurate' || count === 0) total = await input.countRows(search.conditions);
  else if (cursor === undefined && rows.length <= count) total = rows.length;
  const keep: [string, string][] = [
    ...search.params,
    ...(search.total === 'accurate' ? [['_total', 'accurate'] as [string, string]] : []),
  ];
  const last = page[page.length - 1];
  const warnings: OperationOutcomeIssue[] = search.ignored.map((k) => ({
    severity: 'warning',
    code: 'not-supported',
    details: { text: `The parameter ${k.slice(0, 60)} is not supported and was ignored` },
  }));
  const bundle = searchsetBundle({
    base: input.base,
    self: fhirUrl(input.base, input.resourceType, [
      ...keep,
      ...(search.count !== undefined ? [['_count', String(count)] as [string, string]] : []),
      ...(search.cursor !== undefined ? [['_cursor', search.cursor] as [string, string]] : []),
    ]),
    next:
      rows.length > count && last
        ? fhirUrl(input.base, input.resourceType, [
            ...keep,
            ['_count', String(count)],
            ['_cursor', encodeCursor([last.id])],
          ])
        : null,
    ...(total !== undefined ? { total } : {}),
    resources,
    ...(warnings.length > 0 ? { outcome: operationOutcome(warnings) } : {}),
    now: input.now,
  });
  return { bundle, resources, cursor: cursor !== undefined };
}

/** A FHIR id that cannot be one of ours names no resource here: 404, not 400. */
export function resourceIdOf(type: string, raw: string, code: string): string {
  if (!UUID.test(raw)) {
    throw new FhirError(
      404,
      [
        {
          severity: 'error',
          code: 'not-found',
          details: { text: `${type}/${raw.slice(0, 64)} is not known here` },
        },
      ],
      code,
    );
  }
  return raw.toLowerCase();
}
