import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormGroup from '@mui/material/FormGroup';
import { consentKinds } from '@newhms/contracts';
import type { ConsentKind } from '../patient-form-values';
import { consentLabels } from '../patient-labels';

type Props = {
  value: Record<ConsentKind, boolean>;
  onChange: (value: Record<ConsentKind, boolean>) => void;
  disabled?: boolean;
};

/** What the patient agreed to be contacted by, and whether records may be shared. */
export function ConsentCheckboxes({ value, onChange, disabled }: Props) {
  return (
    <FormGroup role="group" aria-label="Consents" row sx={{ columnGap: 3 }}>
      {consentKinds.map((kind) => (
        <FormControlLabel
          key={kind}
          control={
            <Checkbox
              checked={value[kind]}
              disabled={disabled}
              onChange={(e) => onChange({ ...value, [kind]: e.target.checked })}
            />
          }
          label={consentLabels[kind]}
        />
      ))}
    </FormGroup>
  );
}
