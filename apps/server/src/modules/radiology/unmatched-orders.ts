import { RADIOLOGY_EVENTS } from '@newhms/contracts';
import { unmatchedOrdersRoutes as routes } from '../../platform/department-orders/unmatched-orders.routes';
import { unmatchedOrdersDesk } from '../../platform/department-orders/unmatched-orders.service';
import { getPatientSummaries } from '../patients';
import { unmatchedOrders } from './radiology.tables';

// Encounter imaging orders that name no procedure of the catalog, by code or exact name
// (platform/department-orders): kept, published as `radiology.order.unmatched`, and listed for radiology's
// staff to call the ordering doctor.

const desk = unmatchedOrdersDesk({
  table: unmatchedOrders,
  resourceType: 'RadUnmatchedOrder',
  eventType: RADIOLOGY_EVENTS.orderUnmatched,
  errorPrefix: 'RAD',
  patientSummaries: getPatientSummaries,
});

export const { recordUnmatchedOrder, closeUnmatchedForCancelledOrder } = desk;

/** Radiology's desk, radiographers and radiologists follow them up; a doctor sees their own in the encounter. */
export const unmatchedOrdersRoutes = routes(desk, {
  path: '/api/v1/radiology/unmatched-orders',
  tag: 'radiology',
  permissions: ['radiology:schedule', 'radiology:perform', 'radiology:report'],
  listSummary:
    'Encounter orders that name no procedure: not ordered; call the ordering doctor (newest first)',
});
