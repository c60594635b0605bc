import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import { useSuppliers } from '../hooks/use-pharmacy';

type Props = {
  label?: string;
  value: string;
  onChange: (supplierId: string) => void;
  /** An extra first option with the empty value (e.g. "All suppliers"). */
  emptyLabel?: string;
  required?: boolean;
  error?: string;
  fullWidth?: boolean;
};

/** Chooses one of the facility's active suppliers. */
export function SupplierSelect({ label = 'Supplier', value, onChange, emptyLabel, ...props }: Props) {
  const suppliers = useSuppliers();
  const active = (suppliers.data ?? []).filter((s) => s.active);
  return (
    <TextField
      select
      label={label}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      required={props.required}
      error={!!props.error}
      helperText={props.error}
      fullWidth={props.fullWidth}
      sx={props.fullWidth ? undefined : { minWidth: 240 }}
    >
      {emptyLabel !== undefined && <MenuItem value="">{emptyLabel}</MenuItem>}
      {active.length === 0 && emptyLabel === undefined && (
        <MenuItem value="" disabled>
          No supplier yet: add one in Stores & suppliers
        </MenuItem>
      )}
      {active.map((s) => (
        <MenuItem key={s.id} value={s.id}>
          {s.name}
        </MenuItem>
      ))}
    </TextField>
  );
}
