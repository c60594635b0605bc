import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import TextField from '@mui/material/TextField';
import { AuditQuery, auditActions } from '@newhms/contracts';
import { type FormEvent, useState } from 'react';
import { type FieldErrors, validateForm } from '../../../ui/form-validation';
import { localInputToIso } from '../../../ui/format';
import type { AuditFilters } from '../hooks/use-audit';

type Draft = Record<keyof AuditFilters, string>;
const empty: Draft = {
  from: '',
  to: '',
  actorName: '',
  action: '',
  resourceType: '',
  resourceId: '',
  patientId: '',
  outcome: '',
  ip: '',
  breakGlass: '',
};

const textFilters = [
  ['actorName', 'Actor name'],
  ['resourceType', 'Resource type'],
  ['resourceId', 'Resource id'],
  ['patientId', 'Patient id'],
  ['ip', 'IP address'],
] as const;

/** One field per audit column (ONC 170.315(d)(3)); applied together with the Apply button. */
export function AuditFiltersForm({ onApply }: { onApply: (filters: AuditFilters) => void }) {
  const [draft, setDraft] = useState<Draft>(empty);
  const [errors, setErrors] = useState<FieldErrors>({});
  const set = (key: keyof Draft) => (value: string) => setDraft((d) => ({ ...d, [key]: value }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const filters: Record<string, string | undefined> = {};
    for (const [key, value] of Object.entries(draft)) {
      const trimmed = value.trim();
      if (trimmed) filters[key] = trimmed;
    }
    filters.from = localInputToIso(draft.from);
    filters.to = localInputToIso(draft.to);
    const result = validateForm(AuditQuery, filters);
    if (!result.ok) return setErrors(result.errors);
    setErrors({});
    const clean = Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined));
    onApply(clean as AuditFilters);
  };

  return (
    <Paper
      variant="outlined"
      component="form"
      role="search"
      aria-label="Audit filters"
      noValidate
      onSubmit={submit}
      sx={{ p: 2, mb: 2 }}
    >
      <Box
        sx={{
          display: 'grid',
          gap: 2,
          gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr', md: '1fr 1fr 1fr', xl: 'repeat(5, 1fr)' },
        }}
      >
        <TextField
          label="From"
          type="datetime-local"
          value={draft.from}
          onChange={(e) => set('from')(e.target.value)}
          error={!!errors.from}
          helperText={errors.from}
          slotProps={{ inputLabel: { shrink: true } }}
        />
        <TextField
          label="To"
          type="datetime-local"
          value={draft.to}
          onChange={(e) => set('to')(e.target.value)}
          error={!!errors.to}
          helperText={errors.to}
          slotProps={{ inputLabel: { shrink: true } }}
        />
        <TextField select label="Action" value={draft.action} onChange={(e) => set('action')(e.target.value)}>
          <MenuItem value="">Any</MenuItem>
          {auditActions.map((a) => (
            <MenuItem key={a} value={a}>
              {a}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          select
          label="Outcome"
          value={draft.outcome}
          onChange={(e) => set('outcome')(e.target.value)}
        >
          <MenuItem value="">Any</MenuItem>
          <MenuItem value="success">success</MenuItem>
          <MenuItem value="failure">failure</MenuItem>
          <MenuItem value="denied">denied</MenuItem>
        </TextField>
        <TextField
          select
          label="Break-glass"
          value={draft.breakGlass}
          onChange={(e) => set('breakGlass')(e.target.value)}
        >
          <MenuItem value="">Any</MenuItem>
          <MenuItem value="true">Yes</MenuItem>
          <MenuItem value="false">No</MenuItem>
        </TextField>
        {textFilters.map(([key, label]) => (
          <TextField
            key={key}
            label={label}
            value={draft[key]}
            onChange={(e) => set(key)(e.target.value)}
            error={!!errors[key]}
            helperText={errors[key]}
          />
        ))}
      </Box>
      <Box sx={{ display: 'flex', gap: 1, mt: 2 }}>
        <Button type="submit" variant="contained">
          Apply filters
        </Button>
        <Button
          onClick={() => {
            setDraft(empty);
            setErrors({});
            onApply({});
          }}
        >
          Clear
        </Button>
      </Box>
    </Paper>
  );
}
