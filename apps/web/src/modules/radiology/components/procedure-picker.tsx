import Autocomplete from '@mui/material/Autocomplete';
import Box from '@mui/material/Box';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { RadProcedure } from '@newhms/contracts';
import { type RefObject, useState } from 'react';
import { useDebouncedValue } from '../../../ui/use-debounced-value';
import { useRadCatalog } from '../hooks/use-radiology';
import { modalityLabels } from '../radiology-labels';

/** The procedure a typed text names exactly (its name or code, any case), if exactly one does. */
export function exactProcedure(options: readonly RadProcedure[], typed: string): RadProcedure | null {
  const t = typed.trim().toLowerCase();
  const hits = options.filter((o) => o.name.toLowerCase() === t || o.code.toLowerCase() === t);
  return hits.length === 1 ? (hits[0] ?? null) : null;
}

type Props = {
  value: RadProcedure | null;
  onChange: (item: RadProcedure | null) => void;
  label?: string;
  error?: string;
  helperText?: string;
  /** Keeps what is typed when nothing is picked (the consultation's order field also takes free text). */
  freeSolo?: boolean;
  inputValue?: string;
  onInputChange?: (value: string) => void;
  inputRef?: RefObject<HTMLInputElement | null>;
  autoFocus?: boolean;
};

/** Finds an imaging procedure of the catalog by name, code or body part as one types. */
export function ProcedurePicker(props: Props) {
  const [ownInput, setOwnInput] = useState('');
  const input = props.inputValue ?? ownInput;
  const setInput = props.onInputChange ?? setOwnInput;
  const q = useDebouncedValue(input.trim(), 250);
  const search = useRadCatalog(q);
  const options = q.length >= 2 ? (search.data ?? []) : [];
  return (
    <Autocomplete<RadProcedure, false, false, boolean>
      freeSolo={props.freeSolo}
      options={
        props.value && !options.some((o) => o.code === props.value?.code)
          ? [props.value, ...options]
          : options
      }
      value={props.value}
      filterOptions={(x) => x}
      getOptionLabel={(o) => (typeof o === 'string' ? o : o.name)}
      getOptionKey={(o) => (typeof o === 'string' ? o : o.code)}
      isOptionEqualToValue={(a, b) => typeof a !== 'string' && typeof b !== 'string' && a.code === b.code}
      loading={search.isFetching}
      inputValue={input}
      onInputChange={(_, next, reason) => {
        if (reason !== 'reset' || !props.freeSolo) setInput(next);
      }}
      onChange={(_, option) => props.onChange(option && typeof option !== 'string' ? option : null)}
      noOptionsText={q.length < 2 ? 'Type at least two letters' : 'No imaging procedure by that name'}
      renderOption={(optionProps, o) => {
        const { key, ...rest } = optionProps as typeof optionProps & { key: string };
        return (
          <li key={key} {...rest}>
            <Box>
              <Typography component="span" sx={{ fontWeight: 600 }}>
                {o.name}
              </Typography>
              <Typography component="span" variant="body2" color="text.secondary">
                {` · ${o.code} · ${modalityLabels[o.modality]} · ${o.bodyPart}`}
              </Typography>
            </Box>
          </li>
        );
      }}
      renderInput={(params) => (
        <TextField
          {...params}
          label={props.label ?? 'Procedure'}
          inputRef={props.inputRef}
          autoFocus={props.autoFocus}
          placeholder="Name, code or body part"
          error={!!props.error}
          helperText={
            props.error ?? props.helperText ?? 'Type to search the imaging catalog; ↓ and Enter to choose'
          }
        />
      )}
    />
  );
}
