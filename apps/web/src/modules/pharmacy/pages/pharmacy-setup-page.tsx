import Add from '@mui/icons-material/Add';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import type { Store, Supplier } from '@newhms/contracts';
import { useState } from 'react';
import { type Column, DataTable } from '../../../ui/data-table';
import { PageHeader } from '../../../ui/page-header';
import { ProblemAlert } from '../../../ui/problem-alert';
import { Section } from '../components/section';
import { StoreDialog } from '../components/store-dialog';
import { SupplierDialog } from '../components/supplier-dialog';
import { useStores, useSuppliers } from '../hooks/use-pharmacy';
import { storeKindLabels } from '../pharmacy-labels';

/** Stores and suppliers at /pharmacy/setup (pharmacy:manage). */
export function PharmacySetupPage() {
  const stores = useStores();
  const suppliers = useSuppliers();
  const [dialog, setDialog] = useState<'store' | 'supplier' | null>(null);
  const storeColumns: Column<Store>[] = [
    { id: 'code', header: 'Code', render: (s) => s.code },
    { id: 'name', header: 'Name', render: (s) => s.name },
    { id: 'kind', header: 'Kind', render: (s) => storeKindLabels[s.kind] },
    {
      id: 'dispenses',
      header: 'Dispenses',
      render: (s) =>
        s.dispenses ? <Chip size="small" color="success" variant="outlined" label="Dispenses" /> : 'No',
    },
    { id: 'active', header: 'Status', render: (s) => (s.active ? 'Open' : 'Closed') },
  ];
  const supplierColumns: Column<Supplier>[] = [
    { id: 'name', header: 'Name', render: (s) => s.name },
    { id: 'gstin', header: 'GSTIN', render: (s) => s.gstin ?? '—' },
    { id: 'licence', header: 'Drug licence', render: (s) => s.drugLicenceNo ?? '—', hideBelow: 'sm' },
    {
      id: 'contact',
      header: 'Contact',
      render: (s) => [s.phone, s.email].filter(Boolean).join(' · ') || '—',
      hideBelow: 'md',
    },
  ];
  return (
    <>
      <PageHeader
        title="Stores & suppliers"
        subtitle="The facility's stores and the suppliers it buys from"
      />
      <Stack spacing={3}>
        <Section
          title="Stores"
          actions={
            <Button variant="outlined" startIcon={<Add />} onClick={() => setDialog('store')}>
              New store
            </Button>
          }
        >
          <DataTable
            label="Stores"
            columns={storeColumns}
            rows={stores.data ?? []}
            rowKey={(s) => s.id}
            loading={stores.isLoading}
            emptyText="No store yet"
          />
          <ProblemAlert error={stores.error} sx={{ mt: 1 }} />
        </Section>
        <Section
          title="Suppliers"
          actions={
            <Button variant="outlined" startIcon={<Add />} onClick={() => setDialog('supplier')}>
              New supplier
            </Button>
          }
        >
          <DataTable
            label="Suppliers"
            columns={supplierColumns}
            rows={suppliers.data ?? []}
            rowKey={(s) => s.id}
            loading={suppliers.isLoading}
            emptyText="No supplier yet"
          />
          <ProblemAlert error={suppliers.error} sx={{ mt: 1 }} />
        </Section>
      </Stack>
      <StoreDialog open={dialog === 'store'} onClose={() => setDialog(null)} />
      <SupplierDialog open={dialog === 'supplier'} onClose={() => setDialog(null)} />
    </>
  );
}
