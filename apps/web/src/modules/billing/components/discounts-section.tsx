import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import type { AccountDetail, Discount } from '@newhms/contracts';
import { useState } from 'react';
import { useAuth } from '../../../app/auth/auth-context';
import { type Column, DataTable } from '../../../ui/data-table';
import { formatDateTime } from '../../../ui/format';
import { formatPercent, formatRupees } from '../../../ui/money';
import { ProblemAlert } from '../../../ui/problem-alert';
import { discountReasonLabels, discountStatusLabels } from '../billing-labels';
import { useAccountDiscounts, useWithdrawDiscount } from '../hooks/use-billing';
import { DecisionDialog } from './decision-dialog';
import { DiscountDialog } from './discount-dialog';
import { Section } from './section';

const statusColour = {
  pending: 'warning',
  approved: 'success',
  rejected: 'error',
  withdrawn: 'default',
} as const;

export function discountValue(d: Discount): string {
  return d.kind === 'percent' ? formatPercent(d.value) : formatRupees(d.value);
}

/** The account's discounts, pending or decided; request one; an approver decides here too. */
export function DiscountsSection({ account }: { account: AccountDetail }) {
  const { can } = useAuth();
  const discounts = useAccountDiscounts(account.id);
  const withdraw = useWithdrawDiscount();
  const [requesting, setRequesting] = useState(false);
  const [deciding, setDeciding] = useState<Discount | null>(null);
  const chargeName = (id: string | null) =>
    id ? (account.charges.find((c) => c.id === id)?.serviceName ?? 'A charge') : 'Whole bill';
  const columns: Column<Discount>[] = [
    { id: 'on', header: 'On', render: (d) => chargeName(d.chargeId) },
    {
      id: 'reason',
      header: 'Reason',
      render: (d) => [discountReasonLabels[d.reason], d.note].filter(Boolean).join(': '),
    },
    { id: 'value', header: 'Discount', align: 'right', render: discountValue },
    {
      id: 'status',
      header: 'Status',
      render: (d) => (
        <Chip
          size="small"
          color={statusColour[d.status]}
          variant={d.status === 'pending' ? 'outlined' : 'filled'}
          label={
            d.invoiceId && d.status === 'approved' ? 'Applied on a bill' : discountStatusLabels[d.status]
          }
        />
      ),
    },
    {
      id: 'who',
      header: 'Requested / decided',
      render: (d) =>
        `${d.requestedByName}, ${formatDateTime(d.requestedAt)}${d.decidedByName ? ` · ${d.decidedByName}${d.decisionNote ? `: ${d.decisionNote}` : ''}` : ''}`,
    },
    {
      id: 'actions',
      header: 'Actions',
      render: (d) =>
        !d.invoiceId && (d.status === 'pending' || d.status === 'approved') ? (
          <Stack direction="row" spacing={1}>
            {d.status === 'pending' && can('billing:approve') && (
              <Button size="small" onClick={() => setDeciding(d)}>
                Decide
              </Button>
            )}
            {can('billing:invoice') && (
              <Button
                size="small"
                color="error"
                disabled={withdraw.isPending}
                onClick={() => withdraw.mutate({ id: d.id, version: d.version })}
              >
                Withdraw
              </Button>
            )}
          </Stack>
        ) : null,
    },
  ];
  return (
    <Section
      title="Discounts"
      actions={
        account.status === 'open' &&
        can('billing:invoice') && (
          <Button variant="outlined" onClick={() => setRequesting(true)}>
            Request a discount
          </Button>
        )
      }
    >
      <DataTable
        label="Discounts"
        columns={columns}
        rows={discounts.data ?? []}
        rowKey={(d) => d.id}
        loading={discounts.isLoading}
        emptyText="No discount requested"
      />
      <ProblemAlert error={discounts.error ?? withdraw.error} sx={{ mt: 1 }} />
      <DiscountDialog
        open={requesting}
        accountId={account.id}
        charges={account.charges}
        onClose={() => setRequesting(false)}
      />
      <DecisionDialog
        open={!!deciding}
        onClose={() => setDeciding(null)}
        subject={deciding ? `${discountValue(deciding)} · ${discountReasonLabels[deciding.reason]}` : ''}
        kind="discount"
        id={deciding?.id ?? ''}
        version={deciding?.version ?? 0}
      />
    </Section>
  );
}
