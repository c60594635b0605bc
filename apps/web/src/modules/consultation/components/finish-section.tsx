import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import type { Encounter } from '@newhms/contracts';
import { type FormEvent, useState } from 'react';
import { isConflict } from '../../../ui/conflict';
import { ConflictAlert } from '../../../ui/conflict-alert';
import { addDays, calendarDateIn, formatCalendarDate, formatTimeIn } from '../../../ui/facility-time';
import { ProblemAlert } from '../../../ui/problem-alert';
import { useBookFollowUp, useFinishEncounter, useFollowUps } from '../hooks/use-encounter';
import { Section } from './section';

type Props = {
  encounter: Encounter;
  /** The advice written in the note, offered as the advice to the patient. */
  noteAdvice: string | undefined;
  canWrite: boolean;
  canBookFollowUp: boolean;
  timeZone: string;
  onFinished: () => void;
  onReload: () => void;
};

/** Advice, follow-up and referral, and the end of the consultation. */
export function FinishSection(props: Props) {
  const { encounter, timeZone } = props;
  const finished = encounter.status === 'finished';
  const finish = useFinishEncounter(encounter.id);
  const bookFollowUp = useBookFollowUp();
  const followUps = useFollowUps(encounter.id, encounter.patientId);
  const [advice, setAdvice] = useState<string | null>(null);
  const [followUpDate, setFollowUpDate] = useState(encounter.followUpDate ?? '');
  const [referral, setReferral] = useState(encounter.referral ?? '');
  const today = calendarDateIn(timeZone);
  const shownAdvice = advice ?? encounter.advice ?? props.noteAdvice ?? '';
  const booked = followUps.data ?? [];

  const submit = (e: FormEvent) => {
    e.preventDefault();
    finish.mutate(
      {
        encounter,
        input: {
          advice: shownAdvice.trim() || null,
          followUpDate: followUpDate || null,
          referral: referral.trim() || null,
          version: encounter.version,
        },
      },
      { onSuccess: props.onFinished },
    );
  };

  if (finished) {
    return (
      <Section title="Outcome" id="outcome">
        <Box
          component="dl"
          sx={{ m: 0, '& dt': { fontWeight: 600, mt: 1 }, '& dd': { ml: 0, whiteSpace: 'pre-wrap' } }}
        >
          <dt>Advice</dt>
          <dd>{encounter.advice || '—'}</dd>
          <dt>Follow-up</dt>
          <dd>{encounter.followUpDate ? formatCalendarDate(encounter.followUpDate) : '—'}</dd>
          <dt>Referral</dt>
          <dd>{encounter.referral || '—'}</dd>
        </Box>
        <FollowUpList items={booked} timeZone={timeZone} />
      </Section>
    );
  }

  return (
    <Section title="Advice, follow-up and finish" id="finish">
      <Stack component="form" spacing={2} onSubmit={submit} noValidate aria-label="Finish consultation">
        <TextField
          label="Advice to the patient"
          value={shownAdvice}
          onChange={(e) => setAdvice(e.target.value)}
          multiline
          minRows={2}
          disabled={!props.canWrite}
          slotProps={{ htmlInput: { maxLength: 2000 } }}
        />
        <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap', alignItems: 'center' }}>
          <TextField
            label="Follow-up date"
            type="date"
            value={followUpDate}
            onChange={(e) => setFollowUpDate(e.target.value)}
            disabled={!props.canWrite}
            slotProps={{ inputLabel: { shrink: true }, htmlInput: { min: addDays(today, 1) } }}
            sx={{ width: 190 }}
          />
          {props.canWrite &&
            [
              [7, 'In 1 week'],
              [14, 'In 2 weeks'],
              [30, 'In 1 month'],
            ].map(([days, label]) => (
              <Button key={days} size="small" onClick={() => setFollowUpDate(addDays(today, days as number))}>
                {label}
              </Button>
            ))}
          {props.canBookFollowUp && followUpDate && (
            <Button
              variant="outlined"
              disabled={bookFollowUp.isPending || booked.some((a) => a.date === followUpDate)}
              onClick={() => bookFollowUp.mutate({ encounterId: encounter.id, date: followUpDate })}
            >
              Book follow-up appointment
            </Button>
          )}
        </Box>
        <ProblemAlert error={bookFollowUp.error} />
        <FollowUpList items={booked} timeZone={timeZone} />
        <TextField
          label="Referral (department or hospital, and why)"
          value={referral}
          onChange={(e) => setReferral(e.target.value)}
          disabled={!props.canWrite}
          slotProps={{ htmlInput: { maxLength: 500 } }}
        />
        {isConflict(finish.error) ? (
          <ConflictAlert onReload={props.onReload} />
        ) : (
          <ProblemAlert error={finish.error} />
        )}
        {props.canWrite && (
          <Box>
            <Button type="submit" variant="contained" color="success" disabled={finish.isPending}>
              Finish consultation
            </Button>
          </Box>
        )}
      </Stack>
    </Section>
  );
}

function FollowUpList({
  items,
  timeZone,
}: {
  items: { id: string; date: string; startsAt: string; practitionerName: string }[];
  timeZone: string;
}) {
  if (items.length === 0) return null;
  return (
    <Stack spacing={1} sx={{ mt: 1 }}>
      {items.map((a) => (
        <Alert key={a.id} severity="success" role="status">
          Follow-up booked: {formatCalendarDate(a.date)} at {formatTimeIn(a.startsAt, timeZone)} with{' '}
          {a.practitionerName}.
        </Alert>
      ))}
    </Stack>
  );
}
