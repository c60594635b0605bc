import { and, asc, eq, gte, inArray, lt } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/database';
import { encounters, orders } from './encounters.tables';

// Read-only questions billing asks about orders (service requests): what was ordered, in which encounter,
// and by whom. Encounters owns these tables; billing gets only this shape.

export type OrderForBilling = {
  orderId: string;
  facilityId: string;
  encounterId: string;
  patientId: string;
  category: string;
  code: string | null;
  display: string;
  status: string;
  /** Where the department is with the order (order-fulfilment.ts): billing charges a laboratory order on collection. */
  fulfilmentStatus: string;
  requestedAt: Date;
  requestedById: string | null;
  requestedByName: string;
  encounterClass: string;
  encounterSourceType: string | null;
  encounterSourceId: string | null;
  encounterPractitionerId: string | null;
  encounterDepartmentId: string | null;
};

function orderQuery(db: DbOrTx) {
  return db
    .select({
      orderId: orders.id,
      facilityId: orders.facilityId,
      encounterId: orders.encounterId,
      patientId: orders.patientId,
      category: orders.category,
      code: orders.code,
      display: orders.display,
      status: orders.status,
      fulfilmentStatus: orders.fulfilmentStatus,
      requestedAt: orders.requestedAt,
      requestedById: orders.requestedById,
      requestedByName: orders.requestedByName,
      encounterClass: encounters.class,
      encounterSourceType: encounters.sourceType,
      encounterSourceId: encounters.sourceId,
      encounterPractitionerId: encounters.practitionerId,
      encounterDepartmentId: encounters.departmentId,
    })
    .from(orders)
    .innerJoin(encounters, eq(encounters.id, orders.encounterId));
}

/** One order with its encounter, or null. */
export async function getOrderForBilling(db: DbOrTx, orderId: string): Promise<OrderForBilling | null> {
  const [row] = await orderQuery(db).where(eq(orders.id, orderId));
  return row ?? null;
}

/** Orders of a facility placed in [from, to) that are not cancelled, oldest first (at most `limit`). */
export async function listOrdersPlaced(
  db: DbOrTx,
  facilityId: string,
  from: Date,
  to: Date,
  limit: number,
): Promise<OrderForBilling[]> {
  return orderQuery(db)
    .where(
      and(
        eq(orders.facilityId, facilityId),
        gte(orders.requestedAt, from),
        lt(orders.requestedAt, to),
        inArray(orders.status, ['active', 'in-progress', 'completed']),
      ),
    )
    .orderBy(asc(orders.requestedAt), asc(orders.id))
    .limit(limit);
}
