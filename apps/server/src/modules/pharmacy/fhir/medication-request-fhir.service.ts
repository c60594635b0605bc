import { and, asc, eq, inArray, isNotNull, type SQL, sql } from 'drizzle-orm';
import type { Ctx } from '../../../platform/context';
import { encodeCursor, fhirUrl, pageSize, readCursor, searchsetBundle } from '../../../platform/fhir/bundles';
import { auditFhirRead, auditFhirSearch } from '../../../platform/fhir/fhir-audit';
import type { Bundle, OperationOutcomeIssue } from '../../../platform/fhir/fhir-resources';
import { parseSearch } from '../../../platform/fhir/fhir-search';
import { FhirError, operationOutcome } from '../../../platform/fhir/operation-outcome';
import { requireFacility } from '../../../platform/organization/facility-context';
import { getFacility } from '../../../platform/organization/organization.service';
import { formularyItems } from '../pharmacy.tables';
import { toItem } from '../prescriptions.service';
import { prescriptionAlerts, prescriptionItems, prescriptions } from '../prescriptions.tables';
import {
  type FhirMedicationRequest,
  type MedicationRequestSource,
  parseMedicationRequestId,
  toFhirMedicationRequest,
} from './medication-request-resource';
import { medicationRequestSearchDefs } from './medication-request-search';

// MedicationRequest reads and searches over the prescription lines of the actor's facility, like the REST
// API's prescriptions. A line's id is `<prescription id>-<line number>`, so searches page on the keyset
// (prescription id, line number) rather than the platform's single-uuid cursor.

type SearchOptions = { base: string; strict: boolean };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NOT_FOUND = 'MEDICATION_REQUEST_NOT_FOUND';
/** As the line numbers an id can name (parseMedicationRequestId). */
const MAX_LINE_NO = 999;

const where = (conditions: SQL[]) =>
  sql.join(
    conditions.map((c) => sql`(${c})`),
    sql` and `,
  );

function notFound(id: string): FhirError {
  return new FhirError(
    404,
    [
      {
        severity: 'error',
        code: 'not-found',
        details: { text: `MedicationRequest/${id.slice(0, 64)} is not known here` },
      },
    ],
    NOT_FOUND,
  );
}

const patientOf = (r: FhirMedicationRequest) => r.subject.reference?.replace(/^Patient\//, '') ?? null;

/** Lines with their prescription and formulary item, in id order. */
function selectLines(ctx: Ctx, conditions: SQL[], limit: number) {
  return ctx.db
    .select({ prescription: prescriptions, item: prescriptionItems, product: formularyItems })
    .from(prescriptionItems)
    .innerJoin(prescriptions, eq(prescriptions.id, prescriptionItems.prescriptionId))
    .innerJoin(formularyItems, eq(formularyItems.id, prescriptionItems.formularyItemId))
    .where(where(conditions))
    .orderBy(asc(prescriptionItems.prescriptionId), asc(prescriptionItems.lineNo))
    .limit(limit);
}
type LineRow = Awaited<ReturnType<typeof selectLines>>[number];

async function countLines(ctx: Ctx, conditions: SQL[]): Promise<number> {
  const [r] = await ctx.db
    .select({ n: sql<number>`count(*)::int` })
    .from(prescriptionItems)
    .innerJoin(prescriptions, eq(prescriptions.id, prescriptionItems.prescriptionId))
    .innerJoin(formularyItems, eq(formularyItems.id, prescriptionItems.formularyItemId))
    .where(where(conditions));
  return Number(r?.n ?? 0);
}

/** The lines as MedicationRequests, with the overridden alerts of their prescriptions. */
async function toResources(ctx: Ctx, rows: readonly LineRow[]): Promise<FhirMedicationRequest[]> {
  if (rows.length === 0) return [];
  const ids = [...new Set(rows.map((r) => r.prescription.id))];
  const alerts = await ctx.db
    .select()
    .from(prescriptionAlerts)
    .where(and(inArray(prescriptionAlerts.prescriptionId, ids), isNotNull(prescriptionAlerts.overrideReason)))
    .orderBy(asc(prescriptionAlerts.alertKey));
  return rows.map((r) => {
    const source: MedicationRequestSource = {
      prescription: r.prescription,
      line: toItem(r.item, r.product),
      atcCode: r.product.atcCode,
      alerts: alerts.filter((a) => a.prescriptionId === r.prescription.id),
    };
    return toFhirMedicationRequest(source);
  });
}

/** read: a line of a prescription of the actor's facility, audited with its patient. */
export async function readMedicationRequestResource(ctx: Ctx, id: string): Promise<FhirMedicationRequest> {
  const ref = parseMedicationRequestId(id);
  if (!ref) throw notFound(id);
  const facilityId = requireFacility(ctx);
  const [row] = await selectLines(
    ctx,
    [
      sql`${prescriptionItems.prescriptionId} = ${ref.prescriptionId}`,
      sql`${prescriptionItems.lineNo} = ${ref.lineNo}`,
      sql`${prescriptions.facilityId} = ${facilityId}`,
    ],
    1,
  );
  if (!row) throw notFound(id);
  const [resource] = await toResources(ctx, [row]);
  await auditFhirRead(ctx, 'MedicationRequest', resource!.id, row.prescription.patientId);
  return resource!;
}

/**
 * search over the lines of the actor's facility: patient, subject, encounter, status, intent, authoredon,
 * category, code, _id. Ordered by id, paged with _count and an opaque keyset cursor in the next link.
 */
export async function searchMedicationRequestResources(
  ctx: Ctx,
  query: Record<string, unknown>,
  options: SearchOptions,
): Promise<Bundle> {
  const facilityId = requireFacility(ctx);
  const needsZone = Object.keys(query).some((k) => k.split(':')[0] === 'authoredon');
  const timeZone = needsZone ? (await getFacility(ctx.db, facilityId)).timeZone : 'UTC';
  const search = parseSearch(
    'MedicationRequest',
    query,
    medicationRequestSearchDefs({ timeZone, now: ctx.now }),
    options,
  );
  const count = pageSize(search.count);
  const after = readCursor(
    search.cursor,
    2,
    ([id, lineNo]) =>
      typeof id === 'string' &&
      UUID.test(id) &&
      Number.isInteger(lineNo) &&
      Number(lineNo) >= 1 &&
      Number(lineNo) <= MAX_LINE_NO,
  );
  const scope = [sql`${prescriptions.facilityId} = ${facilityId}`, ...search.conditions];
  const rows =
    count > 0
      ? await selectLines(
          ctx,
          after
            ? [
                ...scope,
                sql`(${prescriptionItems.prescriptionId}, ${prescriptionItems.lineNo}) > (${String(after[0])}::uuid, ${Number(after[1])}::int)`,
              ]
            : scope,
          count + 1,
        )
      : [];
  const page = rows.slice(0, count);
  const resources = await toResources(ctx, page);
  let total: number | undefined;
  if (search.total === 'accurate' || count === 0) total = await countLines(ctx, scope);
  else if (!after && rows.length <= count) total = rows.length;

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
    base: options.base,
    self: fhirUrl(options.base, 'MedicationRequest', [
      ...keep,
      ...(search.count !== undefined ? [['_count', String(count)] as [string, string]] : []),
      ...(search.cursor !== undefined ? [['_cursor', search.cursor] as [string, string]] : []),
    ]),
    next:
      rows.length > count && last
        ? fhirUrl(options.base, 'MedicationRequest', [
            ...keep,
            ['_count', String(count)],
            ['_cursor', encodeCursor([last.item.prescriptionId, last.item.lineNo])],
          ])
        : null,
    ...(total !== undefined ? { total } : {}),
    resources,
    ...(warnings.length > 0 ? { outcome: operationOutcome(warnings) } : {}),
    now: ctx.now,
  });
  await auditFhirSearch(ctx, 'MedicationRequest', search, resources, patientOf, {
    nextPage: after !== undefined,
  });
  return bundle;
}
