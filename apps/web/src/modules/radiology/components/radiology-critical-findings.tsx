import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Link from '@mui/material/Link';
import Typography from '@mui/material/Typography';
import type { RadCriticalAlert } from '@newhms/contracts';
import { useState } from 'react';
import { Link as RouterLink } from 'react-router';
import { type Column, DataTable } from '../../../ui/data-table';
import { formatDateTime } from '../../../ui/format';
import { ProblemAlert } from '../../../ui/problem-alert';
import { Section } from '../../../ui/titled-section';
import { useRadCriticalAlerts } from '../hooks/use-radiology';
import { criticalCategoryLabels } from '../radiology-labels';
import { AcknowledgeFindingDialog } from './acknowledge-finding-dialog';
import { ReportPdfButton } from './study-links';

// Imported by file by the laboratory's critical-results inbox (one inbox for the doctor) and by the reporting page:
// it uses nothing of the patients, OPD or laboratory modules.

type Props = {
  /** Only those addressed to me (ordering doctor, or escalated to me); false: the radiologists' view of all. */
  mine: boolean;
  status: 'open' | 'acknowledged';
  level?: 'h2' | 'h3';
};

function escalation(a: RadCriticalAlert): string {
  if (a.escalationLevel === 0) return 'Not escalated';
  const to = a.escalatedTo.map((e) => e.name).join(', ');
  return `Level ${a.escalationLevel}${a.escalatedAt ? `, ${formatDateTime(a.escalatedAt)}` : ''}${to ? `: ${to}` : ''}`;
}

/** Critical imaging findings to read back (or read back), oldest open first, with their escalation. */
export function RadiologyCriticalFindings({ mine, status, level = 'h2' }: Props) {
  const alerts = useRadCriticalAlerts({ mine, status });
  const [acknowledging, setAcknowledging] = useState<RadCriticalAlert | null>(null);
  const [done, setDone] = useState<RadCriticalAlert | null>(null);

  const columns: Column<RadCriticalAlert>[] = [
    {
      id: 'patient',
      header: 'Patient',
      render: (a) => (
        <>
          <Link component={RouterLink} to={`/patients/${a.patientId}?tab=imaging`} sx={{ fontWeight: 600 }}>
            {a.patientName}
          </Link>
          <Typography variant="body2" color="text.secondary">{`MRN ${a.mrn}`}</Typography>
        </>
      ),
    },
    {
      id: 'study',
      header: 'Study',
      render: (a) => (
        <>
          {a.procedureName}
          <Typography variant="body2" color="text.secondary">
            {a.accession}
          </Typography>
        </>
      ),
    },
    {
      id: 'finding',
      header: 'Finding',
      render: (a) => (
        <>
          <Typography component="span" sx={{ fontWeight: 700 }} data-testid="critical-finding-value">
            {a.finding}
          </Typography>
          <Typography variant="body2" color="error.dark">
            {criticalCategoryLabels[a.category]}
          </Typography>
        </>
      ),
    },
    {
      id: 'when',
      header: 'Reported',
      render: (a) => (
        <>
          {formatDateTime(a.notifiedAt)}
          {a.reportedByName && (
            <Typography variant="body2" color="text.secondary">{`by ${a.reportedByName}`}</Typography>
          )}
        </>
      ),
    },
    { id: 'escalation', header: 'Escalation', render: escalation, hideBelow: 'md' },
    { id: 'ordered', header: 'Ordered by', render: (a) => a.orderingUserName ?? '', hideBelow: 'lg' },
  ];
  if (status === 'acknowledged') {
    columns.push({
      id: 'ack',
      header: 'Acknowledged',
      render: (a) => (
        <>
          {`${a.acknowledgedByName ?? ''}, ${formatDateTime(a.acknowledgedAt)}`}
          <Typography variant="body2" color="text.secondary">{`Read back: "${a.readBack ?? ''}"`}</Typography>
        </>
      ),
    });
  }
  columns.push({
    id: 'actions',
    header: 'Actions',
    render: (a) => (
      <Box sx={{ display: 'flex', gap: 0.5, flexWrap: 'wrap' }}>
        {a.status === 'open' && (
          <Button
            size="small"
            variant="contained"
            color="error"
            onClick={() => {
              setDone(null);
              setAcknowledging(a);
            }}
            aria-label={`Acknowledge ${a.procedureName} of ${a.patientName}`}
          >
            Acknowledge
          </Button>
        )}
        <ReportPdfButton
          orderId={a.orderId}
          accession={a.accession}
          label={`Report of ${a.procedureName} of ${a.patientName}`}
        />
      </Box>
    ),
  });

  const label =
    status === 'open' ? 'Imaging critical findings to acknowledge' : 'Acknowledged imaging critical findings';
  return (
    <Section
      title={status === 'open' ? 'Imaging critical findings' : 'Acknowledged imaging critical findings'}
      level={level}
      testId="radiology-critical-findings"
    >
      {done && (
        <Alert severity="success" role="status" sx={{ mb: 2 }} onClose={() => setDone(null)}>
          {`Acknowledged: ${done.finding} (${done.procedureName}) of ${done.patientName}, read back "${done.readBack ?? ''}".`}
        </Alert>
      )}
      <ProblemAlert error={alerts.error} sx={{ mb: 2 }} />
      <DataTable
        label={label}
        columns={columns}
        rows={alerts.data ?? []}
        rowKey={(a) => a.id}
        loading={alerts.isLoading}
        emptyText={
          status === 'open' ? 'No critical imaging finding waits for you.' : 'None acknowledged yet.'
        }
      />
      <AcknowledgeFindingDialog
        alert={acknowledging}
        onClose={() => setAcknowledging(null)}
        onDone={(a) => {
          setAcknowledging(null);
          setDone(a);
        }}
      />
    </Section>
  );
}

/** How many critical imaging findings wait for the signed-in doctor (for the top bar's indicator). */
export function useOpenRadiologyFindingsCount(enabled: boolean): number {
  const alerts = useRadCriticalAlerts({ mine: true, status: 'open' }, enabled);
  return alerts.data?.length ?? 0;
}
