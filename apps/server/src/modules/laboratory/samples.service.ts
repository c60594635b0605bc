import {
  type CollectionListQuery,
  type CollectSampleBody,
  LABORATORY_EVENTS,
  type LabCollectionItem,
  type LabRequest,
  type LabSampleCollectedPayload,
  type LabWorklistItem,
  type LabWorklistQuery,
  type RejectSampleBody,
} from '@newhms/contracts';
import { and, asc, eq, inArray, ne, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { recordAudit, recordAudits } from '../../platform/audit/audit.service';
import { actorId, type Ctx } from '../../platform/context';
import type { DbOrTx } from '../../platform/db/database';
import { newId } from '../../platform/db/ids';
import { appendEvent } from '../../platform/events/outbox';
import { Conflict, NotFound, RuleViolation } from '../../platform/http/errors';
import { requireFacility } from '../../platform/organization/facility-context';
import { listPlacedInpatients } from '../ipd';
import { getPatientSummaries } from '../patients';
import { readRequestRecords, type SampleRow, toSample } from './lab-records';
import { requests, results, samples, tests } from './laboratory.tables';
import { chargeWalkInOnCollection, type LaboratoryEnv, nextAccession } from './requests.service';

// The sample's way: collected at the bedside or the OPD collection room (who and when), received at the lab
// (the accession scanned), or rejected (haemolysed, clotted, insufficient, mislabelled) with a new sample
// asked for at once, which the collection list shows again. Lists put STAT first.

const PRIORITY_ORDER = sql`case ${requests.priority} when 'stat' then 0 when 'urgent' then 1 else 2 end`;
const FUTURE_SLACK_MS = 5 * 60_000;
const PAST_LIMIT_MS = 7 * 86_400_000;

async function lockSample(ctx: Ctx, tx: Ctx['db'], id: string): Promise<SampleRow> {
  const facilityId = requireFacility(ctx);
  const [row] = await tx.select().from(samples).where(eq(samples.id, id)).for('update');
  if (!row || row.facilityId !== facilityId) throw new NotFound('The sample', 'LAB_SAMPLE_NOT_FOUND');
  return row;
}

/** Samples awaiting collection, STAT first, then urgent, then the oldest request; by ward or setting. */
export async function collectionList(
  ctx: Ctx,
  query: z.output<typeof CollectionListQuery>,
): Promise<z.output<typeof LabCollectionItem>[]> {
  const facilityId = requireFacility(ctx);
  const placed = await listPlacedInpatients(ctx.db, facilityId, query.wardId);
  const beds = new Map(placed.map((p) => [p.admissionId, p.bed]));
  if (query.wardId && beds.size === 0) return [];
  const rows = await ctx.db
    .select({ sample: samples, request: requests })
    .from(samples)
    .innerJoin(requests, eq(requests.id, samples.requestId))
    .where(
      and(
        eq(samples.facilityId, facilityId),
        eq(samples.status, 'awaiting-collection'),
        ne(requests.status, 'cancelled'),
        query.setting ? eq(requests.setting, query.setting) : undefined,
        query.wardId ? inArray(requests.admissionId, [...beds.keys()]) : undefined,
      ),
    )
    .orderBy(PRIORITY_ORDER, asc(requests.requestedAt), asc(samples.accession))
    .limit(query.limit);
  const patients = new Map(
    (await getPatientSummaries(ctx.db, [...new Set(rows.map((r) => r.request.patientId))], ctx.now)).map(
      (p) => [p.id, p],
    ),
  );
  await auditList(ctx, 'LabSample', 'collection-list', [...patients.keys()]);
  return rows.map(({ sample, request }) => {
    const bed = request.admissionId ? beds.get(request.admissionId) : undefined;
    const patient = patients.get(request.patientId);
    return {
      sample: toSample(sample),
      requestId: request.id,
      requestCode: request.code,
      requestDisplay: request.display,
      priority: request.priority as LabRequest['priority'],
      setting: request.setting as LabRequest['setting'],
      patientId: request.patientId,
      patientName: patient?.displayName ?? '',
      mrn: patient?.mrn ?? '',
      wardName: bed?.wardName ?? null,
      bedCode: bed?.bedCode ?? null,
      requestedAt: request.requestedAt.toISOString(),
    };
  });
}

async function auditList(ctx: Ctx, resourceType: string, list: string, patientIds: string[]) {
  await recordAudits(
    ctx.db,
    ctx,
    patientIds.map((patientId) => ({ action: 'read', resourceType, patientId, detail: { list } })),
  );
}

/**
 * `laboratory.sample.collected` in the collection's transaction: the tube, the requests whose tests are on it
 * (with the encounter orders they fulfil) and its tests. Billing charges on collection from it; encounters
 * marks the orders collected.
 */
async function publishCollected(
  tx: DbOrTx,
  ctx: Ctx,
  env: LaboratoryEnv,
  sample: SampleRow,
  request: typeof requests.$inferSelect,
  collected: { at: Date; byName: string | null },
): Promise<void> {
  const onTube = await tx
    .select({ code: tests.code, name: tests.name, loincCode: tests.loincCode })
    .from(tests)
    .where(inArray(tests.code, sample.testCodes));
  const byCode = new Map(onTube.map((t) => [t.code, t]));
  await appendEvent<LabSampleCollectedPayload>(tx, env.events, {
    type: LABORATORY_EVENTS.sampleCollected,
    facilityId: sample.facilityId,
    aggregateId: sample.id,
    actorId: actorId(ctx.actor),
    payload: {
      sampleId: sample.id,
      accession: sample.accession,
      facilityId: sample.facilityId,
      patientId: sample.patientId,
      encounterId: request.encounterId,
      admissionId: request.admissionId,
      specimen: sample.specimen,
      container: sample.container,
      recollectionOf: sample.recollectionOf,
      requests: [
        {
          requestId: request.id,
          orderId: request.orderId,
          code: request.code,
          display: request.display,
          kind: request.kind as 'test' | 'panel',
        },
      ],
      tests: sample.testCodes.map((code) => ({
        code,
        name: byCode.get(code)?.name ?? code,
        loincCode: byCode.get(code)?.loincCode ?? null,
      })),
      collectedAt: collected.at.toISOString(),
      collectedById: actorId(ctx.actor),
      collectedByName: collected.byName,
    },
  });
}

/**
 * The sample was drawn: by whom and when (not in the future, not more than 7 days ago). Publishes
 * `laboratory.sample.collected`; a walk-in of a facility that charges on collection is charged now.
 */
export async function collectSample(
  ctx: Ctx,
  env: LaboratoryEnv,
  id: string,
  input: z.output<typeof CollectSampleBody>,
): Promise<LabRequest> {
  const collectedAt = input.collectedAt ? new Date(input.collectedAt) : ctx.now;
  if (collectedAt.getTime() > ctx.now.getTime() + FUTURE_SLACK_MS) {
    throw new RuleViolation('LAB_COLLECTION_IN_FUTURE', 'A sample cannot be collected in the future', [
      { path: 'collectedAt', message: 'is in the future' },
    ]);
  }
  if (collectedAt.getTime() < ctx.now.getTime() - PAST_LIMIT_MS) {
    throw new RuleViolation(
      'LAB_COLLECTION_TOO_OLD',
      'A collection more than 7 days ago cannot be recorded',
      [{ path: 'collectedAt', message: 'is more than 7 days ago' }],
    );
  }
  const requestId = await ctx.db.transaction(async (tx) => {
    const sample = await lockSample(ctx, tx, id);
    if (sample.status !== 'awaiting-collection') {
      throw new Conflict('LAB_SAMPLE_NOT_AWAITING_COLLECTION', `The sample is ${sample.status}`);
    }
    const collectedByName = input.collectorName ?? ctx.actor.name;
    await tx
      .update(samples)
      .set({
        status: 'collected',
        collectedAt,
        collectedById: actorId(ctx.actor),
        collectedByName,
        version: sample.version + 1,
        updatedAt: ctx.now,
      })
      .where(eq(samples.id, id));
    await recordAudit(tx, ctx, {
      action: 'update',
      resourceType: 'LabSample',
      resourceId: id,
      patientId: sample.patientId,
      detail: { status: 'collected', accession: sample.accession, collectedAt: collectedAt.toISOString() },
    });
    const [request] = await tx.select().from(requests).where(eq(requests.id, sample.requestId));
    await publishCollected(tx, ctx, env, sample, request!, { at: collectedAt, byName: collectedByName });
    await chargeWalkInOnCollection(tx, ctx, env, request!, sample.id, collectedAt);
    return sample.requestId;
  });
  const [request] = await readRequestRecords(ctx.db, [requestId]);
  return request!;
}

/** The lab receives a collected sample by its accession number (scanned from the label). */
export async function receiveSample(ctx: Ctx, accession: string): Promise<LabRequest> {
  const facilityId = requireFacility(ctx);
  const requestId = await ctx.db.transaction(async (tx) => {
    const [sample] = await tx
      .select()
      .from(samples)
      .where(and(eq(samples.facilityId, facilityId), eq(samples.accession, accession)))
      .for('update');
    if (!sample) throw new NotFound(`The sample ${accession}`, 'LAB_SAMPLE_NOT_FOUND');
    if (sample.status === 'awaiting-collection') {
      throw new Conflict('LAB_SAMPLE_NOT_COLLECTED', 'The sample has not been collected yet');
    }
    if (sample.status === 'received') {
      throw new Conflict('LAB_SAMPLE_ALREADY_RECEIVED', 'The sample has already been received');
    }
    if (sample.status !== 'collected') {
      throw new Conflict('LAB_SAMPLE_NOT_RECEIVABLE', `The sample is ${sample.status}`);
    }
    await tx
      .update(samples)
      .set({
        status: 'received',
        receivedAt: ctx.now,
        receivedById: actorId(ctx.actor),
        receivedByName: ctx.actor.name,
        version: sample.version + 1,
        updatedAt: ctx.now,
      })
      .where(eq(samples.id, sample.id));
    await tx
      .update(requests)
      .set({ status: 'in-progress', version: sql`${requests.version} + 1`, updatedAt: ctx.now })
      .where(and(eq(requests.id, sample.requestId), eq(requests.status, 'requested')));
    await recordAudit(tx, ctx, {
      action: 'update',
      resourceType: 'LabSample',
      resourceId: sample.id,
      patientId: sample.patientId,
      detail: { status: 'received', accession },
    });
    return sample.requestId;
  });
  const [request] = await readRequestRecords(ctx.db, [requestId]);
  return request!;
}

/**
 * Rejects a collected or received sample for a reason from the fixed list; a new sample (new accession, same
 * tests and container) is asked for at once and its pending results move to it. Refused once a result of
 * the sample has been entered.
 */
export async function rejectSample(
  ctx: Ctx,
  id: string,
  input: z.output<typeof RejectSampleBody>,
): Promise<LabRequest> {
  const requestId = await ctx.db.transaction(async (tx) => {
    const sample = await lockSample(ctx, tx, id);
    if (sample.status !== 'collected' && sample.status !== 'received') {
      throw new Conflict('LAB_SAMPLE_NOT_REJECTABLE', `A sample that is ${sample.status} cannot be rejected`);
    }
    const [resulted] = await tx
      .select({ id: results.id })
      .from(results)
      .where(and(eq(results.sampleId, id), ne(results.status, 'pending'), ne(results.status, 'cancelled')))
      .limit(1);
    if (resulted) {
      throw new Conflict(
        'LAB_SAMPLE_HAS_RESULTS',
        'Results of this sample have been entered; amend them instead',
      );
    }
    const recollectionId = newId();
    await tx.insert(samples).values({
      id: recollectionId,
      facilityId: sample.facilityId,
      requestId: sample.requestId,
      patientId: sample.patientId,
      accession: await nextAccession(tx, sample.facilityId, ctx.now),
      specimen: sample.specimen,
      container: sample.container,
      testCodes: sample.testCodes,
      recollectionOf: sample.id,
      createdAt: ctx.now,
      updatedAt: ctx.now,
    });
    await tx
      .update(samples)
      .set({
        status: 'rejected',
        rejectedAt: ctx.now,
        rejectedById: actorId(ctx.actor),
        rejectedByName: ctx.actor.name,
        rejectionReason: input.reason,
        rejectionNote: input.note ?? null,
        recollectionSampleId: recollectionId,
        version: sample.version + 1,
        updatedAt: ctx.now,
      })
      .where(eq(samples.id, id));
    await tx
      .update(results)
      .set({ sampleId: recollectionId, updatedAt: ctx.now })
      .where(and(eq(results.sampleId, id), eq(results.status, 'pending')));
    await recordAudit(tx, ctx, {
      action: 'update',
      resourceType: 'LabSample',
      resourceId: id,
      patientId: sample.patientId,
      detail: { status: 'rejected', reason: input.reason, note: input.note ?? null, recollectionId },
    });
    return sample.requestId;
  });
  const [request] = await readRequestRecords(ctx.db, [requestId]);
  return request!;
}

/** A section's bench: received samples with results still to enter, STAT first, with TAT target and time. */
export async function worklist(
  ctx: Ctx,
  query: z.output<typeof LabWorklistQuery>,
): Promise<z.output<typeof LabWorklistItem>[]> {
  const facilityId = requireFacility(ctx);
  const rows = await ctx.db
    .select({
      sample: samples,
      request: requests,
      resultId: results.id,
      code: results.testCode,
      name: results.testName,
      tatRoutine: tests.tatMinutesRoutine,
      tatStat: tests.tatMinutesStat,
    })
    .from(results)
    .innerJoin(samples, eq(samples.id, results.sampleId))
    .innerJoin(requests, eq(requests.id, results.requestId))
    .innerJoin(tests, eq(tests.code, results.testCode))
    .where(
      and(
        eq(results.facilityId, facilityId),
        eq(results.section, query.section),
        eq(results.status, 'pending'),
        eq(samples.status, 'received'),
        ne(requests.status, 'cancelled'),
      ),
    )
    .orderBy(PRIORITY_ORDER, asc(samples.receivedAt), asc(samples.accession), asc(results.position))
    .limit(query.limit * 40);
  const bySample = new Map<string, typeof rows>();
  for (const r of rows) bySample.set(r.sample.id, [...(bySample.get(r.sample.id) ?? []), r]);
  const chosen = [...bySample.values()].slice(0, query.limit);
  const patients = new Map(
    (
      await getPatientSummaries(ctx.db, [...new Set(chosen.map((g) => g[0]!.request.patientId))], ctx.now)
    ).map((p) => [p.id, p]),
  );
  await auditList(ctx, 'LabSample', `worklist:${query.section}`, [...patients.keys()]);
  return chosen.map((group) => {
    const { sample, request } = group[0]!;
    const stat = request.priority === 'stat';
    const tat = Math.max(...group.map((g) => (stat ? (g.tatStat ?? g.tatRoutine) : g.tatRoutine)));
    const elapsed = Math.max(
      0,
      Math.floor((ctx.now.getTime() - (sample.receivedAt ?? ctx.now).getTime()) / 60_000),
    );
    const patient = patients.get(request.patientId);
    return {
      sample: toSample(sample),
      requestId: request.id,
      requestCode: request.code,
      requestDisplay: request.display,
      priority: request.priority as LabRequest['priority'],
      patientId: request.patientId,
      patientName: patient?.displayName ?? '',
      mrn: patient?.mrn ?? '',
      pendingTests: group.map((g) => ({ resultId: g.resultId, code: g.code, name: g.name })),
      tatTargetMinutes: tat,
      elapsedMinutes: elapsed,
      overdue: elapsed > tat,
    };
  });
}

/** What the label of a sample prints (audited: printing shows the patient's name). */
export async function sampleLabelData(ctx: Ctx, id: string) {
  const facilityId = requireFacility(ctx);
  const [row] = await ctx.db
    .select({ sample: samples, priority: requests.priority })
    .from(samples)
    .innerJoin(requests, eq(requests.id, samples.requestId))
    .where(eq(samples.id, id));
  if (!row || row.sample.facilityId !== facilityId) throw new NotFound('The sample', 'LAB_SAMPLE_NOT_FOUND');
  const [patient] = await getPatientSummaries(ctx.db, [row.sample.patientId], ctx.now);
  await recordAudit(ctx.db, ctx, {
    action: 'read',
    resourceType: 'LabSample',
    resourceId: id,
    patientId: row.sample.patientId,
    detail: { document: 'sample-label', accession: row.sample.accession },
  });
  return {
    accession: row.sample.accession,
    patientName: patient?.displayName ?? '',
    mrn: patient?.mrn ?? '',
    sex: patient?.sex ?? null,
    age: patient?.age ?? null,
    testCodes: row.sample.testCodes,
    container: row.sample.container,
    specimen: row.sample.specimen,
    priority: row.priority,
  };
}
