import History from '@mui/icons-material/History';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import FormControl from '@mui/material/FormControl';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormLabel from '@mui/material/FormLabel';
import Link from '@mui/material/Link';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Typography from '@mui/material/Typography';
import type { PatientSummary } from '@newhms/contracts';
import { useEffect, useRef, useState } from 'react';
import { Link as RouterLink } from 'react-router';
import { ConfirmDialog } from '../../../ui/confirm-dialog';
import { type Column, DataTable } from '../../../ui/data-table';
import { formatDateTime } from '../../../ui/format';
import { PageHeader } from '../../../ui/page-header';
import { ProblemAlert } from '../../../ui/problem-alert';
import { FormSection } from '../components/form-section';
import { PatientComparison } from '../components/patient-comparison';
import {
  type Review,
  type ReviewStatus,
  useDuplicateReviews,
  useMergePatients,
  usePatient,
  useResolveDuplicate,
} from '../hooks/use-patients';
import { ageSex } from '../patient-labels';

const statusLabels: Record<ReviewStatus, string> = {
  open: 'Open',
  merged: 'Merged',
  'not-duplicate': 'Not duplicates',
};
const sourceLabels: Record<Review['source'], string> = {
  'registration-override': 'Registered anyway',
  scan: 'Found by scan',
  manual: 'Reported',
};

function PatientCell({ p }: { p: PatientSummary }) {
  return (
    <Box>
      <Link component={RouterLink} to={`/patients/${p.id}`}>
        {p.displayName}
      </Link>
      <Typography variant="body2" color="text.secondary">
        <span style={{ fontFamily: 'monospace' }}>{p.mrn}</span> · {ageSex(p)}
      </Typography>
    </Box>
  );
}

export function DuplicateReviewPage() {
  const [status, setStatus] = useState<ReviewStatus>('open');
  const list = useDuplicateReviews(status);
  const [selected, setSelected] = useState<Review | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];

  const columns: Column<Review>[] = [
    { id: 'a', header: 'Record A', render: (r) => <PatientCell p={r.patientA} /> },
    { id: 'b', header: 'Record B', render: (r) => <PatientCell p={r.patientB} /> },
    {
      id: 'score',
      header: 'Score',
      render: (r) => <Chip size="small" label={`${Math.round(r.score * 100)}%`} />,
      align: 'right',
    },
    { id: 'reasons', header: 'Why', render: (r) => r.reasons.join('; '), hideBelow: 'md' },
    { id: 'source', header: 'Source', render: (r) => sourceLabels[r.source], hideBelow: 'lg' },
    {
      id: 'created',
      header: status === 'open' ? 'Raised' : 'Resolved',
      render: (r) => formatDateTime(status === 'open' ? r.createdAt : r.resolvedAt),
      hideBelow: 'sm',
    },
    status === 'open'
      ? {
          id: 'action',
          header: 'Action',
          render: (r) => (
            <Button
              size="small"
              variant={selected?.id === r.id ? 'contained' : 'outlined'}
              onClick={() => {
                setNotice(null);
                setSelected(r);
              }}
              aria-label={`Compare ${r.patientA.mrn} and ${r.patientB.mrn}`}
            >
              Compare
            </Button>
          ),
        }
      : { id: 'note', header: 'Note', render: (r) => r.note ?? '—' },
  ];

  return (
    <>
      <PageHeader
        title="Duplicate review"
        subtitle="Pairs of records that may be the same person. Compare them, then merge or set them apart."
        actions={
          <Button component={RouterLink} to="/patients/merges" startIcon={<History />} variant="outlined">
            Merge log
          </Button>
        }
      />
      <ToggleButtonGroup
        exclusive
        size="small"
        color="primary"
        value={status}
        onChange={(_, next: ReviewStatus | null) => {
          if (!next) return;
          setStatus(next);
          setSelected(null);
        }}
        aria-label="Show reviews"
        sx={{ mb: 2 }}
      >
        {Object.entries(statusLabels).map(([value, label]) => (
          <ToggleButton key={value} value={value}>
            {label}
          </ToggleButton>
        ))}
      </ToggleButtonGroup>
      {notice && (
        <Alert severity="success" role="status" onClose={() => setNotice(null)} sx={{ mb: 2 }}>
          {notice}
        </Alert>
      )}
      <ProblemAlert error={list.error} sx={{ mb: 2 }} />
      <DataTable
        label="Possible duplicates"
        columns={columns}
        rows={rows}
        rowKey={(r) => r.id}
        loading={list.isFetching && !list.isFetchingNextPage}
        emptyText={status === 'open' ? 'Nothing to review.' : 'None.'}
        hasMore={list.hasNextPage}
        loadingMore={list.isFetchingNextPage}
        onLoadMore={() => void list.fetchNextPage()}
      />
      {selected && (
        <ReviewPanel
          key={selected.id}
          review={selected}
          onDone={(message) => {
            setSelected(null);
            setNotice(message);
          }}
          onClose={() => setSelected(null)}
        />
      )}
    </>
  );
}

type PanelProps = { review: Review; onDone: (message: string) => void; onClose: () => void };

function ReviewPanel({ review, onDone, onClose }: PanelProps) {
  const a = usePatient(review.patientA.id);
  const b = usePatient(review.patientB.id);
  const merge = useMergePatients();
  const resolve = useResolveDuplicate();
  const [survivor, setSurvivor] = useState<'a' | 'b' | null>(null);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    heading.current?.scrollIntoView({ block: 'start', behavior: 'smooth' });
    heading.current?.focus();
  }, []);

  // The older record usually carries the history: keep it unless the reviewer says otherwise.
  const defaultSurvivor =
    a.data && b.data ? (a.data.registeredAt <= b.data.registeredAt ? 'a' : 'b') : ('a' as const);
  const keep = survivor ?? defaultSurvivor;
  const kept = keep === 'a' ? review.patientA : review.patientB;
  const gone = keep === 'a' ? review.patientB : review.patientA;

  const needReason = () => {
    if (reason.trim()) return true;
    setReasonError('A reason is needed, e.g. "same Aadhaar, same mobile, name spelt two ways"');
    return false;
  };

  return (
    <Box sx={{ mt: 3 }}>
      <FormSection
        title="Compare"
        actions={
          <Button onClick={onClose} size="small">
            Close
          </Button>
        }
      >
        <Typography ref={heading} tabIndex={-1} component="p" sx={{ mb: 2, outline: 'none' }}>
          {review.patientA.displayName} ({review.patientA.mrn}) and {review.patientB.displayName} (
          {review.patientB.mrn}): {Math.round(review.score * 100)}% alike. {review.reasons.join('; ')}
        </Typography>
        <ProblemAlert error={a.error ?? b.error} sx={{ mb: 2 }} />
        <PatientComparison
          a={a.data}
          b={b.data}
          labelA={`A: ${review.patientA.mrn}`}
          labelB={`B: ${review.patientB.mrn}`}
        />
        <Stack spacing={2} sx={{ mt: 3, maxWidth: 640 }}>
          <FormControl component="fieldset">
            <FormLabel component="legend">Record to keep</FormLabel>
            <RadioGroup value={keep} onChange={(e) => setSurvivor(e.target.value as 'a' | 'b')}>
              <FormControlLabel
                value="a"
                control={<Radio />}
                label={`Keep A: ${review.patientA.mrn}, ${review.patientA.displayName}`}
              />
              <FormControlLabel
                value="b"
                control={<Radio />}
                label={`Keep B: ${review.patientB.mrn}, ${review.patientB.displayName}`}
              />
            </RadioGroup>
          </FormControl>
          <TextField
            label="Reason"
            value={reason}
            onChange={(e) => {
              setReason(e.target.value);
              setReasonError(null);
            }}
            error={!!reasonError}
            helperText={reasonError ?? 'Why they are, or are not, the same person'}
            multiline
            minRows={2}
            required
            slotProps={{ htmlInput: { maxLength: 300 } }}
          />
          <ProblemAlert error={merge.error ?? resolve.error} />
          <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap' }}>
            <Button
              variant="contained"
              color="warning"
              disabled={merge.isPending || !a.data || !b.data}
              onClick={() => needReason() && setConfirming(true)}
            >
              Merge
            </Button>
            <Button
              variant="outlined"
              disabled={resolve.isPending}
              onClick={() =>
                needReason() &&
                resolve.mutate(
                  { reviewId: review.id, note: reason.trim() },
                  { onSuccess: () => onDone('Marked as two different people.') },
                )
              }
            >
              Not a duplicate
            </Button>
          </Box>
        </Stack>
      </FormSection>
      <ConfirmDialog
        open={confirming}
        title="Merge these records?"
        message={`${gone.mrn} (${gone.displayName}) will be merged into ${kept.mrn} (${kept.displayName}). Its visits, allergies and documents move to ${kept.mrn}; ${gone.mrn} stays only as a pointer. This cannot be undone.`}
        confirmLabel="Merge records"
        danger
        busy={merge.isPending}
        onCancel={() => setConfirming(false)}
        onConfirm={() =>
          merge.mutate(
            { survivorId: kept.id, mergedId: gone.id, reason: reason.trim(), reviewId: review.id },
            {
              onSuccess: () => {
                setConfirming(false);
                onDone(`Merged ${gone.mrn} into ${kept.mrn}.`);
              },
              onError: () => setConfirming(false),
            },
          )
        }
      />
    </Box>
  );
}
