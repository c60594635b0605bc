import PictureAsPdf from '@mui/icons-material/PictureAsPdf';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import LinearProgress from '@mui/material/LinearProgress';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { CashierShift, DayEndReport, ModeTotals } from '@newhms/contracts';
import { type FormEvent, useState } from 'react';
import { useAuth } from '../../../app/auth/auth-context';
import { ConfirmDialog } from '../../../ui/confirm-dialog';
import { type Column, DataTable } from '../../../ui/data-table';
import { useFacilityDate } from '../../../ui/facility-time';
import { formatDateTime } from '../../../ui/format';
import { formatRupees, parseRupees } from '../../../ui/money';
import { useOpenPdf } from '../../../ui/open-pdf';
import { PageHeader } from '../../../ui/page-header';
import { ProblemAlert } from '../../../ui/problem-alert';
import { paymentKindLabels, paymentModeLabels } from '../billing-labels';
import { CashDifference, differenceText } from '../components/cash-difference';
import { DueBeforeServiceSection } from '../components/due-before-service-section';
import { ModeTotalsTable } from '../components/mode-totals-table';
import { MoneyField } from '../components/money-field';
import { Section } from '../components/section';
import {
  isStale,
  type PaymentSummary,
  useCloseShift,
  useCounters,
  useCurrentShift,
  useDayEnd,
  useOpenShift,
  useShiftPayments,
} from '../hooks/use-billing';

function OpenShiftForm() {
  const counters = useCounters();
  const open = useOpenShift();
  const [counterId, setCounterId] = useState('');
  const [float, setFloat] = useState('0');
  const [submitted, setSubmitted] = useState(false);
  const paise = parseRupees(float);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (!counterId || paise === null) return;
    open.mutate({ counterId, openingFloat: paise });
  };
  return (
    <Section title="Open a shift">
      <Box component="form" onSubmit={submit} noValidate aria-label="Open a shift">
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} sx={{ alignItems: 'flex-start' }}>
          <TextField
            select
            label="Counter"
            value={counterId}
            onChange={(e) => setCounterId(e.target.value)}
            required
            sx={{ minWidth: 240 }}
            error={submitted && !counterId}
            helperText={
              submitted && !counterId
                ? 'Choose your counter'
                : counters.data?.length === 0
                  ? 'No counter is set up yet'
                  : ' '
            }
          >
            {(counters.data ?? []).map((c) => (
              <MenuItem key={c.id} value={c.id}>
                {c.name} ({c.code})
              </MenuItem>
            ))}
          </TextField>
          <Box sx={{ minWidth: 200 }}>
            <MoneyField
              label="Opening float"
              value={float}
              onChange={setFloat}
              required
              showErrors={submitted}
              helperText="Cash in the drawer at the start"
            />
          </Box>
          <Button type="submit" variant="contained" disabled={open.isPending} sx={{ mt: { sm: 0.25 } }}>
            Open shift
          </Button>
        </Stack>
        <ProblemAlert error={open.error ?? counters.error} sx={{ mt: 1 }} />
      </Box>
    </Section>
  );
}

function ShiftFigures({ shift }: { shift: CashierShift }) {
  return (
    <Box sx={{ display: 'flex', gap: 4, flexWrap: 'wrap', mb: 2 }}>
      <Box>
        <Typography variant="body2" color="text.secondary">
          Counter
        </Typography>
        <Typography sx={{ fontWeight: 600 }}>
          {shift.counterName} ({shift.counterCode})
        </Typography>
      </Box>
      <Box>
        <Typography variant="body2" color="text.secondary">
          Opened
        </Typography>
        <Typography sx={{ fontWeight: 600 }}>{formatDateTime(shift.openedAt)}</Typography>
      </Box>
      <Box>
        <Typography variant="body2" color="text.secondary">
          Opening float
        </Typography>
        <Typography sx={{ fontWeight: 600 }}>{formatRupees(shift.openingFloat)}</Typography>
      </Box>
      <Box>
        <Typography variant="body2" color="text.secondary">
          Receipts
        </Typography>
        <Typography sx={{ fontWeight: 600 }}>{shift.receiptsCount}</Typography>
      </Box>
      <Box>
        <Typography variant="body2" color="text.secondary">
          Expected cash in the drawer
        </Typography>
        <Typography sx={{ fontWeight: 700, fontSize: '1.2rem' }} data-testid="expected-cash">
          {formatRupees(shift.expectedCash)}
        </Typography>
      </Box>
    </Box>
  );
}

type CloseMutation = ReturnType<typeof useCloseShift>;

function CloseShiftForm({ shift, close }: { shift: CashierShift; close: CloseMutation }) {
  const [counted, setCounted] = useState('');
  const [note, setNote] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const paise = parseRupees(counted);
  const difference = paise === null ? null : paise - shift.expectedCash;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (paise !== null) setConfirming(true);
  };
  return (
    <Box component="form" onSubmit={submit} noValidate aria-label="Close the shift">
      <Typography component="h3" variant="subtitle1" sx={{ fontWeight: 600, mb: 1 }}>
        Close the shift
      </Typography>
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} sx={{ alignItems: 'flex-start' }}>
        <Box sx={{ minWidth: 220 }}>
          <MoneyField
            label="Cash counted"
            value={counted}
            onChange={setCounted}
            required
            showErrors={submitted}
            helperText={`Expected ${formatRupees(shift.expectedCash)}`}
          />
        </Box>
        <TextField
          label="Closing note"
          value={note}
          onChange={(e) => setNote(e.target.value)}
          sx={{ flexGrow: 1 }}
          helperText="Explain a difference, if any"
          slotProps={{ htmlInput: { maxLength: 500 } }}
        />
        <Button type="submit" variant="contained" disabled={close.isPending} sx={{ mt: { sm: 0.25 } }}>
          Close shift
        </Button>
      </Stack>
      {paise !== null && (
        <Typography sx={{ mt: 1 }} aria-live="polite" data-testid="closing-difference">
          Expected {formatRupees(shift.expectedCash)}, counted {formatRupees(paise)}:{' '}
          <CashDifference difference={difference} />
        </Typography>
      )}
      <ProblemAlert error={close.error} sx={{ mt: 1 }} titles={{ STALE_VERSION: 'The shift changed' }} />
      {isStale(close.error) && (
        <Typography>New receipts came in: check the figures and close again.</Typography>
      )}
      <ConfirmDialog
        open={confirming}
        title="Close the shift?"
        message={`Expected ${formatRupees(shift.expectedCash)}, counted ${formatRupees(paise ?? 0)}: ${differenceText(difference)}. No more payments can be taken in this shift.`}
        confirmLabel="Close shift"
        busy={close.isPending}
        onCancel={() => setConfirming(false)}
        onConfirm={() => {
          setConfirming(false);
          if (paise === null) return;
          close.mutate({
            id: shift.id,
            countedCash: paise,
            note: note.trim() || null,
            version: shift.version,
          });
        }}
      />
    </Box>
  );
}

function ShiftSummaryPdfButton({ shiftId }: { shiftId: string }) {
  const openPdf = useOpenPdf();
  return (
    <>
      <Button
        startIcon={<PictureAsPdf />}
        onClick={() =>
          openPdf.mutate({
            path: `/billing/cashier/shifts/${shiftId}/summary.pdf`,
            filename: 'shift-summary.pdf',
          })
        }
      >
        Shift summary PDF
      </Button>
      <ProblemAlert error={openPdf.error} />
    </>
  );
}

function CurrentShift({ shift, close }: { shift: CashierShift; close: CloseMutation }) {
  const receipts = useShiftPayments(shift.id);
  const columns: Column<PaymentSummary>[] = [
    { id: 'receipt', header: 'Receipt', render: (p) => p.receiptNumber },
    { id: 'when', header: 'Time', render: (p) => formatDateTime(p.receivedAt) },
    { id: 'patient', header: 'Patient', render: (p) => `${p.patientName} · MRN ${p.mrn}` },
    { id: 'kind', header: 'Kind', render: (p) => paymentKindLabels[p.kind] },
    {
      id: 'mode',
      header: 'Mode',
      render: (p) => `${paymentModeLabels[p.mode]}${p.reference ? ` · ${p.reference}` : ''}`,
    },
    { id: 'amount', header: 'Amount', align: 'right', render: (p) => formatRupees(p.amount) },
  ];
  return (
    <Section title="My shift" testId="current-shift" actions={<ShiftSummaryPdfButton shiftId={shift.id} />}>
      <ShiftFigures shift={shift} />
      <Stack spacing={2}>
        <ModeTotalsTable
          label="Shift totals by mode"
          totals={shift.totals}
          second={{ header: 'Refunds paid', totals: shift.refundTotals }}
        />
        <DataTable
          label="Receipts of the shift"
          columns={columns}
          rows={receipts.data ?? []}
          rowKey={(p) => p.id}
          loading={receipts.isLoading}
          emptyText="No receipt yet"
        />
        <CloseShiftForm shift={shift} close={close} />
      </Stack>
    </Section>
  );
}

type DayRow = DayEndReport['byCashier'][number] & { key: string; name: string };

function totalOf(t: ModeTotals): number {
  return t.cash + t.card + t.upi + t['bank-transfer'] + t.cheque;
}

function DayEndSection() {
  const [date, setDate] = useFacilityDate();
  const report = useDayEnd(date);
  const columns = (first: string): Column<DayRow>[] => [
    { id: 'name', header: first, render: (r) => r.name },
    { id: 'receipts', header: 'Receipts', align: 'right', render: (r) => r.receiptsCount },
    { id: 'cash', header: 'Cash', align: 'right', render: (r) => formatRupees(r.totals.cash) },
    { id: 'card', header: 'Card', align: 'right', render: (r) => formatRupees(r.totals.card) },
    { id: 'upi', header: 'UPI', align: 'right', render: (r) => formatRupees(r.totals.upi) },
    {
      id: 'bank',
      header: 'Bank transfer',
      align: 'right',
      render: (r) => formatRupees(r.totals['bank-transfer']),
    },
    { id: 'cheque', header: 'Cheque', align: 'right', render: (r) => formatRupees(r.totals.cheque) },
    { id: 'total', header: 'Total received', align: 'right', render: (r) => formatRupees(totalOf(r.totals)) },
    { id: 'refunded', header: 'Refunded', align: 'right', render: (r) => formatRupees(r.refunded) },
    { id: 'expected', header: 'Expected cash', align: 'right', render: (r) => formatRupees(r.expectedCash) },
    {
      id: 'counted',
      header: 'Counted cash',
      align: 'right',
      render: (r) => (r.countedCash === null ? '—' : formatRupees(r.countedCash)),
    },
    {
      id: 'difference',
      header: 'Difference',
      render: (r) =>
        r.openShifts > 0 ? (
          `${r.openShifts} shift${r.openShifts > 1 ? 's' : ''} still open`
        ) : (
          <CashDifference difference={r.difference} />
        ),
    },
  ];
  const d = report.data;
  const byCashier: DayRow[] = (d?.byCashier ?? []).map((r) => ({
    ...r,
    key: r.cashierId,
    name: r.cashierName,
  }));
  const byCounter: DayRow[] = (d?.byCounter ?? []).map((r) => ({
    ...r,
    cashierId: r.counterId,
    cashierName: r.counterName,
    key: r.counterId,
    name: `${r.counterName} (${r.counterCode})`,
  }));
  return (
    <Section title="Day-end summary" testId="day-end">
      <Stack spacing={2}>
        <TextField
          label="Business date"
          type="date"
          value={date}
          onChange={(e) => setDate(e.target.value)}
          sx={{ maxWidth: 220 }}
          slotProps={{ inputLabel: { shrink: true } }}
        />
        {report.isFetching && <LinearProgress aria-label="Loading the day-end summary" />}
        <ProblemAlert error={report.error} />
        {d && (
          <>
            <Box sx={{ display: 'flex', gap: 4, flexWrap: 'wrap' }} data-testid="day-end-totals">
              <Typography>
                Received: <strong>{formatRupees(totalOf(d.totals))}</strong> in {d.receiptsCount} receipts
              </Typography>
              <Typography>
                Refunded: <strong>{formatRupees(d.refunded)}</strong>
              </Typography>
              <Typography>
                Expected cash: <strong>{formatRupees(d.expectedCash)}</strong>
              </Typography>
              <Typography>
                Counted cash: <strong>{d.countedCash === null ? '—' : formatRupees(d.countedCash)}</strong>
              </Typography>
              <Typography>
                Difference: <CashDifference difference={d.difference} testId="day-end-difference" />
              </Typography>
            </Box>
            {d.openShifts > 0 && (
              <Alert severity="info">
                {d.openShifts} shift{d.openShifts > 1 ? 's are' : ' is'} still open: the day is not closed
                until every shift is.
              </Alert>
            )}
            <DataTable
              label="Day-end by cashier"
              columns={columns('Cashier')}
              rows={byCashier}
              rowKey={(r) => r.key}
              emptyText="No shift on this date"
            />
            <DataTable
              label="Day-end by counter"
              columns={columns('Counter')}
              rows={byCounter}
              rowKey={(r) => r.key}
              emptyText="No shift on this date"
            />
          </>
        )}
      </Stack>
    </Section>
  );
}

function ClosedShiftResult({ shift, onDismiss }: { shift: CashierShift; onDismiss: () => void }) {
  return (
    <Alert
      severity={shift.difference === 0 ? 'success' : 'warning'}
      data-testid="shift-closed"
      action={
        <Button color="inherit" onClick={onDismiss}>
          Dismiss
        </Button>
      }
    >
      Shift at {shift.counterName} closed. Expected {formatRupees(shift.expectedCash)}, counted{' '}
      {formatRupees(shift.countedCash)}: {differenceText(shift.difference)}.
      <Box sx={{ mt: 1 }}>
        <ShiftSummaryPdfButton shiftId={shift.id} />
      </Box>
    </Alert>
  );
}

/**
 * The cashier at /billing/cashier: open a shift, its receipts and totals, close with the cash counted; the
 * patients to call first (services paid before they are given); the day's end.
 */
export function CashierPage() {
  const { can } = useAuth();
  const shift = useCurrentShift();
  // Held here: closing the shift unmounts the shift's own section, and the result must still show.
  const close = useCloseShift();
  const closed = close.data ?? null;
  return (
    <>
      <PageHeader title="Cashier" subtitle="Your shift at the counter, and the day's closing" />
      <Stack spacing={3}>
        {closed && <ClosedShiftResult shift={closed} onDismiss={() => close.reset()} />}
        {shift.isLoading && <LinearProgress aria-label="Loading your shift" />}
        <ProblemAlert error={shift.error} />
        {shift.isSuccess &&
          (shift.data ? <CurrentShift shift={shift.data} close={close} /> : <OpenShiftForm />)}
        {can('billing:read') && <DueBeforeServiceSection />}
        {(can('billing:collect') || can('billing:reports')) && <DayEndSection />}
      </Stack>
    </>
  );
}
