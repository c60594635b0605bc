import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { consentKinds, type Patient } from '@newhms/contracts';
import { useEffect, useState } from 'react';
import { isConflict } from '../../../ui/conflict';
import { ConflictAlert } from '../../../ui/conflict-alert';
import { formatDateTime } from '../../../ui/format';
import { ProblemAlert } from '../../../ui/problem-alert';
import { useReloadPatient, useUpdatePatient } from '../hooks/use-patients';
import { type ConsentKind, currentLists } from '../patient-form-values';
import { consentLabels } from '../patient-labels';
import { ConsentCheckboxes } from './consent-checkboxes';
import { FormSection } from './form-section';

function consentsOf(p: Patient): Record<ConsentKind, boolean> {
  return Object.fromEntries(
    consentKinds.map((k) => [k, p.consents.find((c) => c.kind === k)?.granted ?? false]),
  ) as Record<ConsentKind, boolean>;
}

type Props = { patient: Patient; canEdit: boolean };

export function ConsentsSection({ patient: current, canEdit }: Props) {
  // The record the form started from: a colleague's change saved in between makes the save a conflict.
  const [patient, setPatient] = useState(current);
  const [value, setValue] = useState(() => consentsOf(current));
  const [saved, setSaved] = useState(false);
  const [adopt, setAdopt] = useState(false);
  const update = useUpdatePatient(patient.id);
  const reload = useReloadPatient(patient.id);
  const changed = consentKinds.some((k) => value[k] !== consentsOf(patient)[k]);

  // A newer record replaces the form while nothing is being changed in it, or when the clerk asked to reload.
  useEffect(() => {
    if (current.version === patient.version || (changed && !adopt)) return;
    setPatient(current);
    setValue(consentsOf(current));
    setAdopt(false);
    update.reset();
  }, [current, patient.version, changed, adopt, update.reset]);

  return (
    <FormSection title="Consents">
      <Stack spacing={2}>
        {isConflict(update.error) ? (
          <ConflictAlert
            onReload={() => {
              setAdopt(true);
              void reload();
            }}
          />
        ) : (
          <ProblemAlert error={update.error} />
        )}
        <ConsentCheckboxes
          value={value}
          onChange={(v) => {
            setValue(v);
            setSaved(false);
          }}
          disabled={!canEdit}
        />
        <Box component="ul" sx={{ m: 0, pl: 3 }} aria-label="Consent records">
          {patient.consents.map((c) => (
            <Typography component="li" variant="body2" color="text.secondary" key={c.kind}>
              {consentLabels[c.kind]}: {c.granted ? 'given' : 'refused'} · recorded{' '}
              {formatDateTime(c.recordedAt)} by {c.recordedBy}
            </Typography>
          ))}
          {patient.consents.length === 0 && (
            <Typography component="li" variant="body2" color="text.secondary">
              No consent recorded yet.
            </Typography>
          )}
        </Box>
        {canEdit && (
          <Box sx={{ display: 'flex', gap: 2, alignItems: 'center' }}>
            <Button
              variant="contained"
              disabled={!changed || update.isPending}
              onClick={() =>
                update.mutate(
                  {
                    ...currentLists(patient),
                    consents: consentKinds.map((kind) => ({ kind, granted: value[kind] })),
                    version: patient.version,
                  },
                  {
                    onSuccess: (next) => {
                      setPatient(next);
                      setValue(consentsOf(next));
                      setSaved(true);
                    },
                  },
                )
              }
            >
              Save consents
            </Button>
            {saved && <Typography role="status">Consents saved.</Typography>}
          </Box>
        )}
      </Stack>
    </FormSection>
  );
}
