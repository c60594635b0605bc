import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import type { BillingAccount, InsurancePolicy } from '@newhms/contracts';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { ConflictAlert } from '../../../ui/conflict-alert';
import { formatDateTime } from '../../../ui/format';
import { ProblemAlert } from '../../../ui/problem-alert';
import { isStale, useAttachPolicy } from '../hooks/use-insurance';

const CASH = 'cash';

/** An account in words: the admission it bills, or the kind of visit and when it opened. */
export function accountLabel(a: BillingAccount): string {
  if (a.admissionNumber) return `Admission ${a.admissionNumber}`;
  return `${a.kind === 'ipd' ? 'IPD' : 'OPD'} account opened ${formatDateTime(a.openedAt)}`;
}

/** Bills an open account to a policy (or back to cash): pick the account and the policy. */
export function AttachPolicyDialog({
  open,
  accounts,
  policies,
  start,
  onClose,
  onReload,
}: {
  open: boolean;
  accounts: BillingAccount[];
  policies: InsurancePolicy[];
  start: { accountId?: string; policyId?: string };
  onClose: () => void;
  onReload: () => void;
}) {
  const titleId = useId();
  const attach = useAttachPolicy();
  const [accountId, setAccountId] = useState('');
  const [policyId, setPolicyId] = useState('');
  const [missing, setMissing] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a new opening resets the form
  useEffect(() => {
    if (!open) return;
    const account =
      accounts.find((a) => a.id === start.accountId) ?? (accounts.length === 1 ? accounts[0] : undefined);
    setAccountId(account?.id ?? '');
    setPolicyId(start.policyId ?? account?.policyId ?? '');
    setMissing(false);
    attach.reset();
  }, [open]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const account = accounts.find((a) => a.id === accountId);
    if (!account || !policyId) return setMissing(true);
    attach.mutate(
      { accountId: account.id, policyId: policyId === CASH ? null : policyId, version: account.version },
      { onSuccess: onClose },
    );
  };
  return (
    <Dialog open={open} onClose={onClose} aria-labelledby={titleId} fullWidth maxWidth="sm">
      <form onSubmit={submit} noValidate>
        <DialogTitle id={titleId}>Bill an account to a policy</DialogTitle>
        <DialogContent>
          <DialogContentText sx={{ mb: 2 }}>
            The policy must be valid today. Bills issued from now on split the payer's share by its plan.
          </DialogContentText>
          <Stack spacing={1}>
            <TextField
              select
              label="Open account"
              value={accountId}
              onChange={(e) => setAccountId(e.target.value)}
              required
              error={missing && !accountId}
              helperText={accounts.length === 0 ? 'The patient has no open account' : ' '}
            >
              {accounts.map((a) => (
                <MenuItem key={a.id} value={a.id}>
                  {accountLabel(a)} · {a.payerCategory}
                </MenuItem>
              ))}
            </TextField>
            <TextField
              select
              label="Bill to"
              value={policyId}
              onChange={(e) => setPolicyId(e.target.value)}
              required
              error={missing && !policyId}
              helperText=" "
            >
              {policies
                .filter((p) => p.status === 'active')
                .map((p) => (
                  <MenuItem key={p.id} value={p.id}>
                    {p.payerName} · policy {p.policyNumber} · member {p.memberId}
                  </MenuItem>
                ))}
              <MenuItem value={CASH}>Cash (no policy)</MenuItem>
            </TextField>
            {isStale(attach.error) ? (
              <ConflictAlert
                onReload={() => {
                  onReload();
                  onClose();
                }}
              />
            ) : (
              <ProblemAlert error={attach.error} />
            )}
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="contained" disabled={attach.isPending || accounts.length === 0}>
            Attach
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
