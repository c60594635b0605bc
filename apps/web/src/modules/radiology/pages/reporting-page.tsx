import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import MenuItem from '@mui/material/MenuItem';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { type RadModality, type RadOrder, radModalities } from '@newhms/contracts';
import { useNavigate, useSearchParams } from 'react-router';
import { ApiError } from '../../../app/api-client';
import { type Column, DataTable } from '../../../ui/data-table';
import { formatDateTime } from '../../../ui/format';
import { PageHeader } from '../../../ui/page-header';
import { ProblemAlert } from '../../../ui/problem-alert';
import { CriticalChip, PriorityChip, ReportStatusChip } from '../components/chips';
import { PatientCell, StudyCell } from '../components/order-cells';
import { RadiologyCriticalFindings } from '../components/radiology-critical-findings';
import { ReportPdfButton, ViewerLink } from '../components/study-links';
import { useOpenReport, useRadWorklist } from '../hooks/use-radiology';
import { modalityLabels } from '../radiology-labels';

const tabs = [
  ['to-report', 'To report'],
  ['drafts', 'Drafts'],
  ['signed', 'Signed'],
  ['critical', 'Critical findings'],
] as const;
type TabId = (typeof tabs)[number][0];
const reportStatusOf = { 'to-report': 'none', drafts: 'draft', signed: 'final' } as const;

/**
 * The radiologist's worklist (/radiology/reporting): completed studies without a report (STAT first), drafts,
 * signed reports (addenda), and every critical finding of the facility with its read-back and escalation.
 */
export function ReportingPage() {
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const requested = params.get('tab');
  const tab: TabId = tabs.some(([id]) => id === requested) ? (requested as TabId) : 'to-report';
  const modality = (radModalities as readonly string[]).includes(params.get('modality') ?? '')
    ? (params.get('modality') as RadModality)
    : '';
  const list = useRadWorklist(
    { modality, reportStatus: tab === 'critical' ? 'none' : reportStatusOf[tab] },
    tab !== 'critical',
  );
  // Signed: final and amended reports, the latest first.
  const amended = useRadWorklist({ modality, reportStatus: 'amended' }, tab === 'signed');
  const rows =
    tab === 'signed'
      ? [...(list.data ?? []), ...(amended.data ?? [])].sort((a, b) =>
          (b.report?.signedAt ?? '').localeCompare(a.report?.signedAt ?? ''),
        )
      : (list.data ?? []);
  const open = useOpenReport();

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

  const editor = (o: RadOrder) => `/radiology/orders/${o.id}/report`;
  // Opens the draft from the procedure's template; one opened meanwhile by a colleague (409) is opened as is.
  const startReport = (o: RadOrder) =>
    open.mutate(o.id, {
      onSuccess: () => navigate(editor(o)),
      onError: (err) => {
        if (err instanceof ApiError && err.code === 'RAD_REPORT_EXISTS') navigate(editor(o));
      },
    });

  const columns: Column<RadOrder>[] = [
    { id: 'priority', header: 'Priority', render: (o) => <PriorityChip priority={o.priority} /> },
    { id: 'patient', header: 'Patient', render: (o) => <PatientCell order={o} /> },
    { id: 'study', header: 'Study', render: (o) => <StudyCell order={o} /> },
    {
      id: 'done',
      header: 'Done',
      hideBelow: 'md',
      render: (o) => (
        <>
          {formatDateTime(o.completed?.at)}
          {o.completed?.byName && (
            <Typography variant="body2" color="text.secondary">{`by ${o.completed.byName}`}</Typography>
          )}
        </>
      ),
    },
    {
      id: 'report',
      header: 'Report',
      render: (o) => (
        <Box sx={{ display: 'flex', gap: 0.5, flexWrap: 'wrap', alignItems: 'center' }}>
          <ReportStatusChip status={o.report?.status ?? 'none'} />
          {o.report?.critical && <CriticalChip />}
          {o.report?.signedAt && (
            <Typography variant="body2" color="text.secondary">
              {`${o.report.signedByName ?? ''}, ${formatDateTime(o.report.signedAt)}`}
            </Typography>
          )}
        </Box>
      ),
    },
    {
      id: 'actions',
      header: 'Actions',
      render: (o) => (
        <Box sx={{ display: 'flex', gap: 0.5, flexWrap: 'wrap' }}>
          {o.report ? (
            <Button
              size="small"
              variant={o.report.status === 'draft' ? 'contained' : 'outlined'}
              onClick={() => navigate(editor(o))}
              aria-label={`Open the report of ${o.procedureName} of ${o.patientName}`}
            >
              {o.report.status === 'draft' ? 'Continue' : 'Open'}
            </Button>
          ) : (
            <Button
              size="small"
              variant="contained"
              disabled={open.isPending}
              onClick={() => startReport(o)}
              aria-label={`Report ${o.procedureName} of ${o.patientName}`}
            >
              Report
            </Button>
          )}
          {o.report && o.report.status !== 'draft' && (
            <ReportPdfButton
              orderId={o.id}
              accession={o.accession}
              label={`Report PDF of ${o.procedureName} of ${o.patientName}`}
            />
          )}
          <ViewerLink url={o.viewerUrl} label={`Images of ${o.procedureName} of ${o.patientName}`} />
        </Box>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title="Radiology reporting"
        subtitle="Completed studies to report, STAT first; drafts; signed reports and their addenda; critical findings"
      />
      <Box sx={{ borderBottom: 1, borderColor: 'divider', mb: 2 }}>
        <Tabs
          value={tab}
          onChange={(_, next: TabId) => setParam('tab', next === 'to-report' ? null : next)}
          variant="scrollable"
          allowScrollButtonsMobile
          aria-label="Reporting"
        >
          {tabs.map(([id, label]) => (
            <Tab
              key={id}
              value={id}
              label={label}
              id={`reporting-tab-${id}`}
              aria-controls={id === tab ? 'reporting-panel' : undefined}
            />
          ))}
        </Tabs>
      </Box>
      <Box role="tabpanel" id="reporting-panel" aria-labelledby={`reporting-tab-${tab}`}>
        {tab === 'critical' ? (
          <Box sx={{ display: 'grid', gap: 2 }}>
            <RadiologyCriticalFindings mine={false} status="open" />
            <RadiologyCriticalFindings mine={false} status="acknowledged" />
          </Box>
        ) : (
          <>
            <TextField
              select
              label="Modality"
              value={modality}
              onChange={(e) => setParam('modality', e.target.value || null)}
              sx={{ minWidth: 180, mb: 2 }}
              slotProps={{ inputLabel: { shrink: true }, select: { displayEmpty: true } }}
            >
              <MenuItem value="">All modalities</MenuItem>
              {radModalities.map((m) => (
                <MenuItem key={m} value={m}>
                  {modalityLabels[m]}
                </MenuItem>
              ))}
            </TextField>
            <ProblemAlert
              error={
                list.error ??
                (open.error instanceof ApiError && open.error.code === 'RAD_REPORT_EXISTS'
                  ? null
                  : open.error)
              }
              sx={{ mb: 2 }}
            />
            <DataTable
              label={tabs.find(([id]) => id === tab)?.[1] ?? 'Studies'}
              columns={columns}
              rows={rows}
              rowKey={(o) => o.id}
              loading={list.isLoading}
              emptyText={
                tab === 'to-report'
                  ? 'No completed study waits for a report.'
                  : tab === 'drafts'
                    ? 'No draft.'
                    : 'No signed report.'
              }
            />
          </>
        )}
      </Box>
    </>
  );
}
