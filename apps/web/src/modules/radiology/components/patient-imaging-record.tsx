import Box from '@mui/material/Box';
import LinearProgress from '@mui/material/LinearProgress';
import Typography from '@mui/material/Typography';
import type { RadPatientStudy } from '@newhms/contracts';
import { type Column, DataTable } from '../../../ui/data-table';
import { formatDateTime } from '../../../ui/format';
import { ProblemAlert } from '../../../ui/problem-alert';
import { Section } from '../../../ui/titled-section';
import { usePatientStudies } from '../hooks/use-radiology';
import { modalityLabels, procedureWithSide } from '../radiology-labels';
import { CriticalChip, OrderStatusChip, PriorityChip, ReportStatusChip } from './chips';
import { ReportPdfButton, ViewerLink } from './study-links';

// Imported by the patient page and the consultation screen file by file (not through the module's index, which
// reaches them back through the OPD pages): it uses nothing of the patients, OPD or consultation modules.

type Props = {
  patientId: string;
  /** The consultation's visit: only the studies ordered in it (the patient's record shows them all). */
  encounterId?: string;
  level?: 'h2' | 'h3';
};

function when(s: RadPatientStudy): string {
  if (s.completedAt) return `Done ${formatDateTime(s.completedAt)}`;
  if (s.scheduledAt) return `Booked ${formatDateTime(s.scheduledAt)}`;
  return `Ordered ${formatDateTime(s.orderedAt)}`;
}

/** The imaging part of a patient's record: every study (or a visit's), where it stands, the impression, the report. */
export function PatientImagingRecord({ patientId, encounterId, level = 'h2' }: Props) {
  const studies = usePatientStudies(patientId, encounterId);
  const columns: Column<RadPatientStudy>[] = [
    { id: 'date', header: 'Date', render: (s) => when(s) },
    {
      id: 'study',
      header: 'Study',
      render: (s) => (
        <>
          <Typography component="span" sx={{ fontWeight: 600 }}>
            {procedureWithSide(s)}
          </Typography>
          <Typography variant="body2" color="text.secondary">
            {`${modalityLabels[s.modality]} · ${s.accession}${s.orderedByName ? ` · by ${s.orderedByName}` : ''}`}
          </Typography>
        </>
      ),
    },
    {
      id: 'status',
      header: 'Status',
      render: (s) => (
        <Box sx={{ display: 'flex', gap: 0.5, flexWrap: 'wrap' }}>
          <OrderStatusChip status={s.status} />
          {s.priority !== 'routine' && <PriorityChip priority={s.priority} />}
        </Box>
      ),
    },
    {
      id: 'report',
      header: 'Report',
      render: (s) => (
        <>
          <ReportStatusChip status={s.reportStatus} />
          {s.signedAt && (
            <Typography variant="body2" color="text.secondary">
              {`${s.signedByName ?? ''}, ${formatDateTime(s.signedAt)}`}
            </Typography>
          )}
        </>
      ),
    },
    {
      id: 'impression',
      header: 'Impression',
      render: (s) => (
        <Box
          sx={{ display: 'flex', flexDirection: 'column', gap: 0.5, alignItems: 'flex-start', maxWidth: 420 }}
        >
          {s.critical && <CriticalChip />}
          <Typography variant="body2" data-testid="impression" sx={{ whiteSpace: 'pre-wrap' }}>
            {s.impression ?? ''}
          </Typography>
        </Box>
      ),
    },
    {
      id: 'actions',
      header: 'Actions',
      render: (s) => (
        <Box sx={{ display: 'flex', gap: 0.5, flexWrap: 'wrap' }}>
          {(s.reportStatus === 'final' || s.reportStatus === 'amended') && (
            <ReportPdfButton
              orderId={s.orderId}
              accession={s.accession}
              label={`Report of ${s.procedureName}, ${formatDateTime(s.orderedAt)}`}
            />
          )}
          <ViewerLink
            url={s.viewerUrl}
            label={`Images of ${s.procedureName}, ${formatDateTime(s.orderedAt)}`}
          />
        </Box>
      ),
    },
  ];
  return (
    <Section title="Imaging" level={level} testId="patient-imaging">
      {studies.isLoading && <LinearProgress aria-label="Loading the imaging studies" />}
      <ProblemAlert error={studies.error} />
      <DataTable
        label={encounterId ? 'Imaging studies of this visit' : 'Imaging studies'}
        columns={columns}
        rows={studies.data ?? []}
        rowKey={(s) => s.orderId}
        emptyText={encounterId ? 'No imaging ordered in this visit' : 'No imaging study'}
      />
    </Section>
  );
}
