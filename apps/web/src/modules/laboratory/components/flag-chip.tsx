import WarningAmber from '@mui/icons-material/WarningAmber';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import { flagWords, isCriticalFlag, type LabFlag } from '../result-flags';

const visuallyHidden = {
  border: 0,
  clip: 'rect(0 0 0 0)',
  height: '1px',
  margin: '-1px',
  overflow: 'hidden',
  padding: 0,
  position: 'absolute',
  whiteSpace: 'nowrap',
  width: '1px',
} as const;

type Props = {
  flag: LabFlag | null | undefined;
  /** Shows "N · normal" too (after a save, so the technician sees the value was judged). */
  showNormal?: boolean;
};

/** A result's flag as a chip that says it in words: "HH · critical high" (red, with an icon), "L · low". */
export function FlagChip({ flag, showNormal }: Props) {
  if (!flag || (flag === 'N' && !showNormal)) return null;
  const critical = isCriticalFlag(flag);
  return (
    <Chip
      size="small"
      data-testid="result-flag"
      data-flag={flag}
      icon={critical ? <WarningAmber aria-hidden="true" /> : undefined}
      color={critical ? 'error' : flag === 'N' ? 'default' : 'warning'}
      variant={critical ? 'filled' : 'outlined'}
      label={`${flag} · ${flagWords[flag]}`}
      sx={{ fontWeight: critical ? 700 : 500 }}
    />
  );
}

/** A compact flag for a table cell: "HH" in bold, its words for screen readers. */
export function FlagMark({ flag }: { flag: LabFlag | null | undefined }) {
  if (!flag || flag === 'N') return null;
  const critical = isCriticalFlag(flag);
  return (
    <Box
      component="span"
      data-flag={flag}
      sx={{
        ml: 0.5,
        fontWeight: 700,
        color: critical ? 'error.main' : 'warning.main',
        ...(critical
          ? { bgcolor: 'error.main', color: 'error.contrastText', px: 0.5, borderRadius: 0.5 }
          : {}),
      }}
    >
      {flag}
      <Box component="span" sx={visuallyHidden}>
        {` (${flagWords[flag]})`}
      </Box>
    </Box>
  );
}
