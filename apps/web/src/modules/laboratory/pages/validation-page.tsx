import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import LinearProgress from '@mui/material/LinearProgress';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { LabRequest, LabResult } from '@newhms/contracts';
import { Fragment, useState } from 'react';
import { useSearchParams } from 'react-router';
import { formatDateTime } from '../../../ui/format';
import { PageHeader } from '../../../ui/page-header';
import { ProblemAlert } from '../../../ui/problem-alert';
import { Section } from '../../../ui/titled-section';
import { PatientPicker } from '../../opd';
import { usePatient } from '../../patients';
import { AmendDialog } from '../components/amend-dialog';
import { PriorityChip } from '../components/priority-chip';
import { RequestResultsTable } from '../components/request-results-table';
import { useLabRequest, useLabRequests, useValidateResults } from '../hooks/use-laboratory';
import { isCriticalFlag } from '../result-flags';

const released = (r: LabResult) => r.status === 'validated' || r.status === 'amended';

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
                ? ` Critical: ${critical.map((r) => `${r.testName} ${r.value ?? ''} ${r.flag}`).join(', ')}; the ordering doctor is alerted and must read it back.`
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

/**
 * The validator's desk (/laboratory/validation): results entered and awaiting validation, by patient (or the
 * request opened from result entry), validated one by one or all at once by someone other than who entered
 * them; released results amended with a reason.
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

  return (
    <>
      <PageHeader
        title="Lab validation"
        subtitle="Results entered and awaiting validation; validated by someone other than who entered them"
      />
      <Stack spacing={2}>
        <Section title="Patient">
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
