import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { ExpiringBatch } from '@newhms/contracts';
import { useState } from 'react';
import { useAuth } from '../../../app/auth/auth-context';
import { type Column, DataTable } from '../../../ui/data-table';
import { formatCalendarDate } from '../../../ui/facility-time';
import { formatRupees } from '../../../ui/money';
import { PageHeader } from '../../../ui/page-header';
import { ProblemAlert } from '../../../ui/problem-alert';
import { ReasonDialog } from '../../../ui/reason-dialog';
import { ExpiryChip } from '../components/expiry-chip';
import { Section } from '../components/section';
import { StoreSelect } from '../components/store-select';
import { expiryBandColor, expiryBandLabels } from '../expiry-bands';
import { useExpiringStock, useRequestAdjustment, useStores } from '../hooks/use-pharmacy';

const bands = ['expired', '30', '60', '90'] as const;

/**
 * Expiry at /pharmacy/expiry: batches expired or expiring within 30, 60 and 90 days, with units and value at
 * cost, for one store or all; an expired batch can be put up for write-off (a second person approves).
 */
export function ExpiryPage() {
  const { can } = useAuth();
  const stores = useStores();
  const [storeId, setStoreId] = useState('');
  const expiring = useExpiringStock(storeId || null);
  const request = useRequestAdjustment();
  const [writeOff, setWriteOff] = useState<ExpiringBatch | null>(null);
  const [asked, setAsked] = useState<string | null>(null);
  const rows = expiring.data ?? [];
  const columns: Column<ExpiringBatch>[] = [
    { id: 'item', header: 'Item', render: (b) => `${b.genericName} ${b.strength}`.trim() },
    { id: 'batch', header: 'Batch', render: (b) => b.batchNo },
    { id: 'store', header: 'Store', render: (b) => b.storeName, hideBelow: 'sm' },
    { id: 'expiry', header: 'Expiry', render: (b) => formatCalendarDate(b.expiryDate) },
    { id: 'left', header: 'Days left', render: (b) => <ExpiryChip daysToExpiry={b.daysToExpiry} /> },
    { id: 'qty', header: 'Units', align: 'right', render: (b) => b.quantity },
    { id: 'value', header: 'Value at cost', align: 'right', render: (b) => formatRupees(b.costValue) },
    {
      id: 'actions',
      header: 'Actions',
      render: (b) =>
        b.band === 'expired' && can('pharmacy:receive') ? (
          <Button
            size="small"
            aria-label={`Write off batch ${b.batchNo} of ${b.genericName}`}
            onClick={() => {
              request.reset();
              setWriteOff(b);
            }}
          >
            Write off
          </Button>
        ) : null,
    },
  ];
  return (
    <>
      <PageHeader
        title="Expiry"
        subtitle="Batches expired or expiring within 90 days, first to expire first, with their value at cost"
      />
      <Stack spacing={3}>
        <StoreSelect
          value={storeId}
          options={(stores.data ?? []).filter((s) => s.active)}
          onChange={setStoreId}
          emptyLabel="All stores"
        />
        {asked && (
          <Typography role="status" color="success.main">
            {asked}
          </Typography>
        )}
        <ProblemAlert error={expiring.error} />
        {bands.map((band) => {
          const inBand = rows.filter((r) => r.band === band);
          const value = inBand.reduce((s, r) => s + r.costValue, 0);
          return (
            <Section
              key={band}
              title={expiryBandLabels[band]}
              testId={`expiry-band-${band}`}
              actions={
                <Chip
                  size="small"
                  variant="outlined"
                  color={expiryBandColor(band)}
                  label={`${inBand.length} batch${inBand.length === 1 ? '' : 'es'} · ${formatRupees(value)}`}
                />
              }
            >
              <DataTable
                label={expiryBandLabels[band]}
                columns={columns}
                rows={inBand}
                rowKey={(r) => `${r.storeId}:${r.batchId}`}
                loading={expiring.isLoading}
                emptyText="None"
              />
            </Section>
          );
        })}
      </Stack>
      <ReasonDialog
        open={!!writeOff}
        title="Ask for a write-off"
        message={
          writeOff
            ? `${writeOff.quantity} unit(s) of ${writeOff.genericName} ${writeOff.strength}, batch ${writeOff.batchNo}, in ${writeOff.storeName} (${formatRupees(writeOff.costValue)} at cost). Another pharmacist approves before the stock goes.`
            : undefined
        }
        confirmLabel="Ask for write-off"
        danger
        busy={request.isPending}
        error={request.error}
        onCancel={() => setWriteOff(null)}
        onConfirm={(reason) => {
          if (!writeOff) return;
          request.mutate(
            {
              storeId: writeOff.storeId,
              batchId: writeOff.batchId,
              quantity: -writeOff.quantity,
              kind: 'expired-write-off',
              reason,
            },
            {
              onSuccess: () => {
                setAsked(
                  `Write-off of batch ${writeOff.batchNo} asked for: it waits for approval in Stock adjustments.`,
                );
                setWriteOff(null);
              },
            },
          );
        }}
      />
    </>
  );
}
