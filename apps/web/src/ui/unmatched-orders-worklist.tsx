import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Link from '@mui/material/Link';
import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';
import Typography from '@mui/material/Typography';
import type { UnmatchedOrder } from '@newhms/contracts';
import type { UseQueryResult } from '@tanstack/react-query';
import { useState } from 'react';
import { Link as RouterLink, useSearchParams } from 'react-router';
import { isConflict } from './conflict';
import { ConflictAlert } from './conflict-alert';
import { type Column, DataTable } from './data-table';
import { formatDateTime } from './format';
import { PageHeader } from './page-header';
import { ProblemAlert } from './problem-alert';
import { ReasonDialog } from './reason-dialog';

export type UnmatchedStatus = 'open' | 'closed' | 'all';

type Props = {
  /** 'laboratory' or 'radiology': the table's name and the patient page's tab. */
  department: 'laboratory' | 'radiology';
  status: UnmatchedStatus;
  onStatusChange: (status: UnmatchedStatus) => void;
  orders: UnmatchedOrder[] | undefined;
  loading: boolean;
  error: unknown;
  onReload: () => void;
  close: {
    mutate: (
      vars: { id: string; note: string; version: number },
      options: { onSuccess: (closed: UnmatchedOrder) => void; onError: (err: unknown) => void },
    ) => void;
    isPending: boolean;
    error: unknown;
    reset: () => void;
  };
};

const priorityLabels: Record<UnmatchedOrder['priority'], string> = {
  routine: 'Routine',
  urgent: 'Urgent',
  stat: 'STAT',
};

/**
 * A department's encounter orders that matched nothing in its catalog: who to call (the ordering doctor), what was
 * ordered and why it was not taken; *Close* with what was agreed (a note is required; a 409 when someone else
 * closed it first is said, with a reload).
 */
/**
 * A department's unmatched-orders page (/laboratory/unmatched-orders, /radiology/unmatched-orders): its header,
 * the status tab kept in the address (?status=closed|all; open by default) and the worklist.
 */
export function UnmatchedOrdersPage(props: {
  department: Props['department'];
  title: string;
  subtitle: string;
  useOrders: (status: UnmatchedStatus) => UseQueryResult<UnmatchedOrder[]>;
  close: Props['close'];
}) {
  const [params, setParams] = useSearchParams();
  const raw = params.get('status');
  const status: UnmatchedStatus = raw === 'closed' || raw === 'all' ? raw : 'open';
  const orders = props.useOrders(status);
  return (
    <>
      <PageHeader title={props.title} subtitle={props.subtitle} />
      <UnmatchedOrdersWorklist
        department={props.department}
        status={status}
        onStatusChange={(next) => setParams(next === 'open' ? {} : { status: next }, { replace: true })}
        orders={orders.data}
        loading={orders.isPending}
        error={orders.error}
        onReload={() => void orders.refetch()}
        close={props.close}
      />
    </>
  );
}

function UnmatchedOrdersWorklist(props: Props) {
  const { department, status, orders, close } = props;
  const [closing, setClosing] = useState<UnmatchedOrder | null>(null);
  const [closed, setClosed] = useState<UnmatchedOrder | null>(null);
  // Someone closed or changed it first (409): the dialog closes and the page says so, with a reload.
  const [conflict, setConflict] = useState(false);
  const tab = department === 'laboratory' ? 'laboratory' : 'imaging';

  const columns: Column<UnmatchedOrder>[] = [
    {
      id: 'patient',
      header: 'Patient',
      render: (o) => (
        <>
          <Link component={RouterLink} to={`/patients/${o.patientId}?tab=${tab}`} sx={{ fontWeight: 600 }}>
            {o.patientName}
          </Link>
          <Typography variant="body2" color="text.secondary">{`MRN ${o.mrn}`}</Typography>
        </>
      ),
    },
    {
      id: 'ordered',
      header: 'Ordered',
      render: (o) => (
        <>
          {o.display}
          {o.code && <Typography variant="body2" color="text.secondary">{`Code ${o.code}`}</Typography>}
          {o.priority !== 'routine' && (
            <Chip
              size="small"
              label={priorityLabels[o.priority]}
              color={o.priority === 'stat' ? 'error' : 'warning'}
              sx={{ mt: 0.5 }}
            />
          )}
        </>
      ),
    },
    {
      id: 'by',
      header: 'By',
      render: (o) => (
        <>
          {o.requestedByName ?? 'Unknown'}
          <Typography variant="body2" color="text.secondary">
            {formatDateTime(o.requestedAt)}
          </Typography>
        </>
      ),
    },
    { id: 'reason', header: 'Reason', render: (o) => o.reason },
    {
      id: 'state',
      header: 'State',
      render: (o) =>
        o.status === 'open' ? (
          'Open'
        ) : (
          <>
            {`Closed by ${o.closedByName ?? 'someone'}${o.closedAt ? `, ${formatDateTime(o.closedAt)}` : ''}`}
            {o.closeNote && (
              <Typography variant="body2" color="text.secondary">
                {o.closeNote}
              </Typography>
            )}
          </>
        ),
    },
    {
      id: 'actions',
      header: 'Actions',
      render: (o) =>
        o.status === 'open' && (
          <Button
            size="small"
            onClick={() => {
              close.reset();
              setClosed(null);
              setConflict(false);
              setClosing(o);
            }}
            aria-label={`Close ${o.display} for ${o.patientName}`}
          >
            Close
          </Button>
        ),
    },
  ];

  return (
    <>
      <Tabs
        value={status}
        onChange={(_, next: UnmatchedStatus) => props.onStatusChange(next)}
        aria-label="Which unmatched orders"
        sx={{ mb: 2 }}
      >
        <Tab value="open" label="Open" />
        <Tab value="closed" label="Closed" />
        <Tab value="all" label="All" />
      </Tabs>
      {closed && (
        <Alert severity="success" role="status" sx={{ mb: 2 }} onClose={() => setClosed(null)}>
          {`${closed.display} for ${closed.patientName} closed.`}
        </Alert>
      )}
      {conflict && (
        <Box sx={{ mb: 2 }}>
          <ConflictAlert
            onReload={() => {
              setConflict(false);
              close.reset();
              props.onReload();
            }}
          />
        </Box>
      )}
      <ProblemAlert error={props.error} sx={{ mb: 2 }} />
      <DataTable
        label={`Unmatched ${department} orders`}
        columns={columns}
        rows={orders ?? []}
        rowKey={(o) => o.id}
        loading={props.loading}
        emptyText={status === 'open' ? 'No order waits for a call to the doctor.' : 'No unmatched orders.'}
      />
      <ReasonDialog
        open={!!closing}
        title="Close unmatched order"
        message={
          closing &&
          `${closing.display} for ${closing.patientName}, ordered by ${closing.requestedByName ?? 'unknown'}: ${closing.reason}`
        }
        label="What was done (who was called, what was agreed)"
        confirmLabel="Close order"
        maxLength={500}
        busy={close.isPending}
        error={close.error}
        onCancel={() => {
          setClosing(null);
          close.reset();
        }}
        onConfirm={(note) => {
          if (!closing) return;
          // The version the person read when they opened it: a close by someone else meanwhile is a conflict.
          close.mutate(
            { id: closing.id, note, version: closing.version },
            {
              onSuccess: (done) => {
                setClosing(null);
                setClosed(done);
              },
              onError: (err) => {
                if (!isConflict(err)) return;
                setClosing(null);
                setConflict(true);
              },
            },
          );
        }}
      />
    </>
  );
}
