import Autocomplete from '@mui/material/Autocomplete';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormLabel from '@mui/material/FormLabel';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { Diagnosis } from '@newhms/contracts';
import { type FormEvent, useId, useState } from 'react';
import { type Column, DataTable } from '../../../ui/data-table';
import { ProblemAlert } from '../../../ui/problem-alert';
import { ReasonDialog } from '../../../ui/reason-dialog';
import { useDebouncedValue } from '../../../ui/use-debounced-value';
import { type IcdItem, useAddDiagnosis, useIcd10Search, useUpdateDiagnosis } from '../hooks/use-encounter';
import { Section } from './section';

type Props = { encounterId: string; diagnoses: Diagnosis[]; canWrite: boolean };

/** ICD-10 search as the doctor types: by code ("E11") or by words ("type 2 diabetes"). */
function Icd10Field({ value, onChange }: { value: IcdItem | null; onChange: (v: IcdItem | null) => void }) {
  const [input, setInput] = useState('');
  const q = useDebouncedValue(input.trim(), 250);
  const search = useIcd10Search(q);
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
        <TextField {...params} label="Diagnosis (ICD-10)" placeholder="Code or words, e.g. E11 or diabetes" />
      )}
      sx={{ flex: '1 1 360px' }}
    />
  );
}

export function DiagnosesSection({ encounterId, diagnoses, canWrite }: Props) {
  const add = useAddDiagnosis(encounterId);
  const update = useUpdateDiagnosis(encounterId);
  const [code, setCode] = useState<IcdItem | null>(null);
  const [kind, setKind] = useState<'provisional' | 'final'>('provisional');
  const hasPrimary = diagnoses.some((d) => d.rank === 'primary' && d.status !== 'entered-in-error');
  const [rank, setRank] = useState<'primary' | 'secondary' | null>(null);
  const chosenRank = rank ?? (hasPrimary ? 'secondary' : 'primary');
  const [inError, setInError] = useState<Diagnosis | null>(null);
  const kindLabel = useId();
  const rankLabel = useId();
  const shown = diagnoses.filter((d) => d.status !== 'entered-in-error');

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!code) return;
    add.mutate(
      { code: code.code, kind, rank: chosenRank },
      {
        onSuccess: () => {
          setCode(null);
          setRank(null);
        },
      },
    );
  };

  const columns: Column<Diagnosis>[] = [
    {
      id: 'code',
      header: 'Code',
      width: 90,
      render: (d) => <Box sx={{ fontFamily: 'monospace', fontWeight: 700 }}>{d.code}</Box>,
    },
    { id: 'display', header: 'Diagnosis', render: (d) => d.display },
    {
      id: 'kind',
      header: 'Kind',
      render: (d) => (
        <Chip
          size="small"
          label={d.kind === 'final' ? 'Final' : 'Provisional'}
          color={d.kind === 'final' ? 'primary' : 'default'}
          variant={d.kind === 'final' ? 'filled' : 'outlined'}
        />
      ),
    },
    { id: 'rank', header: 'Rank', render: (d) => (d.rank === 'primary' ? 'Primary' : 'Secondary') },
  ];
  if (canWrite) {
    columns.push({
      id: 'actions',
      header: 'Actions',
      render: (d) => (
        <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap' }}>
          {d.kind === 'provisional' && (
            <Button
              size="small"
              onClick={() => update.mutate({ id: d.id, kind: 'final', version: d.version })}
            >
              Make final
            </Button>
          )}
          {d.rank === 'secondary' && (
            <Button
              size="small"
              onClick={() => update.mutate({ id: d.id, rank: 'primary', version: d.version })}
            >
              Make primary
            </Button>
          )}
          <Button size="small" color="error" onClick={() => setInError(d)}>
            Entered in error
          </Button>
        </Box>
      ),
    });
  }

  return (
    <Section title="Diagnoses" id="diagnoses">
      {canWrite && (
        <Box component="form" onSubmit={submit} aria-label="Add diagnosis" noValidate sx={{ mb: 2 }}>
          <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap', alignItems: 'center' }}>
            <Icd10Field value={code} onChange={setCode} />
            <Box>
              <FormLabel id={kindLabel} sx={{ fontSize: '0.8rem' }}>
                Kind
              </FormLabel>
              <RadioGroup
                row
                aria-labelledby={kindLabel}
                value={kind}
                onChange={(e) => setKind(e.target.value as 'provisional' | 'final')}
              >
                <FormControlLabel value="provisional" control={<Radio size="small" />} label="Provisional" />
                <FormControlLabel value="final" control={<Radio size="small" />} label="Final" />
              </RadioGroup>
            </Box>
            <Box>
              <FormLabel id={rankLabel} sx={{ fontSize: '0.8rem' }}>
                Rank
              </FormLabel>
              <RadioGroup
                row
                aria-labelledby={rankLabel}
                value={chosenRank}
                onChange={(e) => setRank(e.target.value as 'primary' | 'secondary')}
              >
                <FormControlLabel value="primary" control={<Radio size="small" />} label="Primary" />
                <FormControlLabel value="secondary" control={<Radio size="small" />} label="Secondary" />
              </RadioGroup>
            </Box>
            <Button type="submit" variant="contained" disabled={!code || add.isPending}>
              Add diagnosis
            </Button>
          </Box>
          <ProblemAlert error={add.error} sx={{ mt: 1 }} />
        </Box>
      )}
      <ProblemAlert error={update.error} sx={{ mb: 1 }} />
      {shown.length === 0 && !canWrite ? (
        <Typography color="text.secondary">No diagnosis recorded.</Typography>
      ) : (
        <DataTable
          label="Diagnoses"
          columns={columns}
          rows={shown}
          rowKey={(d) => d.id}
          emptyText="No diagnosis recorded yet"
        />
      )}
      <ReasonDialog
        open={!!inError}
        title="Diagnosis entered in error"
        message={
          inError && `${inError.code} ${inError.display} is struck out of this visit; the entry is kept.`
        }
        confirmLabel="Mark entered in error"
        danger
        busy={update.isPending}
        error={update.error}
        onCancel={() => setInError(null)}
        onConfirm={(reason) =>
          inError &&
          update.mutate(
            {
              id: inError.id,
              status: 'entered-in-error',
              reason,
              // The list may have been read again since the dialog opened (made final a moment ago).
              version: diagnoses.find((d) => d.id === inError.id)?.version ?? inError.version,
            },
            { onSuccess: () => setInError(null) },
          )
        }
      />
    </Section>
  );
}
