import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import type { StockItem } from '@newhms/contracts';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { ProblemAlert } from '../../../ui/problem-alert';
import { useSetReorderLevel } from '../hooks/use-pharmacy';
import { parseUnits } from '../units';
import { formularyItemLabel } from './formulary-picker';

type Props = { item: StockItem | null; storeName: string; onClose: () => void };

/** Sets the level at or below which an item is flagged for reordering in a store, and how much to order. */
export function ReorderDialog({ item, storeName, onClose }: Props) {
  const titleId = useId();
  const save = useSetReorderLevel();
  const [minimum, setMinimum] = useState('');
  const [reorderQuantity, setReorderQuantity] = useState('');
  const [submitted, setSubmitted] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset on opening only
  useEffect(() => {
    if (item) {
      setMinimum(item.reorderMinimum === null ? '' : String(item.reorderMinimum));
      setReorderQuantity('');
      setSubmitted(false);
      save.reset();
    }
  }, [item]);
  const min = parseUnits(minimum, 0);
  const qty = parseUnits(reorderQuantity);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (!item || min === null || qty === null) return;
    save.mutate(
      { storeId: item.storeId, itemId: item.formularyItemId, minimum: min, reorderQuantity: qty },
      { onSuccess: onClose },
    );
  };
  return (
    <Dialog open={!!item} onClose={onClose} aria-labelledby={titleId} fullWidth maxWidth="xs">
      <form onSubmit={submit} noValidate>
        <DialogTitle id={titleId}>Reorder level</DialogTitle>
        <DialogContent>
          <DialogContentText sx={{ mb: 2 }}>
            {item && formularyItemLabel(item)} in {storeName}: flagged when the available units fall to the
            minimum or below.
          </DialogContentText>
          <Stack spacing={2}>
            <TextField
              label="Minimum units"
              value={minimum}
              onChange={(e) => setMinimum(e.target.value)}
              required
              autoFocus
              error={submitted && min === null}
              helperText={submitted && min === null ? 'Enter whole units, 0 or more' : ' '}
              slotProps={{ htmlInput: { inputMode: 'numeric' } }}
            />
            <TextField
              label="Units to order"
              value={reorderQuantity}
              onChange={(e) => setReorderQuantity(e.target.value)}
              required
              error={submitted && qty === null}
              helperText={submitted && qty === null ? 'Enter whole units, at least 1' : ' '}
              slotProps={{ htmlInput: { inputMode: 'numeric' } }}
            />
            <ProblemAlert error={save.error} />
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="contained" disabled={save.isPending}>
            Save
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
