import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardActions from '@mui/material/CardActions';
import CardContent from '@mui/material/CardContent';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { HousekeepingTask } from '@newhms/contracts';
import { minutesBetween } from '../../../ui/facility-time';
import { kindLabels, statusLabels } from '../housekeeping-labels';

type Props = {
  task: HousekeepingTask;
  /** The signed-in user: their own task shows start and finish. */
  userId: string | undefined;
  busy: boolean;
  onTake?: () => void;
  onStart?: () => void;
  onFinish?: () => void;
  /** Supervisor actions. */
  onAssign?: () => void;
  onCancel?: () => void;
};

/** How late or how soon, in whole minutes: what a phone in a corridor needs to see first. */
export function dueText(task: HousekeepingTask): string {
  const now = Date.now();
  const due = Date.parse(task.dueAt);
  if (task.overdue || due < now) return `Overdue by ${minutesBetween(task.dueAt) ?? 0} min`;
  return `Due in ${Math.max(0, Math.round((due - now) / 60_000))} min`;
}

const big = { minHeight: 56, fontSize: '1.05rem', flex: 1 } as const;

/** One task as a card with big buttons: take, start, finish (and assign, cancel for a supervisor). */
export function TaskCard({ task, userId, busy, onTake, onStart, onFinish, onAssign, onCancel }: Props) {
  const mine = task.assignedToId === userId;
  const overdue = task.overdue || Date.parse(task.dueAt) < Date.now();
  const canTake = task.status === 'open' && onTake;
  const canStart = (task.status === 'open' || (task.status === 'assigned' && mine)) && onStart;
  const canFinish = task.status === 'in-progress' && mine && onFinish;
  return (
    <Card
      component="li"
      variant="outlined"
      aria-label={`${kindLabels[task.kind]}: ${task.location}`}
      sx={{ borderColor: overdue ? 'error.main' : undefined, borderWidth: overdue ? 2 : 1 }}
      data-testid="housekeeping-task"
    >
      <CardContent sx={{ pb: 1 }}>
        <Typography variant="h6" component="h3" sx={{ lineHeight: 1.3 }}>
          {task.location}
        </Typography>
        <Stack direction="row" spacing={1} sx={{ my: 1, flexWrap: 'wrap', rowGap: 1 }}>
          <Chip
            size="small"
            label={kindLabels[task.kind]}
            color={task.kind === 'terminal-cleaning' ? 'secondary' : 'default'}
          />
          {task.priority === 'urgent' && <Chip size="small" color="error" label="Urgent" />}
          <Chip size="small" variant="outlined" label={statusLabels[task.status]} data-testid="task-status" />
        </Stack>
        <Typography
          sx={{ fontWeight: 700, color: overdue ? 'error.main' : 'text.primary' }}
          data-testid="task-due"
        >
          {dueText(task)}
        </Typography>
        {task.assignedToName && (
          <Typography variant="body2" color="text.secondary">
            {task.status === 'in-progress' ? 'Being done by' : 'Assigned to'}{' '}
            {mine ? 'you' : task.assignedToName}
          </Typography>
        )}
        {task.note && (
          <Typography variant="body2" sx={{ mt: 0.5 }}>
            {task.note}
          </Typography>
        )}
      </CardContent>
      {(canTake || canStart || canFinish || onAssign || onCancel) && (
        <CardActions sx={{ px: 2, pb: 2, gap: 1, flexWrap: 'wrap' }} disableSpacing>
          <Box sx={{ display: 'flex', gap: 1, width: '100%' }}>
            {canTake && (
              <Button variant="outlined" size="large" sx={big} disabled={busy} onClick={onTake}>
                Take
              </Button>
            )}
            {canStart && (
              <Button variant="contained" size="large" sx={big} disabled={busy} onClick={onStart}>
                Start
              </Button>
            )}
            {canFinish && (
              <Button
                variant="contained"
                color="success"
                size="large"
                sx={big}
                disabled={busy}
                onClick={onFinish}
              >
                Finish
              </Button>
            )}
          </Box>
          {(onAssign || onCancel) && (
            <Box sx={{ display: 'flex', gap: 1, width: '100%' }}>
              {onAssign && task.status !== 'in-progress' && (
                <Button size="large" sx={big} variant="outlined" disabled={busy} onClick={onAssign}>
                  Assign
                </Button>
              )}
              {onCancel && (
                <Button size="large" sx={big} color="error" disabled={busy} onClick={onCancel}>
                  Cancel task
                </Button>
              )}
            </Box>
          )}
        </CardActions>
      )}
    </Card>
  );
}
