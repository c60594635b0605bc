import type { Dispensation } from '@newhms/contracts';
import { type Column, DataTable } from '../../../ui/data-table';
import { formatCalendarDate } from '../../../ui/facility-time';
import { formatRupees } from '../../../ui/money';

type SaleLine = Dispensation['lines'][number];

/** A sale's batch lines: what was given from which batch, at its MRP. */
export function SaleLines({ sale, label }: { sale: Dispensation; label: string }) {
  const columns: Column<SaleLine>[] = [
    { id: 'item', header: 'Medicine', render: (l) => `${l.genericName} ${l.strength}`.trim() },
    { id: 'batch', header: 'Batch', render: (l) => l.batchNo },
    { id: 'expiry', header: 'Expiry', render: (l) => formatCalendarDate(l.expiryDate), hideBelow: 'sm' },
    { id: 'qty', header: 'Units', align: 'right', render: (l) => l.quantity },
    {
      id: 'returned',
      header: 'Returned',
      align: 'right',
      render: (l) => (l.returned > 0 ? l.returned : ''),
      hideBelow: 'sm',
    },
    { id: 'mrp', header: 'MRP', align: 'right', render: (l) => formatRupees(l.unitPrice) },
    { id: 'amount', header: 'Amount', align: 'right', render: (l) => formatRupees(l.unitPrice * l.quantity) },
  ];
  return <DataTable label={label} columns={columns} rows={sale.lines} rowKey={(l) => String(l.lineNo)} />;
}
