import VerifiedUser from '@mui/icons-material/VerifiedUser';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import type { AuditEntry } from '@newhms/contracts';
import { useState } from 'react';
import { useAuth } from '../../../app/auth/auth-context';
import { type Column, DataTable } from '../../../ui/data-table';
import { formatDateTime } from '../../../ui/format';
import { PageHeader } from '../../../ui/page-header';
import { ProblemAlert } from '../../../ui/problem-alert';
import { AuditFiltersForm } from '../components/audit-filters';
import { type AuditFilters, type AuditSort, useAuditEntries, useVerifyAuditChain } from '../hooks/use-audit';

const outcomeColor = { success: 'success', failure: 'warning', denied: 'error' } as const;

const columns: Column<AuditEntry>[] = [
  {
    id: 'occurredAt',
    header: 'Time',
    sortKey: 'occurredAt',
    render: (e) => formatDateTime(e.occurredAt, true),
  },
  { id: 'actorName', header: 'Actor', sortKey: 'actorName', render: (e) => e.actorName ?? e.actorType },
  { id: 'action', header: 'Action', sortKey: 'action', render: (e) => e.action },
  {
    id: 'resourceType',
    header: 'Resource',
    sortKey: 'resourceType',
    render: (e) => (e.resourceId ? `${e.resourceType} ${e.resourceId}` : e.resourceType),
  },
  {
    id: 'patientId',
    header: 'Patient',
    sortKey: 'patientId',
    render: (e) => e.patientId ?? '',
    hideBelow: 'lg',
  },
  {
    id: 'outcome',
    header: 'Outcome',
    sortKey: 'outcome',
    render: (e) => (
      <Chip
        size="small"
        label={e.outcome}
        color={outcomeColor[e.outcome as keyof typeof outcomeColor] ?? 'default'}
        variant="outlined"
      />
    ),
  },
  { id: 'ip', header: 'IP', sortKey: 'ip', render: (e) => e.ip ?? '', hideBelow: 'md' },
  {
    id: 'breakGlass',
    header: 'Break-glass',
    render: (e) => (e.breakGlass ? <Chip size="small" color="error" label="yes" /> : ''),
    hideBelow: 'md',
  },
];

export function AuditLogPage() {
  const { can } = useAuth();
  const [filters, setFilters] = useState<AuditFilters>({});
  const [sort, setSort] = useState<AuditSort>({ sort: 'occurredAt', order: 'desc' });
  const entries = useAuditEntries(filters, sort);
  const verify = useVerifyAuditChain();
  const rows = entries.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <PageHeader
        title="Audit log"
        subtitle="Every security event and every access to patient data, in a hash-chained log."
        actions={
          can('audit:verify') ? (
            <Button
              variant="outlined"
              startIcon={<VerifiedUser />}
              onClick={() => verify.mutate()}
              disabled={verify.isPending}
            >
              {verify.isPending ? 'Verifying…' : 'Verify chain'}
            </Button>
          ) : undefined
        }
      />
      {verify.data && (
        <Alert
          severity={verify.data.valid ? 'success' : 'error'}
          role="status"
          sx={{ mb: 2 }}
          data-testid="verify-result"
          onClose={() => verify.reset()}
        >
          {verify.data.valid
            ? `The chain is valid: ${verify.data.checked} entries checked.`
            : `The chain is broken at entry ${verify.data.firstInvalidId ?? '?'} after ${verify.data.checked} entries checked${verify.data.reason ? `: ${verify.data.reason}` : ''}.`}
        </Alert>
      )}
      <ProblemAlert error={verify.error} sx={{ mb: 2 }} />
      <AuditFiltersForm onApply={setFilters} />
      <ProblemAlert error={entries.error} sx={{ mb: 2 }} />
      <DataTable
        label="Audit entries"
        columns={columns}
        rows={rows}
        rowKey={(e) => e.id}
        loading={entries.isFetching && !entries.isFetchingNextPage}
        emptyText="No entry matches the filters."
        sort={sort.sort}
        order={sort.order}
        onSort={(key, order) => setSort({ sort: key, order })}
        hasMore={entries.hasNextPage}
        loadingMore={entries.isFetchingNextPage}
        onLoadMore={() => void entries.fetchNextPage()}
      />
    </>
  );
}
