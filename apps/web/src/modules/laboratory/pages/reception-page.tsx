import QrCodeScanner from '@mui/icons-material/QrCodeScanner';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import InputAdornment from '@mui/material/InputAdornment';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { LabRequest, LabSample } from '@newhms/contracts';
import { type KeyboardEvent, useRef, useState } from 'react';
import { ApiError } from '../../../app/api-client';
import { type Column, DataTable } from '../../../ui/data-table';
import { formatDateTime } from '../../../ui/format';
import { PageHeader } from '../../../ui/page-header';
import { ProblemAlert } from '../../../ui/problem-alert';
import { Section } from '../../../ui/titled-section';
import { usePatient } from '../../patients';
import { PriorityChip } from '../components/priority-chip';
import { RejectDialog } from '../components/reject-dialog';
import { useReceiveSample } from '../hooks/use-laboratory';
import { rejectionReasonLabels, tubeLabel } from '../laboratory-labels';

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

/** Sample reception (/laboratory/reception): scan (or type) the accession and press Enter; reject with a reason. */
export function ReceptionPage() {
  const receive = useReceiveSample();
  const inputRef = useRef<HTMLInputElement>(null);
  const [accession, setAccession] = useState('');
  const [handled, setHandled] = useState<Handled[]>([]);
  const [last, setLast] = useState<string | null>(null);
  const [rejecting, setRejecting] = useState<LabSample | null>(null);
  const [failedAccession, setFailedAccession] = useState('');

  const focusScan = () => {
    inputRef.current?.focus();
    inputRef.current?.select();
  };

  const update = (request: LabRequest, accessionOf: string) =>
    setHandled((list) => {
      const rest = list.filter((h) => h.accession !== accessionOf);
      const before = list.find((h) => h.accession === accessionOf);
      return [{ accession: accessionOf, at: before?.at ?? new Date().toISOString(), request }, ...rest];
    });

  const scan = () => {
    const code = accession.trim().toUpperCase();
    if (!code || receive.isPending) return;
    setLast(null);
    receive.mutate(code, {
      onSuccess: (request) => {
        update(request, code);
        setLast(`${code} received: ${request.display}`);
        setAccession('');
        setFailedAccession('');
        focusScan();
      },
      onError: () => {
        setFailedAccession(code);
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

  const notFound = receive.error instanceof ApiError && receive.error.status === 404;
  return (
    <>
      <PageHeader
        title="Sample reception"
        subtitle="Scan the tube's barcode (or type the accession number) and press Enter to receive it"
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
            helperText="The scanner types the number and Enter; the field is ready for the next tube"
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
          <ProblemAlert
            error={receive.error}
            titles={{
              LAB_SAMPLE_ALREADY_RECEIVED: `${failedAccession} is already in the lab`,
              LAB_SAMPLE_NOT_COLLECTED: `${failedAccession} has not been collected`,
            }}
            sx={{ mt: 1 }}
          />
          {notFound && (
            <Typography variant="body2" sx={{ mt: 1 }}>
              Check the number on the label; a tube of another facility is not found here.
            </Typography>
          )}
        </Section>
        <Section title="Received in this session">
          <DataTable
            label="Tubes handled"
            columns={columns}
            rows={handled}
            rowKey={(h) => h.accession}
            emptyText="No tube scanned yet"
          />
        </Section>
      </Stack>
      <RejectDialog
        sample={rejecting}
        onClose={() => {
          setRejecting(null);
          focusScan();
        }}
        onRejected={(request) => {
          if (rejecting) update(request, rejecting.accession);
          setRejecting(null);
          focusScan();
        }}
      />
    </>
  );
}
