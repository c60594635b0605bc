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
import {
  CreateRadRoomBody,
  type RadModality,
  type RadRoom,
  radModalities,
  UpdateRadRoomBody,
} from '@newhms/contracts';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { type FieldErrors, fieldErrorsFromProblem, validateForm } from '../../../ui/form-validation';
import { ProblemAlert } from '../../../ui/problem-alert';
import { type RoomChange, type RoomInput, useCreateRoom, useUpdateRoom } from '../hooks/use-radiology';
import { modalityLabels } from '../radiology-labels';

type Props = {
  /** 'new' opens an empty form; a room edits it. */
  room: RadRoom | 'new' | null;
  onClose: () => void;
};

/** Creates a modality room or changes one: name, working hours (empty: around the clock), AE title, in use. */
export function RoomDialog({ room, onClose }: Props) {
  const titleId = useId();
  const create = useCreateRoom();
  const update = useUpdateRoom();
  const editing = room && room !== 'new' ? room : null;
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [modality, setModality] = useState<RadModality>('XR');
  const [opensAt, setOpensAt] = useState('');
  const [closesAt, setClosesAt] = useState('');
  const [aeTitle, setAeTitle] = useState('');
  const [active, setActive] = useState(true);
  const [formErrors, setFormErrors] = useState<FieldErrors>({});
  const mutation = editing ? update : create;

  // biome-ignore lint/correctness/useExhaustiveDependencies: reset on opening only
  useEffect(() => {
    if (!room) return;
    setCode(editing?.code ?? '');
    setName(editing?.name ?? '');
    setModality(editing?.modality ?? 'XR');
    setOpensAt(editing?.opensAt ?? '');
    setClosesAt(editing?.closesAt ?? '');
    setAeTitle(editing?.aeTitle ?? '');
    setActive(editing?.active ?? true);
    setFormErrors({});
    create.reset();
    update.reset();
  }, [room]);

  const errors = { ...fieldErrorsFromProblem(mutation.error), ...formErrors };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const hours = { opensAt: opensAt || null, closesAt: closesAt || null };
    if (editing) {
      const checked = validateForm(UpdateRadRoomBody, {
        name,
        ...hours,
        aeTitle,
        active,
        version: editing.version,
      });
      if (!checked.ok) return setFormErrors(checked.errors);
      setFormErrors({});
      update.mutate({ id: editing.id, ...(checked.data as RoomChange) }, { onSuccess: onClose });
    } else {
      const checked = validateForm(CreateRadRoomBody, { code, name, modality, ...hours, aeTitle });
      if (!checked.ok) return setFormErrors(checked.errors);
      setFormErrors({});
      create.mutate(checked.data as RoomInput, { onSuccess: onClose });
    }
  };

  return (
    <Dialog open={!!room} onClose={onClose} aria-labelledby={titleId} fullWidth maxWidth="sm">
      <form onSubmit={submit} noValidate>
        <DialogTitle id={titleId}>{editing ? `Room ${editing.code}` : 'New room'}</DialogTitle>
        <DialogContent>
          <Stack spacing={2} sx={{ mt: 1 }}>
            <TextField
              label="Code"
              value={code}
              onChange={(e) => setCode(e.target.value.toUpperCase())}
              required
              disabled={!!editing}
              autoFocus={!editing}
              error={!!errors.code}
              helperText={errors.code ?? 'Letters, digits, _ and -, e.g. XR-1'}
            />
            <TextField
              label="Name"
              value={name}
              onChange={(e) => setName(e.target.value)}
              required
              autoFocus={!!editing}
              error={!!errors.name}
              helperText={errors.name ?? ' '}
            />
            <TextField
              select
              label="Modality"
              value={modality}
              onChange={(e) => setModality(e.target.value as RadModality)}
              disabled={!!editing}
              helperText="What the room's equipment does; it cannot change later"
            >
              {radModalities.map((m) => (
                <MenuItem key={m} value={m}>
                  {`${modalityLabels[m]} (${m})`}
                </MenuItem>
              ))}
            </TextField>
            <Stack direction="row" spacing={2}>
              <TextField
                label="Opens at"
                type="time"
                value={opensAt}
                onChange={(e) => setOpensAt(e.target.value)}
                error={!!errors.opensAt}
                helperText={errors.opensAt ?? 'Empty: around the clock'}
                slotProps={{ inputLabel: { shrink: true } }}
                sx={{ flex: 1 }}
              />
              <TextField
                label="Closes at"
                type="time"
                value={closesAt}
                onChange={(e) => setClosesAt(e.target.value)}
                error={!!errors.closesAt}
                helperText={errors.closesAt ?? "The facility's clock"}
                slotProps={{ inputLabel: { shrink: true } }}
                sx={{ flex: 1 }}
              />
            </Stack>
            <TextField
              label="DICOM AE title"
              value={aeTitle}
              onChange={(e) => setAeTitle(e.target.value)}
              error={!!errors.aeTitle}
              helperText={errors.aeTitle ?? 'Optional: the modality worklist name, at most 16 characters'}
              slotProps={{ htmlInput: { maxLength: 16 } }}
            />
            {editing && (
              <FormControlLabel
                control={<Checkbox checked={active} onChange={(e) => setActive(e.target.checked)} />}
                label="In use (a room out of use takes no new bookings; its bookings stay)"
              />
            )}
            <ProblemAlert error={mutation.error} />
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="contained" disabled={mutation.isPending}>
            {editing ? 'Save room' : 'Create room'}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
