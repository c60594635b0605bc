import Edit from '@mui/icons-material/Edit';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import type { Patient } from '@newhms/contracts';
import { type FormEvent, useState } from 'react';
import { isConflict } from '../../../ui/conflict';
import { ConflictAlert } from '../../../ui/conflict-alert';
import { type Column, DataTable } from '../../../ui/data-table';
import { type FieldErrors, fieldErrorsFromProblem } from '../../../ui/form-validation';
import { ProblemAlert } from '../../../ui/problem-alert';
import { useReloadPatient, useUpdatePatient } from '../hooks/use-patients';
import {
  type ContactRow,
  contactInputs,
  contactsFromPatient,
  currentLists,
  toFormPaths,
} from '../patient-form-values';
import { contactKindLabels } from '../patient-labels';
import { ContactRows } from './contact-rows';
import { FormSection } from './form-section';

type Contact = Patient['contacts'][number];

const columns: Column<Contact>[] = [
  { id: 'kind', header: 'Kind', render: (c) => contactKindLabels[c.kind] },
  { id: 'name', header: 'Name', render: (c) => c.name },
  { id: 'relationship', header: 'Relationship', render: (c) => c.relationship },
  { id: 'phone', header: 'Phone', render: (c) => c.phone ?? '—' },
  { id: 'address', header: 'Address', render: (c) => c.address ?? '—', hideBelow: 'md' },
];

export function ContactsSection({ patient, canEdit }: { patient: Patient; canEdit: boolean }) {
  const [editing, setEditing] = useState(false);
  return (
    <FormSection
      title="Next of kin and emergency contacts"
      actions={
        canEdit &&
        !editing && (
          <Button startIcon={<Edit />} variant="outlined" onClick={() => setEditing(true)}>
            Edit contacts
          </Button>
        )
      }
    >
      {editing ? (
        <ContactsEditor patient={patient} onDone={() => setEditing(false)} />
      ) : (
        <DataTable
          label="Contacts"
          columns={columns}
          rows={patient.contacts}
          rowKey={(c) => c.id}
          emptyText="No contact person recorded."
        />
      )}
    </FormSection>
  );
}

function ContactsEditor({ patient: current, onDone }: { patient: Patient; onDone: () => void }) {
  // The record as it was when the edit began: its version makes a colleague's later change a conflict.
  const [patient] = useState(current);
  const [rows, setRows] = useState<ContactRow[]>(() => contactsFromPatient(patient));
  const [errors, setErrors] = useState<FieldErrors>({});
  const update = useUpdatePatient(patient.id);
  const reload = useReloadPatient(patient.id);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const { contacts, rows: map } = contactInputs(rows);
    const missing: FieldErrors = {};
    contacts.forEach((c, i) => {
      if (!c.name) missing[`contacts.${map[i]}.name`] = 'the name of the contact';
      if (!c.relationship) missing[`contacts.${map[i]}.relationship`] = 'how they are related';
    });
    if (Object.keys(missing).length > 0) return setErrors(missing);
    setErrors({});
    update.mutate(
      { ...currentLists(patient), contacts, version: patient.version },
      {
        onSuccess: onDone,
        onError: (err) => setErrors(toFormPaths(fieldErrorsFromProblem(err), { contacts: map })),
      },
    );
  };
  return (
    <Stack component="form" noValidate onSubmit={submit} spacing={2} aria-label="Edit contacts">
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
      <ContactRows rows={rows} onChange={setRows} errors={errors} />
      <Box sx={{ display: 'flex', gap: 1 }}>
        <Button type="submit" variant="contained" disabled={update.isPending}>
          Save contacts
        </Button>
        <Button onClick={onDone}>Cancel</Button>
      </Box>
    </Stack>
  );
}
