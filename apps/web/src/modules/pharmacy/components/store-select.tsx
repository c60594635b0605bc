import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import type { Store } from '@newhms/contracts';
import { storeKindLabels } from '../pharmacy-labels';

type Props = {
  label?: string;
  value: string | null;
  options: Store[];
  onChange: (storeId: string) => void;
  /** An extra first option with the empty value (e.g. "All stores"). */
  emptyLabel?: string;
  required?: boolean;
  error?: string;
  helperText?: string;
  fullWidth?: boolean;
};

/** Chooses one of the facility's stores. */
export function StoreSelect(props: Props) {
  const { label = 'Store', value, options, onChange, emptyLabel } = props;
  return (
    <TextField
      select
      label={label}
      value={value ?? ''}
      onChange={(e) => onChange(e.target.value)}
      required={props.required}
      error={!!props.error}
      helperText={props.error ?? props.helperText}
      fullWidth={props.fullWidth}
      sx={props.fullWidth ? undefined : { minWidth: 240 }}
    >
      {emptyLabel !== undefined && <MenuItem value="">{emptyLabel}</MenuItem>}
      {options.length === 0 && emptyLabel === undefined && (
        <MenuItem value="" disabled>
          No store yet: open one in Stores & suppliers
        </MenuItem>
      )}
      {options.map((s) => (
        <MenuItem key={s.id} value={s.id}>
          {`${s.name} (${storeKindLabels[s.kind]})`}
        </MenuItem>
      ))}
    </TextField>
  );
}
