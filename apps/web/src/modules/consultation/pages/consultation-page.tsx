import ArrowBack from '@mui/icons-material/ArrowBack';
import Print from '@mui/icons-material/Print';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import LinearProgress from '@mui/material/LinearProgress';
import Stack from '@mui/material/Stack';
import type { EncounterDetail } from '@newhms/contracts';
import { useState } from 'react';
import { Link as RouterLink, useParams } from 'react-router';
import { useAuth } from '../../../app/auth/auth-context';
import { useFacilityTimeZone } from '../../../ui/facility-time';
import { formatDateTime } from '../../../ui/format';
import { useOpenPdf } from '../../../ui/open-pdf';
import { PageHeader } from '../../../ui/page-header';
import { ProblemAlert } from '../../../ui/problem-alert';
// Not through ../../ipd (index): the IPD pages reach this page through the OPD's, which would make a cycle.
import { AdmitFromOpdButton } from '../../ipd/components/admit-from-opd-button';
// Likewise by file: the laboratory's index reaches this page back through the OPD's.
import { PatientLabRecord } from '../../laboratory/components/patient-lab-record';
import { usePatient, usePatientInContext } from '../../patients';
import { MedicinesPanel } from '../../prescriptions';
// By file too: the radiology's index reaches this page back through the OPD's.
import { PatientImagingRecord } from '../../radiology/components/patient-imaging-record';
import { DiagnosesSection } from '../components/diagnoses-section';
import { FinishSection } from '../components/finish-section';
import { NoteEditor } from '../components/note-editor';
import { OrdersSection } from '../components/orders-section';
import { PatientRecordPanel } from '../components/patient-record-panel';
import { VitalsSection } from '../components/vitals-section';
import { useEncounter } from '../hooks/use-encounter';

const statusLabels: Record<EncounterDetail['encounter']['status'], string> = {
  planned: 'Planned',
  arrived: 'Arrived',
  'in-progress': 'In progress',
  finished: 'Finished',
  cancelled: 'Cancelled',
  'entered-in-error': 'Entered in error',
};

/** The OPD consultation: vitals, the note, diagnoses, orders, advice and follow-up, with the patient's record beside. */
export function ConsultationPage() {
  const { encounterId } = useParams();
  const encounter = useEncounter(encounterId);
  if (encounter.isLoading) return <LinearProgress aria-label="Loading the consultation" />;
  if (!encounter.data) {
    return (
      <>
        <PageHeader title="Consultation" />
        <ProblemAlert error={encounter.error} />
      </>
    );
  }
  return <Consultation detail={encounter.data} reload={() => void encounter.refetch()} />;
}

function Consultation({ detail, reload }: { detail: EncounterDetail; reload: () => void }) {
  const { can } = useAuth();
  const timeZone = useFacilityTimeZone();
  const { encounter } = detail;
  const patient = usePatient(encounter.patientId);
  usePatientInContext(patient.data);
  const pdf = useOpenPdf();
  const [justFinished, setJustFinished] = useState(false);
  const open =
    encounter.status !== 'finished' &&
    encounter.status !== 'cancelled' &&
    encounter.status !== 'entered-in-error';
  const canWrite = can('encounters:write') && open;
  const canVitals = (can('encounters:record-vitals') || can('encounters:write')) && open;
  const note = detail.notes
    .filter((n) => n.kind === 'consultation' && n.status !== 'entered-in-error')
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt))[0];

  return (
    <>
      <PageHeader
        title={`Consultation${patient.data ? `: ${patient.data.displayName}` : ''}`}
        subtitle={
          <>
            {encounter.practitionerName ?? 'OPD'} · started {formatDateTime(encounter.startedAt)}
            {encounter.reason ? ` · ${encounter.reason}` : ''}{' '}
            <Chip
              size="small"
              label={statusLabels[encounter.status]}
              color={encounter.status === 'finished' ? 'success' : 'primary'}
              data-testid="encounter-status"
              sx={{ ml: 1 }}
            />
          </>
        }
        actions={
          <>
            {can('opd:consult') && (
              <Button component={RouterLink} to="/opd/worklist" startIcon={<ArrowBack />}>
                Back to worklist
              </Button>
            )}
            <Button
              variant="outlined"
              startIcon={<Print />}
              disabled={pdf.isPending}
              onClick={() =>
                pdf.mutate({
                  path: `/encounters/${encounter.id}/summary.pdf`,
                  filename: `opd-summary-${encounter.id}.pdf`,
                })
              }
            >
              {pdf.isPending ? 'Preparing…' : 'Print summary'}
            </Button>
            <AdmitFromOpdButton
              patientId={encounter.patientId}
              patientName={patient.data?.displayName}
              encounterId={encounter.id}
              practitionerId={encounter.practitionerId}
            />
          </>
        }
      />
      <ProblemAlert error={pdf.error} sx={{ mb: 2 }} />
      {justFinished && (
        <Alert
          severity="success"
          role="status"
          sx={{ mb: 2 }}
          action={
            can('opd:consult') && (
              <Button color="inherit" component={RouterLink} to="/opd/worklist">
                Next patient
              </Button>
            )
          }
        >
          Consultation finished. Print the summary for the patient.
        </Alert>
      )}
      <Box
        sx={{
          display: 'grid',
          gap: 2,
          gridTemplateColumns: { xs: '1fr', lg: 'minmax(0, 8fr) minmax(300px, 4fr)' },
          alignItems: 'start',
        }}
      >
        <Stack spacing={2} sx={{ minWidth: 0 }}>
          <VitalsSection encounterId={encounter.id} vitals={detail.vitals} canRecord={canVitals} />
          <NoteEditor
            encounterId={encounter.id}
            note={note}
            canWrite={can('encounters:write')}
            canSign={can('encounters:sign')}
            finished={!open}
          />
          <DiagnosesSection encounterId={encounter.id} diagnoses={detail.diagnoses} canWrite={canWrite} />
          <OrdersSection encounterId={encounter.id} orders={detail.orders} canWrite={canWrite} />
          {can('laboratory:read') && (
            <PatientLabRecord patientId={encounter.patientId} encounterId={encounter.id} />
          )}
          {can('radiology:read') && (
            <PatientImagingRecord patientId={encounter.patientId} encounterId={encounter.id} />
          )}
          {can('pharmacy:read') && (
            <MedicinesPanel
              encounterId={encounter.id}
              patientId={encounter.patientId}
              setting="outpatient"
              open={open}
            />
          )}
          <FinishSection
            encounter={encounter}
            noteAdvice={note?.sections.advice}
            canWrite={canWrite}
            canBookFollowUp={can('opd:consult') && open}
            timeZone={timeZone}
            onFinished={() => setJustFinished(true)}
            onReload={reload}
          />
        </Stack>
        <Box component="aside" aria-label="Patient record" sx={{ minWidth: 0 }}>
          <PatientRecordPanel patientId={encounter.patientId} currentEncounterId={encounter.id} />
        </Box>
      </Box>
    </>
  );
}
