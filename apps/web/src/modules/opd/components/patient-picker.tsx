import Autocomplete from '@mui/material/Autocomplete';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { Link as RouterLink } from 'react-router';
import { useDebouncedValue } from '../../../ui/use-debounced-value';
import { PatientBanner, usePatient, usePatientSearch } from '../../patients';

type Props = {
  value: string | null;
  onChange: (patientId: string | null) => void;
  label?: string;
};

type Option = {
  id: string;
  displayName: string;
  mrn: string;
  age: string | null;
  phoneEnding: string | null;
};

/** Finds a registered patient by MRN, phone, ID or name, and shows the chosen one's banner. */
export function PatientPicker({ value, onChange, label = 'Patient' }: Props) {
  const [input, setInput] = useState('');
  const q = useDebouncedValue(input.trim(), 250);
  const search = usePatientSearch({ q });
  const chosen = usePatient(value);
  if (value) {
    return (
      <Stack spacing={1}>
        {chosen.data ? (
          <PatientBanner patient={chosen.data} />
        ) : (
          <Typography color="text.secondary">Loading the patient…</Typography>
        )}
        <Box>
          <Button size="small" onClick={() => onChange(null)}>
            Choose another patient
          </Button>
        </Box>
      </Stack>
    );
  }
  const options: Option[] = q.length >= 2 ? (search.data?.items ?? []) : [];
  return (
    <Autocomplete<Option>
      options={options}
      filterOptions={(x) => x}
      getOptionLabel={(o) => `${o.displayName} · MRN ${o.mrn}`}
      isOptionEqualToValue={(a, b) => a.id === b.id}
      loading={search.isFetching}
      inputValue={input}
      onInputChange={(_, next, reason) => {
        if (reason !== 'reset') setInput(next);
      }}
      onChange={(_, option) => {
        if (option) {
          setInput('');
          onChange(option.id);
        }
      }}
      noOptionsText={
        q.length < 2 ? (
          'Type at least two characters'
        ) : (
          <span>
            No patient found.{' '}
            <RouterLink to="/patients/new" state={{ prefill: q }}>
              Register a new patient
            </RouterLink>
          </span>
        )
      }
      renderOption={(props, o) => {
        const { key, ...rest } = props as typeof props & { key: string };
        return (
          <li key={key} {...rest}>
            <Box>
              <Typography component="span" sx={{ fontWeight: 600 }}>
                {o.displayName}
              </Typography>
              <Typography component="span" variant="body2" color="text.secondary">
                {' '}
                · MRN {o.mrn}
                {o.age ? ` · ${o.age}` : ''}
                {o.phoneEnding ? ` · ${o.phoneEnding}` : ''}
              </Typography>
            </Box>
          </li>
        );
      }}
      renderInput={(params) => (
        <TextField
          {...params}
          label={label}
          placeholder="MRN, mobile, ID or name"
          helperText="Search a registered patient; ↓ and Enter to choose"
        />
      )}
    />
  );
}
