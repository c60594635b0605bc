import ExpandMore from '@mui/icons-material/ExpandMore';
import Print from '@mui/icons-material/Print';
import Accordion from '@mui/material/Accordion';
import AccordionDetails from '@mui/material/AccordionDetails';
import AccordionSummary from '@mui/material/AccordionSummary';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import LinearProgress from '@mui/material/LinearProgress';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { ClinicalNote, NoteSections } from '@newhms/contracts';
import { useEffect, useState } from 'react';
import { useAuth } from '../../../app/auth/auth-context';
import { isConflict } from '../../../ui/conflict';
import { ConflictAlert } from '../../../ui/conflict-alert';
import { formatDateTime } from '../../../ui/format';
import { useOpenPdf } from '../../../ui/open-pdf';
import { ProblemAlert } from '../../../ui/problem-alert';
import {
  type DischargeSummaryState,
  useAmendClinicalNote,
  useDischargeSummary,
  useSaveClinicalNote,
  useSignClinicalNote,
  useStartDischargeSummary,
} from '../hooks/use-nursing';

type SectionKey =
  | 'diagnoses'
  | 'procedures'
  | 'hospitalCourse'
  | 'conditionAtDischarge'
  | 'medications'
  | 'advice'
  | 'followUp';

/** The sections of the summary, in the order of the printed document. */
export const dischargeSections: { key: SectionKey; label: string; rows: number; max: number }[] = [
  { key: 'diagnoses', label: 'Diagnoses', rows: 2, max: 5000 },
  { key: 'procedures', label: 'Procedures', rows: 2, max: 5000 },
  { key: 'hospitalCourse', label: 'Course in hospital', rows: 5, max: 20000 },
  { key: 'conditionAtDischarge', label: 'Condition at discharge', rows: 2, max: 5000 },
  { key: 'medications', label: 'Medications', rows: 3, max: 10000 },
  { key: 'advice', label: 'Advice', rows: 2, max: 5000 },
  { key: 'followUp', label: 'Follow-up', rows: 2, max: 5000 },
];

const statusLabels: Record<ClinicalNote['status'], string> = {
  draft: 'Draft',
  signed: 'Signed',
  amended: 'Amended',
  'entered-in-error': 'Entered in error',
};

type Props = { admissionId: string; encounterId: string; mrn: string | undefined };

/**
 * The discharge summary: started from what the record says (pre-filled sections), edited and saved as a draft,
 * signed by the doctor, amended with a reason once signed (the signed text is kept), printed as a PDF.
 */
export function DischargeSummaryTab({ admissionId, encounterId, mrn }: Props) {
  const summary = useDischargeSummary(admissionId);
  const pdf = useOpenPdf();
  if (summary.isLoading) return <LinearProgress aria-label="Loading the discharge summary" />;
  if (!summary.data) return <ProblemAlert error={summary.error} />;
  const { note } = summary.data;
  return (
    <Paper variant="outlined" component="section" aria-labelledby="discharge-summary-title" sx={{ p: 2 }}>
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mb: 2, flexWrap: 'wrap' }}>
        <Typography id="discharge-summary-title" variant="h6" component="h2" sx={{ flexGrow: 1 }}>
          Discharge summary
        </Typography>
        {note && (
          <Chip size="small" label={statusLabels[note.status]} data-testid="discharge-summary-status" />
        )}
        {note && (
          <Button
            variant="outlined"
            startIcon={<Print />}
            disabled={pdf.isPending}
            onClick={() =>
              pdf.mutate({
                path: `/ipd/admissions/${admissionId}/discharge-summary.pdf`,
                filename: `${mrn ?? admissionId}-discharge-summary.pdf`,
              })
            }
          >
            {pdf.isPending ? 'Preparing…' : 'Print PDF'}
          </Button>
        )}
      </Stack>
      <ProblemAlert error={pdf.error} sx={{ mb: 2 }} />
      {!note ? (
        <NotStarted admissionId={admissionId} state={summary.data} />
      ) : note.status === 'draft' ? (
        <DraftSummary
          key={note.id}
          encounterId={encounterId}
          note={note}
          onReload={() => void summary.refetch()}
        />
      ) : (
        <SignedSummary key={`${note.id}:${note.version}`} encounterId={encounterId} note={note} />
      )}
    </Paper>
  );
}

function NotStarted({ admissionId, state }: { admissionId: string; state: DischargeSummaryState }) {
  const { can } = useAuth();
  const start = useStartDischargeSummary(admissionId);
  return (
    <Stack spacing={2}>
      <Typography>
        No discharge summary yet. Starting one makes a draft with these sections filled in from the record.
      </Typography>
      <SummaryText sections={state.prefill} />
      <ProblemAlert error={start.error} />
      {/* Only its author edits and signs a note: the doctor who will write it starts it, not a nurse for them. */}
      {can('ipd:discharge') && can('encounters:write') ? (
        <Box>
          <Button variant="contained" disabled={start.isPending} onClick={() => start.mutate()}>
            Start discharge summary
          </Button>
        </Box>
      ) : (
        <Typography color="text.secondary">
          The treating doctor starts, writes and signs the summary.
        </Typography>
      )}
    </Stack>
  );
}

function SummaryText({ sections }: { sections: NoteSections }) {
  return (
    <Box
      component="dl"
      sx={{ m: 0, '& dt': { fontWeight: 600, mt: 1 }, '& dd': { ml: 0, whiteSpace: 'pre-wrap' } }}
    >
      {dischargeSections.map((s) => (
        <Box key={s.key}>
          <dt>{s.label}</dt>
          <dd>{(sections[s.key] ?? '').trim() || '—'}</dd>
        </Box>
      ))}
    </Box>
  );
}

function SectionFields({
  sections,
  onChange,
  disabled,
}: {
  sections: NoteSections;
  onChange: (key: SectionKey, value: string) => void;
  disabled?: boolean;
}) {
  return (
    <>
      {dischargeSections.map((s) => (
        <TextField
          key={s.key}
          label={s.label}
          value={sections[s.key] ?? ''}
          onChange={(e) => onChange(s.key, e.target.value)}
          multiline
          minRows={s.rows}
          fullWidth
          disabled={disabled}
          slotProps={{ htmlInput: { maxLength: s.max } }}
        />
      ))}
    </>
  );
}

function DraftSummary({
  encounterId,
  note,
  onReload,
}: {
  encounterId: string;
  note: ClinicalNote;
  onReload: () => void;
}) {
  const { can, me } = useAuth();
  const save = useSaveClinicalNote(encounterId);
  const sign = useSignClinicalNote(encounterId);
  const [sections, setSections] = useState<NoteSections>(note.sections);
  const [version, setVersion] = useState(note.version);
  const [dirty, setDirty] = useState(false);
  const [savedAt, setSavedAt] = useState(note.updatedAt);
  const mine = note.authorId === me?.id;
  const canEdit = can('encounters:write') && mine;
  const canSign = can('encounters:sign') && mine;

  // A newer version on the server (a reload after a conflict): start again from what it has.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a change of the server's version resets
  useEffect(() => {
    if (note.version === version) return;
    setSections(note.sections);
    setVersion(note.version);
    setSavedAt(note.updatedAt);
    setDirty(false);
  }, [note]);

  const saveDraft = async (): Promise<number | null> => {
    if (!dirty) return version;
    try {
      const saved = await save.mutateAsync({ noteId: note.id, sections, version });
      setVersion(saved.version);
      setSavedAt(saved.updatedAt);
      setDirty(false);
      return saved.version;
    } catch {
      return null;
    }
  };

  const signSummary = async () => {
    const current = await saveDraft();
    if (current === null) return;
    sign.mutate({ noteId: note.id, version: current });
  };

  const conflict = isConflict(save.error) || isConflict(sign.error);
  return (
    <Stack spacing={2}>
      {!mine && (
        <Alert severity="info">{note.authorName} started this summary; only they can edit and sign it.</Alert>
      )}
      <SectionFields
        sections={sections}
        disabled={!canEdit}
        onChange={(key, value) => {
          setSections((s) => ({ ...s, [key]: value }));
          setDirty(true);
        }}
      />
      {conflict ? (
        <ConflictAlert
          onReload={() => {
            save.reset();
            sign.reset();
            onReload();
          }}
        />
      ) : (
        <>
          <ProblemAlert error={save.error} />
          <ProblemAlert error={sign.error} />
        </>
      )}
      <Stack direction="row" spacing={2} sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
        {canEdit && (
          <Button
            variant="outlined"
            disabled={save.isPending || !dirty || conflict}
            onClick={() => void saveDraft()}
          >
            Save draft
          </Button>
        )}
        {canSign && (
          <Button
            variant="contained"
            disabled={save.isPending || sign.isPending || conflict}
            onClick={() => void signSummary()}
          >
            Sign summary
          </Button>
        )}
        <Typography variant="body2" color="text.secondary" role="status">
          {dirty ? 'Unsaved changes' : `Draft saved ${formatDateTime(savedAt, true)}`}
        </Typography>
      </Stack>
    </Stack>
  );
}

function SignedSummary({ encounterId, note }: { encounterId: string; note: ClinicalNote }) {
  const { can } = useAuth();
  const amend = useAmendClinicalNote(encounterId);
  const [editing, setEditing] = useState(false);
  const [sections, setSections] = useState<NoteSections>(note.sections);
  const [reason, setReason] = useState('');
  const [tried, setTried] = useState(false);
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
      <Typography variant="body2" color="text.secondary" data-testid="discharge-summary-signed">
        {note.status === 'amended' ? 'Amended' : 'Signed'} by {note.signedBy} on{' '}
        {formatDateTime(note.signedAt)}
        {note.amendmentReason && ` · reason: ${note.amendmentReason}`}
      </Typography>
      {editing ? (
        <>
          <Alert severity="info">
            The signed text is kept as an earlier version; the amendment is signed with your name.
          </Alert>
          <SectionFields
            sections={sections}
            onChange={(key, value) => setSections((s) => ({ ...s, [key]: value }))}
          />
          <TextField
            label="Reason for amendment"
            required
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            error={tried && !reason.trim()}
            helperText={tried && !reason.trim() ? 'Say why the signed summary changes' : ' '}
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
          <SummaryText sections={note.sections} />
          {can('encounters:sign') && (
            <Box>
              <Button
                variant="outlined"
                onClick={() => {
                  setSections(note.sections);
                  setReason('');
                  setTried(false);
                  amend.reset();
                  setEditing(true);
                }}
              >
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
                  <SummaryText sections={r.sections} />
                </Box>
              ))}
            </Stack>
          </AccordionDetails>
        </Accordion>
      )}
    </Stack>
  );
}
