import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { Link as RouterLink, useParams } from 'react-router';
import { ConflictAlert } from '../../../ui/conflict-alert';
import { formatDateTime } from '../../../ui/format';
import { formatRupees } from '../../../ui/money';
import { PageHeader } from '../../../ui/page-header';
import { ProblemAlert } from '../../../ui/problem-alert';
import { ReasonDialog } from '../../../ui/reason-dialog';
import { PatientBanner, usePatient } from '../../patients';
import { ApproveDialog } from '../components/approve-dialog';
import { EnhanceDialog } from '../components/enhance-dialog';
import { Facts } from '../components/facts';
import { HistoryTimeline } from '../components/history-timeline';
import { InsuranceFilesSection } from '../components/insurance-files';
import { Section } from '../components/section';
import { StatusChip } from '../components/status-chip';
import { isStale, usePreauth, usePreauthStep } from '../hooks/use-insurance';

type NoteAction = 'query' | 'answer' | 'deny' | 'cancel';
const noteDialogs: Record<NoteAction, { title: string; label: string; confirm: string; danger?: boolean }> = {
  query: { title: "Record the payer's query", label: 'Query', confirm: 'Record query' },
  answer: { title: "Record the hospital's answer", label: 'Answer', confirm: 'Record answer' },
  deny: { title: 'Record a denial', label: 'Reason for denial', confirm: 'Record denial', danger: true },
  cancel: {
    title: 'Cancel the pre-authorization',
    label: 'Reason',
    confirm: 'Cancel pre-authorization',
    danger: true,
  },
};

/** One pre-authorization at /insurance/preauths/:id: its facts, the next steps, and the status history. */
export function PreauthPage() {
  const { preauthId } = useParams();
  const preauth = usePreauth(preauthId);
  const step = usePreauthStep(preauthId ?? '');
  const patient = usePatient(preauth.data?.patientId);
  const [noteAction, setNoteAction] = useState<NoteAction | null>(null);
  const [approving, setApproving] = useState(false);
  const [enhancing, setEnhancing] = useState(false);
  const p = preauth.data;

  if (!p) {
    return (
      <>
        <PageHeader title="Pre-authorization" />
        <ProblemAlert error={preauth.error} />
        {preauth.isLoading && <Typography color="text.secondary">Loading…</Typography>}
      </>
    );
  }
  const open = (action: NoteAction) => {
    step.reset();
    setNoteAction(action);
  };
  const enhancing_ = p.enhancementPending;
  const actions = {
    query: p.status === 'submitted',
    answer: p.status === 'query',
    approve: p.status === 'submitted',
    deny: p.status === 'submitted',
    enhance: p.status === 'approved' || p.status === 'partially-approved',
    cancel: ['submitted', 'query', 'approved', 'partially-approved'].includes(p.status),
  };
  const dialog = noteAction ? noteDialogs[noteAction] : null;

  return (
    <>
      <PageHeader
        title={`Pre-authorization ${p.number}`}
        subtitle={
          <Box
            component="span"
            sx={{ display: 'inline-flex', gap: 1, alignItems: 'center', flexWrap: 'wrap' }}
          >
            {p.payerName} · <StatusChip kind="preauth" status={p.status} enhancementPending={enhancing_} />
          </Box>
        }
        actions={
          <>
            <Button component={RouterLink} to="/insurance/preauths">
              All pre-authorizations
            </Button>
            <Button component={RouterLink} to={`/insurance/policies?patientId=${p.patientId}`}>
              Patient policies
            </Button>
          </>
        }
      />
      {patient.data && (
        <Box sx={{ mb: 3 }}>
          <PatientBanner patient={patient.data} />
        </Box>
      )}
      {isStale(step.error) && <ConflictAlert onReload={() => preauth.refetch().then(() => step.reset())} />}
      <Section title="Request">
        <Paper variant="outlined" sx={{ p: 2 }}>
          <Facts
            label="Pre-authorization"
            items={[
              ['Diagnosis', p.diagnosis ?? '—'],
              ['Planned treatment', p.plannedTreatment ?? '—'],
              ['Estimate', formatRupees(p.estimate)],
              [
                'Requested',
                <span key="r" data-testid="preauth-requested">
                  {formatRupees(p.requestedAmount)}
                </span>,
              ],
              [
                'Approved',
                <span key="a" data-testid="preauth-approved">
                  {p.approvedAmount > 0 ? formatRupees(p.approvedAmount) : 'Nothing yet'}
                </span>,
              ],
              ['Payer reference', p.payerReference ?? '—'],
              ['Documents', p.documents.length ? p.documents.map((d) => d.name).join(', ') : 'None listed'],
              ['Requested on', formatDateTime(p.createdAt)],
            ]}
          />
        </Paper>
        {enhancing_ && (
          <Alert severity="info" sx={{ mt: 2 }}>
            An enhancement to {formatRupees(p.requestedAmount)} is with the payer;{' '}
            {formatRupees(p.approvedAmount)} stays approved meanwhile.
          </Alert>
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
              variant="contained"
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
          {actions.enhance && (
            <Button
              variant="outlined"
              onClick={() => {
                step.reset();
                setEnhancing(true);
              }}
            >
              Request enhancement
            </Button>
          )}
          {actions.cancel && (
            <Button color="error" onClick={() => open('cancel')}>
              Cancel pre-authorization
            </Button>
          )}
        </Box>
      </Section>
      <Section title="Files">
        <InsuranceFilesSection
          target="preauths"
          targetId={p.id}
          subject={`pre-authorization ${p.number}`}
          files={p.files}
          canUpload
          defaultKind="prescription"
        />
      </Section>
      <Section title="Status history">
        <HistoryTimeline label="Status history" events={p.history} />
      </Section>
      <ReasonDialog
        open={!!dialog}
        title={dialog?.title ?? ''}
        label={dialog?.label}
        confirmLabel={dialog?.confirm ?? ''}
        danger={dialog?.danger}
        maxLength={2000}
        busy={step.isPending}
        error={step.error}
        onCancel={() => setNoteAction(null)}
        onConfirm={(note) =>
          noteAction &&
          step.mutate(
            { action: noteAction, body: { note, version: p.version } },
            { onSuccess: () => setNoteAction(null) },
          )
        }
      />
      <ApproveDialog
        open={approving}
        title={enhancing_ ? 'Record the enhancement decision' : 'Record the approval'}
        asked={p.requestedAmount}
        askedLabel={enhancing_ ? 'New total requested' : 'Requested'}
        atLeast={enhancing_ ? p.approvedAmount : undefined}
        payerReference={p.payerReference}
        busy={step.isPending}
        error={step.error}
        onCancel={() => setApproving(false)}
        onConfirm={(a) =>
          step.mutate(
            { action: 'approve', body: { ...a, version: p.version } },
            { onSuccess: () => setApproving(false) },
          )
        }
      />
      <EnhanceDialog
        open={enhancing}
        approved={p.approvedAmount}
        busy={step.isPending}
        error={step.error}
        onCancel={() => setEnhancing(false)}
        onConfirm={(e) =>
          step.mutate(
            { action: 'enhance', body: { ...e, version: p.version } },
            { onSuccess: () => setEnhancing(false) },
          )
        }
      />
    </>
  );
}
