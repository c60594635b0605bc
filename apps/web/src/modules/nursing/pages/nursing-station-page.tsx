import Warning from '@mui/icons-material/Warning';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardActionArea from '@mui/material/CardActionArea';
import CardActions from '@mui/material/CardActions';
import CardContent from '@mui/material/CardContent';
import Chip from '@mui/material/Chip';
import LinearProgress from '@mui/material/LinearProgress';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { StationBed } from '@newhms/contracts';
import { useState } from 'react';
import { Link as RouterLink, useNavigate, useParams } from 'react-router';
import { useAuth } from '../../../app/auth/auth-context';
import { formatCalendarDate, formatTimeIn, useFacilityTimeZone } from '../../../ui/facility-time';
import { PageHeader } from '../../../ui/page-header';
import { ProblemAlert } from '../../../ui/problem-alert';
import { WardDosesDue } from '../../prescriptions';
import { AcknowledgeEscalationDialog } from '../components/news2-alert-banner';
import { News2Badge } from '../components/news2-badge';
import { useWardStation, useWards } from '../hooks/use-nursing';
import { formatBalance } from '../nursing-labels';

const bedStatusLabels: Record<string, string> = {
  available: 'Available',
  reserved: 'Reserved',
  occupied: 'Occupied',
  cleaning: 'Cleaning',
  maintenance: 'Maintenance',
  blocked: 'Blocked',
};

/** The ward picker of the nursing station (/ipd/station). */
export function StationPickerPage() {
  const wards = useWards();
  return (
    <>
      <PageHeader title="Nursing station" subtitle="Choose a ward" />
      <ProblemAlert error={wards.error} />
      {wards.isLoading && <LinearProgress aria-label="Loading the wards" />}
      {wards.data?.length === 0 && <Typography color="text.secondary">No wards are set up yet.</Typography>}
      <Box
        component="ul"
        aria-label="Wards"
        sx={{
          display: 'grid',
          gap: 2,
          p: 0,
          m: 0,
          listStyle: 'none',
          gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr', lg: '1fr 1fr 1fr' },
        }}
      >
        {(wards.data ?? []).map((w) => (
          <Card component="li" key={w.id} variant="outlined">
            <CardActionArea component={RouterLink} to={`/ipd/wards/${w.id}/station`} sx={{ height: '100%' }}>
              <CardContent>
                <Typography variant="h6" component="h2">
                  {w.name}
                </Typography>
                <Typography color="text.secondary">
                  {w.code} · {w.kind}
                  {w.floor ? ` · floor ${w.floor}` : ''}
                </Typography>
              </CardContent>
            </CardActionArea>
          </Card>
        ))}
      </Box>
    </>
  );
}

/** A ward's nursing station: every bed with its patient, NEWS2, escalations, tasks, expected discharge and I/O. */
export function NursingStationPage() {
  const { wardId } = useParams();
  const navigate = useNavigate();
  const wards = useWards();
  const station = useWardStation(wardId);
  const timeZone = useFacilityTimeZone();
  const s = station.data;
  const { can } = useAuth();
  const patients = Object.fromEntries(
    (s?.beds ?? []).flatMap((b) =>
      b.admission && b.patient ? [[b.admission.id, b.patient.displayName]] : [],
    ),
  );
  return (
    <>
      <PageHeader
        title={s ? `Nursing station: ${s.ward.name}` : 'Nursing station'}
        subtitle={
          s && (
            <span data-testid="station-summary">
              {s.summary.occupied} of {s.summary.beds} beds occupied · {s.summary.openEscalations} open
              escalation{s.summary.openEscalations === 1 ? '' : 's'} · {s.summary.overdueTasks} overdue task
              {s.summary.overdueTasks === 1 ? '' : 's'} · {s.summary.expectedDischargesToday} expected
              discharge
              {s.summary.expectedDischargesToday === 1 ? '' : 's'} today
            </span>
          )
        }
        actions={
          (wards.data?.length ?? 0) > 1 && (
            <TextField
              select
              size="small"
              label="Ward"
              value={wardId ?? ''}
              onChange={(e) => navigate(`/ipd/wards/${e.target.value}/station`)}
              sx={{ minWidth: 200 }}
            >
              {(wards.data ?? []).map((w) => (
                <MenuItem key={w.id} value={w.id}>
                  {w.name}
                </MenuItem>
              ))}
            </TextField>
          )
        }
      />
      <ProblemAlert error={station.error} sx={{ mb: 2 }} />
      {station.isLoading && <LinearProgress aria-label="Loading the nursing station" />}
      {s && wardId && can('pharmacy:read') && (
        <WardDosesDue
          wardId={wardId}
          patients={patients}
          marPath={(admissionId) => `/ipd/admissions/${admissionId}/chart?tab=medicines`}
        />
      )}
      {s && (
        <Box
          component="ul"
          aria-label="Beds"
          sx={{
            display: 'grid',
            gap: 2,
            p: 0,
            m: 0,
            listStyle: 'none',
            gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr', lg: '1fr 1fr 1fr', xl: 'repeat(4, 1fr)' },
          }}
        >
          {s.beds.map((b) => (
            <BedCard key={b.bedId} bed={b} ioDate={s.ioDate} timeZone={timeZone} />
          ))}
        </Box>
      )}
    </>
  );
}

function BedCard({ bed, ioDate, timeZone }: { bed: StationBed; ioDate: string; timeZone: string }) {
  const { can } = useAuth();
  const [acknowledging, setAcknowledging] = useState(false);
  const { patient, admission } = bed;
  const alerting = bed.openEscalations > 0;
  const body = (
    <CardContent>
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mb: 1, flexWrap: 'wrap' }}>
        <Typography variant="h6" component="h2" sx={{ flexGrow: 1 }}>
          Bed {bed.bedCode}
          <Typography component="span" variant="body2" color="text.secondary" sx={{ ml: 1 }}>
            room {bed.roomCode}
          </Typography>
        </Typography>
        {bed.isolation && <Chip size="small" color="secondary" label="Isolation" />}
        {!patient && <Chip size="small" label={bedStatusLabels[bed.bedStatus] ?? bed.bedStatus} />}
      </Stack>
      {patient && admission ? (
        <Stack spacing={0.75}>
          <Typography sx={{ fontWeight: 600 }}>
            {patient.displayName}{' '}
            <Typography component="span" variant="body2" color="text.secondary">
              {patient.mrn} · {[patient.age, patient.sex].filter(Boolean).join(' ')} · day{' '}
              {admission.daysSinceAdmission + 1}
            </Typography>
          </Typography>
          <Typography variant="body2" color="text.secondary">
            {admission.attendingPractitionerName}
          </Typography>
          {patient.allergyState === 'recorded' && (
            <Typography variant="body2" sx={{ color: 'error.main', fontWeight: 600 }}>
              Allergies: {patient.allergies.join(', ')}
            </Typography>
          )}
          {patient.allergyState === 'not-recorded' && (
            <Typography variant="body2" color="text.secondary">
              Allergies not recorded
            </Typography>
          )}
          <Stack direction="row" spacing={1} sx={{ flexWrap: 'wrap', rowGap: 1, alignItems: 'center' }}>
            {bed.news2 ? (
              <News2Badge score={bed.news2.score} risk={bed.news2.risk} complete={bed.news2.complete} />
            ) : (
              <Chip size="small" variant="outlined" label="No NEWS2 yet" />
            )}
            {alerting && (
              <Chip
                size="small"
                color="error"
                icon={<Warning />}
                label={`${bed.openEscalations} escalation${bed.openEscalations === 1 ? '' : 's'} open`}
                data-testid="open-escalations"
              />
            )}
          </Stack>
          <Typography variant="body2">
            Tasks: {bed.pendingTasks} pending
            {bed.overdueTasks > 0 && (
              <Box component="strong" sx={{ color: 'error.main' }}>
                {' '}
                · {bed.overdueTasks} overdue
              </Box>
            )}
            {bed.nextTaskDueAt && ` · next ${formatTimeIn(bed.nextTaskDueAt, timeZone)}`}
          </Typography>
          <Typography variant="body2" data-testid="station-io">
            I/O {ioDate}: in {bed.ioToday.intakeMl} ml · out {bed.ioToday.outputMl} ml · balance{' '}
            {formatBalance(bed.ioToday.balanceMl)}
          </Typography>
          {admission.expectedDischargeDate && (
            <Typography variant="body2">
              Expected discharge {formatCalendarDate(admission.expectedDischargeDate)}
            </Typography>
          )}
          {patient.alerts.length > 0 && (
            <Typography variant="body2" color="warning.main">
              {patient.alerts.join(' · ')}
            </Typography>
          )}
        </Stack>
      ) : (
        <Typography color="text.secondary" variant="body2">
          No patient
        </Typography>
      )}
    </CardContent>
  );
  return (
    <Card
      component="li"
      variant="outlined"
      aria-label={`Bed ${bed.bedCode}${patient ? `, ${patient.displayName}` : ''}`}
      sx={{ borderColor: alerting ? 'error.main' : undefined, borderWidth: alerting ? 2 : 1 }}
    >
      {admission ? (
        <CardActionArea component={RouterLink} to={`/ipd/admissions/${admission.id}/chart`}>
          {body}
        </CardActionArea>
      ) : (
        body
      )}
      {admission && patient && alerting && can('ipd:nursing') && (
        <CardActions>
          <Button size="small" color="error" variant="outlined" onClick={() => setAcknowledging(true)}>
            Acknowledge alert
          </Button>
        </CardActions>
      )}
      {acknowledging && admission && (
        <AcknowledgeEscalationDialog
          admissionId={admission.id}
          patientName={patient?.displayName ?? ''}
          onClose={() => setAcknowledging(false)}
        />
      )}
    </Card>
  );
}
