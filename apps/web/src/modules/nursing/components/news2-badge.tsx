import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import type { News2Risk } from '@newhms/contracts';
import { riskColors, riskLabels } from '../nursing-labels';

type Props = {
  score: number;
  risk: News2Risk;
  /** A partial set: the score is a floor. */
  complete?: boolean;
  size?: 'small' | 'medium';
};

/** NEWS2 as colour, number and words together: never colour alone. */
export function News2Badge({ score, risk, complete = true, size = 'small' }: Props) {
  const words = riskLabels[risk].replace(/ \(.*\)$/, '');
  return (
    <Chip
      size={size}
      color={riskColors[risk]}
      data-testid="news2-badge"
      label={
        <Box component="span" sx={{ whiteSpace: 'nowrap' }}>
          NEWS2 <strong>{score}</strong>
          {complete ? '' : '+'} · {words}
        </Box>
      }
      title={complete ? riskLabels[risk] : `${riskLabels[risk]}; some parameters were not recorded`}
    />
  );
}
