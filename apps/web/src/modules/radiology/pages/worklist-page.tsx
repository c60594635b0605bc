import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { type RadModality, type RadOrder, type RadOrderStatus, radModalities } from '@newhms/contracts';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { useAuth } from '../../../app/auth/auth-context';
import { type Column, DataTable } from '../../../ui/data-table';
import { calendarDateIn, useFacilityTimeZone } from '../../../ui/facility-time';
import { formatDateTime } from '../../../ui/format';
import { PageHeader } from '../../../ui/page-header';
import { ProblemAlert } from '../../../ui/problem-alert';
import { wallTime } from '../booking-slots';
import { ChecklistDialog } from '../components/checklist-dialog';
import { OrderStatusChip, PriorityChip } from '../components/chips';
import { CompleteDialog } from '../components/complete-dialog';
import { PatientCell, StudyCell } from '../components/order-cells';
import { PreparationDialog } from '../components/preparation-dialog';
import { ViewerLink } from '../components/study-links';
import { useRadRooms, useRadWorklist } from '../hooks/use-radiology';
import { modalityLabels, orderStatusLabels } from '../radiology-labels';
import { checklistFieldLabels, checklistGaps } from '../safety-checklist';

const statuses: RadOrderStatus[] = ['scheduled', 'arrived', 'in-progress', 'completed'];

type Acting = { order: RadOrder; step: 'arrive' | 'start' | 'complete' } | null;

/**
 * The technologist's worklist (/radiology/worklist): a day's studies by modality, room and state, STAT first; the
 * arrival with the safety checklist, the start (refused while the checklist is incomplete), the completion with the
 * Study Instance UID, images and dose; the images in the PACS viewer when one is configured.
 */
export function RadiologyWorklistPage() {
  const { can } = useAuth();
  const timeZone = useFacilityTimeZone();
  const [params, setParams] = useSearchParams();
  const modality = (radModalities as readonly string[]).includes(params.get('modality') ?? '')
    ? (params.get('modality') as RadModality)
    : '';
  const roomId = params.get('roomId') ?? '';
  const status = (statuses as string[]).includes(params.get('status') ?? '')
    ? (params.get('status') as RadOrderStatus)
    : '';
  const date = params.get('date') ?? calendarDateIn(timeZone);
  const rooms = useRadRooms({ modality });
  const list = useRadWorklist({ modality, roomId, date, status });
  const [acting, setActing] = useState<Acting>(null);
  const [preparing, setPreparing] = useState<RadOrder | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const perform = can('radiology:perform');
  const canArrive = perform || can('radiology:schedule');

  const setParam = (key: string, value: string | null) =>
    setParams(
      (prev) => {
        const p = new URLSearchParams(prev);
        if (value) p.set(key, value);
        else p.delete(key);
        if (key === 'modality') p.delete('roomId');
        return p;
      },
      { replace: true },
    );

  const act = (order: RadOrder, step: 'arrive' | 'start' | 'complete') => {
    setDone(null);
    setActing({ order, step });
  };

  const columns: Column<RadOrder>[] = [
    {
      id: 'time',
      header: 'Time',
      render: (o) =>
        o.booking ? (
          <>
            <Typography component="span" sx={{ fontWeight: 700, whiteSpace: 'nowrap' }}>
              {`${wallTime(o.booking.startsAt, timeZone)}-${wallTime(o.booking.endsAt, timeZone)}`}
            </Typography>
            <Typography variant="body2" color="text.secondary">
              {o.booking.roomName}
            </Typography>
          </>
        ) : (
          <Typography variant="body2" color="text.secondary">
            Not booked
          </Typography>
        ),
    },
    { id: 'priority', header: 'Priority', render: (o) => <PriorityChip priority={o.priority} /> },
    { id: 'patient', header: 'Patient', render: (o) => <PatientCell order={o} /> },
    { id: 'study', header: 'Study', render: (o) => <StudyCell order={o} /> },
    { id: 'status', header: 'Status', render: (o) => <OrderStatusChip status={o.status} /> },
    {
      id: 'checklist',
      header: 'Checklist',
      hideBelow: 'md',
      render: (o) => {
        if (o.status === 'ordered' || o.status === 'scheduled') return '';
        if (o.status !== 'arrived') return o.checklist ? 'Done' : '';
        const gaps = checklistGaps(o, o.checklist);
        return gaps.length === 0 ? (
          'Complete'
        ) : (
          <Typography variant="body2" color="warning.dark">
            {`Needs: ${gaps.map((g) => checklistFieldLabels[g] ?? g).join(', ')}`}
          </Typography>
        );
      },
    },
    {
      id: 'actions',
      header: 'Actions',
      render: (o) => (
        <Box sx={{ display: 'flex', gap: 0.5, flexWrap: 'wrap' }}>
          {canArrive && (o.status === 'ordered' || o.status === 'scheduled') && (
            <Button
              size="small"
              variant="contained"
              onClick={() => act(o, 'arrive')}
              aria-label={`Arrived: ${o.patientName}, ${o.procedureName}`}
            >
              Arrived
            </Button>
          )}
          {perform && o.status === 'arrived' && (
            <Button
              size="small"
              variant="contained"
              onClick={() => act(o, 'start')}
              aria-label={`Start ${o.procedureName} of ${o.patientName}`}
            >
              Start
            </Button>
          )}
          {perform && o.status === 'in-progress' && (
            <Button
              size="small"
              variant="contained"
              color="success"
              onClick={() => act(o, 'complete')}
              aria-label={`Complete ${o.procedureName} of ${o.patientName}`}
            >
              Complete
            </Button>
          )}
          {(o.status === 'ordered' || o.status === 'scheduled') && (
            <Button
              size="small"
              onClick={() => setPreparing(o)}
              aria-label={`Preparation for ${o.patientName}`}
            >
              Preparation
            </Button>
          )}
          <ViewerLink url={o.viewerUrl} label={`Images of ${o.procedureName} of ${o.patientName}`} />
        </Box>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title="Radiology worklist"
        subtitle="The day's studies by modality and room, STAT first: arrival with the safety checklist, start, complete"
      />
      <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap', mb: 2 }}>
        <TextField
          select
          label="Modality"
          value={modality}
          onChange={(e) => setParam('modality', e.target.value || null)}
          sx={{ minWidth: 170 }}
          slotProps={{ inputLabel: { shrink: true }, select: { displayEmpty: true } }}
        >
          <MenuItem value="">All modalities</MenuItem>
          {radModalities.map((m) => (
            <MenuItem key={m} value={m}>
              {modalityLabels[m]}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          select
          label="Room"
          value={(rooms.data ?? []).some((r) => r.id === roomId) ? roomId : ''}
          onChange={(e) => setParam('roomId', e.target.value || null)}
          sx={{ minWidth: 200 }}
          slotProps={{ inputLabel: { shrink: true }, select: { displayEmpty: true } }}
        >
          <MenuItem value="">All rooms</MenuItem>
          {(rooms.data ?? []).map((r) => (
            <MenuItem key={r.id} value={r.id}>
              {r.name}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          type="date"
          label="Day"
          value={date}
          onChange={(e) => setParam('date', e.target.value || null)}
          slotProps={{ inputLabel: { shrink: true } }}
        />
        <TextField
          select
          label="Status"
          value={status}
          onChange={(e) => setParam('status', e.target.value || null)}
          sx={{ minWidth: 170 }}
          slotProps={{ inputLabel: { shrink: true }, select: { displayEmpty: true } }}
        >
          <MenuItem value="">All still to do</MenuItem>
          {statuses.map((s) => (
            <MenuItem key={s} value={s}>
              {orderStatusLabels[s]}
            </MenuItem>
          ))}
        </TextField>
      </Box>
      {done && (
        <Alert severity="success" role="status" sx={{ mb: 2 }} onClose={() => setDone(null)}>
          {done}
        </Alert>
      )}
      <ProblemAlert error={list.error} sx={{ mb: 2 }} />
      <DataTable
        label="Radiology worklist"
        columns={columns}
        rows={list.data ?? []}
        rowKey={(o) => o.id}
        loading={list.isLoading}
        emptyText={
          status
            ? `No study ${orderStatusLabels[status].toLowerCase()} that day.`
            : 'No study to do that day.'
        }
      />
      <ChecklistDialog
        order={acting && acting.step !== 'complete' ? acting.order : null}
        mode={acting?.step === 'start' ? 'start' : 'arrive'}
        onClose={() => setActing(null)}
        onDone={(o) => {
          setActing(null);
          setDone(
            o.status === 'arrived'
              ? `${o.patientName} arrived for ${o.procedureName}.`
              : `${o.procedureName} of ${o.patientName} started at ${formatDateTime(o.started?.at)}.`,
          );
        }}
      />
      <CompleteDialog
        order={acting?.step === 'complete' ? acting.order : null}
        onClose={() => setActing(null)}
        onDone={(o) => {
          setActing(null);
          setDone(`${o.procedureName} of ${o.patientName} completed: study ${o.studyInstanceUid ?? ''}.`);
        }}
      />
      <PreparationDialog order={preparing} onClose={() => setPreparing(null)} />
    </>
  );
}
