import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import { useTheme } from '@mui/material/styles';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import useMediaQuery from '@mui/material/useMediaQuery';
import {
  type Admission,
  type AdmissionSource,
  AdmitBody,
  admissionSources,
  type PayerCategory,
  payerCategories,
} from '@newhms/contracts';
import { type FormEvent, type ReactNode, useEffect, useId, useState } from 'react';
import { ApiError } from '../../../app/api-client';
import {
  blankToNull,
  type FieldErrors,
  fieldErrorsFromProblem,
  validateForm,
} from '../../../ui/form-validation';
import { ProblemAlert } from '../../../ui/problem-alert';
import { PatientPicker, PractitionerPicker, useDepartments } from '../../opd';
import { PatientBanner, usePatient } from '../../patients';
import { useAdmitPatient } from '../hooks/use-ipd';
import { admissionSourceLabels, payerCategoryLabels } from '../ipd-labels';
import { BedPicker } from './bed-picker';
import { Icd10Field, type IcdItem } from './icd10-field';

/** What the dialog starts with: a request from the queue, a bed from the board. */
export type AdmitStart = {
  patientId?: string | null;
  requestId?: string | null;
  source?: AdmissionSource;
  sourceEncounterId?: string | null;
  practitionerId?: string | null;
  departmentId?: string | null;
  reason?: string;
  bedId?: string | null;
  /** The bed reserved for this request (choosable although it is not available). */
  reservedBedId?: string | null;
};

type Props = {
  open: boolean;
  start: AdmitStart;
  onClose: () => void;
  onAdmitted: (admission: Admission) => void;
};

/** The patient of a request: shown, not changed (cancel the request to admit someone else). */
function FixedPatient({ patientId }: { patientId: string }) {
  const patient = usePatient(patientId);
  return patient.data ? (
    <PatientBanner patient={patient.data} />
  ) : (
    <Typography color="text.secondary">Loading the patient…</Typography>
  );
}

function FormGroupTitle({ children }: { children: ReactNode }) {
  return (
    <Typography component="h3" variant="subtitle1" sx={{ fontWeight: 700, mt: 1 }}>
      {children}
    </Typography>
  );
}

/** The admission form: patient, source, doctors, department, reason, diagnosis, stay, attendant, consent, payer, bed. */
export function AdmitDialog({ open, start, onClose, onAdmitted }: Props) {
  const titleId = useId();
  const theme = useTheme();
  const fullScreen = useMediaQuery(theme.breakpoints.down('sm'));
  const admit = useAdmitPatient();
  const departments = useDepartments();
  const [patientId, setPatientId] = useState<string | null>(null);
  const [source, setSource] = useState<AdmissionSource>('direct');
  const [admitting, setAdmitting] = useState<string | null>(null);
  const [attending, setAttending] = useState<string | null>(null);
  const [departmentId, setDepartmentId] = useState('');
  const [reason, setReason] = useState('');
  const [diagnosis, setDiagnosis] = useState('');
  const [icd, setIcd] = useState<IcdItem | null>(null);
  const [los, setLos] = useState('');
  const [attendant, setAttendant] = useState({ name: '', relationship: '', phone: '' });
  const [consent, setConsent] = useState({ signedBy: '', relationship: '' });
  const [payer, setPayer] = useState<PayerCategory>('cash');
  const [payerDetails, setPayerDetails] = useState({
    payerName: '',
    policyNumber: '',
    memberId: '',
    authorizationNumber: '',
  });
  const [bedId, setBedId] = useState('');
  const [override, setOverride] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});

  // biome-ignore lint/correctness/useExhaustiveDependencies: only a new opening resets the form
  useEffect(() => {
    if (!open) return;
    setPatientId(start.patientId ?? null);
    setSource(start.source ?? 'direct');
    setAdmitting(start.practitionerId ?? null);
    setAttending(start.practitionerId ?? null);
    setDepartmentId(start.departmentId ?? '');
    setReason(start.reason ?? '');
    setDiagnosis('');
    setIcd(null);
    setLos('');
    setAttendant({ name: '', relationship: '', phone: '' });
    setConsent({ signedBy: '', relationship: '' });
    setPayer('cash');
    setPayerDetails({ payerName: '', policyNumber: '', memberId: '', authorizationNumber: '' });
    setBedId(start.bedId ?? start.reservedBedId ?? '');
    setOverride('');
    setErrors({});
    admit.reset();
  }, [open]);

  const restricted = admit.error instanceof ApiError && admit.error.code === 'IPD_WARD_RESTRICTION';
  const fromRequest = !!start.requestId;
  const anyAttendant = attendant.name.trim() || attendant.phone.trim() || attendant.relationship.trim();
  const diagnosisText = diagnosis.trim() || (icd ? icd.title : '');

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body = {
      patientId: patientId ?? '',
      source,
      sourceEncounterId: start.sourceEncounterId ?? null,
      requestId: start.requestId ?? null,
      bedId,
      admittingPractitionerId: admitting ?? '',
      attendingPractitionerId: attending ?? '',
      departmentId: departmentId || null,
      reason,
      provisionalDiagnosis: diagnosisText ? { text: diagnosisText, code: icd?.code ?? null } : null,
      expectedLengthOfStayDays: los.trim() ? Number(los) : null,
      attendant: anyAttendant ? attendant : null,
      consent: consent.signedBy.trim()
        ? { signedBy: consent.signedBy, relationship: blankToNull(consent.relationship) }
        : null,
      payerCategory: payer,
      payerDetails:
        payer === 'cash'
          ? null
          : {
              payerName: blankToNull(payerDetails.payerName),
              policyNumber: blankToNull(payerDetails.policyNumber),
              memberId: blankToNull(payerDetails.memberId),
              authorizationNumber: blankToNull(payerDetails.authorizationNumber),
            },
      restrictionOverride: restricted && override.trim() ? { reason: override } : null,
    };
    const checked = validateForm(AdmitBody, body);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    admit.mutate(checked.data, {
      onSuccess: onAdmitted,
      onError: (err) => setErrors(fieldErrorsFromProblem(err)),
    });
  };

  const err = (key: string) => errors[key];
  return (
    <Dialog
      open={open}
      onClose={onClose}
      aria-labelledby={titleId}
      fullWidth
      maxWidth="md"
      fullScreen={fullScreen}
    >
      <form onSubmit={submit} noValidate>
        <DialogTitle id={titleId}>Admit patient</DialogTitle>
        <DialogContent>
          <Stack spacing={2} sx={{ pt: 1 }}>
            {fromRequest && patientId ? (
              <FixedPatient patientId={patientId} />
            ) : (
              <PatientPicker value={patientId} onChange={setPatientId} />
            )}
            {err('patientId') && (
              <Typography color="error" variant="body2">
                Choose the patient
              </Typography>
            )}
            <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap' }}>
              <TextField
                select
                label="Source"
                value={source}
                onChange={(e) => setSource(e.target.value as AdmissionSource)}
                disabled={fromRequest}
                error={!!err('sourceEncounterId')}
                helperText={err('sourceEncounterId') ?? ' '}
                sx={{ minWidth: 180 }}
              >
                {admissionSources.map((s) => (
                  <MenuItem key={s} value={s} disabled={s === 'opd' && !start.sourceEncounterId}>
                    {admissionSourceLabels[s]}
                  </MenuItem>
                ))}
              </TextField>
              <TextField
                select
                label="Department"
                value={departmentId}
                onChange={(e) => setDepartmentId(e.target.value)}
                sx={{ minWidth: 240, flex: 1 }}
                helperText=" "
              >
                <MenuItem value="">Not set</MenuItem>
                {(departments.data ?? []).map((d) => (
                  <MenuItem key={d.id} value={d.id}>
                    {d.name}
                  </MenuItem>
                ))}
              </TextField>
            </Box>
            <PractitionerPicker
              label="Admitting doctor"
              value={admitting}
              onChange={(id) => {
                setAdmitting(id);
                if (!attending) setAttending(id);
              }}
            />
            {err('admittingPractitionerId') && (
              <Typography color="error" variant="body2">
                Choose the admitting doctor
              </Typography>
            )}
            <PractitionerPicker
              label="Attending doctor"
              value={attending}
              onChange={(id) => setAttending(id)}
            />
            {err('attendingPractitionerId') && (
              <Typography color="error" variant="body2">
                Choose the attending doctor
              </Typography>
            )}
            <TextField
              label="Reason for admission"
              required
              multiline
              minRows={2}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              error={!!err('reason')}
              helperText={err('reason') ?? ' '}
              slotProps={{ htmlInput: { maxLength: 500 } }}
            />
            <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', md: '1fr 1fr' } }}>
              <Icd10Field value={icd} onChange={setIcd} />
              <TextField
                label="Provisional diagnosis"
                value={diagnosis}
                onChange={(e) => setDiagnosis(e.target.value)}
                placeholder={icd ? icd.title : 'In words'}
                error={!!err('provisionalDiagnosis.text')}
                helperText={
                  err('provisionalDiagnosis.text') ??
                  err('provisionalDiagnosis.code') ??
                  'Defaults to the code’s title'
                }
                slotProps={{ htmlInput: { maxLength: 300 } }}
              />
            </Box>
            <TextField
              label="Expected length of stay (days)"
              type="number"
              value={los}
              onChange={(e) => setLos(e.target.value)}
              error={!!err('expectedLengthOfStayDays')}
              helperText={err('expectedLengthOfStayDays') ?? 'Sets the expected discharge date'}
              slotProps={{ htmlInput: { min: 1, max: 365 } }}
              sx={{ maxWidth: 280 }}
            />

            <FormGroupTitle>Bed</FormGroupTitle>
            <BedPicker
              value={bedId}
              onChange={(id) => setBedId(id)}
              alsoAllow={start.reservedBedId ?? start.bedId ?? null}
              error={err('bedId') ? 'Choose a bed' : undefined}
            />
            {restricted && (
              <TextField
                label="Reason to override the ward's limits"
                required
                value={override}
                onChange={(e) => setOverride(e.target.value)}
                helperText="The patient does not meet the ward's gender or age limits; say why they go there anyway"
                slotProps={{ htmlInput: { maxLength: 300 } }}
              />
            )}

            <FormGroupTitle>Payer</FormGroupTitle>
            <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap' }}>
              <TextField
                select
                label="Payer category"
                value={payer}
                onChange={(e) => setPayer(e.target.value as PayerCategory)}
                sx={{ minWidth: 220 }}
              >
                {payerCategories.map((p) => (
                  <MenuItem key={p} value={p}>
                    {payerCategoryLabels[p]}
                  </MenuItem>
                ))}
              </TextField>
              {payer !== 'cash' && (
                <>
                  <TextField
                    label={
                      payer === 'corporate' ? 'Employer' : payer === 'insurance' ? 'Insurer or TPA' : 'Scheme'
                    }
                    required
                    value={payerDetails.payerName}
                    onChange={(e) => setPayerDetails({ ...payerDetails, payerName: e.target.value })}
                    error={!!err('payerDetails.payerName')}
                    helperText={err('payerDetails.payerName') ?? ' '}
                    sx={{ flex: '1 1 220px' }}
                  />
                  <TextField
                    label="Policy number"
                    value={payerDetails.policyNumber}
                    onChange={(e) => setPayerDetails({ ...payerDetails, policyNumber: e.target.value })}
                    sx={{ flex: '1 1 180px' }}
                  />
                  <TextField
                    label="Member ID"
                    value={payerDetails.memberId}
                    onChange={(e) => setPayerDetails({ ...payerDetails, memberId: e.target.value })}
                    sx={{ flex: '1 1 160px' }}
                  />
                  <TextField
                    label="Authorization number"
                    value={payerDetails.authorizationNumber}
                    onChange={(e) =>
                      setPayerDetails({ ...payerDetails, authorizationNumber: e.target.value })
                    }
                    sx={{ flex: '1 1 180px' }}
                  />
                </>
              )}
            </Box>

            <FormGroupTitle>Attendant</FormGroupTitle>
            <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap' }}>
              <TextField
                label="Attendant name"
                value={attendant.name}
                onChange={(e) => setAttendant({ ...attendant, name: e.target.value })}
                error={!!err('attendant.name')}
                helperText={err('attendant.name') ?? ' '}
                sx={{ flex: '2 1 200px' }}
              />
              <TextField
                label="Relationship"
                value={attendant.relationship}
                onChange={(e) => setAttendant({ ...attendant, relationship: e.target.value })}
                error={!!err('attendant.relationship')}
                helperText={err('attendant.relationship') ?? ' '}
                sx={{ flex: '1 1 140px' }}
              />
              <TextField
                label="Attendant phone"
                type="tel"
                value={attendant.phone}
                onChange={(e) => setAttendant({ ...attendant, phone: e.target.value })}
                error={!!err('attendant.phone')}
                helperText={err('attendant.phone') ?? ' '}
                sx={{ flex: '1 1 160px' }}
              />
            </Box>

            <FormGroupTitle>Admission consent</FormGroupTitle>
            <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap' }}>
              <TextField
                label="Consent signed by"
                value={consent.signedBy}
                onChange={(e) => setConsent({ ...consent, signedBy: e.target.value })}
                helperText="The patient, or a relative for a minor or an unconscious patient"
                sx={{ flex: '2 1 240px' }}
              />
              <TextField
                label="Signer's relationship"
                value={consent.relationship}
                onChange={(e) => setConsent({ ...consent, relationship: e.target.value })}
                helperText="Blank when the patient signed"
                sx={{ flex: '1 1 160px' }}
              />
            </Box>
            <ProblemAlert error={admit.error} />
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="contained" disabled={admit.isPending}>
            {admit.isPending ? 'Admitting…' : 'Admit'}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
