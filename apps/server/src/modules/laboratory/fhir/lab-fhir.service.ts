import { and, asc, eq, inArray, isNotNull, type SQL, sql } from 'drizzle-orm';
import { getUser } from '../../../platform/auth/users.service';
import type { Ctx } from '../../../platform/context';
import { auditFhirRead, auditFhirSearch } from '../../../platform/fhir/fhir-audit';
import type { Bundle } from '../../../platform/fhir/fhir-resources';
import { parseSearch, searchBundle } from '../../../platform/fhir/fhir-search';
import { FhirError } from '../../../platform/fhir/operation-outcome';
import {
  type ProviderSearchInput,
  type ProviderSearchResult,
  providerPage,
} from '../../../platform/fhir/resource-providers';
import { requireFacility } from '../../../platform/organization/facility-context';
import { getFacility } from '../../../platform/organization/organization.service';
import type { RequestRow } from '../lab-records';
import { requests, resultRevisions, results, samples } from '../laboratory.tables';
import {
  type FhirDiagnosticReport,
  type FhirLabObservation,
  type FhirServiceRequest,
  type FhirSpecimen,
  toFhirDiagnosticReport,
  toFhirLabObservation,
  toFhirServiceRequest,
  toFhirSpecimen,
} from './lab-resources';
import {
  diagnosticReportSearchDefs,
  HAS_RELEASED,
  type LabSearchContext,
  labObservationSearchDefs,
  requestLoinc,
  serviceRequestSearchDefs,
  specimenSearchDefs,
} from './lab-search';

// Reads and searches of the laboratory's FHIR resources, within the actor's facility like the REST API:
// ServiceRequest and Specimen (the laboratory's own routes), and its shares of Observation and
// DiagnosticReport (providers; without a facility chosen they have nothing). Every read and search is
// audited with the patient.

export type SearchOptions = { base: string; strict: boolean };

// Results and reports are the high-volume clinical rows: a search reads one patient's or one encounter's.
const NARROWING = ['patient', 'subject', 'encounter', '_id'];

const where = (conditions: SQL[]) =>
  conditions.length > 0
    ? sql.join(
        conditions.map((c) => sql`(${c})`),
        sql` and `,
      )
    : sql`true`;

const patientOf = (resource: { subject: { reference?: string } }) =>
  resource.subject.reference?.replace(/^Patient\//, '') ?? null;

function notFound(type: string, id: string, code: string): FhirError {
  return new FhirError(
    404,
    [{ severity: 'error', code: 'not-found', details: { text: `${type}/${id} is not known here` } }],
    code,
  );
}

/** The zone a date parameter without one is read in: the facility's. */
async function searchContext(
  ctx: Ctx,
  facilityId: string,
  query: Record<string, unknown>,
  dateParams: readonly string[],
): Promise<LabSearchContext> {
  const needsZone = Object.keys(query).some((k) => dateParams.includes(k.split(':')[0] ?? ''));
  const timeZone = needsZone ? (await getFacility(ctx.db, facilityId)).timeZone : 'UTC';
  return { timeZone, now: ctx.now };
}

async function countWhere(ctx: Ctx, table: typeof requests | typeof samples, conditions: SQL[]) {
  const [row] = await ctx.db.select({ n: sql<number>`count(*)::int` }).from(table).where(where(conditions));
  return Number(row?.n ?? 0);
}

// ------------------------------------------------------------------------------------------------------
// ServiceRequest
// ------------------------------------------------------------------------------------------------------

/** Who ordered each request: the name kept on a walk-in, the user behind an encounter's order. */
async function requesterNames(ctx: Ctx, rows: readonly RequestRow[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const ids = [
    ...new Set(rows.filter((r) => !r.requestedByName && r.requestedById).map((r) => r.requestedById!)),
  ];
  for (const id of ids) {
    const user = await getUser(ctx, id).catch(() => null);
    if (user) names.set(id, user.displayName);
  }
  return names;
}

async function serviceRequests(ctx: Ctx, rows: readonly RequestRow[]): Promise<FhirServiceRequest[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const loinc = await ctx.db
    .select({ id: requests.id, loinc: sql<string | null>`${requestLoinc}` })
    .from(requests)
    .where(inArray(requests.id, ids));
  const sampleRows = await ctx.db
    .select({ id: samples.id, requestId: samples.requestId })
    .from(samples)
    .where(and(inArray(samples.requestId, ids), isNotNull(samples.collectedAt)))
    .orderBy(asc(samples.createdAt), asc(samples.id));
  const names = await requesterNames(ctx, rows);
  return rows.map((r) =>
    toFhirServiceRequest({
      request: r,
      loinc: loinc.find((l) => l.id === r.id)?.loinc ?? null,
      requesterName: r.requestedByName ?? (r.requestedById ? (names.get(r.requestedById) ?? null) : null),
      sampleIds: sampleRows.filter((s) => s.requestId === r.id).map((s) => s.id),
    }),
  );
}

export async function readServiceRequestResource(ctx: Ctx, id: string): Promise<FhirServiceRequest> {
  const facilityId = requireFacility(ctx);
  const [row] = await ctx.db
    .select()
    .from(requests)
    .where(and(eq(requests.id, id), eq(requests.facilityId, facilityId)));
  if (!row) throw notFound('ServiceRequest', id, 'LAB_REQUEST_NOT_FOUND');
  const [resource] = await serviceRequests(ctx, [row]);
  await auditFhirRead(ctx, 'ServiceRequest', id, row.patientId);
  return resource!;
}

export async function searchServiceRequestResources(
  ctx: Ctx,
  query: Record<string, unknown>,
  options: SearchOptions,
): Promise<Bundle> {
  const facilityId = requireFacility(ctx);
  const search = parseSearch(
    'ServiceRequest',
    query,
    serviceRequestSearchDefs(await searchContext(ctx, facilityId, query, ['authored'])),
    options,
  );
  const scope = sql`${requests.facilityId} = ${facilityId}`;
  const { bundle, resources, cursor } = await searchBundle({
    resourceType: 'ServiceRequest',
    search,
    base: options.base,
    now: ctx.now,
    idColumn: sql`${requests.id}`,
    rows: (conditions, limit) =>
      ctx.db
        .select()
        .from(requests)
        .where(where([scope, ...conditions]))
        .orderBy(asc(requests.id))
        .limit(limit),
    countRows: (conditions) => countWhere(ctx, requests, [scope, ...conditions]),
    resources: (rows) => serviceRequests(ctx, rows),
  });
  await auditFhirSearch(ctx, 'ServiceRequest', search, resources, patientOf, { nextPage: cursor });
  return bundle;
}

// ------------------------------------------------------------------------------------------------------
// Specimen: samples that were collected (a tube awaiting collection is no specimen yet)
// ------------------------------------------------------------------------------------------------------

const COLLECTED = sql`${samples.collectedAt} is not null`;

export async function readSpecimenResource(ctx: Ctx, id: string): Promise<FhirSpecimen> {
  const facilityId = requireFacility(ctx);
  const [row] = await ctx.db
    .select()
    .from(samples)
    .where(and(eq(samples.id, id), eq(samples.facilityId, facilityId), isNotNull(samples.collectedAt)));
  if (!row) throw notFound('Specimen', id, 'LAB_SAMPLE_NOT_FOUND');
  await auditFhirRead(ctx, 'Specimen', id, row.patientId);
  return toFhirSpecimen(row);
}

export async function searchSpecimenResources(
  ctx: Ctx,
  query: Record<string, unknown>,
  options: SearchOptions,
): Promise<Bundle> {
  const facilityId = requireFacility(ctx);
  const search = parseSearch(
    'Specimen',
    query,
    specimenSearchDefs(await searchContext(ctx, facilityId, query, ['collected'])),
    options,
  );
  const scope = [sql`${samples.facilityId} = ${facilityId}`, COLLECTED];
  const { bundle, resources, cursor } = await searchBundle({
    resourceType: 'Specimen',
    search,
    base: options.base,
    now: ctx.now,
    idColumn: sql`${samples.id}`,
    rows: (conditions, limit) =>
      ctx.db
        .select()
        .from(samples)
        .where(where([...scope, ...conditions]))
        .orderBy(asc(samples.id))
        .limit(limit),
    countRows: (conditions) => countWhere(ctx, samples, [...scope, ...conditions]),
    resources: async (rows) => rows.map(toFhirSpecimen),
  });
  await auditFhirSearch(ctx, 'Specimen', search, resources, patientOf, { nextPage: cursor });
  return bundle;
}

// ------------------------------------------------------------------------------------------------------
// Observation (the laboratory's share): released results
// ------------------------------------------------------------------------------------------------------

type ResultRecord = {
  id: string;
  result: typeof results.$inferSelect;
  collectedAt: Date | null;
  encounterId: string | null;
};

function selectResults(ctx: Ctx, conditions: SQL[], limit: number): Promise<ResultRecord[]> {
  return ctx.db
    .select({
      id: results.id,
      result: results,
      collectedAt: samples.collectedAt,
      encounterId: requests.encounterId,
    })
    .from(results)
    .innerJoin(samples, eq(samples.id, results.sampleId))
    .innerJoin(requests, eq(requests.id, results.requestId))
    .where(where(conditions))
    .orderBy(asc(results.id))
    .limit(limit);
}

const releasedIn = (facilityId: string) => [
  sql`${results.facilityId} = ${facilityId}`,
  sql`${results.status} in ('validated', 'amended')`,
];

async function labObservations(ctx: Ctx, rows: readonly ResultRecord[]): Promise<FhirLabObservation[]> {
  const amended = rows.filter((r) => r.result.status === 'amended').map((r) => r.id);
  const revisions =
    amended.length === 0
      ? []
      : await ctx.db
          .select()
          .from(resultRevisions)
          .where(inArray(resultRevisions.resultId, amended))
          .orderBy(asc(resultRevisions.revisionNo));
  return rows.map((r) =>
    toFhirLabObservation({
      result: r.result,
      collectedAt: r.collectedAt,
      encounterId: r.encounterId,
      revisions: revisions.filter((v) => v.resultId === r.id),
    }),
  );
}

/** read: a released result of the actor's facility, or null (another module's id, or not released). */
export async function readLabObservation(ctx: Ctx, id: string): Promise<FhirLabObservation | null> {
  if (!ctx.facilityId) return null;
  const [row] = await selectResults(ctx, [...releasedIn(ctx.facilityId), sql`${results.id} = ${id}`], 1);
  if (!row) return null;
  const [resource] = await labObservations(ctx, [row]);
  await auditFhirRead(ctx, 'Observation', id, row.result.patientId);
  return resource!;
}

/** search: released results matching the query (a patient, subject, encounter or _id is needed). */
export async function searchLabObservations(
  ctx: Ctx,
  input: ProviderSearchInput,
): Promise<ProviderSearchResult<FhirLabObservation>> {
  const facilityId = ctx.facilityId;
  const defs = labObservationSearchDefs(
    facilityId
      ? await searchContext(ctx, facilityId, input.query, ['date'])
      : { timeZone: 'UTC', now: ctx.now },
  );
  const search = parseSearch('Observation', input.query, defs, { strict: false, requireOneOf: NARROWING });
  if (!facilityId) return { resources: [], ...(input.countTotal ? { total: 0 } : {}) };
  const scope = releasedIn(facilityId);
  const page = await providerPage({
    search,
    request: input,
    idColumn: sql`${results.id}`,
    rows: (conditions, limit) => selectResults(ctx, [...scope, ...conditions], limit),
    countRows: async (conditions) => {
      const [row] = await ctx.db
        .select({ n: sql<number>`count(*)::int` })
        .from(results)
        .innerJoin(samples, eq(samples.id, results.sampleId))
        .innerJoin(requests, eq(requests.id, results.requestId))
        .where(where([...scope, ...conditions]));
      return Number(row?.n ?? 0);
    },
    resources: (rows) => labObservations(ctx, rows),
  });
  await auditFhirSearch(ctx, 'Observation', search, page.resources, patientOf, {
    nextPage: input.afterId !== undefined,
  });
  return page;
}

// ------------------------------------------------------------------------------------------------------
// DiagnosticReport (the laboratory's share): requests with released results
// ------------------------------------------------------------------------------------------------------

async function diagnosticReports(ctx: Ctx, rows: readonly RequestRow[]): Promise<FhirDiagnosticReport[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const loinc = await ctx.db
    .select({ id: requests.id, loinc: sql<string | null>`${requestLoinc}` })
    .from(requests)
    .where(inArray(requests.id, ids));
  const resultRows = await ctx.db
    .select()
    .from(results)
    .where(inArray(results.requestId, ids))
    .orderBy(asc(results.position));
  const sampleRows = await ctx.db
    .select({ id: samples.id, collectedAt: samples.collectedAt })
    .from(samples)
    .where(inArray(samples.requestId, ids));
  const collectedAt = new Map(sampleRows.map((s) => [s.id, s.collectedAt]));
  return rows.map((r) =>
    toFhirDiagnosticReport({
      request: r,
      loinc: loinc.find((l) => l.id === r.id)?.loinc ?? null,
      results: resultRows.filter((x) => x.requestId === r.id),
      collectedAt,
    }),
  );
}

/** read: a request of the actor's facility with a released result, or null. */
export async function readLabDiagnosticReport(ctx: Ctx, id: string): Promise<FhirDiagnosticReport | null> {
  if (!ctx.facilityId) return null;
  const [row] = await ctx.db
    .select()
    .from(requests)
    .where(and(eq(requests.id, id), eq(requests.facilityId, ctx.facilityId), HAS_RELEASED));
  if (!row) return null;
  const [resource] = await diagnosticReports(ctx, [row]);
  await auditFhirRead(ctx, 'DiagnosticReport', id, row.patientId);
  return resource!;
}

/** search: reports (requests with released results) matching the query; a patient or encounter is needed. */
export async function searchLabDiagnosticReports(
  ctx: Ctx,
  input: ProviderSearchInput,
): Promise<ProviderSearchResult<FhirDiagnosticReport>> {
  const facilityId = ctx.facilityId;
  const defs = diagnosticReportSearchDefs(
    facilityId
      ? await searchContext(ctx, facilityId, input.query, ['date'])
      : { timeZone: 'UTC', now: ctx.now },
  );
  const search = parseSearch('DiagnosticReport', input.query, defs, {
    strict: false,
    requireOneOf: NARROWING,
  });
  if (!facilityId) return { resources: [], ...(input.countTotal ? { total: 0 } : {}) };
  const scope = [sql`${requests.facilityId} = ${facilityId}`, HAS_RELEASED];
  const page = await providerPage({
    search,
    request: input,
    idColumn: sql`${requests.id}`,
    rows: (conditions, limit) =>
      ctx.db
        .select()
        .from(requests)
        .where(where([...scope, ...conditions]))
        .orderBy(asc(requests.id))
        .limit(limit),
    countRows: (conditions) => countWhere(ctx, requests, [...scope, ...conditions]),
    resources: (rows) => diagnosticReports(ctx, rows),
  });
  await auditFhirSearch(ctx, 'DiagnosticReport', search, page.resources, patientOf, {
    nextPage: input.afterId !== undefined,
  });
  return page;
}
