import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import { type Column, DataTable } from '../../../ui/data-table';
import { formatDateTime } from '../../../ui/format';
import { ProblemAlert } from '../../../ui/problem-alert';
import { type Change, usePatientHistory } from '../hooks/use-patients';
import { FormSection } from './form-section';

const columns: Column<Change>[] = [
  { id: 'when', header: 'When', render: (c) => formatDateTime(c.changedAt, true) },
  { id: 'who', header: 'Who', render: (c) => c.changedBy },
  { id: 'action', header: 'What', render: (c) => c.action },
  {
    id: 'fields',
    header: 'Fields',
    render: (c) => (
      <Box sx={{ display: 'flex', gap: 0.5, flexWrap: 'wrap' }}>
        {c.fields.map((f) => (
          <Chip key={f} size="small" variant="outlined" label={f} />
        ))}
      </Box>
    ),
  },
  { id: 'reason', header: 'Reason', render: (c) => c.reason ?? '—', hideBelow: 'md' },
  { id: 'version', header: 'Version', render: (c) => c.version, align: 'right', hideBelow: 'sm' },
];

/** Who changed what in the record, and when. */
export function HistorySection({ patientId }: { patientId: string }) {
  const history = usePatientHistory(patientId);
  return (
    <FormSection title="History">
      <ProblemAlert error={history.error} sx={{ mb: 2 }} />
      <DataTable
        label="Changes to the record"
        columns={columns}
        rows={history.data?.items ?? []}
        rowKey={(c) => `${c.version}:${c.changedAt}:${c.action}`}
        loading={history.isFetching}
        emptyText="No change recorded."
      />
    </FormSection>
  );
}
