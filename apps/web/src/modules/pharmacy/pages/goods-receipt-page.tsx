import Add from '@mui/icons-material/Add';
import DeleteOutlined from '@mui/icons-material/DeleteOutlined';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import IconButton from '@mui/material/IconButton';
import InputAdornment from '@mui/material/InputAdornment';
import Link from '@mui/material/Link';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { type FormularyItem, type GoodsReceipt, GoodsReceiptBody } from '@newhms/contracts';
import { type FormEvent, useState } from 'react';
import { Link as RouterLink } from 'react-router';
import { useFacilityDate } from '../../../ui/facility-time';
import {
  blankToNull,
  type FieldErrors,
  fieldErrorsFromProblem,
  validateForm,
} from '../../../ui/form-validation';
import { formatRupees } from '../../../ui/money';
import { PageHeader } from '../../../ui/page-header';
import { ProblemAlert } from '../../../ui/problem-alert';
import { FormularyPicker, formularyItemLabel } from '../components/formulary-picker';
import { Section } from '../components/section';
import { StoreSelect } from '../components/store-select';
import { useChosenStore } from '../hooks/use-chosen-store';
import {
  type GoodsReceiptInput,
  useFetchFormularyItems,
  usePurchaseOrders,
  useReceiveGoods,
  useSuppliers,
} from '../hooks/use-pharmacy';
import { openOrdersFor, receiptLinesFromOrder, receivedOfOrdered } from '../purchase-orders';
import {
  emptyReceiptLine,
  lineErrors,
  type ReceiptLineDraft,
  readReceiptLine,
  receiptLineCost,
  receiptTotal,
} from '../receipt-lines';

type Line = ReceiptLineDraft & { item: FormularyItem | null };

const newLine = (): Line => ({ ...emptyReceiptLine(), item: null });

/**
 * A supplier's delivery at /pharmacy/receipts/new: the invoice, then one line per batch (item, batch number,
 * expiry, units paid and free, MRP and cost per unit in rupees) with the running total at cost.
 */
export function GoodsReceiptPage() {
  const { storeId, options, choose } = useChosenStore();
  const suppliers = useSuppliers();
  const receive = useReceiveGoods();
  const [supplierId, setSupplierId] = useState('');
  const [invoiceNo, setInvoiceNo] = useState('');
  const [invoiceDate, setInvoiceDate] = useFacilityDate();
  const [notes, setNotes] = useState('');
  const [lines, setLines] = useState<Line[]>(() => [newLine()]);
  const [formErrors, setFormErrors] = useState<FieldErrors>({});
  const [posted, setPosted] = useState<GoodsReceipt | null>(null);
  const [chosenOrderId, setChosenOrderId] = useState('');
  const [orderLoadError, setOrderLoadError] = useState<unknown>(null);
  const fetchItems = useFetchFormularyItems();
  const supplierOrders = usePurchaseOrders({ supplierId: supplierId || undefined });
  const openOrders = openOrdersFor(supplierOrders.data ?? [], supplierId, storeId);
  // A change of supplier or store drops an order that is not theirs.
  const purchaseOrderId = openOrders.some((o) => o.id === chosenOrderId) ? chosenOrderId : '';

  // The delivery fills an order: its lines still outstanding become the receipt's lines (units to come, the
  // ordered rate as cost); batch, expiry and MRP come from the invoice.
  const chooseOrder = async (id: string) => {
    setChosenOrderId(id);
    setOrderLoadError(null);
    const po = openOrders.find((o) => o.id === id);
    if (!po) return;
    const drafts = receiptLinesFromOrder(po);
    try {
      const items = await fetchItems(drafts.map((d) => d.formularyItemId));
      setLines(drafts.map((d, i) => ({ ...d, item: items[i] ?? null })));
      setFormErrors({});
      receive.reset();
    } catch (err) {
      setOrderLoadError(err);
    }
  };

  const errors: FieldErrors = { ...fieldErrorsFromProblem(receive.error), ...formErrors };
  const update = (key: string, patch: Partial<Line>) =>
    setLines((ls) => ls.map((l) => (l.key === key ? { ...l, ...patch } : l)));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    receive.reset();
    const read = lines.map(readReceiptLine);
    const body = {
      storeId: storeId ?? '',
      supplierId,
      purchaseOrderId: purchaseOrderId || null,
      supplierInvoiceNo: invoiceNo,
      supplierInvoiceDate: invoiceDate,
      notes: blankToNull(notes),
      lines: read.map((r) => r.input),
    };
    const checked = validateForm(GoodsReceiptBody, body);
    const found: FieldErrors = checked.ok ? {} : { ...checked.errors };
    read.forEach((r, i) => {
      for (const [field, message] of Object.entries(r.errors)) found[`lines.${i}.${field}`] = message;
    });
    if (!supplierId) found.supplierId = 'Choose the supplier';
    if (!storeId) found.storeId = 'Choose the store';
    setFormErrors(found);
    if (Object.keys(found).length > 0 || !checked.ok) return;
    receive.mutate(checked.data as GoodsReceiptInput, {
      onSuccess: (receipt) => {
        setPosted(receipt);
        setLines([newLine()]);
        setInvoiceNo('');
        setNotes('');
        setChosenOrderId('');
      },
    });
  };

  const total = receiptTotal(lines);
  return (
    <>
      <PageHeader
        title="Goods receipt"
        subtitle="Post a supplier's invoice into a store: each batch with its expiry, MRP and cost"
      />
      {posted && (
        <Alert
          severity="success"
          sx={{ mb: 2 }}
          data-testid="receipt-posted"
          action={
            <Button color="inherit" component={RouterLink} to="/pharmacy">
              See the stock
            </Button>
          }
        >
          {`Receipt ${posted.number} posted: ${posted.lines.length} line${posted.lines.length === 1 ? '' : 's'} from ${posted.supplierName}, ${formatRupees(posted.totalCost)} at cost.`}
        </Alert>
      )}
      <Box component="form" onSubmit={submit} noValidate aria-label="Goods receipt">
        <Stack spacing={3}>
          <Section title="Invoice">
            <Box
              sx={{
                display: 'grid',
                gap: 2,
                gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr', md: 'repeat(4, 1fr)' },
              }}
            >
              <StoreSelect
                value={storeId}
                options={options}
                onChange={choose}
                required
                fullWidth
                error={errors.storeId}
              />
              <TextField
                select
                label="Supplier"
                value={supplierId}
                onChange={(e) => setSupplierId(e.target.value)}
                required
                error={!!errors.supplierId}
                helperText={errors.supplierId}
              >
                {(suppliers.data ?? []).length === 0 && (
                  <MenuItem value="" disabled>
                    No supplier yet: add one in Stores & suppliers
                  </MenuItem>
                )}
                {(suppliers.data ?? [])
                  .filter((s) => s.active)
                  .map((s) => (
                    <MenuItem key={s.id} value={s.id}>
                      {s.name}
                    </MenuItem>
                  ))}
              </TextField>
              <TextField
                label="Supplier invoice number"
                value={invoiceNo}
                onChange={(e) => setInvoiceNo(e.target.value)}
                required
                error={!!errors.supplierInvoiceNo}
                helperText={errors.supplierInvoiceNo}
                slotProps={{ htmlInput: { maxLength: 40 } }}
              />
              <TextField
                label="Invoice date"
                type="date"
                value={invoiceDate}
                onChange={(e) => setInvoiceDate(e.target.value)}
                required
                error={!!errors.supplierInvoiceDate}
                helperText={errors.supplierInvoiceDate}
                slotProps={{ inputLabel: { shrink: true } }}
              />
            </Box>
            <TextField
              select
              label="Against purchase order"
              value={purchaseOrderId}
              onChange={(e) => void chooseOrder(e.target.value)}
              fullWidth
              sx={{ mt: 2 }}
              helperText={
                !supplierId || !storeId
                  ? 'Choose the store and supplier to see their open orders'
                  : openOrders.length === 0
                    ? 'No open order of this supplier for this store'
                    : 'Optional: the lines still to come are filled in'
              }
            >
              <MenuItem value="">None</MenuItem>
              {openOrders.map((o) => (
                <MenuItem key={o.id} value={o.id}>
                  {`${o.number} · ${receivedOfOrdered(o)} received · ${formatRupees(o.total)}`}
                </MenuItem>
              ))}
            </TextField>
            <ProblemAlert error={orderLoadError} sx={{ mt: 1 }} />
            <TextField
              label="Notes"
              value={notes}
              onChange={(e) => setNotes(e.target.value)}
              fullWidth
              sx={{ mt: 2 }}
              slotProps={{ htmlInput: { maxLength: 500 } }}
            />
          </Section>
          <Section
            title="Lines"
            actions={
              <Typography data-testid="receipt-total" sx={{ fontWeight: 600 }} aria-live="polite">
                {`Total at cost ${formatRupees(total)}`}
              </Typography>
            }
          >
            <Stack spacing={2}>
              {lines.map((line, index) => (
                <ReceiptLineFields
                  key={line.key}
                  index={index}
                  line={line}
                  errors={lineErrors(errors, index)}
                  onChange={(patch) => update(line.key, patch)}
                  onRemove={
                    lines.length > 1
                      ? () => setLines((ls) => ls.filter((l) => l.key !== line.key))
                      : undefined
                  }
                />
              ))}
              <Box>
                <Button startIcon={<Add />} onClick={() => setLines((ls) => [...ls, newLine()])}>
                  Add a line
                </Button>
              </Box>
            </Stack>
          </Section>
          {errors._form && <Alert severity="error">{errors._form}</Alert>}
          <ProblemAlert error={receive.error} />
          <Box sx={{ display: 'flex', gap: 2, alignItems: 'center' }}>
            <Button type="submit" variant="contained" disabled={receive.isPending}>
              Post the receipt
            </Button>
            <Link component={RouterLink} to="/pharmacy">
              Back to the stock
            </Link>
          </Box>
        </Stack>
      </Box>
    </>
  );
}

type LineProps = {
  index: number;
  line: Line;
  errors: FieldErrors;
  onChange: (patch: Partial<Line>) => void;
  onRemove?: () => void;
};

/** One batch of the delivery; its errors (the form's or the server's 422) beside its fields. */
function ReceiptLineFields({ index, line, errors, onChange, onRemove }: LineProps) {
  const n = index + 1;
  const rupees = { input: { startAdornment: <InputAdornment position="start">₹</InputAdornment> } };
  return (
    <Paper
      variant="outlined"
      sx={{ p: 1.5 }}
      role="group"
      aria-label={`Line ${n}`}
      data-testid={`receipt-line-${n}`}
    >
      <Box sx={{ display: 'flex', alignItems: 'center', mb: 1 }}>
        <Typography sx={{ fontWeight: 600, flexGrow: 1 }}>
          {`Line ${n}`}
          {line.item ? `: ${formularyItemLabel(line.item)}` : ''}
        </Typography>
        <Typography sx={{ mr: 1 }}>{formatRupees(receiptLineCost(line))}</Typography>
        {onRemove && (
          <IconButton aria-label={`Remove line ${n}`} onClick={onRemove} size="small">
            <DeleteOutlined />
          </IconButton>
        )}
      </Box>
      <Box
        sx={{
          display: 'grid',
          gap: 1.5,
          gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr', md: '2fr 1fr 1fr 1fr' },
        }}
      >
        <FormularyPicker
          label="Item"
          required
          value={line.item}
          onChange={(item) => onChange({ item, formularyItemId: item?.id ?? '', brandId: '' })}
          error={errors.formularyItemId}
        />
        <TextField
          select
          label="Brand"
          value={line.brandId}
          onChange={(e) => onChange({ brandId: e.target.value })}
          error={!!errors.brandId}
          helperText={errors.brandId ?? 'Optional'}
        >
          <MenuItem value="">Generic / not given</MenuItem>
          {(line.item?.brands ?? []).map((b) => (
            <MenuItem key={b.id} value={b.id}>
              {`${b.name} (${b.manufacturer})`}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          label="Batch number"
          value={line.batchNo}
          onChange={(e) => onChange({ batchNo: e.target.value })}
          required
          error={!!errors.batchNo}
          helperText={errors.batchNo ?? ' '}
          slotProps={{ htmlInput: { maxLength: 40, autoComplete: 'off' } }}
        />
        <TextField
          label="Expiry date"
          type="date"
          value={line.expiryDate}
          onChange={(e) => onChange({ expiryDate: e.target.value })}
          required
          error={!!errors.expiryDate}
          helperText={errors.expiryDate ?? ' '}
          slotProps={{ inputLabel: { shrink: true } }}
        />
        <TextField
          label="Quantity"
          value={line.quantity}
          onChange={(e) => onChange({ quantity: e.target.value })}
          required
          error={!!errors.quantity}
          helperText={errors.quantity ?? `Paid units${line.item ? ` (${line.item.unitOfIssue})` : ''}`}
          slotProps={{ htmlInput: { inputMode: 'numeric', autoComplete: 'off' } }}
        />
        <TextField
          label="Free quantity"
          value={line.freeQuantity}
          onChange={(e) => onChange({ freeQuantity: e.target.value })}
          error={!!errors.freeQuantity}
          helperText={errors.freeQuantity ?? 'Bonus units'}
          slotProps={{ htmlInput: { inputMode: 'numeric', autoComplete: 'off' } }}
        />
        <TextField
          label="MRP per unit"
          value={line.mrp}
          onChange={(e) => onChange({ mrp: e.target.value })}
          required
          error={!!errors.mrp}
          helperText={errors.mrp ?? ' '}
          slotProps={{ ...rupees, htmlInput: { inputMode: 'decimal', autoComplete: 'off' } }}
        />
        <TextField
          label="Cost per unit"
          value={line.cost}
          onChange={(e) => onChange({ cost: e.target.value })}
          required
          error={!!errors.cost}
          helperText={errors.cost ?? ' '}
          slotProps={{ ...rupees, htmlInput: { inputMode: 'decimal', autoComplete: 'off' } }}
        />
      </Box>
    </Paper>
  );
}
