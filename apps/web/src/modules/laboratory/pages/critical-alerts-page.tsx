import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import FormControlLabel from '@mui/material/FormControlLabel';
import Switch from '@mui/material/Switch';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import Typography from '@mui/material/Typography';
import type { LabCriticalAlert } from '@newhms/contracts';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { useAuth } from '../../../app/auth/auth-context';
import { criticalInboxColumns } from '../../../ui/critical-inbox-columns';
import { type Column, DataTable } from '../../../ui/data-table';
import { minutesBetween } from '../../../ui/facility-time';
import { formatDateTime } from '../../../ui/format';
import { PageHeader } from '../../../ui/page-header';
import { ProblemAlert } from '../../../ui/problem-alert';
// By file: radiology's critical findings share this inbox (its index reaches the OPD pages, a cycle).
import { RadiologyCriticalFindings } from '../../radiology/components/radiology-critical-findings';
import { AcknowledgeDialog } from '../components/acknowledge-dialog';
import { FlagChip } from '../components/flag-chip';
import { ReportButton } from '../components/print-label-button';
import { useCriticalAlerts } from '../hooks/use-laboratory';
import { formatMinutes } from '../lab-time';

type Status = 'open' | 'acknowledged';

/**
 * The critical-value inbox (/laboratory/critical-alerts): the doctor's own open values to read back, oldest first,
 * with their escalation; the laboratory may look at every value of the facility.
 */
export function CriticalAlertsPage() {
  const { can } = useAuth();
  const [params, setParams] = useSearchParams();
  const status: Status = params.get('status') === 'acknowledged' ? 'acknowledged' : 'open';
  const lab = can('laboratory:process') || can('laboratory:validate');
  const mine = !lab || params.get('all') !== 'true';
  const alerts = useCriticalAlerts({ mine, status });
  const [acknowledging, setAcknowledging] = useState<LabCriticalAlert | null>(null);
  const [done, setDone] = useState<LabCriticalAlert | null>(null);

  const setParam = (key: string, value: string | null) =>
    setParams(
      (prev) => {
        const p = new URLSearchParams(prev);
        if (value) p.set(key, value);
        else p.delete(key);
        return p;
      },
      { replace: true },
    );

  const shared = criticalInboxColumns<LabCriticalAlert>({
    status,
    patientTab: 'laboratory',
    what: (a) => a.testName,
    onAcknowledge: (a) => {
      setDone(null);
      setAcknowledging(a);
    },
    report: (a, label) => <ReportButton requestId={a.requestId} code={a.testCode} label={label} />,
  });
  const columns: Column<LabCriticalAlert>[] = [
    ...shared.first,
    { id: 'test', header: 'Test', render: (a) => a.testName },
    {
      id: 'value',
      header: 'Value',
      render: (a) => (
        <Box sx={{ display: 'flex', gap: 1, alignItems: 'center', flexWrap: 'wrap' }}>
          <Typography component="span" sx={{ fontWeight: 700 }} data-testid="critical-alert-value">
            {`${a.value}${a.unit ? ` ${a.unit}` : ''}`}
          </Typography>
          <FlagChip flag={a.flag} />
        </Box>
      ),
    },
    {
      id: 'when',
      header: 'Released',
      render: (a) => (
        <>
          {formatDateTime(a.notifiedAt)}
          {status === 'open' && (
            <Typography variant="body2" color="text.secondary">
              {`${formatMinutes(minutesBetween(a.notifiedAt))} ago`}
            </Typography>
          )}
        </>
      ),
    },
    ...shared.last,
  ];

  return (
    <>
      <PageHeader
        title="Critical results"
        subtitle="Critical values called to you: read each one back to acknowledge it; unacknowledged ones escalate"
        actions={
          lab && (
            <FormControlLabel
              control={
                <Switch checked={!mine} onChange={(e) => setParam('all', e.target.checked ? 'true' : null)} />
              }
              label="Every critical value of the facility"
            />
          )
        }
      />
      <Box sx={{ borderBottom: 1, borderColor: 'divider', mb: 2 }}>
        <Tabs
          value={status}
          onChange={(_, next: Status) => setParam('status', next === 'open' ? null : next)}
          aria-label="Critical results"
        >
          <Tab
            value="open"
            label="To acknowledge"
            id="critical-tab-open"
            aria-controls={status === 'open' ? 'critical-panel' : undefined}
          />
          <Tab
            value="acknowledged"
            label="Acknowledged"
            id="critical-tab-acknowledged"
            aria-controls={status === 'acknowledged' ? 'critical-panel' : undefined}
          />
        </Tabs>
      </Box>
      <Box role="tabpanel" id="critical-panel" aria-labelledby={`critical-tab-${status}`}>
        {done && (
          <Alert severity="success" role="status" sx={{ mb: 2 }} onClose={() => setDone(null)}>
            {`Acknowledged: ${done.testName} ${done.value}${done.unit ? ` ${done.unit}` : ''} of ${done.patientName}, read back "${done.readBack ?? ''}".`}
          </Alert>
        )}
        <ProblemAlert error={alerts.error} sx={{ mb: 2 }} />
        <DataTable
          label={status === 'open' ? 'Critical results to acknowledge' : 'Acknowledged critical results'}
          columns={columns}
          rows={alerts.data ?? []}
          rowKey={(a) => a.id}
          loading={alerts.isLoading}
          emptyText={status === 'open' ? 'No critical result waits for you.' : 'None acknowledged yet.'}
        />
        {/* Radiology's critical findings addressed to the doctor, with their own read-back (radiology module). */}
        {can('radiology:read') && (
          <Box sx={{ mt: 3 }}>
            <RadiologyCriticalFindings mine status={status} />
          </Box>
        )}
      </Box>
      <AcknowledgeDialog
        alert={acknowledging}
        onClose={() => setAcknowledging(null)}
        onDone={(a) => {
          setAcknowledging(null);
          setDone(a);
        }}
      />
    </>
  );
}
