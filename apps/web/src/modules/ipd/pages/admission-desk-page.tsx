import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Link from '@mui/material/Link';
import Typography from '@mui/material/Typography';
import type { Admission, AdmissionRequest } from '@newhms/contracts';
import { type ReactNode, useMemo, useState } from 'react';
import { Link as RouterLink, useNavigate, useSearchParams } from 'react-router';
import { useAuth } from '../../../app/auth/auth-context';
import { type Column, DataTable } from '../../../ui/data-table';
import { formatCalendarDate, minutesBetween } from '../../../ui/facility-time';
import { formatDateTime } from '../../../ui/format';
import { PageHeader } from '../../../ui/page-header';
import { ProblemAlert } from '../../../ui/problem-alert';
import { ReasonDialog } from '../../../ui/reason-dialog';
import { AdmitDialog, type AdmitStart } from '../components/admit-dialog';
import { RequestDialog } from '../components/request-dialog';
import { ReserveDialog } from '../components/reserve-dialog';
import {
  useAdmissionRequests,
  useCancelAdmissionRequest,
  useOpenAdmissions,
  useReleaseReservation,
} from '../hooks/use-ipd';
import {
  admissionSourceLabels,
  admissionStatusLabels,
  formatMinutes,
  priorityLabels,
  wardKindLabels,
} from '../ipd-labels';

const priorityColour = { routine: 'default', urgent: 'warning', emergency: 'error' } as const;

function Section({ title, id, children }: { title: string; id: string; children: ReactNode }) {
  return (
    <Box component="section" aria-labelledby={id} sx={{ mb: 4 }}>
      <Typography id={id} component="h2" variant="h6" sx={{ mb: 1 }}>
        {title}
      </Typography>
      {children}
    </Box>
  );
}

/** The admission desk at /ipd/admissions: the request queue, reservations, admitting, and the in-patients now. */
export function AdmissionDeskPage() {
  const { can } = useAuth();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const requests = useAdmissionRequests();
  const inpatients = useOpenAdmissions();
  const cancel = useCancelAdmissionRequest();
  const release = useReleaseReservation();
  const [requesting, setRequesting] = useState(false);
  const [reserveFor, setReserveFor] = useState<AdmissionRequest | null>(null);
  const [cancelling, setCancelling] = useState<AdmissionRequest | null>(null);
  const [admitStart, setAdmitStart] = useState<AdmitStart | null>(null);
  const canAdmit = can('ipd:admit');

  // From the bed board (?admitBed=) or the OPD (?request=): open the admission form at once.
  const admitBed = params.get('admitBed');
  const highlighted = params.get('request');
  const fromLink = useMemo<AdmitStart | null>(() => {
    if (!admitBed) return null;
    const request = requests.data?.items.find((r) => r.id === highlighted);
    if (highlighted && !request) return null;
    return request ? startFor(request, admitBed) : { bedId: admitBed };
  }, [admitBed, highlighted, requests.data]);
  const dialogStart = admitStart ?? fromLink;
  const closeAdmit = () => {
    setAdmitStart(null);
    if (admitBed) {
      const next = new URLSearchParams(params);
      next.delete('admitBed');
      setParams(next, { replace: true });
    }
  };

  const requestColumns: Column<AdmissionRequest>[] = [
    {
      id: 'patient',
      header: 'Patient',
      render: (r) => (
        <>
          <Typography component="span" sx={{ fontWeight: 600 }}>
            {r.patient?.displayName ?? 'Unknown'}
          </Typography>
          <Typography variant="body2" color="text.secondary">
            MRN {r.patient?.mrn ?? '—'}
            {r.patient?.age ? ` · ${r.patient.age}` : ''}
          </Typography>
        </>
      ),
    },
    {
      id: 'priority',
      header: 'Priority',
      render: (r) => (
        <Chip size="small" color={priorityColour[r.priority]} label={priorityLabels[r.priority]} />
      ),
    },
    {
      id: 'source',
      header: 'From',
      render: (r) => (
        <>
          {admissionSourceLabels[r.source]}
          {r.practitionerName ? (
            <Typography variant="body2" color="text.secondary">
              {r.practitionerName}
            </Typography>
          ) : null}
        </>
      ),
      hideBelow: 'md',
    },
    {
      id: 'reason',
      header: 'Reason',
      render: (r) => (
        <>
          {r.reason}
          <Typography variant="body2" color="text.secondary">
            {r.wardKind ? `${wardKindLabels[r.wardKind]} ward` : 'Any ward'}
            {r.plannedFor ? ` · planned ${formatCalendarDate(r.plannedFor)}` : ''}
          </Typography>
        </>
      ),
    },
    {
      id: 'waiting',
      header: 'Waiting',
      render: (r) => formatMinutes(minutesBetween(r.createdAt)),
      hideBelow: 'sm',
    },
    {
      id: 'status',
      header: 'Status',
      render: (r) =>
        r.reservation ? (
          <Chip size="small" color="info" label={`Bed ${r.reservation.bedCode} reserved`} />
        ) : (
          <Chip size="small" variant="outlined" label="Waiting for a bed" />
        ),
    },
    {
      id: 'actions',
      header: 'Actions',
      render: (r) =>
        canAdmit && (
          <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap' }}>
            <Button
              size="small"
              variant="contained"
              onClick={() => setAdmitStart(startFor(r, r.reservation?.bedId ?? null))}
              aria-label={`Admit ${r.patient?.displayName ?? 'the patient'}`}
            >
              Admit
            </Button>
            {r.reservation ? (
              <Button
                size="small"
                disabled={release.isPending}
                onClick={() =>
                  r.reservation &&
                  release.mutate({
                    id: r.reservation.id,
                    reason: 'Released at the desk',
                    version: r.reservation.version,
                  })
                }
                aria-label={`Release the bed reserved for ${r.patient?.displayName ?? 'the patient'}`}
              >
                Release bed
              </Button>
            ) : (
              <Button
                size="small"
                onClick={() => setReserveFor(r)}
                aria-label={`Reserve a bed for ${r.patient?.displayName ?? 'the patient'}`}
              >
                Reserve bed
              </Button>
            )}
            <Button
              size="small"
              color="error"
              onClick={() => {
                cancel.reset();
                setCancelling(r);
              }}
              aria-label={`Cancel the request for ${r.patient?.displayName ?? 'the patient'}`}
            >
              Cancel
            </Button>
          </Box>
        ),
    },
  ];

  const admissionColumns: Column<Admission>[] = [
    {
      id: 'number',
      header: 'Admission',
      render: (a) => (
        <Link component={RouterLink} to={`/ipd/admissions/${a.id}`} sx={{ fontWeight: 600 }}>
          {a.admissionNumber}
        </Link>
      ),
    },
    {
      id: 'patient',
      header: 'Patient',
      render: (a) => (
        <>
          {a.patient?.displayName ?? '—'}
          <Typography variant="body2" color="text.secondary">
            MRN {a.patient?.mrn ?? '—'}
          </Typography>
        </>
      ),
    },
    {
      id: 'bed',
      header: 'Bed',
      render: (a) => (a.bed ? `${a.bed.wardName} · ${a.bed.bedCode}` : '—'),
    },
    { id: 'doctor', header: 'Attending', render: (a) => a.attendingPractitionerName, hideBelow: 'md' },
    { id: 'admitted', header: 'Admitted', render: (a) => formatDateTime(a.admittedAt), hideBelow: 'sm' },
    {
      id: 'expected',
      header: 'Expected discharge',
      render: (a) => formatCalendarDate(a.expectedDischargeDate) || '—',
      hideBelow: 'md',
    },
    {
      id: 'status',
      header: 'Status',
      render: (a) => (
        <Chip
          size="small"
          color={a.status === 'discharge-initiated' ? 'warning' : 'default'}
          label={admissionStatusLabels[a.status]}
        />
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title="Admissions"
        subtitle="The admission queue, reservations and the in-patients now"
        actions={
          <>
            <Button component={RouterLink} to="/ipd/beds">
              Bed board
            </Button>
            {canAdmit && (
              <Button variant="outlined" onClick={() => setRequesting(true)}>
                New request
              </Button>
            )}
            {canAdmit && (
              <Button variant="contained" onClick={() => setAdmitStart({})}>
                Admit a patient
              </Button>
            )}
          </>
        }
      />
      <ProblemAlert error={release.error} sx={{ mb: 2 }} />
      <Section title="Admission requests" id="requests-title">
        <ProblemAlert error={requests.error} sx={{ mb: 2 }} />
        {highlighted && !requests.data?.items.some((r) => r.id === highlighted) && requests.isSuccess && (
          <Alert severity="info" sx={{ mb: 2 }}>
            That request is no longer waiting (admitted or cancelled).
          </Alert>
        )}
        <DataTable
          label="Admission requests"
          columns={requestColumns}
          rows={requests.data?.items ?? []}
          rowKey={(r) => r.id}
          loading={requests.isLoading}
          emptyText="Nobody is waiting for a bed"
        />
      </Section>
      <Section title="In-patients" id="inpatients-title">
        <ProblemAlert error={inpatients.error} sx={{ mb: 2 }} />
        <DataTable
          label="In-patients"
          columns={admissionColumns}
          rows={inpatients.data?.items ?? []}
          rowKey={(a) => a.id}
          loading={inpatients.isLoading}
          emptyText="No patient is admitted"
        />
      </Section>
      <RequestDialog
        open={requesting}
        onClose={() => setRequesting(false)}
        onCreated={() => setRequesting(false)}
      />
      <ReserveDialog request={reserveFor} onClose={() => setReserveFor(null)} />
      <ReasonDialog
        open={!!cancelling}
        title="Cancel the admission request"
        message={`${cancelling?.patient?.displayName ?? 'The patient'} leaves the queue; a reserved bed is released.`}
        confirmLabel="Cancel request"
        danger
        busy={cancel.isPending}
        error={cancel.error}
        onCancel={() => setCancelling(null)}
        onConfirm={(reason) =>
          cancelling &&
          cancel.mutate(
            { id: cancelling.id, reason, version: cancelling.version },
            { onSuccess: () => setCancelling(null) },
          )
        }
      />
      {canAdmit && (
        <AdmitDialog
          open={!!dialogStart}
          start={dialogStart ?? {}}
          onClose={closeAdmit}
          onAdmitted={(admission) => {
            closeAdmit();
            navigate(`/ipd/admissions/${admission.id}`);
          }}
        />
      )}
    </>
  );
}

function startFor(r: AdmissionRequest, bedId: string | null): AdmitStart {
  return {
    patientId: r.patientId,
    requestId: r.id,
    source: r.source,
    sourceEncounterId: r.sourceEncounterId,
    practitionerId: r.practitionerId,
    departmentId: r.departmentId,
    reason: r.reason,
    bedId,
    reservedBedId: r.reservation?.bedId ?? null,
  };
}
