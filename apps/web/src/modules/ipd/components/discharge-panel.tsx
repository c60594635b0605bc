import CheckCircle from '@mui/icons-material/CheckCircle';
import DoNotDisturbAlt from '@mui/icons-material/DoNotDisturbAlt';
import HourglassTop from '@mui/icons-material/HourglassTop';
import Print from '@mui/icons-material/Print';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import {
  type AdmissionDetail,
  type DischargeClearanceItem,
  type DischargeType,
  dischargeTypes,
  InitiateDischargeBody,
} from '@newhms/contracts';
import { type FormEvent, useState } from 'react';
import { Link as RouterLink } from 'react-router';
import { useAuth } from '../../../app/auth/auth-context';
import { ConfirmDialog } from '../../../ui/confirm-dialog';
import { ConflictAlert } from '../../../ui/conflict-alert';
import { type Column, DataTable } from '../../../ui/data-table';
import { calendarDateIn, formatCalendarDate, useFacilityTimeZone } from '../../../ui/facility-time';
import { type FieldErrors, validateForm } from '../../../ui/form-validation';
import { formatDateTime, localInputToIso } from '../../../ui/format';
import { useOpenPdf } from '../../../ui/open-pdf';
import { ProblemAlert } from '../../../ui/problem-alert';
import { ReasonDialog } from '../../../ui/reason-dialog';
import {
  isStale,
  useClearItem,
  useCompleteDischarge,
  useDischargeSummary,
  useInitiateDischarge,
  useSetExpectedDischarge,
} from '../hooks/use-ipd';
import { dischargeTypeLabels } from '../ipd-labels';

type Props = { admission: AdmissionDetail; onReload: () => void };

const clearanceStatus = {
  pending: { label: 'Pending', color: 'warning', Icon: HourglassTop },
  cleared: { label: 'Cleared', color: 'success', Icon: CheckCircle },
  waived: { label: 'Waived', color: 'default', Icon: DoNotDisturbAlt },
} as const;

/** Planning (expected date), initiating, the clearance checklist, the summary, and completing the discharge. */
export function DischargePanel({ admission, onReload }: Props) {
  const { can } = useAuth();
  const canDischarge = can('ipd:discharge');
  return (
    <Paper component="section" aria-labelledby="discharge-title" variant="outlined" sx={{ p: 2 }}>
      <Typography id="discharge-title" component="h2" variant="h6" sx={{ mb: 2 }}>
        Discharge
      </Typography>
      {admission.status === 'discharged' && <Discharged admission={admission} />}
      {admission.status === 'cancelled' && (
        <Alert severity="info">Cancelled (entered in error): {admission.cancelledReason}</Alert>
      )}
      {admission.status === 'admitted' && (
        <Stack spacing={3}>
          <ExpectedDischarge admission={admission} canEdit={canDischarge} onReload={onReload} />
          {canDischarge && <InitiateDischarge admission={admission} onReload={onReload} />}
        </Stack>
      )}
      {admission.status === 'discharge-initiated' && (
        <Stack spacing={3}>
          <Alert severity="info" role="status" data-testid="discharge-initiated">
            Discharge initiated {formatDateTime(admission.dischargeInitiatedAt)}:{' '}
            {admission.dischargeType ? dischargeTypeLabels[admission.dischargeType] : ''}
            {admission.transferredTo ? ` to ${admission.transferredTo}` : ''}
            {admission.deathAt ? ` at ${formatDateTime(admission.deathAt)} (${admission.deathCause})` : ''}
          </Alert>
          <SummaryStatus admission={admission} />
          <Checklist admission={admission} canClear={canDischarge} onReload={onReload} />
          {canDischarge && <CompleteDischarge admission={admission} onReload={onReload} />}
        </Stack>
      )}
    </Paper>
  );
}

function Discharged({ admission }: { admission: AdmissionDetail }) {
  return (
    <Stack spacing={2}>
      <Alert severity="success" role="status" data-testid="discharged">
        Discharged {formatDateTime(admission.dischargedAt)}
        {admission.dischargedBy ? ` by ${admission.dischargedBy}` : ''}
        {admission.dischargeType ? ` · ${dischargeTypeLabels[admission.dischargeType]}` : ''}
        {admission.transferredTo ? ` to ${admission.transferredTo}` : ''}
        {admission.deathAt ? ` · died ${formatDateTime(admission.deathAt)} (${admission.deathCause})` : ''}
      </Alert>
      <SummaryStatus admission={admission} />
    </Stack>
  );
}

function ExpectedDischarge({
  admission,
  canEdit,
  onReload,
}: {
  admission: AdmissionDetail;
  canEdit: boolean;
  onReload: () => void;
}) {
  const save = useSetExpectedDischarge();
  const timeZone = useFacilityTimeZone();
  const [date, setDate] = useState(admission.expectedDischargeDate ?? '');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!date) return;
    save.mutate({ id: admission.id, expectedDischargeDate: date, version: admission.version });
  };
  return (
    <Box component="form" onSubmit={submit} noValidate aria-label="Expected discharge">
      <Typography sx={{ mb: 1 }}>
        Expected discharge:{' '}
        <strong data-testid="expected-discharge">
          {admission.expectedDischargeDate
            ? formatCalendarDate(admission.expectedDischargeDate)
            : 'not planned yet'}
        </strong>
      </Typography>
      {canEdit && (
        <Box sx={{ display: 'flex', gap: 2, alignItems: 'flex-start', flexWrap: 'wrap' }}>
          <TextField
            size="small"
            type="date"
            label="Expected discharge date"
            value={date}
            onChange={(e) => setDate(e.target.value)}
            slotProps={{ inputLabel: { shrink: true }, htmlInput: { min: calendarDateIn(timeZone) } }}
          />
          <Button type="submit" variant="outlined" disabled={!date || save.isPending}>
            Save date
          </Button>
        </Box>
      )}
      <Box sx={{ mt: 1 }}>
        {isStale(save.error) ? (
          <ConflictAlert
            onReload={() => {
              save.reset();
              onReload();
            }}
          />
        ) : (
          <ProblemAlert error={save.error} />
        )}
      </Box>
    </Box>
  );
}

function InitiateDischarge({ admission, onReload }: { admission: AdmissionDetail; onReload: () => void }) {
  const initiate = useInitiateDischarge();
  const [type, setType] = useState<DischargeType>('normal');
  const [transferredTo, setTransferredTo] = useState('');
  const [deathAt, setDeathAt] = useState('');
  const [deathCause, setDeathCause] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body =
      type === 'transferred'
        ? { type, transferredTo, version: admission.version }
        : type === 'death'
          ? { type, deathAt: localInputToIso(deathAt) ?? '', deathCause, version: admission.version }
          : { type, version: admission.version };
    const checked = validateForm(InitiateDischargeBody, body);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    initiate.mutate({ id: admission.id, body: checked.data });
  };
  return (
    <Box component="form" onSubmit={submit} noValidate aria-label="Initiate discharge">
      <Typography component="h3" variant="subtitle1" sx={{ fontWeight: 700, mb: 1 }}>
        Initiate the discharge
      </Typography>
      <Stack spacing={2} sx={{ maxWidth: 560 }}>
        <TextField
          select
          label="Discharge type"
          value={type}
          onChange={(e) => setType(e.target.value as DischargeType)}
        >
          {dischargeTypes.map((t) => (
            <MenuItem key={t} value={t}>
              {dischargeTypeLabels[t]}
            </MenuItem>
          ))}
        </TextField>
        {type === 'transferred' && (
          <TextField
            label="Transferred to"
            required
            value={transferredTo}
            onChange={(e) => setTransferredTo(e.target.value)}
            error={!!errors.transferredTo}
            helperText={errors.transferredTo ?? 'The receiving hospital'}
            slotProps={{ htmlInput: { maxLength: 200 } }}
          />
        )}
        {type === 'death' && (
          <>
            <TextField
              label="Time of death"
              type="datetime-local"
              required
              value={deathAt}
              onChange={(e) => setDeathAt(e.target.value)}
              error={!!errors.deathAt}
              helperText={errors.deathAt ? 'Give the time of death' : ' '}
              slotProps={{ inputLabel: { shrink: true } }}
            />
            <TextField
              label="Cause of death"
              required
              multiline
              minRows={2}
              value={deathCause}
              onChange={(e) => setDeathCause(e.target.value)}
              error={!!errors.deathCause}
              helperText={errors.deathCause ?? ' '}
              slotProps={{ htmlInput: { maxLength: 500 } }}
            />
          </>
        )}
        <Box>
          <Button type="submit" variant="contained" disabled={initiate.isPending}>
            Initiate discharge
          </Button>
        </Box>
        {isStale(initiate.error) ? (
          <ConflictAlert
            onReload={() => {
              initiate.reset();
              onReload();
            }}
          />
        ) : (
          <ProblemAlert error={initiate.error} />
        )}
      </Stack>
    </Box>
  );
}

/** Where the discharge summary stands; the nursing chart's tab writes and signs it. */
function SummaryStatus({ admission }: { admission: AdmissionDetail }) {
  const { can } = useAuth();
  const summary = useDischargeSummary(admission.id, can('ipd:read') || can('ipd:discharge'));
  const pdf = useOpenPdf();
  const note = summary.data?.note ?? null;
  const status = !note
    ? 'Not started'
    : note.status === 'draft'
      ? 'Draft'
      : `${note.status === 'amended' ? 'Amended' : 'Signed'} by ${note.signedBy ?? note.authorName} ${formatDateTime(note.signedAt)}`;
  return (
    <Box
      component="section"
      aria-labelledby="summary-title"
      sx={{ display: 'flex', gap: 2, alignItems: 'center', flexWrap: 'wrap' }}
    >
      <Typography id="summary-title" component="h3" variant="subtitle1" sx={{ fontWeight: 700 }}>
        Discharge summary
      </Typography>
      <Chip
        data-testid="summary-status"
        label={status}
        color={note && note.status !== 'draft' ? 'success' : 'warning'}
        variant={note ? 'filled' : 'outlined'}
      />
      <Button component={RouterLink} to={`/ipd/admissions/${admission.id}/chart?tab=discharge-summary`}>
        {!note ? 'Write the summary' : note.status === 'draft' ? 'Edit and sign' : 'Open the summary'}
      </Button>
      {note && (
        <Button
          startIcon={<Print />}
          disabled={pdf.isPending}
          onClick={() =>
            pdf.mutate({
              path: `/ipd/admissions/${admission.id}/discharge-summary.pdf`,
              filename: `${admission.admissionNumber}-discharge-summary.pdf`,
            })
          }
        >
          Print
        </Button>
      )}
      <ProblemAlert error={summary.error ?? pdf.error} />
    </Box>
  );
}

function Checklist({
  admission,
  canClear,
  onReload,
}: {
  admission: AdmissionDetail;
  canClear: boolean;
  onReload: () => void;
}) {
  const clear = useClearItem();
  const [acting, setActing] = useState<{ item: DischargeClearanceItem; action: 'clear' | 'waive' } | null>(
    null,
  );
  const columns: Column<DischargeClearanceItem>[] = [
    {
      id: 'item',
      header: 'Item',
      render: (c) => (
        <>
          {c.label}
          {c.detail && (
            <Typography variant="body2" color="text.secondary">
              {c.detail}
            </Typography>
          )}
        </>
      ),
    },
    { id: 'heldBy', header: 'Held by', render: (c) => c.heldBy, hideBelow: 'sm' },
    {
      id: 'status',
      header: 'Status',
      render: (c) => {
        const s = clearanceStatus[c.status];
        return <Chip size="small" color={s.color} icon={<s.Icon aria-hidden="true" />} label={s.label} />;
      },
    },
    {
      id: 'by',
      header: 'Cleared',
      render: (c) =>
        c.status === 'pending' ? (
          '—'
        ) : (
          <>
            {c.clearedBy ?? 'automatically'} · {formatDateTime(c.clearedAt)}
            {c.clearNote && (
              <Typography variant="body2" color="text.secondary">
                {c.clearNote}
              </Typography>
            )}
          </>
        ),
      hideBelow: 'md',
    },
    {
      id: 'actions',
      header: 'Actions',
      render: (c) =>
        canClear && c.status === 'pending' && c.heldBy === 'ipd' ? (
          <Box sx={{ display: 'flex', gap: 1 }}>
            <Button
              size="small"
              variant="outlined"
              onClick={() => {
                clear.reset();
                setActing({ item: c, action: 'clear' });
              }}
              aria-label={`Clear: ${c.label}`}
            >
              Clear
            </Button>
            <Button
              size="small"
              onClick={() => {
                clear.reset();
                setActing({ item: c, action: 'waive' });
              }}
              aria-label={`Waive: ${c.label}`}
            >
              Waive
            </Button>
          </Box>
        ) : c.status === 'pending' && c.heldBy !== 'ipd' ? (
          <Typography variant="body2" color="text.secondary">
            Clears when {c.heldBy} releases it
          </Typography>
        ) : null,
    },
  ];
  return (
    <Box>
      <Typography component="h3" variant="subtitle1" sx={{ fontWeight: 700, mb: 1 }}>
        Clearance checklist
      </Typography>
      <DataTable
        label="Discharge checklist"
        columns={columns}
        rows={admission.clearances}
        rowKey={(c) => c.id}
        emptyText="Nothing to clear"
      />
      <ReasonDialog
        open={!!acting}
        title={
          acting?.action === 'waive' ? `Waive: ${acting.item.label}` : `Clear: ${acting?.item.label ?? ''}`
        }
        label="Note"
        confirmLabel={acting?.action === 'waive' ? 'Waive' : 'Clear'}
        busy={clear.isPending}
        error={isStale(clear.error) ? null : clear.error}
        onCancel={() => setActing(null)}
        onConfirm={(note) =>
          acting &&
          clear.mutate(
            {
              admissionId: admission.id,
              clearanceId: acting.item.id,
              action: acting.action,
              note,
              version: acting.item.version,
            },
            { onSuccess: () => setActing(null) },
          )
        }
      />
      {isStale(clear.error) && (
        <Box sx={{ mt: 1 }}>
          <ConflictAlert
            onReload={() => {
              clear.reset();
              setActing(null);
              onReload();
            }}
          />
        </Box>
      )}
    </Box>
  );
}

function CompleteDischarge({ admission, onReload }: { admission: AdmissionDetail; onReload: () => void }) {
  const complete = useCompleteDischarge();
  const [confirming, setConfirming] = useState(false);
  const pending = admission.clearances.filter((c) => c.status === 'pending');
  return (
    <Box>
      <Box sx={{ display: 'flex', gap: 2, alignItems: 'center', flexWrap: 'wrap' }}>
        <Button
          variant="contained"
          color="success"
          disabled={pending.length > 0 || complete.isPending}
          onClick={() => setConfirming(true)}
        >
          Complete discharge
        </Button>
        <Typography color="text.secondary" data-testid="pending-clearances">
          {pending.length === 0
            ? 'Everything is cleared: the patient may leave.'
            : `${pending.length} item${pending.length === 1 ? '' : 's'} still pending`}
        </Typography>
      </Box>
      <Box sx={{ mt: 1 }}>
        {isStale(complete.error) ? (
          <ConflictAlert
            onReload={() => {
              complete.reset();
              onReload();
            }}
          />
        ) : (
          <ProblemAlert error={complete.error} />
        )}
      </Box>
      <ConfirmDialog
        open={confirming}
        title="Complete the discharge"
        message={`The patient leaves now; bed ${admission.bed?.bedCode ?? ''} goes to housekeeping for cleaning.`}
        confirmLabel="Discharge"
        busy={complete.isPending}
        onCancel={() => setConfirming(false)}
        onConfirm={() =>
          complete.mutate(
            { id: admission.id, version: admission.version },
            { onSettled: () => setConfirming(false) },
          )
        }
      />
    </Box>
  );
}
