import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import LinearProgress from '@mui/material/LinearProgress';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { HousekeepingQueueQuery, HousekeepingTask, Ward } from '@newhms/contracts';
import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useSearchParams } from 'react-router';
import { api } from '../../../app/api-client';
import { useAuth } from '../../../app/auth/auth-context';
import { isConflict } from '../../../ui/conflict';
import { ConflictAlert } from '../../../ui/conflict-alert';
import { type Column, DataTable } from '../../../ui/data-table';
import { useFacilityDate } from '../../../ui/facility-time';
import { PageHeader } from '../../../ui/page-header';
import { ProblemAlert } from '../../../ui/problem-alert';
import { ReasonDialog } from '../../../ui/reason-dialog';
import { TaskCard } from '../components/task-card';
import {
  type TaskAction,
  useAssignableStaff,
  useHousekeepingAction,
  useHousekeepingQueue,
  useTurnaround,
} from '../hooks/use-housekeeping';
import { kindLabels } from '../housekeeping-labels';

type View = 'mine' | 'all' | 'report';

/**
 * Housekeeping on a phone: my tasks and the open queue with big take / start / finish buttons, overdue in red;
 * a supervisor also sees every live task to assign or cancel, and the turnaround report.
 */
export function HousekeepingPage() {
  const { can } = useAuth();
  const supervisor = can('facilities:supervise-housekeeping');
  const [params, setParams] = useSearchParams();
  const requested = params.get('view') as View | null;
  const view: View = supervisor && (requested === 'all' || requested === 'report') ? requested : 'mine';
  return (
    <>
      <PageHeader title="Housekeeping" />
      {supervisor && (
        <Box sx={{ borderBottom: 1, borderColor: 'divider', mb: 2 }}>
          <Tabs
            value={view}
            onChange={(_, v: View) => setParams(v === 'mine' ? {} : { view: v }, { replace: true })}
            variant="fullWidth"
            aria-label="Housekeeping views"
          >
            <Tab value="mine" label="My work" />
            <Tab value="all" label="All tasks" />
            <Tab value="report" label="Turnaround" />
          </Tabs>
        </Box>
      )}
      {view === 'mine' && <MyWork />}
      {view === 'all' && <AllTasks />}
      {view === 'report' && <TurnaroundReport />}
    </>
  );
}

function TaskList({
  label,
  query,
  empty,
  supervise,
}: {
  label: string;
  query: HousekeepingQueueQuery;
  empty: string;
  supervise?: boolean;
}) {
  const { me, facilityId } = useAuth();
  const headingId = useId();
  const tasks = useHousekeepingQueue(query);
  const act = useHousekeepingAction();
  const [cancelling, setCancelling] = useState<HousekeepingTask | null>(null);
  const [assigning, setAssigning] = useState<HousekeepingTask | null>(null);
  const run = (a: TaskAction) => act.mutate(a);
  const items = tasks.data ?? [];
  return (
    <Box component="section" aria-labelledby={headingId} sx={{ mb: 3 }}>
      <Typography id={headingId} variant="h5" component="h2" sx={{ mb: 1.5 }}>
        {label} {tasks.data ? `(${items.length})` : ''}
      </Typography>
      {tasks.isLoading && <LinearProgress aria-label={`Loading ${label}`} />}
      <ProblemAlert error={tasks.error} sx={{ mb: 2 }} />
      {act.error && !cancelling && !assigning && (
        <Box sx={{ mb: 2 }}>
          {isConflict(act.error) ? (
            <ConflictAlert
              onReload={() => {
                act.reset();
                void tasks.refetch();
              }}
            />
          ) : (
            <ProblemAlert error={act.error} />
          )}
        </Box>
      )}
      {items.length === 0 && !tasks.isLoading ? (
        <Typography color="text.secondary">{empty}</Typography>
      ) : (
        <Stack component="ul" spacing={2} sx={{ p: 0, m: 0, listStyle: 'none' }} aria-label={label}>
          {items.map((task) => (
            <TaskCard
              key={task.id}
              task={task}
              userId={me?.id}
              busy={act.isPending}
              onTake={supervise ? undefined : () => run({ action: 'take', task })}
              onStart={supervise ? undefined : () => run({ action: 'start', task })}
              onFinish={supervise ? undefined : () => run({ action: 'finish', task })}
              onAssign={supervise ? () => setAssigning(task) : undefined}
              onCancel={supervise ? () => setCancelling(task) : undefined}
            />
          ))}
        </Stack>
      )}
      <ReasonDialog
        open={cancelling !== null}
        title="Cancel housekeeping task"
        message={cancelling ? `${kindLabels[cancelling.kind]}: ${cancelling.location}` : undefined}
        confirmLabel="Cancel task"
        danger
        busy={act.isPending}
        error={act.error}
        onCancel={() => {
          act.reset();
          setCancelling(null);
        }}
        onConfirm={(reason) =>
          cancelling &&
          act.mutate({ action: 'cancel', task: cancelling, reason }, { onSuccess: () => setCancelling(null) })
        }
      />
      {assigning && (
        <AssignDialog
          task={assigning}
          facilityId={facilityId}
          busy={act.isPending}
          error={act.error}
          onClose={() => {
            act.reset();
            setAssigning(null);
          }}
          onAssign={(userId) =>
            act.mutate({ action: 'assign', task: assigning, userId }, { onSuccess: () => setAssigning(null) })
          }
        />
      )}
    </Box>
  );
}

function MyWork() {
  return (
    <>
      <TaskList
        label="My tasks"
        query={{ mine: 'true' }}
        empty="Nothing assigned to you. Take one from the queue."
      />
      <TaskList label="Open queue" query={{ status: 'open' }} empty="The queue is empty." />
    </>
  );
}

function AllTasks() {
  return <TaskList label="Live tasks" query={{}} empty="No task is waiting." supervise />;
}

function AssignDialog({
  task,
  facilityId,
  busy,
  error,
  onClose,
  onAssign,
}: {
  task: HousekeepingTask;
  facilityId: string | null;
  busy: boolean;
  error: unknown;
  onClose: () => void;
  onAssign: (userId: string) => void;
}) {
  const titleId = useId();
  const staff = useAssignableStaff(facilityId, true);
  const [userId, setUserId] = useState(task.assignedToId ?? '');
  return (
    <Dialog open onClose={onClose} aria-labelledby={titleId} fullWidth maxWidth="xs">
      <DialogTitle id={titleId}>Assign: {task.location}</DialogTitle>
      <DialogContent>
        {
          <TextField
            select
            fullWidth
            label="Staff member"
            value={userId}
            onChange={(e) => setUserId(e.target.value)}
            sx={{ mt: 1 }}
          >
            {(staff.data ?? []).map((u) => (
              <MenuItem key={u.id} value={u.id}>
                {u.displayName}
              </MenuItem>
            ))}
          </TextField>
        }
        <ProblemAlert error={error ?? staff.error} sx={{ mt: 2 }} />
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Back</Button>
        <Button variant="contained" disabled={busy || !userId} onClick={() => onAssign(userId)}>
          Assign
        </Button>
      </DialogActions>
    </Dialog>
  );
}

type TurnaroundRow = {
  wardId: string | null;
  wardName: string | null;
  kind: string;
  count: number;
  medianMinutes: number;
  p90Minutes: number;
};

const reportColumns: Column<TurnaroundRow>[] = [
  { id: 'ward', header: 'Ward', render: (r) => r.wardName ?? 'Outside wards' },
  { id: 'kind', header: 'Kind', render: (r) => kindLabels[r.kind as keyof typeof kindLabels] ?? r.kind },
  { id: 'count', header: 'Tasks', align: 'right', render: (r) => r.count },
  { id: 'median', header: 'Median (min)', align: 'right', render: (r) => Math.round(r.medianMinutes) },
  { id: 'p90', header: '90th percentile (min)', align: 'right', render: (r) => Math.round(r.p90Minutes) },
];

function TurnaroundReport() {
  const [from, setFrom] = useFacilityDate(-6);
  const [to, setTo] = useFacilityDate();
  const [wardId, setWardId] = useState('');
  const wards = useQuery({
    queryKey: ['ipd', 'wards'],
    queryFn: ({ signal }) => api.get<{ items: Ward[] }>('/ipd/wards', { active: true }, signal),
    select: (data) => data.items,
    staleTime: 5 * 60_000,
    retry: false,
  });
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(from) && /^\d{4}-\d{2}-\d{2}$/.test(to);
  const report = useTurnaround({ from, to, ...(wardId ? { wardId } : {}) }, valid);
  return (
    <Stack spacing={2}>
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
        <TextField
          label="From"
          type="date"
          size="small"
          value={from}
          onChange={(e) => setFrom(e.target.value)}
          slotProps={{ inputLabel: { shrink: true } }}
        />
        <TextField
          label="To"
          type="date"
          size="small"
          value={to}
          onChange={(e) => setTo(e.target.value)}
          slotProps={{ inputLabel: { shrink: true } }}
        />
        <TextField
          select
          size="small"
          label="Ward"
          value={wardId}
          onChange={(e) => setWardId(e.target.value)}
          sx={{ minWidth: 180 }}
        >
          <MenuItem value="">All wards</MenuItem>
          {(wards.data ?? []).map((w) => (
            <MenuItem key={w.id} value={w.id}>
              {w.name}
            </MenuItem>
          ))}
        </TextField>
      </Stack>
      <ProblemAlert error={report.error} />
      <DataTable
        label="Turnaround"
        columns={reportColumns}
        rows={report.data?.items ?? []}
        rowKey={(r) => `${r.wardId ?? 'none'}:${r.kind}`}
        loading={report.isLoading}
        emptyText="No task was finished in these days."
      />
      <Typography variant="body2" color="text.secondary">
        Minutes from the request (the bed released) to the finish (the bed clean).
      </Typography>
    </Stack>
  );
}
