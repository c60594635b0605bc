import ArrowBack from '@mui/icons-material/ArrowBack';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import LinearProgress from '@mui/material/LinearProgress';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { LabRequest, LabResult } from '@newhms/contracts';
import { type FormEvent, type KeyboardEvent, useEffect, useRef, useState } from 'react';
import { Link as RouterLink, useParams, useSearchParams } from 'react-router';
import { ApiError } from '../../../app/api-client';
import { useAuth } from '../../../app/auth/auth-context';
import { formatDateTime } from '../../../ui/format';
import { PageHeader } from '../../../ui/page-header';
import { ProblemAlert } from '../../../ui/problem-alert';
import { Section } from '../../../ui/titled-section';
import { usePatient, usePatientInContext } from '../../patients';
import { PriorityChip } from '../components/priority-chip';
import { ResultEntryRow } from '../components/result-entry-row';
import { useEnterResults, useLabRequest } from '../hooks/use-laboratory';
import { sampleStatusLabels, sectionLabels, tubeLabel } from '../laboratory-labels';
import {
  buildEntries,
  draftFromResult,
  type EntryDraft,
  type EntryErrors,
  type EntryResult,
  emptyDraft,
  entryErrorsFromPaths,
} from '../result-entry';

/** The errors of one test, with keys relative to it. */
function errorsOf(errors: EntryErrors, code: string): EntryErrors {
  const prefix = `${code}.`;
  return Object.fromEntries(
    Object.entries(errors)
      .filter(([k]) => k.startsWith(prefix))
      .map(([k, v]) => [k.slice(prefix.length), v]),
  );
}

/** Result entry for a request (/laboratory/requests/:requestId/results): the bench's form, keyboard first. */
export function ResultEntryPage() {
  const { requestId } = useParams();
  const request = useLabRequest(requestId);
  if (request.isLoading) return <LinearProgress aria-label="Loading the request" />;
  if (!request.data) {
    return (
      <>
        <PageHeader title="Enter results" />
        <ProblemAlert error={request.error} />
      </>
    );
  }
  return <EntryForm request={request.data} />;
}

function EntryForm({ request }: { request: LabRequest }) {
  const { can } = useAuth();
  const [params] = useSearchParams();
  const section = params.get('section');
  const patient = usePatient(request.patientId);
  usePatientInContext(patient.data);
  const enter = useEnterResults();
  const formRef = useRef<HTMLFormElement>(null);
  const [drafts, setDrafts] = useState<Record<string, EntryDraft>>(() =>
    Object.fromEntries(
      request.results.map((r) => [r.testCode, r.status === 'entered' ? draftFromResult(r) : emptyDraft()]),
    ),
  );
  const [errors, setErrors] = useState<EntryErrors>({});
  const [sent, setSent] = useState<EntryResult[]>([]);
  const [savedCount, setSavedCount] = useState<number | null>(null);

  // The first empty field has the focus, as a technician starts typing the first value at once.
  useEffect(() => {
    const first = formRef.current?.querySelector<HTMLInputElement>('input[data-entry]:not(:disabled)');
    first?.focus();
  }, []);

  const sampleOf = (r: LabResult) => request.samples.find((s) => s.id === r.sampleId);
  const closed = request.status === 'completed' || request.status === 'cancelled';
  const editable = (r: LabResult) =>
    can('laboratory:process') &&
    !closed &&
    (r.status === 'pending' || r.status === 'entered') &&
    sampleOf(r)?.status === 'received';
  const lockedReason = (r: LabResult) => {
    const sample = sampleOf(r);
    if (r.status === 'cancelled') return 'Cancelled';
    if (sample && sample.status !== 'received')
      return `Sample ${sample.accession}: ${sampleStatusLabels[sample.status].toLowerCase()}`;
    return undefined;
  };
  // The section's tests first (the bench opened it from its worklist), then the rest of the request.
  const ordered = section
    ? [
        ...request.results.filter((r) => r.section === section),
        ...request.results.filter((r) => r.section !== section),
      ]
    : request.results;
  const targets = ordered.filter(editable);

  const serverErrors =
    enter.error instanceof ApiError ? entryErrorsFromPaths(sent, enter.error.problem.errors ?? []) : {};
  const shown = { ...serverErrors, ...errors };

  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    setSavedCount(null);
    const built = buildEntries(targets, drafts);
    if (!built.ok) {
      setErrors(built.errors);
      const firstKey = Object.keys(built.errors)[0] ?? '';
      const code = firstKey.split('.')[0];
      formRef.current
        ?.querySelector<HTMLInputElement>(`[data-test-code="${code}"] input:not([type="radio"])`)
        ?.focus();
      return;
    }
    setErrors({});
    setSent(built.results);
    enter.mutate(
      { requestId: request.id, results: built.results },
      { onSuccess: () => setSavedCount(built.results.length) },
    );
  };

  // Enter moves on to the next value field; on the last one it saves (Tab still visits the comments).
  const next = (e: KeyboardEvent<HTMLDivElement>) => {
    e.preventDefault();
    const fields = [
      ...(formRef.current?.querySelectorAll<HTMLInputElement>('input[data-entry]:not(:disabled)') ?? []),
    ];
    const i = fields.indexOf(e.target as HTMLInputElement);
    const following = i >= 0 ? fields[i + 1] : undefined;
    if (following) following.focus();
    else submit();
  };

  const accessions = request.samples
    .filter((s) => s.status !== 'rejected' && s.status !== 'cancelled')
    .map(
      (s) =>
        `${s.accession} (${tubeLabel(s)}${s.receivedAt ? `, received ${formatDateTime(s.receivedAt)}` : ''})`,
    )
    .join('; ');
  const awaitingValidation = request.results.filter((r) => r.status === 'entered').length;

  return (
    <>
      <PageHeader
        title={`Results: ${request.display}`}
        subtitle={
          <>
            {patient.data ? `${patient.data.displayName} · MRN ${patient.data.mrn} · ` : ''}
            {accessions} <PriorityChip priority={request.priority} />
          </>
        }
        actions={
          <>
            <Button
              component={RouterLink}
              to={`/laboratory/worklists${section ? `?section=${section}` : ''}`}
              startIcon={<ArrowBack />}
            >
              {section
                ? `${sectionLabels[section as keyof typeof sectionLabels] ?? 'Worklist'} worklist`
                : 'Worklists'}
            </Button>
            {can('laboratory:validate') && awaitingValidation > 0 && (
              <Button
                component={RouterLink}
                to={`/laboratory/validation?requestId=${request.id}`}
                variant="outlined"
              >
                Validate
              </Button>
            )}
          </>
        }
      />
      <Stack spacing={2}>
        {closed && (
          <Alert severity="info">
            {request.status === 'completed'
              ? 'Every result of this request is released: a change now is an amendment (Lab validation).'
              : 'This request was cancelled.'}
          </Alert>
        )}
        <Box component="form" ref={formRef} onSubmit={submit} noValidate aria-label="Enter results">
          <Section
            title="Results"
            actions={
              <Typography variant="body2" color="text.secondary">
                Enter moves to the next test; Enter on the last one saves
              </Typography>
            }
          >
            <Box component="ul" sx={{ listStyle: 'none', m: 0, p: 0 }} aria-label="Tests">
              {ordered.map((r) => (
                <ResultEntryRow
                  key={r.id}
                  result={r}
                  draft={drafts[r.testCode] ?? emptyDraft()}
                  onChange={(d) => {
                    setDrafts((all) => ({ ...all, [r.testCode]: d }));
                    setSavedCount(null);
                  }}
                  errors={errorsOf(shown, r.testCode)}
                  editable={editable(r)}
                  lockedReason={lockedReason(r)}
                  onEnter={next}
                />
              ))}
            </Box>
            {shown._form && (
              <Typography color="error" sx={{ mt: 1 }} role="alert">
                {shown._form}
              </Typography>
            )}
            <ProblemAlert error={enter.error} sx={{ mt: 2 }} />
            {savedCount !== null && !enter.isPending && (
              <Alert severity="success" role="status" sx={{ mt: 2 }}>
                {`${savedCount} result${savedCount === 1 ? '' : 's'} saved, awaiting validation. Flags and delta checks are shown beside each test.`}
              </Alert>
            )}
            <Box sx={{ mt: 2, display: 'flex', gap: 1 }}>
              <Button type="submit" variant="contained" disabled={enter.isPending || targets.length === 0}>
                {enter.isPending ? 'Saving…' : 'Save results'}
              </Button>
            </Box>
          </Section>
        </Box>
      </Stack>
    </>
  );
}
