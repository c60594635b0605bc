import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import InputAdornment from '@mui/material/InputAdornment';
import LinearProgress from '@mui/material/LinearProgress';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { type Diet, type DietOrder, DietOrderBody, diets } from '@newhms/contracts';
import { type FormEvent, useState } from 'react';
import { useAuth } from '../../../app/auth/auth-context';
import { isConflict } from '../../../ui/conflict';
import { ConflictAlert } from '../../../ui/conflict-alert';
import { type FieldErrors, fieldErrorsFromProblem, validateForm } from '../../../ui/form-validation';
import { formatDateTime, localInputToIso } from '../../../ui/format';
import { ProblemAlert } from '../../../ui/problem-alert';
import { ReasonDialog } from '../../../ui/reason-dialog';
import { usePatient } from '../../patients';
import { dietLabels } from '../diet-labels';
import { useAdmissionDiet, useOrderDiet, useStopDietOrder } from '../hooks/use-dietary';

const statusLabels: Record<DietOrder['status'], string> = {
  active: 'Active',
  replaced: 'Replaced',
  stopped: 'Stopped',
};

/** What an order says, in one line: the diet, its NPO window or feed, and the instructions. */
function describe(o: DietOrder): string {
  const parts = [dietLabels[o.diet]];
  if (o.diet === 'npo') {
    parts.push(
      `from ${formatDateTime(o.npoFrom ?? o.startsAt)} ${o.npoUntil ? `until ${formatDateTime(o.npoUntil)}` : 'until further orders'}`,
    );
  }
  if (o.tubeFeed)
    parts.push(`${o.tubeFeed.formula}, ${o.tubeFeed.volumeMl} ml × ${o.tubeFeed.timesPerDay}/day`);
  return parts.join(' · ');
}

/**
 * The diet of an admission (the chart's Diet tab): the active order with the allergies it carries, a form to
 * order or replace it (NPO window, tube feed, instructions), stopping it with a reason, and the history.
 */
export function DietOrderPanel({ admissionId }: { admissionId: string }) {
  const { can } = useAuth();
  const diet = useAdmissionDiet(admissionId);
  const patient = usePatient(diet.data?.placement.patientId);
  const stop = useStopDietOrder();
  const [stopping, setStopping] = useState(false);
  if (diet.isLoading) return <LinearProgress aria-label="Loading the diet" />;
  if (!diet.data) return <ProblemAlert error={diet.error} />;
  const { active, history, placement } = diet.data;
  const canOrder =
    can('dietary:order') && (placement.status === 'admitted' || placement.status === 'discharge-initiated');
  const allergies = patient.data?.allergies.filter((a) => a.status === 'active') ?? [];

  return (
    <Stack spacing={3}>
      <Paper variant="outlined" component="section" aria-labelledby="diet-now-title" sx={{ p: 2 }}>
        <Typography id="diet-now-title" variant="h6" component="h2" sx={{ mb: 1 }}>
          Diet now
        </Typography>
        {patient.data && (
          <Box sx={{ mb: 2 }} data-testid="diet-allergies">
            {patient.data.allergyState === 'recorded' && allergies.length > 0 ? (
              <Alert severity="error" role="note">
                Allergies:{' '}
                {allergies.map((a) => `${a.substance}${a.severity ? ` (${a.severity})` : ''}`).join(', ')}
              </Alert>
            ) : patient.data.allergyState === 'none-known' ? (
              <Alert severity="info" role="note">
                No known allergies.
              </Alert>
            ) : (
              <Alert severity="warning" role="note">
                Allergies not recorded: ask the patient before the first meal.
              </Alert>
            )}
          </Box>
        )}
        {active ? (
          <Stack spacing={1}>
            <Typography sx={{ fontWeight: 600 }} data-testid="active-diet">
              {describe(active)}
            </Typography>
            {active.instructions && <Typography>Instructions: {active.instructions}</Typography>}
            <Typography variant="body2" color="text.secondary">
              Ordered by {active.orderedByName} · from {formatDateTime(active.startsAt)}
              {active.allergies.length > 0 ? ` · allergies on the order: ${active.allergies.join('; ')}` : ''}
            </Typography>
            {canOrder && (
              <Box>
                <Button
                  color="error"
                  onClick={() => {
                    stop.reset();
                    setStopping(true);
                  }}
                >
                  Stop diet order
                </Button>
              </Box>
            )}
          </Stack>
        ) : (
          <Typography color="text.secondary">No active diet order: the kitchen will ask the ward.</Typography>
        )}
      </Paper>
      {canOrder && (
        <OrderForm
          admissionId={admissionId}
          active={active}
          onReload={() => void diet.refetch()}
          key={active?.id ?? 'none'}
        />
      )}
      {history.length > 0 && (
        <Box>
          <Typography variant="h6" component="h2" sx={{ mb: 1 }}>
            Diet history
          </Typography>
          <Stack component="ol" aria-label="Diet history" spacing={1} sx={{ p: 0, m: 0, listStyle: 'none' }}>
            {history.map((o) => (
              <Paper component="li" variant="outlined" key={o.id} sx={{ p: 1.5 }}>
                <Stack direction="row" spacing={1} sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
                  <Typography sx={{ flexGrow: 1 }}>{describe(o)}</Typography>
                  <Chip
                    size="small"
                    label={statusLabels[o.status]}
                    color={o.status === 'active' ? 'primary' : 'default'}
                  />
                </Stack>
                <Typography variant="body2" color="text.secondary">
                  {o.orderedByName} · {formatDateTime(o.startsAt)}
                  {o.endedAt ? ` – ${formatDateTime(o.endedAt)}` : ''}
                  {o.endReason ? ` · ${o.endReason}` : ''}
                </Typography>
              </Paper>
            ))}
          </Stack>
        </Box>
      )}
      {active && (
        <ReasonDialog
          open={stopping}
          title="Stop diet order"
          message={`${describe(active)}. Without an order the kitchen asks the ward at each meal.`}
          confirmLabel="Stop order"
          danger
          busy={stop.isPending}
          error={stop.error}
          onCancel={() => setStopping(false)}
          onConfirm={(reason) =>
            stop.mutate(
              { id: active.id, reason, version: active.version },
              { onSuccess: () => setStopping(false) },
            )
          }
        />
      )}
    </Stack>
  );
}

type FormValues = {
  diet: Diet;
  npoFrom: string;
  npoUntil: string;
  formula: string;
  volumeMl: string;
  timesPerDay: string;
  instructions: string;
};

function OrderForm({
  admissionId,
  active,
  onReload,
}: {
  admissionId: string;
  active: DietOrder | null;
  onReload: () => void;
}) {
  const order = useOrderDiet(admissionId);
  const [values, setValues] = useState<FormValues>({
    diet: active?.diet ?? 'normal',
    npoFrom: '',
    npoUntil: '',
    formula: active?.tubeFeed?.formula ?? '',
    volumeMl: active?.tubeFeed ? String(active.tubeFeed.volumeMl) : '',
    timesPerDay: active?.tubeFeed ? String(active.tubeFeed.timesPerDay) : '',
    instructions: active?.instructions ?? '',
  });
  const [errors, setErrors] = useState<FieldErrors>({});
  const set = (key: keyof FormValues, value: string) => setValues((v) => ({ ...v, [key]: value }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body: Record<string, unknown> = {
      diet: values.diet,
      instructions: values.instructions,
      replacesOrderId: active?.id ?? null,
    };
    if (values.diet === 'npo') {
      const from = localInputToIso(values.npoFrom);
      if (from) body.npoFrom = from;
      body.npoUntil = localInputToIso(values.npoUntil) ?? null;
    }
    if (values.diet === 'tube-feed') {
      body.tubeFeed = {
        formula: values.formula,
        volumeMl: values.volumeMl.trim() === '' ? Number.NaN : Number(values.volumeMl),
        timesPerDay: values.timesPerDay.trim() === '' ? Number.NaN : Number(values.timesPerDay),
      };
    }
    const checked = validateForm(DietOrderBody, body);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    order.mutate(body as DietOrderBody, { onError: (err) => setErrors(fieldErrorsFromProblem(err)) });
  };

  return (
    <Paper
      variant="outlined"
      component="form"
      noValidate
      onSubmit={submit}
      aria-label="Diet order"
      sx={{ p: 2 }}
    >
      <Typography variant="h6" component="h2" sx={{ mb: 2 }}>
        {active ? 'Replace the diet order' : 'Order a diet'}
      </Typography>
      <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr' } }}>
        <TextField select label="Diet" value={values.diet} onChange={(e) => set('diet', e.target.value)}>
          {diets.map((d) => (
            <MenuItem key={d} value={d}>
              {dietLabels[d]}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          label="Instructions"
          value={values.instructions}
          onChange={(e) => set('instructions', e.target.value)}
          error={!!errors.instructions}
          helperText={errors.instructions ?? 'E.g. no added sugar, 1.5 l fluid a day'}
          slotProps={{ htmlInput: { maxLength: 1000 } }}
        />
        {values.diet === 'npo' && (
          <>
            <TextField
              label="NPO from"
              type="datetime-local"
              value={values.npoFrom}
              onChange={(e) => set('npoFrom', e.target.value)}
              error={!!errors.npoFrom}
              helperText={errors.npoFrom ?? 'Empty: now'}
              slotProps={{ inputLabel: { shrink: true } }}
            />
            <TextField
              label="NPO until"
              type="datetime-local"
              value={values.npoUntil}
              onChange={(e) => set('npoUntil', e.target.value)}
              error={!!errors.npoUntil}
              helperText={errors.npoUntil ?? 'Empty: until further orders'}
              slotProps={{ inputLabel: { shrink: true } }}
            />
          </>
        )}
        {values.diet === 'tube-feed' && (
          <>
            <TextField
              label="Formula"
              value={values.formula}
              onChange={(e) => set('formula', e.target.value)}
              error={!!(errors['tubeFeed.formula'] ?? errors.tubeFeed)}
              helperText={errors['tubeFeed.formula'] ?? errors.tubeFeed ?? ' '}
              slotProps={{ htmlInput: { maxLength: 120 } }}
            />
            <Stack direction="row" spacing={2}>
              <TextField
                label="Volume per feed"
                value={values.volumeMl}
                onChange={(e) => set('volumeMl', e.target.value)}
                error={!!errors['tubeFeed.volumeMl']}
                helperText={errors['tubeFeed.volumeMl'] ?? ' '}
                slotProps={{
                  htmlInput: { inputMode: 'numeric' },
                  input: { endAdornment: <InputAdornment position="end">ml</InputAdornment> },
                }}
              />
              <TextField
                label="Feeds a day"
                value={values.timesPerDay}
                onChange={(e) => set('timesPerDay', e.target.value)}
                error={!!errors['tubeFeed.timesPerDay']}
                helperText={errors['tubeFeed.timesPerDay'] ?? ' '}
                slotProps={{ htmlInput: { inputMode: 'numeric' } }}
              />
            </Stack>
          </>
        )}
      </Box>
      {isConflict(order.error) ? (
        <Box sx={{ mt: 2 }}>
          <ConflictAlert onReload={onReload} />
        </Box>
      ) : (
        <ProblemAlert error={order.error} sx={{ mt: 2 }} />
      )}
      <Button type="submit" variant="contained" sx={{ mt: 2 }} disabled={order.isPending}>
        {active ? 'Replace order' : 'Order diet'}
      </Button>
    </Paper>
  );
}
