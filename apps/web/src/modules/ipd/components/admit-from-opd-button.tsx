import LocalHotel from '@mui/icons-material/LocalHotel';
import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import Link from '@mui/material/Link';
import Stack from '@mui/material/Stack';
import { AdmissionRequestBody } from '@newhms/contracts';
import { type FormEvent, useId, useState } from 'react';
import { Link as RouterLink } from 'react-router';
import { useAuth } from '../../../app/auth/auth-context';
import { type FieldErrors, fieldErrorsFromProblem, validateForm } from '../../../ui/form-validation';
import { ProblemAlert } from '../../../ui/problem-alert';
import { useCreateAdmissionRequest, usePatientAdmissions, usePatientRequests } from '../hooks/use-ipd';
import { emptyRequest, RequestFields, type RequestValues } from './request-fields';

type Props = {
  patientId: string;
  patientName?: string;
  /** The OPD consultation the admission comes from. */
  encounterId: string;
  practitionerId: string | null;
  departmentId?: string | null;
};

/**
 * The consultation's "Admit" action: the doctor asks for a bed (an admission request from OPD, naming the
 * consultation); the admission desk places the patient. Shows the request or the stay once there is one.
 */
export function AdmitFromOpdButton({
  patientId,
  patientName,
  encounterId,
  practitionerId,
  departmentId,
}: Props) {
  const { can } = useAuth();
  const titleId = useId();
  const [open, setOpen] = useState(false);
  const [values, setValues] = useState<RequestValues>(emptyRequest);
  const [errors, setErrors] = useState<FieldErrors>({});
  const create = useCreateAdmissionRequest();
  const reader = can('ipd:read');
  const admissions = usePatientAdmissions(reader ? patientId : null);
  const requests = usePatientRequests(reader ? patientId : null);
  if (!can('ipd:admit')) return null;

  const stay = admissions.data?.find((a) => a.status === 'admitted' || a.status === 'discharge-initiated');
  const request = requests.data?.find(
    (r) => r.sourceEncounterId === encounterId && (r.status === 'waiting' || r.status === 'reserved'),
  );

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const checked = validateForm(AdmissionRequestBody, {
      patientId,
      source: 'opd',
      sourceEncounterId: encounterId,
      priority: values.priority,
      wardKind: values.wardKind || null,
      departmentId: departmentId ?? null,
      practitionerId,
      reason: values.reason,
    });
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    create.mutate(checked.data, {
      onSuccess: () => setOpen(false),
      onError: (err) => setErrors(fieldErrorsFromProblem(err)),
    });
  };

  if (stay) {
    return (
      <Button component={RouterLink} to={`/ipd/admissions/${stay.id}`} startIcon={<LocalHotel />}>
        In-patient {stay.admissionNumber}
      </Button>
    );
  }
  return (
    <>
      {request ? (
        <Alert severity="info" role="status" data-testid="admission-requested" sx={{ py: 0 }}>
          Admission requested ({request.status === 'reserved' ? 'bed reserved' : 'waiting for a bed'}).{' '}
          <Link component={RouterLink} to={`/ipd/admissions?request=${request.id}`}>
            Admission desk
          </Link>
        </Alert>
      ) : (
        <Button
          variant="outlined"
          startIcon={<LocalHotel />}
          onClick={() => {
            setValues(emptyRequest);
            setErrors({});
            create.reset();
            setOpen(true);
          }}
        >
          Admit
        </Button>
      )}
      <Dialog open={open} onClose={() => setOpen(false)} aria-labelledby={titleId} fullWidth maxWidth="sm">
        <form onSubmit={submit} noValidate>
          <DialogTitle id={titleId}>Admit {patientName ?? 'the patient'}</DialogTitle>
          <DialogContent>
            <DialogContentText sx={{ mb: 2 }}>
              The admission desk gets the request and places the patient in a bed.
            </DialogContentText>
            <Stack spacing={2}>
              <RequestFields values={values} onChange={setValues} errors={errors} />
              <ProblemAlert error={create.error} />
            </Stack>
          </DialogContent>
          <DialogActions>
            <Button onClick={() => setOpen(false)}>Cancel</Button>
            <Button type="submit" variant="contained" disabled={create.isPending}>
              Request admission
            </Button>
          </DialogActions>
        </form>
      </Dialog>
    </>
  );
}
