import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { Payer, PayerKind, PayerPlan } from '@newhms/contracts';
import { payerKinds } from '@newhms/contracts';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { useAuth } from '../../../app/auth/auth-context';
import { type Column, DataTable } from '../../../ui/data-table';
import { formatPercent, formatRupees } from '../../../ui/money';
import { PageHeader } from '../../../ui/page-header';
import { ProblemAlert } from '../../../ui/problem-alert';
import { PayerDialog } from '../components/payer-dialog';
import { PlanDialog } from '../components/plan-dialog';
import { Section } from '../components/section';
import { usePayers, usePlans } from '../hooks/use-insurance';
import { payerKindLabels } from '../insurance-labels';

function ActiveChip({ active }: { active: boolean }) {
  return active ? (
    <Chip size="small" color="success" label="Active" />
  ) : (
    <Chip size="small" variant="outlined" label="Inactive" />
  );
}

/** Room rent the plan pays a day, in words. */
export function roomRentText(plan: Pick<PayerPlan, 'roomRentLimit' | 'roomRentLimitBp'>): string {
  if (plan.roomRentLimit !== null) return `${formatRupees(plan.roomRentLimit)} a day`;
  if (plan.roomRentLimitBp !== null) return `${formatPercent(plan.roomRentLimitBp)} of sum insured a day`;
  return 'No limit';
}

/** Payers and plans at /insurance/payers: billing:insurance reads, billing:manage edits. */
export function PayersPage() {
  const { can } = useAuth();
  const canManage = can('billing:manage');
  const [params, setParams] = useSearchParams();
  const kind = (params.get('kind') as PayerKind | null) ?? undefined;
  const payers = usePayers({ kind });
  const selectedId = params.get('payer');
  const selected = payers.data?.find((p) => p.id === selectedId) ?? null;
  const plans = usePlans(selected?.id);
  const [editingPayer, setEditingPayer] = useState<Payer | null | undefined>(undefined);
  const [editingPlan, setEditingPlan] = useState<PayerPlan | null | undefined>(undefined);

  const setParam = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };

  const payerColumns: Column<Payer>[] = [
    { id: 'code', header: 'Code', render: (p) => p.code },
    {
      id: 'name',
      header: 'Name',
      render: (p) => (
        <Typography component="span" sx={{ fontWeight: p.id === selectedId ? 700 : 400 }}>
          {p.name}
        </Typography>
      ),
    },
    { id: 'kind', header: 'Kind', render: (p) => payerKindLabels[p.kind] },
    { id: 'reg', header: 'Registration', render: (p) => p.registrationNumber ?? '—', hideBelow: 'md' },
    { id: 'credit', header: 'Credit days', render: (p) => p.creditDays, align: 'right', hideBelow: 'sm' },
    {
      id: 'contact',
      header: 'Contact',
      render: (p) => [p.contactEmail, p.contactPhone].filter(Boolean).join(' · ') || '—',
      hideBelow: 'md',
    },
    { id: 'status', header: 'Status', render: (p) => <ActiveChip active={p.active} /> },
    {
      id: 'actions',
      header: 'Actions',
      render: (p) => (
        <Box sx={{ display: 'flex', gap: 1 }}>
          <Button
            size="small"
            variant={p.id === selectedId ? 'contained' : 'outlined'}
            onClick={() => setParam('payer', p.id)}
            aria-label={`Plans of ${p.name}`}
            aria-pressed={p.id === selectedId}
          >
            Plans
          </Button>
          {canManage && (
            <Button size="small" onClick={() => setEditingPayer(p)} aria-label={`Edit ${p.name}`}>
              Edit
            </Button>
          )}
        </Box>
      ),
    },
  ];

  const planColumns: Column<PayerPlan>[] = [
    { id: 'code', header: 'Code', render: (p) => p.code },
    { id: 'name', header: 'Plan', render: (p) => p.name },
    { id: 'copay', header: 'Co-pay', render: (p) => formatPercent(p.copayBp), align: 'right' },
    { id: 'room', header: 'Room-rent limit', render: roomRentText },
    {
      id: 'proportionate',
      header: 'Proportionate deduction',
      render: (p) => (p.proportionateDeduction ? 'Yes' : 'No'),
      hideBelow: 'sm',
    },
    {
      id: 'nonpayable',
      header: 'Non-payable',
      render: (p) => [...p.nonPayableGroups, ...p.nonPayableCodes].join(', ') || 'None',
      hideBelow: 'md',
    },
    { id: 'status', header: 'Status', render: (p) => <ActiveChip active={p.active} /> },
    ...(canManage
      ? [
          {
            id: 'actions',
            header: 'Actions',
            render: (p: PayerPlan) => (
              <Button size="small" onClick={() => setEditingPlan(p)} aria-label={`Edit plan ${p.name}`}>
                Edit
              </Button>
            ),
          },
        ]
      : []),
  ];

  return (
    <>
      <PageHeader
        title="Payers & plans"
        subtitle="Insurers, TPAs, corporates and government schemes, and the rules of their plans"
        actions={
          canManage && (
            <Button variant="contained" onClick={() => setEditingPayer(null)}>
              Add payer
            </Button>
          )
        }
      />
      <Section
        title="Payers"
        actions={
          <TextField
            select
            label="Kind"
            value={kind ?? ''}
            onChange={(e) => setParam('kind', e.target.value || null)}
            sx={{ minWidth: 200 }}
          >
            <MenuItem value="">All kinds</MenuItem>
            {payerKinds.map((k) => (
              <MenuItem key={k} value={k}>
                {payerKindLabels[k]}
              </MenuItem>
            ))}
          </TextField>
        }
      >
        <ProblemAlert error={payers.error} sx={{ mb: 2 }} />
        <DataTable
          label="Payers"
          columns={payerColumns}
          rows={payers.data ?? []}
          rowKey={(p) => p.id}
          loading={payers.isLoading}
          emptyText="No payer set up yet"
        />
      </Section>
      {selected && (
        <Section
          title={`Plans of ${selected.name}`}
          actions={
            canManage && (
              <Button variant="outlined" onClick={() => setEditingPlan(null)}>
                Add plan
              </Button>
            )
          }
        >
          <ProblemAlert error={plans.error} sx={{ mb: 2 }} />
          <DataTable
            label={`Plans of ${selected.name}`}
            columns={planColumns}
            rows={plans.data ?? []}
            rowKey={(p) => p.id}
            loading={plans.isLoading}
            emptyText="No plan: policies of this payer follow no plan rules"
          />
        </Section>
      )}
      {canManage && (
        <PayerDialog
          open={editingPayer !== undefined}
          payer={editingPayer ?? null}
          onClose={() => setEditingPayer(undefined)}
          onReload={() => payers.refetch()}
        />
      )}
      {canManage && selected && (
        <PlanDialog
          open={editingPlan !== undefined}
          payer={selected}
          plan={editingPlan ?? null}
          onClose={() => setEditingPlan(undefined)}
          onReload={() => plans.refetch()}
        />
      )}
    </>
  );
}
