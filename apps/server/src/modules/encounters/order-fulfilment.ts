import {
  LABORATORY_EVENTS,
  LabOrderAcceptedPayload,
  LabResultFinalizedPayload,
  LabSampleCollectedPayload,
  type OrderFulfilmentStatus,
  OrderUnmatchedPayload,
  orderFulfilmentRank,
  RADIOLOGY_EVENTS,
  RadOrderAcceptedPayload,
  RadReportFinalizedPayload,
  RadStudyCompletedPayload,
  RadStudyStartedPayload,
} from '@newhms/contracts';
import { and, eq, type SQL, sql } from 'drizzle-orm';
import { recordAudit } from '../../platform/audit/audit.service';
import { type Ctx, systemCtx } from '../../platform/context';
import type { Db, DbOrTx } from '../../platform/db/database';
import type { DomainEvent, EventRegistry } from '../../platform/events/outbox';
import { orders } from './encounters.tables';

// The order follows the department that fulfils it. Encounters reads the laboratory's and radiology's events
// (payloads from packages/contracts; never their code) and moves the order's fulfilment status up, never down:
// delivery is at least once and in no guaranteed order, so a step arriving twice, or after a later one, changes
// nothing. The update is one conditional UPDATE (the rank of the stored status below the new one), which the
// row lock makes safe under concurrent deliveries. Results released or the report signed also complete the
// order (FHIR ServiceRequest.status `completed`) while it is still active.

type Step = {
  orderId: string;
  status: OrderFulfilmentStatus;
  note: string;
  at: Date;
};

type Department = { category: 'laboratory' | 'imaging'; steps: (event: DomainEvent) => Step[] };

const when = (iso: string | undefined, event: DomainEvent) => (iso ? new Date(iso) : event.occurredAt);

function parsed<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } }) {
  return (event: DomainEvent): T | null => {
    const r = schema.safeParse(event.payload);
    return r.success ? r.data : null;
  };
}

const lab = (steps: Department['steps']): Department => ({ category: 'laboratory', steps });
const imaging = (steps: Department['steps']): Department => ({ category: 'imaging', steps });

const notMatched = (event: DomainEvent): Step[] => {
  const p = parsed(OrderUnmatchedPayload)(event);
  return p ? [{ orderId: p.orderId, status: 'not-matched', note: p.reason, at: event.occurredAt }] : [];
};

/** Each department event: the steps it means for the encounter orders it names. */
const STEPS: Record<string, Department> = {
  [LABORATORY_EVENTS.orderAccepted]: lab((event) => {
    const p = parsed(LabOrderAcceptedPayload)(event);
    if (!p) return [];
    const note = `Laboratory request; tubes ${p.accessions.join(', ')}`;
    return [{ orderId: p.orderId, status: 'accepted', note, at: event.occurredAt }];
  }),
  [LABORATORY_EVENTS.orderUnmatched]: lab(notMatched),
  [LABORATORY_EVENTS.sampleCollected]: lab((event) => {
    const p = parsed(LabSampleCollectedPayload)(event);
    if (!p) return [];
    return p.requests.flatMap((r) =>
      r.orderId
        ? [
            {
              orderId: r.orderId,
              status: 'collected' as const,
              note: `Sample ${p.accession} collected`,
              at: when(p.collectedAt, event),
            },
          ]
        : [],
    );
  }),
  [LABORATORY_EVENTS.resultFinalized]: lab((event) => {
    const p = parsed(LabResultFinalizedPayload)(event);
    if (!p?.orderId) return [];
    return [{ orderId: p.orderId, status: 'resulted', note: 'Results released', at: event.occurredAt }];
  }),
  [RADIOLOGY_EVENTS.orderAccepted]: imaging((event) => {
    const p = parsed(RadOrderAcceptedPayload)(event);
    if (!p) return [];
    const note = `Radiology accession ${p.accession}`;
    return [{ orderId: p.orderId, status: 'accepted', note, at: event.occurredAt }];
  }),
  [RADIOLOGY_EVENTS.orderUnmatched]: imaging(notMatched),
  [RADIOLOGY_EVENTS.studyStarted]: imaging((event) => {
    const p = parsed(RadStudyStartedPayload)(event);
    if (!p?.orderId) return [];
    const note = `Study ${p.accession} started`;
    return [{ orderId: p.orderId, status: 'in-progress', note, at: when(p.startedAt, event) }];
  }),
  [RADIOLOGY_EVENTS.studyCompleted]: imaging((event) => {
    const p = parsed(RadStudyCompletedPayload)(event);
    if (!p?.orderId) return [];
    const note = `Study ${p.accession} done; report awaited`;
    return [{ orderId: p.orderId, status: 'performed', note, at: when(p.completedAt, event) }];
  }),
  [RADIOLOGY_EVENTS.reportFinalized]: imaging((event) => {
    const p = parsed(RadReportFinalizedPayload)(event);
    if (!p?.orderId) return [];
    return [{ orderId: p.orderId, status: 'resulted', note: 'Report signed', at: event.occurredAt }];
  }),
};

/** The event types encounters follows. */
const FULFILMENT_EVENT_TYPES = Object.keys(STEPS);

// The rank as SQL over the stored status; the values are our own constants, never input.
const storedRank: SQL = sql.raw(
  `case "fulfilment_status" ${Object.entries(orderFulfilmentRank)
    .map(([status, rank]) => `when '${status}' then ${rank}`)
    .join(' ')} end`,
);

/** Moves one order to a step when the step is further than where it is; audited when it moves. */
async function advance(tx: DbOrTx, ctx: Ctx, department: Department, step: Step, facilityId: string) {
  const resulted = step.status === 'resulted';
  const [row] = await tx
    .update(orders)
    .set({
      fulfilmentStatus: step.status,
      fulfilmentNote: step.note.slice(0, 500),
      fulfilmentUpdatedAt: step.at,
      ...(resulted
        ? {
            fulfilledAt: step.at,
            status: sql`case when ${orders.status} = 'active' then 'completed' else ${orders.status} end`,
          }
        : {}),
      updatedAt: ctx.now,
    })
    .where(
      and(
        eq(orders.id, step.orderId),
        eq(orders.facilityId, facilityId),
        eq(orders.category, department.category),
        sql`${storedRank} < ${orderFulfilmentRank[step.status]}`,
      ),
    )
    .returning({ patientId: orders.patientId, status: orders.status });
  if (!row) return;
  await recordAudit(tx, ctx, {
    action: 'update',
    resourceType: 'ServiceRequest',
    resourceId: step.orderId,
    patientId: row.patientId,
    detail: { fulfilmentStatus: step.status, note: step.note, status: row.status },
  });
}

/** A department's event: the orders it names move on (idempotent, never backwards). */
async function followDepartment(tx: DbOrTx, event: DomainEvent): Promise<void> {
  const department = STEPS[event.type];
  if (!department || !event.facilityId) return;
  const ctx = systemCtx(tx as Db, 'encounters.order-fulfilment', event.facilityId);
  for (const step of department.steps(event)) {
    await advance(tx, ctx, department, step, event.facilityId);
  }
}

/** Subscribes encounters to the laboratory's and radiology's order events. */
export function followOrderFulfilment(events: EventRegistry): void {
  events.subscribe('encounters.order-fulfilment', FULFILMENT_EVENT_TYPES, async (event, tx) => {
    await followDepartment(tx, event);
  });
}
