import ArrowBack from '@mui/icons-material/ArrowBack';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import { normalizePhone, type RegisterPatientBody } from '@newhms/contracts';
import { type FormEvent, useMemo, useState } from 'react';
import { Link as RouterLink, useLocation, useNavigate } from 'react-router';
import { type FieldErrors, fieldErrorsFromProblem } from '../../../ui/form-validation';
import { PageHeader } from '../../../ui/page-header';
import { ProblemAlert } from '../../../ui/problem-alert';
import { useDebouncedValue } from '../../../ui/use-debounced-value';
import { ConsentCheckboxes } from '../components/consent-checkboxes';
import { ContactRows } from '../components/contact-rows';
import { DemographicFields } from '../components/demographic-fields';
import { DuplicatePanel } from '../components/duplicate-candidates';
import { DuplicateDialog } from '../components/duplicate-dialog';
import { FormSection } from '../components/form-section';
import { IdentifierRows } from '../components/identifier-rows';
import {
  type Candidate,
  duplicateCandidatesOf,
  usePatientMatches,
  useRegisterPatient,
} from '../hooks/use-patients';
import {
  emptyRegistration,
  matchBodyOf,
  prepareRegistration,
  type RegistrationValues,
  toFormPaths,
} from '../patient-form-values';

/** What was typed in the search box, carried over: a phone number or a name. */
function prefilled(prefill: unknown): RegistrationValues {
  const values = emptyRegistration();
  if (typeof prefill !== 'string' || !prefill.trim()) return values;
  const text = prefill.trim();
  if (normalizePhone(text)) return { ...values, phones: [{ number: text, kind: 'mobile' }] };
  if (/^[\p{L} .'-]+$/u.test(text)) {
    const parts = text.split(/\s+/);
    if (parts.length === 1) return { ...values, given: text };
    return {
      ...values,
      given: parts[0] ?? '',
      middle: parts.slice(1, -1).join(' '),
      family: parts.at(-1) ?? '',
    };
  }
  return values;
}

export function RegisterPatientPage() {
  const navigate = useNavigate();
  const location = useLocation();
  const [values, setValues] = useState<RegistrationValues>(() =>
    prefilled((location.state as { prefill?: unknown } | null)?.prefill),
  );
  const [errors, setErrors] = useState<FieldErrors>({});
  const [pending, setPending] = useState<{
    body: RegisterPatientBody;
    rows: Record<string, number[]>;
  } | null>(null);
  const [duplicates, setDuplicates] = useState<Candidate[] | null>(null);
  const register = useRegisterPatient();
  const change = (patch: Partial<RegistrationValues>) => setValues((v) => ({ ...v, ...patch }));

  const matchBody = useDebouncedValue(
    useMemo(() => matchBodyOf(values), [values]),
    400,
  );
  const matches = usePatientMatches(matchBody);
  const candidates = matchBody ? (matches.data ?? []) : [];

  const send = (body: RegisterPatientBody, rows: Record<string, number[]>) => {
    setPending({ body, rows });
    register.mutate(body, {
      onSuccess: (patient) => navigate(`/patients/${patient.id}`, { state: { registered: true } }),
      onError: (err) => {
        const found = duplicateCandidatesOf(err);
        if (found) {
          setDuplicates(found);
          return;
        }
        setDuplicates(null);
        setErrors(toFormPaths(fieldErrorsFromProblem(err), rows));
      },
    });
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const prepared = prepareRegistration(values);
    if (!prepared.ok) {
      setErrors(prepared.errors);
      // Take the clerk to the first field that needs attention.
      requestAnimationFrame(() => {
        const first = document.querySelector<HTMLElement>('[aria-invalid="true"]');
        first?.focus();
      });
      return;
    }
    setErrors({});
    send(prepared.body, prepared.rows);
  };

  const registerAnyway = (reason: string) => {
    if (!pending || !duplicates) return;
    send(
      { ...pending.body, duplicateOverride: { reason, candidateIds: duplicates.map((c) => c.id) } },
      pending.rows,
    );
  };

  const errorCount = Object.keys(errors).length;
  return (
    <>
      <Button component={RouterLink} to="/patients" startIcon={<ArrowBack />} sx={{ mb: 2 }}>
        Patient search
      </Button>
      <PageHeader
        title="Register patient"
        subtitle="Only the name and sex are required; add what the patient can give."
      />
      <Box
        sx={{
          display: 'grid',
          gap: 3,
          gridTemplateColumns: { xs: '1fr', md: 'minmax(0, 1fr) 320px', xl: 'minmax(0, 1fr) 380px' },
          alignItems: 'start',
        }}
      >
        <Stack component="form" noValidate onSubmit={submit} spacing={3} aria-label="Register patient">
          {errorCount > 0 && (
            <Alert severity="error" role="alert">
              Check the {errorCount === 1 ? 'field' : `${errorCount} fields`} marked in red.
            </Alert>
          )}
          {!duplicates && <ProblemAlert error={register.error} />}
          <DemographicFields values={values} onChange={change} errors={errors} autoFocus />
          <FormSection title="Identifiers">
            <IdentifierRows
              rows={values.identifiers}
              onChange={(identifiers) => change({ identifiers })}
              errors={errors}
            />
          </FormSection>
          <FormSection title="Next of kin and emergency contacts">
            <ContactRows
              rows={values.contacts}
              onChange={(contacts) => change({ contacts })}
              errors={errors}
            />
          </FormSection>
          <FormSection title="Consents">
            <ConsentCheckboxes value={values.consents} onChange={(consents) => change({ consents })} />
          </FormSection>
          <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap' }}>
            <Button type="submit" variant="contained" size="large" disabled={register.isPending}>
              {register.isPending ? 'Registering…' : 'Register patient'}
            </Button>
            <Button component={RouterLink} to="/patients" size="large">
              Cancel
            </Button>
          </Box>
        </Stack>
        <Box sx={{ position: { md: 'sticky' }, top: { md: 80 }, order: { xs: -1, md: 0 } }}>
          <DuplicatePanel
            candidates={candidates}
            loading={matches.isFetching}
            checking={matchBody !== null}
          />
        </Box>
      </Box>
      <DuplicateDialog
        candidates={duplicates}
        busy={register.isPending}
        error={duplicates && !duplicateCandidatesOf(register.error) ? register.error : null}
        onRegisterAnyway={registerAnyway}
        onCancel={() => setDuplicates(null)}
      />
    </>
  );
}
