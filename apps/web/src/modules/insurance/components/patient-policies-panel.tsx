import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Typography from '@mui/material/Typography';
import type { BillingAccount, InsurancePolicy } from '@newhms/contracts';
import { useState } from 'react';
import { useAuth } from '../../../app/auth/auth-context';
import { type Column, DataTable } from '../../../ui/data-table';
import { formatCalendarDate } from '../../../ui/facility-time';
import { formatPercent, formatRupees } from '../../../ui/money';
import { ProblemAlert } from '../../../ui/problem-alert';
import { ReasonDialog } from '../../../ui/reason-dialog';
import { useAddPolicyDocument, usePatientAccounts, usePatientPolicies } from '../hooks/use-insurance';
import { payerKindLabels, relationLabels } from '../insurance-labels';
import { AttachPolicyDialog, accountLabel } from './attach-policy-dialog';
import { InsuranceFileLinks, UploadFileDialog } from './insurance-files';
import { PolicyDialog } from './policy-dialog';
import { Section } from './section';

/**
 * A patient's insurance: the policies (payer, TPA, plan, member, validity, sum insured, used and balance,
 * overrides, documents), adding and editing them, and billing the patient's open accounts to one of them.
 * Needs billing:insurance; placed on the patient record and on /insurance/policies.
 */
export function PatientPoliciesPanel({ patientId }: { patientId: string }) {
  const { can } = useAuth();
  const canEdit = can('billing:insurance');
  const policies = usePatientPolicies(patientId);
  const accounts = usePatientAccounts(canEdit && can('billing:read') ? patientId : null);
  const addDocument = useAddPolicyDocument();
  const [editing, setEditing] = useState<InsurancePolicy | null | undefined>(undefined);
  const [attachStart, setAttachStart] = useState<{ accountId?: string; policyId?: string } | null>(null);
  const [documentFor, setDocumentFor] = useState<InsurancePolicy | null>(null);
  const [uploadFor, setUploadFor] = useState<InsurancePolicy | null>(null);
  const openAccounts = (accounts.data ?? []).filter((a) => a.status === 'open');
  const policyById = new Map((policies.data ?? []).map((p) => [p.id, p]));

  const policyColumns: Column<InsurancePolicy>[] = [
    {
      id: 'payer',
      header: 'Payer',
      render: (p) => (
        <>
          <Typography component="span" sx={{ fontWeight: 600 }}>
            {p.payerName}
          </Typography>
          <Typography variant="body2" color="text.secondary">
            {payerKindLabels[p.payerKind]}
            {p.tpaName ? ` · TPA ${p.tpaName}` : ''}
            {p.planName ? ` · ${p.planName}` : ''}
          </Typography>
        </>
      ),
    },
    {
      id: 'number',
      header: 'Policy / member',
      render: (p) => (
        <>
          {p.policyNumber}
          <Typography variant="body2" color="text.secondary">
            Member {p.memberId}
            {p.holderName ? ` · holder ${p.holderName}` : ''}
            {p.relationToHolder ? ` (${relationLabels[p.relationToHolder] ?? p.relationToHolder})` : ''}
          </Typography>
        </>
      ),
    },
    {
      id: 'validity',
      header: 'Valid',
      render: (p) => `${formatCalendarDate(p.validFrom)} – ${formatCalendarDate(p.validTo)}`,
      hideBelow: 'md',
    },
    { id: 'sum', header: 'Sum insured', render: (p) => formatRupees(p.sumInsured), align: 'right' },
    { id: 'used', header: 'Used', render: (p) => formatRupees(p.used), align: 'right', hideBelow: 'sm' },
    {
      id: 'balance',
      header: 'Balance',
      render: (p) => <strong>{formatRupees(p.balance)}</strong>,
      align: 'right',
    },
    {
      id: 'overrides',
      header: 'Overrides',
      render: (p) =>
        [
          p.copayBp !== null ? `Co-pay ${formatPercent(p.copayBp)}` : null,
          p.roomRentLimit !== null ? `Room ${formatRupees(p.roomRentLimit)}/day` : null,
        ]
          .filter(Boolean)
          .join(' · ') || '—',
      hideBelow: 'lg',
    },
    {
      id: 'documents',
      header: 'Documents',
      render: (p) => (p.documents.length ? p.documents.map((d) => d.name).join(', ') : 'None'),
      hideBelow: 'md',
    },
    {
      id: 'files',
      header: 'Files',
      render: (p) => (p.files.length ? <InsuranceFileLinks files={p.files} compact /> : 'None'),
    },
    {
      id: 'status',
      header: 'Status',
      render: (p) =>
        p.status === 'active' ? (
          <Chip size="small" color="success" label="Active" />
        ) : (
          <Chip size="small" variant="outlined" label="Inactive" />
        ),
    },
    ...(canEdit
      ? [
          {
            id: 'actions',
            header: 'Actions',
            render: (p: InsurancePolicy) => (
              <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap' }}>
                {p.status === 'active' && (
                  <Button
                    size="small"
                    variant="outlined"
                    onClick={() => setAttachStart({ policyId: p.id })}
                    aria-label={`Attach policy ${p.policyNumber} to an account`}
                  >
                    Attach to account
                  </Button>
                )}
                <Button
                  size="small"
                  onClick={() => setEditing(p)}
                  aria-label={`Edit policy ${p.policyNumber}`}
                >
                  Edit
                </Button>
                <Button
                  size="small"
                  onClick={() => {
                    addDocument.reset();
                    setDocumentFor(p);
                  }}
                  aria-label={`Add a document to policy ${p.policyNumber}`}
                >
                  Add document
                </Button>
                <Button
                  size="small"
                  onClick={() => setUploadFor(p)}
                  aria-label={`Upload a file to policy ${p.policyNumber}`}
                >
                  Upload file
                </Button>
              </Box>
            ),
          },
        ]
      : []),
  ];

  const accountColumns: Column<BillingAccount>[] = [
    { id: 'account', header: 'Account', render: accountLabel },
    { id: 'category', header: 'Payer category', render: (a) => a.payerCategory },
    {
      id: 'policy',
      header: 'Billed to',
      render: (a) => {
        if (!a.policyId) return 'Cash';
        const p = policyById.get(a.policyId);
        return p ? `${p.payerName} · policy ${p.policyNumber}` : 'A policy';
      },
    },
    {
      id: 'actions',
      header: 'Actions',
      render: (a) => (
        <Button
          size="small"
          onClick={() => setAttachStart({ accountId: a.id, policyId: a.policyId ?? undefined })}
          aria-label={`Change what ${accountLabel(a)} is billed to`}
        >
          Change
        </Button>
      ),
    },
  ];

  return (
    <Box data-testid="patient-policies">
      <Section
        title="Insurance policies"
        actions={
          canEdit && (
            <Button variant="outlined" onClick={() => setEditing(null)}>
              Add policy
            </Button>
          )
        }
      >
        <ProblemAlert error={policies.error} sx={{ mb: 2 }} />
        <DataTable
          label="Insurance policies"
          columns={policyColumns}
          rows={policies.data ?? []}
          rowKey={(p) => p.id}
          loading={policies.isLoading}
          emptyText="No policy recorded: the patient pays as cash"
        />
      </Section>
      {canEdit && accounts.isSuccess && (
        <Section title="Open accounts">
          <DataTable
            label="Open accounts"
            columns={accountColumns}
            rows={openAccounts}
            rowKey={(a) => a.id}
            emptyText="No open account"
          />
        </Section>
      )}
      <ProblemAlert error={accounts.error} sx={{ mb: 2 }} />
      {canEdit && (
        <>
          <PolicyDialog
            open={editing !== undefined}
            patientId={patientId}
            policy={editing ?? null}
            onClose={() => setEditing(undefined)}
            onReload={() => policies.refetch()}
          />
          <AttachPolicyDialog
            open={!!attachStart}
            accounts={openAccounts}
            policies={policies.data ?? []}
            start={attachStart ?? {}}
            onClose={() => setAttachStart(null)}
            onReload={() => accounts.refetch()}
          />
          <UploadFileDialog
            open={!!uploadFor}
            target="policies"
            targetId={uploadFor?.id ?? ''}
            subject={uploadFor ? `policy ${uploadFor.policyNumber}` : 'the policy'}
            defaultKind="policy-card"
            onClose={() => setUploadFor(null)}
          />
          <ReasonDialog
            open={!!documentFor}
            title="Add a document"
            message={documentFor ? `Received for policy ${documentFor.policyNumber}.` : undefined}
            label="Document"
            confirmLabel="Add document"
            maxLength={120}
            busy={addDocument.isPending}
            error={addDocument.error}
            onCancel={() => setDocumentFor(null)}
            onConfirm={(name) =>
              documentFor &&
              addDocument.mutate(
                { id: documentFor.id, body: { name } },
                { onSuccess: () => setDocumentFor(null) },
              )
            }
          />
        </>
      )}
    </Box>
  );
}
