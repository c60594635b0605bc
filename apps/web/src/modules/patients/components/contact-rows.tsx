import Add from '@mui/icons-material/Add';
import DeleteOutline from '@mui/icons-material/DeleteOutlined';
import Autocomplete from '@mui/material/Autocomplete';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { FieldErrors } from '../../../ui/form-validation';
import { type ContactRow, emptyContact } from '../patient-form-values';
import { contactKindLabels, relationships } from '../patient-labels';
import { fieldGrid } from './form-section';

type Props = {
  rows: ContactRow[];
  onChange: (rows: ContactRow[]) => void;
  errors: FieldErrors;
};

/** Next of kin and emergency contacts, each with the relationship to the patient. */
export function ContactRows({ rows, onChange, errors }: Props) {
  const set = (i: number, patch: Partial<ContactRow>) =>
    onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const err = (i: number, f: string) => errors[`contacts.${i}.${f}`];
  return (
    <Stack spacing={2}>
      {rows.length === 0 && <Typography color="text.secondary">No contact person yet.</Typography>}
      {rows.map((row, i) => {
        const n = i + 1;
        return (
          <Paper
            // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity of their own
            key={i}
            variant="outlined"
            component="fieldset"
            sx={{ p: 2, m: 0, border: 1, borderColor: 'divider' }}
          >
            <Box component="legend" sx={{ px: 0.5, fontWeight: 600 }}>
              Contact {n}
            </Box>
            <Box sx={fieldGrid}>
              <TextField
                select
                label={`Contact ${n} kind`}
                value={row.kind}
                onChange={(e) => set(i, { kind: e.target.value as ContactRow['kind'] })}
              >
                {Object.entries(contactKindLabels).map(([k, label]) => (
                  <MenuItem key={k} value={k}>
                    {label}
                  </MenuItem>
                ))}
              </TextField>
              <TextField
                label={`Contact ${n} name`}
                value={row.name}
                onChange={(e) => set(i, { name: e.target.value })}
                error={!!err(i, 'name')}
                helperText={err(i, 'name')}
                required
              />
              <Autocomplete
                freeSolo
                options={relationships}
                value={row.relationship}
                inputValue={row.relationship}
                onInputChange={(_, v) => set(i, { relationship: v })}
                renderInput={(params) => (
                  <TextField
                    {...params}
                    label={`Contact ${n} relationship`}
                    error={!!err(i, 'relationship')}
                    helperText={err(i, 'relationship')}
                    required
                  />
                )}
              />
              <TextField
                label={`Contact ${n} phone`}
                type="tel"
                value={row.phone}
                onChange={(e) => set(i, { phone: e.target.value })}
                error={!!err(i, 'phone')}
                helperText={err(i, 'phone')}
              />
              <TextField
                label={`Contact ${n} address`}
                value={row.address}
                onChange={(e) => set(i, { address: e.target.value })}
                error={!!err(i, 'address')}
                helperText={err(i, 'address')}
                sx={{ gridColumn: { sm: 'span 2' } }}
              />
            </Box>
            <Box sx={{ mt: 1 }}>
              <Button
                size="small"
                color="error"
                startIcon={<DeleteOutline />}
                onClick={() => onChange(rows.filter((_, j) => j !== i))}
                aria-label={`Remove contact ${n}`}
              >
                Remove
              </Button>
            </Box>
          </Paper>
        );
      })}
      {rows.length < 10 && (
        <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap' }}>
          <Button
            startIcon={<Add />}
            size="small"
            onClick={() => onChange([...rows, emptyContact('next-of-kin')])}
          >
            Add next of kin
          </Button>
          <Button
            startIcon={<Add />}
            size="small"
            onClick={() => onChange([...rows, emptyContact('emergency')])}
          >
            Add emergency contact
          </Button>
        </Box>
      )}
    </Stack>
  );
}
