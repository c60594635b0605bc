import Autocomplete from '@mui/material/Autocomplete';
import Box from '@mui/material/Box';
import TextField from '@mui/material/TextField';
import type { IcdEntry } from '@newhms/contracts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { z } from 'zod';
import { api } from '../../../app/api-client';
import { useDebouncedValue } from '../../../ui/use-debounced-value';

export type IcdItem = z.infer<typeof IcdEntry>;

/** ICD-10 by code ("J18") or words ("pneumonia"), from the encounters' code set. */
export function Icd10Field({
  value,
  onChange,
  label = 'Provisional diagnosis code (ICD-10)',
}: {
  value: IcdItem | null;
  onChange: (v: IcdItem | null) => void;
  label?: string;
}) {
  const [input, setInput] = useState('');
  const q = useDebouncedValue(input.trim(), 250);
  const search = useQuery({
    queryKey: ['icd10', q],
    queryFn: ({ signal }) => api.get<{ items: IcdItem[] }>('/icd10', { q, limit: 20 }, signal),
    select: (data) => data.items,
    enabled: q.length >= 2,
    placeholderData: keepPreviousData,
    staleTime: 10 * 60_000,
  });
  return (
    <Autocomplete<IcdItem>
      value={value}
      onChange={(_, v) => onChange(v)}
      inputValue={input}
      onInputChange={(_, v) => setInput(v)}
      options={q.length >= 2 ? (search.data ?? []) : []}
      filterOptions={(x) => x}
      getOptionLabel={(o) => `${o.code} ${o.title}`}
      isOptionEqualToValue={(a, b) => a.code === b.code}
      loading={search.isFetching}
      noOptionsText={q.length < 2 ? 'Type a code or words' : 'No ICD-10 code found'}
      renderOption={(props, o) => {
        const { key, ...rest } = props as typeof props & { key: string };
        return (
          <li key={key} {...rest}>
            <Box component="span" sx={{ fontFamily: 'monospace', fontWeight: 700, mr: 1, minWidth: 64 }}>
              {o.code}
            </Box>
            {o.title}
          </li>
        );
      }}
      renderInput={(params) => (
        <TextField {...params} label={label} placeholder="Code or words, e.g. J18 or pneumonia" />
      )}
    />
  );
}
