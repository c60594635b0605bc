import Autocomplete from '@mui/material/Autocomplete';
import Box from '@mui/material/Box';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { StockItem } from '@newhms/contracts';
import { type RefObject, useState } from 'react';
import { useDebouncedValue } from '../../../ui/use-debounced-value';
import { useStoreStock } from '../hooks/use-pharmacy';
import { scheduleLabels } from '../pharmacy-labels';
import { formularyItemLabel } from './formulary-picker';

type Props = {
  storeId: string | null;
  value: StockItem | null;
  onChange: (item: StockItem | null) => void;
  label?: string;
  error?: string;
  autoFocus?: boolean;
  inputRef?: RefObject<HTMLInputElement | null>;
};

/** Finds an item the store holds, with the units it can issue today. */
export function StockItemPicker({
  storeId,
  value,
  onChange,
  label = 'Medicine',
  error,
  autoFocus,
  inputRef,
}: Props) {
  const [input, setInput] = useState('');
  const q = useDebouncedValue(input.trim(), 250);
  const stock = useStoreStock(storeId, { q });
  const options = stock.data ?? [];
  return (
    <Autocomplete<StockItem>
      options={options}
      value={value}
      filterOptions={(x) => x}
      getOptionLabel={formularyItemLabel}
      getOptionKey={(o) => o.formularyItemId}
      isOptionEqualToValue={(a, b) => a.formularyItemId === b.formularyItemId}
      loading={stock.isFetching}
      inputValue={input}
      onInputChange={(_, next) => setInput(next)}
      onChange={(_, option) => onChange(option)}
      noOptionsText={storeId ? 'Not in stock in this store' : 'Choose the store first'}
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
                · {o.available} {o.unitOfIssue} available · {scheduleLabels[o.schedule]}
                {o.controlled ? ' · controlled' : ''}
              </Typography>
            </Box>
          </li>
        );
      }}
      renderInput={(params) => (
        <TextField
          {...params}
          label={label}
          autoFocus={autoFocus}
          inputRef={inputRef}
          placeholder="Generic name or code"
          error={!!error}
          helperText={error ?? 'Items in stock in this store; ↓ and Enter to choose'}
        />
      )}
    />
  );
}
