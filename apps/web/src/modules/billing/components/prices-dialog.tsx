import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { type BillingService, type ServicePrice, TariffClass } from '@newhms/contracts';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { type Column, DataTable } from '../../../ui/data-table';
import { formatCalendarDate } from '../../../ui/facility-time';
import { formatRupees, parseRupees } from '../../../ui/money';
import { ProblemAlert } from '../../../ui/problem-alert';
import { useAddPrice, useServicePrices } from '../hooks/use-billing';
import { MoneyField } from './money-field';

type Props = { service: BillingService | null; today: string; canManage: boolean; onClose: () => void };

/** A service's dated prices per tariff class and payer, and a new price from a date (the open one closes then). */
export function PricesDialog({ service, today, canManage, onClose }: Props) {
  const titleId = useId();
  const prices = useServicePrices(service?.id);
  const add = useAddPrice();
  const [tariffClass, setTariffClass] = useState('*');
  const [price, setPrice] = useState('');
  const [validFrom, setValidFrom] = useState(today);
  const [submitted, setSubmitted] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset on opening only
  useEffect(() => {
    if (service) {
      setTariffClass('*');
      setPrice('');
      setValidFrom(today);
      setSubmitted(false);
      add.reset();
    }
  }, [service]);
  const paise = parseRupees(price);
  const classOk = TariffClass.safeParse(tariffClass).success;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (!service || paise === null || !classOk || !validFrom) return;
    add.mutate(
      { serviceId: service.id, tariffClass: tariffClass.trim().toLowerCase(), price: paise, validFrom },
      { onSuccess: () => setPrice('') },
    );
  };
  const rows = [...(prices.data ?? [])].sort(
    (a, b) => a.tariffClass.localeCompare(b.tariffClass) || b.validFrom.localeCompare(a.validFrom),
  );
  const columns: Column<ServicePrice>[] = [
    {
      id: 'class',
      header: 'Tariff class',
      render: (p) => (p.tariffClass === '*' ? 'Any (*)' : p.tariffClass),
    },
    { id: 'payer', header: 'Payer', render: (p) => (p.payerId ? 'Payer rate' : 'Hospital rate') },
    { id: 'price', header: 'Price', align: 'right', render: (p) => formatRupees(p.price) },
    { id: 'from', header: 'From', render: (p) => formatCalendarDate(p.validFrom) },
    { id: 'to', header: 'Until', render: (p) => (p.validTo ? formatCalendarDate(p.validTo) : 'Open') },
  ];
  return (
    <Dialog open={!!service} onClose={onClose} aria-labelledby={titleId} fullWidth maxWidth="md">
      <DialogTitle id={titleId}>Prices of {service ? `${service.name} (${service.code})` : ''}</DialogTitle>
      <DialogContent>
        <DataTable
          label="Price history"
          columns={columns}
          rows={rows}
          rowKey={(p) => p.id}
          loading={prices.isLoading}
          emptyText="No price yet"
        />
        <ProblemAlert error={prices.error} sx={{ mt: 1 }} />
        {canManage && (
          <Box component="form" onSubmit={submit} noValidate aria-label="Add a new price" sx={{ mt: 3 }}>
            <Typography component="h3" variant="subtitle1" sx={{ fontWeight: 600, mb: 1 }}>
              Add a new price from a date
            </Typography>
            <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
              The open price of the same tariff class ends the day before; charges already posted keep their
              price.
            </Typography>
            <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} sx={{ alignItems: 'flex-start' }}>
              <TextField
                label="Tariff class"
                value={tariffClass}
                onChange={(e) => setTariffClass(e.target.value)}
                required
                error={!classOk}
                helperText={
                  classOk
                    ? "'*' for any, or a bed category's class"
                    : "'*' or lower-case letters, digits, dashes"
                }
              />
              <MoneyField label="Price" value={price} onChange={setPrice} required showErrors={submitted} />
              <TextField
                label="Valid from"
                type="date"
                value={validFrom}
                onChange={(e) => setValidFrom(e.target.value)}
                required
                helperText=" "
                slotProps={{ inputLabel: { shrink: true } }}
              />
              <Button type="submit" variant="contained" disabled={add.isPending} sx={{ flexShrink: 0 }}>
                Add price
              </Button>
            </Stack>
            <ProblemAlert error={add.error} />
          </Box>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
}
