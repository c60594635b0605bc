import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import LinearProgress from '@mui/material/LinearProgress';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { type PurchaseOrder, purchaseOrderStatuses } from '@newhms/contracts';
import { useState } from 'react';
import { Link as RouterLink, useSearchParams } from 'react-router';
import { ApiError } from '../../../app/api-client';
import { useAuth } from '../../../app/auth/auth-context';
import { type Column, DataTable } from '../../../ui/data-table';
import { formatDateTime } from '../../../ui/format';
import { formatRupees } from '../../../ui/money';
import { PageHeader } from '../../../ui/page-header';
import { ProblemAlert } from '../../../ui/problem-alert';
import { PurchaseOrderDetail } from '../components/purchase-order-detail';
import { PurchaseOrderForm } from '../components/purchase-order-form';
import { PurchaseOrderStatusChip } from '../components/purchase-order-status-chip';
import { Section } from '../components/section';
import { StoreSelect } from '../components/store-select';
import { SupplierSelect } from '../components/supplier-select';
import { useChosenStore } from '../hooks/use-chosen-store';
import { usePurchaseOrder, usePurchaseOrders, useSuggestPurchaseOrder } from '../hooks/use-pharmacy';
import { purchaseOrderStatusLabels } from '../pharmacy-labels';
import { receivedOfOrdered } from '../purchase-orders';

/**
 * Purchase orders at /pharmacy/purchase-orders: a draft from the store's reorder levels or typed by hand,
 * placed with the supplier, filled by goods receipts that name it; the list by status, supplier and store.
 */
export function PurchaseOrdersPage() {
  const { can } = useAuth();
  const { storeId, options, choose } = useChosenStore();
  const [supplierId, setSupplierId] = useState('');
  const [byHand, setByHand] = useState(false);
  const [missing, setMissing] = useState(false);
  const [status, setStatus] = useState<PurchaseOrder['status'] | ''>('');
  const [supplierFilter, setSupplierFilter] = useState('');
  const [storeFilter, setStoreFilter] = useState('');
  const [params, setParams] = useSearchParams();
  const openId = params.get('id');
  const orders = usePurchaseOrders({ status: status || undefined, supplierId: supplierFilter || undefined });
  const open = usePurchaseOrder(openId);
  const suggest = useSuggestPurchaseOrder();
  const nothingToOrder =
    suggest.error instanceof ApiError && suggest.error.code === 'PHARMACY_NOTHING_TO_ORDER';

  const show = (id: string | null) =>
    setParams((p) => {
      const next = new URLSearchParams(p);
      if (id) next.set('id', id);
      else next.delete('id');
      return next;
    });

  const suggestFromReorder = () => {
    setMissing(!supplierId || !storeId);
    if (!supplierId || !storeId) return;
    suggest.mutate({ supplierId, storeId }, { onSuccess: (po) => show(po.id) });
  };

  const rows = (orders.data ?? []).filter((o) => !storeFilter || o.storeId === storeFilter);
  const columns: Column<PurchaseOrder>[] = [
    { id: 'number', header: 'Order', render: (o) => o.number },
    { id: 'supplier', header: 'Supplier', render: (o) => o.supplierName },
    { id: 'store', header: 'Store', render: (o) => o.storeName, hideBelow: 'sm' },
    { id: 'status', header: 'Status', render: (o) => <PurchaseOrderStatusChip status={o.status} /> },
    { id: 'total', header: 'Total', align: 'right', render: (o) => formatRupees(o.total) },
    {
      id: 'lines',
      header: 'Received / ordered',
      align: 'right',
      render: (o) => `${receivedOfOrdered(o)} (${o.lines.length} item${o.lines.length === 1 ? '' : 's'})`,
      hideBelow: 'md',
    },
    {
      id: 'when',
      header: 'Ordered',
      render: (o) => (o.orderedAt ? formatDateTime(o.orderedAt) : '—'),
      hideBelow: 'md',
    },
    {
      id: 'actions',
      header: 'Actions',
      render: (o) => (
        <Button size="small" aria-label={`Open ${o.number}`} onClick={() => show(o.id)}>
          Open
        </Button>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title="Purchase orders"
        subtitle="What the pharmacy asks its suppliers for, and what has come against it"
        actions={
          can('pharmacy:receive') && (
            <Button component={RouterLink} to="/pharmacy/receipts/new" variant="outlined">
              Goods receipt
            </Button>
          )
        }
      />
      <Stack spacing={3}>
        {can('pharmacy:receive') && (
          <Section title="New purchase order">
            <Stack spacing={2}>
              <Stack
                direction={{ xs: 'column', sm: 'row' }}
                spacing={2}
                sx={{ alignItems: { sm: 'center' } }}
              >
                <SupplierSelect
                  value={supplierId}
                  onChange={(id) => {
                    setSupplierId(id);
                    suggest.reset();
                  }}
                  required
                  error={missing && !supplierId ? 'Choose the supplier' : undefined}
                />
                <StoreSelect
                  value={storeId}
                  options={options}
                  onChange={(id) => {
                    choose(id);
                    suggest.reset();
                  }}
                  required
                />
                <Button variant="contained" onClick={suggestFromReorder} disabled={suggest.isPending}>
                  New from reorder levels
                </Button>
                <Button variant="outlined" onClick={() => setByHand(true)} disabled={byHand}>
                  New
                </Button>
              </Stack>
              {nothingToOrder ? (
                <Alert severity="info" role="status" data-testid="nothing-to-order">
                  Nothing to order: no item of this store is at or under its reorder level. Set reorder levels
                  on the stock page, or make the order by hand.
                </Alert>
              ) : (
                <ProblemAlert error={suggest.error} />
              )}
              {byHand && (
                <PurchaseOrderForm
                  supplierId={supplierId}
                  storeId={storeId}
                  onCancel={() => setByHand(false)}
                  onCreated={(po) => {
                    setByHand(false);
                    show(po.id);
                  }}
                />
              )}
            </Stack>
          </Section>
        )}
        {openId && open.isLoading && <LinearProgress aria-label="Loading the purchase order" />}
        <ProblemAlert error={open.error} />
        {open.data && openId && <PurchaseOrderDetail po={open.data} onClose={() => show(null)} />}
        <Section title="Purchase orders">
          <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} sx={{ mb: 2 }}>
            <TextField
              select
              label="Status"
              value={status}
              onChange={(e) => setStatus(e.target.value as PurchaseOrder['status'] | '')}
              sx={{ minWidth: 200 }}
            >
              <MenuItem value="">Any status</MenuItem>
              {purchaseOrderStatuses.map((s) => (
                <MenuItem key={s} value={s}>
                  {purchaseOrderStatusLabels[s]}
                </MenuItem>
              ))}
            </TextField>
            <SupplierSelect
              label="Supplier filter"
              value={supplierFilter}
              onChange={setSupplierFilter}
              emptyLabel="All suppliers"
            />
            <StoreSelect
              label="Store filter"
              value={storeFilter}
              options={options}
              onChange={setStoreFilter}
              emptyLabel="All stores"
            />
          </Stack>
          <DataTable
            label="Purchase orders"
            columns={columns}
            rows={rows}
            rowKey={(o) => o.id}
            loading={orders.isLoading}
            emptyText="No purchase order"
          />
          <ProblemAlert error={orders.error} sx={{ mt: 1 }} />
        </Section>
      </Stack>
    </>
  );
}
