import type { StockMovement } from '@newhms/contracts';
import { type Column, DataTable } from '../../../ui/data-table';
import { formatDateTime } from '../../../ui/format';
import { useStockCard } from '../hooks/use-pharmacy';
import { movementKindLabels, signedUnits } from '../pharmacy-labels';

/** The stock card of an item in a store: every movement, newest first, with who and why. */
export function StockCard({ storeId, itemId, label }: { storeId: string; itemId: string; label: string }) {
  const card = useStockCard(storeId, itemId);
  const columns: Column<StockMovement>[] = [
    { id: 'when', header: 'When', render: (m) => formatDateTime(m.occurredAt) },
    { id: 'kind', header: 'Movement', render: (m) => movementKindLabels[m.kind] },
    { id: 'batch', header: 'Batch', render: (m) => m.batchNo },
    { id: 'qty', header: 'Units', align: 'right', render: (m) => signedUnits(m.quantity) },
    {
      id: 'balance',
      header: 'Balance',
      align: 'right',
      render: (m) => (m.balanceAfter === null ? '' : m.balanceAfter),
      hideBelow: 'md',
    },
    {
      id: 'why',
      header: 'Details',
      render: (m) => [m.reason, m.prescriberName && `Rx ${m.prescriberName}`].filter(Boolean).join(' · '),
      hideBelow: 'md',
    },
    { id: 'by', header: 'By', render: (m) => m.performedByName, hideBelow: 'sm' },
  ];
  return (
    <DataTable
      label={label}
      columns={columns}
      rows={card.data ?? []}
      rowKey={(m) => m.id}
      loading={card.isLoading}
      emptyText="No movement yet"
    />
  );
}
