import {
  BILLING_EVENTS,
  type CancelLabRequestBody,
  LABORATORY_EVENTS,
  type LabOrderAcceptedPayload,
  type LabRequest,
  type LabRequestQuery,
  type ServiceRenderedPayload,
  type ServiceReversedPayload,
  type WalkInOrderBody,
} from '@newhms/contracts';
import { and, asc, desc, eq, inArray, isNotNull, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import { recordAudit, recordAudits } from '../../platform/audit/audit.service';
import { actorId, type Ctx, systemCtx } from '../../platform/context';
import { nextCounterValue } from '../../platform/db/counters';
import type { Db, DbOrTx } from '../../platform/db/database';
import { newId } from '../../platform/db/ids';
import { appendEvent, type DomainEvent, type EventRegistry } from '../../platform/events/outbox';
import { Conflict, NotFound, RuleViolation, StaleVersion } from '../../platform/http/errors';
import { facilityToday, requireFacility } from '../../platform/organization/facility-context';
import { localDate } from '../../platform/time/facility-time';
import { chargeMasterCodeFor, labChargeMomentOf } from '../billing';
import { getEncounter, getOrderForBilling } from '../encounters';
import { ADMISSION_SOURCE_TYPE, getOpenAdmissionOf } from '../ipd';
import { getPatientSummaries } from '../patients';
import { type Orderable, resolveOrderable } from './catalog.service';
import { type RequestRow, readRequestRecords } from './lab-records';
import { requests, results, samples } from './laboratory.tables';
import { closeUnmatchedForCancelledOrder, recordUnmatchedOrder } from './unmatched-orders';

// Requests: from an encounter's laboratory order (the subscriber of `encounters.order.placed`; one request
// per order, whatever the redeliveries: a unique index on order_id) or a walk-in at the lab counter. Each
// request gets its results (one per test; a panel's members) and its samples (one per distinct container),
// awaiting collection with their accession numbers already on them, so the label can be printed at the
// bedside.

export type LaboratoryEnv = {
  events: EventRegistry;
  log: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
};

type Setting = LabRequest['setting'];

const SETTING_OF_CLASS: Record<string, Setting> = {
  ambulatory: 'opd',
  inpatient: 'ipd',
  emergency: 'emergency',
};

/** `L` + the facility's local date (YYMMDD) + a daily sequence of at least 4 digits: L2601050007. */
export async function nextAccession(tx: DbOrTx, facilityId: string, now: Date): Promise<string> {
  const { today } = await facilityToday(tx, facilityId, now);
  const day = today.slice(2).replaceAll('-', '');
  const n = await nextCounterValue(tx, facilityId, 'laboratory.accession', day);
  return `L${day}${String(n).padStart(4, '0')}`;
}

type NewRequest = {
  facilityId: string;
  patientId: string;
  encounterId: string | null;
  admissionId: string | null;
  orderId: string | null;
  setting: Setting;
  priority: LabRequest['priority'];
  note: string | null;
  requestedById: string | null;
  requestedByName: string | null;
  orderable: Orderable;
};

/**
 * Writes a request with its results and samples. With an order id, a second delivery of the same order
 * writes nothing (ON CONFLICT on the unique order id) and returns null.
 */
async function writeRequest(tx: DbOrTx, ctx: Ctx, input: NewRequest): Promise<string | null> {
  const id = newId();
  const [row] = await tx
    .insert(requests)
    .values({
      id,
      facilityId: input.facilityId,
      patientId: input.patientId,
      encounterId: input.encounterId,
      admissionId: input.admissionId,
      orderId: input.orderId,
      code: input.orderable.code,
      display: input.orderable.display,
      kind: input.orderable.kind,
      priority: input.priority,
      setting: input.setting,
      note: input.note,
      requestedById: input.requestedById,
      requestedByName: input.requestedByName,
      requestedAt: ctx.now,
      createdAt: ctx.now,
      updatedAt: ctx.now,
    })
    .onConflictDoNothing({ target: requests.orderId })
    .returning({ id: requests.id });
  if (!row) return null;
  // One tube per container and specimen, in the order the tests first need them.
  const groups = new Map<string, Orderable['tests']>();
  for (const t of input.orderable.tests) {
    const key = `${t.container}|${t.specimen}`;
    groups.set(key, [...(groups.get(key) ?? []), t]);
  }
  const sampleOf = new Map<string, string>();
  for (const group of groups.values()) {
    const sampleId = newId();
    await tx.insert(samples).values({
      id: sampleId,
      facilityId: input.facilityId,
      requestId: id,
      patientId: input.patientId,
      accession: await nextAccession(tx, input.facilityId, ctx.now),
      specimen: group[0]!.specimen,
      container: group[0]!.container,
      testCodes: group.map((t) => t.code),
      createdAt: ctx.now,
      updatedAt: ctx.now,
    });
    for (const t of group) sampleOf.set(t.code, sampleId);
  }
  await tx.insert(results).values(
    input.orderable.tests.map((t, position) => ({
      facilityId: input.facilityId,
      requestId: id,
      sampleId: sampleOf.get(t.code)!,
      patientId: input.patientId,
      position,
      testCode: t.code,
      testName: t.name,
      loincCode: t.loincCode,
      section: t.section,
      resultType: t.resultType,
      unit: t.unit,
    })),
  );
  await recordAudit(tx, ctx, {
    action: 'create',
    resourceType: 'LabRequest',
    resourceId: id,
    patientId: input.patientId,
    detail: { code: input.orderable.code, priority: input.priority, orderId: input.orderId },
  });
  return id;
}

async function encounterPlace(db: DbOrTx, encounterId: string) {
  const e = await getEncounter(db, encounterId).catch(() => null);
  if (!e) return null;
  return {
    encounter: e,
    setting: SETTING_OF_CLASS[e.class] ?? 'opd',
    admissionId: e.sourceType === ADMISSION_SOURCE_TYPE ? e.sourceId : null,
  };
}

const OrderPlacedPayload = z.object({
  orderId: z.uuid(),
  encounterId: z.uuid(),
  patientId: z.uuid(),
  category: z.string(),
  code: z.string().nullable(),
  system: z.string().nullable(),
  priority: z.enum(['routine', 'urgent', 'stat']),
});
const OrderCancelledPayload = z.object({ orderId: z.uuid(), reason: z.string() });

/**
 * `encounters.order.placed` with category laboratory: the request and its samples, and
 * `laboratory.order.accepted`; an order whose code names no test or panel is kept as unmatched and
 * `laboratory.order.unmatched` is published (encounters shows the doctor it was not taken). Idempotent.
 */
export async function receiveEncounterOrder(
  tx: DbOrTx,
  env: LaboratoryEnv,
  event: DomainEvent,
): Promise<void> {
  const parsed = OrderPlacedPayload.safeParse(event.payload);
  if (!parsed.success || parsed.data.category !== 'laboratory' || !event.facilityId) return;
  const p = parsed.data;
  const ctx = systemCtx(tx as Db, 'laboratory', event.facilityId);
  ctx.now = new Date();
  const order = await getOrderForBilling(tx, p.orderId);
  // A cancellation delivered before the order itself: nothing to do.
  if (!order || order.status === 'cancelled' || order.status === 'entered-in-error') return;
  const orderable = p.code ? await resolveOrderable(tx, p.code, p.system) : null;
  if (!orderable) {
    env.log.warn(
      { orderId: p.orderId, code: p.code, system: p.system },
      'laboratory order for a code the catalog does not know: not requested, listed as unmatched',
    );
    await recordUnmatchedOrder(tx, ctx, env.events, {
      order,
      system: p.system,
      priority: p.priority,
      ...(p.code
        ? {
            reasonCode: 'not-in-catalog' as const,
            reason: `No test or panel of the laboratory catalog has the code ${p.code}${
              p.system ? ` (${p.system})` : ''
            }: the laboratory did not take the order. Order it again from the catalog.`,
          }
        : {
            reasonCode: 'no-code' as const,
            reason:
              'The order has no test code: the laboratory did not take it. Order it again from the catalog.',
          }),
    });
    return;
  }
  const place = await encounterPlace(tx, p.encounterId);
  const requestId = await writeRequest(tx, ctx, {
    facilityId: event.facilityId,
    patientId: p.patientId,
    encounterId: p.encounterId,
    admissionId: place?.admissionId ?? null,
    orderId: p.orderId,
    setting: place?.setting ?? 'opd',
    priority: p.priority,
    note: null,
    requestedById: order.requestedById,
    requestedByName: null,
    orderable,
  });
  if (!requestId) return;
  const tubes = await tx
    .select({ accession: samples.accession })
    .from(samples)
    .where(eq(samples.requestId, requestId))
    .orderBy(asc(samples.accession));
  await appendEvent<LabOrderAcceptedPayload>(tx, env.events, {
    type: LABORATORY_EVENTS.orderAccepted,
    facilityId: event.facilityId,
    aggregateId: p.orderId,
    actorId: null,
    payload: {
      orderId: p.orderId,
      requestId,
      encounterId: p.encounterId,
      patientId: p.patientId,
      code: orderable.code,
      display: orderable.display,
      accessions: tubes.map((t) => t.accession),
    },
  });
}

/** `encounters.order.cancelled`: the request is cancelled while none of its results has been entered. */
export async function cancelForOrder(tx: DbOrTx, env: LaboratoryEnv, event: DomainEvent): Promise<void> {
  const parsed = OrderCancelledPayload.safeParse(event.payload);
  if (!parsed.success || !event.facilityId) return;
  const p = parsed.data;
  const ctx = systemCtx(tx as Db, 'laboratory', event.facilityId);
  ctx.now = new Date();
  await closeUnmatchedForCancelledOrder(tx, ctx, p.orderId, p.reason);
  const [request] = await tx.select().from(requests).where(eq(requests.orderId, p.orderId)).for('update');
  if (!request || request.status === 'cancelled' || request.status === 'completed') return;
  if (await hasResults(tx, request.id)) {
    env.log.warn(
      { requestId: request.id, orderId: p.orderId },
      'order cancelled after results: request kept',
    );
    return;
  }
  await cancelRequestRows(tx, ctx, request, `Order cancelled: ${p.reason}`.slice(0, 500));
}

/** Cancels a request with its samples not yet worked and its pending results, audited. */
async function cancelRequestRows(tx: DbOrTx, ctx: Ctx, request: RequestRow, reason: string): Promise<void> {
  await tx
    .update(requests)
    .set({
      status: 'cancelled',
      cancelledAt: ctx.now,
      cancelReason: reason,
      version: request.version + 1,
      updatedAt: ctx.now,
    })
    .where(eq(requests.id, request.id));
  await tx
    .update(samples)
    .set({ status: 'cancelled', version: sql`${samples.version} + 1`, updatedAt: ctx.now })
    .where(
      and(
        eq(samples.requestId, request.id),
        inArray(samples.status, ['awaiting-collection', 'collected', 'received']),
      ),
    );
  await tx
    .update(results)
    .set({ status: 'cancelled', version: sql`${results.version} + 1`, updatedAt: ctx.now })
    .where(and(eq(results.requestId, request.id), eq(results.status, 'pending')));
  await recordAudit(tx, ctx, {
    action: 'update',
    resourceType: 'LabRequest',
    resourceId: request.id,
    patientId: request.patientId,
    detail: { status: 'cancelled', reason },
  });
}

/** Whether any result of the request has been entered (or released): then it is no longer cancelled. */
async function hasResults(tx: DbOrTx, requestId: string): Promise<boolean> {
  const [resulted] = await tx
    .select({ id: results.id })
    .from(results)
    .where(
      and(eq(results.requestId, requestId), inArray(results.status, ['entered', 'validated', 'amended'])),
    )
    .limit(1);
  return !!resulted;
}

// ------------------------------------------------------------------------------------------------------
// Walk-ins, and their charges
// ------------------------------------------------------------------------------------------------------

/** The source billing keys a walk-in's charge by: one per request, its line the test or panel code. */
export const WALK_IN_SOURCE_TYPE = 'laboratory.request';

/**
 * The episode a walk-in is charged to: the stay (an in-patient's encounter, or the patient's open admission
 * in this facility), else the encounter named. Null without either: billing takes no charge without an
 * episode (ServiceRenderedPayload), so the desk bills such a walk-in by hand.
 */
async function walkInEpisode(
  db: DbOrTx,
  facilityId: string,
  patientId: string,
  place: Awaited<ReturnType<typeof encounterPlace>>,
): Promise<{ admissionId: string | null; encounterId: string | null } | null> {
  if (place?.admissionId) return { admissionId: place.admissionId, encounterId: null };
  if (place) return { admissionId: null, encounterId: place.encounter.id };
  const stay = await getOpenAdmissionOf(db, facilityId, patientId);
  return stay ? { admissionId: stay.admissionId, encounterId: null } : null;
}

/**
 * billing.service.rendered for a walk-in request, in the caller's transaction, under the charge master code
 * billing matches an encounter's order with (our code, then the LOINC code, then the name). Logged and not
 * published when the charge master has no such service (billing would ignore it).
 */
async function chargeWalkIn(
  tx: DbOrTx,
  ctx: Ctx,
  env: LaboratoryEnv,
  input: {
    requestId: string;
    facilityId: string;
    patientId: string;
    orderable: Orderable;
    episode: { admissionId: string | null; encounterId: string | null };
    serviceDate: string;
  },
): Promise<void> {
  const { orderable } = input;
  const serviceCode = await chargeMasterCodeFor(tx, input.facilityId, {
    codes: [orderable.code, ...(orderable.loincCode ? [orderable.loincCode] : [])],
    display: orderable.display,
  });
  if (!serviceCode) {
    env.log.warn(
      { requestId: input.requestId, code: orderable.code },
      'walk-in laboratory request not charged: no charge-master service matches its code, LOINC code or name',
    );
    return;
  }
  const payload: ServiceRenderedPayload = {
    sourceType: WALK_IN_SOURCE_TYPE,
    sourceId: input.requestId,
    sourceLine: orderable.code,
    patientId: input.patientId,
    admissionId: input.episode.admissionId,
    encounterId: input.episode.encounterId,
    serviceCode,
    quantity: 1,
    serviceDate: input.serviceDate,
  };
  await appendEvent(tx, env.events, {
    type: BILLING_EVENTS.serviceRendered,
    facilityId: input.facilityId,
    aggregateId: input.requestId,
    actorId: actorId(ctx.actor),
    payload,
  });
}

/** A walk-in at the lab counter (or a lab-entered order for an encounter): one request per code. */
export async function placeWalkInOrder(
  ctx: Ctx,
  env: LaboratoryEnv,
  input: z.output<typeof WalkInOrderBody>,
): Promise<LabRequest[]> {
  const facilityId = requireFacility(ctx);
  const [patient] = await getPatientSummaries(ctx.db, [input.patientId], ctx.now);
  if (!patient) throw new NotFound('The patient', 'LAB_PATIENT_NOT_FOUND');
  let place: Awaited<ReturnType<typeof encounterPlace>> = null;
  if (input.encounterId) {
    place = await encounterPlace(ctx.db, input.encounterId);
    if (!place || place.encounter.facilityId !== facilityId) {
      throw new NotFound('The encounter', 'LAB_ENCOUNTER_NOT_FOUND');
    }
    if (place.encounter.patientId !== input.patientId) {
      throw new RuleViolation('LAB_ENCOUNTER_OF_ANOTHER_PATIENT', 'The encounter is not this patient’s', [
        { path: 'encounterId', message: 'belongs to another patient' },
      ]);
    }
    if (['cancelled', 'entered-in-error'].includes(place.encounter.status)) {
      throw new RuleViolation('LAB_ENCOUNTER_CLOSED', `The encounter is ${place.encounter.status}`);
    }
  }
  const codes = [...new Set(input.tests)];
  const orderables: Orderable[] = [];
  const errors: { path: string; message: string }[] = [];
  for (const [i, code] of codes.entries()) {
    const o = await resolveOrderable(ctx.db, code);
    if (o) orderables.push(o);
    else errors.push({ path: `tests.${i}`, message: `${code} is not in the laboratory catalog` });
  }
  if (errors.length > 0) throw new RuleViolation('LAB_UNKNOWN_TEST', 'Unknown tests', errors);
  const ids = await ctx.db.transaction(async (tx) => {
    // A facility that charges laboratory tests on collection charges the walk-in when its sample is drawn.
    const chargeNow = (await labChargeMomentOf(tx, facilityId)) === 'order';
    const episode = chargeNow ? await walkInEpisode(tx, facilityId, input.patientId, place) : null;
    const { today } = await facilityToday(tx, facilityId, ctx.now);
    const written: string[] = [];
    for (const orderable of orderables) {
      const id = await writeRequest(tx, ctx, {
        facilityId,
        patientId: input.patientId,
        encounterId: input.encounterId ?? null,
        admissionId: place?.admissionId ?? null,
        orderId: null,
        setting: place?.setting ?? 'walk-in',
        priority: input.priority,
        note: input.note ?? null,
        requestedById: actorId(ctx.actor),
        requestedByName: ctx.actor.name,
        orderable,
      });
      written.push(id!);
      if (episode) {
        await chargeWalkIn(tx, ctx, env, {
          requestId: id!,
          facilityId,
          patientId: input.patientId,
          orderable,
          episode,
          serviceDate: today,
        });
      }
    }
    return written;
  });
  return readRequestRecords(ctx.db, ids);
}

/**
 * A walk-in's charge when its first sample is drawn, in a facility that charges laboratory tests on collection
 * (in the collection's transaction). Nothing for a request from an encounter order (billing charges the order
 * from `laboratory.sample.collected`), in a facility that charged at booking, or when another tube of the
 * request (or the one a recollection replaces) was drawn before: one charge per request. Billing's charge is
 * keyed by the request besides, so a second billing.service.rendered would post nothing.
 */
export async function chargeWalkInOnCollection(
  tx: DbOrTx,
  ctx: Ctx,
  env: LaboratoryEnv,
  request: RequestRow,
  sampleId: string,
  collectedAt: Date,
): Promise<void> {
  if (request.orderId) return;
  if ((await labChargeMomentOf(tx, request.facilityId)) !== 'collection') return;
  const [before] = await tx
    .select({ id: samples.id })
    .from(samples)
    .where(and(eq(samples.requestId, request.id), ne(samples.id, sampleId), isNotNull(samples.collectedAt)))
    .limit(1);
  if (before) return;
  const orderable = await resolveOrderable(tx, request.code);
  if (!orderable) return;
  const place = request.encounterId ? await encounterPlace(tx, request.encounterId) : null;
  const episode = await walkInEpisode(tx, request.facilityId, request.patientId, place);
  if (!episode) return;
  const { timeZone } = await facilityToday(tx, request.facilityId, ctx.now);
  await chargeWalkIn(tx, ctx, env, {
    requestId: request.id,
    facilityId: request.facilityId,
    patientId: request.patientId,
    orderable,
    episode,
    serviceDate: localDate(collectedAt, timeZone),
  });
}

/**
 * Cancels a walk-in (the counter's mistake, the patient left) while none of its results has been entered,
 * and reverses its charge (billing.service.reversed; nothing happens in billing when none was posted). A
 * request from an encounter's order is cancelled with the order, in the encounter.
 */
export async function cancelWalkInRequest(
  ctx: Ctx,
  env: LaboratoryEnv,
  id: string,
  input: z.output<typeof CancelLabRequestBody>,
): Promise<LabRequest> {
  const facilityId = requireFacility(ctx);
  await ctx.db.transaction(async (tx) => {
    const [request] = await tx.select().from(requests).where(eq(requests.id, id)).for('update');
    if (!request || request.facilityId !== facilityId) {
      throw new NotFound('The laboratory request', 'LAB_REQUEST_NOT_FOUND');
    }
    if (request.orderId) {
      throw new Conflict(
        'LAB_REQUEST_FROM_ORDER',
        "The request comes from an encounter's order: cancel the order in the encounter",
      );
    }
    if (request.status === 'cancelled' || request.status === 'completed') {
      throw new Conflict('LAB_REQUEST_CLOSED', `The request is ${request.status}`);
    }
    if (request.version !== input.version) throw new StaleVersion('The laboratory request');
    if (await hasResults(tx, id)) {
      throw new Conflict(
        'LAB_REQUEST_RESULTED',
        'Results have been entered: the request can no longer be cancelled',
      );
    }
    await cancelRequestRows(tx, ctx, request, input.reason);
    const payload: ServiceReversedPayload = {
      sourceType: WALK_IN_SOURCE_TYPE,
      sourceId: id,
      reason: `Laboratory request cancelled: ${input.reason}`.slice(0, 300),
    };
    await appendEvent(tx, env.events, {
      type: BILLING_EVENTS.serviceReversed,
      facilityId,
      aggregateId: id,
      actorId: actorId(ctx.actor),
      payload,
    });
  });
  const [request] = await readRequestRecords(ctx.db, [id]);
  return request!;
}

/** One request with its samples and results (audited as a read of the patient's record). */
export async function getRequest(ctx: Ctx, id: string): Promise<LabRequest> {
  const facilityId = requireFacility(ctx);
  const [request] = await readRequestRecords(ctx.db, [id]);
  if (!request || request.facilityId !== facilityId)
    throw new NotFound('The laboratory request', 'LAB_REQUEST_NOT_FOUND');
  await recordAudit(ctx.db, ctx, {
    action: 'read',
    resourceType: 'LabRequest',
    resourceId: id,
    patientId: request.patientId,
  });
  return request;
}

/** Requests of a patient or an encounter, newest first. */
export async function listRequests(ctx: Ctx, query: z.output<typeof LabRequestQuery>): Promise<LabRequest[]> {
  const facilityId = requireFacility(ctx);
  if (!query.patientId && !query.encounterId) {
    throw new RuleViolation('LAB_QUERY_TOO_WIDE', 'Give a patient or an encounter', [
      { path: 'patientId', message: 'required without encounterId' },
    ]);
  }
  const rows = await ctx.db
    .select({ id: requests.id })
    .from(requests)
    .where(
      and(
        eq(requests.facilityId, facilityId),
        query.patientId ? eq(requests.patientId, query.patientId) : undefined,
        query.encounterId ? eq(requests.encounterId, query.encounterId) : undefined,
      ),
    )
    .orderBy(desc(requests.requestedAt), desc(requests.id))
    .limit(query.limit);
  const list = await readRequestRecords(
    ctx.db,
    rows.map((r) => r.id),
  );
  const patients = [...new Set(list.map((r) => r.patientId))];
  await recordAudits(
    ctx.db,
    ctx,
    patients.map((patientId) => ({
      action: 'read',
      resourceType: 'LabRequest',
      patientId,
      detail: { list: 'requests', count: list.filter((r) => r.patientId === patientId).length },
    })),
  );
  return list;
}
