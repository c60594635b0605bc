import Add from '@mui/icons-material/Add';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { AlertInput, alertKinds, type Patient, type PatientAlert } from '@newhms/contracts';
import { type FormEvent, useState } from 'react';
import { type Column, DataTable } from '../../../ui/data-table';
import { type FieldErrors, fieldErrorsFromProblem, validateForm } from '../../../ui/form-validation';
import { formatDateTime } from '../../../ui/format';
import { ProblemAlert } from '../../../ui/problem-alert';
import { useAddAlert, useChangeAlert, useReloadPatient } from '../hooks/use-patients';
import { alertKindLabels } from '../patient-labels';
import { FormSection, fieldGrid } from './form-section';
import { StatusChangeDialog } from './status-change-dialog';

type AlertStatus = PatientAlert['status'];
const statusLabels: Record<AlertStatus, string> = {
  active: 'Active',
  inactive: 'Inactive',
  'entered-in-error': 'Entered in error',
};
const severityLabels: Record<PatientAlert['severity'], string> = {
  info: 'Info',
  warning: 'Warning',
  high: 'High',
};
const severityColor = { info: 'default', warning: 'warning', high: 'error' } as const;

type Props = { patient: Patient; canManage: boolean };

/** Alerts every department must see: fall risk, infection control, DNR, medico-legal... */
export function AlertsSection({ patient, canManage }: Props) {
  const [adding, setAdding] = useState(false);
  const [changing, setChanging] = useState<PatientAlert | null>(null);
  const change = useChangeAlert(patient.id);
  const reload = useReloadPatient(patient.id);
  const columns: Column<PatientAlert>[] = [
    { id: 'kind', header: 'Kind', render: (a) => alertKindLabels[a.kind] },
    { id: 'text', header: 'Alert', render: (a) => a.text },
    {
      id: 'severity',
      header: 'Severity',
      render: (a) => (
        <Chip size="small" color={severityColor[a.severity]} label={severityLabels[a.severity]} />
      ),
    },
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
            render: (a: PatientAlert) => (
              <Button
                size="small"
                onClick={() => setChanging(a)}
                aria-label={`Change status of alert ${a.text}`}
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
      title="Alerts"
      actions={
        canManage && (
          <Button startIcon={<Add />} variant="outlined" onClick={() => setAdding(true)} disabled={adding}>
            Add alert
          </Button>
        )
      }
    >
      {adding && <AddAlertForm patientId={patient.id} onDone={() => setAdding(false)} />}
      <DataTable
        label="Alerts"
        columns={columns}
        rows={patient.alerts}
        rowKey={(a) => a.id}
        emptyText="No alert."
      />
      <StatusChangeDialog
        open={changing !== null}
        title={`Alert: ${changing ? alertKindLabels[changing.kind] : ''}`}
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
            { alertId: changing.id, status, reason, version: changing.version },
            { onSuccess: () => setChanging(null) },
          )
        }
      />
    </FormSection>
  );
}

function AddAlertForm({ patientId, onDone }: { patientId: string; onDone: () => void }) {
  const [kind, setKind] = useState<PatientAlert['kind']>('fall-risk');
  const [text, setText] = useState('');
  const [severity, setSeverity] = useState<PatientAlert['severity']>('warning');
  const [errors, setErrors] = useState<FieldErrors>({});
  const add = useAddAlert(patientId);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const result = validateForm(AlertInput, { kind, text, severity });
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
      aria-label="Add alert"
      sx={{ p: 2, mb: 2 }}
    >
      <Typography variant="subtitle1" component="h3" sx={{ fontWeight: 600, mb: 2 }}>
        Add alert
      </Typography>
      <ProblemAlert error={add.error} sx={{ mb: 2 }} />
      <Box sx={fieldGrid}>
        <TextField
          select
          label="Kind"
          value={kind}
          onChange={(e) => setKind(e.target.value as PatientAlert['kind'])}
        >
          {alertKinds.map((k) => (
            <MenuItem key={k} value={k}>
              {alertKindLabels[k]}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          label="Alert text"
          value={text}
          onChange={(e) => setText(e.target.value)}
          error={!!errors.text}
          helperText={errors.text}
          required
          autoFocus
        />
        <TextField
          select
          label="Severity"
          value={severity}
          onChange={(e) => setSeverity(e.target.value as PatientAlert['severity'])}
        >
          {Object.entries(severityLabels).map(([k, label]) => (
            <MenuItem key={k} value={k}>
              {label}
            </MenuItem>
          ))}
        </TextField>
      </Box>
      <Box sx={{ display: 'flex', gap: 1, mt: 2 }}>
        <Button type="submit" variant="contained" disabled={add.isPending}>
          Save alert
        </Button>
        <Button onClick={onDone}>Cancel</Button>
      </Box>
    </Paper>
  );
}
