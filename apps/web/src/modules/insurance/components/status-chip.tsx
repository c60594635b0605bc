import Chip from '@mui/material/Chip';
import type { ClaimStatus, PreauthStatus } from '@newhms/contracts';
import { claimStatusLabels, preauthStatusLabels, statusColours } from '../insurance-labels';

/** A pre-authorization's or a claim's status in words, coloured to support the words. */
export function StatusChip({
  status,
  kind,
  enhancementPending,
}: {
  status: PreauthStatus | ClaimStatus;
  kind: 'preauth' | 'claim';
  enhancementPending?: boolean;
}) {
  const labels: Record<string, string> = kind === 'preauth' ? preauthStatusLabels : claimStatusLabels;
  const label = labels[status] ?? status;
  return (
    <Chip
      size="small"
      color={statusColours[status] ?? 'default'}
      variant={status === 'closed' || status === 'cancelled' ? 'outlined' : 'filled'}
      label={enhancementPending ? `${label} (enhancement pending)` : label}
      data-status={status}
    />
  );
}
