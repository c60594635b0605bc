import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import type { matchKinds } from '@newhms/contracts';
import { matchKindLabels } from '../patient-labels';

/** What a search result matched on: MRN, phone, an ID, the name, or how the name sounds. */
export function MatchChips({ matchedOn }: { matchedOn: (typeof matchKinds)[number][] }) {
  return (
    <Box sx={{ display: 'flex', gap: 0.5, flexWrap: 'wrap' }}>
      {matchedOn.map((m) => (
        <Chip
          key={m}
          size="small"
          variant={m === 'phonetic' ? 'outlined' : 'filled'}
          color={m === 'mrn' || m === 'identifier' ? 'primary' : 'default'}
          label={matchKindLabels[m]}
        />
      ))}
    </Box>
  );
}
