import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { formatDateTime } from '../../../ui/format';
import { ProblemAlert } from '../../../ui/problem-alert';
import { ReasonDialog } from '../../../ui/reason-dialog';
import { useAcknowledgeEscalation, useOpenEscalations } from '../hooks/use-nursing';
import { isAlerting, riskLabels } from '../nursing-labels';

/**
 * The open NEWS2 escalation of the admission (the newest, highest one): the score, the RCP clinical response and
 * an acknowledgement with the response taken. Acknowledging closes the earlier open alerts too.
 */
export function News2AlertBanner({
  admissionId,
  canAcknowledge,
}: {
  admissionId: string;
  canAcknowledge: boolean;
}) {
  const open = useOpenEscalations(admissionId);
  const acknowledge = useAcknowledgeEscalation();
  const [asking, setAsking] = useState(false);
  const alerts = (open.data ?? []).filter((s) => isAlerting(s.risk) || s.redScore);
  const top = alerts[0];
  if (!top) return null;
  const high = top.risk === 'high';
  return (
    <>
      <Alert
        severity={high ? 'error' : 'warning'}
        role="alert"
        variant="filled"
        data-testid="news2-alert"
        sx={{ mb: 2 }}
        action={
          canAcknowledge && (
            <Button
              color="inherit"
              variant="outlined"
              onClick={() => {
                acknowledge.reset();
                setAsking(true);
              }}
            >
              Acknowledge
            </Button>
          )
        }
      >
        <AlertTitle>
          NEWS2 {top.score}: {riskLabels[top.risk]}
          {top.complete ? '' : ' (partial set)'}
        </AlertTitle>
        <Stack spacing={0.5}>
          <Typography variant="body2">{top.clinicalResponse}</Typography>
          <Typography variant="body2">Monitoring: {top.monitoring}</Typography>
          <Typography variant="body2">
            Charted {formatDateTime(top.effectiveAt)} by {top.recordedBy}
            {alerts.length > 1 ? ` · ${alerts.length} alerts awaiting a response` : ''}
          </Typography>
          {top.caveat && <Typography variant="body2">{top.caveat}</Typography>}
        </Stack>
      </Alert>
      <ProblemAlert error={open.error} sx={{ mb: 2 }} />
      <ReasonDialog
        open={asking}
        title="Acknowledge NEWS2 alert"
        message={`NEWS2 ${top.score} (${riskLabels[top.risk]}). Record the response taken: who was called, what was done.`}
        label="Response taken"
        confirmLabel="Acknowledge"
        maxLength={1000}
        busy={acknowledge.isPending}
        error={acknowledge.error}
        onCancel={() => setAsking(false)}
        onConfirm={(response) =>
          acknowledge.mutate({ id: top.id, response }, { onSuccess: () => setAsking(false) })
        }
      />
    </>
  );
}

/** Acknowledging from elsewhere (the nursing station): the newest open alert of the admission, with the response. */
export function AcknowledgeEscalationDialog({
  admissionId,
  patientName,
  onClose,
}: {
  admissionId: string;
  patientName: string;
  onClose: () => void;
}) {
  const open = useOpenEscalations(admissionId);
  const acknowledge = useAcknowledgeEscalation();
  const top = open.data?.[0];
  return (
    <ReasonDialog
      open
      title={`Acknowledge NEWS2 alert: ${patientName}`}
      message={
        top
          ? `NEWS2 ${top.score} (${riskLabels[top.risk]}), charted ${formatDateTime(top.effectiveAt)}. ${top.clinicalResponse}`
          : open.isLoading
            ? 'Loading the alert…'
            : 'No alert is waiting for a response.'
      }
      label="Response taken"
      confirmLabel="Acknowledge"
      maxLength={1000}
      busy={acknowledge.isPending || !top}
      error={acknowledge.error ?? open.error}
      onCancel={onClose}
      onConfirm={(response) => top && acknowledge.mutate({ id: top.id, response }, { onSuccess: onClose })}
    />
  );
}
