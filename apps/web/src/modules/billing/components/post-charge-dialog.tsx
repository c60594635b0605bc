import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { BillingAccount, BillingService } from '@newhms/contracts';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { formatRupees, parseRupees } from '../../../ui/money';
import { ProblemAlert } from '../../../ui/problem-alert';
import { usePostCharge, usePriceQuote } from '../hooks/use-billing';
import { MoneyField } from './money-field';
import { ServicePicker } from './service-picker';

type Props = { open: boolean; account: BillingAccount; today: string; onClose: () => void };

/** Posts a charge by hand: a service of the charge master, priced at the service date for the account's class. */
export function PostChargeDialog({ open, account, today, onClose }: Props) {
  const titleId = useId();
  const [service, setService] = useState<BillingService | null>(null);
  const [quantity, setQuantity] = useState('1');
  const [serviceDate, setServiceDate] = useState(today);
  const [unitPrice, setUnitPrice] = useState('');
  const [note, setNote] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const post = usePostCharge();
  const quote = usePriceQuote(service?.id, account.tariffClass);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset on opening only
  useEffect(() => {
    if (open) {
      setService(null);
      setQuantity('1');
      setServiceDate(today);
      setUnitPrice('');
      setNote('');
      setSubmitted(false);
      post.reset();
    }
  }, [open]);

  const qty = /^\d{1,5}$/.test(quantity.trim()) ? Number(quantity) : 0;
  const unpriced = !!service && quote.isSuccess && quote.data === null;
  const openPrice = unpriced ? parseRupees(unitPrice) : null;
  const price = quote.data?.price ?? openPrice;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (!service || qty < 1 || (unpriced && openPrice === null)) return;
    post.mutate(
      {
        accountId: account.id,
        serviceId: service.id,
        quantity: qty,
        serviceDate,
        ...(unpriced && openPrice !== null ? { unitPrice: openPrice } : {}),
        note: note.trim() || null,
      },
      { onSuccess: onClose },
    );
  };
  return (
    <Dialog open={open} onClose={onClose} aria-labelledby={titleId} fullWidth maxWidth="sm">
      <form onSubmit={submit} noValidate>
        <DialogTitle id={titleId}>Post a charge</DialogTitle>
        <DialogContent>
          <Stack spacing={2} sx={{ pt: 1 }}>
            <ServicePicker
              value={service}
              onChange={setService}
              autoFocus
              error={submitted && !service ? 'Choose the service' : undefined}
            />
            <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
              <TextField
                label="Quantity"
                value={quantity}
                onChange={(e) => setQuantity(e.target.value)}
                required
                error={submitted && qty < 1}
                helperText={submitted && qty < 1 ? 'A whole number, 1 or more' : ' '}
                slotProps={{ htmlInput: { inputMode: 'numeric' } }}
              />
              <TextField
                label="Service date"
                type="date"
                value={serviceDate}
                onChange={(e) => setServiceDate(e.target.value)}
                required
                helperText="Not in the future"
                slotProps={{ inputLabel: { shrink: true }, htmlInput: { max: today } }}
              />
            </Stack>
            {unpriced && (
              <>
                <Alert severity="info">
                  The charge master has no price for this service in tariff class {account.tariffClass}: enter
                  the unit price (open-priced items only).
                </Alert>
                <MoneyField
                  label="Unit price"
                  value={unitPrice}
                  onChange={setUnitPrice}
                  required
                  showErrors={submitted}
                />
              </>
            )}
            {service && price !== null && price !== undefined && (
              <Typography data-testid="charge-amount">
                {qty || 0} × {formatRupees(price)} = <strong>{formatRupees((qty || 0) * price)}</strong>
              </Typography>
            )}
            <TextField
              label="Note"
              value={note}
              onChange={(e) => setNote(e.target.value)}
              multiline
              minRows={2}
              slotProps={{ htmlInput: { maxLength: 500 } }}
            />
            <ProblemAlert error={post.error} />
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="contained" disabled={post.isPending}>
            Post charge
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
