import ArrowBack from '@mui/icons-material/ArrowBack';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import LinearProgress from '@mui/material/LinearProgress';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import type { AdmissionDetail } from '@newhms/contracts';
import type { ReactNode } from 'react';
import { Link as RouterLink, useParams, useSearchParams } from 'react-router';
import { useAuth } from '../../../app/auth/auth-context';
import { formatCalendarDate } from '../../../ui/facility-time';
import { formatDateTime } from '../../../ui/format';
import { PageHeader } from '../../../ui/page-header';
import { ProblemAlert } from '../../../ui/problem-alert';
import { DietOrderPanel } from '../../dietary';
import { usePatient, usePatientInContext } from '../../patients';
import { MarPanel } from '../../prescriptions';
import { CarePlanTab } from '../components/care-plan-tab';
import { DischargeSummaryTab } from '../components/discharge-summary-tab';
import { IntakeOutputTab } from '../components/intake-output-tab';
import { News2AlertBanner } from '../components/news2-alert-banner';
import { News2Badge } from '../components/news2-badge';
import { HandoverTab, NursingNotesTab } from '../components/nursing-notes-tab';
import { ProgressNotesTab } from '../components/progress-notes-tab';
import { TasksTab } from '../components/tasks-tab';
import { VitalsTab } from '../components/vitals-tab';
import { useAdmission, useLatestNews2 } from '../hooks/use-nursing';

/** The tabs of the chart, by the `tab` search parameter (a link can open one: ?tab=discharge-summary). */
export const chartTabs = [
  { id: 'vitals', label: 'Vitals' },
  { id: 'intake-output', label: 'Intake/Output' },
  { id: 'nursing-notes', label: 'Nursing notes' },
  { id: 'handover', label: 'Handover' },
  { id: 'care-plan', label: 'Care plan' },
  { id: 'tasks', label: 'Tasks' },
  { id: 'medicines', label: 'Medicines (MAR)' },
  { id: 'progress-notes', label: 'Progress notes' },
  { id: 'diet', label: 'Diet' },
  { id: 'discharge-summary', label: 'Discharge summary' },
] as const;
export type ChartTab = (typeof chartTabs)[number]['id'];

const statusLabels: Record<AdmissionDetail['status'], string> = {
  admitted: 'Admitted',
  'discharge-initiated': 'Discharge initiated',
  discharged: 'Discharged',
  cancelled: 'Cancelled',
};

/** The in-patient chart: vitals with NEWS2, I/O, nursing notes, handover, care plan, tasks, progress notes, diet, discharge summary. */
export function InpatientChartPage() {
  const { admissionId } = useParams();
  const admission = useAdmission(admissionId);
  if (admission.isLoading) return <LinearProgress aria-label="Loading the chart" />;
  if (!admission.data) {
    return (
      <>
        <PageHeader title="In-patient chart" />
        <ProblemAlert error={admission.error} />
      </>
    );
  }
  return <Chart admission={admission.data} />;
}

function Chart({ admission }: { admission: AdmissionDetail }) {
  const { can } = useAuth();
  const [params, setParams] = useSearchParams();
  const patient = usePatient(admission.patientId);
  usePatientInContext(patient.data);
  const latest = useLatestNews2(admission.id);
  const open = admission.status === 'admitted' || admission.status === 'discharge-initiated';
  const canChart = can('ipd:nursing') && open;
  const tabs = chartTabs.filter(
    (t) => (t.id !== 'diet' || can('dietary:read')) && (t.id !== 'medicines' || can('pharmacy:read')),
  );
  const requested = params.get('tab');
  const tab: ChartTab = tabs.find((t) => t.id === requested)?.id ?? 'vitals';
  const name = admission.patient?.displayName ?? patient.data?.displayName ?? '';
  const bed = admission.bed;

  const panels: Record<ChartTab, ReactNode> = {
    vitals: <VitalsTab admissionId={admission.id} canChart={canChart} />,
    'intake-output': <IntakeOutputTab admissionId={admission.id} canChart={canChart} />,
    'nursing-notes': <NursingNotesTab admissionId={admission.id} canChart={canChart} />,
    handover: <HandoverTab admissionId={admission.id} canChart={canChart} />,
    'care-plan': <CarePlanTab admissionId={admission.id} canChart={canChart} />,
    tasks: <TasksTab admissionId={admission.id} canChart={canChart} />,
    medicines: <MarPanel admissionId={admission.id} patientName={name} open={open} />,
    'progress-notes': <ProgressNotesTab encounterId={admission.encounterId} />,
    diet: <DietOrderPanel admissionId={admission.id} />,
    'discharge-summary': (
      <DischargeSummaryTab
        admissionId={admission.id}
        encounterId={admission.encounterId}
        mrn={admission.patient?.mrn ?? patient.data?.mrn}
      />
    ),
  };

  return (
    <>
      <PageHeader
        title={`Chart${name ? `: ${name}` : ''}`}
        subtitle={
          <>
            {admission.admissionNumber}
            {bed ? ` · ${bed.wardName} · bed ${bed.bedCode}` : ''} · {admission.attendingPractitionerName} ·
            admitted {formatDateTime(admission.admittedAt)}
            {admission.expectedDischargeDate
              ? ` · expected discharge ${formatCalendarDate(admission.expectedDischargeDate)}`
              : ''}{' '}
            <Chip
              size="small"
              label={statusLabels[admission.status]}
              sx={{ ml: 1 }}
              data-testid="admission-status"
            />
            {latest.data && (
              <Box component="span" sx={{ ml: 1 }}>
                <News2Badge
                  score={latest.data.score}
                  risk={latest.data.risk}
                  complete={latest.data.complete}
                />
              </Box>
            )}
          </>
        }
        actions={
          bed && (
            <Button component={RouterLink} to={`/ipd/wards/${bed.wardId}/station`} startIcon={<ArrowBack />}>
              Nursing station
            </Button>
          )
        }
      />
      <News2AlertBanner admissionId={admission.id} canAcknowledge={can('ipd:nursing')} />
      <Box sx={{ borderBottom: 1, borderColor: 'divider', mb: 2 }}>
        <Tabs
          value={tab}
          onChange={(_, next: ChartTab) => setParams({ tab: next }, { replace: true })}
          variant="scrollable"
          scrollButtons="auto"
          allowScrollButtonsMobile
          aria-label="Chart sections"
        >
          {tabs.map((t) => (
            <Tab
              key={t.id}
              value={t.id}
              label={t.label}
              id={`chart-tab-${t.id}`}
              // Only the shown panel exists: pointing at the others would name missing elements.
              aria-controls={t.id === tab ? `chart-panel-${t.id}` : undefined}
            />
          ))}
        </Tabs>
      </Box>
      <Box role="tabpanel" id={`chart-panel-${tab}`} aria-labelledby={`chart-tab-${tab}`}>
        {panels[tab]}
      </Box>
    </>
  );
}
