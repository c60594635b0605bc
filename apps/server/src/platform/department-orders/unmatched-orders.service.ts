import type {
  CloseUnmatchedOrderBody,
  OrderUnmatchedPayload,
  UnmatchedOrder,
  UnmatchedOrderQuery,
} from '@newhms/contracts';
import { and, desc, eq } from 'drizzle-orm';
import type { z } from 'zod';
import { recordAudit, recordAudits } from '../audit/audit.service';
import { actorId, type Ctx } from '../context';
import type { DbOrTx } from '../db/database';
import { newId } from '../db/ids';
import { appendEvent, type EventRegistry } from '../events/outbox';
import { Conflict, NotFound, StaleVersion } from '../http/errors';
import { requireFacility } from '../organization/facility-context';
import type { UnmatchedOrdersTable } from './unmatched-orders.table';

// Encounter orders that name nothing of a department's catalog. They used to be logged and dropped; now each
// is kept (one per order: a unique index, so redeliveries add nothing), published as
// `<department>.order.unmatched` (encounters marks the order not matched, with the reason, for the ordering
// doctor), and listed for the department's staff to call the doctor. The doctor cancelling the order closes
// it; the staff close it with a note of what was agreed.

type Row = UnmatchedOrdersTable['$inferSelect'];

/** The encounter order as the department received it (encounters' `OrderForBilling` has this shape). */
export type UnmatchedOrderSource = Pick<
  Row,
  | 'orderId'
  | 'facilityId'
  | 'encounterId'
  | 'patientId'
  | 'code'
  | 'display'
  | 'requestedAt'
  | 'requestedById'
> & { category: string; requestedByName: string | null };

/** What a department's unmatched-order desk differs in. */
export type UnmatchedOrdersConfig = {
  table: UnmatchedOrdersTable;
  /** The audit entries' resource type: `LabUnmatchedOrder`. */
  resourceType: string;
  /** The event published for a new one: `laboratory.order.unmatched`. */
  eventType: string;
  /** The error codes' prefix: `LAB` gives LAB_UNMATCHED_ORDER_NOT_FOUND and LAB_UNMATCHED_ORDER_CLOSED. */
  errorPrefix: string;
  /** The patients' names and MRNs (the patients module's summaries; the platform knows no patients). */
  patientSummaries: (
    db: DbOrTx,
    ids: readonly string[],
    now: Date,
  ) => Promise<readonly { id: string; displayName: string; mrn: string }[]>;
};

/** The service functions of one department's unmatched orders. */
export type UnmatchedOrdersDesk = ReturnType<typeof unmatchedOrdersDesk>;

export function unmatchedOrdersDesk(config: UnmatchedOrdersConfig) {
  const { table, resourceType: RESOURCE } = config;

  /** Keeps and publishes an encounter order the catalog does not know, once; in the subscriber's transaction. */
  async function recordUnmatchedOrder(
    tx: DbOrTx,
    ctx: Ctx,
    events: EventRegistry,
    input: {
      order: UnmatchedOrderSource;
      system: string | null;
      priority: string;
      reasonCode: OrderUnmatchedPayload['reasonCode'];
      reason: string;
    },
  ): Promise<void> {
    const { order } = input;
    const id = newId();
    const [row] = await tx
      .insert(table)
      .values({
        id,
        facilityId: order.facilityId,
        orderId: order.orderId,
        encounterId: order.encounterId,
        patientId: order.patientId,
        code: order.code,
        system: input.system,
        display: order.display,
        priority: input.priority,
        reasonCode: input.reasonCode,
        reason: input.reason,
        requestedById: order.requestedById,
        requestedByName: order.requestedByName,
        requestedAt: order.requestedAt,
        receivedAt: ctx.now,
        createdAt: ctx.now,
        updatedAt: ctx.now,
      })
      .onConflictDoNothing({ target: table.orderId })
      .returning({ id: table.id });
    if (!row) return;
    await recordAudit(tx, ctx, {
      action: 'create',
      resourceType: RESOURCE,
      resourceId: id,
      patientId: order.patientId,
      detail: { orderId: order.orderId, code: order.code, reasonCode: input.reasonCode },
    });
    await appendEvent<OrderUnmatchedPayload>(tx, events, {
      type: config.eventType,
      facilityId: order.facilityId,
      aggregateId: order.orderId,
      actorId: null,
      payload: {
        unmatchedId: id,
        orderId: order.orderId,
        encounterId: order.encounterId,
        patientId: order.patientId,
        category: order.category,
        code: order.code,
        system: input.system,
        display: order.display,
        reasonCode: input.reasonCode,
        reason: input.reason,
      },
    });
  }

  /** The doctor cancelled an unmatched order: nothing left to call about. In the subscriber's transaction. */
  async function closeUnmatchedForCancelledOrder(
    tx: DbOrTx,
    ctx: Ctx,
    orderId: string,
    reason: string,
  ): Promise<void> {
    const [row] = await tx
      .update(table)
      .set({
        status: 'closed',
        closedAt: ctx.now,
        closedById: null,
        closedByName: ctx.actor.name,
        closeNote: `Order cancelled: ${reason}`.slice(0, 500),
        updatedAt: ctx.now,
      })
      .where(and(eq(table.orderId, orderId), eq(table.status, 'open')))
      .returning();
    if (!row) return;
    await recordAudit(tx, ctx, {
      action: 'update',
      resourceType: RESOURCE,
      resourceId: row.id,
      patientId: row.patientId,
      detail: { status: 'closed', note: row.closeNote },
    });
  }

  async function views(ctx: Ctx, rows: readonly Row[]): Promise<UnmatchedOrder[]> {
    const ids = [...new Set(rows.map((r) => r.patientId))];
    const patients = new Map((await config.patientSummaries(ctx.db, ids, ctx.now)).map((p) => [p.id, p]));
    return rows.map((r) => toView(r, patients.get(r.patientId)));
  }

  /** The facility's unmatched orders, newest first (open ones by default); an audited read per patient. */
  async function listUnmatchedOrders(
    ctx: Ctx,
    query: z.output<typeof UnmatchedOrderQuery>,
  ): Promise<UnmatchedOrder[]> {
    const facilityId = requireFacility(ctx);
    const rows = await ctx.db
      .select()
      .from(table)
      .where(
        and(
          eq(table.facilityId, facilityId),
          query.status === 'all' ? undefined : eq(table.status, query.status),
        ),
      )
      .orderBy(desc(table.receivedAt), desc(table.id))
      .limit(query.limit);
    await recordAudits(
      ctx.db,
      ctx,
      [...new Set(rows.map((r) => r.patientId))].map((patientId) => ({
        action: 'read' as const,
        resourceType: RESOURCE,
        patientId,
        detail: { list: 'unmatched-orders', status: query.status },
      })),
    );
    return views(ctx, rows);
  }

  /** The department's staff close an unmatched order with what was done (the doctor called, re-ordered, ...). */
  async function closeUnmatchedOrder(
    ctx: Ctx,
    id: string,
    input: z.output<typeof CloseUnmatchedOrderBody>,
  ): Promise<UnmatchedOrder> {
    const facilityId = requireFacility(ctx);
    const row = await ctx.db.transaction(async (tx) => {
      const [current] = await tx.select().from(table).where(eq(table.id, id)).for('update');
      if (!current || current.facilityId !== facilityId) {
        throw new NotFound('The unmatched order', `${config.errorPrefix}_UNMATCHED_ORDER_NOT_FOUND`);
      }
      if (current.status !== 'open') {
        throw new Conflict(
          `${config.errorPrefix}_UNMATCHED_ORDER_CLOSED`,
          'The unmatched order is already closed',
        );
      }
      if (current.version !== input.version) throw new StaleVersion('The unmatched order');
      const [updated] = await tx
        .update(table)
        .set({
          status: 'closed',
          closedAt: ctx.now,
          closedById: actorId(ctx.actor),
          closedByName: ctx.actor.name,
          closeNote: input.note,
          version: current.version + 1,
          updatedAt: ctx.now,
        })
        .where(eq(table.id, id))
        .returning();
      await recordAudit(tx, ctx, {
        action: 'update',
        resourceType: RESOURCE,
        resourceId: id,
        patientId: current.patientId,
        detail: { status: 'closed', note: input.note },
      });
      return updated!;
    });
    const [view] = await views(ctx, [row]);
    return view!;
  }

  return { recordUnmatchedOrder, closeUnmatchedForCancelledOrder, listUnmatchedOrders, closeUnmatchedOrder };
}

function toView(r: Row, patient: { displayName: string; mrn: string } | undefined): UnmatchedOrder {
  return {
    id: r.id,
    orderId: r.orderId,
    encounterId: r.encounterId,
    patientId: r.patientId,
    patientName: patient?.displayName ?? '',
    mrn: patient?.mrn ?? '',
    code: r.code,
    system: r.system,
    display: r.display,
    priority: r.priority as UnmatchedOrder['priority'],
    reasonCode: r.reasonCode as UnmatchedOrder['reasonCode'],
    reason: r.reason,
    requestedById: r.requestedById,
    requestedByName: r.requestedByName,
    requestedAt: r.requestedAt.toISOString(),
    receivedAt: r.receivedAt.toISOString(),
    status: r.status as UnmatchedOrder['status'],
    closedAt: r.closedAt?.toISOString() ?? null,
    closedByName: r.closedByName,
    closeNote: r.closeNote,
    version: r.version,
  };
}
