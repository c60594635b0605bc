import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormHelperText from '@mui/material/FormHelperText';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { Dispensation, FormularyItem, QueuedPrescription } from '@newhms/contracts';
import { useEffect, useId, useState } from 'react';
import { type Column, DataTable } from '../../../ui/data-table';
import { formatCalendarDate } from '../../../ui/facility-time';
import { formatDateTime } from '../../../ui/format';
import { formatRupees } from '../../../ui/money';
import { ProblemAlert } from '../../../ui/problem-alert';
import {
  buildFillBody,
  type FillErrors,
  type FillLine,
  initialFillLines,
  needsWitness,
  substitutesFor,
  unitsLeft,
} from '../fill-prescription';
import { useDispensingStores, useFillPrescription, useFormularyItem } from '../hooks/use-prescriptions';
import { overriddenAlerts } from '../prescription-alerts';
import { FormularySearch, medicineName } from './formulary-search';

type Props = { queued: QueuedPrescription; onClose: () => void };

/** Filling one prescription: the overrides to read, the store, the units per line, substitutions, the sale. */
export function FillDialog({ queued, onClose }: Props) {
  const titleId = useId();
  const p = queued.prescription;
  const stores = useDispensingStores();
  const fill = useFillPrescription();
  const [storeId, setStoreId] = useState('');
  const [lines, setLines] = useState<FillLine[]>(() => initialFillLines(p));
  const [acknowledged, setAcknowledged] = useState(false);
  const [counsellingNote, setCounsellingNote] = useState('');
  const [witnessName, setWitnessName] = useState('');
  const [errors, setErrors] = useState<FillErrors>({});
  const [sale, setSale] = useState<Dispensation | null>(null);
  const overridden = overriddenAlerts(p.alerts);
  const names = Object.fromEntries(p.items.map((i) => [i.lineNo, `${i.genericName} ${i.strength}`]));
  const witness = needsWitness(p, lines);

  // One dispensing store: it is the one.
  useEffect(() => {
    const only = stores.data?.length === 1 ? stores.data[0] : undefined;
    if (only && !storeId) setStoreId(only.id);
  }, [stores.data, storeId]);

  const setLine = (lineNo: number, patch: Partial<FillLine>) =>
    setLines((ls) => ls.map((l) => (l.lineNo === lineNo ? { ...l, ...patch } : l)));

  const submit = () => {
    const built = buildFillBody({
      prescription: p,
      storeId,
      lines,
      acknowledged,
      counsellingNote,
      witnessName,
    });
    if (!built.ok) {
      setErrors(built.errors);
      return;
    }
    setErrors({});
    fill.mutate({ id: p.id, body: built.body }, { onSuccess: (d) => setSale(d) });
  };

  const saleColumns: Column<Dispensation['lines'][number]>[] = [
    { id: 'item', header: 'Medicine', render: (l) => `${l.genericName} ${l.strength}` },
    { id: 'batch', header: 'Batch', render: (l) => l.batchNo },
    { id: 'expiry', header: 'Expiry', render: (l) => formatCalendarDate(l.expiryDate) },
    { id: 'qty', header: 'Units', align: 'right', render: (l) => l.quantity },
    { id: 'mrp', header: 'MRP', align: 'right', render: (l) => formatRupees(l.unitPrice) },
    { id: 'amount', header: 'Amount', align: 'right', render: (l) => formatRupees(l.unitPrice * l.quantity) },
  ];

  return (
    <Dialog open onClose={onClose} aria-labelledby={titleId} fullWidth maxWidth="lg">
      <DialogTitle id={titleId}>Fill {p.number}</DialogTitle>
      <DialogContent>
        <Typography sx={{ mb: 2 }}>
          <strong>{queued.patientName}</strong> · MRN {queued.patientMrn} · {p.prescriberName}
          {p.prescriberRegistration ? ` (${p.prescriberRegistration})` : ''} · {formatDateTime(p.createdAt)}
          {p.notes ? ` · Note: ${p.notes}` : ''}
        </Typography>
        {sale ? (
          <Stack spacing={2} data-testid="sale">
            <Alert severity="success" role="status">
              <AlertTitle>Handed over: sale {sale.number}</AlertTitle>
              Total {formatRupees(sale.total)}, charged to the patient's bill. Batches first to expire first.
            </Alert>
            <DataTable
              label="Batches handed over"
              columns={saleColumns}
              rows={sale.lines}
              rowKey={(l) => String(l.lineNo)}
            />
            <Typography sx={{ fontWeight: 700, textAlign: 'right' }} data-testid="sale-total">
              Total {formatRupees(sale.total)}
            </Typography>
          </Stack>
        ) : (
          <Stack spacing={2}>
            {overridden.length > 0 && (
              <Alert severity="error" data-testid="overrides-to-read">
                <AlertTitle>
                  The prescriber went ahead against {overridden.length} serious alert
                  {overridden.length === 1 ? '' : 's'}
                </AlertTitle>
                <Box component="ul" sx={{ m: 0, pl: 2 }}>
                  {overridden.map((a) => (
                    <li key={a.key}>
                      <Typography variant="body2">
                        {a.lineNos
                          .map((n) => names[n])
                          .filter(Boolean)
                          .join(' + ')}
                        : {a.message}
                      </Typography>
                      <Typography sx={{ fontWeight: 700 }} data-testid="override-reason">
                        Reason{a.overriddenByName ? ` (${a.overriddenByName})` : ''}: {a.overrideReason}
                      </Typography>
                      {a.management && <Typography variant="body2">Management: {a.management}</Typography>}
                    </li>
                  ))}
                </Box>
                <FormControlLabel
                  control={
                    <Checkbox checked={acknowledged} onChange={(e) => setAcknowledged(e.target.checked)} />
                  }
                  label="I have read the prescriber's overrides"
                  sx={{ mt: 1 }}
                />
                {errors.alertsAcknowledged && (
                  <FormHelperText error>{errors.alertsAcknowledged}</FormHelperText>
                )}
              </Alert>
            )}
            <TextField
              select
              label="Dispensing store"
              value={storeId}
              onChange={(e) => setStoreId(e.target.value)}
              error={!!errors.storeId}
              helperText={errors.storeId ?? ' '}
              sx={{ maxWidth: 360 }}
            >
              {(stores.data ?? []).map((s) => (
                <MenuItem key={s.id} value={s.id}>
                  {s.name} ({s.code})
                </MenuItem>
              ))}
            </TextField>
            <Stack
              spacing={2}
              component="ol"
              aria-label="Lines to fill"
              sx={{ p: 0, m: 0, listStyle: 'none' }}
            >
              {p.items.map((item) => {
                const line = lines.find((l) => l.lineNo === item.lineNo);
                return (
                  <Box
                    key={item.lineNo}
                    component="li"
                    aria-label={`Line ${item.lineNo}: ${item.genericName} ${item.strength}`}
                    sx={{ border: 1, borderColor: 'divider', borderRadius: 1, p: 1.5 }}
                  >
                    <Typography sx={{ fontWeight: 600 }}>
                      {item.lineNo}. {item.genericName} {item.strength} {item.doseForm}
                    </Typography>
                    <Typography variant="body2">{item.sig}</Typography>
                    <Typography variant="body2" color="text.secondary">
                      Prescribed {item.quantity} · handed over {item.dispensed} · left {unitsLeft(item)}
                      {item.status !== 'active' ? ` · ${item.status}` : ''}
                    </Typography>
                    {line && (
                      <FillLineFields
                        item={item}
                        line={line}
                        errors={errors}
                        onChange={(patch) => setLine(item.lineNo, patch)}
                      />
                    )}
                  </Box>
                );
              })}
            </Stack>
            {errors.lines && <FormHelperText error>{errors.lines}</FormHelperText>}
            <TextField
              label="Counselling note"
              value={counsellingNote}
              onChange={(e) => setCounsellingNote(e.target.value)}
              multiline
              minRows={2}
              slotProps={{ htmlInput: { maxLength: 1000 } }}
            />
            <TextField
              label={witness ? 'Witness (controlled drug)' : 'Witness (controlled drugs only)'}
              value={witnessName}
              onChange={(e) => setWitnessName(e.target.value)}
              required={witness}
              error={!!errors.witnessName}
              helperText={
                errors.witnessName ?? 'Schedule H1, X and narcotic drugs are handed over before a witness'
              }
              slotProps={{ htmlInput: { maxLength: 120 } }}
              sx={{ maxWidth: 360 }}
            />
            <ProblemAlert error={fill.error} />
          </Stack>
        )}
      </DialogContent>
      <DialogActions>
        {sale ? (
          <Button variant="contained" onClick={onClose}>
            Done
          </Button>
        ) : (
          <>
            <Button onClick={onClose}>Back</Button>
            <Button variant="contained" onClick={submit} disabled={fill.isPending}>
              {fill.isPending ? 'Handing over…' : 'Dispense'}
            </Button>
          </>
        )}
      </DialogActions>
    </Dialog>
  );
}

function FillLineFields({
  item,
  line,
  errors,
  onChange,
}: {
  item: QueuedPrescription['prescription']['items'][number];
  line: FillLine;
  errors: FillErrors;
  onChange: (patch: Partial<FillLine>) => void;
}) {
  const [substituting, setSubstituting] = useState(false);
  const product = useFormularyItem(substituting ? item.formularyItemId : undefined);
  const ingredients = product.data?.ingredients ?? [];
  const allowed = (c: FormularyItem) => substitutesFor(item, ingredients, [c]).length > 0;
  const qtyError = errors[`lines.${item.lineNo}.quantity`];
  const noteError = errors[`lines.${item.lineNo}.substitutionNote`];
  return (
    <Box sx={{ mt: 1, display: 'flex', gap: 2, flexWrap: 'wrap', alignItems: 'flex-start' }}>
      <TextField
        label={`Units to hand over (${item.unitOfIssue}s)`}
        size="small"
        value={line.quantity}
        onChange={(e) => onChange({ quantity: e.target.value })}
        slotProps={{ htmlInput: { inputMode: 'numeric' } }}
        error={!!qtyError}
        helperText={qtyError ?? '0 to hand over later'}
        sx={{ width: 220 }}
      />
      {!substituting ? (
        <Button size="small" onClick={() => setSubstituting(true)} sx={{ mt: 0.5 }}>
          Substitute…
        </Button>
      ) : (
        <>
          <Box sx={{ flex: '1 1 280px' }}>
            <FormularySearch
              label="Give instead"
              size="small"
              value={(line.substitute as FormularyItem | null) ?? null}
              onChange={(s) => onChange({ substitute: s })}
              filter={allowed}
            />
          </Box>
          <TextField
            label="Substitution note"
            size="small"
            value={line.substitutionNote}
            onChange={(e) => onChange({ substitutionNote: e.target.value })}
            required={!!line.substitute}
            error={!!noteError}
            helperText={noteError ?? `Same generic and strength as ${medicineName(item)}`}
            slotProps={{ htmlInput: { maxLength: 300 } }}
            sx={{ flex: '1 1 240px' }}
          />
        </>
      )}
    </Box>
  );
}
