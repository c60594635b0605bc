import Add from '@mui/icons-material/Add';
import DeleteOutlined from '@mui/icons-material/DeleteOutlined';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import IconButton from '@mui/material/IconButton';
import InputAdornment from '@mui/material/InputAdornment';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { FormularyItem, PurchaseOrder } from '@newhms/contracts';
import { type FormEvent, useState } from 'react';
import { blankToNull } from '../../../ui/form-validation';
import { formatRupees } from '../../../ui/money';
import { ProblemAlert } from '../../../ui/problem-alert';
import { useCreatePurchaseOrder } from '../hooks/use-pharmacy';
import {
  emptyOrderLine,
  type OrderLineDraft,
  type OrderLineErrors,
  orderDraftTotal,
  readOrderLine,
  repeatedOrderItems,
} from '../purchase-orders';
import { FormularyPicker, formularyItemLabel } from './formulary-picker';

type Line = OrderLineDraft & { item: FormularyItem | null };
const newLine = (): Line => ({ ...emptyOrderLine(), item: null });

type Props = {
  supplierId: string;
  storeId: string | null;
  onCreated: (po: PurchaseOrder) => void;
  onCancel: () => void;
};

/** A purchase order typed by hand: items, units and the agreed rate per unit in rupees; saved as a draft. */
export function PurchaseOrderForm({ supplierId, storeId, onCreated, onCancel }: Props) {
  const create = useCreatePurchaseOrder();
  const [lines, setLines] = useState<Line[]>(() => [newLine()]);
  const [expectedDate, setExpectedDate] = useState('');
  const [notes, setNotes] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const update = (key: string, patch: Partial<Line>) =>
    setLines((ls) => ls.map((l) => (l.key === key ? { ...l, ...patch } : l)));

  const read = lines.map(readOrderLine);
  const repeated = repeatedOrderItems(lines);
  const errorsOf = (index: number): OrderLineErrors => {
    const r = read[index];
    const errors: OrderLineErrors = r && !r.ok ? { ...r.errors } : {};
    if (repeated.includes(lines[index]?.key ?? '')) errors.formularyItemId = 'Already on this order';
    return errors;
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (!supplierId || !storeId || repeated.length > 0) return;
    const ok = read.flatMap((r) => (r.ok ? [r.line] : []));
    if (ok.length !== read.length) return;
    create.mutate(
      { supplierId, storeId, expectedDate: expectedDate || null, notes: blankToNull(notes), lines: ok },
      { onSuccess: onCreated },
    );
  };

  const rupees = { input: { startAdornment: <InputAdornment position="start">₹</InputAdornment> } };
  return (
    <Box component="form" onSubmit={submit} noValidate aria-label="New purchase order by hand">
      <Stack spacing={2}>
        {submitted && (!supplierId || !storeId) && (
          <Typography color="error" role="alert">
            Choose the supplier and the store first.
          </Typography>
        )}
        {lines.map((line, index) => {
          const errors = submitted ? errorsOf(index) : {};
          const n = index + 1;
          return (
            <Box
              key={line.key}
              role="group"
              aria-label={`Order line ${n}`}
              sx={{ display: 'grid', gap: 1.5, gridTemplateColumns: { xs: '1fr', sm: '3fr 1fr 1fr auto' } }}
            >
              <FormularyPicker
                value={line.item}
                required
                onChange={(item) => update(line.key, { item, formularyItemId: item?.id ?? '' })}
                error={errors.formularyItemId}
              />
              <TextField
                label="Quantity"
                value={line.quantity}
                onChange={(e) => update(line.key, { quantity: e.target.value })}
                required
                error={!!errors.quantity}
                helperText={errors.quantity ?? (line.item ? `${line.item.unitOfIssue}s` : ' ')}
                slotProps={{ htmlInput: { inputMode: 'numeric', autoComplete: 'off' } }}
              />
              <TextField
                label="Rate per unit"
                value={line.rate}
                onChange={(e) => update(line.key, { rate: e.target.value })}
                required
                error={!!errors.rate}
                helperText={errors.rate ?? ' '}
                slotProps={{ ...rupees, htmlInput: { inputMode: 'decimal', autoComplete: 'off' } }}
              />
              <IconButton
                aria-label={`Remove order line ${n}${line.item ? ` (${formularyItemLabel(line.item)})` : ''}`}
                disabled={lines.length === 1}
                onClick={() => setLines((ls) => ls.filter((l) => l.key !== line.key))}
              >
                <DeleteOutlined />
              </IconButton>
            </Box>
          );
        })}
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 2, flexWrap: 'wrap' }}>
          <Button startIcon={<Add />} onClick={() => setLines((ls) => [...ls, newLine()])}>
            Add an item
          </Button>
          <Typography sx={{ fontWeight: 600 }} aria-live="polite" data-testid="order-draft-total">
            {`Total ${formatRupees(orderDraftTotal(lines))}`}
          </Typography>
        </Box>
        <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
          <TextField
            label="Expected by (optional)"
            type="date"
            value={expectedDate}
            onChange={(e) => setExpectedDate(e.target.value)}
            slotProps={{ inputLabel: { shrink: true } }}
          />
          <TextField
            label="Notes"
            value={notes}
            onChange={(e) => setNotes(e.target.value)}
            sx={{ flexGrow: 1 }}
            slotProps={{ htmlInput: { maxLength: 500 } }}
          />
        </Stack>
        <ProblemAlert error={create.error} />
        <Stack direction="row" spacing={1}>
          <Button type="submit" variant="contained" disabled={create.isPending}>
            Save draft
          </Button>
          <Button onClick={onCancel}>Close</Button>
        </Stack>
      </Stack>
    </Box>
  );
}
