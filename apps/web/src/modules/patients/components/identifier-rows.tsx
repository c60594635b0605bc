import Add from '@mui/icons-material/Add';
import DeleteOutline from '@mui/icons-material/DeleteOutlined';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import IconButton from '@mui/material/IconButton';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import {
  type IdentifierType,
  identifierLabels,
  identifierTypes,
  nationalIdentifierTypes,
  normalizeIdentifier,
} from '@newhms/contracts';
import { useState } from 'react';
import type { FieldErrors } from '../../../ui/form-validation';
import { emptyIdentifier, type IdentifierRow } from '../patient-form-values';

type Props = {
  rows: IdentifierRow[];
  onChange: (rows: IdentifierRow[]) => void;
  errors: FieldErrors;
};

// A temporary id is made by the server for an unknown patient, never typed.
const typeable = identifierTypes.filter((t) => t !== 'temporary');

/** Identifier rows (type and number), each checked as it is typed with the rule the API applies. */
export function IdentifierRows({ rows, onChange, errors }: Props) {
  const [left, setLeft] = useState<Set<number>>(new Set());
  const set = (i: number, patch: Partial<IdentifierRow>) =>
    onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <Stack spacing={2}>
      {rows.length === 0 && (
        <Typography color="text.secondary">
          Aadhaar, ABHA, passport, voter ID, driving licence or an insurance member ID help find the patient
          again.
        </Typography>
      )}
      {rows.map((row, i) => {
        const n = i + 1;
        const check = row.value.trim() ? normalizeIdentifier(row.type, row.value) : null;
        // Said once the clerk has left the field, so that typing is not met with a red message at once.
        const liveError = check && !check.ok && left.has(i) ? check.message : undefined;
        const error = errors[`identifiers.${i}.value`] ?? errors[`identifiers.${i}`] ?? liveError;
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity of their own
          <Box key={i} sx={{ display: 'flex', gap: 1, alignItems: 'flex-start', flexWrap: 'wrap' }}>
            <TextField
              select
              label={`ID ${n} type`}
              value={row.type}
              onChange={(e) => set(i, { type: e.target.value as IdentifierType })}
              sx={{ flex: '0 1 200px' }}
            >
              {typeable.map((t) => (
                <MenuItem key={t} value={t}>
                  {identifierLabels[t]}
                </MenuItem>
              ))}
            </TextField>
            <TextField
              label={`ID ${n} number`}
              value={row.value}
              onChange={(e) => set(i, { value: e.target.value })}
              onBlur={() => setLeft((s) => new Set(s).add(i))}
              error={!!error}
              helperText={
                error ??
                (check?.ok
                  ? nationalIdentifierTypes.includes(row.type)
                    ? 'Valid; it will be stored encrypted and shown masked'
                    : 'Valid'
                  : undefined)
              }
              autoComplete="off"
              sx={{ flex: '1 1 220px' }}
            />
            {(row.type === 'insurance-member' || row.type === 'passport') && (
              <TextField
                label={`ID ${n} issuer`}
                value={row.issuer}
                onChange={(e) => set(i, { issuer: e.target.value })}
                helperText={row.type === 'passport' ? 'Issuing country' : 'Insurer or TPA'}
                sx={{ flex: '1 1 160px' }}
              />
            )}
            <IconButton
              aria-label={`Remove ID ${n}`}
              onClick={() => onChange(rows.filter((_, j) => j !== i))}
            >
              <DeleteOutline />
            </IconButton>
          </Box>
        );
      })}
      {rows.length < 10 && (
        <Box>
          <Button startIcon={<Add />} size="small" onClick={() => onChange([...rows, emptyIdentifier()])}>
            Add ID
          </Button>
        </Box>
      )}
    </Stack>
  );
}
