import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { CarePlanItem } from '@newhms/contracts';
import { type FormEvent, useState } from 'react';
import { isConflict } from '../../../ui/conflict';
import { ConflictAlert } from '../../../ui/conflict-alert';
import { formatDateTime } from '../../../ui/format';
import { ProblemAlert } from '../../../ui/problem-alert';
import { ReasonDialog } from '../../../ui/reason-dialog';
import { useAddCarePlanItem, useCarePlan, useChangeCarePlanItem } from '../hooks/use-nursing';

const statusLabels: Record<CarePlanItem['status'], string> = {
  active: 'Active',
  resolved: 'Resolved',
  'entered-in-error': 'Entered in error',
};

const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

/** The nursing care plan: problems with a goal and interventions; evaluated, resolved or struck out. */
export function CarePlanTab({ admissionId, canChart }: { admissionId: string; canChart: boolean }) {
  const plan = useCarePlan(admissionId);
  const items = plan.data ?? [];
  return (
    <Stack spacing={3}>
      {canChart && <NewProblem admissionId={admissionId} />}
      <ProblemAlert error={plan.error} />
      {items.length === 0 && !plan.isLoading && (
        <Typography color="text.secondary">No care plan yet.</Typography>
      )}
      <Stack component="ul" aria-label="Care plan" spacing={2} sx={{ p: 0, m: 0, listStyle: 'none' }}>
        {items.map((item) => (
          <CarePlanCard key={item.id} item={item} canChart={canChart} onReload={() => void plan.refetch()} />
        ))}
      </Stack>
    </Stack>
  );
}

function NewProblem({ admissionId }: { admissionId: string }) {
  const add = useAddCarePlanItem(admissionId);
  const [problem, setProblem] = useState('');
  const [goal, setGoal] = useState('');
  const [interventions, setInterventions] = useState('');
  const [tried, setTried] = useState(false);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (!problem.trim() || !goal.trim() || lines(interventions).length === 0) return;
    add.mutate(
      { problem: problem.trim(), goal: goal.trim(), interventions: lines(interventions) },
      {
        onSuccess: () => {
          setProblem('');
          setGoal('');
          setInterventions('');
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
      aria-label="New care plan problem"
      sx={{ p: 2 }}
    >
      <Typography variant="h6" component="h2" sx={{ mb: 2 }}>
        Add a problem
      </Typography>
      <Stack spacing={2}>
        <TextField
          label="Problem (nursing diagnosis)"
          value={problem}
          onChange={(e) => setProblem(e.target.value)}
          error={tried && !problem.trim()}
          helperText={tried && !problem.trim() ? 'Name the problem' : ' '}
          slotProps={{ htmlInput: { maxLength: 500 } }}
        />
        <TextField
          label="Goal"
          value={goal}
          onChange={(e) => setGoal(e.target.value)}
          error={tried && !goal.trim()}
          helperText={tried && !goal.trim() ? 'Say what the care aims at' : ' '}
          slotProps={{ htmlInput: { maxLength: 1000 } }}
        />
        <TextField
          label="Interventions (one a line)"
          multiline
          minRows={3}
          value={interventions}
          onChange={(e) => setInterventions(e.target.value)}
          error={tried && lines(interventions).length === 0}
          helperText={tried && lines(interventions).length === 0 ? 'At least one intervention' : ' '}
        />
        <ProblemAlert error={add.error} />
        <div>
          <Button type="submit" variant="contained" disabled={add.isPending}>
            Add to care plan
          </Button>
        </div>
      </Stack>
    </Paper>
  );
}

function CarePlanCard({
  item,
  canChart,
  onReload,
}: {
  item: CarePlanItem;
  canChart: boolean;
  onReload: () => void;
}) {
  const change = useChangeCarePlanItem();
  const [mode, setMode] = useState<'view' | 'evaluate' | 'resolve' | 'error'>('view');
  const [evaluation, setEvaluation] = useState('');
  const active = item.status === 'active';
  const submitEvaluation = (e: FormEvent) => {
    e.preventDefault();
    if (!evaluation.trim()) return;
    change.mutate(
      mode === 'resolve'
        ? { kind: 'resolve', id: item.id, body: { evaluation: evaluation.trim(), version: item.version } }
        : { kind: 'update', id: item.id, body: { evaluation: evaluation.trim(), version: item.version } },
      { onSuccess: () => setMode('view') },
    );
  };
  return (
    <Paper
      component="li"
      variant="outlined"
      sx={{ p: 2, opacity: item.status === 'entered-in-error' ? 0.7 : 1 }}
    >
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mb: 1, flexWrap: 'wrap' }}>
        <Typography variant="subtitle1" component="h3" sx={{ fontWeight: 600, flexGrow: 1 }}>
          {item.problem}
        </Typography>
        <Chip size="small" label={statusLabels[item.status]} color={active ? 'primary' : 'default'} />
      </Stack>
      <Typography>
        <strong>Goal:</strong> {item.goal}
      </Typography>
      <Typography component="div">
        <strong>Interventions:</strong>
        <ul style={{ margin: '4px 0' }}>
          {item.interventions.map((i) => (
            <li key={i}>{i}</li>
          ))}
        </ul>
      </Typography>
      {item.evaluation && (
        <Typography>
          <strong>Evaluation:</strong> {item.evaluation}
        </Typography>
      )}
      <Typography variant="body2" color="text.secondary">
        {item.recordedBy} · {formatDateTime(item.recordedAt)}
        {item.updatedAt !== item.recordedAt ? ` · updated ${formatDateTime(item.updatedAt)}` : ''}
      </Typography>
      {canChart && active && mode === 'view' && (
        <Stack direction="row" spacing={1} sx={{ mt: 1, flexWrap: 'wrap' }}>
          <Button
            size="small"
            onClick={() => {
              setEvaluation(item.evaluation ?? '');
              change.reset();
              setMode('evaluate');
            }}
          >
            Evaluate
          </Button>
          <Button
            size="small"
            onClick={() => {
              setEvaluation('');
              change.reset();
              setMode('resolve');
            }}
          >
            Resolve
          </Button>
          <Button
            size="small"
            color="error"
            onClick={() => {
              change.reset();
              setMode('error');
            }}
          >
            Entered in error
          </Button>
        </Stack>
      )}
      {(mode === 'evaluate' || mode === 'resolve') && (
        <Stack component="form" noValidate onSubmit={submitEvaluation} spacing={1} sx={{ mt: 2 }}>
          <TextField
            label={mode === 'resolve' ? 'Evaluation at resolution' : 'Evaluation'}
            multiline
            minRows={2}
            value={evaluation}
            onChange={(e) => setEvaluation(e.target.value)}
            slotProps={{ htmlInput: { maxLength: 2000 } }}
          />
          {isConflict(change.error) ? (
            <ConflictAlert
              onReload={() => {
                setMode('view');
                onReload();
              }}
            />
          ) : (
            <ProblemAlert error={change.error} />
          )}
          <Stack direction="row" spacing={1}>
            <Button
              type="submit"
              variant="contained"
              size="small"
              disabled={change.isPending || !evaluation.trim()}
            >
              {mode === 'resolve' ? 'Resolve' : 'Save evaluation'}
            </Button>
            <Button size="small" onClick={() => setMode('view')}>
              Back
            </Button>
          </Stack>
        </Stack>
      )}
      <ReasonDialog
        open={mode === 'error'}
        title="Care plan problem entered in error"
        message="The problem stays in the record, struck out, with your reason."
        confirmLabel="Mark entered in error"
        danger
        busy={change.isPending}
        error={change.error}
        onCancel={() => setMode('view')}
        onConfirm={(reason) =>
          change.mutate(
            { kind: 'error', id: item.id, body: { reason, version: item.version } },
            { onSuccess: () => setMode('view') },
          )
        }
      />
    </Paper>
  );
}
