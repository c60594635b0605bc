import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import LinearProgress from '@mui/material/LinearProgress';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { LabRequest } from '@newhms/contracts';
import { useState } from 'react';
import { type Column, DataTable } from '../../../ui/data-table';
import { formatDateTime } from '../../../ui/format';
import { ProblemAlert } from '../../../ui/problem-alert';
import { Section } from '../../../ui/titled-section';
import { useLabRequests } from '../hooks/use-laboratory';
import { releasedFindings, requestProgress } from '../request-progress';
import { formatResultValue } from '../result-flags';
import { CumulativeTable } from './cumulative-table';
import { ReportButton } from './print-label-button';
import { PriorityChip } from './priority-chip';
import { RequestResultsTable } from './request-results-table';

// Imported by the patient page and the consultation screen file by file (not through the module's index, which
// reaches them back through the OPD pages): it uses nothing of the patients or OPD modules.

type Props = {
  patientId: string;
  /** Only this encounter's requests (the consultation); the cumulative view is still the patient's. */
  encounterId?: string;
  level?: 'h2' | 'h3';
};

function Findings({ request }: { request: LabRequest }) {
  const { released, abnormal, critical } = releasedFindings(request);
  if (released.length === 0) return <Typography color="text.secondary">None released</Typography>;
  return (
    <Box sx={{ display: 'flex', gap: 0.5, flexWrap: 'wrap', alignItems: 'center' }}>
      {critical.map((r) => (
        <Chip
          key={r.id}
          size="small"
          color="error"
          data-testid="critical-result"
          label={`Critical: ${r.testName} ${formatResultValue(r)} ${r.flag}`}
          sx={{ fontWeight: 700 }}
        />
      ))}
      <Typography component="span" variant="body2">
        {`${released.length} released${abnormal.length > 0 ? ` · ${abnormal.length} outside range` : ''}`}
      </Typography>
    </Box>
  );
}

/** The laboratory part of a patient's record: requests and where they stand, released results, cumulative view. */
export function PatientLabRecord({ patientId, encounterId, level = 'h2' }: Props) {
  const requests = useLabRequests(encounterId ? { encounterId } : { patientId });
  const [openId, setOpenId] = useState<string | null>(null);
  const list = requests.data ?? [];
  const opened = list.find((r) => r.id === openId) ?? null;

  const columns: Column<LabRequest>[] = [
    { id: 'when', header: 'Requested', render: (r) => formatDateTime(r.requestedAt), hideBelow: 'sm' },
    {
      id: 'test',
      header: 'Test',
      render: (r) => (
        <>
          <Typography component="span" sx={{ fontWeight: 600 }}>
            {r.display}
          </Typography>
          {r.requestedByName && (
            <Typography variant="body2" color="text.secondary">
              {`by ${r.requestedByName}`}
            </Typography>
          )}
        </>
      ),
    },
    {
      id: 'priority',
      header: 'Priority',
      render: (r) => <PriorityChip priority={r.priority} />,
      hideBelow: 'md',
    },
    { id: 'status', header: 'Status', render: (r) => requestProgress(r) },
    { id: 'results', header: 'Results', render: (r) => <Findings request={r} /> },
    {
      id: 'actions',
      header: 'Actions',
      render: (r) => (
        <Box sx={{ display: 'flex', gap: 0.5, flexWrap: 'wrap' }}>
          <Button
            size="small"
            variant={openId === r.id ? 'contained' : 'outlined'}
            aria-pressed={openId === r.id}
            aria-label={`Results of ${r.display}, ${formatDateTime(r.requestedAt)}`}
            onClick={() => setOpenId(openId === r.id ? null : r.id)}
          >
            Results
          </Button>
          {r.status !== 'cancelled' && (
            <ReportButton
              requestId={r.id}
              code={r.code}
              label={`Report of ${r.display}, ${formatDateTime(r.requestedAt)}`}
            />
          )}
        </Box>
      ),
    },
  ];

  return (
    <Stack spacing={2}>
      <Section title={encounterId ? 'Laboratory' : 'Laboratory requests'} level={level} testId="lab-requests">
        {requests.isLoading && <LinearProgress aria-label="Loading the laboratory requests" />}
        <ProblemAlert error={requests.error} />
        <DataTable
          label={encounterId ? 'Laboratory requests of this visit' : 'Laboratory requests'}
          columns={columns}
          rows={list}
          rowKey={(r) => r.id}
          emptyText={encounterId ? 'No laboratory test ordered in this visit' : 'No laboratory request'}
        />
        {opened && (
          <Box sx={{ mt: 2 }}>
            <Typography
              component={level === 'h2' ? 'h3' : 'h4'}
              variant="subtitle1"
              sx={{ fontWeight: 600, mb: 1 }}
            >
              {`${opened.display}, ${formatDateTime(opened.requestedAt)}`}
            </Typography>
            <RequestResultsTable request={opened} clinical />
          </Box>
        )}
      </Section>
      <Section title="Cumulative results" level={level} testId="lab-cumulative">
        <CumulativeTable patientId={patientId} />
      </Section>
    </Stack>
  );
}
