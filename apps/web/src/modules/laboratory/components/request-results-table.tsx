import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import type { LabRequest, LabResult } from '@newhms/contracts';
import type { ReactNode } from 'react';
import { type Column, DataTable } from '../../../ui/data-table';
import { formatDateTime } from '../../../ui/format';
import { resultStatusLabels } from '../laboratory-labels';
import { formatNumber, formatResultValue } from '../result-flags';
import { FlagChip } from './flag-chip';

const released = (r: LabResult) => r.status === 'validated' || r.status === 'amended';

/** The value with its flag; for a clinician, only a released value (an unvalidated one is not shown). */
export function ResultValue({ result, clinical }: { result: LabResult; clinical?: boolean }) {
  if (clinical && !released(result)) {
    return (
      <Typography component="span" color="text.secondary">
        {result.status === 'entered' ? 'Awaiting validation' : resultStatusLabels[result.status]}
      </Typography>
    );
  }
  const text = formatResultValue(result);
  if (!text)
    return (
      <Typography component="span" color="text.secondary">
        —
      </Typography>
    );
  return (
    <Box sx={{ display: 'flex', gap: 1, alignItems: 'center', flexWrap: 'wrap' }}>
      <Typography
        component="span"
        data-testid="result-value"
        sx={{ fontWeight: result.flag && result.flag !== 'N' ? 700 : 400 }}
      >
        {text}
      </Typography>
      <FlagChip flag={result.flag} />
    </Box>
  );
}

/** Delta-check warning, comment and amendments of a result, as short lines. */
export function ResultNotes({ result }: { result: LabResult }) {
  const lines: ReactNode[] = [];
  if (result.delta?.flagged) {
    const sign = result.delta.change > 0 ? '+' : '';
    lines.push(
      <Typography
        key="delta"
        variant="body2"
        color="warning.main"
        data-testid="delta-warning"
        sx={{ fontWeight: 600 }}
      >
        {`Delta check: was ${formatNumber(result.delta.previousValue, result.decimals)} on ${formatDateTime(result.delta.previousAt)} (${sign}${formatNumber(result.delta.change, result.decimals)})`}
      </Typography>,
    );
  }
  if (result.comment) {
    lines.push(
      <Typography key="comment" variant="body2">
        {result.comment}
      </Typography>,
    );
  }
  for (const r of result.revisions) {
    const before = formatResultValue({
      value: r.previousValue,
      text: r.previousText,
      culture: r.previousCulture,
      unit: result.unit,
      decimals: result.decimals,
    });
    lines.push(
      <Typography key={`rev${r.revisionNo}`} variant="body2" color="text.secondary">
        {`Amended ${formatDateTime(r.amendedAt)} by ${r.amendedByName}: was ${before || '—'}${r.previousFlag && r.previousFlag !== 'N' ? ` ${r.previousFlag}` : ''}. ${r.reason}`}
      </Typography>,
    );
  }
  return lines.length > 0 ? <Box>{lines}</Box> : null;
}

function statusLine(r: LabResult): string {
  if (r.status === 'entered') {
    return `Entered${r.enteredByName ? ` by ${r.enteredByName}` : ''}${r.source === 'analyzer' ? ' (analyzer)' : ''}`;
  }
  if (r.status === 'validated' || r.status === 'amended') {
    return `${resultStatusLabels[r.status]}${r.validatedByName ? ` by ${r.validatedByName}` : ''}`;
  }
  return resultStatusLabels[r.status];
}

type Props = {
  request: LabRequest;
  label?: string;
  /** A clinician's view: unvalidated values are not shown. */
  clinical?: boolean;
  /** Only these results (e.g. those awaiting validation). */
  filter?: (r: LabResult) => boolean;
  actions?: (r: LabResult) => ReactNode;
  emptyText?: string;
};

/** The results of a request: value with flag, the range it was judged against, status, delta and notes. */
export function RequestResultsTable({ request, label, clinical, filter, actions, emptyText }: Props) {
  const columns: Column<LabResult>[] = [
    {
      id: 'test',
      header: 'Test',
      render: (r) => (
        <Typography component="span" sx={{ fontWeight: 600 }}>
          {r.testName}
        </Typography>
      ),
    },
    { id: 'result', header: 'Result', render: (r) => <ResultValue result={r} clinical={clinical} /> },
    {
      id: 'range',
      header: 'Reference range',
      render: (r) => r.referenceRange?.text ?? '',
      hideBelow: 'sm',
    },
    {
      id: 'status',
      header: 'Status',
      render: (r) => (
        <>
          {statusLine(r)}
          {(r.validatedAt ?? r.enteredAt) && (
            <Typography variant="body2" color="text.secondary">
              {formatDateTime(r.validatedAt ?? r.enteredAt)}
            </Typography>
          )}
        </>
      ),
      hideBelow: 'md',
    },
    { id: 'notes', header: 'Notes', render: (r) => <ResultNotes result={r} />, hideBelow: 'sm' },
  ];
  if (actions) columns.push({ id: 'actions', header: 'Actions', render: actions });
  const rows = filter ? request.results.filter(filter) : request.results;
  return (
    <DataTable
      label={label ?? `Results of ${request.display}`}
      columns={columns}
      rows={rows}
      rowKey={(r) => r.id}
      emptyText={emptyText ?? 'No result'}
    />
  );
}
