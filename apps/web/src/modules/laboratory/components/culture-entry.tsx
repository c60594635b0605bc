import Add from '@mui/icons-material/Add';
import DeleteOutlined from '@mui/icons-material/DeleteOutlined';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import FormControl from '@mui/material/FormControl';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormHelperText from '@mui/material/FormHelperText';
import FormLabel from '@mui/material/FormLabel';
import IconButton from '@mui/material/IconButton';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useId } from 'react';
import { commonAntibiotics } from '../coded-answers';
import { interpretationLabels } from '../laboratory-labels';
import { type CultureDraft, type EntryErrors, type Interpretation, newAntibioticRow } from '../result-entry';

type Props = {
  testName: string;
  value: CultureDraft;
  onChange: (next: CultureDraft) => void;
  /** Errors of this test, keys relative to it (`organism`, `antibiotics.0.interpretation`). */
  errors: EntryErrors;
  disabled?: boolean;
};

/** A culture: growth or no growth, the organism and colony count, and antibiotics with S, I or R (and MIC). */
export function CultureEntry({ testName, value, onChange, errors, disabled }: Props) {
  const outcomeId = useId();
  const listId = useId();
  const set = (patch: Partial<CultureDraft>) => onChange({ ...value, ...patch });
  const setRow = (i: number, patch: Partial<CultureDraft['antibiotics'][number]>) =>
    set({ antibiotics: value.antibiotics.map((a, j) => (j === i ? { ...a, ...patch } : a)) });
  const growth = value.outcome === 'growth';
  return (
    <Box component="fieldset" sx={{ border: 0, p: 0, m: 0, minWidth: 0 }} disabled={disabled}>
      <FormControl error={!!errors.outcome}>
        <FormLabel id={outcomeId}>{`${testName}: outcome`}</FormLabel>
        <RadioGroup
          row
          aria-labelledby={outcomeId}
          value={value.outcome}
          onChange={(e) => set({ outcome: e.target.value as CultureDraft['outcome'] })}
        >
          <FormControlLabel value="growth" control={<Radio />} label="Growth" disabled={disabled} />
          <FormControlLabel value="no-growth" control={<Radio />} label="No growth" disabled={disabled} />
        </RadioGroup>
        {errors.outcome && <FormHelperText>{errors.outcome}</FormHelperText>}
      </FormControl>
      <Box sx={{ display: 'grid', gap: 1.5, gridTemplateColumns: { xs: '1fr', sm: '2fr 1fr' }, mt: 1 }}>
        {growth && (
          <TextField
            label="Organism"
            value={value.organism}
            onChange={(e) => set({ organism: e.target.value })}
            error={!!errors.organism}
            helperText={errors.organism ?? 'e.g. Escherichia coli'}
            disabled={disabled}
            slotProps={{ htmlInput: { maxLength: 200 } }}
          />
        )}
        <TextField
          label={growth ? 'Colony count' : 'Growth note'}
          value={value.growth}
          onChange={(e) => set({ growth: e.target.value })}
          helperText={growth ? 'e.g. > 10^5 CFU/mL' : 'e.g. no growth after 48 h'}
          disabled={disabled}
          slotProps={{ htmlInput: { maxLength: 200 } }}
        />
      </Box>
      {growth && (
        <Box sx={{ mt: 1.5 }}>
          <Typography component="p" variant="subtitle2" sx={{ mb: 1 }}>
            Susceptibility
          </Typography>
          <datalist id={listId}>
            {commonAntibiotics.map((a) => (
              <option key={a} value={a} />
            ))}
          </datalist>
          {value.antibiotics.map((row, i) => {
            const name = row.antibiotic.trim() || `row ${i + 1}`;
            return (
              <Box
                key={row.key}
                sx={{
                  display: 'grid',
                  gap: 1,
                  gridTemplateColumns: { xs: '1fr 1fr', sm: '3fr 2fr 1fr auto' },
                  alignItems: 'start',
                  mb: 1,
                }}
                data-testid="antibiotic-row"
              >
                <TextField
                  label={`Antibiotic ${i + 1}`}
                  value={row.antibiotic}
                  onChange={(e) => setRow(i, { antibiotic: e.target.value })}
                  error={!!errors[`antibiotics.${i}.antibiotic`]}
                  helperText={errors[`antibiotics.${i}.antibiotic`]}
                  disabled={disabled}
                  slotProps={{ htmlInput: { list: listId, maxLength: 100, autoComplete: 'off' } }}
                />
                <TextField
                  select
                  label={`S/I/R for ${name}`}
                  value={row.interpretation}
                  onChange={(e) => setRow(i, { interpretation: e.target.value as Interpretation | '' })}
                  error={!!errors[`antibiotics.${i}.interpretation`]}
                  helperText={errors[`antibiotics.${i}.interpretation`]}
                  disabled={disabled}
                  slotProps={{ select: { native: true }, inputLabel: { shrink: true } }}
                >
                  <option value="">—</option>
                  {(['S', 'I', 'R'] as const).map((k) => (
                    <option key={k} value={k}>
                      {interpretationLabels[k]}
                    </option>
                  ))}
                </TextField>
                <TextField
                  label={`MIC for ${name}`}
                  value={row.mic}
                  onChange={(e) => setRow(i, { mic: e.target.value })}
                  disabled={disabled}
                  slotProps={{ htmlInput: { maxLength: 20 } }}
                />
                <IconButton
                  aria-label={`Remove ${name}`}
                  onClick={() => set({ antibiotics: value.antibiotics.filter((_, j) => j !== i) })}
                  disabled={disabled}
                >
                  <DeleteOutlined />
                </IconButton>
              </Box>
            );
          })}
          {errors.antibiotics && (
            <Typography color="error" variant="body2" sx={{ mb: 1 }}>
              {errors.antibiotics}
            </Typography>
          )}
          <Button
            size="small"
            startIcon={<Add />}
            onClick={() => set({ antibiotics: [...value.antibiotics, newAntibioticRow()] })}
            disabled={disabled}
          >
            Add antibiotic
          </Button>
        </Box>
      )}
    </Box>
  );
}
