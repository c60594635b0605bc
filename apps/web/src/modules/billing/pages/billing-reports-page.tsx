import Box from '@mui/material/Box';
import LinearProgress from '@mui/material/LinearProgress';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { BarChart } from '@mui/x-charts/BarChart';
import { PAYMENT_MODES } from '@newhms/contracts';
import { useState } from 'react';
import { type Column, DataTable } from '../../../ui/data-table';
import { useFacilityDate } from '../../../ui/facility-time';
import { formatRupees } from '../../../ui/money';
import { PageHeader } from '../../../ui/page-header';
import { ProblemAlert } from '../../../ui/problem-alert';
import { discountReasonLabels, paymentModeLabels, serviceGroupLabel } from '../billing-labels';
import { ModeTotalsTable } from '../components/mode-totals-table';
import { Section } from '../components/section';
import {
  type Period,
  useCollectionsReport,
  useDiscountReport,
  useRefundsReport,
  useRevenueReport,
} from '../hooks/use-billing';

type Named = { key: string; name: string; count?: number; amount: number; extra?: string };

function AmountTable({
  label,
  first,
  rows,
  countHeader,
}: {
  label: string;
  first: string;
  rows: Named[];
  countHeader?: string;
}) {
  const columns: Column<Named>[] = [
    { id: 'name', header: first, render: (r) => r.name },
    ...(countHeader
      ? [{ id: 'count', header: countHeader, align: 'right' as const, render: (r: Named) => r.count ?? '' }]
      : []),
    ...(rows.some((r) => r.extra)
      ? [{ id: 'extra', header: 'Group', render: (r: Named) => r.extra ?? '' }]
      : []),
    { id: 'amount', header: 'Amount', align: 'right', render: (r) => formatRupees(r.amount) },
  ];
  return (
    <DataTable
      label={label}
      columns={columns}
      rows={rows}
      rowKey={(r) => r.key}
      emptyText="Nothing in this period"
    />
  );
}

function Collections({ period }: { period: Period }) {
  const report = useCollectionsReport(period);
  const d = report.data;
  return (
    <Section title="Collections">
      {report.isFetching && <LinearProgress aria-label="Loading collections" />}
      <ProblemAlert error={report.error} />
      {d && (
        <Stack spacing={2}>
          <Box sx={{ display: 'flex', gap: 4, flexWrap: 'wrap' }}>
            <Typography>
              Received: <strong>{formatRupees(d.received)}</strong> in {d.receiptsCount} receipts
            </Typography>
            <Typography>
              Of which deposits: <strong>{formatRupees(d.byKind.deposit)}</strong>
            </Typography>
            <Typography>
              Refunded: <strong>{formatRupees(d.refunded)}</strong>
            </Typography>
            <Typography>
              Net: <strong>{formatRupees(d.net)}</strong>
            </Typography>
          </Box>
          <Box
            sx={{
              display: 'grid',
              gap: 2,
              gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' },
              alignItems: 'start',
            }}
          >
            <ModeTotalsTable label="Collections by mode" totals={d.byMode} />
            {/* The table beside it carries the same numbers for screen readers. */}
            <Box aria-hidden="true">
              <BarChart
                height={220}
                xAxis={[{ scaleType: 'band', data: PAYMENT_MODES.map((m) => paymentModeLabels[m]) }]}
                series={[{ data: PAYMENT_MODES.map((m) => d.byMode[m] / 100), label: 'Received (₹)' }]}
              />
            </Box>
          </Box>
          <AmountTable
            label="Collections by cashier"
            first="Cashier"
            countHeader="Receipts"
            rows={d.byCashier.map((c) => ({
              key: c.cashierId ?? c.cashierName,
              name: c.cashierName,
              count: c.receiptsCount,
              amount: c.received,
            }))}
          />
          <AmountTable
            label="Collections by department"
            first="Department"
            rows={d.byDepartment.map((r) => ({
              key: r.departmentId ?? r.departmentName,
              name: r.departmentName,
              amount: r.amount,
            }))}
          />
          <AmountTable
            label="Collections by service group"
            first="Service group"
            rows={d.byServiceGroup.map((r) => ({
              key: r.serviceGroup,
              name: serviceGroupLabel(r.serviceGroup),
              amount: r.amount,
            }))}
          />
        </Stack>
      )}
    </Section>
  );
}

function Revenue({ period }: { period: Period }) {
  const report = useRevenueReport(period);
  const d = report.data;
  return (
    <Section title="Revenue">
      {report.isFetching && <LinearProgress aria-label="Loading revenue" />}
      <ProblemAlert error={report.error} />
      {d && (
        <Stack spacing={2}>
          <Typography>
            Charged in the period: <strong>{formatRupees(d.total)}</strong>
          </Typography>
          <AmountTable
            label="Revenue by department"
            first="Department"
            countHeader="Charges"
            rows={d.byDepartment.map((r) => ({
              key: r.key,
              name: r.label,
              count: r.charges,
              amount: r.amount,
            }))}
          />
          <AmountTable
            label="Revenue by service"
            first="Service"
            countHeader="Quantity"
            rows={d.byService.map((r) => ({
              key: r.key,
              name: r.label,
              count: r.quantity,
              amount: r.amount,
              extra: serviceGroupLabel(r.serviceGroup),
            }))}
          />
        </Stack>
      )}
    </Section>
  );
}

function Discounts({ period }: { period: Period }) {
  const report = useDiscountReport(period);
  const d = report.data;
  return (
    <Section title="Discounts">
      {report.isFetching && <LinearProgress aria-label="Loading discounts" />}
      <ProblemAlert error={report.error} />
      {d && (
        <Stack spacing={2}>
          <Typography>
            Given on bills: <strong>{formatRupees(d.total.applied)}</strong> ({d.total.count} discounts,{' '}
            {d.total.pending} pending)
          </Typography>
          <AmountTable
            label="Discounts by reason"
            first="Reason"
            countHeader="Discounts"
            rows={d.byReason.map((r) => ({
              key: r.reason,
              name: discountReasonLabels[r.reason],
              count: r.count,
              amount: r.applied,
            }))}
          />
          <AmountTable
            label="Discounts by requester"
            first="Requested by"
            countHeader="Discounts"
            rows={d.byRequester.map((r) => ({
              key: r.name,
              name: r.name,
              count: r.count,
              amount: r.applied,
            }))}
          />
          <AmountTable
            label="Discounts by approver"
            first="Approved by"
            countHeader="Discounts"
            rows={d.byApprover.map((r) => ({ key: r.name, name: r.name, count: r.count, amount: r.applied }))}
          />
        </Stack>
      )}
    </Section>
  );
}

function Refunds({ period }: { period: Period }) {
  const report = useRefundsReport(period);
  const d = report.data;
  const rows = (list: { name: string; count: number; amount: number }[]) =>
    list.map((r) => ({ key: r.name, name: r.name, count: r.count, amount: r.amount }));
  return (
    <Section title="Refunds">
      {report.isFetching && <LinearProgress aria-label="Loading refunds" />}
      <ProblemAlert error={report.error} />
      {d && (
        <Stack spacing={2}>
          <Typography>
            Paid out: <strong>{formatRupees(d.total)}</strong> in {d.count} refunds
          </Typography>
          <AmountTable
            label="Refunds by requester"
            first="Requested by"
            countHeader="Refunds"
            rows={rows(d.byRequester)}
          />
          <AmountTable
            label="Refunds by approver"
            first="Approved by"
            countHeader="Refunds"
            rows={rows(d.byApprover)}
          />
          <AmountTable
            label="Refunds by cashier"
            first="Paid by"
            countHeader="Refunds"
            rows={rows(d.byPaidBy)}
          />
        </Stack>
      )}
    </Section>
  );
}

/** Billing reports at /billing/reports for a date range: collections, revenue, discounts and refunds. */
export function BillingReportsPage() {
  const [from, setFrom] = useFacilityDate((today) => `${today.slice(0, 8)}01`);
  const [to, setTo] = useFacilityDate();
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(from) && /^\d{4}-\d{2}-\d{2}$/.test(to) && from <= to;
  const [period, setPeriod] = useState<Period>({ from, to });
  if (valid && (period.from !== from || period.to !== to)) setPeriod({ from, to });
  return (
    <>
      <PageHeader
        title="Billing reports"
        subtitle="Collections, revenue, discounts and refunds by business date"
      />
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} sx={{ mb: 3 }}>
        <TextField
          label="From"
          type="date"
          value={from}
          onChange={(e) => setFrom(e.target.value)}
          slotProps={{ inputLabel: { shrink: true } }}
        />
        <TextField
          label="To"
          type="date"
          value={to}
          onChange={(e) => setTo(e.target.value)}
          error={!valid}
          helperText={valid ? ' ' : 'On or after the start'}
          slotProps={{ inputLabel: { shrink: true } }}
        />
      </Stack>
      <Stack spacing={3}>
        <Collections period={period} />
        <Revenue period={period} />
        <Discounts period={period} />
        <Refunds period={period} />
      </Stack>
    </>
  );
}
