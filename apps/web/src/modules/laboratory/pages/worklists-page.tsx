import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import Typography from '@mui/material/Typography';
import { type LabSection, labSections } from '@newhms/contracts';
import { Link as RouterLink, useSearchParams } from 'react-router';
import { type Column, DataTable } from '../../../ui/data-table';
import { formatDateTime } from '../../../ui/format';
import { PageHeader } from '../../../ui/page-header';
import { ProblemAlert } from '../../../ui/problem-alert';
import { PriorityChip } from '../components/priority-chip';
import { useWorklist, type WorklistItem } from '../hooks/use-laboratory';
import { formatMinutes, tatStanding } from '../lab-time';
import { sectionLabels, tubeLabel } from '../laboratory-labels';

/** A section's bench (/laboratory/worklists?section=): received samples with results to enter, STAT first. */
export function WorklistsPage() {
  const [params, setParams] = useSearchParams();
  const requested = params.get('section');
  const section: LabSection = labSections.includes(requested as LabSection)
    ? (requested as LabSection)
    : 'haematology';
  const worklist = useWorklist(section);

  const columns: Column<WorklistItem>[] = [
    { id: 'priority', header: 'Priority', render: (w) => <PriorityChip priority={w.priority} /> },
    {
      id: 'accession',
      header: 'Accession',
      render: (w) => (
        <>
          <Typography component="span" sx={{ fontFamily: 'monospace', fontWeight: 700 }}>
            {w.sample.accession}
          </Typography>
          <Typography variant="body2" color="text.secondary">
            {tubeLabel(w.sample)}
          </Typography>
        </>
      ),
    },
    {
      id: 'patient',
      header: 'Patient',
      render: (w) => (
        <>
          <Typography component="span" sx={{ fontWeight: 600 }}>
            {w.patientName}
          </Typography>
          <Typography variant="body2" color="text.secondary">{`MRN ${w.mrn}`}</Typography>
        </>
      ),
    },
    {
      id: 'tests',
      header: 'Tests to enter',
      render: (w) => (
        <>
          {w.requestDisplay}
          <Typography variant="body2" color="text.secondary">
            {w.pendingTests.length === 1
              ? w.pendingTests[0]?.name
              : `${w.pendingTests.length} tests: ${w.pendingTests
                  .slice(0, 4)
                  .map((t) => t.name)
                  .join(', ')}${w.pendingTests.length > 4 ? '…' : ''}`}
          </Typography>
        </>
      ),
    },
    {
      id: 'received',
      header: 'Received',
      render: (w) => formatDateTime(w.sample.receivedAt),
      hideBelow: 'md',
    },
    { id: 'target', header: 'TAT target', render: (w) => formatMinutes(w.tatTargetMinutes), hideBelow: 'sm' },
    {
      id: 'elapsed',
      header: 'Elapsed',
      render: (w) => {
        const standing = tatStanding(w.elapsedMinutes, w.tatTargetMinutes);
        return (
          <Box data-testid="tat" data-late={w.overdue ? 'true' : 'false'}>
            <Typography component="span" sx={{ fontWeight: w.overdue ? 700 : 400 }}>
              {formatMinutes(w.elapsedMinutes)}
            </Typography>
            <Typography
              variant="body2"
              sx={{ color: w.overdue ? 'error.main' : 'text.secondary', fontWeight: w.overdue ? 700 : 400 }}
            >
              {standing.text}
            </Typography>
          </Box>
        );
      },
    },
    {
      id: 'actions',
      header: 'Actions',
      render: (w) => (
        <Button
          size="small"
          variant="contained"
          component={RouterLink}
          to={`/laboratory/requests/${w.requestId}/results?section=${section}`}
          aria-label={`Enter results of ${w.sample.accession} for ${w.patientName}`}
        >
          Enter results
        </Button>
      ),
    },
  ];

  const late = (worklist.data ?? []).filter((w) => w.overdue).length;
  return (
    <>
      <PageHeader
        title="Lab worklists"
        subtitle="Received samples with results to enter, STAT first; late ones against their turnaround target are marked"
      />
      <Box sx={{ borderBottom: 1, borderColor: 'divider', mb: 2 }}>
        <Tabs
          value={section}
          onChange={(_, next: LabSection) => setParams({ section: next }, { replace: true })}
          variant="scrollable"
          scrollButtons="auto"
          allowScrollButtonsMobile
          aria-label="Sections"
        >
          {labSections.map((s) => (
            <Tab
              key={s}
              value={s}
              label={sectionLabels[s]}
              id={`section-tab-${s}`}
              aria-controls={s === section ? 'section-panel' : undefined}
            />
          ))}
        </Tabs>
      </Box>
      <Box role="tabpanel" id="section-panel" aria-labelledby={`section-tab-${section}`}>
        <ProblemAlert error={worklist.error} sx={{ mb: 2 }} />
        {late > 0 && (
          <Typography color="error" sx={{ fontWeight: 700, mb: 1 }} data-testid="late-count">
            {`${late} late against the turnaround target`}
          </Typography>
        )}
        <DataTable
          label={`${sectionLabels[section]} worklist`}
          columns={columns}
          rows={worklist.data ?? []}
          rowKey={(w) => w.sample.id}
          loading={worklist.isLoading}
          emptyText="Nothing to enter: every received sample of this section has its results."
        />
      </Box>
    </>
  );
}
