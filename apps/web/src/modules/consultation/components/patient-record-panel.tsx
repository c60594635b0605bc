import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import LinearProgress from '@mui/material/LinearProgress';
import Link from '@mui/material/Link';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemText from '@mui/material/ListItemText';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import type { Encounter } from '@newhms/contracts';
import { lazy, Suspense } from 'react';
import { Link as RouterLink } from 'react-router';
import { formatDateTime } from '../../../ui/format';
import { ProblemAlert } from '../../../ui/problem-alert';
import { usePatientEncounters, usePatientProblems, usePatientVitals } from '../hooks/use-encounter';

// The chart library is large: it loads with the first chart, not with the app.
const VitalsTrend = lazy(() => import('./vitals-trend').then((m) => ({ default: m.VitalsTrend })));

const classLabels: Record<Encounter['class'], string> = {
  ambulatory: 'OPD',
  inpatient: 'IPD',
  emergency: 'Emergency',
};

type Props = {
  patientId: string;
  /** The encounter on screen, left out of "past encounters". */
  currentEncounterId?: string;
  headingLevel?: 'h2' | 'h3';
};

function Block({ title, level, children }: { title: string; level: 'h2' | 'h3'; children: React.ReactNode }) {
  return (
    <Paper variant="outlined" sx={{ p: 2 }} component="section" aria-label={title}>
      <Typography variant="subtitle1" component={level} sx={{ fontWeight: 600, mb: 1 }}>
        {title}
      </Typography>
      {children}
    </Paper>
  );
}

/** What a doctor looks at before and while seeing a patient: active problems, past visits, vitals trend. */
export function PatientRecordPanel({ patientId, currentEncounterId, headingLevel = 'h2' }: Props) {
  const problems = usePatientProblems(patientId);
  const encounters = usePatientEncounters(patientId);
  const vitals = usePatientVitals(patientId);
  const past = (encounters.data ?? []).filter((e) => e.id !== currentEncounterId);
  return (
    <Box sx={{ display: 'grid', gap: 2 }}>
      <Block title="Active problems" level={headingLevel}>
        {problems.isLoading && <LinearProgress aria-label="Loading problems" />}
        <ProblemAlert error={problems.error} />
        {problems.isSuccess && problems.data.length === 0 && (
          <Typography color="text.secondary" variant="body2">
            No active problems recorded.
          </Typography>
        )}
        <Box component="ul" sx={{ m: 0, pl: 0, listStyle: 'none' }} aria-label="Active problems">
          {(problems.data ?? []).map((d) => (
            <Box component="li" key={d.id} sx={{ mb: 0.5 }}>
              <Box component="span" sx={{ fontFamily: 'monospace', fontWeight: 700, mr: 1 }}>
                {d.code}
              </Box>
              {d.display}
            </Box>
          ))}
        </Box>
      </Block>
      <Block title="Past encounters" level={headingLevel}>
        {encounters.isLoading && <LinearProgress aria-label="Loading encounters" />}
        <ProblemAlert error={encounters.error} />
        {encounters.isSuccess && past.length === 0 && (
          <Typography color="text.secondary" variant="body2">
            No earlier visits.
          </Typography>
        )}
        <List dense disablePadding aria-label="Past encounters">
          {past.slice(0, 10).map((e) => (
            <ListItem key={e.id} disableGutters>
              <ListItemText
                primary={
                  <>
                    <Link component={RouterLink} to={`/consultation/${e.id}`}>
                      {formatDateTime(e.startedAt)}
                    </Link>{' '}
                    <Chip size="small" label={classLabels[e.class]} variant="outlined" sx={{ ml: 0.5 }} />
                  </>
                }
                secondary={[e.practitionerName, e.reason].filter(Boolean).join(' · ') || undefined}
              />
            </ListItem>
          ))}
        </List>
      </Block>
      <Paper variant="outlined" sx={{ p: 2 }}>
        {vitals.isLoading && <LinearProgress aria-label="Loading vitals" />}
        <ProblemAlert error={vitals.error} />
        {vitals.isSuccess && (
          <Suspense fallback={<LinearProgress aria-label="Loading the chart" />}>
            <VitalsTrend vitals={vitals.data} />
          </Suspense>
        )}
      </Paper>
    </Box>
  );
}
