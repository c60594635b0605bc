import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import InputAdornment from '@mui/material/InputAdornment';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { type Observation, type VitalSign, VitalsBody } from '@newhms/contracts';
import { type FormEvent, useState } from 'react';
import { type FieldErrors, fieldErrorsFromProblem, validateForm } from '../../../ui/form-validation';
import { formatDateTime } from '../../../ui/format';
import { ProblemAlert } from '../../../ui/problem-alert';
import { useRecordVitals } from '../hooks/use-encounter';
import { interpretationLabels, isFlagged, vitalFields, vitalOf } from '../vital-labels';
import { Section } from './section';

type Props = { encounterId: string; vitals: Observation[]; canRecord: boolean };

type Values = Partial<Record<VitalSign, string>>;

function InterpretationChip({ observation }: { observation: Observation }) {
  if (!observation.interpretation || observation.interpretation === 'N') return null;
  const critical = observation.interpretation.length === 2;
  return (
    <Chip
      size="small"
      color={critical ? 'error' : 'warning'}
      label={observation.interpretation}
      aria-label={interpretationLabels[observation.interpretation]}
      title={interpretationLabels[observation.interpretation]}
      sx={{ ml: 0.5, fontWeight: 700 }}
    />
  );
}

/** One recorded set of vitals: value, unit and flag of each, BMI as the server computed it. */
function VitalsSet({ set }: { set: Observation[] }) {
  const first = set[0];
  if (!first) return null;
  return (
    <Box component="li" sx={{ listStyle: 'none', mb: 1.5 }}>
      <Typography variant="body2" color="text.secondary">
        {formatDateTime(first.effectiveAt)} · {first.recordedBy}
      </Typography>
      <Box sx={{ display: 'flex', flexWrap: 'wrap', columnGap: 2.5, rowGap: 0.5 }}>
        {set.map((o) => {
          const v = vitalOf(o);
          return (
            <Box
              key={o.id}
              component="span"
              data-testid={`vital-${v.key ?? o.code}`}
              sx={{ color: isFlagged(o) ? 'error.main' : undefined, whiteSpace: 'nowrap' }}
            >
              {v.label}: <strong>{o.value ?? o.valueText}</strong> {v.unit}
              <InterpretationChip observation={o} />
            </Box>
          );
        })}
      </Box>
    </Box>
  );
}

export function VitalsSection({ encounterId, vitals, canRecord }: Props) {
  const record = useRecordVitals(encounterId);
  const [values, setValues] = useState<Values>({});
  const [errors, setErrors] = useState<FieldErrors>({});
  const sets = groupSets(vitals);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body: Record<string, number> = {};
    for (const f of vitalFields) {
      const raw = values[f.key]?.trim();
      if (raw) body[f.key] = Number(raw);
    }
    const checked = validateForm(VitalsBody, body);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    record.mutate(body, {
      onSuccess: () => setValues({}),
      onError: (err) => setErrors(fieldErrorsFromProblem(err)),
    });
  };

  return (
    <Section title="Vitals" id="vitals">
      {canRecord && (
        <Box component="form" onSubmit={submit} noValidate aria-label="Record vitals" sx={{ mb: 2 }}>
          <Box
            sx={{
              display: 'grid',
              gap: 2,
              gridTemplateColumns: { xs: '1fr 1fr', sm: 'repeat(4, 1fr)' },
            }}
          >
            {vitalFields.map((f) => (
              <TextField
                key={f.key}
                label={f.label}
                size="small"
                value={values[f.key] ?? ''}
                onChange={(e) => setValues((v) => ({ ...v, [f.key]: e.target.value }))}
                error={!!errors[f.key]}
                helperText={errors[f.key]}
                slotProps={{
                  // A label above the box: next to the unit it would not fit in a narrow column.
                  inputLabel: { shrink: true },
                  htmlInput: { inputMode: 'decimal', step: f.step },
                  input: { endAdornment: <InputAdornment position="end">{f.unit}</InputAdornment> },
                }}
              />
            ))}
          </Box>
          <Stack direction="row" spacing={2} sx={{ mt: 2, alignItems: 'center', flexWrap: 'wrap' }}>
            <Button type="submit" variant="contained" disabled={record.isPending}>
              Record vitals
            </Button>
            <Typography variant="body2" color="text.secondary">
              BMI is worked out from weight and height; values out of range are flagged.
            </Typography>
          </Stack>
          {errors._form && <Typography color="error">{errors._form}</Typography>}
          <ProblemAlert error={record.error} sx={{ mt: 2 }} />
        </Box>
      )}
      {sets.length === 0 ? (
        <Typography color="text.secondary">No vitals recorded in this visit.</Typography>
      ) : (
        <Box component="ul" aria-label="Vitals recorded in this visit" sx={{ p: 0, m: 0 }}>
          {sets.map((set) => (
            <VitalsSet key={set[0]?.id} set={set} />
          ))}
        </Box>
      )}
    </Section>
  );
}

/** Observations recorded together (one effective time), newest set first, in the form's order. */
function groupSets(vitals: Observation[]): Observation[][] {
  const order = new Map(vitalFields.map((f, i) => [f.key as string, i]));
  const sets = new Map<string, Observation[]>();
  for (const o of vitals.filter((v) => v.status !== 'entered-in-error')) {
    const list = sets.get(o.effectiveAt) ?? [];
    list.push(o);
    sets.set(o.effectiveAt, list);
  }
  return [...sets.entries()]
    .sort(([a], [b]) => b.localeCompare(a))
    .map(([, list]) =>
      list.sort((a, b) => (order.get(vitalOf(a).key ?? '') ?? 99) - (order.get(vitalOf(b).key ?? '') ?? 99)),
    );
}
