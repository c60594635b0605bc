import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { type Order, orderCategories, type RadProcedure } from '@newhms/contracts';
import { type FormEvent, useState } from 'react';
import { errorMessage } from '../../../app/api-client';
import { useAuth } from '../../../app/auth/auth-context';
import { exactMatch } from '../../../ui/catalog-picker';
import { type Column, DataTable } from '../../../ui/data-table';
import { formatDateTime } from '../../../ui/format';
import { ProblemAlert } from '../../../ui/problem-alert';
import { ReasonDialog } from '../../../ui/reason-dialog';
// The laboratory's and radiology's pickers and hooks by file, not through their modules' index (which
// reaches the consultation back through the OPD pages). An order names a test or procedure of their catalog.
import { LabTestPicker, type Orderable, orderablesOf } from '../../laboratory/components/lab-test-picker';
import { useFetchLabCatalog } from '../../laboratory/hooks/use-laboratory';
import { ProcedurePicker } from '../../radiology/components/procedure-picker';
import { useFetchRadCatalog } from '../../radiology/hooks/use-radiology';
import { useCancelOrder, usePlaceOrder } from '../hooks/use-encounter';
import { OrderFulfilmentChip } from './order-fulfilment-chip';
import { Section } from './section';

type Category = Order['category'];
type Priority = Order['priority'];

const categoryLabels: Record<Category, string> = {
  laboratory: 'Laboratory',
  imaging: 'Imaging',
  procedure: 'Procedure',
};
const priorityLabels: Record<Priority, string> = { routine: 'Routine', urgent: 'Urgent', stat: 'STAT' };
const statusLabels: Record<Order['status'], string> = {
  active: 'Ordered',
  'in-progress': 'In progress',
  completed: 'Completed',
  cancelled: 'Cancelled',
  'entered-in-error': 'In error',
};

/** Common OPD requests, to pick rather than type (any other can be typed). */
const suggestions: Record<Category, string[]> = {
  laboratory: [
    'Complete blood count (CBC)',
    'HbA1c',
    'Fasting blood glucose',
    'Lipid profile',
    'Liver function tests',
    'Kidney function tests',
    'Thyroid profile (TSH, T3, T4)',
    'Urine routine and microscopy',
  ],
  imaging: ['Chest X-ray PA view', 'Ultrasound abdomen', 'ECG', 'CT head (plain)', 'MRI lumbar spine'],
  procedure: ['Dressing', 'Nebulisation', 'Suturing', 'Injection (IM)'],
};

type Props = { encounterId: string; orders: Order[]; canWrite: boolean };

export function OrdersSection({ encounterId, orders, canWrite }: Props) {
  const { can } = useAuth();
  const place = usePlaceOrder(encounterId);
  const cancel = useCancelOrder(encounterId);
  const fetchCatalog = useFetchLabCatalog();
  const [category, setCategory] = useState<Category>('laboratory');
  const [display, setDisplay] = useState('');
  // A laboratory order names a test or panel of the catalog, so that the lab receives it (by its code).
  const fromCatalog = category === 'laboratory' && (can('laboratory:catalog') || can('laboratory:read'));
  const [picked, setPicked] = useState<Orderable | null>(null);
  // An imaging order names a procedure of the radiology catalog, so that radiology receives it (by its code).
  const imagingFromCatalog = category === 'imaging' && (can('radiology:catalog') || can('radiology:read'));
  const fetchRadCatalog = useFetchRadCatalog();
  const [pickedProcedure, setPickedProcedure] = useState<RadProcedure | null>(null);
  const [lookupError, setLookupError] = useState<string | null>(null);
  const [priority, setPriority] = useState<Priority>('routine');
  const [note, setNote] = useState('');
  const [tried, setTried] = useState(false);
  const [cancelling, setCancelling] = useState<Order | null>(null);
  const listId = `order-suggestions-${category}`;

  const reset = () => {
    setDisplay('');
    setPicked(null);
    setPickedProcedure(null);
    setNote('');
    setPriority('routine');
    setTried(false);
    setLookupError(null);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    setLookupError(null);
    if (!display.trim()) return;
    let coded: Pick<Orderable, 'code' | 'name'> | null = null;
    if (fromCatalog) {
      // Picked from the list, or typed exactly as a test's or panel's name or code.
      coded = picked && picked.name === display.trim() ? picked : null;
      if (!coded) {
        try {
          coded = exactMatch(orderablesOf(await fetchCatalog(display.trim())), display);
        } catch (err) {
          setLookupError(errorMessage(err));
          return;
        }
      }
      if (!coded) {
        setLookupError('Pick a test or panel from the list: the laboratory receives catalog tests only');
        return;
      }
    }
    if (imagingFromCatalog) {
      coded = pickedProcedure && pickedProcedure.name === display.trim() ? pickedProcedure : null;
      if (!coded) {
        try {
          coded = exactMatch(await fetchRadCatalog(display.trim()), display);
        } catch (err) {
          setLookupError(errorMessage(err));
          return;
        }
      }
      if (!coded) {
        setLookupError('Pick a procedure from the list: radiology receives catalog procedures only');
        return;
      }
    }
    place.mutate(
      coded
        ? { category, code: coded.code, display: coded.name, priority, note: note.trim() || null }
        : { category, display: display.trim(), priority, note: note.trim() || null },
      { onSuccess: reset },
    );
  };

  const columns: Column<Order>[] = [
    { id: 'category', header: 'Kind', render: (o) => categoryLabels[o.category] },
    {
      id: 'display',
      header: 'Order',
      render: (o) => (
        <>
          {o.display}
          {o.note && (
            <Typography variant="body2" color="text.secondary">
              {o.note}
            </Typography>
          )}
          {o.cancelReason && (
            <Typography variant="body2" color="text.secondary">
              Cancelled: {o.cancelReason}
            </Typography>
          )}
        </>
      ),
    },
    {
      id: 'priority',
      header: 'Priority',
      render: (o) => (
        <Chip
          size="small"
          label={priorityLabels[o.priority]}
          color={o.priority === 'stat' ? 'error' : o.priority === 'urgent' ? 'warning' : 'default'}
          variant={o.priority === 'routine' ? 'outlined' : 'filled'}
        />
      ),
    },
    { id: 'status', header: 'Status', render: (o) => statusLabels[o.status] },
    // Where the laboratory or radiology is with it; an order it did not take is a warning with its reason.
    { id: 'fulfilment', header: 'Lab / radiology', render: (o) => <OrderFulfilmentChip order={o} /> },
    { id: 'when', header: 'Ordered', hideBelow: 'md', render: (o) => formatDateTime(o.requestedAt) },
  ];
  if (canWrite) {
    columns.push({
      id: 'actions',
      header: 'Actions',
      render: (o) =>
        o.status === 'active' && (
          <Button size="small" color="error" onClick={() => setCancelling(o)}>
            Cancel
          </Button>
        ),
    });
  }

  return (
    <Section title="Orders" id="orders">
      {canWrite && (
        <Box
          component="form"
          onSubmit={(e) => void submit(e)}
          aria-label="Place order"
          noValidate
          sx={{ mb: 2 }}
        >
          <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap', alignItems: 'flex-start' }}>
            <TextField
              select
              label="Order kind"
              value={category}
              onChange={(e) => {
                setCategory(e.target.value as Category);
                setPicked(null);
                setPickedProcedure(null);
                setLookupError(null);
              }}
              sx={{ minWidth: 150 }}
            >
              {orderCategories.map((c) => (
                <MenuItem key={c} value={c}>
                  {categoryLabels[c]}
                </MenuItem>
              ))}
            </TextField>
            {fromCatalog ? (
              <Box sx={{ flex: '1 1 260px' }}>
                <LabTestPicker
                  freeSolo
                  label="Test or procedure"
                  value={picked}
                  onChange={(item) => {
                    setPicked(item);
                    if (item) setDisplay(item.name);
                    setLookupError(null);
                  }}
                  inputValue={display}
                  onInputChange={(next) => {
                    setDisplay(next);
                    setLookupError(null);
                  }}
                  error={lookupError ?? (tried && !display.trim() ? 'Name the test or panel' : undefined)}
                  helperText="A test or panel of the laboratory catalog"
                />
              </Box>
            ) : imagingFromCatalog ? (
              <Box sx={{ flex: '1 1 260px' }}>
                <ProcedurePicker
                  freeSolo
                  label="Test or procedure"
                  value={pickedProcedure}
                  onChange={(item) => {
                    setPickedProcedure(item);
                    if (item) setDisplay(item.name);
                    setLookupError(null);
                  }}
                  inputValue={display}
                  onInputChange={(next) => {
                    setDisplay(next);
                    setLookupError(null);
                  }}
                  error={lookupError ?? (tried && !display.trim() ? 'Name the imaging procedure' : undefined)}
                  helperText="A procedure of the imaging catalog"
                />
              </Box>
            ) : (
              <>
                <TextField
                  label="Test or procedure"
                  value={display}
                  onChange={(e) => setDisplay(e.target.value)}
                  required
                  error={tried && !display.trim()}
                  helperText={tried && !display.trim() ? 'Name what is ordered' : 'Type or pick a common one'}
                  slotProps={{ htmlInput: { list: listId, maxLength: 200, autoComplete: 'off' } }}
                  sx={{ flex: '1 1 260px' }}
                />
                <datalist id={listId}>
                  {suggestions[category].map((s) => (
                    <option key={s} value={s} />
                  ))}
                </datalist>
              </>
            )}
            <TextField
              select
              label="Priority"
              value={priority}
              onChange={(e) => setPriority(e.target.value as Priority)}
              sx={{ minWidth: 130 }}
            >
              {(['routine', 'urgent', 'stat'] as const).map((p) => (
                <MenuItem key={p} value={p}>
                  {priorityLabels[p]}
                </MenuItem>
              ))}
            </TextField>
            <TextField
              label="Note (optional)"
              value={note}
              onChange={(e) => setNote(e.target.value)}
              slotProps={{ htmlInput: { maxLength: 500 } }}
              sx={{ flex: '1 1 200px' }}
            />
            <Button type="submit" variant="contained" disabled={place.isPending} sx={{ mt: 1 }}>
              Place order
            </Button>
          </Box>
          <ProblemAlert error={place.error} sx={{ mt: 1 }} />
        </Box>
      )}
      <DataTable
        label="Orders"
        columns={columns}
        rows={orders}
        rowKey={(o) => o.id}
        emptyText="No orders in this visit"
      />
      <ReasonDialog
        open={!!cancelling}
        title="Cancel order"
        message={cancelling && `${categoryLabels[cancelling.category]}: ${cancelling.display}`}
        label="Reason for cancelling"
        confirmLabel="Cancel order"
        danger
        busy={cancel.isPending}
        error={cancel.error}
        onCancel={() => {
          setCancelling(null);
          cancel.reset();
        }}
        onConfirm={(reason) =>
          cancelling &&
          cancel.mutate(
            {
              id: cancelling.id,
              reason,
              version: orders.find((o) => o.id === cancelling.id)?.version ?? cancelling.version,
            },
            { onSuccess: () => setCancelling(null) },
          )
        }
      />
    </Section>
  );
}
