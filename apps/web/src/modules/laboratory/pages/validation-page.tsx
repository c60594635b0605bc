import ArrowBack from '@mui/icons-material/ArrowBack';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import LinearProgress from '@mui/material/LinearProgress';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import {
  type LabPriority,
  type LabRequest,
  type LabResult,
  type LabSection,
  type LabValidationQueueItem,
  labPriorities,
  labSections,
} from '@newhms/contracts';
import { Fragment, useState } from 'react';
import { Link as RouterLink, useSearchParams } from 'react-router';
import { type Column, DataTable } from '../../../ui/data-table';
import { formatDateTime } from '../../../ui/format';
import { PageHeader } from '../../../ui/page-header';
import { ProblemAlert } from '../../../ui/problem-alert';
import { Section } from '../../../ui/titled-section';
import { PatientPicker } from '../../opd';
import { usePatient } from '../../patients';
import { AmendDialog } from '../components/amend-dialog';
import { PriorityChip } from '../components/priority-chip';
import { RequestResultsTable, ResultNotes, ResultValue } from '../components/request-results-table';
import {
  useLabRequest,
  useLabRequests,
  useValidateResults,
  useValidationQueue,
} from '../hooks/use-laboratory';
import { priorityLabels, sectionLabels } from '../laboratory-labels';
import { formatResultValue, isCriticalFlag } from '../result-flags';

const released = (r: LabResult) => r.status === 'validated' || r.status === 'amended';

/** "Potassium 6.9 mmol/L HH" for the message after a validation. */
const criticalLine = (r: LabResult) => `${r.testName} ${formatResultValue(r)} ${r.flag}`;

/** One request at the validator's desk: the entered results to validate (one or all), the released ones to amend. */
function RequestValidation({ request, onAmend }: { request: LabRequest; onAmend: (r: LabResult) => void }) {
  const patient = usePatient(request.patientId);
  const validate = useValidateResults();
  const [done, setDone] = useState<string | null>(null);
  const entered = request.results.filter((r) => r.status === 'entered');
  const out = request.results.filter(released);
  const run = (resultIds?: string[]) => {
    setDone(null);
    const targets = resultIds ? entered.filter((r) => resultIds.includes(r.id)) : entered;
    validate.mutate(
      { requestId: request.id, resultIds },
      {
        onSuccess: () => {
          const critical = targets.filter((r) => isCriticalFlag(r.flag));
          setDone(
            `${targets.length} result${targets.length === 1 ? '' : 's'} validated and released.${
              critical.length > 0
                ? ` Critical: ${critical.map(criticalLine).join(', ')}; the ordering doctor is alerted and must read it back.`
                : ''
            }`,
          );
        },
      },
    );
  };
  return (
    <Section
      title={`${request.display}${patient.data ? ` · ${patient.data.displayName} · MRN ${patient.data.mrn}` : ''}`}
      actions={
        <>
          <PriorityChip priority={request.priority} />
          {entered.length > 0 && (
            <Button variant="contained" onClick={() => run()} disabled={validate.isPending}>
              {`Validate all (${entered.length})`}
            </Button>
          )}
        </>
      }
      testId="request-validation"
    >
      <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
        {`Requested ${formatDateTime(request.requestedAt)}${request.requestedByName ? ` by ${request.requestedByName}` : ''} · ${request.samples
          .filter((s) => s.status === 'received')
          .map((s) => s.accession)
          .join(', ')}`}
      </Typography>
      <ProblemAlert
        error={validate.error}
        titles={{ LAB_SECOND_PERSON_REQUIRED: 'Another person must validate' }}
        sx={{ mb: 1 }}
      />
      {done && (
        <Alert severity="success" role="status" sx={{ mb: 1 }}>
          {done}
        </Alert>
      )}
      {entered.length > 0 ? (
        <RequestResultsTable
          request={request}
          label={`Awaiting validation: ${request.display}`}
          filter={(r) => r.status === 'entered'}
          actions={(r) => (
            <Button
              size="small"
              variant="outlined"
              onClick={() => run([r.id])}
              disabled={validate.isPending}
              aria-label={`Validate ${r.testName}`}
            >
              Validate
            </Button>
          )}
        />
      ) : (
        <Typography color="text.secondary" sx={{ mb: 1 }}>
          Nothing awaits validation in this request.
        </Typography>
      )}
      {out.length > 0 && (
        <Box sx={{ mt: 2 }}>
          <Typography component="h3" variant="subtitle1" sx={{ fontWeight: 600, mb: 1 }}>
            Released
          </Typography>
          <RequestResultsTable
            request={request}
            label={`Released: ${request.display}`}
            filter={released}
            actions={(r) => (
              <Button
                size="small"
                color="warning"
                onClick={() => onAmend(r)}
                aria-label={`Amend ${r.testName}`}
              >
                Amend
              </Button>
            )}
          />
        </Box>
      )}
    </Section>
  );
}

type QueueItem = LabValidationQueueItem;

/** The results of the queue validated together: one, or every listed result of a request. */
function validatedMessage(items: QueueItem[]): string {
  const critical = items.map((i) => i.result).filter((r) => isCriticalFlag(r.flag));
  const first = items[0];
  const what =
    items.length === 1 && first
      ? `${first.result.testName} of ${first.patientName} validated and released.`
      : `${items.length} results of ${first?.requestDisplay ?? ''} for ${first?.patientName ?? ''} validated and released.`;
  return `${what}${
    critical.length > 0
      ? ` Critical: ${critical.map(criticalLine).join(', ')}; the ordering doctor is alerted and must read it back.`
      : ''
  }`;
}

/**
 * The queue the validator's desk opens on: every result entered and awaiting validation in the facility, STAT
 * first, then the one waiting longest, by section and priority; validated one by one or a request's at once.
 */
function ValidationQueue() {
  const [params, setParams] = useSearchParams();
  const section = (labSections as readonly string[]).includes(params.get('section') ?? '')
    ? (params.get('section') as LabSection)
    : '';
  const priority = (labPriorities as readonly string[]).includes(params.get('priority') ?? '')
    ? (params.get('priority') as LabPriority)
    : '';
  const queue = useValidationQueue({ section, priority });
  const validate = useValidateResults();
  const [done, setDone] = useState<string | null>(null);
  const items = queue.data ?? [];

  const setFilter = (key: 'section' | 'priority', value: string) =>
    setParams(
      (prev) => {
        const p = new URLSearchParams(prev);
        if (value) p.set(key, value);
        else p.delete(key);
        return p;
      },
      { replace: true },
    );

  const run = (targets: QueueItem[]) => {
    const first = targets[0];
    if (!first) return;
    setDone(null);
    validate.mutate(
      { requestId: first.requestId, resultIds: targets.map((t) => t.result.id) },
      { onSuccess: () => setDone(validatedMessage(targets)) },
    );
  };

  // A request's listed results, for "Validate all" on its first row.
  const byRequest = new Map<string, QueueItem[]>();
  for (const item of items) byRequest.set(item.requestId, [...(byRequest.get(item.requestId) ?? []), item]);
  const firstOfRequest = new Set([...byRequest.values()].map((list) => list[0]?.result.id));

  const columns: Column<QueueItem>[] = [
    { id: 'priority', header: 'Priority', render: (i) => <PriorityChip priority={i.priority} /> },
    {
      id: 'patient',
      header: 'Patient',
      render: (i) => (
        <>
          <Typography component="span" sx={{ fontWeight: 600 }}>
            {i.patientName}
          </Typography>
          <Typography variant="body2" color="text.secondary">{`MRN ${i.mrn}`}</Typography>
        </>
      ),
    },
    {
      id: 'accession',
      header: 'Accession',
      render: (i) => (
        <>
          <Typography component="span" sx={{ fontFamily: 'monospace', fontWeight: 700 }}>
            {i.accession}
          </Typography>
          <Typography variant="body2" color="text.secondary">
            {i.requestDisplay}
          </Typography>
        </>
      ),
      hideBelow: 'sm',
    },
    {
      id: 'test',
      header: 'Test',
      render: (i) => (
        <Typography component="span" sx={{ fontWeight: 600 }}>
          {i.result.testName}
        </Typography>
      ),
    },
    {
      id: 'result',
      header: 'Result',
      render: (i) => (
        <>
          <ResultValue result={i.result} />
          {i.result.referenceRange?.text && (
            <Typography variant="body2" color="text.secondary">
              {`Range ${i.result.referenceRange.text}`}
            </Typography>
          )}
          <ResultNotes result={i.result} />
        </>
      ),
    },
    {
      id: 'entered',
      header: 'Entered',
      render: (i) => (
        <>
          {`${i.result.enteredByName ?? ''}${i.result.source === 'analyzer' ? ' (analyzer)' : ''}`}
          <Typography variant="body2" color="text.secondary">
            {formatDateTime(i.result.enteredAt)}
          </Typography>
        </>
      ),
      hideBelow: 'md',
    },
    {
      id: 'actions',
      header: 'Actions',
      render: (i) => {
        const siblings = byRequest.get(i.requestId) ?? [i];
        return (
          <Box sx={{ display: 'flex', gap: 0.5, flexWrap: 'wrap' }}>
            <Button
              size="small"
              variant="outlined"
              onClick={() => run([i])}
              disabled={validate.isPending}
              aria-label={`Validate ${i.result.testName} of ${i.patientName}`}
            >
              Validate
            </Button>
            {siblings.length > 1 && firstOfRequest.has(i.result.id) && (
              <Button
                size="small"
                variant="contained"
                onClick={() => run(siblings)}
                disabled={validate.isPending}
                aria-label={`Validate all ${siblings.length} of ${i.requestDisplay} for ${i.patientName}`}
              >
                {`Validate all (${siblings.length})`}
              </Button>
            )}
            <Button
              size="small"
              component={RouterLink}
              to={`/laboratory/validation?requestId=${i.requestId}`}
              aria-label={`Open ${i.requestDisplay} of ${i.patientName}`}
            >
              Open
            </Button>
          </Box>
        );
      },
    },
  ];

  return (
    <Section
      title="Awaiting validation"
      actions={
        <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap' }}>
          <TextField
            select
            size="small"
            label="Section"
            value={section}
            onChange={(e) => setFilter('section', e.target.value)}
            sx={{ minWidth: 180 }}
            slotProps={{ inputLabel: { shrink: true }, select: { displayEmpty: true } }}
          >
            <MenuItem value="">All sections</MenuItem>
            {labSections.map((s) => (
              <MenuItem key={s} value={s}>
                {sectionLabels[s]}
              </MenuItem>
            ))}
          </TextField>
          <TextField
            select
            size="small"
            label="Priority"
            value={priority}
            onChange={(e) => setFilter('priority', e.target.value)}
            sx={{ minWidth: 150 }}
            slotProps={{ inputLabel: { shrink: true }, select: { displayEmpty: true } }}
          >
            <MenuItem value="">All priorities</MenuItem>
            {[...labPriorities].reverse().map((p) => (
              <MenuItem key={p} value={p}>
                {priorityLabels[p]}
              </MenuItem>
            ))}
          </TextField>
        </Box>
      }
      testId="validation-queue"
    >
      <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
        STAT first, then the result waiting longest since it was entered.
      </Typography>
      <ProblemAlert
        error={validate.error ?? queue.error}
        titles={{ LAB_SECOND_PERSON_REQUIRED: 'Another person must validate' }}
        sx={{ mb: 1 }}
      />
      {done && (
        <Alert severity="success" role="status" sx={{ mb: 1 }}>
          {done}
        </Alert>
      )}
      <DataTable
        label="Results awaiting validation"
        columns={columns}
        rows={items}
        rowKey={(i) => i.result.id}
        loading={queue.isLoading}
        emptyText="Nothing awaits validation."
      />
    </Section>
  );
}

/**
 * The validator's desk (/laboratory/validation): opens on the queue of results awaiting validation (STAT first,
 * then the oldest); a request (?requestId=) or a patient's requests (?patientId=) to validate one or all and to
 * amend released results with a reason. Validated by someone other than who entered them.
 */
export function ValidationPage() {
  const [params, setParams] = useSearchParams();
  const requestId = params.get('requestId');
  const patientId = params.get('patientId');
  const one = useLabRequest(requestId);
  const forPatient = useLabRequests({ patientId: requestId ? null : patientId });
  const [amending, setAmending] = useState<LabResult | null>(null);

  const requests = requestId ? (one.data ? [one.data] : []) : (forPatient.data ?? []);
  const toValidate = requests.filter((r) => r.results.some((x) => x.status === 'entered'));
  const others = requests.filter((r) => !toValidate.includes(r) && r.results.some(released));
  // The dialog keeps the result as it is now (a validation elsewhere may have changed its version).
  const current = amending
    ? (requests.flatMap((r) => r.results).find((r) => r.id === amending.id) ?? amending)
    : null;
  const onQueue = !requestId && !patientId;

  return (
    <>
      <PageHeader
        title="Lab validation"
        subtitle="Results entered and awaiting validation; validated by someone other than who entered them"
        actions={
          onQueue ? undefined : (
            <Button component={RouterLink} to="/laboratory/validation" startIcon={<ArrowBack />}>
              Validation queue
            </Button>
          )
        }
      />
      <Stack spacing={2}>
        {onQueue && <ValidationQueue />}
        <Section title={onQueue ? 'A patient’s results' : 'Patient'}>
          {requestId ? (
            <Button onClick={() => setParams(one.data ? { patientId: one.data.patientId } : {})}>
              All requests of this patient
            </Button>
          ) : (
            <PatientPicker
              value={patientId}
              onChange={(id) => setParams(id ? { patientId: id } : {})}
              label="Find the patient"
            />
          )}
        </Section>
        {(one.isLoading || forPatient.isLoading) && <LinearProgress aria-label="Loading the requests" />}
        <ProblemAlert error={one.error ?? forPatient.error} />
        {(requestId || patientId) && !one.isLoading && !forPatient.isLoading && toValidate.length === 0 && (
          <Typography color="text.secondary">Nothing awaits validation for this patient.</Typography>
        )}
        {/* One list, so that a request keeps its card (and its message) when validating moves it down. */}
        {[...toValidate, ...others].map((r, i) => (
          <Fragment key={r.id}>
            {i === toValidate.length && (
              <Typography component="h2" variant="h6">
                Released requests
              </Typography>
            )}
            <RequestValidation request={r} onAmend={setAmending} />
          </Fragment>
        ))}
      </Stack>
      <AmendDialog result={current} onClose={() => setAmending(null)} />
    </>
  );
}
