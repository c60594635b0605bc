import Chip from '@mui/material/Chip';
import { daysLeftLabel, expiryBandColor, expiryBandOf } from '../expiry-bands';

/** Days left to a batch's expiry, coloured by its band (and said in words). */
export function ExpiryChip({ daysToExpiry }: { daysToExpiry: number }) {
  const band = expiryBandOf(daysToExpiry);
  return (
    <Chip
      size="small"
      variant={band === 'expired' ? 'filled' : 'outlined'}
      color={expiryBandColor(band)}
      label={daysLeftLabel(daysToExpiry)}
      data-band={band}
    />
  );
}
