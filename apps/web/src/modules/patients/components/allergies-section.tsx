import Add from '@mui/icons-material/Add';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import {
  type Allergy,
  AllergyInput,
  allergyCategories,
  allergySeverities,
  type allergyStatuses,
  type Patient,
} from '@newhms/contracts';
import { type FormEvent, useState } from 'react';
import { type Column, DataTable } from '../../../ui/data-table';
import { type FieldErrors, fieldErrorsFromProblem, validateForm } from '../../../ui/form-validation';
import { formatDateTime } from '../../../ui/format';
import { ProblemAlert } from '../../../ui/problem-alert';
import {
  useAddAllergy,
  useChangeAllergy,
  useRecordNoKnownAllergies,
  useReloadPatient,
} from '../hooks/use-patients';
import { allergyCategoryLabels } from '../patient-labels';
import { FormSection, fieldGrid } from './form-section';
import { StatusChangeDialog } from './status-change-dialog';

type AllergyStatus = (typeof allergyStatuses)[number];
const statusLabels: Record<AllergyStatus, string> = {
  active: 'Active',
  inactive: 'Inactive',
  resolved: 'Resolved',
  'entered-in-error': 'Entered in error',
};
const severityColor = { mild: 'default', moderate: 'warning', severe: 'error' } as const;

const stateText: Record<Patient['allergyState'], string> = {
  'not-recorded': 'Allergies not recorded: ask the patient.',
  'none-known': 'No known allergies (asked and recorded).',
  recorded: 'Allergies recorded.',
};

type Props = { patient: Patient; canManage: boolean };

export function AllergiesSection({ patient, canManage }: Props) {
  const [adding, setAdding] = useState(false);
  const [changing, setChanging] = useState<Allergy | null>(null);
  const change = useChangeAllergy(patient.id);
  const noneKnown = useRecordNoKnownAllergies(patient.id);
  const reload = useReloadPatient(patient.id);
  const hasActive = patient.allergies.some((a) => a.status === 'active');

  const columns: Column<Allergy>[] = [
    {
      id: 'substance',
      header: 'Substance',
      render: (a) => (
        <Typography
          component="span"
          sx={{
            fontWeight: a.status === 'active' ? 600 : 400,
            textDecoration: a.status === 'entered-in-error' ? 'line-through' : undefined,
          }}
        >
          {a.substance}
        </Typography>
      ),
    },
    { id: 'category', header: 'Category', render: (a) => allergyCategoryLabels[a.category], hideBelow: 'sm' },
    {
      id: 'severity',
      header: 'Severity',
      render: (a) => <Chip size="small" color={severityColor[a.severity]} label={a.severity} />,
    },
    { id: 'reaction', header: 'Reaction', render: (a) => a.reaction ?? '—', hideBelow: 'md' },
    { id: 'status', header: 'Status', render: (a) => statusLabels[a.status] },
    {
      id: 'recorded',
      header: 'Recorded',
      render: (a) => `${formatDateTime(a.recordedAt)} · ${a.recordedBy}`,
      hideBelow: 'lg',
    },
    ...(canManage
      ? [
          {
            id: 'actions',
            header: 'Actions',
            render: (a: Allergy) => (
              <Button
                size="small"
                onClick={() => setChanging(a)}
                aria-label={`Change status of ${a.substance}`}
              >
                Change status
              </Button>
            ),
          },
        ]
      : []),
  ];

  return (
    <FormSection
      title="Allergies"
      actions={
        canManage && (
          <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap' }}>
            <Button startIcon={<Add />} variant="outlined" onClick={() => setAdding(true)} disabled={adding}>
              Add allergy
            </Button>
            <Button
              variant="outlined"
              color="success"
              disabled={hasActive || noneKnown.isPending || patient.allergyState === 'none-known'}
              onClick={() => noneKnown.mutate()}
            >
              No known allergies
            </Button>
          </Box>
        )
      }
    >
      <Stack spacing={2}>
        <Alert
          severity={
            patient.allergyState === 'recorded'
              ? 'error'
              : patient.allergyState === 'none-known'
                ? 'success'
                : 'warning'
          }
          data-testid="allergy-state"
        >
          {stateText[patient.allergyState]}
        </Alert>
        <ProblemAlert error={noneKnown.error} />
        {adding && <AddAllergyForm patientId={patient.id} onDone={() => setAdding(false)} />}
        <DataTable
          label="Allergies"
          columns={columns}
          rows={patient.allergies}
          rowKey={(a) => a.id}
          emptyText="No allergy recorded."
        />
      </Stack>
      <StatusChangeDialog
        open={changing !== null}
        title={`Allergy to ${changing?.substance ?? ''}`}
        statuses={statusLabels}
        current={changing?.status ?? 'active'}
        busy={change.isPending}
        error={change.error}
        onReload={() => {
          void reload();
          setChanging(null);
          change.reset();
        }}
        onCancel={() => {
          setChanging(null);
          change.reset();
        }}
        onConfirm={(status, reason) =>
          changing &&
          change.mutate(
            { allergyId: changing.id, status, reason, version: changing.version },
            { onSuccess: () => setChanging(null) },
          )
        }
      />
    </FormSection>
  );
}

function AddAllergyForm({ patientId, onDone }: { patientId: string; onDone: () => void }) {
  const [category, setCategory] = useState<Allergy['category']>('drug');
  const [substance, setSubstance] = useState('');
  const [reaction, setReaction] = useState('');
  const [severity, setSeverity] = useState<Allergy['severity']>('moderate');
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const add = useAddAllergy(patientId);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const result = validateForm(AllergyInput, { category, substance, reaction, severity, note });
    if (!result.ok) return setErrors(result.errors);
    setErrors({});
    add.mutate(result.data, { onSuccess: onDone, onError: (err) => setErrors(fieldErrorsFromProblem(err)) });
  };
  return (
    <Paper
      variant="outlined"
      component="form"
      noValidate
      onSubmit={submit}
      aria-label="Add allergy"
      sx={{ p: 2 }}
    >
      <Typography variant="subtitle1" component="h3" sx={{ fontWeight: 600, mb: 2 }}>
        Add allergy
      </Typography>
      <ProblemAlert error={add.error} sx={{ mb: 2 }} />
      <Box sx={fieldGrid}>
        <TextField
          label="Substance"
          value={substance}
          onChange={(e) => setSubstance(e.target.value)}
          error={!!errors.substance}
          helperText={errors.substance ?? 'E.g. penicillin, peanuts, latex'}
          required
          autoFocus
        />
        <TextField
          select
          label="Category"
          value={category}
          onChange={(e) => setCategory(e.target.value as Allergy['category'])}
        >
          {allergyCategories.map((c) => (
            <MenuItem key={c} value={c}>
              {allergyCategoryLabels[c]}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          select
          label="Severity"
          value={severity}
          onChange={(e) => setSeverity(e.target.value as Allergy['severity'])}
        >
          {allergySeverities.map((s) => (
            <MenuItem key={s} value={s}>
              {s[0]?.toUpperCase() + s.slice(1)}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          label="Reaction"
          value={reaction}
          onChange={(e) => setReaction(e.target.value)}
          error={!!errors.reaction}
          helperText={errors.reaction ?? 'E.g. rash, swelling of the lips, anaphylaxis'}
        />
        <TextField
          label="Note"
          value={note}
          onChange={(e) => setNote(e.target.value)}
          error={!!errors.note}
          helperText={errors.note}
          sx={{ gridColumn: { sm: 'span 2' } }}
        />
      </Box>
      <Box sx={{ display: 'flex', gap: 1, mt: 2 }}>
        <Button type="submit" variant="contained" disabled={add.isPending}>
          Save allergy
        </Button>
        <Button onClick={onDone}>Cancel</Button>
      </Box>
    </Paper>
  );
}
