import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { type NursingNote, type NursingShift, nursingShifts } from '@newhms/contracts';
import { type FormEvent, useState } from 'react';
import { useAuth } from '../../../app/auth/auth-context';
import { formatDateTime } from '../../../ui/format';
import { ProblemAlert } from '../../../ui/problem-alert';
import { ReasonDialog } from '../../../ui/reason-dialog';
import { useAddNursingNote, useNursingNoteInError, useNursingNotes } from '../hooks/use-nursing';
import { shiftLabels } from '../nursing-labels';

const sbarParts = [
  { key: 'situation', label: 'Situation' },
  { key: 'background', label: 'Background' },
  { key: 'assessment', label: 'Assessment' },
  { key: 'recommendation', label: 'Recommendation' },
] as const;
type Sbar = Record<(typeof sbarParts)[number]['key'], string>;
const emptySbar: Sbar = { situation: '', background: '', assessment: '', recommendation: '' };

type Props = { admissionId: string; canChart: boolean };

function ShiftField({
  value,
  onChange,
}: {
  value: NursingShift | '';
  onChange: (v: NursingShift | '') => void;
}) {
  return (
    <TextField
      select
      size="small"
      label="Shift"
      value={value}
      onChange={(e) => onChange(e.target.value as NursingShift | '')}
      sx={{ minWidth: 160 }}
    >
      <MenuItem value="">
        <em>Current shift</em>
      </MenuItem>
      {nursingShifts.map((s) => (
        <MenuItem key={s} value={s}>
          {shiftLabels[s]}
        </MenuItem>
      ))}
    </TextField>
  );
}

/** Free-text nursing notes, newest first; a wrong one is struck out by its author with a reason. */
export function NursingNotesTab({ admissionId, canChart }: Props) {
  const notes = useNursingNotes(admissionId, 'note');
  const add = useAddNursingNote(admissionId);
  const [text, setText] = useState('');
  const [shift, setShift] = useState<NursingShift | ''>('');
  const [tried, setTried] = useState(false);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (!text.trim()) return;
    add.mutate(
      { kind: 'note', text: text.trim(), ...(shift ? { shift } : {}) },
      {
        onSuccess: () => {
          setText('');
          setTried(false);
        },
      },
    );
  };
  return (
    <Stack spacing={3}>
      {canChart && (
        <Paper
          variant="outlined"
          component="form"
          noValidate
          onSubmit={submit}
          aria-label="New nursing note"
          sx={{ p: 2 }}
        >
          <Stack spacing={2}>
            <TextField
              label="Nursing note"
              multiline
              minRows={3}
              value={text}
              onChange={(e) => setText(e.target.value)}
              error={tried && !text.trim()}
              helperText={tried && !text.trim() ? 'Write the note' : ' '}
              slotProps={{ htmlInput: { maxLength: 10000 } }}
            />
            <Stack direction="row" spacing={2} sx={{ alignItems: 'center' }}>
              <ShiftField value={shift} onChange={setShift} />
              <Button type="submit" variant="contained" disabled={add.isPending}>
                Add note
              </Button>
            </Stack>
            <ProblemAlert error={add.error} />
          </Stack>
        </Paper>
      )}
      <ProblemAlert error={notes.error} />
      <NoteList
        notes={notes.data ?? []}
        label="Nursing notes"
        empty="No nursing notes yet."
        canChart={canChart}
      />
    </Stack>
  );
}

/** Shift handovers in SBAR: situation, background, assessment, recommendation. */
export function HandoverTab({ admissionId, canChart }: Props) {
  const notes = useNursingNotes(admissionId, 'handover');
  const add = useAddNursingNote(admissionId);
  const [sbar, setSbar] = useState<Sbar>(emptySbar);
  const [shift, setShift] = useState<NursingShift | ''>('');
  const [tried, setTried] = useState(false);
  const missing = sbarParts.filter((p) => !sbar[p.key].trim());
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (missing.length > 0) return;
    const body = {
      situation: sbar.situation.trim(),
      background: sbar.background.trim(),
      assessment: sbar.assessment.trim(),
      recommendation: sbar.recommendation.trim(),
    };
    add.mutate(
      { kind: 'handover', sbar: body, ...(shift ? { shift } : {}) },
      {
        onSuccess: () => {
          setSbar(emptySbar);
          setTried(false);
        },
      },
    );
  };
  return (
    <Stack spacing={3}>
      {canChart && (
        <Paper
          variant="outlined"
          component="form"
          noValidate
          onSubmit={submit}
          aria-label="Shift handover"
          sx={{ p: 2 }}
        >
          <Typography variant="h6" component="h2" sx={{ mb: 2 }}>
            Hand over (SBAR)
          </Typography>
          <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' } }}>
            {sbarParts.map((p) => (
              <TextField
                key={p.key}
                label={p.label}
                multiline
                minRows={2}
                value={sbar[p.key]}
                onChange={(e) => setSbar((s) => ({ ...s, [p.key]: e.target.value }))}
                error={tried && !sbar[p.key].trim()}
                helperText={tried && !sbar[p.key].trim() ? `Write the ${p.label.toLowerCase()}` : ' '}
                slotProps={{ htmlInput: { maxLength: 4000 } }}
              />
            ))}
          </Box>
          <Stack direction="row" spacing={2} sx={{ alignItems: 'center', mt: 1 }}>
            <ShiftField value={shift} onChange={setShift} />
            <Button type="submit" variant="contained" disabled={add.isPending}>
              Hand over
            </Button>
          </Stack>
          <ProblemAlert error={add.error} sx={{ mt: 2 }} />
        </Paper>
      )}
      <ProblemAlert error={notes.error} />
      <NoteList notes={notes.data ?? []} label="Handovers" empty="No handovers yet." canChart={canChart} />
    </Stack>
  );
}

function NoteList({
  notes,
  label,
  empty,
  canChart,
}: {
  notes: NursingNote[];
  label: string;
  empty: string;
  canChart: boolean;
}) {
  const { me } = useAuth();
  const inError = useNursingNoteInError();
  const [striking, setStriking] = useState<string | null>(null);
  if (notes.length === 0) return <Typography color="text.secondary">{empty}</Typography>;
  return (
    <>
      <Stack component="ol" aria-label={label} spacing={2} sx={{ p: 0, m: 0, listStyle: 'none' }}>
        {notes.map((n) => {
          const struck = n.status === 'entered-in-error';
          return (
            <Paper component="li" variant="outlined" key={n.id} sx={{ p: 2, opacity: struck ? 0.7 : 1 }}>
              <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mb: 1, flexWrap: 'wrap' }}>
                <Typography variant="body2" color="text.secondary" sx={{ flexGrow: 1 }}>
                  {formatDateTime(n.effectiveAt)}
                  {n.shift ? ` · ${shiftLabels[n.shift]} shift` : ''} · {n.recordedBy}
                </Typography>
                {struck && <Chip size="small" label={`Entered in error: ${n.errorReason ?? ''}`} />}
                {canChart && !struck && n.recordedBy === me?.displayName && (
                  <Button size="small" onClick={() => setStriking(n.id)}>
                    Entered in error
                  </Button>
                )}
              </Stack>
              <Box sx={{ textDecoration: struck ? 'line-through' : undefined }}>
                {n.text && <Typography sx={{ whiteSpace: 'pre-wrap' }}>{n.text}</Typography>}
                {n.sbar && (
                  <Box
                    component="dl"
                    sx={{
                      m: 0,
                      '& dt': { fontWeight: 600, mt: 0.5 },
                      '& dd': { ml: 0, whiteSpace: 'pre-wrap' },
                    }}
                  >
                    {sbarParts.map((p) => (
                      <Box key={p.key}>
                        <dt>{p.label}</dt>
                        <dd>{n.sbar?.[p.key]}</dd>
                      </Box>
                    ))}
                  </Box>
                )}
              </Box>
            </Paper>
          );
        })}
      </Stack>
      <ReasonDialog
        open={striking !== null}
        title="Note entered in error"
        message="The note stays in the record, struck out, with your reason."
        confirmLabel="Mark entered in error"
        danger
        busy={inError.isPending}
        error={inError.error}
        onCancel={() => setStriking(null)}
        onConfirm={(reason) =>
          striking && inError.mutate({ id: striking, reason }, { onSuccess: () => setStriking(null) })
        }
      />
    </>
  );
}
