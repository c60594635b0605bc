import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import LinearProgress from '@mui/material/LinearProgress';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { Link as RouterLink } from 'react-router';
import { formatDateTime } from '../../../ui/format';
import type { Candidate } from '../hooks/use-patients';
import { ageSex } from '../patient-labels';

type ListProps = {
  candidates: Candidate[];
  /** The accessible name of the list. */
  label: string;
};

/** Possible duplicates with their score and why they matched, each with a way to open the record. */
export function CandidateList({ candidates, label }: ListProps) {
  return (
    <List aria-label={label} disablePadding>
      {candidates.map((c) => (
        <ListItem
          key={c.id}
          disableGutters
          sx={{
            display: 'block',
            py: 1.5,
            borderBottom: 1,
            borderColor: 'divider',
            '&:last-child': { border: 0 },
          }}
        >
          <Box sx={{ display: 'flex', alignItems: 'baseline', gap: 1, flexWrap: 'wrap' }}>
            <Typography component="span" sx={{ fontWeight: 600 }}>
              {c.displayName}
            </Typography>
            <Chip
              size="small"
              color={c.score >= 0.85 ? 'error' : c.score >= 0.6 ? 'warning' : 'default'}
              label={`${Math.round(c.score * 100)}% match`}
            />
          </Box>
          <Typography variant="body2">
            <Box component="span" sx={{ fontFamily: 'monospace' }}>
              MRN {c.mrn}
            </Box>
            {' · '}
            {ageSex(c)}
            {c.birthDate && ` · born ${c.birthDateEstimated ? 'about ' : ''}${c.birthDate}`}
          </Typography>
          <Typography variant="body2" color="text.secondary">
            {[
              c.phoneEnding && `phone ${c.phoneEnding}`,
              c.locality,
              c.lastVisitAt && `last visit ${formatDateTime(c.lastVisitAt)}`,
            ]
              .filter(Boolean)
              .join(' · ')}
          </Typography>
          {c.reasons.length > 0 && (
            <Typography variant="body2" sx={{ mt: 0.5 }}>
              Matched: {c.reasons.join('; ')}
            </Typography>
          )}
          <Button
            component={RouterLink}
            to={`/patients/${c.id}`}
            size="small"
            variant="outlined"
            sx={{ mt: 1 }}
            aria-label={`Open the record of ${c.displayName}, MRN ${c.mrn}`}
          >
            Open this record
          </Button>
        </ListItem>
      ))}
    </List>
  );
}

type PanelProps = { candidates: Candidate[]; loading: boolean; checking: boolean };

/** The side panel of the registration form: who this might already be, as the clerk types. */
export function DuplicatePanel({ candidates, loading, checking }: PanelProps) {
  return (
    <Paper
      variant="outlined"
      component="section"
      aria-labelledby="possible-duplicates-title"
      sx={{
        p: 2,
        borderColor: candidates.length > 0 ? 'warning.main' : 'divider',
        borderWidth: candidates.length > 0 ? 2 : 1,
      }}
    >
      <Typography id="possible-duplicates-title" variant="h6" component="h2">
        Possible duplicates
      </Typography>
      {loading && <LinearProgress aria-label="Checking for duplicates" sx={{ my: 1 }} />}
      <Box role="status" aria-live="polite" sx={{ mt: 1 }}>
        {!checking ? (
          <Typography variant="body2" color="text.secondary">
            Type the name, date of birth or phone: records that may be the same person show here.
          </Typography>
        ) : candidates.length === 0 ? (
          !loading && (
            <Typography variant="body2" color="text.secondary">
              No similar record found so far.
            </Typography>
          )
        ) : (
          <Typography variant="body2" sx={{ fontWeight: 600, color: 'warning.main' }}>
            {candidates.length === 1
              ? '1 existing record looks similar. Check it before registering.'
              : `${candidates.length} existing records look similar. Check them before registering.`}
          </Typography>
        )}
      </Box>
      {candidates.length > 0 && <CandidateList candidates={candidates} label="Possible duplicates" />}
    </Paper>
  );
}
