import Add from '@mui/icons-material/Add';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Link from '@mui/material/Link';
import Stack from '@mui/material/Stack';
import type { BillingAccount, BillingAccountListItem } from '@newhms/contracts';
import { Link as RouterLink, useNavigate, useSearchParams } from 'react-router';
import { useAuth } from '../../../app/auth/auth-context';
import { type Column, DataTable } from '../../../ui/data-table';
import { calendarDateIn, useFacilityTimeZone } from '../../../ui/facility-time';
import { formatDateTime } from '../../../ui/format';
import { formatRupees } from '../../../ui/money';
import { PageHeader } from '../../../ui/page-header';
import { ProblemAlert } from '../../../ui/problem-alert';
import { PatientPicker } from '../../opd';
import { accountStatusLabels, payerCategoryLabels } from '../billing-labels';
import { Section } from '../components/section';
import {
  type UnpricedOrder,
  useCurrentShift,
  useFacilityAccounts,
  useOpenDeskAccount,
  usePatientAccounts,
  usePostUnpricedOrder,
  useUnpricedOrders,
} from '../hooks/use-billing';

function episodeLabel(a: BillingAccount): string {
  return a.kind === 'ipd' ? `In-patient stay ${a.admissionNumber ?? ''}`.trim() : 'Out-patient visit';
}

/** Balance due and deposit held: the lists carry each account's balances (no request per row). */
const balanceColumns: Column<BillingAccountListItem>[] = [
  {
    id: 'due',
    header: 'Balance due',
    align: 'right',
    render: (a) => formatRupees(a.balances.outstanding),
  },
  {
    id: 'held',
    header: 'Deposit held',
    align: 'right',
    render: (a) => formatRupees(a.balances.available),
  },
];

/**
 * The billing desk at /billing: the facility's open accounts (newest, so today's, first) with their balances;
 * find a patient to see all their accounts; orders still unpriced today.
 */
export function BillingHomePage() {
  const { can } = useAuth();
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const patientId = params.get('patientId');
  const accounts = usePatientAccounts(patientId);
  const openDesk = useOpenDeskAccount();
  const shift = useCurrentShift(can('billing:collect'));
  const zone = useFacilityTimeZone();
  const today = calendarDateIn(zone);
  const unpriced = useUnpricedOrders({ from: today, to: today });
  const open = useFacilityAccounts({ status: 'open' });
  const openAccounts = open.data?.pages.flatMap((p) => p.items) ?? [];
  const postOrder = usePostUnpricedOrder();

  const openColumns: Column<BillingAccountListItem>[] = [
    {
      id: 'patient',
      header: 'Patient',
      render: (a) => (
        <Link component="button" type="button" onClick={() => setParams({ patientId: a.patientId })}>
          {`${a.patientName} · MRN ${a.mrn}`}
        </Link>
      ),
    },
    {
      id: 'episode',
      header: 'Episode',
      render: (a) => (
        <Link component={RouterLink} to={`/billing/accounts/${a.id}`}>
          {episodeLabel(a)}
        </Link>
      ),
    },
    {
      id: 'opened',
      header: 'Opened',
      render: (a) => (
        <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
          <span>{formatDateTime(a.openedAt)}</span>
          {calendarDateIn(zone, new Date(a.openedAt)) === today && (
            <Chip size="small" color="primary" variant="outlined" label="Today" />
          )}
        </Stack>
      ),
    },
    {
      id: 'payer',
      header: 'Payer',
      render: (a) => payerCategoryLabels[a.payerCategory] ?? a.payerCategory,
      hideBelow: 'md',
    },
    {
      id: 'charged',
      header: 'Charged',
      align: 'right',
      render: (a) => formatRupees(a.balances.charged),
      hideBelow: 'sm',
    },
    ...balanceColumns,
  ];
  const columns: Column<BillingAccountListItem>[] = [
    {
      id: 'episode',
      header: 'Episode',
      render: (a) => (
        <Link component={RouterLink} to={`/billing/accounts/${a.id}`}>
          {episodeLabel(a)}
        </Link>
      ),
    },
    { id: 'opened', header: 'Opened', render: (a) => formatDateTime(a.openedAt) },
    { id: 'payer', header: 'Payer', render: (a) => payerCategoryLabels[a.payerCategory] ?? a.payerCategory },
    {
      id: 'status',
      header: 'Status',
      render: (a) => <Chip size="small" variant="outlined" label={accountStatusLabels[a.status]} />,
    },
    ...balanceColumns,
  ];
  const orderColumns: Column<UnpricedOrder>[] = [
    { id: 'when', header: 'Ordered', render: (o) => formatDateTime(o.requestedAt) },
    { id: 'what', header: 'Order', render: (o) => `${o.display}${o.code ? ` (${o.code})` : ''}` },
    { id: 'category', header: 'Category', render: (o) => o.category },
    {
      id: 'actions',
      header: 'Actions',
      render: (o) => (
        <Stack direction="row" spacing={1}>
          <Button size="small" onClick={() => setParams({ patientId: o.patientId })}>
            Patient's accounts
          </Button>
          {can('billing:charge') && (
            <Button size="small" disabled={postOrder.isPending} onClick={() => postOrder.mutate(o.orderId)}>
              Post charge
            </Button>
          )}
        </Stack>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title="Billing"
        subtitle="Find a patient to see their accounts, charges, bills and payments"
        actions={
          can('billing:collect') && (
            <Button component={RouterLink} to="/billing/cashier" variant="outlined">
              {shift.data ? `My shift: ${shift.data.counterName}` : 'Open my cashier shift'}
            </Button>
          )
        }
      />
      <Stack spacing={3}>
        <Section title="Patient">
          <PatientPicker
            value={patientId}
            onChange={(id) => setParams(id ? { patientId: id } : {})}
            label="Find the patient"
          />
        </Section>
        {patientId && (
          <Section
            title="Accounts"
            actions={
              can('billing:charge') && (
                <Button
                  variant="outlined"
                  startIcon={<Add />}
                  disabled={openDesk.isPending}
                  onClick={() =>
                    openDesk.mutate(
                      { patientId },
                      { onSuccess: (a) => navigate(`/billing/accounts/${a.id}`) },
                    )
                  }
                >
                  New desk account
                </Button>
              )
            }
          >
            <DataTable
              label="Accounts of the patient"
              columns={columns}
              rows={accounts.data ?? []}
              rowKey={(a) => a.id}
              loading={accounts.isLoading}
              emptyText="No account yet: one opens with a visit or an admission, or as a desk account for walk-in services"
            />
            <ProblemAlert error={accounts.error ?? openDesk.error} sx={{ mt: 1 }} />
          </Section>
        )}
        <Section title="Open accounts">
          <DataTable
            label="Open accounts"
            columns={openColumns}
            rows={openAccounts}
            rowKey={(a) => a.id}
            loading={open.isLoading}
            emptyText="No account is open"
            hasMore={open.hasNextPage}
            loadingMore={open.isFetchingNextPage}
            onLoadMore={() => open.fetchNextPage()}
          />
          <ProblemAlert error={open.error} sx={{ mt: 1 }} />
        </Section>
        <Section title="Orders not billed today">
          <Box sx={{ mb: 1, color: 'text.secondary' }}>
            Orders whose code matches no priced service: add the service and its price in the charge master,
            then post the charge.
          </Box>
          <DataTable
            label="Orders not billed today"
            columns={orderColumns}
            rows={unpriced.data ?? []}
            rowKey={(o) => o.orderId}
            loading={unpriced.isLoading}
            emptyText="Every order of today is billed"
          />
          <ProblemAlert error={unpriced.error ?? postOrder.error} sx={{ mt: 1 }} />
        </Section>
      </Stack>
    </>
  );
}
