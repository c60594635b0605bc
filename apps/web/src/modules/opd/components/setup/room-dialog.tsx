import Box from '@mui/material/Box';
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
import { type ClinicRoom, ClinicRoomFields } from '@newhms/contracts';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { type FieldErrors, fieldErrorsFromProblem, validateForm } from '../../../../ui/form-validation';
import { ProblemAlert } from '../../../../ui/problem-alert';
import { useCreateRoom, useDepartments, useUpdateRoom } from '../../hooks/use-opd-setup';

type Props = { open: boolean; room: ClinicRoom | null; onClose: () => void };

/** A clinic room and its public token board (/display/<board code>). */
export function RoomDialog({ open, room, onClose }: Props) {
  const titleId = useId();
  const create = useCreateRoom();
  const update = useUpdateRoom();
  const departments = useDepartments();
  const [values, setValues] = useState({
    departmentId: '',
    name: '',
    boardCode: '',
    showInitials: false,
    active: true,
  });
  const [errors, setErrors] = useState<FieldErrors>({});
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new dialog starts from the record
  useEffect(() => {
    if (!open) return;
    setValues({
      departmentId: room?.departmentId ?? '',
      name: room?.name ?? '',
      boardCode: room?.boardCode ?? '',
      showInitials: room?.showInitials ?? false,
      active: room?.active ?? true,
    });
    setErrors({});
    create.reset();
    update.reset();
  }, [open, room]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const checked = validateForm(ClinicRoomFields, values);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    const onError = (err: unknown) => setErrors(fieldErrorsFromProblem(err));
    if (room)
      update.mutate({ id: room.id, ...checked.data, version: room.version }, { onSuccess: onClose, onError });
    else create.mutate(checked.data, { onSuccess: onClose, onError });
  };

  return (
    <Dialog open={open} onClose={onClose} aria-labelledby={titleId} fullWidth maxWidth="sm">
      <Box component="form" onSubmit={submit} noValidate>
        <DialogTitle id={titleId}>{room ? `Edit ${room.name}` : 'New clinic room'}</DialogTitle>
        <DialogContent>
          <Stack spacing={2} sx={{ pt: 1 }}>
            <TextField
              select
              label="Department"
              required
              value={values.departmentId}
              onChange={(e) => setValues((v) => ({ ...v, departmentId: e.target.value }))}
              error={!!errors.departmentId}
              helperText={errors.departmentId}
            >
              {(departments.data ?? []).map((d) => (
                <MenuItem key={d.id} value={d.id}>
                  {d.name}
                </MenuItem>
              ))}
            </TextField>
            <TextField
              label="Room name"
              required
              value={values.name}
              onChange={(e) => setValues((v) => ({ ...v, name: e.target.value }))}
              error={!!errors.name}
              helperText={errors.name}
            />
            <TextField
              label="Board code"
              required
              value={values.boardCode}
              onChange={(e) => setValues((v) => ({ ...v, boardCode: e.target.value.toUpperCase() }))}
              error={!!errors.boardCode}
              helperText={errors.boardCode ?? `The board's address: /display/${values.boardCode || 'CODE'}`}
            />
            <FormControlLabel
              control={
                <Checkbox
                  checked={values.showInitials}
                  onChange={(e) => setValues((v) => ({ ...v, showInitials: e.target.checked }))}
                />
              }
              label="Show patients' initials on the board (otherwise token numbers only)"
            />
            <FormControlLabel
              control={
                <Checkbox
                  checked={values.active}
                  onChange={(e) => setValues((v) => ({ ...v, active: e.target.checked }))}
                />
              }
              label="Active"
            />
            <ProblemAlert error={create.error ?? update.error} />
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="contained" disabled={create.isPending || update.isPending}>
            Save room
          </Button>
        </DialogActions>
      </Box>
    </Dialog>
  );
}
