import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { adjustmentStatuses, type StockAdjustment, type StockItem } from '@newhms/contracts';
import { type FormEvent, useState } from 'react';
import { useAuth } from '../../../app/auth/auth-context';
import { type Column, DataTable } from '../../../ui/data-table';
import { formatCalendarDate } from '../../../ui/facility-time';
import { formatDateTime } from '../../../ui/format';
import { PageHeader } from '../../../ui/page-header';
import { ProblemAlert } from '../../../ui/problem-alert';
import { DecisionDialog } from '../components/decision-dialog';
import { Section } from '../components/section';
import { StockItemPicker } from '../components/stock-item-picker';
import { StoreSelect } from '../components/store-select';
import { useChosenStore } from '../hooks/use-chosen-store';
import { useAdjustments, useRequestAdjustment } from '../hooks/use-pharmacy';
import { adjustmentKindLabels, adjustmentStatusLabels, signedUnits } from '../pharmacy-labels';
import { parseSignedUnits } from '../units';

/**
 * Stock adjustments at /pharmacy/adjustments: ask for a correction of a batch (breakage, loss, a count found
 * higher), and decide the pending ones of others. Nothing moves until a second person approves.
 */
export function AdjustmentsPage() {
  const { can } = useAuth();
  const { storeId, options, choose } = useChosenStore();
  const request = useRequestAdjustment();
  const [status, setStatus] = useState<StockAdjustment['status']>('pending');
  const list = useAdjustments(status);
  const [item, setItem] = useState<StockItem | null>(null);
  const [batchId, setBatchId] = useState('');
  const [quantity, setQuantity] = useState('');
  const [reason, setReason] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [deciding, setDeciding] = useState<{ a: StockAdjustment; decision: 'approved' | 'rejected' } | null>(
    null,
  );
  const units = parseSignedUnits(quantity);
  const canRequest = can('pharmacy:receive');
  const canDecide = can('pharmacy:approve-adjustment');

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    setDone(null);
    if (!storeId || !batchId || units === null || reason.trim() === '') return;
    request.mutate(
      { storeId, batchId, quantity: units, kind: 'adjustment', reason: reason.trim() },
      {
        onSuccess: (a) => {
          setDone(
            `Asked: ${signedUnits(a.quantity)} of ${a.genericName}, batch ${a.batchNo}. Another pharmacist approves it.`,
          );
          setItem(null);
          setBatchId('');
          setQuantity('');
          setReason('');
          setSubmitted(false);
          setStatus('pending');
        },
      },
    );
  };

  const columns: Column<StockAdjustment>[] = [
    { id: 'when', header: 'Asked', render: (a) => `${formatDateTime(a.requestedAt)} · ${a.requestedByName}` },
    { id: 'item', header: 'Item', render: (a) => a.genericName },
    { id: 'batch', header: 'Batch', render: (a) => a.batchNo },
    { id: 'store', header: 'Store', render: (a) => a.storeName, hideBelow: 'md' },
    { id: 'kind', header: 'Kind', render: (a) => adjustmentKindLabels[a.kind], hideBelow: 'sm' },
    { id: 'qty', header: 'Units', align: 'right', render: (a) => signedUnits(a.quantity) },
    { id: 'reason', header: 'Reason', render: (a) => a.reason },
    ...(status === 'pending'
      ? [
          {
            id: 'actions',
            header: 'Actions',
            render: (a: StockAdjustment) =>
              canDecide ? (
                <Stack direction="row" spacing={1}>
                  <Button
                    size="small"
                    aria-label={`Approve ${signedUnits(a.quantity)} of ${a.genericName} batch ${a.batchNo}`}
                    onClick={() => setDeciding({ a, decision: 'approved' })}
                  >
                    Approve
                  </Button>
                  <Button
                    size="small"
                    color="error"
                    aria-label={`Reject ${signedUnits(a.quantity)} of ${a.genericName} batch ${a.batchNo}`}
                    onClick={() => setDeciding({ a, decision: 'rejected' })}
                  >
                    Reject
                  </Button>
                </Stack>
              ) : null,
          },
        ]
      : [
          {
            id: 'decided',
            header: 'Decided',
            render: (a: StockAdjustment) =>
              [a.decidedByName, formatDateTime(a.decidedAt), a.decisionNote].filter(Boolean).join(' · '),
          },
        ]),
  ];

  return (
    <>
      <PageHeader
        title="Stock adjustments"
        subtitle="Corrections of a batch's units: asked by one person, applied when another approves"
      />
      <Stack spacing={3}>
        {canRequest && (
          <Section title="Ask for an adjustment">
            <Box component="form" onSubmit={submit} noValidate aria-label="Ask for an adjustment">
              <Box
                sx={{
                  display: 'grid',
                  gap: 1.5,
                  gridTemplateColumns: { xs: '1fr', md: '1fr 2fr 2fr 1fr' },
                  alignItems: 'start',
                }}
              >
                <StoreSelect value={storeId} options={options} onChange={choose} fullWidth />
                <StockItemPicker
                  storeId={storeId}
                  value={item}
                  label="Item"
                  onChange={(next) => {
                    setItem(next);
                    setBatchId(next?.batches[0]?.batchId ?? '');
                  }}
                  error={submitted && !item ? 'Choose the item' : undefined}
                />
                <TextField
                  select
                  label="Batch"
                  value={batchId}
                  onChange={(e) => setBatchId(e.target.value)}
                  required
                  error={submitted && !batchId}
                  helperText={submitted && !batchId ? 'Choose the batch' : ' '}
                >
                  {(item?.batches ?? []).map((b) => (
                    <MenuItem key={b.batchId} value={b.batchId}>
                      {`${b.batchNo} · exp. ${formatCalendarDate(b.expiryDate)} · ${b.quantity} in stock`}
                    </MenuItem>
                  ))}
                </TextField>
                <TextField
                  label="Units"
                  value={quantity}
                  onChange={(e) => setQuantity(e.target.value)}
                  required
                  error={submitted && units === null}
                  helperText={
                    submitted && units === null ? 'A whole number, not zero' : '-3 takes out, +2 adds'
                  }
                  slotProps={{ htmlInput: { inputMode: 'numeric', autoComplete: 'off' } }}
                />
              </Box>
              <TextField
                label="Reason"
                value={reason}
                onChange={(e) => setReason(e.target.value)}
                required
                fullWidth
                sx={{ mt: 1 }}
                error={submitted && reason.trim() === ''}
                helperText={
                  submitted && reason.trim() === '' ? 'Give a reason' : 'Breakage, loss, a recount…'
                }
                slotProps={{ htmlInput: { maxLength: 300 } }}
              />
              <ProblemAlert error={request.error} sx={{ mt: 1 }} />
              {done && (
                <Typography role="status" color="success.main" sx={{ mt: 1 }}>
                  {done}
                </Typography>
              )}
              <Button type="submit" variant="contained" sx={{ mt: 1 }} disabled={request.isPending}>
                Ask for adjustment
              </Button>
            </Box>
          </Section>
        )}
        <Section title="Adjustments">
          <Tabs
            value={status}
            onChange={(_, v) => setStatus(v)}
            aria-label="Adjustments by status"
            sx={{ mb: 1 }}
          >
            {adjustmentStatuses.map((s) => (
              <Tab key={s} value={s} label={adjustmentStatusLabels[s]} />
            ))}
          </Tabs>
          <DataTable
            label={`${adjustmentStatusLabels[status]} adjustments`}
            columns={columns}
            rows={list.data ?? []}
            rowKey={(a) => a.id}
            loading={list.isLoading}
            emptyText={status === 'pending' ? 'Nothing waits for approval' : 'None'}
          />
          <ProblemAlert error={list.error} sx={{ mt: 1 }} />
        </Section>
      </Stack>
      <DecisionDialog
        adjustment={deciding?.a ?? null}
        decision={deciding?.decision ?? 'approved'}
        onClose={() => setDeciding(null)}
      />
    </>
  );
}
