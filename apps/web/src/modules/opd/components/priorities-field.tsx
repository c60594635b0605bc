import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormGroup from '@mui/material/FormGroup';
import FormHelperText from '@mui/material/FormHelperText';
import FormLabel from '@mui/material/FormLabel';
import { type PriorityKind, priorityKinds } from '@newhms/contracts';
import { useId } from 'react';
import { useOpdSettings } from '../hooks/use-opd-setup';
import { priorityLabels } from '../opd-labels';

type Props = { value: PriorityKind[]; onChange: (next: PriorityKind[]) => void };

/** The queue priorities the desk may declare, as this facility honours them. */
export function PrioritiesField({ value, onChange }: Props) {
  const settings = useOpdSettings();
  const labelId = useId();
  const enabled = settings.data?.priorityKinds ?? priorityKinds;
  if (enabled.length === 0) return null;
  const toggle = (kind: PriorityKind, on: boolean) =>
    onChange(on ? [...value, kind] : value.filter((k) => k !== kind));
  return (
    <FormGroup role="group" aria-labelledby={labelId}>
      <FormLabel id={labelId} component="legend" sx={{ mb: 0.5 }}>
        Priority
      </FormLabel>
      <FormGroup row>
        {enabled.map((kind) => (
          <FormControlLabel
            key={kind}
            control={
              <Checkbox
                checked={value.includes(kind)}
                onChange={(e) => toggle(kind, e.target.checked)}
                color={kind === 'emergency' ? 'error' : 'primary'}
              />
            }
            label={priorityLabels[kind]}
          />
        ))}
      </FormGroup>
      {enabled.includes('elderly') && settings.data && (
        <FormHelperText>
          Elderly is also set from the date of birth ({settings.data.elderlyAge}+ years).
        </FormHelperText>
      )}
    </FormGroup>
  );
}
