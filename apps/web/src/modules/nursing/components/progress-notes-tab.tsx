import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import LinearProgress from '@mui/material/LinearProgress';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { ClinicalNote } from '@newhms/contracts';
import { useState } from 'react';
import { useAuth } from '../../../app/auth/auth-context';
import { isConflict } from '../../../ui/conflict';
import { ConflictAlert } from '../../../ui/conflict-alert';
import { formatDateTime } from '../../../ui/format';
import { ProblemAlert } from '../../../ui/problem-alert';
import { useInpatientEncounter, useSignClinicalNote, useWriteProgressNote } from '../hooks/use-nursing';

const statusLabels: Record<ClinicalNote['status'], string> = {
  draft: 'Draft',
  signed: 'Signed',
  amended: 'Amended',
  'entered-in-error': 'Entered in error',
};

/**
 * The doctors' daily progress notes: clinical notes of kind 'progress' in the inpatient encounter (the shared
 * record), written here as a draft or signed at once; a draft is signed by its author.
 */
export function ProgressNotesTab({ encounterId }: { encounterId: string }) {
  const { can, me } = useAuth();
  const encounter = useInpatientEncounter(encounterId);
  const write = useWriteProgressNote(encounterId);
  const sign = useSignClinicalNote(encounterId);
  const [text, setText] = useState('');
  const [tried, setTried] = useState(false);
  const canWrite = can('encounters:write');
  const canSign = can('encounters:sign');
  const notes = (encounter.data?.notes ?? [])
    .filter((n) => n.kind === 'progress')
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));

  const submit = (signNow: boolean) => {
    setTried(true);
    if (!text.trim()) return;
    write.mutate(
      { text: text.trim(), sign: signNow },
      {
        onSuccess: () => {
          setText('');
          setTried(false);
        },
      },
    );
  };

  if (encounter.isLoading) return <LinearProgress aria-label="Loading the progress notes" />;
  return (
    <Stack spacing={3}>
      {canWrite && (
        <Paper variant="outlined" component="section" aria-labelledby="progress-new-title" sx={{ p: 2 }}>
          <Typography id="progress-new-title" variant="h6" component="h2" sx={{ mb: 2 }}>
            New progress note
          </Typography>
          <TextField
            label="Progress note"
            multiline
            minRows={4}
            fullWidth
            value={text}
            onChange={(e) => setText(e.target.value)}
            error={tried && !text.trim()}
            helperText={tried && !text.trim() ? 'Write the note' : 'Subjective, objective, assessment, plan'}
            slotProps={{ htmlInput: { maxLength: 20000 } }}
          />
          <Stack direction="row" spacing={1} sx={{ mt: 1 }}>
            {canSign && (
              <Button variant="contained" disabled={write.isPending} onClick={() => submit(true)}>
                Sign note
              </Button>
            )}
            <Button variant="outlined" disabled={write.isPending} onClick={() => submit(false)}>
              Save draft
            </Button>
          </Stack>
          <ProblemAlert error={write.error} sx={{ mt: 2 }} />
        </Paper>
      )}
      <ProblemAlert error={encounter.error} />
      {isConflict(sign.error) ? (
        <ConflictAlert onReload={() => void encounter.refetch()} />
      ) : (
        <ProblemAlert error={sign.error} />
      )}
      {notes.length === 0 ? (
        <Typography color="text.secondary">No progress notes yet.</Typography>
      ) : (
        <Stack component="ol" aria-label="Progress notes" spacing={2} sx={{ p: 0, m: 0, listStyle: 'none' }}>
          {notes.map((n) => (
            <Paper component="li" key={n.id} variant="outlined" sx={{ p: 2 }}>
              <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mb: 1, flexWrap: 'wrap' }}>
                <Typography variant="body2" color="text.secondary" sx={{ flexGrow: 1 }}>
                  {formatDateTime(n.createdAt)} · {n.authorName}
                  {n.signedAt ? ` · signed ${formatDateTime(n.signedAt)}` : ''}
                </Typography>
                <Chip
                  size="small"
                  label={statusLabels[n.status]}
                  color={n.status === 'draft' ? 'warning' : 'default'}
                />
                {n.status === 'draft' && canSign && n.authorId === me?.id && (
                  <Button
                    size="small"
                    variant="outlined"
                    disabled={sign.isPending}
                    onClick={() => sign.mutate({ noteId: n.id, version: n.version })}
                  >
                    Sign
                  </Button>
                )}
              </Stack>
              <Typography sx={{ whiteSpace: 'pre-wrap' }}>
                {n.sections.text ?? [n.sections.assessment, n.sections.plan].filter(Boolean).join('\n')}
              </Typography>
            </Paper>
          ))}
        </Stack>
      )}
    </Stack>
  );
}
