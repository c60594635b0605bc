import Add from '@mui/icons-material/Add';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import TextField from '@mui/material/TextField';
import {
  type BillingPackage,
  type BillingService,
  type ServiceGroup,
  serviceGroups,
  type TaxCode,
} from '@newhms/contracts';
import { type FormEvent, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useAuth } from '../../../app/auth/auth-context';
import { type Column, DataTable } from '../../../ui/data-table';
import { calendarDateIn, formatCalendarDate, useFacilityTimeZone } from '../../../ui/facility-time';
import { formatPercent, formatRupees } from '../../../ui/money';
import { PageHeader } from '../../../ui/page-header';
import { ProblemAlert } from '../../../ui/problem-alert';
import { useDebouncedValue } from '../../../ui/use-debounced-value';
import { serviceGroupLabel, serviceGroupLabels } from '../billing-labels';
import { BillingSettingsSection } from '../components/billing-settings-section';
import { PricesDialog } from '../components/prices-dialog';
import { Section } from '../components/section';
import { ServiceDialog } from '../components/service-dialog';
import { ServicePicker } from '../components/service-picker';
import { useCreatePackage, usePackages, useServices, useTaxCodes } from '../hooks/use-billing';

const tabs = ['services', 'taxes', 'packages', 'settings'] as const;
type TabKey = (typeof tabs)[number];

function ServicesTab() {
  const { can } = useAuth();
  const zone = useFacilityTimeZone();
  const [q, setQ] = useState('');
  const [group, setGroup] = useState<ServiceGroup | ''>('');
  const [active, setActive] = useState<'true' | 'false' | ''>('true');
  const query = useDebouncedValue(q.trim(), 250);
  const services = useServices({ q: query || undefined, serviceGroup: group, active: active || undefined });
  const [editing, setEditing] = useState<BillingService | null | 'new'>(null);
  const [pricing, setPricing] = useState<BillingService | null>(null);
  const manage = can('billing:manage');
  const columns: Column<BillingService>[] = [
    { id: 'code', header: 'Code', render: (s) => s.code },
    { id: 'name', header: 'Name', render: (s) => s.name },
    { id: 'group', header: 'Group', render: (s) => serviceGroupLabel(s.serviceGroup) },
    { id: 'tax', header: 'Tax code', render: (s) => s.taxCode, hideBelow: 'md' },
    {
      id: 'pay',
      header: 'Paid',
      render: (s) => (s.payWhen === 'before' ? 'Before' : 'After'),
      hideBelow: 'md',
    },
    {
      id: 'active',
      header: 'Status',
      render: (s) => <Chip size="small" variant="outlined" label={s.active ? 'Active' : 'Inactive'} />,
    },
    {
      id: 'actions',
      header: 'Actions',
      render: (s) => (
        <Stack direction="row" spacing={1}>
          <Button size="small" onClick={() => setPricing(s)} aria-label={`Prices of ${s.code}`}>
            Prices
          </Button>
          {manage && (
            <Button size="small" onClick={() => setEditing(s)} aria-label={`Edit ${s.code}`}>
              Edit
            </Button>
          )}
        </Stack>
      ),
    },
  ];
  return (
    <Section
      title="Services"
      actions={
        manage && (
          <Button variant="contained" startIcon={<Add />} onClick={() => setEditing('new')}>
            New service
          </Button>
        )
      }
    >
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} sx={{ mb: 2 }}>
        <TextField
          label="Search code or name"
          value={q}
          onChange={(e) => setQ(e.target.value)}
          type="search"
        />
        <TextField
          select
          label="Group"
          value={group}
          onChange={(e) => setGroup(e.target.value as ServiceGroup | '')}
          sx={{ minWidth: 180 }}
        >
          <MenuItem value="">All groups</MenuItem>
          {serviceGroups.map((g) => (
            <MenuItem key={g} value={g}>
              {serviceGroupLabels[g]}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          select
          label="Status"
          value={active}
          onChange={(e) => setActive(e.target.value as 'true' | 'false' | '')}
          sx={{ minWidth: 140 }}
        >
          <MenuItem value="true">Active</MenuItem>
          <MenuItem value="false">Inactive</MenuItem>
          <MenuItem value="">All</MenuItem>
        </TextField>
      </Stack>
      <DataTable
        label="Services"
        columns={columns}
        rows={services.data?.items ?? []}
        rowKey={(s) => s.id}
        loading={services.isFetching}
        emptyText="No service matches"
      />
      <ProblemAlert error={services.error} sx={{ mt: 1 }} />
      <ServiceDialog
        open={editing !== null}
        service={editing === 'new' ? null : editing}
        onClose={() => setEditing(null)}
        onReload={() => void services.refetch()}
      />
      <PricesDialog
        service={pricing}
        today={calendarDateIn(zone)}
        canManage={manage}
        onClose={() => setPricing(null)}
      />
    </Section>
  );
}

type RateRow = TaxCode['rates'][number] & { codeName: string };

function TaxesTab() {
  const taxCodes = useTaxCodes();
  const rows: RateRow[] = (taxCodes.data ?? []).flatMap((t) =>
    t.rates.map((r) => ({
      ...r,
      codeName: `${t.code} · ${t.name}${t.hsnSac ? ` (HSN/SAC ${t.hsnSac})` : ''}`,
    })),
  );
  const columns: Column<RateRow>[] = [
    { id: 'code', header: 'Tax code', render: (r) => r.codeName },
    {
      id: 'setting',
      header: 'Setting',
      render: (r) => ({ any: 'Any', outpatient: 'Out-patient', inpatient: 'In-patient' })[r.setting],
    },
    { id: 'rate', header: 'GST rate', align: 'right', render: (r) => formatPercent(r.rateBp) },
    {
      id: 'min',
      header: 'Applies from unit price',
      align: 'right',
      render: (r) => (r.minUnitPrice === null ? 'Any price' : `above ${formatRupees(r.minUnitPrice)}`),
    },
    { id: 'from', header: 'From', render: (r) => formatCalendarDate(r.validFrom) },
    { id: 'to', header: 'Until', render: (r) => (r.validTo ? formatCalendarDate(r.validTo) : 'Open') },
    { id: 'note', header: 'Notification', render: (r) => r.notification ?? '', hideBelow: 'md' },
  ];
  return (
    <Section title="Tax codes and their dated rates">
      <DataTable
        label="Tax rates"
        columns={columns}
        rows={rows}
        rowKey={(r) => r.id}
        loading={taxCodes.isLoading}
        emptyText="No tax code"
      />
      <ProblemAlert error={taxCodes.error} sx={{ mt: 1 }} />
    </Section>
  );
}

function NewPackageForm() {
  const create = useCreatePackage();
  const [service, setService] = useState<BillingService | null>(null);
  const [los, setLos] = useState('');
  const [beyond, setBeyond] = useState<'charge-per-day' | 'absorb'>('charge-per-day');
  const losOk = los.trim() === '' || /^\d{1,3}$/.test(los.trim());
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!service || !losOk) return;
    create.mutate(
      { serviceId: service.id, losLimitDays: los.trim() ? Number(los) : null, beyondLos: beyond },
      { onSuccess: () => setService(null) },
    );
  };
  return (
    <Box component="form" onSubmit={submit} noValidate aria-label="New package" sx={{ mt: 3 }}>
      <Stack direction={{ xs: 'column', md: 'row' }} spacing={2} sx={{ alignItems: 'flex-start' }}>
        <Box sx={{ minWidth: 300, flexGrow: 1 }}>
          <ServicePicker
            value={service}
            onChange={setService}
            label="Package service (its price is the package's)"
          />
        </Box>
        <TextField
          label="Length-of-stay limit (days)"
          value={los}
          onChange={(e) => setLos(e.target.value)}
          error={!losOk}
          helperText={losOk ? 'Empty: no limit' : 'Whole days'}
        />
        <TextField
          select
          label="Beyond the limit"
          value={beyond}
          onChange={(e) => setBeyond(e.target.value as 'charge-per-day' | 'absorb')}
          sx={{ minWidth: 200 }}
        >
          <MenuItem value="charge-per-day">Charge per day</MenuItem>
          <MenuItem value="absorb">Absorbed by the hospital</MenuItem>
        </TextField>
        <Button type="submit" variant="contained" disabled={create.isPending || !service}>
          Create package
        </Button>
      </Stack>
      <ProblemAlert error={create.error} />
    </Box>
  );
}

function PackagesTab() {
  const { can } = useAuth();
  const packages = usePackages();
  const columns: Column<BillingPackage>[] = [
    { id: 'code', header: 'Code', render: (p) => p.serviceCode },
    { id: 'name', header: 'Package', render: (p) => p.serviceName },
    { id: 'los', header: 'Stay limit', render: (p) => (p.losLimitDays ? `${p.losLimitDays} days` : 'None') },
    {
      id: 'beyond',
      header: 'Beyond it',
      render: (p) => (p.beyondLos === 'absorb' ? 'Absorbed' : 'Charged per day'),
    },
    {
      id: 'items',
      header: 'Inclusions / exclusions',
      render: (p) =>
        p.items.length === 0
          ? 'Everything'
          : p.items
              .map(
                (i) =>
                  `${i.kind === 'include' ? 'includes' : 'excludes'} ${i.serviceCode ?? serviceGroupLabel(i.serviceGroup ?? '')}${i.quantityLimit ? ` (up to ${i.quantityLimit})` : ''}`,
              )
              .join('; '),
    },
    { id: 'active', header: 'Status', render: (p) => (p.active ? 'Active' : 'Withdrawn') },
  ];
  return (
    <Section title="Packages">
      <DataTable
        label="Packages"
        columns={columns}
        rows={packages.data ?? []}
        rowKey={(p) => p.id}
        loading={packages.isLoading}
        emptyText="No package"
      />
      <ProblemAlert error={packages.error} sx={{ mt: 1 }} />
      {can('billing:manage') && <NewPackageForm />}
    </Section>
  );
}

/** The charge master at /billing/charge-master: services and their dated prices, tax codes, packages. */
export function ChargeMasterPage() {
  const [params, setParams] = useSearchParams();
  const tab: TabKey = tabs.find((t) => t === params.get('tab')) ?? 'services';
  return (
    <>
      <PageHeader
        title="Charge master"
        subtitle="Services and their prices by date and tariff class, GST codes, packages; when lab tests are charged"
      />
      <Tabs
        value={tab}
        onChange={(_, next: TabKey) => setParams(next === 'services' ? {} : { tab: next })}
        aria-label="Charge master"
        sx={{ mb: 2 }}
      >
        <Tab value="services" label="Services" />
        <Tab value="taxes" label="Tax codes" />
        <Tab value="packages" label="Packages" />
        <Tab value="settings" label="Settings" />
      </Tabs>
      {tab === 'services' && <ServicesTab />}
      {tab === 'taxes' && <TaxesTab />}
      {tab === 'packages' && <PackagesTab />}
      {tab === 'settings' && <BillingSettingsSection />}
    </>
  );
}
