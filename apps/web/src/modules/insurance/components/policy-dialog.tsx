import AddIcon from '@mui/icons-material/Add';
import DeleteOutlined from '@mui/icons-material/DeleteOutlined';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import IconButton from '@mui/material/IconButton';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import {
  type InsurancePolicy,
  PolicyBody,
  policyStatuses,
  relationsToHolder,
  UpdatePolicyBody,
} from '@newhms/contracts';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { ConflictAlert } from '../../../ui/conflict-alert';
import { type FieldErrors, fieldErrorsFromProblem, validateForm } from '../../../ui/form-validation';
import { parsePercent, parseRupees, percentInput, rupeesInput } from '../../../ui/money';
import { ProblemAlert } from '../../../ui/problem-alert';
import { isStale, useCreatePolicy, usePayers, usePlans, useUpdatePolicy } from '../hooks/use-insurance';
import { payerKindLabels, relationLabels } from '../insurance-labels';
import { MoneyField } from './money-field';

type Values = {
  payerId: string;
  tpaId: string;
  planId: string;
  policyNumber: string;
  memberId: string;
  holderName: string;
  relationToHolder: string;
  validFrom: string;
  validTo: string;
  sumInsured: string;
  copay: string;
  roomRentLimit: string;
  status: 'active' | 'inactive';
  documents: { key: number; name: string }[];
};

function valuesOf(policy: InsurancePolicy | null): Values {
  return {
    payerId: policy?.payerId ?? '',
    tpaId: policy?.tpaId ?? '',
    planId: policy?.planId ?? '',
    policyNumber: policy?.policyNumber ?? '',
    memberId: policy?.memberId ?? '',
    holderName: policy?.holderName ?? '',
    relationToHolder: policy?.relationToHolder ?? 'self',
    validFrom: policy?.validFrom ?? '',
    validTo: policy?.validTo ?? '',
    sumInsured: rupeesInput(policy?.sumInsured ?? null),
    copay: percentInput(policy?.copayBp ?? null),
    roomRentLimit: rupeesInput(policy?.roomRentLimit ?? null),
    status: policy?.status ?? 'active',
    documents: [],
  };
}

/** Records a patient's policy (or a corporate's or a scheme's eligibility), or edits one. */
export function PolicyDialog({
  open,
  patientId,
  policy,
  onClose,
  onReload,
}: {
  open: boolean;
  patientId: string;
  policy: InsurancePolicy | null;
  onClose: () => void;
  onReload: () => void;
}) {
  const titleId = useId();
  const payers = usePayers({ active: true });
  const create = useCreatePolicy();
  const update = useUpdatePolicy();
  const mutation = policy ? update : create;
  const [values, setValues] = useState<Values>(valuesOf(policy));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [nextKey, setNextKey] = useState(1);
  const plans = usePlans(values.payerId || null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a new opening resets the form
  useEffect(() => {
    if (!open) return;
    setValues(valuesOf(policy));
    setErrors({});
    create.reset();
    update.reset();
  }, [open, policy]);
  const set = <K extends keyof Values>(key: K, value: Values[K]) =>
    setValues((v) => ({ ...v, [key]: value }));

  const payerOptions = (payers.data ?? []).filter((p) => p.kind !== 'tpa');
  const tpaOptions = (payers.data ?? []).filter((p) => p.kind === 'tpa');

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const local: FieldErrors = {};
    const sumInsured = parseRupees(values.sumInsured);
    if (sumInsured === null || sumInsured <= 0) local.sumInsured = 'The sum insured in rupees';
    const copayBp = values.copay.trim() === '' ? null : parsePercent(values.copay);
    if (values.copay.trim() !== '' && copayBp === null) local.copayBp = 'A percentage from 0 to 100';
    const roomRentLimit = values.roomRentLimit.trim() === '' ? null : parseRupees(values.roomRentLimit);
    if (values.roomRentLimit.trim() !== '' && roomRentLimit === null) local.roomRentLimit = 'Rupees per day';
    if (!values.payerId) local.payerId = 'Choose the insurer, corporate or scheme';
    if (Object.keys(local).length > 0) return setErrors(local);
    const body = {
      payerId: values.payerId,
      tpaId: values.tpaId || null,
      planId: values.planId || null,
      policyNumber: values.policyNumber,
      memberId: values.memberId,
      holderName: values.holderName,
      relationToHolder: (values.relationToHolder || null) as (typeof relationsToHolder)[number] | null,
      validFrom: values.validFrom,
      validTo: values.validTo,
      sumInsured: sumInsured ?? 0,
      copayBp,
      roomRentLimit,
    };
    const onError = (err: unknown) => setErrors(fieldErrorsFromProblem(err));
    if (policy) {
      const checked = validateForm(UpdatePolicyBody, {
        ...body,
        status: values.status,
        version: policy.version,
      });
      if (!checked.ok) return setErrors(checked.errors);
      update.mutate({ id: policy.id, body: checked.data }, { onSuccess: onClose, onError });
    } else {
      const documents = values.documents.map((d) => d.name.trim()).filter(Boolean);
      const checked = validateForm(PolicyBody, {
        patientId,
        ...body,
        documents: documents.map((name) => ({ name })),
      });
      if (!checked.ok) return setErrors(checked.errors);
      create.mutate(checked.data, { onSuccess: onClose, onError });
    }
  };
  const helper = (key: string, text = ' ') => errors[key] ?? text;
  const grid = { display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr' } };
  return (
    <Dialog open={open} onClose={onClose} aria-labelledby={titleId} fullWidth maxWidth="md">
      <form onSubmit={submit} noValidate>
        <DialogTitle id={titleId}>
          {policy ? `Edit policy ${policy.policyNumber}` : 'Add a policy'}
        </DialogTitle>
        <DialogContent>
          <Stack spacing={1} sx={{ pt: 1 }}>
            <Box sx={grid}>
              <TextField
                select
                label="Payer"
                value={values.payerId}
                onChange={(e) => setValues((v) => ({ ...v, payerId: e.target.value, planId: '' }))}
                required
                autoFocus
                error={!!errors.payerId}
                helperText={helper('payerId', 'The insurer, corporate or government scheme')}
              >
                {payerOptions.map((p) => (
                  <MenuItem key={p.id} value={p.id}>
                    {p.name} ({payerKindLabels[p.kind]})
                  </MenuItem>
                ))}
              </TextField>
              <TextField
                select
                label="TPA"
                value={values.tpaId}
                onChange={(e) => set('tpaId', e.target.value)}
                error={!!errors.tpaId}
                helperText={helper('tpaId', 'When a TPA administers the policy')}
              >
                <MenuItem value="">None</MenuItem>
                {tpaOptions.map((p) => (
                  <MenuItem key={p.id} value={p.id}>
                    {p.name}
                  </MenuItem>
                ))}
              </TextField>
              <TextField
                select
                label="Plan"
                value={values.planId}
                onChange={(e) => set('planId', e.target.value)}
                disabled={!values.payerId}
                error={!!errors.planId}
                helperText={helper('planId', 'Co-pay, room-rent limit and non-payables come from the plan')}
              >
                <MenuItem value="">No plan</MenuItem>
                {(plans.data ?? [])
                  .filter((p) => p.active || p.id === values.planId)
                  .map((p) => (
                    <MenuItem key={p.id} value={p.id}>
                      {p.name} ({p.code})
                    </MenuItem>
                  ))}
              </TextField>
              <MoneyField
                label="Sum insured"
                value={values.sumInsured}
                onChange={(v) => set('sumInsured', v)}
                error={errors.sumInsured}
                required
              />
              <TextField
                label="Policy number"
                value={values.policyNumber}
                onChange={(e) => set('policyNumber', e.target.value)}
                required
                error={!!errors.policyNumber}
                helperText={helper('policyNumber')}
                slotProps={{ htmlInput: { maxLength: 60 } }}
              />
              <TextField
                label="Member id"
                value={values.memberId}
                onChange={(e) => set('memberId', e.target.value)}
                required
                error={!!errors.memberId}
                helperText={helper('memberId', 'As on the card (employee id for a corporate)')}
                slotProps={{ htmlInput: { maxLength: 60 } }}
              />
              <TextField
                label="Policy holder"
                value={values.holderName}
                onChange={(e) => set('holderName', e.target.value)}
                error={!!errors.holderName}
                helperText={helper('holderName', 'Blank when the patient holds it')}
                slotProps={{ htmlInput: { maxLength: 120 } }}
              />
              <TextField
                select
                label="Relation to holder"
                value={values.relationToHolder}
                onChange={(e) => set('relationToHolder', e.target.value)}
                helperText=" "
              >
                {relationsToHolder.map((r) => (
                  <MenuItem key={r} value={r}>
                    {relationLabels[r]}
                  </MenuItem>
                ))}
              </TextField>
              <TextField
                label="Valid from"
                type="date"
                value={values.validFrom}
                onChange={(e) => set('validFrom', e.target.value)}
                required
                error={!!errors.validFrom}
                helperText={helper('validFrom')}
                slotProps={{ inputLabel: { shrink: true } }}
              />
              <TextField
                label="Valid to"
                type="date"
                value={values.validTo}
                onChange={(e) => set('validTo', e.target.value)}
                required
                error={!!errors.validTo}
                helperText={helper('validTo')}
                slotProps={{ inputLabel: { shrink: true } }}
              />
              <TextField
                label="Co-pay override (%)"
                value={values.copay}
                onChange={(e) => set('copay', e.target.value)}
                error={!!errors.copayBp}
                helperText={helper('copayBp', "Blank: the plan's co-pay")}
                slotProps={{ htmlInput: { inputMode: 'decimal' } }}
              />
              <MoneyField
                label="Room-rent limit override (per day)"
                value={values.roomRentLimit}
                onChange={(v) => set('roomRentLimit', v)}
                error={errors.roomRentLimit}
                helperText="Blank: the plan's limit"
              />
              {policy && (
                <TextField
                  select
                  label="Status"
                  value={values.status}
                  onChange={(e) => set('status', e.target.value as Values['status'])}
                  helperText=" "
                >
                  {policyStatuses.map((s) => (
                    <MenuItem key={s} value={s}>
                      {s === 'active' ? 'Active' : 'Inactive'}
                    </MenuItem>
                  ))}
                </TextField>
              )}
            </Box>
            {!policy && (
              <>
                <Typography component="h3" variant="subtitle1" sx={{ fontWeight: 600 }}>
                  Documents received
                </Typography>
                <Stack
                  component="ul"
                  aria-label="Documents received"
                  spacing={1}
                  sx={{ p: 0, m: 0, listStyle: 'none' }}
                >
                  {values.documents.map((d, i) => (
                    <Box component="li" key={d.key} sx={{ display: 'flex', gap: 1 }}>
                      <TextField
                        label={`Document ${i + 1}`}
                        value={d.name}
                        onChange={(e) =>
                          set(
                            'documents',
                            values.documents.map((x) =>
                              x.key === d.key ? { ...x, name: e.target.value } : x,
                            ),
                          )
                        }
                        sx={{ flexGrow: 1 }}
                        helperText="e.g. Policy card copy, Aadhaar, Employer letter"
                        slotProps={{ htmlInput: { maxLength: 120 } }}
                      />
                      <IconButton
                        aria-label={`Remove document ${i + 1}`}
                        onClick={() =>
                          set(
                            'documents',
                            values.documents.filter((x) => x.key !== d.key),
                          )
                        }
                      >
                        <DeleteOutlined />
                      </IconButton>
                    </Box>
                  ))}
                </Stack>
                <Box>
                  <Button
                    startIcon={<AddIcon />}
                    onClick={() => {
                      set('documents', [...values.documents, { key: nextKey, name: '' }]);
                      setNextKey((k) => k + 1);
                    }}
                  >
                    Add document
                  </Button>
                </Box>
              </>
            )}
            {isStale(mutation.error) ? (
              <ConflictAlert
                onReload={() => {
                  onReload();
                  onClose();
                }}
              />
            ) : (
              <ProblemAlert error={mutation.error} />
            )}
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="contained" disabled={mutation.isPending}>
            {policy ? 'Save policy' : 'Add policy'}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
