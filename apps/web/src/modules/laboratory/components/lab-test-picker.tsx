import Autocomplete from '@mui/material/Autocomplete';
import Box from '@mui/material/Box';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { LabCatalogSearch } from '@newhms/contracts';
import { type RefObject, useState } from 'react';
import type { z } from 'zod';
import { useDebouncedValue } from '../../../ui/use-debounced-value';
import { useLabCatalogSearch } from '../hooks/use-laboratory';
import { sectionLabels } from '../laboratory-labels';

/** What can be ordered: a test or a panel of the catalog. */
export type Orderable = { kind: 'test' | 'panel'; code: string; name: string; detail: string };

/** Panels first (what doctors order most), then single tests. */
export function orderablesOf(found: z.infer<typeof LabCatalogSearch> | undefined): Orderable[] {
  if (!found) return [];
  return [
    ...found.panels.map((p) => ({
      kind: 'panel' as const,
      code: p.code,
      name: p.name,
      detail: `Panel of ${p.members.length}: ${p.members
        .slice(0, 4)
        .map((m) => m.name)
        .join(', ')}${p.members.length > 4 ? '…' : ''}`,
    })),
    ...found.tests.map((t) => ({
      kind: 'test' as const,
      code: t.code,
      name: t.name,
      detail: `${sectionLabels[t.section]} · ${t.specimen} · ${t.container}`,
    })),
  ];
}

/** The orderable a typed text names exactly (its name or code, any case), if exactly one does. */
export function exactOrderable(options: readonly Orderable[], typed: string): Orderable | null {
  const t = typed.trim().toLowerCase();
  const hits = options.filter((o) => o.name.toLowerCase() === t || o.code.toLowerCase() === t);
  return hits.length === 1 ? (hits[0] ?? null) : null;
}

type Props = {
  value: Orderable | null;
  onChange: (item: Orderable | null) => void;
  label?: string;
  error?: string;
  helperText?: string;
  /** Keeps what is typed when nothing is picked (the consultation's order field also takes free text). */
  freeSolo?: boolean;
  inputValue?: string;
  onInputChange?: (value: string) => void;
  inputRef?: RefObject<HTMLInputElement | null>;
  autoFocus?: boolean;
  /** Empties the field once something is picked (the counter adds tests one after another). */
  clearOnPick?: boolean;
};

/** Finds a test or panel of the laboratory catalog by name, code or LOINC code as one types. */
export function LabTestPicker(props: Props) {
  const [ownInput, setOwnInput] = useState('');
  const input = props.inputValue ?? ownInput;
  const setInput = props.onInputChange ?? setOwnInput;
  const q = useDebouncedValue(input.trim(), 250);
  const search = useLabCatalogSearch(q);
  const options = q.length >= 2 ? orderablesOf(search.data) : [];
  const label = props.label ?? 'Test or panel';
  return (
    <Autocomplete<Orderable, false, false, boolean>
      freeSolo={props.freeSolo}
      options={
        props.value && !options.some((o) => o.code === props.value?.code)
          ? [props.value, ...options]
          : options
      }
      value={props.value}
      filterOptions={(x) => x}
      getOptionLabel={(o) => (typeof o === 'string' ? o : o.name)}
      getOptionKey={(o) => (typeof o === 'string' ? o : `${o.kind}:${o.code}`)}
      isOptionEqualToValue={(a, b) =>
        typeof a !== 'string' && typeof b !== 'string' && a.code === b.code && a.kind === b.kind
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
      noOptionsText={q.length < 2 ? 'Type at least two letters' : 'No test or panel by that name'}
      renderOption={(optionProps, o) => {
        const { key, ...rest } = optionProps as typeof optionProps & { key: string };
        return (
          <li key={key} {...rest}>
            <Box>
              <Typography component="span" sx={{ fontWeight: 600 }}>
                {o.name}
              </Typography>
              <Typography component="span" variant="body2" color="text.secondary">
                {` · ${o.code} · ${o.detail}`}
              </Typography>
            </Box>
          </li>
        );
      }}
      renderInput={(params) => (
        <TextField
          {...params}
          label={label}
          inputRef={props.inputRef}
          autoFocus={props.autoFocus}
          placeholder="Name, code or LOINC code"
          error={!!props.error}
          helperText={
            props.error ?? props.helperText ?? 'Type to search the laboratory catalog; ↓ and Enter to choose'
          }
        />
      )}
    />
  );
}
