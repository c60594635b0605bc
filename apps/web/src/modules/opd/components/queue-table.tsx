import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Typography from '@mui/material/Typography';
import type { QueueToken } from '@newhms/contracts';
import type { ReactNode } from 'react';
import { type Column, DataTable } from '../../../ui/data-table';
import { formatTimeIn, minutesBetween } from '../../../ui/facility-time';
import { priorityLabels, tokenKindLabels, tokenStatusColors, tokenStatusLabels } from '../opd-labels';

type Props = {
  label: string;
  tokens: QueueToken[];
  timeZone: string;
  loading?: boolean;
  emptyText?: string;
  /** The buttons of one row, by what the viewer may do. */
  actions?: (token: QueueToken) => ReactNode;
  /** The patient cell, when it should open something (a summary). */
  renderPatient?: (token: QueueToken) => ReactNode;
};

export function TokenStatusChip({ token }: { token: QueueToken }) {
  const again = token.status === 'called' && token.callCount > 1 ? ` (×${token.callCount})` : '';
  return (
    <Chip
      size="small"
      color={tokenStatusColors[token.status]}
      label={`${tokenStatusLabels[token.status]}${again}`}
      variant={token.status === 'waiting' ? 'outlined' : 'filled'}
    />
  );
}

/** A doctor's queue in the order it will be seen, with status, priority and waiting time. */
export function QueueTable({ label, tokens, timeZone, loading, emptyText, actions, renderPatient }: Props) {
  const columns: Column<QueueToken>[] = [
    {
      id: 'token',
      header: 'Token',
      width: 90,
      render: (t) => (
        <Typography component="span" sx={{ fontWeight: 800, fontSize: '1.25rem' }}>
          {t.label}
        </Typography>
      ),
    },
    {
      id: 'patient',
      header: 'Patient',
      render: (t) =>
        renderPatient ? (
          renderPatient(t)
        ) : (
          <Box>
            <Typography component="span" sx={{ fontWeight: 600 }}>
              {t.patient?.displayName ?? '—'}
            </Typography>
            <Typography variant="body2" color="text.secondary">
              MRN {t.patient?.mrn}
              {t.patient?.age ? ` · ${t.patient.age}` : ''}
            </Typography>
          </Box>
        ),
    },
    {
      id: 'kind',
      header: 'Kind',
      hideBelow: 'md',
      render: (t) => (
        <>
          {tokenKindLabels[t.kind]}
          {t.appointmentAt && (
            <Typography variant="body2" color="text.secondary">
              slot {formatTimeIn(t.appointmentAt, timeZone)}
            </Typography>
          )}
        </>
      ),
    },
    {
      id: 'priority',
      header: 'Priority',
      render: (t) =>
        t.priorities.length === 0 ? (
          '—'
        ) : (
          <Box sx={{ display: 'flex', gap: 0.5, flexWrap: 'wrap' }}>
            {t.priorities.map((p) => (
              <Chip
                key={p}
                size="small"
                label={priorityLabels[p]}
                color={p === 'emergency' ? 'error' : 'default'}
                variant={p === 'emergency' ? 'filled' : 'outlined'}
              />
            ))}
          </Box>
        ),
    },
    { id: 'status', header: 'Status', render: (t) => <TokenStatusChip token={t} /> },
    {
      id: 'arrived',
      header: 'Arrived',
      hideBelow: 'sm',
      render: (t) => {
        const waited = t.status === 'waiting' ? minutesBetween(t.arrivedAt) : null;
        return (
          <>
            {formatTimeIn(t.arrivedAt, timeZone)}
            {waited !== null && (
              <Typography variant="body2" color={waited > 45 ? 'error' : 'text.secondary'}>
                waiting {waited} min
              </Typography>
            )}
          </>
        );
      },
    },
  ];
  if (actions) {
    columns.push({
      id: 'actions',
      header: 'Actions',
      render: (t) => (
        <Box
          sx={{ display: 'flex', gap: 1, flexWrap: 'wrap', '& .MuiButton-root': { whiteSpace: 'nowrap' } }}
        >
          {actions(t)}
        </Box>
      ),
    });
  }
  return (
    <DataTable
      label={label}
      columns={columns}
      rows={tokens}
      rowKey={(t) => t.id}
      loading={loading}
      emptyText={emptyText ?? 'Nobody in the queue'}
    />
  );
}
