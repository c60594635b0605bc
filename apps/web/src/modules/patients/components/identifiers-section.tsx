import Edit from '@mui/icons-material/Edit';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import {
  identifierLabels,
  nationalIdentifierTypes,
  normalizeIdentifier,
  type Patient,
} from '@newhms/contracts';
import { type FormEvent, useState } from 'react';
import { isConflict } from '../../../ui/conflict';
import { ConflictAlert } from '../../../ui/conflict-alert';
import { type Column, DataTable } from '../../../ui/data-table';
import { type FieldErrors, fieldErrorsFromProblem } from '../../../ui/form-validation';
import { ProblemAlert } from '../../../ui/problem-alert';
import { useReloadPatient, useUpdatePatient } from '../hooks/use-patients';
import { currentLists, type IdentifierRow } from '../patient-form-values';
import { FormSection } from './form-section';
import { IdentifierRows } from './identifier-rows';

type Identifier = Patient['identifiers'][number];

const columns: Column<Identifier>[] = [
  { id: 'type', header: 'Type', render: (i) => identifierLabels[i.type] },
  {
    id: 'number',
    header: 'Number',
    render: (i) => <span style={{ fontFamily: 'monospace' }}>{i.display}</span>,
  },
  { id: 'issuer', header: 'Issuer', render: (i) => i.issuer ?? '—' },
  {
    id: 'stored',
    header: 'Stored',
    render: (i) => (nationalIdentifierTypes.includes(i.type) ? 'Encrypted, shown masked' : 'As given'),
    hideBelow: 'sm',
  },
];

/** The patient's identifiers; national ids are shown masked (last four characters) and never in full. */
export function IdentifiersSection({ patient, canEdit }: { patient: Patient; canEdit: boolean }) {
  const [editing, setEditing] = useState(false);
  return (
    <FormSection
      title="Identifiers"
      actions={
        canEdit &&
        !editing && (
          <Button startIcon={<Edit />} variant="outlined" onClick={() => setEditing(true)}>
            Edit identifiers
          </Button>
        )
      }
    >
      {editing ? (
        <IdentifiersEditor patient={patient} onDone={() => setEditing(false)} />
      ) : (
        <>
          <Typography color="text.secondary" sx={{ mb: 2 }}>
            The patient search finds a patient by any of these numbers, typed in full.
          </Typography>
          <DataTable
            label="Identifiers"
            columns={columns}
            rows={patient.identifiers}
            rowKey={(i) => i.id}
            emptyText="No identifier recorded."
          />
        </>
      )}
    </FormSection>
  );
}

function IdentifiersEditor({ patient: current, onDone }: { patient: Patient; onDone: () => void }) {
  // The record as it was when the edit began: its version makes a colleague's later change a conflict.
  const [patient] = useState(current);
  // Stored numbers are never sent back in full: an existing one is kept by its id, or removed.
  const [keep, setKeep] = useState<Set<string>>(() => new Set(patient.identifiers.map((i) => i.id)));
  const [added, setAdded] = useState<IdentifierRow[]>([]);
  const [errors, setErrors] = useState<FieldErrors>({});
  const update = useUpdatePatient(patient.id);
  const reload = useReloadPatient(patient.id);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const rows = added.map((row, i) => ({ row, i })).filter(({ row }) => row.value.trim() !== '');
    const found: FieldErrors = {};
    for (const { row, i } of rows) {
      const check = normalizeIdentifier(row.type, row.value);
      if (!check.ok) found[`identifiers.${i}.value`] = check.message;
    }
    if (Object.keys(found).length > 0) return setErrors(found);
    setErrors({});
    const kept = patient.identifiers.filter((i) => keep.has(i.id)).map((i) => ({ id: i.id }));
    update.mutate(
      {
        ...currentLists(patient),
        identifiers: [
          ...kept,
          ...rows.map(({ row }) => ({ type: row.type, value: row.value, issuer: row.issuer.trim() || null })),
        ],
        version: patient.version,
      },
      {
        onSuccess: onDone,
        onError: (err) => {
          // The server counts kept ones first: identifiers.<kept + i> is the i-th new row sent.
          const byServer = fieldErrorsFromProblem(err);
          const mapped: FieldErrors = {};
          for (const [key, message] of Object.entries(byServer)) {
            const m = /^identifiers\.(\d+)(\..*)?$/.exec(key);
            const row = m ? rows[Number(m[1]) - kept.length] : undefined;
            mapped[row && m ? `identifiers.${row.i}${m[2] ?? ''}` : key] = message;
          }
          setErrors(mapped);
        },
      },
    );
  };
  return (
    <Stack component="form" noValidate onSubmit={submit} spacing={2} aria-label="Edit identifiers">
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
      {patient.identifiers.length > 0 && (
        <Box role="group" aria-label="Identifiers on record">
          {patient.identifiers.map((i) => (
            <FormControlLabel
              key={i.id}
              sx={{ display: 'flex' }}
              control={
                <Checkbox
                  checked={keep.has(i.id)}
                  onChange={(e) =>
                    setKeep((s) => {
                      const next = new Set(s);
                      if (e.target.checked) next.add(i.id);
                      else next.delete(i.id);
                      return next;
                    })
                  }
                />
              }
              label={`Keep ${identifierLabels[i.type]} ${i.display}`}
            />
          ))}
        </Box>
      )}
      <IdentifierRows rows={added} onChange={setAdded} errors={errors} />
      <Box sx={{ display: 'flex', gap: 1 }}>
        <Button type="submit" variant="contained" disabled={update.isPending}>
          Save identifiers
        </Button>
        <Button onClick={onDone}>Cancel</Button>
      </Box>
    </Stack>
  );
}
