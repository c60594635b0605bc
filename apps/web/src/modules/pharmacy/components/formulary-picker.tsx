import Autocomplete from '@mui/material/Autocomplete';
import Box from '@mui/material/Box';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { FormularyItem } from '@newhms/contracts';
import { useState } from 'react';
import { useDebouncedValue } from '../../../ui/use-debounced-value';
import { useFormularySearch } from '../hooks/use-pharmacy';
import { scheduleLabels } from '../pharmacy-labels';

type Props = {
  value: FormularyItem | null;
  onChange: (item: FormularyItem | null) => void;
  label?: string;
  required?: boolean;
  error?: string;
  autoFocus?: boolean;
  helperText?: string;
};

export function formularyItemLabel(i: Pick<FormularyItem, 'genericName' | 'strength' | 'doseForm'>): string {
  return [i.genericName, i.strength, i.doseForm].filter(Boolean).join(' ');
}

/** Finds a formulary item by generic name (typos allowed), code, ingredient or brand. */
export function FormularyPicker({
  value,
  onChange,
  label = 'Item',
  required,
  error,
  autoFocus,
  helperText,
}: Props) {
  const [input, setInput] = useState('');
  const q = useDebouncedValue(input.trim(), 250);
  const search = useFormularySearch(q);
  const options = q.length >= 2 ? (search.data ?? []) : [];
  return (
    <Autocomplete<FormularyItem>
      options={value && !options.some((o) => o.id === value.id) ? [value, ...options] : options}
      value={value}
      filterOptions={(x) => x}
      getOptionLabel={formularyItemLabel}
      isOptionEqualToValue={(a, b) => a.id === b.id}
      loading={search.isFetching}
      inputValue={input}
      onInputChange={(_, next) => setInput(next)}
      onChange={(_, option) => onChange(option)}
      noOptionsText={q.length < 2 ? 'Type at least two characters' : 'No item with this name, code or brand'}
      renderOption={(props, o) => {
        const { key, ...rest } = props as typeof props & { key: string };
        return (
          <li key={key} {...rest}>
            <Box>
              <Typography component="span" sx={{ fontWeight: 600 }}>
                {formularyItemLabel(o)}
              </Typography>
              <Typography component="span" variant="body2" color="text.secondary">
                {' '}
                · {o.code} · {scheduleLabels[o.schedule]}
                {o.controlled ? ' · controlled' : ''}
                {o.highAlert ? ' · high alert' : ''}
              </Typography>
            </Box>
          </li>
        );
      }}
      renderInput={(params) => (
        <TextField
          {...params}
          label={label}
          required={required}
          autoFocus={autoFocus}
          placeholder="Generic name, code or brand"
          error={!!error}
          helperText={error ?? helperText ?? 'Type to search the formulary; ↓ and Enter to choose'}
        />
      )}
    />
  );
}
