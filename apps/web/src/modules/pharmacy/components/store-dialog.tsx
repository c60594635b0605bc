import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import FormControlLabel from '@mui/material/FormControlLabel';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { type Store, StoreBody, storeKinds } from '@newhms/contracts';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { useAuth } from '../../../app/auth/auth-context';
import { type FieldErrors, fieldErrorsFromProblem, validateForm } from '../../../ui/form-validation';
import { ProblemAlert } from '../../../ui/problem-alert';
import { type StoreInput, useCreateStore, useWards } from '../hooks/use-pharmacy';
import { storeKindLabels } from '../pharmacy-labels';

/** Opens a store: the main store, an OPD or IP pharmacy (they dispense), or a ward's sub-store. */
export function StoreDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const titleId = useId();
  const { can } = useAuth();
  const create = useCreateStore();
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [kind, setKind] = useState<Store['kind']>('main');
  const [wardId, setWardId] = useState('');
  const [dispenses, setDispenses] = useState(false);
  const [formErrors, setFormErrors] = useState<FieldErrors>({});
  const wards = useWards(open && kind === 'ward' && can('ipd:read'));
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset on opening only
  useEffect(() => {
    if (open) {
      setCode('');
      setName('');
      setKind('main');
      setWardId('');
      setDispenses(false);
      setFormErrors({});
      create.reset();
    }
  }, [open]);
  const errors = { ...fieldErrorsFromProblem(create.error), ...formErrors };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const checked = validateForm(StoreBody, {
      code: code.trim().toUpperCase(),
      name,
      kind,
      wardId: kind === 'ward' ? wardId || undefined : null,
      dispenses,
    });
    if (!checked.ok) {
      setFormErrors(checked.errors);
      return;
    }
    setFormErrors({});
    create.mutate(checked.data as StoreInput, { onSuccess: onClose });
  };
  return (
    <Dialog open={open} onClose={onClose} aria-labelledby={titleId} fullWidth maxWidth="sm">
      <form onSubmit={submit} noValidate>
        <DialogTitle id={titleId}>New store</DialogTitle>
        <DialogContent>
          <Stack spacing={2} sx={{ mt: 1 }}>
            <TextField
              label="Code"
              value={code}
              onChange={(e) => setCode(e.target.value.toUpperCase())}
              required
              autoFocus
              error={!!errors.code}
              helperText={errors.code ?? '2-20 capital letters, digits or dashes, e.g. OPD-PH'}
            />
            <TextField
              label="Name"
              value={name}
              onChange={(e) => setName(e.target.value)}
              required
              error={!!errors.name}
              helperText={errors.name ?? ' '}
            />
            <TextField
              select
              label="Kind"
              value={kind}
              onChange={(e) => {
                const next = e.target.value as Store['kind'];
                setKind(next);
                setDispenses(next === 'opd' || next === 'ip');
              }}
            >
              {storeKinds.map((k) => (
                <MenuItem key={k} value={k}>
                  {storeKindLabels[k]}
                </MenuItem>
              ))}
            </TextField>
            {kind === 'ward' && (
              <TextField
                select
                label="Ward"
                value={wardId}
                onChange={(e) => setWardId(e.target.value)}
                required
                error={!!errors.wardId}
                helperText={errors.wardId ?? ' '}
              >
                {(wards.data ?? []).map((w) => (
                  <MenuItem key={w.id} value={w.id}>
                    {`${w.name} (${w.code})`}
                  </MenuItem>
                ))}
              </TextField>
            )}
            <FormControlLabel
              control={<Checkbox checked={dispenses} onChange={(e) => setDispenses(e.target.checked)} />}
              label="Dispenses to patients"
            />
            <ProblemAlert error={create.error} />
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="contained" disabled={create.isPending}>
            Open store
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
