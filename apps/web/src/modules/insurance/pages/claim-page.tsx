import Download from '@mui/icons-material/Download';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Link from '@mui/material/Link';
import Paper from '@mui/material/Paper';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { Link as RouterLink, useParams } from 'react-router';
import { useAuth } from '../../../app/auth/auth-context';
import { ConflictAlert } from '../../../ui/conflict-alert';
import { formatDateTime } from '../../../ui/format';
import { formatRupees } from '../../../ui/money';
import { PageHeader } from '../../../ui/page-header';
import { ProblemAlert } from '../../../ui/problem-alert';
import { ReasonDialog } from '../../../ui/reason-dialog';
import { PatientBanner, usePatient } from '../../patients';
import { ApproveDialog } from '../components/approve-dialog';
import { ClaimArithmetic } from '../components/claim-arithmetic';
import { Facts } from '../components/facts';
import { HistoryTimeline } from '../components/history-timeline';
import { InsuranceFilesSection } from '../components/insurance-files';
import { Section } from '../components/section';
import { SettleDialog } from '../components/settle-dialog';
import { StatusChip } from '../components/status-chip';
import { isStale, useClaim, useClaimStep, useDownloadClaimBundle } from '../hooks/use-insurance';

type TextAction = 'query' | 'answer' | 'deny' | 'cancel' | 'write-off';
const textDialogs: Record<TextAction, { title: string; label: string; confirm: string; danger?: boolean }> = {
  query: { title: "Record the payer's query", label: 'Query', confirm: 'Record query' },
  answer: { title: "Record the hospital's answer", label: 'Answer', confirm: 'Record answer' },
  deny: { title: 'Record a denial', label: 'Reason for denial', confirm: 'Record denial', danger: true },
  cancel: { title: 'Cancel the claim', label: 'Reason', confirm: 'Cancel claim', danger: true },
  'write-off': {
    title: 'Approve the write-off',
    label: 'Reason for the write-off',
    confirm: 'Approve write-off',
    danger: true,
  },
};

/** One claim at /insurance/claims/:id: the sum, the settlement, the next steps, the history and the FHIR export. */
export function ClaimPage() {
  const { claimId } = useParams();
  const { me, can } = useAuth();
  const claim = useClaim(claimId);
  const step = useClaimStep(claimId ?? '');
  const download = useDownloadClaimBundle();
  const patient = usePatient(claim.data?.patientId);
  const [textAction, setTextAction] = useState<TextAction | null>(null);
  const [approving, setApproving] = useState(false);
  const [settling, setSettling] = useState(false);
  const c = claim.data;

  if (!c) {
    return (
      <>
        <PageHeader title="Claim" />
        <ProblemAlert error={claim.error} />
        {claim.isLoading && <Typography color="text.secondary">Loading…</Typography>}
      </>
    );
  }
  const open = (action: TextAction) => {
    step.reset();
    setTextAction(action);
  };
  const submitter = c.history.find((h) => h.kind === 'submitted')?.recordedById ?? null;
  const isSubmitter = !!me && submitter === me.id;
  const canApprove = can('billing:approve');
  const writeOffDue = (c.status === 'settled' || c.status === 'denied') && c.outstanding > 0;
  const actions = {
    query: c.status === 'submitted',
    answer: c.status === 'query',
    approve: c.status === 'submitted',
    deny: c.status === 'submitted',
    settle: ['submitted', 'approved', 'partially-approved'].includes(c.status),
    cancel: c.status === 'submitted' || c.status === 'query',
    writeOff: writeOffDue && canApprove && !isSubmitter,
  };
  const dialog = textAction ? textDialogs[textAction] : null;
  const statusNote: Record<string, string> = {
    closed: `Closed: nothing is outstanding${c.writtenOff > 0 ? ` after a write-off of ${formatRupees(c.writtenOff)}` : ''}.`,
    cancelled: 'Cancelled: the bill can be claimed again.',
  };

  return (
    <>
      <PageHeader
        title={`Claim ${c.number}`}
        subtitle={
          <Box
            component="span"
            sx={{ display: 'inline-flex', gap: 1, alignItems: 'center', flexWrap: 'wrap' }}
          >
            {c.payerName} · <StatusChip kind="claim" status={c.status} />
          </Box>
        }
        actions={
          <>
            <Button component={RouterLink} to="/insurance/claims">
              All claims
            </Button>
            <Button
              variant="outlined"
              startIcon={<Download />}
              disabled={download.isPending}
              onClick={() => download.mutate({ id: c.id, number: c.number })}
            >
              Download FHIR bundle
            </Button>
          </>
        }
      />
      <ProblemAlert error={download.error} sx={{ mb: 2 }} />
      {patient.data && (
        <Box sx={{ mb: 3 }}>
          <PatientBanner patient={patient.data} />
        </Box>
      )}
      {isStale(step.error) && <ConflictAlert onReload={() => claim.refetch().then(() => step.reset())} />}
      {statusNote[c.status] && (
        <Alert
          severity={c.status === 'closed' ? 'success' : 'info'}
          sx={{ mb: 2 }}
          data-testid="claim-status-note"
        >
          {statusNote[c.status]}
        </Alert>
      )}
      <Section title="Claim">
        <Box sx={{ display: 'grid', gap: 3, gridTemplateColumns: { xs: '1fr', md: '3fr 2fr' } }}>
          <Paper variant="outlined" sx={{ p: 2 }}>
            <Facts
              label="Claim"
              items={[
                ['Bill', c.invoiceNumber ?? '—'],
                [
                  'Pre-authorization',
                  c.preauthId ? (
                    <Link key="pa" component={RouterLink} to={`/insurance/preauths/${c.preauthId}`}>
                      Open the pre-authorization
                    </Link>
                  ) : (
                    'None'
                  ),
                ],
                ['Payer reference', c.payerReference ?? '—'],
                ['Claimed', formatRupees(c.claimedAmount)],
                ['Approved', c.approvedAmount === null ? 'Not yet' : formatRupees(c.approvedAmount)],
                ['Submitted', formatDateTime(c.submittedAt)],
                ['Settled', c.settledAt ? formatDateTime(c.settledAt) : 'Not yet'],
                ['Settlement receipt', c.settlementReceiptNumber ?? '—'],
                ...(c.writeOffReason
                  ? ([
                      ['Write-off', `${formatRupees(c.writtenOff)}: ${c.writeOffReason}`],
                      ['Write-off approved by', c.writeOffApprovedBy ?? '—'],
                    ] as [string, string][])
                  : []),
              ]}
            />
          </Paper>
          <Box>
            <Typography component="h3" variant="subtitle1" sx={{ fontWeight: 600, mb: 1 }}>
              Where the claimed amount went
            </Typography>
            <ClaimArithmetic
              label="Claim arithmetic"
              claimed={c.claimedAmount}
              settled={c.settledAmount}
              tds={c.tds}
              disallowed={c.disallowed}
              writtenOff={c.writtenOff}
              remaining={c.outstanding}
            />
          </Box>
        </Box>
        {c.disallowances.length > 0 && (
          <Box sx={{ mt: 2 }}>
            <Typography component="h3" variant="subtitle1" sx={{ fontWeight: 600, mb: 1 }}>
              Disallowances
            </Typography>
            <Table size="small" aria-label="Disallowances" sx={{ maxWidth: 640 }}>
              <TableHead>
                <TableRow>
                  <TableCell sx={{ fontWeight: 600 }}>Reason</TableCell>
                  <TableCell align="right" sx={{ fontWeight: 600 }}>
                    Amount
                  </TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {c.disallowances.map((d, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: the rows have no id and never reorder
                  <TableRow key={i}>
                    <TableCell>{d.reason}</TableCell>
                    <TableCell align="right">{formatRupees(d.amount)}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </Box>
        )}
        <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap', mt: 2 }}>
          {actions.query && (
            <Button variant="outlined" onClick={() => open('query')}>
              Record query
            </Button>
          )}
          {actions.answer && (
            <Button variant="contained" onClick={() => open('answer')}>
              Record answer
            </Button>
          )}
          {actions.approve && (
            <Button
              variant="outlined"
              onClick={() => {
                step.reset();
                setApproving(true);
              }}
            >
              Record approval
            </Button>
          )}
          {actions.deny && (
            <Button variant="outlined" color="error" onClick={() => open('deny')}>
              Record denial
            </Button>
          )}
          {actions.settle && (
            <Button
              variant="contained"
              onClick={() => {
                step.reset();
                setSettling(true);
              }}
            >
              Record settlement
            </Button>
          )}
          {actions.writeOff && (
            <Button variant="contained" color="error" onClick={() => open('write-off')}>
              Approve write-off of {formatRupees(c.outstanding)}
            </Button>
          )}
          {actions.cancel && (
            <Button color="error" onClick={() => open('cancel')}>
              Cancel claim
            </Button>
          )}
        </Box>
        {writeOffDue && !actions.writeOff && (
          <Alert severity="info" sx={{ mt: 2 }} data-testid="write-off-pending">
            {formatRupees(c.outstanding)} remains.{' '}
            {isSubmitter && canApprove
              ? 'You submitted this claim: another accounts manager approves its write-off.'
              : 'An accounts manager approves writing it off (billing:approve); whoever submitted the claim cannot.'}
          </Alert>
        )}
      </Section>
      <Section title="Files">
        <InsuranceFilesSection
          target="claims"
          targetId={c.id}
          subject={`claim ${c.number}`}
          files={c.files}
          canUpload
          defaultKind="discharge-summary"
        />
      </Section>
      <Section title="Status history">
        <HistoryTimeline label="Status history" events={c.history} />
      </Section>
      <ReasonDialog
        open={!!dialog}
        title={dialog?.title ?? ''}
        message={
          textAction === 'write-off'
            ? `${formatRupees(c.outstanding)} of ${c.number} is written off and the claim closes. This cannot be undone.`
            : undefined
        }
        label={dialog?.label}
        confirmLabel={dialog?.confirm ?? ''}
        danger={dialog?.danger}
        maxLength={textAction === 'write-off' || textAction === 'cancel' ? 500 : 2000}
        busy={step.isPending}
        error={step.error}
        onCancel={() => setTextAction(null)}
        onConfirm={(text) => {
          if (!textAction) return;
          const done = { onSuccess: () => setTextAction(null) };
          if (textAction === 'write-off' || textAction === 'cancel') {
            step.mutate({ action: textAction, body: { reason: text, version: c.version } }, done);
          } else {
            step.mutate({ action: textAction, body: { note: text, version: c.version } }, done);
          }
        }}
      />
      <ApproveDialog
        open={approving}
        title="Record the payer's approval"
        asked={c.claimedAmount}
        askedLabel="Claimed"
        payerReference={c.payerReference}
        busy={step.isPending}
        error={step.error}
        onCancel={() => setApproving(false)}
        onConfirm={(a) =>
          step.mutate(
            { action: 'approve', body: { ...a, version: c.version } },
            { onSuccess: () => setApproving(false) },
          )
        }
      />
      <SettleDialog
        open={settling}
        claim={c}
        busy={step.isPending}
        error={step.error}
        onCancel={() => setSettling(false)}
        onConfirm={(s) =>
          step.mutate(
            { action: 'settle', body: { ...s, version: c.version } },
            { onSuccess: () => setSettling(false) },
          )
        }
      />
    </>
  );
}
