import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Link from '@mui/material/Link';
import Typography from '@mui/material/Typography';
import { type PreauthListItem, type PreauthStatus, preauthStatuses } from '@newhms/contracts';
import { useState } from 'react';
import { Link as RouterLink, useNavigate, useSearchParams } from 'react-router';
import { type Column, DataTable } from '../../../ui/data-table';
import { formatDateTime } from '../../../ui/format';
import { formatRupees } from '../../../ui/money';
import { PageHeader } from '../../../ui/page-header';
import { ProblemAlert } from '../../../ui/problem-alert';
import { PatientName } from '../components/patient-name';
import { PreauthRequestDialog } from '../components/preauth-request-dialog';
import { StatusChip } from '../components/status-chip';
import { StatusTabs } from '../components/status-tabs';
import { usePreauths } from '../hooks/use-insurance';
import { preauthStatusLabels } from '../insurance-labels';

/** The insurance desk's pre-authorization worklist at /insurance/preauths (?status=, ?patientId=). */
export function PreauthsPage() {
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const status = (params.get('status') as PreauthStatus | null) ?? '';
  const patientId = params.get('patientId') ?? undefined;
  const list = usePreauths({ status: status || undefined, patientId });
  const [requesting, setRequesting] = useState(false);
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];

  const setParam = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };

  const columns: Column<PreauthListItem>[] = [
    {
      id: 'number',
      header: 'Number',
      render: (p) => (
        <Link component={RouterLink} to={`/insurance/preauths/${p.id}`} sx={{ fontWeight: 600 }}>
          {p.number}
        </Link>
      ),
    },
    {
      id: 'patient',
      header: 'Patient',
      render: (p) => <PatientName name={p.patientName} mrn={p.mrn} admissionNumber={p.admissionNumber} />,
    },
    {
      id: 'payer',
      header: 'Payer',
      render: (p) => (
        <>
          {p.payerName}
          {p.payerReference && (
            <Typography variant="body2" color="text.secondary">
              Ref. {p.payerReference}
            </Typography>
          )}
        </>
      ),
    },
    { id: 'diagnosis', header: 'Diagnosis', render: (p) => p.diagnosis ?? '—', hideBelow: 'md' },
    { id: 'requested', header: 'Requested', render: (p) => formatRupees(p.requestedAmount), align: 'right' },
    {
      id: 'approved',
      header: 'Approved',
      render: (p) => (p.approvedAmount > 0 ? formatRupees(p.approvedAmount) : '—'),
      align: 'right',
    },
    {
      id: 'status',
      header: 'Status',
      render: (p) => (
        <StatusChip kind="preauth" status={p.status} enhancementPending={p.enhancementPending} />
      ),
    },
    { id: 'created', header: 'Requested on', render: (p) => formatDateTime(p.createdAt), hideBelow: 'sm' },
  ];

  return (
    <>
      <PageHeader
        title="Insurance desk"
        subtitle="Pre-authorizations: requests, payer queries, approvals and enhancements"
        actions={
          <>
            <Button component={RouterLink} to="/insurance/claims">
              Claims
            </Button>
            <Button
              component={RouterLink}
              to={`/insurance/policies${patientId ? `?patientId=${patientId}` : ''}`}
            >
              Patient policies
            </Button>
            <Button variant="contained" onClick={() => setRequesting(true)}>
              New pre-authorization
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
          Showing one patient's pre-authorizations.
        </Alert>
      )}
      <StatusTabs
        label="Pre-authorization status"
        value={status}
        statuses={preauthStatuses}
        labels={preauthStatusLabels}
        onChange={(s) => setParam('status', s || null)}
      />
      <ProblemAlert error={list.error} sx={{ mb: 2 }} />
      <DataTable
        label="Pre-authorizations"
        columns={columns}
        rows={rows}
        rowKey={(p) => p.id}
        loading={list.isLoading}
        emptyText={
          status
            ? `No pre-authorization is ${preauthStatusLabels[status].toLowerCase()}`
            : 'No pre-authorization yet'
        }
        hasMore={list.hasNextPage}
        loadingMore={list.isFetchingNextPage}
        onLoadMore={() => list.fetchNextPage()}
      />
      <PreauthRequestDialog
        open={requesting}
        start={{ patientId: patientId ?? null, accountId: params.get('accountId') }}
        onClose={() => setRequesting(false)}
        onCreated={(p) => {
          setRequesting(false);
          navigate(`/insurance/preauths/${p.id}`);
        }}
      />
    </>
  );
}
