import Autocomplete from '@mui/material/Autocomplete';
import Box from '@mui/material/Box';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { FormularyItem } from '@newhms/contracts';
import { useState } from 'react';
import { useDebouncedValue } from '../../../ui/use-debounced-value';
import { useFormularySearch } from '../hooks/use-prescriptions';
import { MedicineChips } from './medicine-chips';

type Props = {
  value: FormularyItem | null;
  onChange: (item: FormularyItem | null) => void;
  label?: string;
  error?: string;
  /** Keeps only the options that pass (e.g. the same generic as a prescribed line). */
  filter?: (item: FormularyItem) => boolean;
  size?: 'small' | 'medium';
};

/** "Simvastatin 20 mg tablet" */
export function medicineName(i: { genericName: string; strength: string; doseForm: string }): string {
  return [i.genericName, i.strength, i.doseForm].filter(Boolean).join(' ');
}

/** Finds a formulary product by generic name, code, ingredient or brand as the prescriber types. */
export function FormularySearch({ value, onChange, label = 'Medicine', error, filter, size }: Props) {
  const [input, setInput] = useState('');
  const q = useDebouncedValue(input.trim(), 250);
  const search = useFormularySearch(q);
  const found = q.length >= 2 ? (search.data ?? []).filter((i) => i.active && (!filter || filter(i))) : [];
  return (
    <Autocomplete<FormularyItem>
      options={value && !found.some((o) => o.id === value.id) ? [value, ...found] : found}
      value={value}
      filterOptions={(x) => x}
      getOptionLabel={medicineName}
      isOptionEqualToValue={(a, b) => a.id === b.id}
      loading={search.isFetching}
      inputValue={input}
      onInputChange={(_, next) => setInput(next)}
      onChange={(_, option) => onChange(option)}
      noOptionsText={q.length < 2 ? 'Type at least two letters' : 'Nothing in the formulary by that name'}
      renderOption={(props, o) => {
        const { key, ...rest } = props as typeof props & { key: string };
        return (
          <li key={key} {...rest}>
            <Box sx={{ display: 'flex', gap: 1, alignItems: 'center', flexWrap: 'wrap' }}>
              <Typography component="span" sx={{ fontWeight: 600 }}>
                {medicineName(o)}
              </Typography>
              <Typography component="span" variant="body2" color="text.secondary">
                {o.code}
                {o.brands.length > 0
                  ? ` · ${o.brands
                      .map((b) => b.name)
                      .slice(0, 3)
                      .join(', ')}`
                  : ''}
              </Typography>
              <MedicineChips
                schedule={o.schedule}
                highAlert={o.highAlert}
                lasaGroup={o.lasaGroup}
                controlled={o.controlled}
              />
            </Box>
          </li>
        );
      }}
      renderInput={(params) => (
        <TextField
          {...params}
          label={label}
          size={size}
          placeholder="Generic name, code or brand"
          error={!!error}
          helperText={error ?? 'Type to search the formulary'}
        />
      )}
    />
  );
}
