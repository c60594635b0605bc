import ArrowBack from '@mui/icons-material/ArrowBack';
import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import LinearProgress from '@mui/material/LinearProgress';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { RadOrder, RadReport } from '@newhms/contracts';
import { type FormEvent, useState } from 'react';
import { Link as RouterLink, useParams } from 'react-router';
import { ApiError } from '../../../app/api-client';
import { useAuth } from '../../../app/auth/auth-context';
import { ConflictAlert } from '../../../ui/conflict-alert';
import { fieldErrorsFromProblem } from '../../../ui/form-validation';
import { formatDateTime } from '../../../ui/format';
import { PageHeader } from '../../../ui/page-header';
import { ProblemAlert } from '../../../ui/problem-alert';
import { Section } from '../../../ui/titled-section';
import { AddendumDialog } from '../components/addendum-dialog';
import { CriticalChip, PriorityChip, ReportStatusChip } from '../components/chips';
import { SignDialog } from '../components/sign-dialog';
import { ReportPdfButton, ViewerLink } from '../components/study-links';
import {
  type ReportText,
  useOpenReport,
  useRadOrder,
  useReportOfOrder,
  useSaveReport,
} from '../hooks/use-radiology';
import {
  criticalCategoryLabels,
  modalityLabels,
  pregnancyLabels,
  procedureWithSide,
} from '../radiology-labels';

const fields = [
  ['technique', 'Technique', 2],
  ['comparison', 'Comparison', 1],
  ['findings', 'Findings', 10],
  ['impression', 'Impression', 3],
] as const;

const textOf = (r: RadReport): ReportText => ({
  technique: r.technique,
  comparison: r.comparison,
  findings: r.findings,
  impression: r.impression,
});

/**
 * A study's report (/radiology/orders/:orderId/report): the draft opened from the procedure's template, saved as
 * often as needed (each save carries the version: a colleague's save in between is a conflict, said plainly, and the
 * text typed here is kept), signed off with an optional critical finding; once signed, read-only with its addenda.
 */
export function ReportPage() {
  const { orderId = '' } = useParams();
  const order = useRadOrder(orderId);
  const report = useReportOfOrder(orderId);
  const open = useOpenReport();
  if (order.isLoading || report.isLoading) return <LinearProgress aria-label="Loading the report" />;
  if (!order.data) {
    return (
      <>
        <PageHeader title="Radiology report" />
        <ProblemAlert error={order.error} />
      </>
    );
  }
  const o = order.data;
  return (
    <>
      <PageHeader
        title={`Report: ${procedureWithSide(o)}`}
        subtitle={`${o.patientName} · MRN ${o.mrn}${o.age ? ` · ${o.age}` : ''} · ${o.sex} · ${o.accession}`}
        actions={
          <Button component={RouterLink} to="/radiology/reporting" startIcon={<ArrowBack />}>
            Reporting worklist
          </Button>
        }
      />
      <Box
        sx={{
          display: 'grid',
          gap: 2,
          gridTemplateColumns: { xs: '1fr', lg: 'minmax(0, 8fr) minmax(280px, 4fr)' },
          alignItems: 'start',
        }}
      >
        <Box sx={{ minWidth: 0 }}>
          <ProblemAlert error={report.error} sx={{ mb: 2 }} />
          {report.data ? (
            report.data.status === 'draft' ? (
              <DraftEditor report={report.data} reload={async () => (await report.refetch()).data} />
            ) : (
              <SignedReport report={report.data} order={o} />
            )
          ) : (
            report.data === null && (
              <Section title="Report">
                <Typography sx={{ mb: 2 }}>
                  {o.status === 'completed'
                    ? 'This study has no report yet.'
                    : 'The study is not completed yet: it is reported once completed.'}
                </Typography>
                {o.status === 'completed' && (
                  <Button variant="contained" disabled={open.isPending} onClick={() => open.mutate(o.id)}>
                    Start the report from the template
                  </Button>
                )}
                <ProblemAlert error={open.error} sx={{ mt: 2 }} />
              </Section>
            )
          )}
        </Box>
        <StudyPanel order={o} />
      </Box>
    </>
  );
}

function DraftEditor({
  report,
  reload,
}: {
  report: RadReport;
  reload: () => Promise<RadReport | null | undefined>;
}) {
  const { can } = useAuth();
  const save = useSaveReport();
  const [text, setText] = useState<ReportText>(textOf(report));
  const [version, setVersion] = useState(report.version);
  const [savedText, setSavedText] = useState<ReportText>(textOf(report));
  const [savedAt, setSavedAt] = useState<string | null>(null);
  const [signing, setSigning] = useState(false);
  const [signError, setSignError] = useState<unknown>(null);

  // After a conflict: the colleague's text and version replace what is on the screen.
  const takeTheirs = async () => {
    const theirs = await reload();
    if (!theirs) return;
    setText(textOf(theirs));
    setSavedText(textOf(theirs));
    setVersion(theirs.version);
    setSignError(null);
    save.reset();
  };

  const dirty = fields.some(([k]) => text[k] !== savedText[k]);
  const conflict = [save.error, signError].some((e) => e instanceof ApiError && e.code === 'STALE_VERSION');
  const errors = { ...fieldErrorsFromProblem(signError), ...fieldErrorsFromProblem(save.error) };
  const editable = can('radiology:report');

  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(
      { id: report.id, ...text, version },
      {
        onSuccess: (r) => {
          setVersion(r.version);
          setSavedText(textOf(r));
          setSavedAt(r.updatedAt);
        },
      },
    );
  };

  return (
    <Box component="form" onSubmit={submit} noValidate aria-label="Report">
      <Section title="Report" actions={<ReportStatusChip status={report.status} />} testId="report-editor">
        <Stack spacing={2}>
          {conflict && (
            <Box data-testid="report-conflict">
              <ConflictAlert onReload={() => void takeTheirs()} />
              <Typography variant="body2" sx={{ mt: 1 }}>
                Your text is still below: copy what you need before reloading.
              </Typography>
            </Box>
          )}
          {!conflict && <ProblemAlert error={save.error ?? signError} />}
          {fields.map(([key, label, rows]) => (
            <TextField
              key={key}
              label={label}
              value={text[key]}
              onChange={(e) => setText((t) => ({ ...t, [key]: e.target.value }))}
              multiline
              minRows={rows}
              fullWidth
              disabled={!editable}
              required={key === 'findings' || key === 'impression'}
              error={!!errors[key]}
              helperText={
                errors[key] ?? (text[key].includes('___') ? 'Fill in the blanks (___) of the template' : ' ')
              }
              slotProps={{ htmlInput: { maxLength: key === 'findings' ? 20_000 : 4000, spellCheck: true } }}
            />
          ))}
          <Box sx={{ display: 'flex', gap: 1, alignItems: 'center', flexWrap: 'wrap' }}>
            <Button
              type="submit"
              variant="outlined"
              disabled={!editable || save.isPending || conflict}
              onClick={() => setSignError(null)}
            >
              {save.isPending ? 'Saving…' : 'Save draft'}
            </Button>
            <Button
              variant="contained"
              disabled={!editable || save.isPending || conflict}
              onClick={() => {
                setSignError(null);
                setSigning(true);
              }}
            >
              Sign report
            </Button>
            <Typography variant="body2" color="text.secondary" role="status" data-testid="save-state">
              {dirty ? 'Unsaved changes' : savedAt ? `Draft saved ${formatDateTime(savedAt, true)}` : 'Draft'}
            </Typography>
          </Box>
        </Stack>
      </Section>
      <SignDialog
        open={signing}
        report={report}
        text={text}
        version={version}
        onClose={() => setSigning(false)}
        onError={setSignError}
      />
    </Box>
  );
}

function SignedReport({ report, order }: { report: RadReport; order: RadOrder }) {
  const { can } = useAuth();
  const [adding, setAdding] = useState(false);
  return (
    <Stack spacing={2}>
      {report.criticalFinding && (
        <Alert severity="error" data-testid="report-critical-finding">
          <AlertTitle>{`Critical finding: ${criticalCategoryLabels[report.criticalFinding.category]}`}</AlertTitle>
          {`${report.criticalFinding.text}. Called through to ${order.orderedByName ?? 'the ordering doctor'}.`}
        </Alert>
      )}
      <Section
        title="Report"
        actions={
          <Box sx={{ display: 'flex', gap: 1, alignItems: 'center', flexWrap: 'wrap' }}>
            <ReportStatusChip status={report.status} />
            <ReportPdfButton orderId={order.id} accession={order.accession} label="Report PDF" />
            {can('radiology:report') && (
              <Button size="small" variant="outlined" onClick={() => setAdding(true)}>
                Add addendum
              </Button>
            )}
          </Box>
        }
        testId="signed-report"
      >
        <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
          {`Signed by ${report.signedByName ?? ''}, ${formatDateTime(report.signedAt)}`}
        </Typography>
        {fields.map(([key, label]) => (
          <Box key={key} sx={{ mb: 2 }}>
            <Typography component="h3" variant="subtitle2">
              {label}
            </Typography>
            <Typography sx={{ whiteSpace: 'pre-wrap' }} data-testid={`report-${key}`}>
              {report[key] || '—'}
            </Typography>
          </Box>
        ))}
      </Section>
      {report.addenda.length > 0 && (
        <Section title="Addenda">
          <Stack spacing={2} component="ol" sx={{ m: 0, pl: 2.5 }}>
            {report.addenda.map((a) => (
              <li key={a.id}>
                <Typography variant="body2" color="text.secondary">
                  {`${a.addedByName}, ${formatDateTime(a.addedAt)}. Reason: ${a.reason}`}
                </Typography>
                <Typography sx={{ whiteSpace: 'pre-wrap' }}>{a.text}</Typography>
              </li>
            ))}
          </Stack>
        </Section>
      )}
      <AddendumDialog reportId={adding ? report.id : null} onClose={() => setAdding(false)} />
    </Stack>
  );
}

/** What the radiologist needs beside the report: the request, the checklist, the study and its images. */
function StudyPanel({ order }: { order: RadOrder }) {
  const c = order.checklist;
  const rows: [string, string][] = [
    ['Modality', `${modalityLabels[order.modality]} · ${order.bodyPart}`],
    ['Indication', order.clinicalIndication ?? '—'],
    [
      'Ordered',
      `${formatDateTime(order.orderedAt)}${order.orderedByName ? ` by ${order.orderedByName}` : ''}`,
    ],
    [
      'Done',
      order.completed ? `${formatDateTime(order.completed.at)} by ${order.completed.byName ?? ''}` : '—',
    ],
    ['Study UID', order.studyInstanceUid ?? '—'],
    ['Images', order.numberOfImages != null ? String(order.numberOfImages) : '—'],
  ];
  if (c?.pregnancyStatus) rows.push(['Pregnancy', pregnancyLabels[c.pregnancyStatus]]);
  if (c?.contrastAllergy != null)
    rows.push(['Contrast reaction', c.contrastAllergy ? `Yes: ${c.contrastAllergyNote ?? ''}` : 'No']);
  if (c?.egfr != null) rows.push(['eGFR', String(c.egfr)]);
  if (order.dose?.dlpMGyCm != null) rows.push(['DLP (mGy·cm)', String(order.dose.dlpMGyCm)]);
  if (order.dose?.dapGyCm2 != null) rows.push(['DAP (Gy·cm²)', String(order.dose.dapGyCm2)]);
  return (
    <Section
      title="Study"
      actions={
        <Box sx={{ display: 'flex', gap: 0.5, alignItems: 'center' }}>
          <PriorityChip priority={order.priority} />
          {order.report?.critical && <CriticalChip />}
        </Box>
      }
    >
      <Box
        component="dl"
        sx={{ m: 0, display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: 2, rowGap: 0.5 }}
      >
        {rows.map(([k, v]) => (
          <Box key={k} sx={{ display: 'contents' }}>
            <Typography component="dt" variant="body2" color="text.secondary">
              {k}
            </Typography>
            <Typography component="dd" variant="body2" sx={{ m: 0, wordBreak: 'break-word' }}>
              {v}
            </Typography>
          </Box>
        ))}
      </Box>
      <Box sx={{ mt: 1 }}>
        <ViewerLink url={order.viewerUrl} label={`Images of ${order.procedureName}`} />
      </Box>
    </Section>
  );
}
