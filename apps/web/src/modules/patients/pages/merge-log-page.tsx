import ArrowBack from '@mui/icons-material/ArrowBack';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Link from '@mui/material/Link';
import Typography from '@mui/material/Typography';
import type { PatientSummary } from '@newhms/contracts';
import { Link as RouterLink } from 'react-router';
import { type Column, DataTable } from '../../../ui/data-table';
import { formatDateTime } from '../../../ui/format';
import { PageHeader } from '../../../ui/page-header';
import { ProblemAlert } from '../../../ui/problem-alert';
import { type MergeEntry, useMergeLog } from '../hooks/use-patients';

function Record({ p }: { p: PatientSummary }) {
  return (
    <Box>
      <Link component={RouterLink} to={`/patients/${p.id}`}>
        {p.displayName}
      </Link>
      <Typography variant="body2" color="text.secondary" sx={{ fontFamily: 'monospace' }}>
        {p.mrn}
      </Typography>
    </Box>
  );
}

const columns: Column<MergeEntry>[] = [
  { id: 'when', header: 'When', render: (m) => formatDateTime(m.mergedAt) },
  { id: 'survivor', header: 'Kept', render: (m) => <Record p={m.survivor} /> },
  { id: 'merged', header: 'Merged into it', render: (m) => <Record p={m.merged} /> },
  { id: 'reason', header: 'Reason', render: (m) => m.reason },
  { id: 'by', header: 'By', render: (m) => m.mergedBy, hideBelow: 'sm' },
  {
    id: 'moved',
    header: 'Moved',
    render: (m) =>
      Object.entries(m.moved)
        .filter(([, n]) => n > 0)
        .map(([what, n]) => `${what}: ${n}`)
        .join(', ') || '—',
    hideBelow: 'md',
  },
];

export function MergeLogPage() {
  const log = useMergeLog();
  const rows = log.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <>
      <Button component={RouterLink} to="/patients/duplicates" startIcon={<ArrowBack />} sx={{ mb: 2 }}>
        Duplicate review
      </Button>
      <PageHeader
        title="Merge log"
        subtitle="Every merge of two patient records: who, when, why and what moved."
      />
      <ProblemAlert error={log.error} sx={{ mb: 2 }} />
      <DataTable
        label="Merges"
        columns={columns}
        rows={rows}
        rowKey={(m) => m.id}
        loading={log.isFetching && !log.isFetchingNextPage}
        emptyText="No record has been merged."
        hasMore={log.hasNextPage}
        loadingMore={log.isFetchingNextPage}
        onLoadMore={() => void log.fetchNextPage()}
      />
    </>
  );
}
