import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import FormControl from '@mui/material/FormControl';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormLabel from '@mui/material/FormLabel';
import MenuItem from '@mui/material/MenuItem';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import {
  type RadLaterality,
  type RadOrder,
  type RadPriority,
  type RadProcedure,
  radLateralities,
  radPriorities,
} from '@newhms/contracts';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useAuth } from '../../../app/auth/auth-context';
import { blankToNull, fieldErrorsFromProblem } from '../../../ui/form-validation';
import { formatDateTime } from '../../../ui/format';
import { OpenVisitSelect } from '../../../ui/open-visit-select';
import { PageHeader } from '../../../ui/page-header';
import { ProblemAlert } from '../../../ui/problem-alert';
import { Section } from '../../../ui/titled-section';
import { PatientPicker } from '../../opd';
import { BookDialog } from '../components/book-dialog';
import { PreparationDialog } from '../components/preparation-dialog';
import { ProcedurePicker } from '../components/procedure-picker';
import { usePlaceImagingOrder } from '../hooks/use-radiology';
import { lateralityLabels, modalityLabels, priorityLabels, procedureWithSide } from '../radiology-labels';

/**
 * The radiology counter (/radiology/walk-in): a patient, a procedure of the catalog with its preparation, the side
 * when it has one, priority and the clinical indication; the accession number, the preparation slip and a booking.
 */
export function RadiologyWalkInPage() {
  const { can } = useAuth();
  const [params, setParams] = useSearchParams();
  const patientId = params.get('patientId');
  const place = usePlaceImagingOrder();
  const priorityId = useId();
  const [encounterId, setEncounterId] = useState('');
  const [procedure, setProcedure] = useState<RadProcedure | null>(null);
  const [laterality, setLaterality] = useState<RadLaterality | ''>('');
  const [priority, setPriority] = useState<RadPriority>('routine');
  const [indication, setIndication] = useState('');
  const [note, setNote] = useState('');
  const [tried, setTried] = useState(false);
  const [placed, setPlaced] = useState<RadOrder | null>(null);
  const [preparing, setPreparing] = useState<RadOrder | null>(null);
  const [booking, setBooking] = useState<RadOrder | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new patient starts a new order
  useEffect(() => {
    setEncounterId('');
    setProcedure(null);
    setLaterality('');
    setPriority('routine');
    setIndication('');
    setNote('');
    setTried(false);
    setPlaced(null);
    place.reset();
  }, [patientId]);

  const server = fieldErrorsFromProblem(place.error);
  const missing = {
    procedure: !procedure,
    laterality: !!procedure?.lateralityRequired && !laterality,
    indication: !indication.trim(),
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (!patientId || !procedure || missing.laterality || missing.indication) return;
    place.mutate(
      {
        patientId,
        encounterId: encounterId || null,
        procedureCode: procedure.code,
        priority,
        clinicalIndication: indication.trim(),
        laterality: procedure.lateralityRequired && laterality ? laterality : null,
        note: blankToNull(note),
      },
      {
        onSuccess: (order) => {
          setPlaced(order);
          setProcedure(null);
          setLaterality('');
          setIndication('');
          setNote('');
          setPriority('routine');
          setTried(false);
        },
      },
    );
  };

  return (
    <>
      <PageHeader
        title="Radiology walk-in"
        subtitle="Imaging ordered at the radiology desk: the patient, the procedure and its preparation, the indication"
      />
      <Stack spacing={3}>
        <Section title="Patient">
          <Stack spacing={2}>
            <PatientPicker
              value={patientId}
              onChange={(id) => setParams(id ? { patientId: id } : {})}
              label="Find the patient"
            />
            {patientId && can('encounters:read') && (
              <OpenVisitSelect
                patientId={patientId}
                value={encounterId}
                onChange={setEncounterId}
                helperText="Optional: the open visit or stay the study belongs to (its bill); otherwise a walk-in"
              />
            )}
          </Stack>
        </Section>

        {placed && (
          <Alert
            severity="success"
            role="status"
            data-testid="walk-in-placed"
            action={
              <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap' }}>
                <Button color="inherit" onClick={() => setPreparing(placed)}>
                  Preparation
                </Button>
                {can('radiology:schedule') && (
                  <Button color="inherit" onClick={() => setBooking(placed)}>
                    Book now
                  </Button>
                )}
              </Box>
            }
          >
            <AlertTitle>{`Ordered: ${procedureWithSide(placed)}`}</AlertTitle>
            {`Accession ${placed.accession} for ${placed.patientName}.${placed.booking ? ` Booked ${formatDateTime(placed.booking.startsAt)} in ${placed.booking.roomName}.` : ''}`}
          </Alert>
        )}

        {patientId && (
          <Box component="form" onSubmit={submit} noValidate aria-label="Imaging order">
            <Section title="Study">
              <Stack spacing={2}>
                <ProcedurePicker
                  value={procedure}
                  onChange={(p) => {
                    setProcedure(p);
                    setLaterality('');
                  }}
                  error={
                    server.procedureCode ??
                    (tried && missing.procedure ? 'Choose a procedure of the catalog' : undefined)
                  }
                />
                {procedure && (
                  <Alert severity="info" icon={false} data-testid="procedure-preparation">
                    <AlertTitle>{`${modalityLabels[procedure.modality]} · ${procedure.durationMinutes} min${procedure.contrast === 'required' ? ' · with contrast' : procedure.contrast === 'optional' ? ' · contrast if needed' : ''}`}</AlertTitle>
                    {`Preparation: ${procedure.preparation ?? 'none'}`}
                  </Alert>
                )}
                {procedure?.lateralityRequired && (
                  <TextField
                    select
                    label="Side"
                    value={laterality}
                    onChange={(e) => setLaterality(e.target.value as RadLaterality)}
                    required
                    error={(tried && missing.laterality) || !!server.laterality}
                    helperText={server.laterality ?? (tried && missing.laterality ? 'Say which side' : ' ')}
                    sx={{ maxWidth: 240 }}
                  >
                    {radLateralities.map((l) => (
                      <MenuItem key={l} value={l}>
                        {lateralityLabels[l]}
                      </MenuItem>
                    ))}
                  </TextField>
                )}
                <FormControl>
                  <FormLabel id={priorityId}>Priority</FormLabel>
                  <RadioGroup
                    row
                    aria-labelledby={priorityId}
                    value={priority}
                    onChange={(e) => setPriority(e.target.value as RadPriority)}
                  >
                    {radPriorities.map((p) => (
                      <FormControlLabel key={p} value={p} control={<Radio />} label={priorityLabels[p]} />
                    ))}
                  </RadioGroup>
                </FormControl>
                <TextField
                  label="Clinical indication"
                  value={indication}
                  onChange={(e) => setIndication(e.target.value)}
                  required
                  multiline
                  minRows={2}
                  error={(tried && missing.indication) || !!server.clinicalIndication}
                  helperText={
                    server.clinicalIndication ??
                    (tried && missing.indication
                      ? 'Say why the study is done'
                      : 'Why the study is done: the question for the radiologist')
                  }
                  slotProps={{ htmlInput: { maxLength: 1000 } }}
                />
                <TextField
                  label="Note"
                  value={note}
                  onChange={(e) => setNote(e.target.value)}
                  helperText="Optional: for the radiographer (mobility, interpreter)"
                  slotProps={{ htmlInput: { maxLength: 500 } }}
                />
                <ProblemAlert error={place.error} />
                <Box>
                  <Button type="submit" variant="contained" disabled={place.isPending}>
                    Place order
                  </Button>
                </Box>
              </Stack>
            </Section>
          </Box>
        )}
        {!patientId && (
          <Typography color="text.secondary">
            Find the patient first; register them at the front desk if new.
          </Typography>
        )}
      </Stack>
      <PreparationDialog order={preparing} onClose={() => setPreparing(null)} />
      <BookDialog
        order={booking}
        onClose={() => setBooking(null)}
        onDone={(o) => {
          setBooking(null);
          setPlaced(o);
        }}
      />
    </>
  );
}
