import QrCodeScanner from '@mui/icons-material/QrCodeScanner';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import InputAdornment from '@mui/material/InputAdornment';
import LinearProgress from '@mui/material/LinearProgress';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { LabRequest, LabSample, LabSampleLookup } from '@newhms/contracts';
import { type KeyboardEvent, type RefObject, useEffect, useRef, useState } from 'react';
import { ApiError } from '../../../app/api-client';
import { type Column, DataTable } from '../../../ui/data-table';
import { formatDateTime } from '../../../ui/format';
import { PageHeader } from '../../../ui/page-header';
import { ProblemAlert } from '../../../ui/problem-alert';
import { Section } from '../../../ui/titled-section';
import { usePatient } from '../../patients';
import { PriorityChip } from '../components/priority-chip';
import { RejectDialog } from '../components/reject-dialog';
import { useReceiveSample, useSampleByAccession } from '../hooks/use-laboratory';
import { rejectionReasonLabels, sampleStatusLabels, tubeLabel } from '../laboratory-labels';

/** A tube handled at this bench in this session, with its request as the server last returned it. */
type Handled = { accession: string; at: string; request: LabRequest };

const sampleIn = (h: Handled): LabSample | undefined =>
  h.request.samples.find((s) => s.accession === h.accession);

function PatientName({ patientId }: { patientId: string }) {
  const patient = usePatient(patientId);
  if (!patient.data) return <>…</>;
  return (
    <>
      <Typography component="span" sx={{ fontWeight: 600 }}>
        {patient.data.displayName}
      </Typography>
      <Typography variant="body2" color="text.secondary">{`MRN ${patient.data.mrn}`}</Typography>
    </>
  );
}

function SampleState({ handled }: { handled: Handled }) {
  const sample = sampleIn(handled);
  if (!sample) return null;
  if (sample.status === 'rejected') {
    const recollection = handled.request.samples.find((s) => s.id === sample.recollectionSampleId);
    return (
      <Box data-testid="rejected">
        <Typography component="span" color="error" sx={{ fontWeight: 700 }}>
          {`Rejected: ${sample.rejectionReason ? rejectionReasonLabels[sample.rejectionReason] : ''}`}
        </Typography>
        {sample.rejectionNote && <Typography variant="body2">{sample.rejectionNote}</Typography>}
        {recollection && (
          <Typography variant="body2" data-testid="recollection">
            {`Recollection requested: new tube ${recollection.accession} is on the collection list`}
          </Typography>
        )}
      </Box>
    );
  }
  return (
    <Typography component="span" sx={{ fontWeight: 600 }}>
      {sample.status === 'received' ? `Received ${formatDateTime(sample.receivedAt)}` : sample.status}
    </Typography>
  );
}

/** The scanned tube as the server knows it, with what reception may do with it. */
function ScannedTube({
  found,
  receiveRef,
  receiving,
  onReceive,
  onReject,
}: {
  found: LabSampleLookup;
  receiveRef: RefObject<HTMLButtonElement | null>;
  receiving: boolean;
  onReceive: () => void;
  onReject: () => void;
}) {
  const { sample, request } = found;
  const recollection = request.samples.find((s) => s.id === sample.recollectionSampleId);
  let state: string;
  if (sample.status === 'collected') {
    state = `Collected ${formatDateTime(sample.collectedAt)}${sample.collectedByName ? ` by ${sample.collectedByName}` : ''}: not received yet`;
  } else if (sample.status === 'received') {
    state = `Already received ${formatDateTime(sample.receivedAt)}${sample.receivedByName ? ` by ${sample.receivedByName}` : ''}`;
  } else if (sample.status === 'awaiting-collection') {
    state = 'Not collected yet: the tube must be marked collected before the lab receives it';
  } else if (sample.status === 'rejected') {
    state = `Rejected: ${sample.rejectionReason ? rejectionReasonLabels[sample.rejectionReason] : ''}${
      recollection ? `; new tube ${recollection.accession} asked for` : ''
    }`;
  } else {
    state = sampleStatusLabels[sample.status];
  }
  const testNames = request.results
    .filter((r) => r.sampleId === sample.id)
    .map((r) => r.testName)
    .join(', ');
  return (
    <Box data-testid="scanned-tube" sx={{ border: 1, borderColor: 'divider', borderRadius: 1, p: 2 }}>
      <Box sx={{ display: 'flex', gap: 1, alignItems: 'center', flexWrap: 'wrap' }}>
        <Typography component="span" sx={{ fontFamily: 'monospace', fontWeight: 700, fontSize: '1.25rem' }}>
          {sample.accession}
        </Typography>
        <PriorityChip priority={request.priority} />
      </Box>
      <Typography sx={{ fontWeight: 600, mt: 1 }}>
        {`${found.patientName} · MRN ${found.mrn}${found.age ? ` · ${found.age}` : ''}`}
      </Typography>
      <Typography>{`${request.display}${testNames && testNames !== request.display ? `: ${testNames}` : ''}`}</Typography>
      <Typography variant="body2" color="text.secondary">
        {tubeLabel(sample)}
      </Typography>
      <Typography
        data-testid="scanned-state"
        sx={{ mt: 1, fontWeight: 600 }}
        color={sample.status === 'rejected' ? 'error' : undefined}
      >
        {state}
      </Typography>
      <Box sx={{ display: 'flex', gap: 1, mt: 2, flexWrap: 'wrap' }}>
        {sample.status === 'collected' && (
          <Button ref={receiveRef} variant="contained" onClick={onReceive} disabled={receiving}>
            {`Receive ${sample.accession}`}
          </Button>
        )}
        {(sample.status === 'collected' || sample.status === 'received') && (
          <Button color="error" variant="outlined" onClick={onReject}>
            {`Reject ${sample.accession}`}
          </Button>
        )}
      </Box>
    </Box>
  );
}

/**
 * Sample reception (/laboratory/reception): scan (or type) the accession and press Enter: the tube is shown
 * (patient, tests, tube, where it stands) before anything is recorded; then receive it, or reject it (received
 * or not) with a reason.
 */
export function ReceptionPage() {
  const receive = useReceiveSample();
  const inputRef = useRef<HTMLInputElement>(null);
  const receiveRef = useRef<HTMLButtonElement>(null);
  const [accession, setAccession] = useState('');
  const [scanned, setScanned] = useState<string | null>(null);
  const lookup = useSampleByAccession(scanned);
  const [handled, setHandled] = useState<Handled[]>([]);
  const [last, setLast] = useState<string | null>(null);
  const [rejecting, setRejecting] = useState<LabSample | null>(null);

  const focusScan = () => {
    inputRef.current?.focus();
    inputRef.current?.select();
  };

  // A tube that can be received: the button has the focus, so Enter receives it.
  const found = lookup.data && lookup.data.sample.accession === scanned ? lookup.data : null;
  const foundId = found?.sample.id;
  const foundStatus = found?.sample.status;
  useEffect(() => {
    if (foundId && foundStatus === 'collected') receiveRef.current?.focus();
  }, [foundId, foundStatus]);

  const update = (request: LabRequest, accessionOf: string) =>
    setHandled((list) => {
      const rest = list.filter((h) => h.accession !== accessionOf);
      const before = list.find((h) => h.accession === accessionOf);
      return [{ accession: accessionOf, at: before?.at ?? new Date().toISOString(), request }, ...rest];
    });

  const scan = () => {
    const code = accession.trim().toUpperCase();
    if (!code) return;
    setLast(null);
    receive.reset();
    if (code === scanned) void lookup.refetch();
    else setScanned(code);
  };

  const receiveFound = () => {
    if (!found || receive.isPending) return;
    const code = found.sample.accession;
    receive.mutate(code, {
      onSuccess: (request) => {
        update(request, code);
        setLast(`${code} received: ${request.display}`);
        setAccession('');
        setScanned(null);
        focusScan();
      },
    });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      scan();
    }
  };

  const columns: Column<Handled>[] = [
    {
      id: 'accession',
      header: 'Accession',
      render: (h) => (
        <Typography component="span" sx={{ fontFamily: 'monospace', fontWeight: 700 }}>
          {h.accession}
        </Typography>
      ),
    },
    { id: 'patient', header: 'Patient', render: (h) => <PatientName patientId={h.request.patientId} /> },
    {
      id: 'tests',
      header: 'Tests',
      render: (h) => {
        const s = sampleIn(h);
        return (
          <>
            {h.request.display}
            <Typography variant="body2" color="text.secondary">
              {s ? tubeLabel(s) : ''}
            </Typography>
          </>
        );
      },
    },
    {
      id: 'priority',
      header: 'Priority',
      render: (h) => <PriorityChip priority={h.request.priority} />,
      hideBelow: 'sm',
    },
    { id: 'state', header: 'Status', render: (h) => <SampleState handled={h} /> },
    {
      id: 'actions',
      header: 'Actions',
      render: (h) => {
        const s = sampleIn(h);
        return s && (s.status === 'received' || s.status === 'collected') ? (
          <Button
            size="small"
            color="error"
            variant="outlined"
            aria-label={`Reject ${h.accession}`}
            onClick={() => setRejecting(s)}
          >
            Reject
          </Button>
        ) : null;
      },
    },
  ];

  const notFound = lookup.error instanceof ApiError && lookup.error.status === 404;
  return (
    <>
      <PageHeader
        title="Sample reception"
        subtitle="Scan the tube's barcode (or type the accession number) and press Enter: check the tube, then receive or reject it"
      />
      <Stack spacing={2}>
        <Section title="Scan">
          <TextField
            inputRef={inputRef}
            label="Accession number"
            value={accession}
            onChange={(e) => setAccession(e.target.value)}
            onKeyDown={onKeyDown}
            autoFocus
            fullWidth
            helperText="The scanner types the number and Enter; the tube is shown before it is received"
            slotProps={{
              htmlInput: {
                autoComplete: 'off',
                spellCheck: false,
                maxLength: 40,
                style: { fontFamily: 'monospace', fontSize: '1.25rem' },
              },
              input: {
                startAdornment: (
                  <InputAdornment position="start">
                    <QrCodeScanner aria-hidden="true" />
                  </InputAdornment>
                ),
              },
            }}
          />
          <Box sx={{ mt: 1 }} aria-live="polite">
            {last && (
              <Alert severity="success" data-testid="received-message">
                {last}
              </Alert>
            )}
          </Box>
          {lookup.isFetching && !found && <LinearProgress aria-label="Looking the tube up" sx={{ mt: 1 }} />}
          <ProblemAlert error={lookup.error} sx={{ mt: 1 }} />
          {notFound && (
            <Typography variant="body2" sx={{ mt: 1 }}>
              Check the number on the label; a tube of another facility is not found here.
            </Typography>
          )}
          <ProblemAlert
            error={receive.error}
            titles={{
              LAB_SAMPLE_ALREADY_RECEIVED: `${scanned ?? ''} is already in the lab`,
              LAB_SAMPLE_NOT_COLLECTED: `${scanned ?? ''} has not been collected`,
            }}
            sx={{ mt: 1 }}
          />
          <Box sx={{ mt: found ? 2 : 0 }} aria-live="polite">
            {found && (
              <ScannedTube
                found={found}
                receiveRef={receiveRef}
                receiving={receive.isPending}
                onReceive={receiveFound}
                onReject={() => setRejecting(found.sample)}
              />
            )}
          </Box>
        </Section>
        <Section title="Handled in this session">
          <DataTable
            label="Tubes handled"
            columns={columns}
            rows={handled}
            rowKey={(h) => h.accession}
            emptyText="No tube received or rejected yet"
          />
        </Section>
      </Stack>
      <RejectDialog
        sample={rejecting}
        // The dialog hands the focus back when it has gone: then the scan field takes it for the next tube.
        onExited={focusScan}
        onClose={() => {
          setRejecting(null);
          focusScan();
        }}
        onRejected={(request) => {
          if (rejecting) update(request, rejecting.accession);
          if (rejecting && rejecting.accession === scanned) {
            setScanned(null);
            setAccession('');
          }
          setRejecting(null);
          focusScan();
        }}
      />
    </>
  );
}
