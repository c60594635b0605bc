import type { Patient } from '@newhms/contracts';
import { and, type SQL, sql } from 'drizzle-orm';
import { recordAudit } from '../../../platform/audit/audit.service';
import type { Ctx } from '../../../platform/context';
import { rowsOf } from '../../../platform/db/raw-rows';
import {
  encodeCursor,
  fhirUrl,
  type HistoryVersion,
  historyBundle,
  pageSize,
  readCursor,
  searchsetBundle,
} from '../../../platform/fhir/bundles';
import { versionConflict } from '../../../platform/fhir/fhir-http';
import type { Bundle, OperationOutcomeIssue } from '../../../platform/fhir/fhir-resources';
import { FhirError, issueAt, operationOutcome } from '../../../platform/fhir/operation-outcome';
import { DomainError } from '../../../platform/http/errors';
import { registerPatient } from '../duplicates';
import { loadPatient } from '../patient-records';
import {
  type PatientsEnv,
  patientHistory,
  patientVersion,
  updatePatient,
  viewPatient,
} from '../patients.service';
import { mapFhirPatient, parseFhirPatient, registrationOf, updateOf } from './patient-input';
import { type FhirPatient, toFhirPatient, viewOfSnapshot } from './patient-resource';
import { parsePatientSearch } from './patient-search';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A FHIR id that cannot be one of ours names no resource here: 404, not 400. */
export function patientIdOf(raw: string): string {
  if (!UUID.test(raw)) {
    throw new FhirError(
      404,
      [
        {
          severity: 'error',
          code: 'not-found',
          details: { text: `Patient/${raw.slice(0, 64)} is not known here` },
        },
      ],
      'PATIENT_NOT_FOUND',
    );
  }
  return raw.toLowerCase();
}

/** read: the current version, audited as a view of the record (a merged record carries link replaced-by). */
export async function readPatientResource(ctx: Ctx, id: string): Promise<FhirPatient> {
  return toFhirPatient(await viewPatient(ctx, id));
}

/** vread: one stored version, audited as a view of that version. */
export async function readPatientVersion(ctx: Ctx, id: string, version: number): Promise<FhirPatient> {
  const row = await patientVersion(ctx.db, id, version);
  await recordAudit(ctx.db, ctx, {
    action: 'read',
    resourceType: 'Patient',
    resourceId: id,
    patientId: id,
    detail: { purpose: 'vread', version },
  });
  return toFhirPatient(viewOfSnapshot(row.snapshot, row.version, row.changedAt));
}

/** _history of one patient, newest first, paged by version. Audited like the REST change history. */
export async function patientHistoryBundle(
  ctx: Ctx,
  id: string,
  query: Record<string, unknown>,
  base: string,
): Promise<Bundle> {
  const single = (k: string) => (typeof query[k] === 'string' ? (query[k] as string) : undefined);
  const count = pageSize(single('_count'));
  const after = readCursor(single('_cursor'), 1, ([v]) => typeof v === 'number')?.[0];
  const rows = await patientHistory(ctx, id);
  const remaining = rows.filter((r) => after === undefined || r.version < Number(after));
  const pageRows = remaining.slice(0, count);
  const versions: HistoryVersion[] = pageRows.map((r) => ({
    resource: toFhirPatient(viewOfSnapshot(r.snapshot, r.version, r.changedAt)),
    version: r.version,
    at: r.changedAt,
  }));
  const path = `Patient/${id}/_history`;
  const last = pageRows[pageRows.length - 1];
  return historyBundle({
    base,
    self: fhirUrl(base, path, [
      ...(single('_count') ? [['_count', String(count)] as const] : []),
      ...(after !== undefined ? [['_cursor', single('_cursor')!] as const] : []),
    ]),
    next:
      remaining.length > count && last
        ? fhirUrl(base, path, [
            ['_count', String(count)],
            ['_cursor', encodeCursor([last.version])],
          ])
        : null,
    total: rows.length,
    versions,
    now: ctx.now,
  });
}

/** The ids of a search's page (one more than asked, to know whether a next page exists). */
async function searchIds(ctx: Ctx, conditions: SQL[], limit: number): Promise<string[]> {
  const where = conditions.length > 0 ? and(...conditions)! : sql`true`;
  const rows = await rowsOf<{ id: string }>(
    ctx.db,
    sql`select p.id from patients.patients p where ${where} order by p.id limit ${limit}`,
  );
  return rows.map((r) => String(r.id));
}

async function countMatches(ctx: Ctx, conditions: SQL[]): Promise<number> {
  const where = conditions.length > 0 ? and(...conditions)! : sql`true`;
  const [row] = await rowsOf<{ n: number }>(
    ctx.db,
    sql`select count(*)::int as n from patients.patients p where ${where}`,
  );
  return Number(row?.n ?? 0);
}

/**
 * Patient search. FHIR string search is "starts with, case- and accent-insensitive" on the name parts, so
 * it runs on the normalized name (trigram-indexed) rather than through the fuzzy search box (search.ts);
 * identifiers and phones are exact lookups. Ordered by id, paged by an opaque keyset cursor; the total is
 * given when it is known without counting (the whole result fits the first page) or when asked for
 * (_total=accurate). Audited like the REST search: what was searched (ids masked) and how many were found.
 */
export async function searchPatientResources(
  ctx: Ctx,
  env: PatientsEnv,
  query: Record<string, unknown>,
  options: { base: string; strict: boolean },
): Promise<Bundle> {
  const search = parsePatientSearch(query, env.cipher, options.strict);
  const count = pageSize(search.count);
  const cursor = readCursor(search.cursor, 1, ([v]) => typeof v === 'string' && UUID.test(v))?.[0];
  const conditions = [...search.conditions, ...(cursor !== undefined ? [sql`p.id > ${String(cursor)}`] : [])];
  const ids = count > 0 ? await searchIds(ctx, conditions, count + 1) : [];
  const pageIds = ids.slice(0, count);
  const patients = [];
  for (const id of pageIds) patients.push(toFhirPatient(await loadPatient(ctx.db, id, ctx.now)));
  let total: number | undefined;
  if (search.total === 'accurate' || count === 0) total = await countMatches(ctx, search.conditions);
  else if (cursor === undefined && ids.length <= count) total = ids.length;
  await recordAudit(ctx.db, ctx, {
    action: 'search',
    resourceType: 'Patient',
    detail: {
      via: 'fhir',
      query: search.described,
      results: pageIds.length,
      ...(cursor ? { page: 'next' } : {}),
    },
  });
  const keep: [string, string][] = [
    ...search.params,
    ...(search.total === 'accurate' ? [['_total', 'accurate'] as [string, string]] : []),
  ];
  const last = pageIds[pageIds.length - 1];
  const warnings: OperationOutcomeIssue[] = search.ignored.map((k) => ({
    severity: 'warning',
    code: 'not-supported',
    details: { text: `The parameter ${k.slice(0, 60)} is not supported and was ignored` },
  }));
  return searchsetBundle({
    base: options.base,
    self: fhirUrl(options.base, 'Patient', [
      ...keep,
      ...(search.count !== undefined ? [['_count', String(count)] as [string, string]] : []),
      ...(search.cursor !== undefined ? [['_cursor', search.cursor] as [string, string]] : []),
    ]),
    next:
      ids.length > count && last
        ? fhirUrl(options.base, 'Patient', [
            ...keep,
            ['_count', String(count)],
            ['_cursor', encodeCursor([last])],
          ])
        : null,
    ...(total !== undefined ? { total } : {}),
    resources: patients,
    ...(warnings.length > 0 ? { outcome: operationOutcome(warnings) } : {}),
    now: ctx.now,
  });
}

/** The query string of If-None-Exist as the search reads it (repeated names become lists). */
function queryOf(header: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(header.replace(/^\?/, '').replace(/^Patient\?/, ''))) {
    const prev = out[k];
    out[k] = prev === undefined ? v : [...(Array.isArray(prev) ? prev : [prev]), v];
  }
  return out;
}

/**
 * create: through the registration path, so the same duplicate check applies. A FHIR client cannot answer
 * "is this one of these records?" interactively, so likely duplicates answer 409 with an issue per
 * candidate (Patient/<id>, MRN, score, reasons) unless the request carries X-Duplicate-Override-Reason,
 * which is kept with the record and queues the pairs for review, as at the desk. Conditional create
 * (If-None-Exist: identifier=system|value) returns the one record that matches instead of creating one.
 */
export async function createPatientFromFhir(
  ctx: Ctx,
  env: PatientsEnv,
  body: unknown,
  options: { overrideReason?: string | undefined; ifNoneExist?: string | undefined },
): Promise<{ resource: FhirPatient; created: boolean }> {
  const mapped = mapFhirPatient(parseFhirPatient(body), 'strict');
  const input = registrationOf(mapped, ctx.now);
  if (options.ifNoneExist !== undefined) {
    const search = parsePatientSearch(queryOf(options.ifNoneExist), env.cipher, true);
    if (search.conditions.length === 0) {
      throw new FhirError(400, [
        issueAt(
          'If-None-Exist',
          'If-None-Exist needs search parameters, e.g. identifier=system|value',
          'invalid',
        ),
      ]);
    }
    const matches = await searchIds(ctx, search.conditions, 2);
    if (matches.length > 1) {
      throw new FhirError(
        412,
        [
          {
            severity: 'error',
            code: 'multiple-matches',
            details: { text: 'If-None-Exist matches more than one Patient' },
          },
        ],
        'PATIENT_MULTIPLE_MATCHES',
      );
    }
    if (matches.length === 1)
      return { resource: await readPatientResource(ctx, matches[0]!), created: false };
  }
  if (options.overrideReason !== undefined)
    input.duplicateOverride = { reason: options.overrideReason, candidateIds: [] };
  try {
    return { resource: toFhirPatient(await registerPatient(ctx, env, input)), created: true };
  } catch (err) {
    if (err instanceof DomainError && err.code === 'PATIENT_POSSIBLE_DUPLICATE') {
      const candidates = (err.extensions?.candidates ?? []) as {
        id: string;
        mrn: string;
        displayName: string;
        score: number;
        reasons: string[];
      }[];
      throw new FhirError(
        409,
        [
          {
            severity: 'error',
            code: 'duplicate',
            details: {
              text: `${candidates.length} existing record(s) may be this patient; use one of them, or send X-Duplicate-Override-Reason to register anyway`,
            },
          },
          ...candidates.map(
            (c): OperationOutcomeIssue => ({
              severity: 'information',
              code: 'duplicate',
              details: { text: `Patient/${c.id}` },
              diagnostics: `MRN ${c.mrn}, ${c.displayName}: score ${c.score} (${c.reasons.join(', ')})`,
            }),
          ),
        ],
        'PATIENT_POSSIBLE_DUPLICATE',
      );
    }
    throw err;
  }
}

/**
 * update: If-Match must name the current version (412 otherwise). Identifiers sent back with the masked
 * value we showed keep the stored identifier; see updateOf for what an update replaces.
 */
export async function updatePatientFromFhir(
  ctx: Ctx,
  env: PatientsEnv,
  id: string,
  body: unknown,
  ifMatch: number,
): Promise<Patient> {
  const resource = parseFhirPatient(body);
  if (resource.id !== id) {
    throw new FhirError(400, [
      issueAt('Patient.id', 'the id in the body must be the id in the URL', 'invalid'),
    ]);
  }
  const current = await loadPatient(ctx.db, id, ctx.now);
  if (current.version !== ifMatch) throw versionConflict(current.version);
  const input = updateOf(mapFhirPatient(resource, 'strict', current), current, ifMatch, ctx.now);
  try {
    return await updatePatient(ctx, env, id, input);
  } catch (err) {
    if (err instanceof DomainError && err.code === 'STALE_VERSION') throw versionConflict();
    throw err;
  }
}
