import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import InputAdornment from '@mui/material/InputAdornment';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Typography from '@mui/material/Typography';
import { IntakeOutputBody, type IntakeOutputChart, intakeRoutes, outputRoutes } from '@newhms/contracts';
import { type FormEvent, useState } from 'react';
import { addDays } from '../../../ui/facility-time';
import { type FieldErrors, fieldErrorsFromProblem, validateForm } from '../../../ui/form-validation';
import { formatDateTime, localInputToIso } from '../../../ui/format';
import { ProblemAlert } from '../../../ui/problem-alert';
import { ReasonDialog } from '../../../ui/reason-dialog';
import { useIntakeOutput, useIntakeOutputInError, useRecordIntakeOutput } from '../hooks/use-nursing';
import { formatBalance, ioRouteLabels, shiftLabels } from '../nursing-labels';

type Direction = 'intake' | 'output';

/** The intake/output chart of a nursing day (08:00 to 08:00): entries, shift totals and the 24 h balance. */
export function IntakeOutputTab({ admissionId, canChart }: { admissionId: string; canChart: boolean }) {
  const [date, setDate] = useState<string | undefined>(undefined);
  const chart = useIntakeOutput(admissionId, date);
  const shown = chart.data?.date;
  return (
    <Stack spacing={3}>
      {canChart && <IntakeOutputForm admissionId={admissionId} />}
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
        <Typography variant="h6" component="h2" sx={{ flexGrow: 1 }}>
          Nursing day {shown ?? ''}
        </Typography>
        <Button disabled={!shown} onClick={() => shown && setDate(addDays(shown, -1))}>
          Previous day
        </Button>
        <Button disabled={!date} onClick={() => setDate(undefined)}>
          Today
        </Button>
      </Stack>
      <ProblemAlert error={chart.error} />
      {chart.data && <IoTotalsTable chart={chart.data} />}
      {chart.data && <IoEntries chart={chart.data} canChart={canChart} />}
    </Stack>
  );
}

function IntakeOutputForm({ admissionId }: { admissionId: string }) {
  const record = useRecordIntakeOutput(admissionId);
  const [direction, setDirection] = useState<Direction>('intake');
  const [route, setRoute] = useState<string>('oral');
  const [volume, setVolume] = useState('');
  const [note, setNote] = useState('');
  const [at, setAt] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const routes: readonly string[] = direction === 'intake' ? intakeRoutes : outputRoutes;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body = {
      direction,
      route,
      volumeMl: volume.trim() === '' ? Number.NaN : Number(volume),
      note: note.trim() || null,
      effectiveAt: localInputToIso(at),
    };
    const checked = validateForm(IntakeOutputBody, body);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    record.mutate(checked.data, {
      onSuccess: () => {
        setVolume('');
        setNote('');
        setAt('');
      },
      onError: (err) => setErrors(fieldErrorsFromProblem(err)),
    });
  };

  return (
    <Paper variant="outlined" component="section" aria-labelledby="io-form-title" sx={{ p: 2 }}>
      <Typography id="io-form-title" variant="h6" component="h2" sx={{ mb: 2 }}>
        Record intake or output
      </Typography>
      <Box component="form" noValidate onSubmit={submit} aria-label="Record intake or output">
        <ToggleButtonGroup
          exclusive
          value={direction}
          onChange={(_, v: Direction | null) => {
            if (!v) return;
            setDirection(v);
            setRoute(v === 'intake' ? 'oral' : 'urine');
          }}
          aria-label="Intake or output"
          size="small"
          sx={{ mb: 2 }}
        >
          <ToggleButton value="intake">Intake</ToggleButton>
          <ToggleButton value="output">Output</ToggleButton>
        </ToggleButtonGroup>
        <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', sm: 'repeat(4, 1fr)' } }}>
          <TextField
            select
            size="small"
            label="Route"
            value={route}
            onChange={(e) => setRoute(e.target.value)}
            error={!!errors.route}
            helperText={errors.route}
          >
            {routes.map((r) => (
              <MenuItem key={r} value={r}>
                {ioRouteLabels[r] ?? r}
              </MenuItem>
            ))}
          </TextField>
          <TextField
            size="small"
            label="Volume"
            value={volume}
            onChange={(e) => setVolume(e.target.value)}
            error={!!errors.volumeMl}
            helperText={errors.volumeMl}
            slotProps={{
              htmlInput: { inputMode: 'numeric' },
              input: { endAdornment: <InputAdornment position="end">ml</InputAdornment> },
            }}
          />
          <TextField
            size="small"
            label="When"
            type="datetime-local"
            value={at}
            onChange={(e) => setAt(e.target.value)}
            helperText={errors.effectiveAt ?? 'Empty: now'}
            error={!!errors.effectiveAt}
            slotProps={{ inputLabel: { shrink: true } }}
          />
          <TextField
            size="small"
            label="Note"
            value={note}
            onChange={(e) => setNote(e.target.value)}
            slotProps={{ htmlInput: { maxLength: 500 } }}
          />
        </Box>
        <Button type="submit" variant="contained" sx={{ mt: 2 }} disabled={record.isPending}>
          Record {direction}
        </Button>
        <ProblemAlert error={record.error} sx={{ mt: 2 }} />
      </Box>
    </Paper>
  );
}

function IoTotalsTable({ chart }: { chart: IntakeOutputChart }) {
  return (
    <TableContainer component={Paper} variant="outlined">
      <Table size="small" aria-label="Intake and output totals">
        <TableHead>
          <TableRow>
            <TableCell sx={{ fontWeight: 600 }}>Period</TableCell>
            <TableCell sx={{ fontWeight: 600 }} align="right">
              Intake
            </TableCell>
            <TableCell sx={{ fontWeight: 600 }} align="right">
              Output
            </TableCell>
            <TableCell sx={{ fontWeight: 600 }} align="right">
              Balance
            </TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {chart.shifts.map((s) => (
            <TableRow key={s.shift}>
              <TableCell>{shiftLabels[s.shift]} shift</TableCell>
              <TableCell align="right">{s.totals.intakeMl.toLocaleString()} ml</TableCell>
              <TableCell align="right">{s.totals.outputMl.toLocaleString()} ml</TableCell>
              <TableCell align="right">{formatBalance(s.totals.balanceMl)}</TableCell>
            </TableRow>
          ))}
          <TableRow sx={{ '& td': { fontWeight: 700 } }}>
            <TableCell>24 hours</TableCell>
            <TableCell align="right" data-testid="io-day-intake">
              {chart.day.intakeMl.toLocaleString()} ml
            </TableCell>
            <TableCell align="right" data-testid="io-day-output">
              {chart.day.outputMl.toLocaleString()} ml
            </TableCell>
            <TableCell
              align="right"
              data-testid="io-day-balance"
              sx={{ color: chart.day.balanceMl < 0 ? 'error.main' : undefined }}
            >
              {formatBalance(chart.day.balanceMl)}
            </TableCell>
          </TableRow>
        </TableBody>
      </Table>
    </TableContainer>
  );
}

function IoEntries({ chart, canChart }: { chart: IntakeOutputChart; canChart: boolean }) {
  const inError = useIntakeOutputInError();
  const [striking, setStriking] = useState<string | null>(null);
  const entries = [...chart.entries].reverse();
  return (
    <>
      <TableContainer
        component={Paper}
        variant="outlined"
        sx={{ overflowX: 'auto' }}
        tabIndex={0}
        role="region"
        aria-label="Entries, scroll sideways on a narrow screen"
      >
        <Table size="small" aria-label="Intake and output entries">
          <TableHead>
            <TableRow>
              {['Time', 'Shift', 'In / out', 'Route', 'Volume', 'Note', 'By', 'Actions'].map((h) => (
                <TableCell key={h} sx={{ fontWeight: 600, whiteSpace: 'nowrap' }}>
                  {h}
                </TableCell>
              ))}
            </TableRow>
          </TableHead>
          <TableBody>
            {entries.map((e) => {
              const struck = e.status === 'entered-in-error';
              return (
                <TableRow key={e.id} sx={struck ? { '& td': { color: 'text.secondary' } } : undefined}>
                  <TableCell sx={{ whiteSpace: 'nowrap' }}>{formatDateTime(e.effectiveAt)}</TableCell>
                  <TableCell>{shiftLabels[e.shift]}</TableCell>
                  <TableCell>{e.direction === 'intake' ? 'Intake' : 'Output'}</TableCell>
                  <TableCell>{ioRouteLabels[e.route] ?? e.route}</TableCell>
                  <TableCell
                    sx={{ textDecoration: struck ? 'line-through' : undefined, whiteSpace: 'nowrap' }}
                  >
                    {e.volumeMl.toLocaleString()} ml
                  </TableCell>
                  <TableCell>
                    {e.note}
                    {struck && (
                      <Chip size="small" label={`Entered in error: ${e.errorReason ?? ''}`} sx={{ ml: 1 }} />
                    )}
                  </TableCell>
                  <TableCell>{e.recordedBy}</TableCell>
                  <TableCell>
                    {canChart && !struck && (
                      <Button size="small" onClick={() => setStriking(e.id)}>
                        Entered in error
                      </Button>
                    )}
                  </TableCell>
                </TableRow>
              );
            })}
            {entries.length === 0 && (
              <TableRow>
                <TableCell colSpan={8}>
                  <Typography color="text.secondary">Nothing charted this nursing day.</Typography>
                </TableCell>
              </TableRow>
            )}
          </TableBody>
        </Table>
      </TableContainer>
      <ReasonDialog
        open={striking !== null}
        title="I/O entry entered in error"
        message="The entry stays on the chart, struck out, and stops counting in the totals."
        confirmLabel="Mark entered in error"
        danger
        busy={inError.isPending}
        error={inError.error}
        onCancel={() => setStriking(null)}
        onConfirm={(reason) =>
          striking && inError.mutate({ id: striking, reason }, { onSuccess: () => setStriking(null) })
        }
      />
    </>
  );
}
