import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import type { DrugSchedule } from '@newhms/contracts';

type Props = {
  schedule: string;
  highAlert: boolean;
  lasaGroup?: string | null;
  controlled?: boolean;
};

const scheduleWords: Record<DrugSchedule, string> = {
  H: 'Schedule H',
  H1: 'Schedule H1',
  X: 'Schedule X',
  G: 'Schedule G',
  OTC: 'OTC',
};

/** The schedule, controlled, high-alert and look-alike/sound-alike flags of a medicine, in words. */
export function MedicineChips({ schedule, highAlert, lasaGroup, controlled }: Props) {
  return (
    <Stack direction="row" spacing={0.5} sx={{ flexWrap: 'wrap', rowGap: 0.5 }} component="span">
      <Chip
        size="small"
        variant="outlined"
        label={scheduleWords[schedule as DrugSchedule] ?? `Schedule ${schedule}`}
      />
      {controlled && <Chip size="small" color="secondary" label="Controlled" />}
      {highAlert && <Chip size="small" color="error" label="High alert" />}
      {lasaGroup && (
        <Chip size="small" color="warning" variant="outlined" label="LASA" title="Look-alike, sound-alike" />
      )}
    </Stack>
  );
}
