import ExpandMore from '@mui/icons-material/ExpandMore';
import Accordion from '@mui/material/Accordion';
import AccordionDetails from '@mui/material/AccordionDetails';
import AccordionSummary from '@mui/material/AccordionSummary';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { ClinicalNote, NoteSections } from '@newhms/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { isConflict } from '../../../ui/conflict';
import { ConflictAlert } from '../../../ui/conflict-alert';
import { formatDateTime } from '../../../ui/format';
import { ProblemAlert } from '../../../ui/problem-alert';
import { encountersKey, noteApi, useAmendNote, useSignNote } from '../hooks/use-encounter';
import { Section } from './section';

type SectionKey = Exclude<keyof NoteSections, 'text'>;

const noteSections: { key: SectionKey; label: string; rows: number }[] = [
  { key: 'chiefComplaint', label: 'Chief complaint', rows: 1 },
  { key: 'history', label: 'History', rows: 3 },
  { key: 'examination', label: 'Examination', rows: 3 },
  { key: 'assessment', label: 'Assessment', rows: 2 },
  { key: 'plan', label: 'Plan', rows: 2 },
  { key: 'advice', label: 'Advice', rows: 2 },
];

const AUTOSAVE_MS = 1200;

type Props = {
  encounterId: string;
  /** The consultation note of this encounter, if one was started. */
  note: ClinicalNote | undefined;
  canWrite: boolean;
  canSign: boolean;
  /** A finished encounter's draft can still be signed, not edited. */
  finished: boolean;
};

type SaveState = 'idle' | 'dirty' | 'saving' | 'saved' | 'conflict' | 'error';

const statusLabels = { draft: 'Draft', signed: 'Signed', amended: 'Amended', 'entered-in-error': 'In error' };

/** The clinical note: a draft saved as the doctor types, then signed; a signed note is amended with a reason. */
export function NoteEditor({ encounterId, note, canWrite, canSign, finished }: Props) {
  const signedOrAmended = note && (note.status === 'signed' || note.status === 'amended');
  return (
    <Section
      title="Clinical note"
      id="note"
      actions={note && <Chip size="small" label={statusLabels[note.status]} data-testid="note-status" />}
    >
      {signedOrAmended ? (
        <SignedNote encounterId={encounterId} note={note} canAmend={canSign} />
      ) : (
        <DraftNote encounterId={encounterId} note={note} canWrite={canWrite && !finished} canSign={canSign} />
      )}
    </Section>
  );
}

function DraftNote({
  encounterId,
  note,
  canWrite,
  canSign,
}: {
  encounterId: string;
  note: ClinicalNote | undefined;
  canWrite: boolean;
  canSign: boolean;
}) {
  const queryClient = useQueryClient();
  const sign = useSignNote(encounterId);
  // One object for "what is typed" and "what the server has": nothing is saved until they differ.
  const [initial] = useState<NoteSections>(() => note?.sections ?? {});
  const [sections, setSections] = useState<NoteSections>(initial);
  const [state, setState] = useState<SaveState>('idle');
  const [error, setError] = useState<unknown>(null);
  const [savedAt, setSavedAt] = useState<string | null>(note?.updatedAt ?? null);
  const [tick, setTick] = useState(0);
  // What the server has: the note's id and version, whether a save is on its way, what last failed.
  const server = useRef({ noteId: note?.id ?? null, version: note?.version ?? 0, inFlight: false });
  const latest = useRef(sections);
  latest.current = sections;
  const saved = useRef<NoteSections>(initial);
  const failed = useRef<NoteSections | null>(null);

  const save = useCallback(async (): Promise<boolean> => {
    if (server.current.inFlight) return false;
    const sent = latest.current;
    if (sent === saved.current) return true;
    server.current.inFlight = true;
    setState('saving');
    try {
      const result = server.current.noteId
        ? await noteApi.save(encounterId, server.current.noteId, sent, server.current.version)
        : await noteApi.create(encounterId, sent);
      server.current.noteId = result.id;
      server.current.version = result.version;
      saved.current = sent;
      failed.current = null;
      setSavedAt(result.updatedAt);
      setError(null);
      setState(latest.current === sent ? 'saved' : 'dirty');
      return true;
    } catch (err) {
      failed.current = sent;
      setError(err);
      setState(isConflict(err) ? 'conflict' : 'error');
      return false;
    } finally {
      server.current.inFlight = false;
      // Typing went on while the save was on its way: that is saved next.
      if (latest.current !== sent) setTick((t) => t + 1);
    }
  }, [encounterId]);

  // Autosave: once typing pauses. A stale version stops it until the doctor reloads.
  // biome-ignore lint/correctness/useExhaustiveDependencies: tick re-runs it after a save in flight
  useEffect(() => {
    if (state === 'conflict' || sections === saved.current || sections === failed.current) return;
    const timer = setTimeout(() => void save(), AUTOSAVE_MS);
    return () => clearTimeout(timer);
  }, [sections, state, save, tick]);

  // Leaving the page with unsaved text: the browser asks first.
  useEffect(() => {
    const warn = (e: BeforeUnloadEvent) => {
      if (latest.current !== saved.current) e.preventDefault();
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, []);

  const change = (key: SectionKey, value: string) => {
    setSections((s) => ({ ...s, [key]: value }));
    if (state !== 'conflict') setState('dirty');
  };

  const reload = async () => {
    await queryClient.invalidateQueries({ queryKey: [...encountersKey, 'one', encounterId] });
    const fresh = queryClient.getQueryData<{ notes: ClinicalNote[] }>([...encountersKey, 'one', encounterId]);
    const current = fresh?.notes.find((n) => n.id === server.current.noteId);
    if (current) {
      server.current.version = current.version;
      saved.current = current.sections;
      setSections(current.sections);
      setSavedAt(current.updatedAt);
    }
    failed.current = null;
    setError(null);
    setState('idle');
  };

  const signNote = async () => {
    if (!(await save())) return;
    const noteId = server.current.noteId;
    if (!noteId) return;
    sign.mutate(
      { noteId, version: server.current.version },
      { onError: (err) => isConflict(err) && setState('conflict') },
    );
  };

  const empty = noteSections.every((s) => !(sections[s.key] ?? '').trim());
  return (
    <Stack spacing={2}>
      {noteSections.map((s) => (
        <TextField
          key={s.key}
          label={s.label}
          value={sections[s.key] ?? ''}
          onChange={(e) => change(s.key, e.target.value)}
          multiline
          minRows={s.rows}
          fullWidth
          disabled={!canWrite}
          slotProps={{ htmlInput: { maxLength: s.key === 'chiefComplaint' ? 2000 : 5000 } }}
        />
      ))}
      {state === 'conflict' && <ConflictAlert onReload={() => void reload()} />}
      {state === 'error' && <ProblemAlert error={error} />}
      <ProblemAlert error={sign.isError && !isConflict(sign.error) ? sign.error : null} />
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 2, flexWrap: 'wrap' }}>
        {canSign && (
          <Button
            variant="contained"
            onClick={() => void signNote()}
            disabled={sign.isPending || state === 'saving' || state === 'conflict' || empty}
          >
            Sign note
          </Button>
        )}
        <Typography variant="body2" color="text.secondary" role="status" data-testid="autosave-status">
          {state === 'saving' && 'Saving…'}
          {state === 'dirty' && 'Unsaved changes'}
          {(state === 'saved' || state === 'idle') &&
            savedAt &&
            `Draft saved ${formatDateTime(savedAt, true)}`}
          {state === 'error' && 'Not saved'}
        </Typography>
      </Box>
    </Stack>
  );
}

function NoteText({ sections }: { sections: NoteSections }) {
  return (
    <Box
      component="dl"
      sx={{ m: 0, '& dt': { fontWeight: 600, mt: 1 }, '& dd': { ml: 0, whiteSpace: 'pre-wrap' } }}
    >
      {noteSections
        .filter((s) => (sections[s.key] ?? '').trim())
        .map((s) => (
          <Box key={s.key}>
            <dt>{s.label}</dt>
            <dd>{sections[s.key]}</dd>
          </Box>
        ))}
    </Box>
  );
}

function SignedNote({
  encounterId,
  note,
  canAmend,
}: {
  encounterId: string;
  note: ClinicalNote;
  canAmend: boolean;
}) {
  const amend = useAmendNote(encounterId);
  const [editing, setEditing] = useState(false);
  const [sections, setSections] = useState<NoteSections>(note.sections);
  const [reason, setReason] = useState('');
  const [tried, setTried] = useState(false);
  const start = () => {
    setSections(note.sections);
    setReason('');
    setTried(false);
    amend.reset();
    setEditing(true);
  };
  const submit = () => {
    setTried(true);
    if (!reason.trim()) return;
    amend.mutate(
      { noteId: note.id, sections, reason: reason.trim(), version: note.version },
      { onSuccess: () => setEditing(false) },
    );
  };
  return (
    <Stack spacing={2}>
      <Typography variant="body2" color="text.secondary">
        {note.status === 'amended' ? 'Amended' : 'Signed'} by {note.signedBy} on{' '}
        {formatDateTime(note.signedAt)}
        {note.amendmentReason && ` · reason: ${note.amendmentReason}`}
      </Typography>
      {editing ? (
        <>
          <Alert severity="info">
            The signed text is kept as an earlier version; the amendment is signed with your name.
          </Alert>
          {noteSections.map((s) => (
            <TextField
              key={s.key}
              label={s.label}
              value={sections[s.key] ?? ''}
              onChange={(e) => setSections((v) => ({ ...v, [s.key]: e.target.value }))}
              multiline
              minRows={s.rows}
              fullWidth
            />
          ))}
          <TextField
            label="Reason for amendment"
            required
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            error={tried && !reason.trim()}
            helperText={tried && !reason.trim() ? 'Say why the signed note changes' : ' '}
            slotProps={{ htmlInput: { maxLength: 500 } }}
          />
          {isConflict(amend.error) ? (
            <ConflictAlert onReload={() => setEditing(false)} />
          ) : (
            <ProblemAlert error={amend.error} />
          )}
          <Stack direction="row" spacing={1}>
            <Button variant="contained" onClick={submit} disabled={amend.isPending}>
              Sign amendment
            </Button>
            <Button onClick={() => setEditing(false)}>Discard</Button>
          </Stack>
        </>
      ) : (
        <>
          <NoteText sections={note.sections} />
          {canAmend && (
            <Box>
              <Button variant="outlined" onClick={start}>
                Amend
              </Button>
            </Box>
          )}
        </>
      )}
      {note.revisions.length > 0 && (
        <Accordion disableGutters variant="outlined">
          <AccordionSummary expandIcon={<ExpandMore />}>
            <Typography>Earlier versions ({note.revisions.length})</Typography>
          </AccordionSummary>
          <AccordionDetails>
            <Stack spacing={2} component="ol" sx={{ pl: 2, m: 0 }} aria-label="Earlier versions">
              {note.revisions.map((r) => (
                <Box component="li" key={r.revision}>
                  <Typography variant="body2" color="text.secondary">
                    Version {r.revision}: signed by {r.signedBy} on {formatDateTime(r.signedAt)}
                    {r.reason && ` · amended because: ${r.reason}`}
                  </Typography>
                  <NoteText sections={r.sections} />
                </Box>
              ))}
            </Stack>
          </AccordionDetails>
        </Accordion>
      )}
    </Stack>
  );
}
