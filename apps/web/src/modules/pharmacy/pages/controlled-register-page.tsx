import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import type { FormularyItem, StockMovement } from '@newhms/contracts';
import { useState } from 'react';
import { type Column, DataTable } from '../../../ui/data-table';
import { useFacilityDate } from '../../../ui/facility-time';
import { formatDateTime } from '../../../ui/format';
import { PageHeader } from '../../../ui/page-header';
import { ProblemAlert } from '../../../ui/problem-alert';
import { FormularyPicker } from '../components/formulary-picker';
import { PatientCell } from '../components/patient-cell';
import { StoreSelect } from '../components/store-select';
import { useChosenStore } from '../hooks/use-chosen-store';
import { useControlledRegister } from '../hooks/use-pharmacy';
import { movementKindLabels, signedUnits } from '../pharmacy-labels';

/**
 * The controlled-drug register at /pharmacy/register: every movement of Schedule H1, X and narcotic drugs in a
 * store, with the running balance of the item, the patient, the prescriber and the witness.
 */
export function ControlledRegisterPage() {
  const { storeId, options, choose } = useChosenStore();
  const [item, setItem] = useState<FormularyItem | null>(null);
  const [from, setFrom] = useFacilityDate(-30);
  const [to, setTo] = useFacilityDate();
  const register = useControlledRegister({ storeId, formularyItemId: item?.id, from, to });
  const columns: Column<StockMovement>[] = [
    { id: 'when', header: 'When', render: (m) => formatDateTime(m.occurredAt) },
    { id: 'item', header: 'Item', render: (m) => m.genericName },
    { id: 'batch', header: 'Batch', render: (m) => m.batchNo },
    { id: 'kind', header: 'Movement', render: (m) => movementKindLabels[m.kind] },
    { id: 'qty', header: 'Units', align: 'right', render: (m) => signedUnits(m.quantity) },
    { id: 'balance', header: 'Balance', align: 'right', render: (m) => m.balanceAfter ?? '' },
    { id: 'patient', header: 'Patient', render: (m) => <PatientCell patientId={m.patientId} /> },
    { id: 'prescriber', header: 'Prescriber', render: (m) => m.prescriberName ?? '' },
    { id: 'witness', header: 'Witness', render: (m) => m.witnessName ?? '' },
    { id: 'by', header: 'By', render: (m) => m.performedByName, hideBelow: 'md' },
  ];
  return (
    <>
      <PageHeader
        title="Controlled register"
        subtitle="Schedule H1, X and narcotic drugs: every movement with its running balance, patient and witness"
      />
      <Stack spacing={3}>
        <Stack direction={{ xs: 'column', md: 'row' }} spacing={2} sx={{ alignItems: { md: 'flex-start' } }}>
          <StoreSelect value={storeId} options={options} onChange={choose} />
          <Stack sx={{ minWidth: 280, flexGrow: 1 }}>
            <FormularyPicker
              label="Item"
              value={item}
              onChange={setItem}
              helperText="Optional: every controlled item when blank"
            />
          </Stack>
          <TextField
            label="From"
            type="date"
            value={from}
            onChange={(e) => setFrom(e.target.value)}
            slotProps={{ inputLabel: { shrink: true } }}
          />
          <TextField
            label="To"
            type="date"
            value={to}
            onChange={(e) => setTo(e.target.value)}
            slotProps={{ inputLabel: { shrink: true } }}
          />
        </Stack>
        <ProblemAlert error={register.error} />
        <DataTable
          label="Controlled register"
          columns={columns}
          rows={register.data ?? []}
          rowKey={(m) => m.id}
          loading={register.isLoading}
          emptyText="No movement of a controlled drug in these dates"
        />
      </Stack>
    </>
  );
}
