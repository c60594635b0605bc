import type { Order } from '@newhms/contracts';

export type FulfilmentTone = 'neutral' | 'progress' | 'done' | 'warning';

/** How a lab or imaging order's fulfilment reads on the doctor's screen: a label, a tone, and a detail line. */
export type FulfilmentView = { label: string; tone: FulfilmentTone; detail: string | null };

type OrderLike = Pick<Order, 'category' | 'status' | 'fulfilmentStatus' | 'fulfilmentNote'>;

const departmentOf = (category: Order['category']) => (category === 'imaging' ? 'radiology' : 'lab');

/** The accession number(s) in the department's note ("Laboratory request; tubes L1, L2", "Radiology accession R1"). */
function accessionsOf(note: string | null): string | null {
  const match = note ? /(?:tubes?|accession)\s+(.+)$/i.exec(note) : null;
  return match?.[1]?.trim() || null;
}

/**
 * Where the laboratory or radiology is with an order, said in words (never colour alone): null for a procedure
 * (no department fulfils it) and for an order cancelled or entered in error before the department answered.
 * A `not-matched` order was NOT taken by the department: a warning, with the department's reason.
 */
export function fulfilmentView(order: OrderLike): FulfilmentView | null {
  if (order.category === 'procedure') return null;
  const withdrawn = order.status === 'cancelled' || order.status === 'entered-in-error';
  if (withdrawn && (order.fulfilmentStatus === 'pending' || order.fulfilmentStatus === 'not-matched'))
    return null;
  const note = order.fulfilmentNote;
  switch (order.fulfilmentStatus) {
    case 'pending':
      return { label: 'Ordered', tone: 'neutral', detail: null };
    case 'not-matched':
      return {
        label: `Not accepted by ${departmentOf(order.category)}`,
        tone: 'warning',
        detail: note ?? 'No such test or procedure in the catalog',
      };
    case 'accepted': {
      const accessions = accessionsOf(note);
      return { label: accessions ? `Accepted (${accessions})` : 'Accepted', tone: 'progress', detail: null };
    }
    case 'collected':
      return { label: 'Sample collected', tone: 'progress', detail: note };
    case 'in-progress':
      return { label: 'In progress', tone: 'progress', detail: note };
    case 'performed':
      return { label: 'Performed', tone: 'progress', detail: note };
    case 'resulted':
      return { label: 'Resulted', tone: 'done', detail: note };
  }
}

/** Whether the department may still move the order on (the consultation asks again while one is). */
export function awaitsDepartment(order: OrderLike): boolean {
  return (
    order.category !== 'procedure' &&
    (order.status === 'active' || order.status === 'in-progress') &&
    order.fulfilmentStatus !== 'resulted' &&
    order.fulfilmentStatus !== 'not-matched'
  );
}
