import DeleteOutlined from '@mui/icons-material/DeleteOutlined';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import IconButton from '@mui/material/IconButton';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { Admission, Dispensation, Encounter, StockItem } from '@newhms/contracts';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { ApiError } from '../../../app/api-client';
import { useAuth } from '../../../app/auth/auth-context';
import { type Column, DataTable } from '../../../ui/data-table';
import { formatCalendarDate } from '../../../ui/facility-time';
import { blankToNull, fieldErrorsFromProblem } from '../../../ui/form-validation';
import { formatDateTime } from '../../../ui/format';
import { formatRupees } from '../../../ui/money';
import { PageHeader } from '../../../ui/page-header';
import { ProblemAlert } from '../../../ui/problem-alert';
import { PatientPicker } from '../../opd';
import { ExpiryChip } from '../components/expiry-chip';
import { formularyItemLabel } from '../components/formulary-picker';
import { ItemChips } from '../components/item-chips';
import { ReturnDialog } from '../components/return-dialog';
import { SaleLines } from '../components/sale-lines';
import { Section } from '../components/section';
import { StockItemPicker } from '../components/stock-item-picker';
import { StoreSelect } from '../components/store-select';
import { dispenseRequirements, returnableUnits } from '../dispense-rules';
import { useChosenStore } from '../hooks/use-chosen-store';
import {
  useDispense,
  usePatientAdmissions,
  usePatientDispensations,
  usePatientEncounters,
} from '../hooks/use-pharmacy';
import { parseUnits } from '../units';

type Line = { key: string; item: StockItem; quantity: number; batchId: string };

const encounterClassLabels: Record<Encounter['class'], string> = {
  ambulatory: 'Out-patient visit',
  inpatient: 'In-patient encounter',
  emergency: 'Emergency visit',
};

const closedEncounter = new Set<Encounter['status']>(['cancelled', 'entered-in-error']);
const openAdmission = new Set<Admission['status']>(['admitted', 'discharge-initiated']);

/** Where the sale is charged: "encounter:<id>" or "admission:<id>". */
type ChargeTo = string;

let lineKey = 0;

/**
 * The counter at /pharmacy/dispense: the patient, the visit or stay the sale is charged to, the medicines (first
 * to expire first unless a batch is chosen), the prescriber for Schedule H/H1/X and a witness for controlled
 * drugs; the sale with its batches and MRP; the patient's earlier sales, with returns.
 */
export function DispensePage() {
  const { can } = useAuth();
  const [params, setParams] = useSearchParams();
  const patientId = params.get('patientId');
  const { storeId, options, choose } = useChosenStore((s) => s.dispenses);
  const encounters = usePatientEncounters(patientId);
  const admissions = usePatientAdmissions(patientId, can('ipd:read'));
  const sales = usePatientDispensations(patientId);
  const dispense = useDispense();

  const [chosenCharge, setChargeTo] = useState<ChargeTo>('');
  const [lines, setLines] = useState<Line[]>([]);
  const [picked, setPicked] = useState<StockItem | null>(null);
  const [quantity, setQuantity] = useState('');
  const [batchId, setBatchId] = useState('');
  const [addError, setAddError] = useState<string | null>(null);
  const [prescriber, setPrescriber] = useState('');
  const [witness, setWitness] = useState('');
  const [counselling, setCounselling] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const [sale, setSale] = useState<Dispensation | null>(null);
  const [returning, setReturning] = useState<Dispensation | null>(null);
  const pickerRef = useRef<HTMLInputElement>(null);

  const stays = (admissions.data ?? []).filter((a) => openAdmission.has(a.status));
  const visits = (encounters.data ?? []).filter(
    (e) => !closedEncounter.has(e.status) && !(stays.length > 0 && e.class === 'inpatient'),
  );
  const chargeOptions: { value: ChargeTo; label: string }[] = [
    ...stays.map((a) => ({
      value: `admission:${a.id}`,
      label: `In-patient stay ${a.admissionNumber} · admitted ${formatDateTime(a.admittedAt)}${a.bed ? ` · bed ${a.bed.bedCode}` : ''}`,
    })),
    ...visits.map((e) => ({
      value: `encounter:${e.id}`,
      label: [
        encounterClassLabels[e.class],
        formatDateTime(e.startedAt),
        e.practitionerName,
        e.status === 'finished' ? 'finished' : null,
      ]
        .filter(Boolean)
        .join(' · '),
    })),
  ];
  // The newest open stay, else the newest visit, unless the pharmacist chose another.
  const chargeTo = chargeOptions.some((o) => o.value === chosenCharge)
    ? chosenCharge
    : (chargeOptions[0]?.value ?? '');

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new patient starts a new sale
  useEffect(() => {
    setLines([]);
    setSale(null);
    setPrescriber('');
    setWitness('');
    setCounselling('');
    setSubmitted(false);
    dispense.reset();
  }, [patientId]);

  const requirements = dispenseRequirements(lines.map((l) => l.item));
  const serverErrors = fieldErrorsFromProblem(dispense.error);
  const prescriberError =
    serverErrors.prescriberName ??
    (submitted && requirements.prescriber && !prescriber.trim() ? requirements.prescriber : undefined);
  const witnessError =
    serverErrors.witnessName ??
    (submitted && requirements.witness && !witness.trim() ? requirements.witness : undefined);
  const stockLine =
    dispense.error instanceof ApiError && typeof dispense.error.problem.line === 'number'
      ? dispense.error.problem.line
      : null;

  const addLine = () => {
    if (!picked) {
      setAddError('Choose a medicine');
      return;
    }
    const n = parseUnits(quantity);
    if (n === null) {
      setAddError('Enter whole units, at least 1');
      return;
    }
    lineKey += 1;
    setLines((ls) => [...ls, { key: `l${lineKey}`, item: picked, quantity: n, batchId }]);
    setPicked(null);
    setQuantity('');
    setBatchId('');
    setAddError(null);
    dispense.reset();
    pickerRef.current?.focus();
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (!storeId || !patientId || !chargeTo || lines.length === 0) return;
    if ((requirements.prescriber && !prescriber.trim()) || (requirements.witness && !witness.trim())) return;
    const [kind, id] = chargeTo.split(':');
    dispense.mutate(
      {
        storeId,
        patientId,
        ...(kind === 'admission' ? { admissionId: id } : { encounterId: id }),
        prescriberName: blankToNull(prescriber),
        witnessName: blankToNull(witness),
        counsellingNote: blankToNull(counselling),
        lines: lines.map((l) => ({
          formularyItemId: l.item.formularyItemId,
          quantity: l.quantity,
          ...(l.batchId ? { batchId: l.batchId } : {}),
        })),
      },
      {
        onSuccess: (done) => {
          setSale(done);
          setLines([]);
          setSubmitted(false);
          setCounselling('');
        },
      },
    );
  };

  const lineColumns: Column<Line>[] = [
    {
      id: 'item',
      header: 'Medicine',
      render: (l) => (
        <Box>
          <Typography component="span" sx={{ fontWeight: 600 }}>
            {formularyItemLabel(l.item)}
          </Typography>
          <ItemChips schedule={l.item.schedule} controlled={l.item.controlled} highAlert={l.item.highAlert} />
        </Box>
      ),
    },
    {
      id: 'batch',
      header: 'Batch',
      render: (l) => l.item.batches.find((b) => b.batchId === l.batchId)?.batchNo ?? 'First to expire',
    },
    { id: 'qty', header: 'Units', align: 'right', render: (l) => l.quantity },
    {
      id: 'available',
      header: 'Available',
      align: 'right',
      render: (l) => l.item.available,
      hideBelow: 'sm',
    },
    {
      id: 'remove',
      header: 'Remove',
      render: (l) => (
        <IconButton
          size="small"
          aria-label={`Remove ${formularyItemLabel(l.item)}`}
          onClick={() => setLines((ls) => ls.filter((x) => x.key !== l.key))}
        >
          <DeleteOutlined />
        </IconButton>
      ),
    },
  ];
  const saleColumns: Column<Dispensation>[] = [
    { id: 'number', header: 'Sale', render: (d) => d.number },
    { id: 'when', header: 'When', render: (d) => formatDateTime(d.dispensedAt) },
    {
      id: 'what',
      header: 'Medicines',
      render: (d) =>
        d.lines
          .map((l) => `${l.genericName} ×${l.quantity}${l.returned ? ` (${l.returned} returned)` : ''}`)
          .join(', '),
    },
    { id: 'by', header: 'By', render: (d) => d.dispensedByName, hideBelow: 'md' },
    { id: 'total', header: 'Total', align: 'right', render: (d) => formatRupees(d.total) },
    {
      id: 'actions',
      header: 'Actions',
      render: (d) =>
        can('pharmacy:dispense') && d.lines.some((l) => returnableUnits(l) > 0) ? (
          <Button size="small" aria-label={`Return from sale ${d.number}`} onClick={() => setReturning(d)}>
            Return
          </Button>
        ) : null,
    },
  ];

  const noStore = options.length === 0;
  return (
    <>
      <PageHeader
        title="Dispense"
        subtitle="Hand medicines to a patient: first to expire first, charged to their visit or stay"
      />
      <Stack spacing={3}>
        {noStore && (
          <Alert severity="info">
            No store dispenses to patients yet: open an OPD or IP pharmacy in Stores & suppliers.
          </Alert>
        )}
        <Section title="Patient">
          <Stack spacing={2}>
            <StoreSelect label="Dispensing store" value={storeId} options={options} onChange={choose} />
            <PatientPicker
              value={patientId}
              onChange={(id) => setParams(id ? { patientId: id } : {})}
              label="Find the patient"
            />
            {patientId && (
              <TextField
                select
                label="Charge to"
                value={chargeTo}
                onChange={(e) => setChargeTo(e.target.value)}
                required
                error={submitted && !chargeTo}
                helperText={
                  chargeOptions.length === 0 && !encounters.isLoading
                    ? 'No visit or stay: the patient needs a visit (check-in) or an admission first'
                    : 'The visit or in-patient stay the medicines are billed to'
                }
              >
                {chargeOptions.map((o) => (
                  <MenuItem key={o.value} value={o.value}>
                    {o.label}
                  </MenuItem>
                ))}
              </TextField>
            )}
            <ProblemAlert error={encounters.error ?? admissions.error} />
          </Stack>
        </Section>

        {patientId && (
          <Box component="form" onSubmit={submit} noValidate aria-label="Sale">
            <Section title="Medicines">
              <Box
                sx={{
                  display: 'grid',
                  gap: 1.5,
                  gridTemplateColumns: { xs: '1fr', md: '3fr 1fr 2fr auto' },
                  alignItems: 'start',
                }}
              >
                <StockItemPicker
                  storeId={storeId}
                  value={picked}
                  onChange={(item) => {
                    setPicked(item);
                    setBatchId('');
                  }}
                  inputRef={pickerRef}
                  error={addError && !picked ? addError : undefined}
                />
                <TextField
                  label="Quantity"
                  value={quantity}
                  onChange={(e) => setQuantity(e.target.value)}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter') {
                      e.preventDefault();
                      addLine();
                    }
                  }}
                  error={!!addError && !!picked}
                  helperText={
                    addError && picked ? addError : picked ? `${picked.available} available; Enter adds` : ' '
                  }
                  slotProps={{ htmlInput: { inputMode: 'numeric', autoComplete: 'off' } }}
                />
                <TextField
                  select
                  label="Batch"
                  value={batchId}
                  onChange={(e) => setBatchId(e.target.value)}
                  helperText="Optional: first to expire unless a batch is chosen"
                >
                  <MenuItem value="">First to expire (FEFO)</MenuItem>
                  {(picked?.batches ?? [])
                    .filter((b) => b.daysToExpiry > 0 && b.quantity > 0)
                    .map((b) => (
                      <MenuItem key={b.batchId} value={b.batchId}>
                        {`${b.batchNo} · exp. ${formatCalendarDate(b.expiryDate)} · ${b.quantity} · MRP ${formatRupees(b.mrp)}`}
                      </MenuItem>
                    ))}
                </TextField>
                <Button variant="outlined" onClick={addLine} sx={{ mt: { md: 0.25 } }}>
                  Add
                </Button>
              </Box>
              {picked && picked.batches.length > 0 && (
                <Stack direction="row" spacing={1} sx={{ mb: 1, alignItems: 'center', flexWrap: 'wrap' }}>
                  <Typography variant="body2" color="text.secondary">
                    {`Next batch ${picked.batches[0]?.batchNo}:`}
                  </Typography>
                  <ExpiryChip daysToExpiry={picked.batches[0]?.daysToExpiry ?? 0} />
                </Stack>
              )}
              <DataTable
                label="Medicines to dispense"
                columns={lineColumns}
                rows={lines}
                rowKey={(l) => l.key}
                emptyText="Add the medicines: search, quantity, Enter"
              />
              {stockLine !== null && lines[stockLine] && (
                <Typography color="error" sx={{ mt: 1 }} role="status">
                  {`Line ${stockLine + 1} (${formularyItemLabel(lines[stockLine].item)}): lower the quantity or remove it.`}
                </Typography>
              )}
              {submitted && lines.length === 0 && (
                <Typography color="error" sx={{ mt: 1 }}>
                  Add at least one medicine.
                </Typography>
              )}
              <Box
                sx={{
                  display: 'grid',
                  gap: 1.5,
                  mt: 2,
                  gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' },
                }}
              >
                <TextField
                  label="Prescriber"
                  value={prescriber}
                  onChange={(e) => setPrescriber(e.target.value)}
                  required={!!requirements.prescriber}
                  error={!!prescriberError}
                  helperText={prescriberError ?? requirements.prescriber ?? 'The doctor who prescribed'}
                  slotProps={{ htmlInput: { maxLength: 120 } }}
                />
                <TextField
                  label="Witness"
                  value={witness}
                  onChange={(e) => setWitness(e.target.value)}
                  required={!!requirements.witness}
                  error={!!witnessError}
                  helperText={
                    witnessError ?? requirements.witness ?? 'For controlled drugs: another staff member'
                  }
                  slotProps={{ htmlInput: { maxLength: 120 } }}
                />
              </Box>
              <TextField
                label="Counselling note"
                value={counselling}
                onChange={(e) => setCounselling(e.target.value)}
                fullWidth
                multiline
                minRows={2}
                sx={{ mt: 1.5 }}
                slotProps={{ htmlInput: { maxLength: 1000 } }}
              />
              <ProblemAlert
                error={dispense.error}
                titles={{ PHARMACY_INSUFFICIENT_STOCK: 'Not enough stock' }}
                sx={{ mt: 2 }}
              />
              <Box sx={{ mt: 2 }}>
                <Button
                  type="submit"
                  variant="contained"
                  disabled={dispense.isPending || !storeId || lines.length === 0}
                >
                  Dispense
                </Button>
              </Box>
            </Section>
          </Box>
        )}

        {sale && (
          <Section title={`Sale ${sale.number}`} testId="dispensation">
            <Typography sx={{ mb: 1 }}>
              {`Dispensed by ${sale.dispensedByName}, ${formatDateTime(sale.dispensedAt)}${sale.prescriberName ? ` · prescribed by ${sale.prescriberName}` : ''}`}
            </Typography>
            <SaleLines sale={sale} label={`Lines of sale ${sale.number}`} />
            <Typography sx={{ mt: 1, fontWeight: 600, textAlign: 'right' }} data-testid="sale-total">
              {`Total ${formatRupees(sale.total)}`}
            </Typography>
          </Section>
        )}

        {patientId && (
          <Section title="Sales to this patient">
            <DataTable
              label="Sales to this patient"
              columns={saleColumns}
              rows={sales.data ?? []}
              rowKey={(d) => d.id}
              loading={sales.isLoading}
              emptyText="No sale yet"
            />
            <ProblemAlert error={sales.error} sx={{ mt: 1 }} />
          </Section>
        )}
      </Stack>
      <ReturnDialog sale={returning} onClose={() => setReturning(null)} />
    </>
  );
}
