import type { CultureResult, LabRequest, LabResult, LabSample } from '@newhms/contracts';
import { asc, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/database';
import { requests, resultRevisions, results, samples } from './laboratory.tables';
import { resultCatalogFacts } from './result-catalog-facts';

// Rows to the API's shapes, and the one reader that assembles requests with their samples, results and
// revisions (the callers audit the read).

export type RequestRow = typeof requests.$inferSelect;
export type SampleRow = typeof samples.$inferSelect;
export type ResultRow = typeof results.$inferSelect;
type RevisionRow = typeof resultRevisions.$inferSelect;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toSample(s: SampleRow): LabSample {
  return {
    id: s.id,
    requestId: s.requestId,
    accession: s.accession,
    specimen: s.specimen,
    container: s.container,
    status: s.status as LabSample['status'],
    testCodes: s.testCodes,
    collectedAt: iso(s.collectedAt),
    collectedByName: s.collectedByName,
    receivedAt: iso(s.receivedAt),
    receivedByName: s.receivedByName,
    rejectedAt: iso(s.rejectedAt),
    rejectionReason: s.rejectionReason as LabSample['rejectionReason'],
    rejectionNote: s.rejectionNote,
    recollectionOf: s.recollectionOf,
    recollectionSampleId: s.recollectionSampleId,
    version: s.version,
  };
}

/** The catalog's part of a result as shown: the test's decimals, the range a pending result will meet. */
type CatalogPart = Pick<LabResult, 'decimals'> & { pendingRange?: LabResult['referenceRange'] };

export function toResult(
  r: ResultRow,
  revisions: RevisionRow[] = [],
  catalog: CatalogPart = { decimals: null },
): LabResult {
  return {
    id: r.id,
    requestId: r.requestId,
    sampleId: r.sampleId,
    testCode: r.testCode,
    testName: r.testName,
    loincCode: r.loincCode,
    section: r.section as LabResult['section'],
    resultType: r.resultType as LabResult['resultType'],
    status: r.status as LabResult['status'],
    value: r.numericValue,
    text: r.textValue,
    culture: (r.culture as CultureResult | null) ?? null,
    unit: r.unit,
    decimals: r.resultType === 'numeric' ? catalog.decimals : null,
    flag: r.flag as LabResult['flag'],
    critical: r.critical,
    referenceRange:
      (r.referenceRange as LabResult['referenceRange']) ??
      (r.status === 'pending' ? (catalog.pendingRange ?? null) : null),
    delta:
      r.deltaFlagged !== null && r.deltaPreviousValue !== null && r.deltaPreviousAt && r.numericValue !== null
        ? {
            flagged: r.deltaFlagged,
            previousValue: r.deltaPreviousValue,
            previousAt: r.deltaPreviousAt.toISOString(),
            change: Number((r.numericValue - r.deltaPreviousValue).toPrecision(12)),
          }
        : null,
    comment: r.comment,
    source: r.source as LabResult['source'],
    enteredByName: r.enteredByName,
    enteredAt: iso(r.enteredAt),
    validatedByName: r.validatedByName,
    validatedAt: iso(r.validatedAt),
    revisions: revisions
      .filter((v) => v.resultId === r.id)
      .map((v) => ({
        revisionNo: v.revisionNo,
        previousValue: v.previousValue,
        previousText: v.previousText,
        previousCulture: (v.previousCulture as CultureResult | null) ?? null,
        previousFlag: v.previousFlag as LabResult['flag'],
        reason: v.reason,
        amendedByName: v.amendedByName,
        amendedAt: v.amendedAt.toISOString(),
      })),
    version: r.version,
  };
}

/** Requests with their samples (and the tests each holds), results and revisions, in the order of `ids`. */
export async function readRequestRecords(db: DbOrTx, ids: readonly string[]): Promise<LabRequest[]> {
  if (ids.length === 0) return [];
  const list = [...ids];
  const reqRows = await db.select().from(requests).where(inArray(requests.id, list));
  const sampleRows = await db
    .select()
    .from(samples)
    .where(inArray(samples.requestId, list))
    .orderBy(asc(samples.createdAt), asc(samples.id));
  const resultRows = await db
    .select()
    .from(results)
    .where(inArray(results.requestId, list))
    .orderBy(asc(results.position));
  const resultIds = resultRows.map((r) => r.id);
  const revisionRows =
    resultIds.length === 0
      ? []
      : await db
          .select()
          .from(resultRevisions)
          .where(inArray(resultRevisions.resultId, resultIds))
          .orderBy(asc(resultRevisions.revisionNo));
  const facts = await resultCatalogFacts(db, reqRows, sampleRows, resultRows);
  const byId = new Map(reqRows.map((r) => [r.id, r]));
  return list.flatMap((id) => {
    const r = byId.get(id);
    if (!r) return [];
    const own = resultRows.filter((x) => x.requestId === id);
    return [
      {
        id: r.id,
        facilityId: r.facilityId,
        patientId: r.patientId,
        encounterId: r.encounterId,
        orderId: r.orderId,
        code: r.code,
        display: r.display,
        kind: r.kind as LabRequest['kind'],
        priority: r.priority as LabRequest['priority'],
        setting: r.setting as LabRequest['setting'],
        status: r.status as LabRequest['status'],
        note: r.note,
        requestedByName: r.requestedByName,
        requestedAt: r.requestedAt.toISOString(),
        completedAt: iso(r.completedAt),
        cancelledAt: iso(r.cancelledAt),
        cancelReason: r.cancelReason,
        samples: sampleRows.filter((s) => s.requestId === id).map(toSample),
        results: own.map((x) =>
          toResult(x, revisionRows, {
            decimals: facts.decimals.get(x.testCode) ?? null,
            pendingRange: facts.pendingRanges.get(x.id) ?? null,
          }),
        ),
        version: r.version,
      },
    ];
  });
}
