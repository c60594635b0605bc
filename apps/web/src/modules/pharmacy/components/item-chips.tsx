import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import type { DrugSchedule } from '@newhms/contracts';
import { needsPrescription } from '../dispense-rules';
import { scheduleLabels } from '../pharmacy-labels';

type Props = { schedule: DrugSchedule; controlled: boolean; highAlert: boolean };

/** The schedule (when it needs a prescription), controlled and high-alert flags of an item, in words. */
export function ItemChips({ schedule, controlled, highAlert }: Props) {
  return (
    <Stack direction="row" spacing={0.5} sx={{ flexWrap: 'wrap', rowGap: 0.5 }}>
      {needsPrescription(schedule) && (
        <Chip size="small" variant="outlined" color="primary" label={scheduleLabels[schedule]} />
      )}
      {controlled && <Chip size="small" color="secondary" label="Controlled" />}
      {highAlert && <Chip size="small" color="error" label="High alert" />}
    </Stack>
  );
}
