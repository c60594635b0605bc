import { UnmatchedOrdersPage } from '../../../ui/unmatched-orders-worklist';
import { useCloseRadUnmatchedOrder, useRadUnmatchedOrders } from '../hooks/use-radiology';

/**
 * The radiology unmatched orders (/radiology/unmatched-orders): encounter orders no procedure of the imaging
 * catalog matched, so no study was made; radiology calls the ordering doctor and closes each with what was agreed.
 */
export function RadUnmatchedOrdersPage() {
  return (
    <UnmatchedOrdersPage
      department="radiology"
      title="Unmatched imaging orders"
      subtitle="Orders from the consultations that name no procedure of the imaging catalog: call the doctor, then close them"
      useOrders={useRadUnmatchedOrders}
      close={useCloseRadUnmatchedOrder()}
    />
  );
}
