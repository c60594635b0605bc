import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { PreauthBody, type PreauthDetail } from '@newhms/contracts';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { type FieldErrors, fieldErrorsFromProblem, validateForm } from '../../../ui/form-validation';
import { formatRupees, parseRupees } from '../../../ui/money';
import { ProblemAlert } from '../../../ui/problem-alert';
import { PatientPicker } from '../../opd';
import { usePatientAccounts, usePatientPolicies, useRequestPreauth } from '../hooks/use-insurance';
import { accountLabel } from './attach-policy-dialog';
import { MoneyField } from './money-field';

type Values = {
  accountId: string;
  diagnosis: string;
  plannedTreatment: string;
  estimate: string;
  requested: string;
  payerReference: string;
  documents: string;
};

const empty: Values = {
  accountId: '',
  diagnosis: '',
  plannedTreatment: '',
  estimate: '',
  requested: '',
  payerReference: '',
  documents: '',
};

/** A new pre-authorization request for an open account billed to a policy. */
export function PreauthRequestDialog({
  open,
  start,
  onClose,
  onCreated,
}: {
  open: boolean;
  start: { patientId?: string | null; accountId?: string | null };
  onClose: () => void;
  onCreated: (preauth: PreauthDetail) => void;
}) {
  const titleId = useId();
  const request = useRequestPreauth();
  const [patientId, setPatientId] = useState<string | null>(null);
  const [values, setValues] = useState<Values>(empty);
  const [errors, setErrors] = useState<FieldErrors>({});
  const accounts = usePatientAccounts(patientId);
  const policies = usePatientPolicies(patientId);
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a new opening resets the form
  useEffect(() => {
    if (!open) return;
    setPatientId(start.patientId ?? null);
    setValues({ ...empty, accountId: start.accountId ?? '' });
    setErrors({});
    request.reset();
  }, [open]);
  const set = <K extends keyof Values>(key: K, value: Values[K]) =>
    setValues((v) => ({ ...v, [key]: value }));

  const insuredAccounts = (accounts.data ?? []).filter((a) => a.status === 'open' && a.policyId);
  const uninsured = (accounts.data ?? []).filter((a) => a.status === 'open' && !a.policyId).length;
  // One insured open account (an admission): take it.
  useEffect(() => {
    if (open && !values.accountId && insuredAccounts.length === 1 && insuredAccounts[0]) {
      setValues((v) => ({ ...v, accountId: insuredAccounts[0]?.id ?? '' }));
    }
  }, [open, values.accountId, insuredAccounts]);
  const account = insuredAccounts.find((a) => a.id === values.accountId);
  const policy = (policies.data ?? []).find((p) => p.id === account?.policyId);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const local: FieldErrors = {};
    const estimate = parseRupees(values.estimate);
    const requested = parseRupees(values.requested);
    if (estimate === null) local.estimate = 'The estimate in rupees';
    if (requested === null || requested <= 0)
      local.requestedAmount = 'The amount asked of the payer, in rupees';
    if (!patientId) local.patientId = 'Choose the patient';
    if (!values.accountId) local.accountId = 'Choose the account (the admission)';
    if (Object.keys(local).length > 0) return setErrors(local);
    const checked = validateForm(PreauthBody, {
      accountId: values.accountId,
      diagnosis: values.diagnosis,
      plannedTreatment: values.plannedTreatment,
      estimate,
      requestedAmount: requested,
      payerReference: values.payerReference,
      documents: values.documents
        .split('\n')
        .map((d) => d.trim())
        .filter(Boolean)
        .map((name) => ({ name })),
    });
    if (!checked.ok) return setErrors(checked.errors);
    request.mutate(checked.data, {
      onSuccess: onCreated,
      onError: (err) => setErrors(fieldErrorsFromProblem(err)),
    });
  };
  const helper = (key: string, text = ' ') => errors[key] ?? text;
  return (
    <Dialog open={open} onClose={onClose} aria-labelledby={titleId} fullWidth maxWidth="sm">
      <form onSubmit={submit} noValidate>
        <DialogTitle id={titleId}>New pre-authorization request</DialogTitle>
        <DialogContent>
          <Stack spacing={1} sx={{ pt: 1 }}>
            <PatientPicker
              value={patientId}
              onChange={(id) => {
                setPatientId(id);
                set('accountId', '');
              }}
            />
            {errors.patientId && (
              <Typography color="error" variant="body2">
                {errors.patientId}
              </Typography>
            )}
            {patientId && (
              <TextField
                select
                label="Account"
                value={values.accountId}
                onChange={(e) => set('accountId', e.target.value)}
                required
                error={!!errors.accountId}
                helperText={helper(
                  'accountId',
                  insuredAccounts.length === 0
                    ? uninsured > 0
                      ? 'No open account is billed to a policy: attach one on the patient policies page first'
                      : 'The patient has no open account'
                    : policy
                      ? `${policy.payerName} · policy ${policy.policyNumber} · balance ${formatRupees(policy.balance)}`
                      : ' ',
                )}
              >
                {insuredAccounts.map((a) => (
                  <MenuItem key={a.id} value={a.id}>
                    {accountLabel(a)}
                  </MenuItem>
                ))}
              </TextField>
            )}
            <TextField
              label="Diagnosis"
              value={values.diagnosis}
              onChange={(e) => set('diagnosis', e.target.value)}
              required
              error={!!errors.diagnosis}
              helperText={helper(
                'diagnosis',
                'With the ICD-10 code, e.g. Dengue fever with warning signs (A97.1)',
              )}
              slotProps={{ htmlInput: { maxLength: 500 } }}
            />
            <TextField
              label="Planned treatment"
              value={values.plannedTreatment}
              onChange={(e) => set('plannedTreatment', e.target.value)}
              required
              multiline
              minRows={2}
              error={!!errors.plannedTreatment}
              helperText={helper('plannedTreatment', 'Procedure or medical management, expected stay')}
              slotProps={{ htmlInput: { maxLength: 1000 } }}
            />
            <MoneyField
              label="Estimate"
              value={values.estimate}
              onChange={(v) => set('estimate', v)}
              error={errors.estimate}
              helperText="The hospital's estimate of the whole stay"
              required
            />
            <MoneyField
              label="Requested amount"
              value={values.requested}
              onChange={(v) => set('requested', v)}
              error={errors.requestedAmount}
              helperText="What the payer is asked to approve"
              required
            />
            <TextField
              label="Payer reference"
              value={values.payerReference}
              onChange={(e) => set('payerReference', e.target.value)}
              helperText="The payer's or the portal's reference, when already known"
              slotProps={{ htmlInput: { maxLength: 60 } }}
            />
            <TextField
              label="Documents sent"
              value={values.documents}
              onChange={(e) => set('documents', e.target.value)}
              multiline
              minRows={2}
              error={!!errors.documents}
              helperText={helper('documents', 'One per line, e.g. Pre-auth form, Doctor’s notes, ID proof')}
            />
            <ProblemAlert error={request.error} />
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="contained" disabled={request.isPending}>
            Submit request
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
