import Autocomplete from '@mui/material/Autocomplete';
import Box from '@mui/material/Box';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { type RefObject, useState } from 'react';
import { useDebouncedValue } from './use-debounced-value';

type Coded = { code: string; name: string };

/** The entry a typed text names exactly (its name or code, any case), if exactly one does. */
export function exactMatch<T extends Coded>(options: readonly T[], typed: string): T | null {
  const t = typed.trim().toLowerCase();
  const hits = options.filter((o) => o.name.toLowerCase() === t || o.code.toLowerCase() === t);
  return hits.length === 1 ? (hits[0] ?? null) : null;
}

export type CatalogPickerProps<T> = {
  value: T | null;
  onChange: (item: T | null) => void;
  label?: string;
  error?: string;
  helperText?: string;
  /** Keeps what is typed when nothing is picked (the consultation's order field also takes free text). */
  freeSolo?: boolean;
  inputValue?: string;
  onInputChange?: (value: string) => void;
  inputRef?: RefObject<HTMLInputElement | null>;
  autoFocus?: boolean;
  /** Empties the field once something is picked (a counter adds entries one after another). */
  clearOnPick?: boolean;
  required?: boolean;
};

/** A catalog as a picker searches it: one object per catalog (its `useSearch` is a hook, called on every render). */
export type CatalogSource<T> = {
  /** The entries matching the debounced text (called with it on every render, whatever its length). */
  useSearch: (q: string) => { options: T[]; isFetching: boolean };
  key: (o: T) => string;
  /** The entry's name in the field and, in bold, in the list. */
  optionLabel: (o: T) => string;
  /** Shown after the name in the list: "LAB-K · Biochemistry · serum", "10 tablets available". */
  detail: (o: T) => string;
  label: string;
  placeholder: string;
  helperText: string;
  noMatchText: string;
  /** Letters to type before anything is offered (default 2; 0 lists the catalog's first entries at once). */
  minLength?: number;
};

/** Finds an entry of a catalog as one types; ↓ and Enter choose. */
export function CatalogPicker<T>({ source, ...props }: CatalogPickerProps<T> & { source: CatalogSource<T> }) {
  const [ownInput, setOwnInput] = useState('');
  const input = props.inputValue ?? ownInput;
  const setInput = props.onInputChange ?? setOwnInput;
  const q = useDebouncedValue(input.trim(), 250);
  const search = source.useSearch(q);
  const minLength = source.minLength ?? 2;
  const options = q.length >= minLength ? search.options : [];
  const optionLabel = source.optionLabel;
  const value = props.value;
  return (
    <Autocomplete<T, false, false, boolean>
      freeSolo={props.freeSolo}
      options={
        value && !options.some((o) => source.key(o) === source.key(value)) ? [value, ...options] : options
      }
      value={value}
      filterOptions={(x) => x}
      getOptionLabel={(o) => (typeof o === 'string' ? o : optionLabel(o))}
      getOptionKey={(o) => (typeof o === 'string' ? o : source.key(o))}
      isOptionEqualToValue={(a, b) =>
        typeof a !== 'string' && typeof b !== 'string' && source.key(a) === source.key(b)
      }
      loading={search.isFetching}
      inputValue={input}
      onInputChange={(_, next, reason) => {
        if (reason !== 'reset' || !props.freeSolo) setInput(next);
      }}
      onChange={(_, option) => {
        props.onChange(option && typeof option !== 'string' ? option : null);
        if (props.clearOnPick) setInput('');
      }}
      noOptionsText={q.length < minLength ? 'Type at least two letters' : source.noMatchText}
      renderOption={(optionProps, o) => {
        const { key, ...rest } = optionProps as typeof optionProps & { key: string };
        return (
          <li key={key} {...rest}>
            <Box>
              <Typography component="span" sx={{ fontWeight: 600 }}>
                {optionLabel(o)}
              </Typography>
              <Typography component="span" variant="body2" color="text.secondary">
                {` · ${source.detail(o)}`}
              </Typography>
            </Box>
          </li>
        );
      }}
      renderInput={(params) => (
        <TextField
          {...params}
          label={props.label ?? source.label}
          inputRef={props.inputRef}
          autoFocus={props.autoFocus}
          required={props.required}
          placeholder={source.placeholder}
          error={!!props.error}
          helperText={props.error ?? props.helperText ?? source.helperText}
        />
      )}
    />
  );
}
