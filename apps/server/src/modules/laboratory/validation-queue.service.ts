import type { LabPriority, LabValidationQueueItem, LabValidationQueueQuery } from '@newhms/contracts';
import { and, asc, eq, inArray, ne, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { recordAudits } from '../../platform/audit/audit.service';
import type { Ctx } from '../../platform/context';
import { requireFacility } from '../../platform/organization/facility-context';
import { getPatientSummaries } from '../patients';
import { toResult } from './lab-records';
import { requests, results, samples, tests } from './laboratory.tables';

// The pathologist's queue: every result entered (by hand or by an analyzer) and not yet validated in the
// facility, STAT first, then urgent, then the one waiting longest since entry, so the desk opens on the work
// rather than on a patient search. Reading it is a read of each listed patient's data (audited).

const PRIORITY_ORDER = sql`case ${requests.priority} when 'stat' then 0 when 'urgent' then 1 else 2 end`;

/** Entered results awaiting validation, by section and priority: STAT first, then the oldest entry. */
export async function validationQueue(
  ctx: Ctx,
  query: z.output<typeof LabValidationQueueQuery>,
): Promise<LabValidationQueueItem[]> {
  const facilityId = requireFacility(ctx);
  const rows = await ctx.db
    .select({ result: results, request: requests, accession: samples.accession })
    .from(results)
    .innerJoin(requests, eq(requests.id, results.requestId))
    .innerJoin(samples, eq(samples.id, results.sampleId))
    .where(
      and(
        eq(results.facilityId, facilityId),
        eq(results.status, 'entered'),
        ne(requests.status, 'cancelled'),
        query.section ? eq(results.section, query.section) : undefined,
        query.priority ? eq(requests.priority, query.priority) : undefined,
      ),
    )
    .orderBy(PRIORITY_ORDER, asc(results.enteredAt), asc(samples.accession), asc(results.position))
    .limit(query.limit);
  if (rows.length === 0) return [];
  const requestIds = [...new Set(rows.map((r) => r.request.id))];
  const codes = [...new Set(rows.map((r) => r.result.testCode))];
  const counts = new Map(
    (
      await ctx.db
        .select({ requestId: results.requestId, n: sql<number>`count(*)::int` })
        .from(results)
        .where(and(inArray(results.requestId, requestIds), eq(results.status, 'entered')))
        .groupBy(results.requestId)
    ).map((c) => [c.requestId, Number(c.n)]),
  );
  const decimals = new Map(
    (
      await ctx.db
        .select({ code: tests.code, decimals: tests.decimals })
        .from(tests)
        .where(inArray(tests.code, codes))
    ).map((t) => [t.code, t.decimals]),
  );
  const patientIds = [...new Set(rows.map((r) => r.request.patientId))];
  const patients = new Map((await getPatientSummaries(ctx.db, patientIds, ctx.now)).map((p) => [p.id, p]));
  await recordAudits(
    ctx.db,
    ctx,
    patientIds.map((patientId) => ({
      action: 'read',
      resourceType: 'LabResult',
      patientId,
      detail: {
        list: 'validation-queue',
        results: rows.filter((r) => r.request.patientId === patientId).map((r) => r.result.id),
      },
    })),
  );
  return rows.map(({ result, request, accession }) => {
    const patient = patients.get(request.patientId);
    return {
      result: toResult(result, [], { decimals: decimals.get(result.testCode) ?? null }),
      requestId: request.id,
      requestCode: request.code,
      requestDisplay: request.display,
      priority: request.priority as LabPriority,
      setting: request.setting as LabValidationQueueItem['setting'],
      patientId: request.patientId,
      patientName: patient?.displayName ?? '',
      mrn: patient?.mrn ?? '',
      accession,
      requestEnteredCount: counts.get(request.id) ?? 1,
    };
  });
}
