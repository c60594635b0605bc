import Alert from '@mui/material/Alert';
import Typography from '@mui/material/Typography';
import type { RadCriticalAlert } from '@newhms/contracts';
import { useState } from 'react';
import { criticalInboxColumns } from '../../../ui/critical-inbox-columns';
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

/** Critical imaging findings to read back (or read back), oldest open first, with their escalation. */
export function RadiologyCriticalFindings({ mine, status, level = 'h2' }: Props) {
  const alerts = useRadCriticalAlerts({ mine, status });
  const [acknowledging, setAcknowledging] = useState<RadCriticalAlert | null>(null);
  const [done, setDone] = useState<RadCriticalAlert | null>(null);

  const shared = criticalInboxColumns<RadCriticalAlert>({
    status,
    patientTab: 'imaging',
    what: (a) => a.procedureName,
    onAcknowledge: (a) => {
      setDone(null);
      setAcknowledging(a);
    },
    report: (a, label) => <ReportPdfButton orderId={a.orderId} accession={a.accession} label={label} />,
  });
  const columns: Column<RadCriticalAlert>[] = [
    ...shared.first,
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
    ...shared.last,
  ];

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
