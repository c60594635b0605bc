import { and, asc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { Ctx } from '../../../platform/context';
import { auditFhirRead, auditFhirSearch } from '../../../platform/fhir/fhir-audit';
import type { Bundle } from '../../../platform/fhir/fhir-resources';
import { parseSearch, searchBundle } from '../../../platform/fhir/fhir-search';
import { FhirError } from '../../../platform/fhir/operation-outcome';
import type { ProviderSearchInput, ProviderSearchResult } from '../../../platform/fhir/resource-providers';
import { requireFacility } from '../../../platform/organization/facility-context';
import { getFacility } from '../../../platform/organization/organization.service';
import { orders, procedures, reportAddenda, reports, rooms } from '../radiology.tables';
import {
  type FhirDiagnosticReport,
  type FhirImagingStudy,
  toFhirDiagnosticReport,
  toFhirImagingStudy,
} from './radiology-resources';
import { diagnosticReportSearchDefs, imagingStudySearchDefs, type SearchContext } from './radiology-search';

// ImagingStudy (the module's own route) and the radiology share of DiagnosticReport (a provider: the platform
// serves the route), over the actor's facility. Only studies that have started are ImagingStudies; only signed
// reports (final or amended) are DiagnosticReports. Every read and search is audited with its patients.

export type SearchOptions = { base: string; strict: boolean };

const where = (conditions: SQL[]) =>
  conditions.length > 0
    ? sql.join(
        conditions.map((c) => sql`(${c})`),
        sql` and `,
      )
    : sql`true`;

const STARTED = sql`${orders.status} in ('in-progress', 'completed')`;
const SIGNED = sql`${reports.status} in ('final', 'amended')`;

const patientOfSubject = (r: { subject: { reference?: string } }) =>
  r.subject.reference?.replace(/^Patient\//, '') ?? null;

function notFound(type: string, id: string, code: string): FhirError {
  return new FhirError(
    404,
    [
      {
        severity: 'error',
        code: 'not-found',
        details: { text: `${type}/${id.slice(0, 64)} is not known here` },
      },
    ],
    code,
  );
}

async function searchContext(
  ctx: Ctx,
  facilityId: string,
  query: Record<string, unknown>,
  dateParams: string[],
) {
  const needsZone = Object.keys(query).some((k) => dateParams.includes(k.split(':')[0] ?? ''));
  const timeZone = needsZone ? (await getFacility(ctx.db, facilityId)).timeZone : 'UTC';
  return { timeZone, now: ctx.now } satisfies SearchContext;
}

// ------------------------------------------------------------------------------------------------------
// ImagingStudy
// ------------------------------------------------------------------------------------------------------

function selectStudies(ctx: Ctx, conditions: SQL[], limit: number) {
  return ctx.db
    .select({ order: orders, loincCode: procedures.loincCode, roomName: rooms.name })
    .from(orders)
    .innerJoin(procedures, eq(procedures.code, orders.procedureCode))
    .leftJoin(rooms, eq(rooms.id, orders.performedRoomId))
    .where(where(conditions))
    .orderBy(asc(orders.id))
    .limit(limit);
}

/** read: a study of the actor's facility that has started, audited with its patient. */
export async function readImagingStudyResource(ctx: Ctx, id: string): Promise<FhirImagingStudy> {
  const facilityId = requireFacility(ctx);
  const [row] = await selectStudies(
    ctx,
    [sql`${orders.id} = ${id}`, sql`${orders.facilityId} = ${facilityId}`, STARTED],
    1,
  );
  if (!row) throw notFound('ImagingStudy', id, 'IMAGING_STUDY_NOT_FOUND');
  await auditFhirRead(ctx, 'ImagingStudy', id, row.order.patientId);
  return toFhirImagingStudy(row);
}

/** search: patient, subject, started, status, modality, identifier (accession or UID), encounter, _id. */
export async function searchImagingStudyResources(
  ctx: Ctx,
  query: Record<string, unknown>,
  options: SearchOptions,
): Promise<Bundle> {
  const facilityId = requireFacility(ctx);
  const search = parseSearch(
    'ImagingStudy',
    query,
    imagingStudySearchDefs(await searchContext(ctx, facilityId, query, ['started'])),
    options,
  );
  const scope = [sql`${orders.facilityId} = ${facilityId}`, STARTED];
  const { bundle, resources, cursor } = await searchBundle({
    resourceType: 'ImagingStudy',
    search,
    base: options.base,
    now: ctx.now,
    idColumn: sql`${orders.id}`,
    rows: (conditions, limit) =>
      selectStudies(ctx, [...scope, ...conditions], limit).then((rows) =>
        rows.map((r) => ({ ...r, id: r.order.id })),
      ),
    countRows: async (conditions) => {
      const [r] = await ctx.db
        .select({ n: sql<number>`count(*)::int` })
        .from(orders)
        .where(where([...scope, ...conditions]));
      return Number(r?.n ?? 0);
    },
    resources: async (rows) => rows.map(toFhirImagingStudy),
  });
  await auditFhirSearch(ctx, 'ImagingStudy', search, resources, patientOfSubject, { nextPage: cursor });
  return bundle;
}

// ------------------------------------------------------------------------------------------------------
// DiagnosticReport: the radiology provider's read and search
// ------------------------------------------------------------------------------------------------------

function selectReports(ctx: Ctx, conditions: SQL[], limit: number) {
  return ctx.db
    .select({ report: reports, order: orders, loincCode: procedures.loincCode })
    .from(reports)
    .innerJoin(orders, eq(orders.id, reports.radiologyOrderId))
    .innerJoin(procedures, eq(procedures.code, orders.procedureCode))
    .where(where(conditions))
    .orderBy(asc(reports.id))
    .limit(limit);
}
type ReportJoin = Awaited<ReturnType<typeof selectReports>>[number];

async function toDiagnosticReports(ctx: Ctx, rows: readonly ReportJoin[]): Promise<FhirDiagnosticReport[]> {
  if (rows.length === 0) return [];
  const addenda = await ctx.db
    .select()
    .from(reportAddenda)
    .where(
      inArray(
        reportAddenda.reportId,
        rows.map((r) => r.report.id),
      ),
    )
    .orderBy(asc(reportAddenda.addedAt), asc(reportAddenda.id));
  return rows.map((r) =>
    toFhirDiagnosticReport({ ...r, addenda: addenda.filter((a) => a.reportId === r.report.id) }),
  );
}

/** The signed radiology report with this id in the actor's facility (audited), or null when it is not ours. */
export async function readRadiologyDiagnosticReport(
  ctx: Ctx,
  id: string,
): Promise<FhirDiagnosticReport | null> {
  if (!ctx.facilityId) return null;
  const [row] = await selectReports(
    ctx,
    [sql`${reports.id} = ${id}`, sql`${reports.facilityId} = ${ctx.facilityId}`, SIGNED],
    1,
  );
  if (!row) return null;
  const [resource] = await toDiagnosticReports(ctx, [row]);
  await auditFhirRead(ctx, 'DiagnosticReport', id, row.report.patientId);
  return resource!;
}

/**
 * The signed radiology reports of the actor's facility that match, ordered by id, after `afterId`, at most
 * `limit`; the total when asked. A malformed value is 400 (parseSearch); unknown parameters are the platform's
 * to judge (lenient here).
 */
export async function searchRadiologyDiagnosticReports(
  ctx: Ctx,
  input: ProviderSearchInput,
): Promise<ProviderSearchResult<FhirDiagnosticReport>> {
  if (!ctx.facilityId) return { resources: [], ...(input.countTotal ? { total: 0 } : {}) };
  const facilityId = ctx.facilityId;
  const search = parseSearch(
    'DiagnosticReport',
    input.query,
    diagnosticReportSearchDefs(await searchContext(ctx, facilityId, input.query, ['date'])),
    { strict: false },
  );
  const scope = [sql`${reports.facilityId} = ${facilityId}`, SIGNED, ...search.conditions];
  const page =
    input.limit > 0
      ? await selectReports(
          ctx,
          input.afterId ? [...scope, sql`${reports.id} > ${input.afterId}`] : scope,
          input.limit,
        )
      : [];
  const resources = await toDiagnosticReports(ctx, page);
  let total: number | undefined;
  if (input.countTotal) {
    const [r] = await ctx.db
      .select({ n: sql<number>`count(*)::int` })
      .from(reports)
      .innerJoin(orders, eq(orders.id, reports.radiologyOrderId))
      .innerJoin(procedures, eq(procedures.code, orders.procedureCode))
      .where(and(where(scope)));
    total = Number(r?.n ?? 0);
  }
  await auditFhirSearch(ctx, 'DiagnosticReport', search, resources, patientOfSubject, {
    nextPage: input.afterId !== undefined,
  });
  return { resources, ...(total !== undefined ? { total } : {}) };
}
