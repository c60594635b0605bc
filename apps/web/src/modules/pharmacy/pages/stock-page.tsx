import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import Chip from '@mui/material/Chip';
import FormControlLabel from '@mui/material/FormControlLabel';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { StockItem } from '@newhms/contracts';
import { useState } from 'react';
import { Link as RouterLink } from 'react-router';
import { useAuth } from '../../../app/auth/auth-context';
import { type Column, DataTable } from '../../../ui/data-table';
import { formatCalendarDate } from '../../../ui/facility-time';
import { formatRupees } from '../../../ui/money';
import { PageHeader } from '../../../ui/page-header';
import { ProblemAlert } from '../../../ui/problem-alert';
import { useDebouncedValue } from '../../../ui/use-debounced-value';
import { ExpiryChip } from '../components/expiry-chip';
import { formularyItemLabel } from '../components/formulary-picker';
import { ItemChips } from '../components/item-chips';
import { ReorderDialog } from '../components/reorder-dialog';
import { Section } from '../components/section';
import { StockCard } from '../components/stock-card';
import { StoreSelect } from '../components/store-select';
import { type ReturnableBatch, SupplierReturnDialog } from '../components/supplier-return-dialog';
import { useChosenStore } from '../hooks/use-chosen-store';
import { useStoreStock } from '../hooks/use-pharmacy';

type Batch = StockItem['batches'][number];

/**
 * The stock of a store at /pharmacy: items with the units that can be issued today, expired units and the
 * reorder flag; an item's batches first to expire first (the order they are issued in) and its stock card.
 */
export function StockPage() {
  const { can } = useAuth();
  const { storeId, store, options, choose, stores } = useChosenStore();
  const [input, setInput] = useState('');
  const q = useDebouncedValue(input.trim(), 250);
  const [belowReorder, setBelowReorder] = useState(false);
  const stock = useStoreStock(storeId, { q, belowReorder });
  const [openItemId, setOpenItemId] = useState<string | null>(null);
  const [reorderItem, setReorderItem] = useState<StockItem | null>(null);
  const [returning, setReturning] = useState<ReturnableBatch | null>(null);
  const items = stock.data ?? [];
  const open = items.find((i) => i.formularyItemId === openItemId) ?? null;

  const columns: Column<StockItem>[] = [
    {
      id: 'item',
      header: 'Item',
      render: (i) => (
        <Box>
          <Typography component="span" sx={{ fontWeight: 600 }}>
            {formularyItemLabel(i)}
          </Typography>
          <Typography variant="body2" color="text.secondary">
            {i.code} · per {i.unitOfIssue}
          </Typography>
        </Box>
      ),
    },
    {
      id: 'flags',
      header: 'Flags',
      render: (i) => <ItemChips schedule={i.schedule} controlled={i.controlled} highAlert={i.highAlert} />,
      hideBelow: 'sm',
    },
    { id: 'available', header: 'Available', align: 'right', render: (i) => i.available },
    {
      id: 'expired',
      header: 'Expired',
      align: 'right',
      render: (i) => (i.expired > 0 ? <Chip size="small" color="error" label={`${i.expired} expired`} /> : 0),
    },
    {
      id: 'reorder',
      header: 'Reorder',
      render: (i) =>
        i.belowReorder ? (
          <Chip size="small" color="warning" variant="outlined" label={`Reorder (min ${i.reorderMinimum})`} />
        ) : i.reorderMinimum === null ? (
          '—'
        ) : (
          `Min ${i.reorderMinimum}`
        ),
      hideBelow: 'md',
    },
    {
      id: 'next',
      header: 'Next to expire',
      render: (i) => (i.batches[0] ? <ExpiryChip daysToExpiry={i.batches[0].daysToExpiry} /> : '—'),
      hideBelow: 'md',
    },
    {
      id: 'actions',
      header: 'Actions',
      render: (i) => (
        <Stack direction="row" spacing={1}>
          <Button
            size="small"
            aria-expanded={openItemId === i.formularyItemId}
            aria-label={`Batches of ${formularyItemLabel(i)}`}
            onClick={() => setOpenItemId(openItemId === i.formularyItemId ? null : i.formularyItemId)}
          >
            {openItemId === i.formularyItemId ? 'Hide batches' : 'Batches'}
          </Button>
          {can('pharmacy:manage') && (
            <Button
              size="small"
              aria-label={`Reorder level of ${formularyItemLabel(i)}`}
              onClick={() => setReorderItem(i)}
            >
              Reorder level
            </Button>
          )}
        </Stack>
      ),
    },
  ];
  const batchColumns: Column<Batch>[] = [
    { id: 'batch', header: 'Batch', render: (b) => b.batchNo },
    { id: 'brand', header: 'Brand', render: (b) => b.brandName ?? 'Generic', hideBelow: 'sm' },
    { id: 'expiry', header: 'Expiry', render: (b) => formatCalendarDate(b.expiryDate) },
    { id: 'left', header: 'Days left', render: (b) => <ExpiryChip daysToExpiry={b.daysToExpiry} /> },
    { id: 'qty', header: 'Units', align: 'right', render: (b) => b.quantity },
    { id: 'mrp', header: 'MRP', align: 'right', render: (b) => formatRupees(b.mrp) },
    ...(can('pharmacy:receive') && open
      ? [
          {
            id: 'actions',
            header: 'Actions',
            render: (b: Batch) => (
              <Button
                size="small"
                aria-label={`Return batch ${b.batchNo} to supplier`}
                onClick={() =>
                  setReturning({
                    batchId: b.batchId,
                    batchNo: b.batchNo,
                    expiryDate: b.expiryDate,
                    quantity: b.quantity,
                    itemLabel: formularyItemLabel(open),
                  })
                }
              >
                Return to supplier
              </Button>
            ),
          },
        ]
      : []),
  ];

  return (
    <>
      <PageHeader
        title="Pharmacy"
        subtitle="Stock by store: what can be issued today, what has expired, what to reorder"
        actions={
          <>
            {can('pharmacy:dispense') && (
              <Button component={RouterLink} to="/pharmacy/dispense" variant="contained">
                Dispense
              </Button>
            )}
            {can('pharmacy:receive') && (
              <Button component={RouterLink} to="/pharmacy/receipts/new" variant="outlined">
                Goods receipt
              </Button>
            )}
          </>
        }
      />
      <Stack spacing={3}>
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} sx={{ alignItems: { sm: 'center' } }}>
          <StoreSelect value={storeId} options={options} onChange={choose} />
          <TextField
            label="Search items"
            value={input}
            onChange={(e) => setInput(e.target.value)}
            placeholder="Generic name or code"
            autoFocus
            sx={{ minWidth: 260 }}
            slotProps={{ htmlInput: { type: 'search' } }}
          />
          <FormControlLabel
            control={<Checkbox checked={belowReorder} onChange={(e) => setBelowReorder(e.target.checked)} />}
            label="To reorder only"
          />
        </Stack>
        <ProblemAlert error={stores.error ?? stock.error} />
        <DataTable
          label="Stock"
          columns={columns}
          rows={items}
          rowKey={(i) => i.formularyItemId}
          loading={stock.isLoading}
          emptyText={storeId ? 'Nothing in stock matches' : 'Choose a store'}
        />
        {open && storeId && (
          <Section title={`Batches of ${formularyItemLabel(open)}`} testId="item-batches">
            <Typography color="text.secondary" sx={{ mb: 1 }}>
              First to expire first: sales and indents take them in this order. A batch expiring today is not
              sold.
            </Typography>
            <DataTable
              label={`Batches of ${formularyItemLabel(open)}`}
              columns={batchColumns}
              rows={open.batches}
              rowKey={(b) => b.batchId}
              emptyText="No batch in stock"
            />
            <Typography component="h3" variant="subtitle1" sx={{ fontWeight: 600, mt: 2, mb: 1 }}>
              Stock card
            </Typography>
            <StockCard
              storeId={storeId}
              itemId={open.formularyItemId}
              label={`Stock card of ${formularyItemLabel(open)}`}
            />
          </Section>
        )}
      </Stack>
      <ReorderDialog item={reorderItem} storeName={store?.name ?? ''} onClose={() => setReorderItem(null)} />
      <SupplierReturnDialog
        batch={returning}
        storeId={storeId ?? ''}
        storeName={store?.name ?? ''}
        onClose={() => setReturning(null)}
      />
    </>
  );
}
