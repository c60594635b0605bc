import Add from '@mui/icons-material/Add';
import DeleteOutlined from '@mui/icons-material/DeleteOutlined';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import IconButton from '@mui/material/IconButton';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { type FormularyItem, type Indent, indentStatuses } from '@newhms/contracts';
import { type FormEvent, useState } from 'react';
import { useAuth } from '../../../app/auth/auth-context';
import { ConfirmDialog } from '../../../ui/confirm-dialog';
import { type Column, DataTable } from '../../../ui/data-table';
import { blankToNull } from '../../../ui/form-validation';
import { formatDateTime } from '../../../ui/format';
import { PageHeader } from '../../../ui/page-header';
import { ProblemAlert } from '../../../ui/problem-alert';
import { FormularyPicker, formularyItemLabel } from '../components/formulary-picker';
import { IssueIndentDialog } from '../components/issue-indent-dialog';
import { Section } from '../components/section';
import { StoreSelect } from '../components/store-select';
import { useCancelIndent, useCreateIndent, useIndents, useStores } from '../hooks/use-pharmacy';
import { indentStatusLabels } from '../pharmacy-labels';
import { outstandingUnits, parseUnits } from '../units';

type Draft = { key: string; item: FormularyItem | null; quantity: string };
let draftKey = 0;
const newDraft = (): Draft => {
  draftKey += 1;
  return { key: `d${draftKey}`, item: null, quantity: '' };
};

/**
 * Indents at /pharmacy/indents: a store (a ward, the OPD pharmacy) asks another for stock; the supplying store
 * issues all or part, first to expire first; an indent nothing was issued against can be cancelled.
 */
export function IndentsPage() {
  const { can } = useAuth();
  const stores = useStores();
  const active = (stores.data ?? []).filter((s) => s.active);
  const [storeFilter, setStoreFilter] = useState('');
  const [statusFilter, setStatusFilter] = useState<Indent['status'] | ''>('');
  const indents = useIndents({ storeId: storeFilter || undefined, status: statusFilter || undefined });
  const create = useCreateIndent();
  const cancel = useCancelIndent();
  const [requesting, setRequesting] = useState('');
  const [supplying, setSupplying] = useState('');
  const [note, setNote] = useState('');
  const [drafts, setDrafts] = useState<Draft[]>(() => [newDraft()]);
  const [submitted, setSubmitted] = useState(false);
  const [issuing, setIssuing] = useState<Indent | null>(null);
  const [cancelling, setCancelling] = useState<Indent | null>(null);

  const read = drafts.map((d) => ({ d, n: parseUnits(d.quantity) }));
  const sameStore = !!requesting && requesting === supplying;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (!requesting || !supplying || sameStore || read.some((r) => !r.d.item || r.n === null)) return;
    create.mutate(
      {
        requestingStoreId: requesting,
        supplyingStoreId: supplying,
        note: blankToNull(note),
        lines: read.map((r) => ({ formularyItemId: r.d.item!.id, quantity: r.n! })),
      },
      {
        onSuccess: () => {
          setDrafts([newDraft()]);
          setNote('');
          setSubmitted(false);
        },
      },
    );
  };

  const columns: Column<Indent>[] = [
    { id: 'number', header: 'Indent', render: (i) => i.number },
    { id: 'when', header: 'Asked', render: (i) => `${formatDateTime(i.requestedAt)} · ${i.requestedByName}` },
    { id: 'from', header: 'For', render: (i) => i.requestingStoreName },
    { id: 'to', header: 'From', render: (i) => i.supplyingStoreName },
    {
      id: 'lines',
      header: 'Items (issued / asked)',
      render: (i) => i.lines.map((l) => `${l.genericName} ${l.issued}/${l.requested}`).join(', '),
    },
    {
      id: 'status',
      header: 'Status',
      render: (i) => (
        <Chip
          size="small"
          variant="outlined"
          color={i.status === 'issued' ? 'success' : i.status === 'cancelled' ? 'default' : 'primary'}
          label={indentStatusLabels[i.status]}
        />
      ),
    },
    {
      id: 'actions',
      header: 'Actions',
      render: (i) => {
        const open = i.status === 'requested' || i.status === 'partially-issued';
        const untouched = i.lines.every((l) => l.issued === 0);
        return (
          <Stack direction="row" spacing={1}>
            {open && can('pharmacy:receive') && i.lines.some((l) => outstandingUnits(l) > 0) && (
              <Button size="small" aria-label={`Issue indent ${i.number}`} onClick={() => setIssuing(i)}>
                Issue
              </Button>
            )}
            {open && untouched && can('pharmacy:indent') && (
              <Button
                size="small"
                color="error"
                aria-label={`Cancel indent ${i.number}`}
                onClick={() => {
                  cancel.reset();
                  setCancelling(i);
                }}
              >
                Cancel
              </Button>
            )}
          </Stack>
        );
      },
    },
  ];

  return (
    <>
      <PageHeader
        title="Indents"
        subtitle="Stock asked for by one store from another, issued first to expire first"
      />
      <Stack spacing={3}>
        {can('pharmacy:indent') && (
          <Section title="New indent">
            <Box component="form" onSubmit={submit} noValidate aria-label="New indent">
              <Stack spacing={2}>
                <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2}>
                  <StoreSelect
                    label="Requesting store"
                    value={requesting}
                    options={active}
                    onChange={setRequesting}
                    required
                    error={submitted && !requesting ? 'Choose the store asking' : undefined}
                  />
                  <StoreSelect
                    label="Supplying store"
                    value={supplying}
                    options={active}
                    onChange={setSupplying}
                    required
                    error={
                      sameStore
                        ? 'A store cannot indent from itself'
                        : submitted && !supplying
                          ? 'Choose the store supplying'
                          : undefined
                    }
                  />
                </Stack>
                {drafts.map((d, i) => {
                  const n = parseUnits(d.quantity);
                  return (
                    <Box
                      key={d.key}
                      role="group"
                      aria-label={`Indent line ${i + 1}`}
                      sx={{
                        display: 'grid',
                        gap: 1.5,
                        gridTemplateColumns: { xs: '1fr', sm: '3fr 1fr auto' },
                      }}
                    >
                      <FormularyPicker
                        value={d.item}
                        required
                        onChange={(item) =>
                          setDrafts((ds) => ds.map((x) => (x.key === d.key ? { ...x, item } : x)))
                        }
                        error={submitted && !d.item ? 'Choose the item' : undefined}
                      />
                      <TextField
                        label="Quantity"
                        value={d.quantity}
                        onChange={(e) =>
                          setDrafts((ds) =>
                            ds.map((x) => (x.key === d.key ? { ...x, quantity: e.target.value } : x)),
                          )
                        }
                        required
                        error={submitted && n === null}
                        helperText={
                          submitted && n === null
                            ? 'Whole units, at least 1'
                            : d.item
                              ? d.item.unitOfIssue
                              : ' '
                        }
                        slotProps={{ htmlInput: { inputMode: 'numeric', autoComplete: 'off' } }}
                      />
                      <IconButton
                        aria-label={`Remove indent line ${i + 1}${d.item ? ` (${formularyItemLabel(d.item)})` : ''}`}
                        disabled={drafts.length === 1}
                        onClick={() => setDrafts((ds) => ds.filter((x) => x.key !== d.key))}
                      >
                        <DeleteOutlined />
                      </IconButton>
                    </Box>
                  );
                })}
                <Box>
                  <Button startIcon={<Add />} onClick={() => setDrafts((ds) => [...ds, newDraft()])}>
                    Add an item
                  </Button>
                </Box>
                <TextField
                  label="Note"
                  value={note}
                  onChange={(e) => setNote(e.target.value)}
                  slotProps={{ htmlInput: { maxLength: 300 } }}
                />
                <ProblemAlert error={create.error} />
                <Box>
                  <Button type="submit" variant="contained" disabled={create.isPending}>
                    Send indent
                  </Button>
                </Box>
              </Stack>
            </Box>
          </Section>
        )}
        <Section title="Indents">
          <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} sx={{ mb: 2 }}>
            <StoreSelect
              value={storeFilter}
              options={active}
              onChange={setStoreFilter}
              emptyLabel="All stores"
            />
            <TextField
              select
              label="Status"
              value={statusFilter}
              onChange={(e) => setStatusFilter(e.target.value as Indent['status'] | '')}
              sx={{ minWidth: 180 }}
            >
              <MenuItem value="">Any status</MenuItem>
              {indentStatuses.map((s) => (
                <MenuItem key={s} value={s}>
                  {indentStatusLabels[s]}
                </MenuItem>
              ))}
            </TextField>
          </Stack>
          <DataTable
            label="Indents"
            columns={columns}
            rows={indents.data ?? []}
            rowKey={(i) => i.id}
            loading={indents.isLoading}
            emptyText="No indent"
          />
          <ProblemAlert error={indents.error ?? cancel.error} sx={{ mt: 1 }} />
          {cancel.isSuccess && (
            <Typography role="status" color="success.main" sx={{ mt: 1 }}>
              The indent is cancelled.
            </Typography>
          )}
        </Section>
      </Stack>
      <IssueIndentDialog indent={issuing} onClose={() => setIssuing(null)} />
      <ConfirmDialog
        open={!!cancelling}
        title="Cancel the indent"
        message={
          cancelling
            ? `Indent ${cancelling.number} for ${cancelling.requestingStoreName} is cancelled; nothing was issued against it.`
            : ''
        }
        confirmLabel="Cancel indent"
        danger
        busy={cancel.isPending}
        onCancel={() => setCancelling(null)}
        onConfirm={() => {
          if (!cancelling) return;
          cancel.mutate(
            { id: cancelling.id, version: cancelling.version },
            { onSettled: () => setCancelling(null) },
          );
        }}
      />
    </>
  );
}
