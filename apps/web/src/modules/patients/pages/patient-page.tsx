import ArrowBack from '@mui/icons-material/ArrowBack';
import Badge from '@mui/icons-material/Badge';
import Print from '@mui/icons-material/Print';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import Stack from '@mui/material/Stack';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import type { Patient } from '@newhms/contracts';
import { useState } from 'react';
import { Link as RouterLink, useLocation, useParams, useSearchParams } from 'react-router';
import { ApiError } from '../../../app/api-client';
import { useAuth } from '../../../app/auth/auth-context';
import { formatDateTime } from '../../../ui/format';
import { PageHeader } from '../../../ui/page-header';
import { ProblemAlert } from '../../../ui/problem-alert';
// By file, not through the laboratory's index: the laboratory's pages use the patients module.
import { PatientLabRecord } from '../../laboratory/components/patient-lab-record';
import { PatientImagingRecord } from '../../radiology/components/patient-imaging-record';
import { AlertsSection } from '../components/alerts-section';
import { AllergiesSection } from '../components/allergies-section';
import { ConsentsSection } from '../components/consents-section';
import { ContactsSection } from '../components/contacts-section';
import { DemographicsSection } from '../components/demographics-section';
import { HistorySection } from '../components/history-section';
import { IdentifiersSection } from '../components/identifiers-section';
import { usePatientInContext } from '../components/patient-banner';
import { PhotoSection } from '../components/photo-section';
import { type PatientDocument, usePrintPatientDocument } from '../hooks/use-patient-files';
import { usePatient } from '../hooks/use-patients';

const tabs = [
  ['demographics', 'Demographics'],
  ['identifiers', 'Identifiers'],
  ['contacts', 'Contacts'],
  ['consents', 'Consents'],
  ['allergies', 'Allergies & alerts'],
  ['history', 'History'],
  ['photo', 'Photo'],
  ['laboratory', 'Laboratory'],
  ['imaging', 'Imaging'],
] as const;
type TabId = (typeof tabs)[number][0];
/** Tabs shown only with a permission of another module. */
const tabPermissions: Partial<Record<TabId, string>> = {
  laboratory: 'laboratory:read',
  imaging: 'radiology:read',
};

export function PatientPage() {
  const { patientId = '' } = useParams();
  const patient = usePatient(patientId);
  usePatientInContext(patient.data);
  const notFound = patient.error instanceof ApiError && patient.error.status === 404;
  return (
    <>
      <Button component={RouterLink} to="/patients" startIcon={<ArrowBack />} sx={{ mb: 2 }}>
        Patient search
      </Button>
      {patient.isPending && <CircularProgress aria-label="Loading patient" />}
      {notFound ? (
        <Alert severity="warning" role="alert">
          <AlertTitle>Patient not found</AlertTitle>
          There is no patient record at this address in the chosen facility.
        </Alert>
      ) : (
        <ProblemAlert error={patient.error} />
      )}
      {patient.data && <PatientRecord patient={patient.data} />}
    </>
  );
}

function PrintButtons({ patient }: { patient: Patient }) {
  const print = usePrintPatientDocument(patient.id);
  const [printing, setPrinting] = useState<PatientDocument | null>(null);
  const run = (kind: PatientDocument) => {
    setPrinting(kind);
    print.mutate(kind, { onSettled: () => setPrinting(null) });
  };
  return (
    <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap', alignItems: 'center' }}>
      <Button
        variant="outlined"
        startIcon={<Badge />}
        onClick={() => run('card')}
        disabled={printing === 'card'}
      >
        {printing === 'card' ? 'Preparing…' : 'Print card'}
      </Button>
      <Button
        variant="outlined"
        startIcon={<Print />}
        onClick={() => run('wristband')}
        disabled={printing === 'wristband'}
      >
        {printing === 'wristband' ? 'Preparing…' : 'Print wristband'}
      </Button>
      {print.error && <ProblemAlert error={print.error} sx={{ width: '100%' }} />}
    </Box>
  );
}

function PatientRecord({ patient }: { patient: Patient }) {
  const { can } = useAuth();
  const location = useLocation();
  const [params, setParams] = useSearchParams();
  const requested = params.get('tab');
  const shownTabs = tabs.filter(([id]) => {
    const permission = tabPermissions[id];
    return !permission || can(permission);
  });
  const tab: TabId = shownTabs.some(([id]) => id === requested) ? (requested as TabId) : 'demographics';
  const [registeredNotice, setRegisteredNotice] = useState(
    (location.state as { registered?: boolean } | null)?.registered === true,
  );
  const merged = patient.status === 'merged';
  const canUpdate = can('patients:update') && !merged;
  const canManageAllergies = can('patients:manage-allergies') && !merged;

  return (
    <>
      <PageHeader
        title={patient.displayName}
        subtitle={`MRN ${patient.mrn} · registered ${formatDateTime(patient.registeredAt)}`}
        actions={
          !merged && (
            <>
              {/* The insurance desk's policies of this patient (a link: patients does not depend on billing). */}
              {can('billing:insurance') && (
                <Button component={RouterLink} to={`/insurance/policies?patientId=${patient.id}`}>
                  Insurance policies
                </Button>
              )}
              <PrintButtons patient={patient} />
            </>
          )
        }
      />
      <Stack spacing={2} sx={{ mb: 2 }}>
        {merged && (
          <Alert
            severity="warning"
            role="alert"
            action={
              patient.mergedIntoId && (
                <Button color="inherit" component={RouterLink} to={`/patients/${patient.mergedIntoId}`}>
                  Open the surviving record
                </Button>
              )
            }
          >
            <AlertTitle>This record was merged</AlertTitle>
            It is kept for history only. Use the record it was merged into for everything new.
          </Alert>
        )}
        {registeredNotice && (
          <Alert severity="success" role="status" onClose={() => setRegisteredNotice(false)}>
            <AlertTitle>Patient registered</AlertTitle>
            MRN {patient.mrn}. Print the registration card or the wristband now if the patient needs them.
          </Alert>
        )}
        {patient.unidentified && (
          <Alert severity="info">
            Registered as an unknown patient. When the identity is known, edit the demographics, or register
            the patient properly and merge the two records.
          </Alert>
        )}
      </Stack>
      <Box sx={{ borderBottom: 1, borderColor: 'divider', mb: 2 }}>
        <Tabs
          value={tab}
          onChange={(_, next: TabId) =>
            setParams(
              (prev) => {
                const p = new URLSearchParams(prev);
                p.set('tab', next);
                return p;
              },
              { replace: true },
            )
          }
          variant="scrollable"
          scrollButtons="auto"
          allowScrollButtonsMobile
          aria-label="Patient record"
        >
          {shownTabs.map(([id, label]) => (
            <Tab
              key={id}
              value={id}
              label={label}
              id={`patient-tab-${id}`}
              // Only the shown panel exists: pointing at a missing one is an ARIA error.
              aria-controls={id === tab ? `patient-tabpanel-${id}` : undefined}
            />
          ))}
        </Tabs>
      </Box>
      <Box role="tabpanel" id={`patient-tabpanel-${tab}`} aria-labelledby={`patient-tab-${tab}`}>
        {tab === 'demographics' && <DemographicsSection patient={patient} canEdit={canUpdate} />}
        {tab === 'identifiers' && <IdentifiersSection patient={patient} canEdit={canUpdate} />}
        {tab === 'contacts' && <ContactsSection patient={patient} canEdit={canUpdate} />}
        {tab === 'consents' && <ConsentsSection patient={patient} canEdit={canUpdate} />}
        {tab === 'allergies' && (
          <Stack spacing={3}>
            <AllergiesSection patient={patient} canManage={canManageAllergies} />
            <AlertsSection patient={patient} canManage={canManageAllergies} />
          </Stack>
        )}
        {tab === 'history' && <HistorySection patientId={patient.id} />}
        {tab === 'photo' && <PhotoSection patient={patient} canEdit={canUpdate} />}
        {tab === 'laboratory' && <PatientLabRecord patientId={patient.id} />}
        {tab === 'imaging' && <PatientImagingRecord patientId={patient.id} />}
      </Box>
    </>
  );
}
