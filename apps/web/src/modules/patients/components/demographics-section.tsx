import Edit from '@mui/icons-material/Edit';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { type Patient, UpdatePatientBody } from '@newhms/contracts';
import { type FormEvent, type ReactNode, useState } from 'react';
import { isConflict } from '../../../ui/conflict';
import { ConflictAlert } from '../../../ui/conflict-alert';
import { type FieldErrors, fieldErrorsFromProblem, validateForm } from '../../../ui/form-validation';
import { formatDateTime } from '../../../ui/format';
import { ProblemAlert } from '../../../ui/problem-alert';
import { useReloadPatient, useUpdatePatient } from '../hooks/use-patients';
import {
  birthOf,
  currentLists,
  type DemographicValues,
  demographicsBody,
  demographicsFromPatient,
  toFormPaths,
} from '../patient-form-values';
import { maritalStatusLabels, phoneKindLabels, sexLabels } from '../patient-labels';
import { DemographicFields } from './demographic-fields';
import { FormSection } from './form-section';

/** A label and its value, in a definition list laid out as a grid. */
export function Facts({ items }: { items: [string, ReactNode][] }) {
  return (
    <Box
      component="dl"
      sx={{
        m: 0,
        display: 'grid',
        gridTemplateColumns: { xs: '1fr', sm: 'max-content 1fr' },
        columnGap: 3,
        rowGap: { xs: 0.25, sm: 1 },
        '& dt': { color: 'text.secondary', fontWeight: 600, mt: { xs: 1, sm: 0 } },
        '& dd': { m: 0 },
      }}
    >
      {items.map(([label, value]) => (
        <Box key={label} sx={{ display: 'contents' }}>
          <dt>{label}</dt>
          <dd>{value === null || value === undefined || value === '' ? '—' : value}</dd>
        </Box>
      ))}
    </Box>
  );
}

function address(p: Patient): string {
  const a = p.address;
  if (!a) return '';
  return [a.line, a.locality, a.district, a.state, a.postalCode, a.country !== 'IN' ? a.country : null]
    .filter(Boolean)
    .join(', ');
}

type Props = { patient: Patient; canEdit: boolean };

export function DemographicsSection({ patient, canEdit }: Props) {
  const [editing, setEditing] = useState(false);
  if (editing) {
    return <DemographicsEditor patient={patient} onDone={() => setEditing(false)} />;
  }
  const name = patient.name;
  return (
    <FormSection
      title="Demographics"
      actions={
        canEdit && (
          <Button startIcon={<Edit />} variant="outlined" onClick={() => setEditing(true)}>
            Edit demographics
          </Button>
        )
      }
    >
      <Facts
        items={[
          ['Given name', name.given],
          ['Middle name', name.middle],
          ['Family name', name.family],
          ['Sex', sexLabels[patient.sex]],
          [
            'Date of birth',
            patient.birthDate &&
              `${patient.birthDate}${patient.birthDateEstimated ? ' (estimated from age)' : ''}`,
          ],
          ['Age', patient.age],
          [
            'Phones',
            patient.phones.length > 0 &&
              patient.phones
                .map((ph) => `${ph.number} (${phoneKindLabels[ph.kind].toLowerCase()})`)
                .join(', '),
          ],
          ['E-mail', patient.email],
          ['Address', address(patient)],
          ['Preferred language', patient.preferredLanguage],
          ['Marital status', patient.maritalStatus && maritalStatusLabels[patient.maritalStatus]],
          ['Occupation', patient.occupation],
          ['Blood group', patient.bloodGroup],
          ['Registered', formatDateTime(patient.registeredAt)],
          ['Last visit', formatDateTime(patient.lastVisitAt)],
          ...(patient.duplicateReason
            ? ([['Registered despite a possible duplicate', patient.duplicateReason]] as [
                string,
                ReactNode,
              ][])
            : []),
        ]}
      />
    </FormSection>
  );
}

function DemographicsEditor({ patient: current, onDone }: { patient: Patient; onDone: () => void }) {
  // The record as it was when the edit began: its version makes a colleague's later change a conflict.
  const [patient] = useState(current);
  const [values, setValues] = useState<DemographicValues>(() => demographicsFromPatient(patient));
  const [errors, setErrors] = useState<FieldErrors>({});
  const update = useUpdatePatient(patient.id);
  const reload = useReloadPatient(patient.id);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const birth = birthOf(values);
    const { body: demographics, rows } = demographicsBody(
      values,
      'birth' in birth ? birth.birth : null,
      true,
    );
    const body = { ...currentLists(patient), ...demographics, version: patient.version };
    const checked = validateForm(UpdatePatientBody, body);
    const found: FieldErrors = {
      ...('errors' in birth ? birth.errors : {}),
      ...(checked.ok ? {} : toFormPaths(checked.errors, rows)),
    };
    if (Object.keys(found).length > 0) return setErrors(found);
    setErrors({});
    // The body as built, not as parsed: parsing would add an empty identifier list (see currentLists).
    update.mutate(body, {
      onSuccess: onDone,
      onError: (err) => setErrors(toFormPaths(fieldErrorsFromProblem(err), rows)),
    });
  };

  return (
    <Stack component="form" noValidate onSubmit={submit} spacing={3} aria-label="Edit demographics">
      <Typography variant="h6" component="h2">
        Edit demographics
      </Typography>
      {isConflict(update.error) ? (
        <ConflictAlert
          onReload={() => {
            void reload();
            onDone();
          }}
        />
      ) : (
        <ProblemAlert error={update.error} />
      )}
      <DemographicFields
        values={values}
        onChange={(patch) => setValues((v) => ({ ...v, ...patch }))}
        errors={errors}
      />
      <Box sx={{ display: 'flex', gap: 1 }}>
        <Button type="submit" variant="contained" disabled={update.isPending}>
          {update.isPending ? 'Saving…' : 'Save demographics'}
        </Button>
        <Button onClick={onDone}>Cancel</Button>
      </Box>
    </Stack>
  );
}
