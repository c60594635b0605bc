import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Link from '@mui/material/Link';
import Stack from '@mui/material/Stack';
import type { DueBeforeServiceItem } from '@newhms/contracts';
import { Link as RouterLink } from 'react-router';
import { type Column, DataTable } from '../../../ui/data-table';
import { calendarDateIn, formatCalendarDate, useFacilityTimeZone } from '../../../ui/facility-time';
import { formatDateTime } from '../../../ui/format';
import { formatRupees } from '../../../ui/money';
import { ProblemAlert } from '../../../ui/problem-alert';
import { useDueBeforeService } from '../hooks/use-billing';
import { Section } from './section';

/**
 * "To pay before service": the facility's OPD charges whose service is paid before it is given and that are
 * not paid yet, today's first (`GET /billing/due-before-service`), each with a link to its account.
 */
export function DueBeforeServiceSection() {
  const zone = useFacilityTimeZone();
  const today = calendarDateIn(zone);
  const due = useDueBeforeService();
  const rows = due.data?.pages.flatMap((p) => p.items) ?? [];
  const columns: Column<DueBeforeServiceItem>[] = [
    {
      id: 'patient',
      header: 'Patient',
      render: (d) => (
        <Link
          component={RouterLink}
          to={`/billing/accounts/${d.accountId}`}
          aria-label={`Open the account of ${d.patientName}, MRN ${d.mrn}`}
        >
          {`${d.patientName} · MRN ${d.mrn}`}
        </Link>
      ),
    },
    {
      id: 'service',
      header: 'Service',
      render: (d) => `${d.serviceName} (${d.serviceCode})${d.quantity > 1 ? ` × ${d.quantity}` : ''}`,
    },
    {
      id: 'date',
      header: 'Service date',
      render: (d) => (
        <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
          <span>{formatCalendarDate(d.serviceDate)}</span>
          {d.serviceDate === today && <Chip size="small" color="primary" variant="outlined" label="Today" />}
        </Stack>
      ),
    },
    { id: 'posted', header: 'Charged at', render: (d) => formatDateTime(d.postedAt), hideBelow: 'md' },
    { id: 'amount', header: 'Amount', align: 'right', render: (d) => formatRupees(d.amount) },
    {
      id: 'bill',
      header: 'Bill',
      render: (d) => (d.invoiceId ? 'Billed, not fully paid' : 'Not billed yet'),
    },
  ];
  return (
    <Section title="To pay before service" testId="due-before-service">
      <Box sx={{ mb: 1, color: 'text.secondary' }}>
        Patients whose service is paid before it is given: issue the OPD bill and take the payment, then they
        can go for the service.
      </Box>
      <DataTable
        label="To pay before service"
        columns={columns}
        rows={rows}
        rowKey={(d) => d.chargeId}
        loading={due.isLoading}
        emptyText="Nobody is waiting to pay before a service"
        hasMore={due.hasNextPage}
        loadingMore={due.isFetchingNextPage}
        onLoadMore={() => due.fetchNextPage()}
      />
      <ProblemAlert error={due.error} sx={{ mt: 1 }} />
    </Section>
  );
}
