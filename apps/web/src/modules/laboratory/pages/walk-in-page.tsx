import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import FormControl from '@mui/material/FormControl';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormLabel from '@mui/material/FormLabel';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { type LabPriority, type LabRequest, type LabSample, labPriorities } from '@newhms/contracts';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useAuth } from '../../../app/auth/auth-context';
import { type Column, DataTable } from '../../../ui/data-table';
import { blankToNull, fieldErrorsFromProblem } from '../../../ui/form-validation';
import { OpenVisitSelect } from '../../../ui/open-visit-select';
import { PageHeader } from '../../../ui/page-header';
import { ProblemAlert } from '../../../ui/problem-alert';
import { Section } from '../../../ui/titled-section';
import { PatientPicker } from '../../opd';
import { usePatient } from '../../patients';
import { CollectDialog } from '../components/collect-dialog';
import { LabTestPicker, type Orderable } from '../components/lab-test-picker';
import { PrintLabelButton } from '../components/print-label-button';
import { usePlaceWalkIn } from '../hooks/use-laboratory';
import { priorityLabels, sampleStatusLabels, tubeLabel } from '../laboratory-labels';

type Tube = { request: LabRequest; sample: LabSample };

/** The lab counter (/laboratory/walk-in): a patient, tests and panels from the catalog, priority; the tubes to draw. */
export function WalkInPage() {
  const { can } = useAuth();
  const [params, setParams] = useSearchParams();
  const patientId = params.get('patientId');
  const patient = usePatient(patientId);
  const place = usePlaceWalkIn();
  const priorityId = useId();
  const pickerRef = useRef<HTMLInputElement>(null);
  const [encounterId, setEncounterId] = useState('');
  const [tests, setTests] = useState<Orderable[]>([]);
  const [priority, setPriority] = useState<LabPriority>('routine');
  const [note, setNote] = useState('');
  const [tried, setTried] = useState(false);
  const [placed, setPlaced] = useState<LabRequest[]>([]);
  const [collecting, setCollecting] = useState<LabSample | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new patient starts a new order
  useEffect(() => {
    setEncounterId('');
    setTests([]);
    setPriority('routine');
    setNote('');
    setTried(false);
    setPlaced([]);
    place.reset();
  }, [patientId]);

  const add = (item: Orderable | null) => {
    if (!item) return;
    setTests((list) => (list.some((t) => t.code === item.code) ? list : [...list, item]));
    pickerRef.current?.focus();
  };

  const serverErrors = fieldErrorsFromProblem(place.error);
  const unknown = tests.filter((_, i) => serverErrors[`tests.${i}`]).map((t) => t.code);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (!patientId || tests.length === 0) return;
    place.mutate(
      {
        patientId,
        encounterId: encounterId || null,
        tests: tests.map((t) => t.code),
        priority,
        note: blankToNull(note),
      },
      {
        onSuccess: (requests) => {
          setPlaced(requests);
          setTests([]);
          setNote('');
          setTried(false);
        },
      },
    );
  };

  // Refreshed from the requests as the server returned them; a collected tube says so.
  const tubes: Tube[] = placed.flatMap((request) => request.samples.map((sample) => ({ request, sample })));
  const [collected, setCollected] = useState<Set<string>>(new Set());
  const tubeColumns: Column<Tube>[] = [
    {
      id: 'accession',
      header: 'Accession',
      render: (t) => (
        <Typography component="span" sx={{ fontFamily: 'monospace', fontWeight: 700 }}>
          {t.sample.accession}
        </Typography>
      ),
    },
    { id: 'tube', header: 'Tube', render: (t) => tubeLabel(t.sample) },
    {
      id: 'tests',
      header: 'Tests',
      render: (t) => (
        <>
          {t.request.display}
          <Typography variant="body2" color="text.secondary">
            {t.sample.testCodes.join(', ')}
          </Typography>
        </>
      ),
    },
    {
      id: 'status',
      header: 'Status',
      render: (t) => (collected.has(t.sample.id) ? 'Collected' : sampleStatusLabels[t.sample.status]),
    },
  ];
  if (can('laboratory:collect')) {
    tubeColumns.push({
      id: 'actions',
      header: 'Actions',
      render: (t) => (
        <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap' }}>
          <PrintLabelButton sampleId={t.sample.id} accession={t.sample.accession} />
          {!collected.has(t.sample.id) && t.sample.status === 'awaiting-collection' && (
            <Button
              size="small"
              variant="contained"
              onClick={() => setCollecting(t.sample)}
              aria-label={`Collected ${t.sample.accession}`}
            >
              Collected
            </Button>
          )}
        </Box>
      ),
    });
  }

  return (
    <>
      <PageHeader
        title="Lab walk-in"
        subtitle="Tests ordered at the laboratory counter: the patient, the tests, the tubes to draw"
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
                helperText="Optional: the open visit or stay the tests belong to; otherwise a walk-in"
              />
            )}
          </Stack>
        </Section>

        {patientId && (
          <Box component="form" onSubmit={submit} noValidate aria-label="Laboratory order">
            <Section title="Tests">
              <Stack spacing={2}>
                {/* The catalog is read by whoever orders (laboratory:order or laboratory:catalog). */}
                <LabTestPicker
                  value={null}
                  onChange={add}
                  clearOnPick
                  inputRef={pickerRef}
                  label="Add a test or panel"
                />
                <Box
                  component="ul"
                  aria-label="Tests to order"
                  sx={{ display: 'flex', gap: 1, flexWrap: 'wrap', listStyle: 'none', m: 0, p: 0 }}
                >
                  {tests.map((t) => (
                    <li key={t.code}>
                      <Chip
                        label={t.name === t.code ? t.code : `${t.name} (${t.code})`}
                        color={unknown.includes(t.code) ? 'error' : 'primary'}
                        variant="outlined"
                        onDelete={() => setTests((list) => list.filter((x) => x.code !== t.code))}
                      />
                    </li>
                  ))}
                </Box>
                {tried && tests.length === 0 && (
                  <Typography color="error" role="alert">
                    Add at least one test or panel.
                  </Typography>
                )}
                <FormControl>
                  <FormLabel id={priorityId}>Priority</FormLabel>
                  <RadioGroup
                    row
                    aria-labelledby={priorityId}
                    value={priority}
                    onChange={(e) => setPriority(e.target.value as LabPriority)}
                  >
                    {labPriorities.map((p) => (
                      <FormControlLabel key={p} value={p} control={<Radio />} label={priorityLabels[p]} />
                    ))}
                  </RadioGroup>
                </FormControl>
                <TextField
                  label="Note"
                  value={note}
                  onChange={(e) => setNote(e.target.value)}
                  multiline
                  minRows={2}
                  helperText="For the laboratory: fasting, clinical details"
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

        {placed.length > 0 && (
          <Section title="Tubes to draw" testId="walk-in-tubes">
            <Alert severity="success" role="status" sx={{ mb: 2 }}>
              {`Ordered for ${patient.data?.displayName ?? 'the patient'}: ${placed.map((r) => r.display).join(', ')}. Print a label for each tube.`}
            </Alert>
            <DataTable label="Tubes to draw" columns={tubeColumns} rows={tubes} rowKey={(t) => t.sample.id} />
          </Section>
        )}
      </Stack>
      <CollectDialog
        sample={collecting}
        patientName={patient.data?.displayName}
        onClose={() => setCollecting(null)}
        onCollected={() => collecting && setCollected((s) => new Set(s).add(collecting.id))}
      />
    </>
  );
}
