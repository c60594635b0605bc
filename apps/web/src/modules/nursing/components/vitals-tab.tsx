import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import FormControlLabel from '@mui/material/FormControlLabel';
import InputAdornment from '@mui/material/InputAdornment';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import Switch from '@mui/material/Switch';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { LineChart } from '@mui/x-charts/LineChart';
import {
  type ChartedVitals,
  type ConsciousnessLevel,
  consciousnessLevels,
  type FlowSheet,
  VitalsBody,
} from '@newhms/contracts';
import { type FormEvent, useId, useMemo, useState } from 'react';
import { ChartDataTable } from '../../../ui/chart-data-table';
import { type FieldErrors, fieldErrorsFromProblem, validateForm } from '../../../ui/form-validation';
import { formatDateTime } from '../../../ui/format';
import { ProblemAlert } from '../../../ui/problem-alert';
import { useChartVitals, useFlowSheet } from '../hooks/use-nursing';
import { consciousnessLabels, riskLabels } from '../nursing-labels';
import { News2Badge } from './news2-badge';

const numericFields = [
  { key: 'respiratoryRate', label: 'Respiratory rate', unit: '/min', step: '1' },
  { key: 'spo2', label: 'SpO₂', unit: '%', step: '1' },
  { key: 'systolic', label: 'BP systolic', unit: 'mmHg', step: '1' },
  { key: 'diastolic', label: 'BP diastolic', unit: 'mmHg', step: '1' },
  { key: 'heartRate', label: 'Pulse', unit: '/min', step: '1' },
  { key: 'temperature', label: 'Temperature', unit: '°C', step: '0.1' },
] as const;
type NumericKey = (typeof numericFields)[number]['key'];

type Values = Partial<Record<NumericKey | 'oxygenFlowRate', string>> & {
  consciousness: ConsciousnessLevel | '';
  onOxygen: boolean;
};
const empty: Values = { consciousness: '', onOxygen: false };

/** The vitals of the stay: a NEWS2 entry form, the flow sheet (time x parameter) and trend charts. */
export function VitalsTab({ admissionId, canChart }: { admissionId: string; canChart: boolean }) {
  const flow = useFlowSheet(admissionId);
  return (
    <Stack spacing={3}>
      {canChart && <VitalsForm admissionId={admissionId} />}
      <ProblemAlert error={flow.error} />
      {flow.data && <FlowSheetTable sheet={flow.data} />}
      {flow.data && <VitalsTrends sheet={flow.data} />}
    </Stack>
  );
}

function VitalsForm({ admissionId }: { admissionId: string }) {
  const chart = useChartVitals(admissionId);
  const [values, setValues] = useState<Values>(empty);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [result, setResult] = useState<ChartedVitals | null>(null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body: Record<string, unknown> = {};
    for (const f of numericFields) {
      const raw = values[f.key]?.trim();
      if (raw) body[f.key] = Number(raw);
    }
    if (values.consciousness) body.consciousness = values.consciousness;
    body.supplementalOxygen = values.onOxygen;
    const flowRate = values.oxygenFlowRate?.trim();
    if (values.onOxygen && flowRate) body.oxygenFlowRate = Number(flowRate);
    const checked = validateForm(VitalsBody, body);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    chart.mutate(checked.data, {
      onSuccess: (charted) => {
        setResult(charted);
        setValues(empty);
      },
      onError: (err) => setErrors(fieldErrorsFromProblem(err)),
    });
  };

  return (
    <Paper variant="outlined" component="section" aria-labelledby="chart-vitals-title" sx={{ p: 2 }}>
      <Typography id="chart-vitals-title" variant="h6" component="h2" sx={{ mb: 2 }}>
        Chart vitals
      </Typography>
      <Box component="form" onSubmit={submit} noValidate aria-label="Chart vitals">
        <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr 1fr', sm: 'repeat(4, 1fr)' } }}>
          {numericFields.map((f) => (
            <TextField
              key={f.key}
              label={f.label}
              size="small"
              value={values[f.key] ?? ''}
              onChange={(e) => setValues((v) => ({ ...v, [f.key]: e.target.value }))}
              error={!!errors[f.key]}
              helperText={errors[f.key]}
              slotProps={{
                inputLabel: { shrink: true },
                htmlInput: { inputMode: 'decimal', step: f.step },
                input: { endAdornment: <InputAdornment position="end">{f.unit}</InputAdornment> },
              }}
            />
          ))}
          <TextField
            select
            size="small"
            label="Consciousness (ACVPU)"
            value={values.consciousness}
            onChange={(e) =>
              setValues((v) => ({ ...v, consciousness: e.target.value as ConsciousnessLevel }))
            }
            error={!!errors.consciousness}
            helperText={errors.consciousness}
            slotProps={{ inputLabel: { shrink: true } }}
          >
            <MenuItem value="">
              <em>Not assessed</em>
            </MenuItem>
            {consciousnessLevels.map((c) => (
              <MenuItem key={c} value={c}>
                {consciousnessLabels[c]}
              </MenuItem>
            ))}
          </TextField>
          <FormControlLabel
            control={
              <Switch
                checked={values.onOxygen}
                onChange={(e) => setValues((v) => ({ ...v, onOxygen: e.target.checked }))}
              />
            }
            label="On oxygen"
          />
          {values.onOxygen && (
            <TextField
              label="Oxygen flow"
              size="small"
              value={values.oxygenFlowRate ?? ''}
              onChange={(e) => setValues((v) => ({ ...v, oxygenFlowRate: e.target.value }))}
              error={!!errors.oxygenFlowRate}
              helperText={errors.oxygenFlowRate}
              slotProps={{
                inputLabel: { shrink: true },
                htmlInput: { inputMode: 'decimal', step: '0.5' },
                input: { endAdornment: <InputAdornment position="end">L/min</InputAdornment> },
              }}
            />
          )}
        </Box>
        <Stack direction="row" spacing={2} sx={{ mt: 2, alignItems: 'center', flexWrap: 'wrap' }}>
          <Button type="submit" variant="contained" disabled={chart.isPending}>
            Chart vitals
          </Button>
          <Typography variant="body2" color="text.secondary">
            NEWS2 is worked out from respiration, SpO₂, oxygen, systolic BP, pulse, consciousness and
            temperature.
          </Typography>
        </Stack>
        {errors._form && <Typography color="error">{errors._form}</Typography>}
        <ProblemAlert error={chart.error} sx={{ mt: 2 }} />
        {result && (
          <Alert severity="success" role="status" sx={{ mt: 2 }} data-testid="charted-news2">
            Charted. NEWS2 {result.news2.score}
            {result.news2.complete ? '' : ' (partial)'}: {riskLabels[result.news2.risk]}.{' '}
            {result.news2.monitoring}.
            {result.news2.missing.length > 0 && ` Not recorded: ${result.news2.missing.join(', ')}.`}
          </Alert>
        )}
      </Box>
    </Paper>
  );
}

function cellText(cell: FlowSheet['rows'][number]['values'][string] | undefined, key: string): string {
  if (!cell) return '';
  if (key === 'consciousness' && cell.text) {
    return consciousnessLabels[cell.text as ConsciousnessLevel]?.slice(0, 1) ?? cell.text;
  }
  if (key === 'supplementalOxygen') {
    // Stored as the inhaled flow: 0 (with 'room air') on air, the L/min or null on oxygen.
    if (cell.value === 0 || cell.text === 'room air') return 'Air';
    return cell.value === null ? 'O₂' : `O₂ ${cell.value} L/min`;
  }
  return cell.value !== null ? String(cell.value) : (cell.text ?? '');
}

/** Time down the side, parameters across, NEWS2 at the end of each row; newest set on top. */
function FlowSheetTable({ sheet }: { sheet: FlowSheet }) {
  const rows = [...sheet.rows].reverse();
  return (
    <Box>
      <Typography variant="h6" component="h2" sx={{ mb: 1 }}>
        Flow sheet
      </Typography>
      {/* Wider than a tablet: it scrolls sideways, so it takes focus for keyboard scrolling. */}
      <TableContainer
        component={Paper}
        variant="outlined"
        sx={{ overflowX: 'auto' }}
        tabIndex={0}
        role="region"
        aria-label="Flow sheet, scrolls sideways"
      >
        <Table size="small" aria-label="Vitals flow sheet">
          <TableHead>
            <TableRow>
              <TableCell sx={{ fontWeight: 600, whiteSpace: 'nowrap' }}>Time</TableCell>
              {sheet.columns.map((c) => (
                <TableCell key={c.key} sx={{ fontWeight: 600, whiteSpace: 'nowrap' }} align="right">
                  {c.label}
                </TableCell>
              ))}
              <TableCell sx={{ fontWeight: 600 }}>NEWS2</TableCell>
              <TableCell sx={{ fontWeight: 600, whiteSpace: 'nowrap' }}>By</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {rows.map((r) => (
              <TableRow key={r.groupId}>
                <TableCell sx={{ whiteSpace: 'nowrap' }}>{formatDateTime(r.effectiveAt)}</TableCell>
                {sheet.columns.map((c) => {
                  const cell = r.values[c.key];
                  const flagged = !!cell?.interpretation && cell.interpretation !== 'N';
                  return (
                    <TableCell
                      key={c.key}
                      align="right"
                      sx={{
                        color: flagged ? 'error.main' : undefined,
                        fontWeight: flagged ? 700 : undefined,
                      }}
                    >
                      {cellText(cell, c.key)}
                      {flagged && (
                        <Box component="span" sx={{ ml: 0.5 }}>
                          ({cell?.interpretation})
                        </Box>
                      )}
                    </TableCell>
                  );
                })}
                <TableCell>
                  {r.news2 && (
                    <Stack direction="row" spacing={0.5} sx={{ alignItems: 'center' }}>
                      <News2Badge score={r.news2.score} risk={r.news2.risk} complete={r.news2.complete} />
                      {r.news2.escalation === 'alerted' && (
                        <Chip size="small" variant="outlined" label="Alerted" />
                      )}
                      {r.news2.escalation === 'acknowledged' && (
                        <Chip size="small" variant="outlined" label="Acknowledged" />
                      )}
                    </Stack>
                  )}
                </TableCell>
                <TableCell sx={{ whiteSpace: 'nowrap' }}>{r.recordedBy}</TableCell>
              </TableRow>
            ))}
            {rows.length === 0 && (
              <TableRow>
                <TableCell colSpan={sheet.columns.length + 3}>
                  <Typography color="text.secondary">No vitals charted in the last 72 hours.</Typography>
                </TableCell>
              </TableRow>
            )}
          </TableBody>
        </Table>
      </TableContainer>
    </Box>
  );
}

const trendChoices = [
  { id: 'news2', label: 'NEWS2', series: ['news2'] },
  { id: 'bp', label: 'Blood pressure', series: ['systolic', 'diastolic'] },
  { id: 'pulse', label: 'Pulse', series: ['heartRate'] },
  { id: 'respiration', label: 'Respiratory rate', series: ['respiratoryRate'] },
  { id: 'spo2', label: 'SpO₂', series: ['spo2'] },
  { id: 'temperature', label: 'Temperature', series: ['temperature'] },
] as const;

const shortTime = new Intl.DateTimeFormat(undefined, {
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
});

/** One parameter (or NEWS2) over the stay, with the same values in a table for screen readers. */
function VitalsTrends({ sheet }: { sheet: FlowSheet }) {
  const [choice, setChoice] = useState<(typeof trendChoices)[number]['id']>('news2');
  const captionId = useId();
  const selected = trendChoices.find((c) => c.id === choice) ?? trendChoices[0];
  const labelOf = (key: string) =>
    key === 'news2' ? 'NEWS2' : (sheet.columns.find((c) => c.key === key)?.label ?? key);
  const points = useMemo(() => {
    const byTime = new Map<string, (number | null)[]>();
    selected.series.forEach((key, i) => {
      for (const p of sheet.trend[key] ?? []) {
        const row = byTime.get(p.at) ?? selected.series.map(() => null);
        row[i] = p.value;
        byTime.set(p.at, row);
      }
    });
    return [...byTime.entries()]
      .map(([at, values]) => ({ at: new Date(at), values }))
      .sort((a, b) => a.at.getTime() - b.at.getTime());
  }, [sheet, selected]);

  return (
    <Box component="figure" aria-labelledby={captionId} sx={{ m: 0 }}>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mb: 1 }}>
        <Typography id={captionId} component="figcaption" variant="h6" sx={{ flexGrow: 1 }}>
          Trend
        </Typography>
        <TextField
          select
          size="small"
          label="Show"
          value={choice}
          onChange={(e) => setChoice(e.target.value as typeof choice)}
          sx={{ minWidth: 170 }}
        >
          {trendChoices.map((c) => (
            <MenuItem key={c.id} value={c.id}>
              {c.label}
            </MenuItem>
          ))}
        </TextField>
      </Box>
      {points.length === 0 ? (
        <Typography color="text.secondary" variant="body2">
          No {selected.label} charted yet.
        </Typography>
      ) : (
        <>
          <Box data-testid="nursing-trend-chart">
            <LineChart
              height={220}
              skipAnimation
              margin={{ left: 0, right: 8, top: 8, bottom: 0 }}
              xAxis={[
                {
                  data: points.map((p) => p.at),
                  scaleType: points.length > 1 ? 'time' : 'point',
                  valueFormatter: (d: Date) => shortTime.format(d),
                },
              ]}
              yAxis={[{ width: 40 }]}
              series={selected.series.map((key, i) => ({
                data: points.map((p) => p.values[i] ?? null),
                label: labelOf(key),
                connectNulls: true,
                showMark: true,
              }))}
              hideLegend={selected.series.length < 2}
            />
          </Box>
          <ChartDataTable
            caption={`${selected.label}, oldest first`}
            series={selected.series}
            labelOf={labelOf}
            points={points}
          />
        </>
      )}
    </Box>
  );
}
