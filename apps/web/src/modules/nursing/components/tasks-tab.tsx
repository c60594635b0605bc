import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { type NursingTask, nursingTaskKinds } from '@newhms/contracts';
import { type FormEvent, useState } from 'react';
import { CONFLICT_MESSAGE, isConflict } from '../../../ui/conflict';
import { type Column, DataTable } from '../../../ui/data-table';
import { minutesBetween } from '../../../ui/facility-time';
import { formatDateTime, localInputToIso } from '../../../ui/format';
import { ProblemAlert } from '../../../ui/problem-alert';
import { ReasonDialog } from '../../../ui/reason-dialog';
import { useAddNursingTask, useCloseNursingTask, useNursingTasks } from '../hooks/use-nursing';
import { taskKindLabels } from '../nursing-labels';

const statusLabels: Record<NursingTask['status'], string> = {
  pending: 'Pending',
  done: 'Done',
  cancelled: 'Cancelled',
};

/** Nursing tasks by due time: pending ones first with overdue flagged, then what was done or cancelled. */
export function TasksTab({ admissionId, canChart }: { admissionId: string; canChart: boolean }) {
  const tasks = useNursingTasks(admissionId);
  const close = useCloseNursingTask();
  const [closing, setClosing] = useState<{ task: NursingTask; action: 'complete' | 'cancel' } | null>(null);
  const items = tasks.data ?? [];
  const pending = items.filter((t) => t.status === 'pending');
  const closed = items.filter((t) => t.status !== 'pending');

  const columns: Column<NursingTask>[] = [
    {
      id: 'due',
      header: 'Due',
      render: (t) => (
        <Box sx={{ color: t.overdue ? 'error.main' : undefined, fontWeight: t.overdue ? 700 : undefined }}>
          {formatDateTime(t.dueAt)}
          {t.overdue && t.status === 'pending' && ` · overdue ${minutesBetween(t.dueAt)} min`}
        </Box>
      ),
    },
    { id: 'kind', header: 'Kind', render: (t) => taskKindLabels[t.kind] ?? t.kind },
    { id: 'description', header: 'Task', render: (t) => t.description },
    {
      id: 'status',
      header: 'Status',
      render: (t) => (
        <Stack spacing={0.5}>
          <Chip
            size="small"
            label={t.overdue && t.status === 'pending' ? 'Overdue' : statusLabels[t.status]}
            color={
              t.overdue && t.status === 'pending' ? 'error' : t.status === 'done' ? 'success' : 'default'
            }
          />
          {t.outcome && (
            <Typography variant="body2" color="text.secondary">
              {t.outcome}
              {t.doneBy ? ` · ${t.doneBy}` : ''}
            </Typography>
          )}
        </Stack>
      ),
    },
    {
      id: 'actions',
      header: 'Actions',
      render: (t) =>
        canChart &&
        t.status === 'pending' &&
        t.kind !== 'escalation' && (
          <Stack direction="row" spacing={1}>
            <Button
              size="small"
              variant="outlined"
              onClick={() => setClosing({ task: t, action: 'complete' })}
            >
              Done
            </Button>
            <Button size="small" onClick={() => setClosing({ task: t, action: 'cancel' })}>
              Cancel
            </Button>
          </Stack>
        ),
    },
  ];

  return (
    <Stack spacing={3}>
      {canChart && <NewTask admissionId={admissionId} />}
      <ProblemAlert error={tasks.error} />
      <DataTable
        label="Pending tasks"
        columns={columns}
        rows={pending}
        rowKey={(t) => t.id}
        loading={tasks.isLoading}
        emptyText="No pending tasks."
      />
      {closed.length > 0 && (
        <DataTable
          label="Done and cancelled tasks"
          columns={columns.filter((c) => c.id !== 'actions')}
          rows={closed}
          rowKey={(t) => t.id}
        />
      )}
      <ReasonDialog
        open={closing !== null}
        title={closing?.action === 'complete' ? 'Task done' : 'Cancel task'}
        message={closing?.task.description}
        label={closing?.action === 'complete' ? 'Outcome' : 'Reason'}
        confirmLabel={closing?.action === 'complete' ? 'Mark done' : 'Cancel task'}
        danger={closing?.action === 'cancel'}
        maxLength={closing?.action === 'complete' ? 1000 : 300}
        busy={close.isPending}
        error={isConflict(close.error) ? new Error(CONFLICT_MESSAGE) : close.error}
        onCancel={() => setClosing(null)}
        onConfirm={(text) =>
          closing &&
          close.mutate(
            { id: closing.task.id, action: closing.action, text, version: closing.task.version },
            {
              onSuccess: () => setClosing(null),
              onError: (err) => isConflict(err) && void tasks.refetch(),
            },
          )
        }
      />
    </Stack>
  );
}

function NewTask({ admissionId }: { admissionId: string }) {
  const add = useAddNursingTask(admissionId);
  const [kind, setKind] = useState<(typeof nursingTaskKinds)[number]>('vitals');
  const [description, setDescription] = useState('');
  const [due, setDue] = useState('');
  const [tried, setTried] = useState(false);
  const dueAt = localInputToIso(due);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (!description.trim() || !dueAt) return;
    add.mutate(
      { kind, description: description.trim(), dueAt },
      {
        onSuccess: () => {
          setDescription('');
          setDue('');
          setTried(false);
        },
      },
    );
  };
  return (
    <Paper
      variant="outlined"
      component="form"
      noValidate
      onSubmit={submit}
      aria-label="New nursing task"
      sx={{ p: 2 }}
    >
      <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', sm: '180px 1fr 240px' } }}>
        <TextField
          select
          size="small"
          label="Kind"
          value={kind}
          onChange={(e) => setKind(e.target.value as typeof kind)}
        >
          {nursingTaskKinds
            .filter((k) => k !== 'escalation')
            .map((k) => (
              <MenuItem key={k} value={k}>
                {taskKindLabels[k]}
              </MenuItem>
            ))}
        </TextField>
        <TextField
          size="small"
          label="Task"
          value={description}
          onChange={(e) => setDescription(e.target.value)}
          error={tried && !description.trim()}
          helperText={tried && !description.trim() ? 'Say what is to be done' : ' '}
          slotProps={{ htmlInput: { maxLength: 500 } }}
        />
        <TextField
          size="small"
          label="Due"
          type="datetime-local"
          value={due}
          onChange={(e) => setDue(e.target.value)}
          error={tried && !dueAt}
          helperText={tried && !dueAt ? 'When is it due?' : ' '}
          slotProps={{ inputLabel: { shrink: true } }}
        />
      </Box>
      <ProblemAlert error={add.error} sx={{ mb: 1 }} />
      <Button type="submit" variant="contained" disabled={add.isPending}>
        Add task
      </Button>
    </Paper>
  );
}
