import Box from '@mui/material/Box';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import { admissionPriorities, type WardKind, wardKinds } from '@newhms/contracts';
import { priorityLabels, wardKindLabels } from '../ipd-labels';

export type RequestValues = {
  priority: (typeof admissionPriorities)[number];
  wardKind: WardKind | '';
  reason: string;
};

export const emptyRequest: RequestValues = { priority: 'routine', wardKind: '', reason: '' };

/** The fields of an admission request that the OPD and the admission desk share. */
export function RequestFields({
  values,
  onChange,
  errors,
}: {
  values: RequestValues;
  onChange: (values: RequestValues) => void;
  errors: Record<string, string>;
}) {
  return (
    <>
      <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap' }}>
        <TextField
          select
          label="Priority"
          value={values.priority}
          onChange={(e) => onChange({ ...values, priority: e.target.value as RequestValues['priority'] })}
          sx={{ minWidth: 180 }}
        >
          {admissionPriorities.map((p) => (
            <MenuItem key={p} value={p}>
              {priorityLabels[p]}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          select
          label="Ward wanted"
          value={values.wardKind}
          onChange={(e) => onChange({ ...values, wardKind: e.target.value as WardKind | '' })}
          sx={{ minWidth: 200 }}
        >
          <MenuItem value="">Any ward</MenuItem>
          {wardKinds.map((k) => (
            <MenuItem key={k} value={k}>
              {wardKindLabels[k]}
            </MenuItem>
          ))}
        </TextField>
      </Box>
      <TextField
        label="Reason for admission"
        required
        multiline
        minRows={2}
        value={values.reason}
        onChange={(e) => onChange({ ...values, reason: e.target.value })}
        error={!!errors.reason}
        helperText={errors.reason ?? ' '}
        slotProps={{ htmlInput: { maxLength: 500 } }}
      />
    </>
  );
}
