import Box from '@mui/material/Box';
import { formatRupees } from '../../../ui/money';

/** counted - expected in words: "Short by ₹200.00", "Over by ₹50.00", "Matches"; the colour only repeats it. */
export function differenceText(difference: number | null): string {
  if (difference === null) return 'Not counted yet';
  if (difference === 0) return 'Matches';
  return difference < 0 ? `Short by ${formatRupees(-difference)}` : `Over by ${formatRupees(difference)}`;
}

export function CashDifference({ difference, testId }: { difference: number | null; testId?: string }) {
  const colour =
    difference === null || difference === 0 ? 'text.primary' : difference < 0 ? 'error.main' : 'warning.main';
  return (
    <Box component="span" sx={{ color: colour, fontWeight: difference ? 700 : 400 }} data-testid={testId}>
      {differenceText(difference)}
    </Box>
  );
}
