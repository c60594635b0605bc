import { LABORATORY_EVENTS } from '@newhms/contracts';
import { unmatchedOrdersRoutes as routes } from '../../platform/department-orders/unmatched-orders.routes';
import { unmatchedOrdersDesk } from '../../platform/department-orders/unmatched-orders.service';
import { getPatientSummaries } from '../patients';
import { unmatchedOrders } from './laboratory.tables';

// Encounter orders whose code names no test or panel of the catalog (platform/department-orders): kept,
// published as `laboratory.order.unmatched`, and listed for the lab's staff to call the ordering doctor.

const desk = unmatchedOrdersDesk({
  table: unmatchedOrders,
  resourceType: 'LabUnmatchedOrder',
  eventType: LABORATORY_EVENTS.orderUnmatched,
  errorPrefix: 'LAB',
  patientSummaries: getPatientSummaries,
});

export const { recordUnmatchedOrder, closeUnmatchedForCancelledOrder } = desk;

/** The lab's staff (bench and validation) follow them up; a doctor sees their own in the encounter. */
export const unmatchedOrdersRoutes = routes(desk, {
  path: '/api/v1/laboratory/unmatched-orders',
  tag: 'laboratory',
  permissions: ['laboratory:process', 'laboratory:validate'],
  listSummary:
    'Encounter orders whose code names no test or panel: not requested; call the ordering doctor (newest first)',
});
