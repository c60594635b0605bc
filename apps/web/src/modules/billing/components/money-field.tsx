import InputAdornment from '@mui/material/InputAdornment';
import TextField from '@mui/material/TextField';
import { parseRupees } from '../../../ui/money';

type Props = {
  label: string;
  value: string;
  onChange: (value: string) => void;
  required?: boolean;
  /** Shown when the value is valid; an invalid value shows what is wrong instead. */
  helperText?: string;
  /** Set by the form once it has been submitted: an empty or malformed amount is then an error. */
  showErrors?: boolean;
  /** An error of the form's own (above the balance, below the minimum). */
  error?: string;
  autoFocus?: boolean;
  fullWidth?: boolean;
};

/** An amount in rupees (₹, up to two decimals), typed as text and parsed exactly to paise by the form. */
export function MoneyField(props: Props) {
  const parsed = props.value.trim() === '' ? null : parseRupees(props.value);
  const malformed = props.value.trim() !== '' && parsed === null;
  const missing = props.required && props.value.trim() === '';
  const problem =
    props.error ??
    (malformed
      ? 'Enter an amount in rupees, e.g. 1,250.50'
      : props.showErrors && missing
        ? 'Enter the amount'
        : undefined);
  return (
    <TextField
      label={props.label}
      value={props.value}
      onChange={(e) => props.onChange(e.target.value)}
      required={props.required}
      autoFocus={props.autoFocus}
      fullWidth={props.fullWidth ?? true}
      error={!!problem}
      helperText={problem ?? props.helperText ?? ' '}
      slotProps={{
        input: { startAdornment: <InputAdornment position="start">₹</InputAdornment> },
        htmlInput: { inputMode: 'decimal', autoComplete: 'off' },
      }}
    />
  );
}
