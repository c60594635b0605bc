import Block from '@mui/icons-material/Block';
import Build from '@mui/icons-material/Build';
import CheckCircle from '@mui/icons-material/CheckCircle';
import CleaningServices from '@mui/icons-material/CleaningServices';
import EventAvailable from '@mui/icons-material/EventAvailable';
import Hotel from '@mui/icons-material/Hotel';
import type { SvgIconProps } from '@mui/material/SvgIcon';
import type { BedBoardStatus } from '@newhms/contracts';

const icons = {
  available: CheckCircle,
  reserved: EventAvailable,
  occupied: Hotel,
  cleaning: CleaningServices,
  maintenance: Build,
  blocked: Block,
} as const;

/** The icon of a bed status (beside its name: colour is never the only sign). */
export function BedStatusIcon({ status, ...props }: { status: BedBoardStatus } & SvgIconProps) {
  const Icon = icons[status];
  return <Icon aria-hidden="true" {...props} />;
}
