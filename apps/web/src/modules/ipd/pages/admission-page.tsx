import MonitorHeart from '@mui/icons-material/MonitorHeart';
import SwapHoriz from '@mui/icons-material/SwapHoriz';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import LinearProgress from '@mui/material/LinearProgress';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { AdmissionDetail, BedPeriod } from '@newhms/contracts';
import { type ReactNode, useState } from 'react';
import { Link as RouterLink, useParams } from 'react-router';
import { useAuth } from '../../../app/auth/auth-context';
import { ConflictAlert } from '../../../ui/conflict-alert';
import { type Column, DataTable } from '../../../ui/data-table';
import { formatDateTime } from '../../../ui/format';
import { PageHeader } from '../../../ui/page-header';
import { ProblemAlert } from '../../../ui/problem-alert';
import { ReasonDialog } from '../../../ui/reason-dialog';
import { AccountSummaryCard } from '../../billing';
import { usePatient, usePatientInContext } from '../../patients';
import { MedicinesPanel } from '../../prescriptions';
import { DischargePanel } from '../components/discharge-panel';
import { TransferDialog } from '../components/transfer-dialog';
import { isStale, useAdmission, useCancelAdmission } from '../hooks/use-ipd';
import {
  admissionSourceLabels,
  admissionStatusLabels,
  payerCategoryLabels,
  wardKindLabels,
} from '../ipd-labels';

const statusColour = {
  admitted: 'primary',
  'discharge-initiated': 'warning',
  discharged: 'success',
  cancelled: 'default',
} as const;

/** One stay at /ipd/admissions/:admissionId: where the patient is, where they were, and the discharge. */
export function AdmissionPage() {
  const { admissionId } = useParams();
  const admission = useAdmission(admissionId);
  if (admission.isLoading) return <LinearProgress aria-label="Loading the admission" />;
  if (!admission.data) {
    return (
      <>
        <PageHeader title="Admission" />
        <ProblemAlert error={admission.error} />
      </>
    );
  }
  return <AdmissionView admission={admission.data} onReload={() => void admission.refetch()} />;
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Box sx={{ minWidth: 0 }}>
      <Typography component="dt" variant="body2" color="text.secondary">
        {label}
      </Typography>
      <Typography component="dd" sx={{ m: 0, fontWeight: 500, overflowWrap: 'anywhere' }}>
        {children || '—'}
      </Typography>
    </Box>
  );
}

function AdmissionView({ admission, onReload }: { admission: AdmissionDetail; onReload: () => void }) {
  const { can } = useAuth();
  const patient = usePatient(admission.patientId);
  usePatientInContext(patient.data);
  const [transferring, setTransferring] = useState(false);
  const [cancelling, setCancelling] = useState(false);
  const cancel = useCancelAdmission();
  const open = admission.status === 'admitted' || admission.status === 'discharge-initiated';
  const name = patient.data?.displayName ?? admission.patient?.displayName ?? '';
  const bed = admission.bed;

  const historyColumns: Column<BedPeriod>[] = [
    { id: 'ward', header: 'Ward', render: (p) => p.wardName },
    { id: 'bed', header: 'Bed', render: (p) => p.bedCode },
    { id: 'tariff', header: 'Tariff class', render: (p) => p.tariffClass },
    { id: 'from', header: 'From', render: (p) => formatDateTime(p.startedAt) },
    { id: 'to', header: 'To', render: (p) => (p.endedAt ? formatDateTime(p.endedAt) : 'now') },
    { id: 'days', header: 'Bed days', render: (p) => p.bedDays, align: 'right' },
    {
      id: 'why',
      header: 'Moved',
      render: (p) => (
        <>
          {p.startReason === 'admission' ? 'Admitted' : 'Transferred in'}
          {p.endReason ? ` · left on ${p.endReason}` : ''}
          {p.note && (
            <Typography variant="body2" color="text.secondary">
              {p.note}
            </Typography>
          )}
        </>
      ),
      hideBelow: 'md',
    },
    { id: 'by', header: 'By', render: (p) => p.movedBy, hideBelow: 'lg' },
  ];

  return (
    <>
      <PageHeader
        title={`Admission ${admission.admissionNumber}${name ? `: ${name}` : ''}`}
        subtitle={
          <>
            Admitted {formatDateTime(admission.admittedAt)} by {admission.admittedBy} ·{' '}
            {admissionSourceLabels[admission.source]}{' '}
            <Chip
              size="small"
              color={statusColour[admission.status]}
              label={admissionStatusLabels[admission.status]}
              data-testid="admission-status"
              sx={{ ml: 1 }}
            />
          </>
        }
        actions={
          <>
            <Button component={RouterLink} to="/ipd/beds">
              Bed board
            </Button>
            <Button
              variant="outlined"
              startIcon={<MonitorHeart />}
              component={RouterLink}
              to={`/ipd/admissions/${admission.id}/chart`}
            >
              Nursing chart
            </Button>
            {open && can('ipd:admit') && (
              <Button variant="contained" startIcon={<SwapHoriz />} onClick={() => setTransferring(true)}>
                Transfer
              </Button>
            )}
            {open && can('ipd:cancel-admission') && (
              <Button
                color="error"
                onClick={() => {
                  cancel.reset();
                  setCancelling(true);
                }}
              >
                Cancel admission
              </Button>
            )}
          </>
        }
      />
      {isStale(cancel.error) && (
        <Box sx={{ mb: 2 }}>
          <ConflictAlert
            onReload={() => {
              cancel.reset();
              onReload();
            }}
          />
        </Box>
      )}
      <Box
        sx={{
          display: 'grid',
          gap: 2,
          gridTemplateColumns: { xs: '1fr', md: 'minmax(0, 4fr) minmax(0, 8fr)' },
          alignItems: 'stretch',
        }}
      >
        <Paper
          component="section"
          aria-labelledby="bed-now-title"
          variant="outlined"
          sx={{ p: 2, minWidth: 0, height: '100%', boxSizing: 'border-box' }}
        >
          <Typography id="bed-now-title" component="h2" variant="h6" sx={{ mb: 1 }}>
            Bed now
          </Typography>
          {bed ? (
            <Box data-testid="bed-now">
              <Typography sx={{ fontSize: '1.5rem', fontWeight: 800 }}>
                {bed.wardName} · bed {bed.bedCode}
              </Typography>
              <Typography color="text.secondary">
                {wardKindLabels[bed.wardKind]} · room {bed.roomCode} · tariff {bed.tariffClass}
                {bed.isolation ? ' · isolation' : ''} · since {formatDateTime(bed.since)}
              </Typography>
            </Box>
          ) : (
            <Typography color="text.secondary" data-testid="bed-now">
              No bed ({admissionStatusLabels[admission.status].toLowerCase()})
            </Typography>
          )}
        </Paper>
        <Paper component="section" aria-labelledby="stay-title" variant="outlined" sx={{ p: 2, minWidth: 0 }}>
          <Typography id="stay-title" component="h2" variant="h6" sx={{ mb: 1 }}>
            The stay
          </Typography>
          <Box
            component="dl"
            sx={{
              m: 0,
              display: 'grid',
              gap: 1.5,
              gridTemplateColumns: 'repeat(auto-fill, minmax(200px, 1fr))',
            }}
          >
            <Fact label="Reason">{admission.reason}</Fact>
            <Fact label="Provisional diagnosis">
              {[admission.provisionalDiagnosisCode, admission.provisionalDiagnosis].filter(Boolean).join(' ')}
            </Fact>
            <Fact label="Admitting doctor">{admission.admittingPractitionerName}</Fact>
            <Fact label="Attending doctor">{admission.attendingPractitionerName}</Fact>
            <Fact label="Expected stay">
              {admission.expectedLengthOfStayDays ? `${admission.expectedLengthOfStayDays} days` : ''}
            </Fact>
            <Fact label="Payer">
              {payerCategoryLabels[admission.payerCategory]}
              {admission.payerDetails?.payerName ? ` · ${admission.payerDetails.payerName}` : ''}
              {admission.payerDetails?.policyNumber ? ` · policy ${admission.payerDetails.policyNumber}` : ''}
            </Fact>
            <Fact label="Attendant">
              {admission.attendant
                ? `${admission.attendant.name} (${admission.attendant.relationship}) · ${admission.attendant.phone}`
                : ''}
            </Fact>
            <Fact label="Admission consent">
              {admission.consent
                ? `Signed by ${admission.consent.signedBy}${admission.consent.relationship ? ` (${admission.consent.relationship})` : ''}, recorded by ${admission.consent.recordedByName}`
                : 'Not recorded'}
            </Fact>
          </Box>
        </Paper>
      </Box>
      <Stack spacing={2} sx={{ mt: 2 }}>
        <DischargePanel admission={admission} onReload={onReload} />
        {can('pharmacy:read') && (
          <MedicinesPanel
            encounterId={admission.encounterId}
            patientId={admission.patientId}
            setting="inpatient"
            open={open}
          />
        )}
        <AccountSummaryCard patientId={admission.patientId} admissionId={admission.id} />
        <Box component="section" aria-labelledby="history-title">
          <Typography id="history-title" component="h2" variant="h6" sx={{ mb: 1 }}>
            Bed history{' '}
            <Typography component="span" color="text.secondary" data-testid="total-bed-days">
              · {admission.totalBedDays} bed day{admission.totalBedDays === 1 ? '' : 's'}
            </Typography>
          </Typography>
          <DataTable
            label="Bed history"
            columns={historyColumns}
            rows={admission.bedHistory}
            rowKey={(p) => p.occupancyId}
            emptyText="No bed yet"
          />
        </Box>
      </Stack>
      <ReasonDialog
        open={cancelling && !isStale(cancel.error)}
        title="Cancel the admission"
        message="Only for an admission entered in error: its bed days are void and the bed goes to cleaning."
        confirmLabel="Cancel admission"
        danger
        busy={cancel.isPending}
        error={cancel.error}
        onCancel={() => setCancelling(false)}
        onConfirm={(reason) =>
          cancel.mutate(
            { id: admission.id, reason, version: admission.version },
            { onSuccess: () => setCancelling(false) },
          )
        }
      />
      {open && (
        <TransferDialog
          admission={admission}
          open={transferring}
          onClose={() => setTransferring(false)}
          onReload={onReload}
        />
      )}
    </>
  );
}
