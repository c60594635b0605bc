import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import { doseUnits, type FormularyItem, frequencies, instructionsList } from '@newhms/contracts';
import { type FormEvent, useId, useState } from 'react';
import {
  type DraftLine,
  type LineForm as LineFormValues,
  newLineForm,
  type Setting,
  validateLine,
} from '../prescription-draft';
import { frequencyLabels, instructionLabels, routes } from '../prescription-labels';
import { FormularySearch } from './formulary-search';

type Props = { setting: Setting; onAdd: (line: Omit<DraftLine, 'key'>) => void };

/** One medicine for the draft: the product, dose, route, frequency, course, instructions and quantity. */
export function LineForm({ setting, onAdd }: Props) {
  const routeList = useId();
  const [medicine, setMedicine] = useState<FormularyItem | null>(null);
  const [form, setForm] = useState<LineFormValues | null>(null);
  const [errors, setErrors] = useState<Partial<Record<keyof LineFormValues | 'medicine', string>>>({});
  const set = <K extends keyof LineFormValues>(key: K, value: LineFormValues[K]) =>
    setForm((f) => (f ? { ...f, [key]: value } : f));

  const pick = (item: FormularyItem | null) => {
    setMedicine(item);
    setForm(item ? newLineForm(item) : null);
    setErrors({});
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!medicine || !form) {
      setErrors({ medicine: 'Choose a medicine from the formulary' });
      return;
    }
    const checked = validateLine(medicine, form, setting);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    onAdd({ medicine, form, body: checked.body });
    pick(null);
  };

  const err = (key: keyof LineFormValues) => ({ error: !!errors[key], helperText: errors[key] ?? ' ' });

  return (
    <Box component="form" onSubmit={submit} noValidate aria-label="Add a medicine" sx={{ mb: 2 }}>
      <FormularySearch value={medicine} onChange={pick} error={errors.medicine} />
      {form && medicine && (
        <Box
          sx={{
            mt: 2,
            display: 'grid',
            gap: 1.5,
            gridTemplateColumns: { xs: '1fr 1fr', sm: 'repeat(4, minmax(0, 1fr))' },
          }}
        >
          <TextField
            label="Dose"
            size="small"
            value={form.doseAmount}
            onChange={(e) => set('doseAmount', e.target.value)}
            slotProps={{ htmlInput: { inputMode: 'decimal' } }}
            required
            {...err('doseAmount')}
          />
          <TextField
            select
            label="Unit"
            size="small"
            value={form.doseUnit}
            onChange={(e) => set('doseUnit', e.target.value as LineFormValues['doseUnit'])}
            helperText=" "
          >
            {doseUnits.map((u) => (
              <MenuItem key={u} value={u}>
                {u}
              </MenuItem>
            ))}
          </TextField>
          <TextField
            label="Route"
            size="small"
            value={form.route}
            onChange={(e) => set('route', e.target.value)}
            required
            slotProps={{ htmlInput: { list: routeList, maxLength: 30, autoComplete: 'off' } }}
            {...err('route')}
          />
          <datalist id={routeList}>
            {routes.map((r) => (
              <option key={r} value={r} />
            ))}
          </datalist>
          <TextField
            select
            label="Frequency"
            size="small"
            value={form.frequency}
            onChange={(e) => set('frequency', e.target.value as LineFormValues['frequency'])}
            {...err('frequency')}
          >
            {frequencies
              .filter((f) => f !== 'STAT' || setting === 'inpatient')
              .map((f) => (
                <MenuItem key={f} value={f}>
                  {frequencyLabels[f]}
                </MenuItem>
              ))}
          </TextField>
          {form.frequency === 'SOS' && (
            <>
              <TextField
                label="Given for"
                size="small"
                value={form.prnIndication}
                onChange={(e) => set('prnIndication', e.target.value)}
                required
                placeholder="e.g. fever above 38.5 °C"
                slotProps={{ htmlInput: { maxLength: 200 } }}
                sx={{ gridColumn: { sm: 'span 2' } }}
                {...err('prnIndication')}
              />
              <TextField
                label="Most doses a day"
                size="small"
                value={form.maxDosesPerDay}
                onChange={(e) => set('maxDosesPerDay', e.target.value)}
                slotProps={{ htmlInput: { inputMode: 'numeric' } }}
                {...err('maxDosesPerDay')}
              />
            </>
          )}
          {form.frequency === 'CUSTOM' && (
            <TextField
              label="Times (HH:MM)"
              size="small"
              value={form.times}
              onChange={(e) => set('times', e.target.value)}
              required
              placeholder="08:00, 16:00"
              sx={{ gridColumn: { sm: 'span 2' } }}
              {...err('times')}
            />
          )}
          <TextField
            label="Days"
            size="small"
            value={form.durationDays}
            onChange={(e) => set('durationDays', e.target.value)}
            slotProps={{ htmlInput: { inputMode: 'numeric' } }}
            required
            {...err('durationDays')}
          />
          <TextField
            select
            label="Instructions"
            size="small"
            value={form.instructions}
            onChange={(e) => set('instructions', e.target.value as LineFormValues['instructions'])}
            helperText=" "
          >
            {instructionsList.map((i) => (
              <MenuItem key={i} value={i}>
                {instructionLabels[i]}
              </MenuItem>
            ))}
          </TextField>
          <TextField
            label={`Quantity (${medicine.unitOfIssue}s)`}
            size="small"
            value={form.quantity}
            onChange={(e) => set('quantity', e.target.value)}
            slotProps={{ htmlInput: { inputMode: 'numeric' } }}
            error={!!errors.quantity}
            helperText={errors.quantity ?? 'Blank: computed from the course'}
          />
          <TextField
            label="Note (optional)"
            size="small"
            value={form.note}
            onChange={(e) => set('note', e.target.value)}
            slotProps={{ htmlInput: { maxLength: 300 } }}
            sx={{ gridColumn: { xs: 'span 2', sm: 'span 3' } }}
            {...err('note')}
          />
          <Box sx={{ alignSelf: 'start' }}>
            <Button type="submit" variant="contained">
              Add to prescription
            </Button>
          </Box>
        </Box>
      )}
    </Box>
  );
}
