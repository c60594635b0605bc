import Autocomplete from '@mui/material/Autocomplete';
import Box from '@mui/material/Box';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { BillingService } from '@newhms/contracts';
import { useState } from 'react';
import { useDebouncedValue } from '../../../ui/use-debounced-value';
import { serviceGroupLabel } from '../billing-labels';
import { useServices } from '../hooks/use-billing';

type Props = {
  value: BillingService | null;
  onChange: (service: BillingService | null) => void;
  label?: string;
  error?: string;
  autoFocus?: boolean;
};

/** Finds an active service of the charge master by code or name. */
export function ServicePicker({ value, onChange, label = 'Service', error, autoFocus }: Props) {
  const [input, setInput] = useState('');
  const q = useDebouncedValue(input.trim(), 250);
  const services = useServices({ q: q || undefined, active: 'true' });
  const options = services.data?.items ?? [];
  return (
    <Autocomplete<BillingService>
      options={options}
      value={value}
      filterOptions={(x) => x}
      getOptionLabel={(o) => `${o.code} · ${o.name}`}
      isOptionEqualToValue={(a, b) => a.id === b.id}
      loading={services.isFetching}
      inputValue={input}
      onInputChange={(_, next) => setInput(next)}
      onChange={(_, option) => onChange(option)}
      noOptionsText="No service with this code or name"
      renderOption={(props, o) => {
        const { key, ...rest } = props as typeof props & { key: string };
        return (
          <li key={key} {...rest}>
            <Box>
              <Typography component="span" sx={{ fontWeight: 600 }}>
                {o.name}
              </Typography>
              <Typography component="span" variant="body2" color="text.secondary">
                {' '}
                · {o.code} · {serviceGroupLabel(o.serviceGroup)}
              </Typography>
            </Box>
          </li>
        );
      }}
      renderInput={(params) => (
        <TextField
          {...params}
          label={label}
          required
          autoFocus={autoFocus}
          placeholder="Code or name"
          error={!!error}
          helperText={error ?? 'Type to search the charge master; ↓ and Enter to choose'}
        />
      )}
    />
  );
}
