import { UnmatchedOrdersPage } from '../../../ui/unmatched-orders-worklist';
import { useCloseLabUnmatchedOrder, useLabUnmatchedOrders } from '../hooks/use-laboratory';

/**
 * The laboratory's unmatched orders (/laboratory/unmatched-orders): encounter orders no test or panel of the
 * catalog matched, so no tube was made; the lab calls the ordering doctor and closes each with what was agreed.
 */
export function LabUnmatchedOrdersPage() {
  return (
    <UnmatchedOrdersPage
      department="laboratory"
      title="Unmatched lab orders"
      subtitle="Orders from the consultations that name no test of the catalog: call the doctor, then close them"
      useOrders={useLabUnmatchedOrders}
      close={useCloseLabUnmatchedOrder()}
    />
  );
}
