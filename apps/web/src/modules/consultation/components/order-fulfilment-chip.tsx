import WarningAmberIcon from '@mui/icons-material/WarningAmber';
import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Typography from '@mui/material/Typography';
import type { Order } from '@newhms/contracts';
import { type FulfilmentTone, fulfilmentView } from '../order-fulfilment';

const chipColor: Record<FulfilmentTone, 'default' | 'primary' | 'success' | 'warning'> = {
  neutral: 'default',
  progress: 'primary',
  done: 'success',
  warning: 'warning',
};

/** Where the laboratory or radiology is with an order: a chip in words, the department's reason when it refused. */
export function OrderFulfilmentChip({ order }: { order: Order }) {
  const view = fulfilmentView(order);
  if (!view) return null;
  const warning = view.tone === 'warning';
  return (
    <Box data-testid="order-fulfilment" data-fulfilment={order.fulfilmentStatus}>
      <Chip
        size="small"
        label={view.label}
        color={chipColor[view.tone]}
        variant={view.tone === 'neutral' || view.tone === 'progress' ? 'outlined' : 'filled'}
        icon={warning ? <WarningAmberIcon aria-hidden /> : undefined}
        sx={warning ? { fontWeight: 600 } : undefined}
      />
      {view.detail && (
        <Typography
          variant="body2"
          color={warning ? 'warning.dark' : 'text.secondary'}
          sx={{ mt: 0.5, fontWeight: warning ? 600 : undefined }}
        >
          {view.detail}
        </Typography>
      )}
    </Box>
  );
}
