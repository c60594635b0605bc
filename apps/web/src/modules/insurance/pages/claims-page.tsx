import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Link from '@mui/material/Link';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import { type ClaimStatus, claimStatuses, type InsuranceClaimListItem } from '@newhms/contracts';
import { useState } from 'react';
import { Link as RouterLink, useNavigate, useSearchParams } from 'react-router';
import { type Column, DataTable } from '../../../ui/data-table';
import { formatDateTime } from '../../../ui/format';
import { formatRupees } from '../../../ui/money';
import { PageHeader } from '../../../ui/page-header';
import { ProblemAlert } from '../../../ui/problem-alert';
import { ClaimSubmitDialog } from '../components/claim-submit-dialog';
import { PatientName } from '../components/patient-name';
import { StatusChip } from '../components/status-chip';
import { StatusTabs } from '../components/status-tabs';
import { useClaims, usePayers } from '../hooks/use-insurance';
import { claimStatusLabels } from '../insurance-labels';

/** The claims worklist at /insurance/claims (?status=, ?payerId=, ?patientId=). */
export function ClaimsPage() {
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const status = (params.get('status') as ClaimStatus | null) ?? '';
  const payerId = params.get('payerId') ?? undefined;
  const patientId = params.get('patientId') ?? undefined;
  const payers = usePayers();
  const list = useClaims({ status: status || undefined, payerId, patientId });
  const [submitting, setSubmitting] = useState(false);
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];

  const setParam = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };

  const columns: Column<InsuranceClaimListItem>[] = [
    {
      id: 'number',
      header: 'Claim',
      render: (c) => (
        <Link component={RouterLink} to={`/insurance/claims/${c.id}`} sx={{ fontWeight: 600 }}>
          {c.number}
        </Link>
      ),
    },
    {
      id: 'patient',
      header: 'Patient',
      render: (c) => <PatientName name={c.patientName} mrn={c.mrn} admissionNumber={c.admissionNumber} />,
    },
    { id: 'payer', header: 'Payer', render: (c) => c.payerName },
    { id: 'bill', header: 'Bill', render: (c) => c.invoiceNumber ?? '—', hideBelow: 'md' },
    { id: 'claimed', header: 'Claimed', render: (c) => formatRupees(c.claimedAmount), align: 'right' },
    {
      id: 'approved',
      header: 'Approved',
      render: (c) => formatRupees(c.approvedAmount),
      align: 'right',
      hideBelow: 'md',
    },
    {
      id: 'settled',
      header: 'Settled',
      render: (c) => formatRupees(c.settledAmount),
      align: 'right',
      hideBelow: 'sm',
    },
    { id: 'outstanding', header: 'Outstanding', render: (c) => formatRupees(c.outstanding), align: 'right' },
    { id: 'status', header: 'Status', render: (c) => <StatusChip kind="claim" status={c.status} /> },
    { id: 'submitted', header: 'Submitted', render: (c) => formatDateTime(c.submittedAt), hideBelow: 'lg' },
  ];

  return (
    <>
      <PageHeader
        title="Claims"
        subtitle="Claims from final bills: payer queries, approvals, settlement, write-off"
        actions={
          <>
            <Button component={RouterLink} to="/insurance/preauths">
              Pre-authorizations
            </Button>
            <Button variant="contained" onClick={() => setSubmitting(true)}>
              New claim
            </Button>
          </>
        }
      />
      {patientId && (
        <Alert
          severity="info"
          sx={{ mb: 2 }}
          action={
            <Button color="inherit" onClick={() => setParam('patientId', null)}>
              Show all patients
            </Button>
          }
        >
          Showing one patient's claims.
        </Alert>
      )}
      <TextField
        select
        label="Payer"
        value={payerId ?? ''}
        onChange={(e) => setParam('payerId', e.target.value || null)}
        sx={{ minWidth: 260, mb: 1 }}
      >
        <MenuItem value="">All payers</MenuItem>
        {(payers.data ?? []).map((p) => (
          <MenuItem key={p.id} value={p.id}>
            {p.name}
          </MenuItem>
        ))}
      </TextField>
      <StatusTabs
        label="Claim status"
        value={status}
        statuses={claimStatuses}
        labels={claimStatusLabels}
        onChange={(s) => setParam('status', s || null)}
      />
      <ProblemAlert error={list.error} sx={{ mb: 2 }} />
      <DataTable
        label="Claims"
        columns={columns}
        rows={rows}
        rowKey={(c) => c.id}
        loading={list.isLoading}
        emptyText={status ? `No claim is ${claimStatusLabels[status].toLowerCase()}` : 'No claim yet'}
        hasMore={list.hasNextPage}
        loadingMore={list.isFetchingNextPage}
        onLoadMore={() => list.fetchNextPage()}
      />
      <ClaimSubmitDialog
        open={submitting}
        start={{ patientId: patientId ?? null, invoiceId: params.get('invoiceId') }}
        onClose={() => setSubmitting(false)}
        onCreated={(c) => {
          setSubmitting(false);
          navigate(`/insurance/claims/${c.id}`);
        }}
      />
    </>
  );
}
