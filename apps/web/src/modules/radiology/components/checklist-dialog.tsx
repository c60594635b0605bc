import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import FormControl from '@mui/material/FormControl';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormHelperText from '@mui/material/FormHelperText';
import FormLabel from '@mui/material/FormLabel';
import MenuItem from '@mui/material/MenuItem';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import {
  type RadChecklist,
  type RadLaterality,
  type RadOrder,
  radLateralities,
  radPregnancyStatuses,
} from '@newhms/contracts';
import { type FormEvent, type ReactNode, useEffect, useId, useState } from 'react';
import { fieldErrorsFromProblem } from '../../../ui/form-validation';
import { ProblemAlert } from '../../../ui/problem-alert';
import { useArrive, useRadProcedure, useRadRooms, useStartStudy } from '../hooks/use-radiology';
import { lateralityLabels, pregnancyLabels, procedureWithSide } from '../radiology-labels';
import { asksPregnancy, checklistFieldLabels, checklistGaps, contrastGiven } from '../safety-checklist';

type Mode = 'arrive' | 'start';
type Props = { order: RadOrder | null; mode: Mode; onClose: () => void; onDone: (order: RadOrder) => void };

const mriItems = [
  ['pacemakerOrDefibrillator', 'Pacemaker or defibrillator'],
  ['cochlearImplant', 'Cochlear implant'],
  ['aneurysmClip', 'Aneurysm clip'],
  ['neurostimulator', 'Neurostimulator'],
  ['metalForeignBody', 'Metal fragments (eye, body)'],
  ['otherImplant', 'Other implant or device'],
] as const;
type MriItem = (typeof mriItems)[number][0];

const stepTitles = {
  RAD_CHECKLIST_INCOMPLETE: 'The safety checklist is not complete',
  STALE_VERSION: 'Changed by someone else',
};

type Form = {
  identityConfirmed: boolean;
  pregnancyStatus: string;
  lastMenstrualPeriod: string;
  pregnancyJustification: string;
  contrastPlanned: '' | 'yes' | 'no';
  contrastAllergy: '' | 'yes' | 'no';
  contrastAllergyNote: string;
  egfr: string;
  creatinineMgDl: string;
  renalTestDate: string;
  mri: Record<MriItem, '' | 'yes' | 'no'>;
  mriNote: string;
  note: string;
};

const yesNo = (v: boolean | null | undefined): '' | 'yes' | 'no' =>
  v === true ? 'yes' : v === false ? 'no' : '';

function formOf(c: RadChecklist | null): Form {
  const s = c?.mriScreening;
  return {
    identityConfirmed: c?.identityConfirmed === true,
    pregnancyStatus: c?.pregnancyStatus ?? '',
    lastMenstrualPeriod: c?.lastMenstrualPeriod ?? '',
    pregnancyJustification: c?.pregnancyJustification ?? '',
    contrastPlanned: yesNo(c?.contrastPlanned),
    contrastAllergy: yesNo(c?.contrastAllergy),
    contrastAllergyNote: c?.contrastAllergyNote ?? '',
    egfr: c?.egfr != null ? String(c.egfr) : '',
    creatinineMgDl: c?.creatinineMgDl != null ? String(c.creatinineMgDl) : '',
    renalTestDate: c?.renalTestDate ?? '',
    mri: Object.fromEntries(mriItems.map(([k]) => [k, yesNo(s?.[k])])) as Form['mri'],
    mriNote: s?.note ?? '',
    note: c?.note ?? '',
  };
}

const numberOrUndefined = (s: string) => (s.trim() === '' || Number.isNaN(Number(s)) ? undefined : Number(s));
const textOrUndefined = (s: string) => (s.trim() === '' ? undefined : s.trim());

/** The checklist as the server takes it: only what was answered (the start lays it over the arrival's). */
function checklistOf(f: Form, order: RadOrder): RadChecklist {
  const allMri = mriItems.every(([k]) => f.mri[k] !== '');
  return {
    identityConfirmed: f.identityConfirmed,
    ...(f.pregnancyStatus ? { pregnancyStatus: f.pregnancyStatus as RadChecklist['pregnancyStatus'] } : {}),
    ...(f.lastMenstrualPeriod ? { lastMenstrualPeriod: f.lastMenstrualPeriod } : {}),
    ...(textOrUndefined(f.pregnancyJustification)
      ? { pregnancyJustification: f.pregnancyJustification.trim() }
      : {}),
    ...(order.contrast === 'optional' && f.contrastPlanned
      ? { contrastPlanned: f.contrastPlanned === 'yes' }
      : {}),
    ...(f.contrastAllergy ? { contrastAllergy: f.contrastAllergy === 'yes' } : {}),
    ...(textOrUndefined(f.contrastAllergyNote) ? { contrastAllergyNote: f.contrastAllergyNote.trim() } : {}),
    ...(numberOrUndefined(f.egfr) !== undefined ? { egfr: numberOrUndefined(f.egfr) } : {}),
    ...(numberOrUndefined(f.creatinineMgDl) !== undefined
      ? { creatinineMgDl: numberOrUndefined(f.creatinineMgDl) }
      : {}),
    ...(f.renalTestDate ? { renalTestDate: f.renalTestDate } : {}),
    ...(order.modality === 'MR' && allMri
      ? {
          mriScreening: {
            ...(Object.fromEntries(mriItems.map(([k]) => [k, f.mri[k] === 'yes'])) as Record<
              MriItem,
              boolean
            >),
            note: textOrUndefined(f.mriNote) ?? null,
          },
        }
      : {}),
    ...(textOrUndefined(f.note) ? { note: f.note.trim() } : {}),
  };
}

function YesNo(props: {
  label: ReactNode;
  value: '' | 'yes' | 'no';
  onChange: (v: 'yes' | 'no') => void;
  error?: string;
  helper?: string;
  testId?: string;
}) {
  const labelId = useId();
  return (
    <FormControl error={!!props.error} data-testid={props.testId}>
      <FormLabel id={labelId}>{props.label}</FormLabel>
      <RadioGroup
        row
        aria-labelledby={labelId}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value as 'yes' | 'no')}
      >
        <FormControlLabel value="yes" control={<Radio />} label="Yes" />
        <FormControlLabel value="no" control={<Radio />} label="No" />
      </RadioGroup>
      {(props.error || props.helper) && <FormHelperText>{props.error ?? props.helper}</FormHelperText>}
    </FormControl>
  );
}

/**
 * The safety checklist at arrival and at the start of the study. Only the questions this procedure and this patient
 * need are asked: identity always; pregnancy for a woman aged 12-50 before an ionising study; contrast decision,
 * previous reaction and renal function when contrast is given; the MR safety screening. What is still missing is
 * listed; the server's 422 at the start names each missing field, shown at that field.
 */
export function ChecklistDialog({ order, mode, onClose, onDone }: Props) {
  const titleId = useId();
  const pregnancyId = useId();
  const arrive = useArrive();
  const start = useStartStudy();
  const step = mode === 'arrive' ? arrive : start;
  const procedure = useRadProcedure(order?.procedureCode);
  const rooms = useRadRooms({ modality: order?.modality ?? '' });
  const [form, setForm] = useState<Form>(formOf(null));
  const [laterality, setLaterality] = useState<RadLaterality | ''>('');
  const [roomId, setRoomId] = useState('');

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new order (or step) starts from what is recorded
  useEffect(() => {
    if (!order) return;
    setForm(formOf(order.checklist));
    setLaterality(order.laterality ?? '');
    setRoomId('');
    arrive.reset();
    start.reset();
  }, [order?.id, mode]);

  if (!order) return <Dialog open={false} onClose={onClose} />;

  const set = <K extends keyof Form>(key: K, value: Form[K]) => setForm((f) => ({ ...f, [key]: value }));
  const errors = fieldErrorsFromProblem(step.error);
  const checklist = checklistOf(form, order);
  const needsSide = !!procedure.data?.lateralityRequired && !order.laterality;
  const gaps = [...(needsSide && !laterality ? ['laterality'] : []), ...checklistGaps(order, checklist)];
  const pregnancy = asksPregnancy(order);
  const given = contrastGiven(order, checklist);
  const iv = order.contrastRoute === 'iv';
  const needsRoom = mode === 'start' && !order.booking;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body = {
      id: order.id,
      checklist,
      ...(needsSide && laterality ? { laterality } : {}),
      version: order.version,
    };
    if (mode === 'arrive') arrive.mutate(body, { onSuccess: onDone });
    else start.mutate({ ...body, ...(roomId ? { roomId } : {}) }, { onSuccess: onDone });
  };

  return (
    <Dialog open onClose={onClose} aria-labelledby={titleId} fullWidth maxWidth="md">
      <form onSubmit={submit} noValidate aria-label="Safety checklist">
        <DialogTitle id={titleId}>{mode === 'arrive' ? 'Patient arrived' : 'Start study'}</DialogTitle>
        <DialogContent>
          <Stack spacing={2.5}>
            <Typography>
              <strong>{procedureWithSide(order)}</strong>
              {` · ${order.patientName} · MRN ${order.mrn}${order.age ? ` · ${order.age}` : ''} · ${order.sex} · ${order.accession}`}
            </Typography>
            {needsSide && (
              <TextField
                select
                label="Side"
                value={laterality}
                onChange={(e) => setLaterality(e.target.value as RadLaterality)}
                required
                error={!!errors.laterality}
                helperText={errors.laterality ?? 'The order does not say which side'}
                sx={{ maxWidth: 240 }}
              >
                {radLateralities.map((l) => (
                  <MenuItem key={l} value={l}>
                    {lateralityLabels[l]}
                  </MenuItem>
                ))}
              </TextField>
            )}
            {needsRoom && (
              <TextField
                select
                label="Room"
                value={roomId}
                onChange={(e) => setRoomId(e.target.value)}
                required
                error={!!errors.roomId}
                helperText={errors.roomId ?? 'The study was not booked: say where it is done'}
                sx={{ maxWidth: 360 }}
              >
                {(rooms.data ?? []).map((r) => (
                  <MenuItem key={r.id} value={r.id}>
                    {r.name}
                  </MenuItem>
                ))}
              </TextField>
            )}
            <FormControl error={!!errors['checklist.identityConfirmed']}>
              <FormControlLabel
                control={
                  <Checkbox
                    checked={form.identityConfirmed}
                    onChange={(e) => set('identityConfirmed', e.target.checked)}
                  />
                }
                label="Identity confirmed: two identifiers (name and MRN or date of birth) match the request"
              />
              {errors['checklist.identityConfirmed'] && (
                <FormHelperText>{errors['checklist.identityConfirmed']}</FormHelperText>
              )}
            </FormControl>

            {pregnancy && (
              <Box>
                <FormControl error={!!errors['checklist.pregnancyStatus']} data-testid="pregnancy-status">
                  <FormLabel id={pregnancyId}>Pregnancy status</FormLabel>
                  <RadioGroup
                    aria-labelledby={pregnancyId}
                    value={form.pregnancyStatus}
                    onChange={(e) => set('pregnancyStatus', e.target.value)}
                  >
                    {radPregnancyStatuses.map((s) => (
                      <FormControlLabel key={s} value={s} control={<Radio />} label={pregnancyLabels[s]} />
                    ))}
                  </RadioGroup>
                  <FormHelperText>
                    {errors['checklist.pregnancyStatus'] ??
                      'Asked of every woman aged 12 to 50 before an X-ray, CT, fluoroscopy or mammography'}
                  </FormHelperText>
                </FormControl>
                <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap', mt: 1 }}>
                  <TextField
                    label="Last menstrual period"
                    type="date"
                    value={form.lastMenstrualPeriod}
                    onChange={(e) => set('lastMenstrualPeriod', e.target.value)}
                    slotProps={{ inputLabel: { shrink: true } }}
                    error={!!errors['checklist.lastMenstrualPeriod']}
                    helperText={errors['checklist.lastMenstrualPeriod'] ?? 'Optional'}
                  />
                  {(form.pregnancyStatus === 'pregnant' || form.pregnancyStatus === 'possibly-pregnant') && (
                    <TextField
                      label="Radiologist's justification"
                      value={form.pregnancyJustification}
                      onChange={(e) => set('pregnancyJustification', e.target.value)}
                      required
                      multiline
                      sx={{ flex: '1 1 320px' }}
                      error={!!errors['checklist.pregnancyJustification']}
                      helperText={
                        errors['checklist.pregnancyJustification'] ??
                        'Who justified the exposure, and why (ICRP 84); shielding used'
                      }
                      slotProps={{ htmlInput: { maxLength: 500 } }}
                    />
                  )}
                </Box>
              </Box>
            )}

            {order.contrast === 'optional' && (
              <YesNo
                label="Will contrast be given?"
                value={form.contrastPlanned}
                onChange={(v) => set('contrastPlanned', v)}
                error={errors['checklist.contrastPlanned']}
                testId="contrast-planned"
              />
            )}
            {given && (
              <Box>
                <YesNo
                  label="Any previous reaction to contrast (or iodine allergy)?"
                  value={form.contrastAllergy}
                  onChange={(v) => set('contrastAllergy', v)}
                  error={errors['checklist.contrastAllergy']}
                  testId="contrast-allergy"
                />
                {form.contrastAllergy === 'yes' && (
                  <TextField
                    label="Reaction and plan"
                    value={form.contrastAllergyNote}
                    onChange={(e) => set('contrastAllergyNote', e.target.value)}
                    required
                    fullWidth
                    multiline
                    sx={{ mt: 1 }}
                    error={!!errors['checklist.contrastAllergyNote']}
                    helperText={
                      errors['checklist.contrastAllergyNote'] ??
                      'The reaction, and the plan: premedication or a study without contrast'
                    }
                    slotProps={{ htmlInput: { maxLength: 500 } }}
                  />
                )}
                {iv && (
                  <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap', mt: 2 }}>
                    <TextField
                      label="eGFR (mL/min/1.73 m²)"
                      type="number"
                      value={form.egfr}
                      onChange={(e) => set('egfr', e.target.value)}
                      error={!!errors['checklist.egfr']}
                      helperText={errors['checklist.egfr'] ?? 'Or the serum creatinine'}
                      slotProps={{ htmlInput: { min: 0, max: 300, step: 1 } }}
                      sx={{ flex: '1 1 220px' }}
                    />
                    <TextField
                      label="Serum creatinine (mg/dL)"
                      type="number"
                      value={form.creatinineMgDl}
                      onChange={(e) => set('creatinineMgDl', e.target.value)}
                      error={!!errors['checklist.creatinineMgDl']}
                      helperText={errors['checklist.creatinineMgDl'] ?? ' '}
                      slotProps={{ htmlInput: { min: 0, max: 30, step: 0.1 } }}
                      sx={{ flex: '1 1 200px' }}
                    />
                    <TextField
                      label="Test date"
                      type="date"
                      value={form.renalTestDate}
                      onChange={(e) => set('renalTestDate', e.target.value)}
                      slotProps={{ inputLabel: { shrink: true } }}
                      helperText=" "
                    />
                  </Box>
                )}
              </Box>
            )}

            {order.modality === 'MR' && (
              <FormControl
                component="fieldset"
                error={!!errors['checklist.mriScreening'] || !!errors['checklist.mriScreening.note']}
                data-testid="mri-screening"
              >
                <FormLabel component="legend">MR safety screening</FormLabel>
                {mriItems.map(([key, label]) => (
                  <YesNo
                    key={key}
                    label={label}
                    value={form.mri[key]}
                    onChange={(v) => set('mri', { ...form.mri, [key]: v })}
                  />
                ))}
                <TextField
                  label="Device and how it was cleared"
                  value={form.mriNote}
                  onChange={(e) => set('mriNote', e.target.value)}
                  multiline
                  sx={{ mt: 1 }}
                  error={!!errors['checklist.mriScreening.note']}
                  helperText={
                    errors['checklist.mriScreening.note'] ??
                    'Needed for any "yes": the device is MR-conditional, and how'
                  }
                  slotProps={{ htmlInput: { maxLength: 500 } }}
                />
                {errors['checklist.mriScreening'] && (
                  <FormHelperText>{errors['checklist.mriScreening']}</FormHelperText>
                )}
              </FormControl>
            )}

            <TextField
              label="Note"
              value={form.note}
              onChange={(e) => set('note', e.target.value)}
              multiline
              helperText="Optional"
              slotProps={{ htmlInput: { maxLength: 500 } }}
            />
            {gaps.length > 0 ? (
              <Alert severity="info" data-testid="checklist-gaps">
                {`Still needed before the study starts: ${gaps.map((g) => checklistFieldLabels[g] ?? g).join(', ')}.`}
              </Alert>
            ) : (
              <Alert severity="success" data-testid="checklist-gaps">
                The checklist is complete for this study.
              </Alert>
            )}
            <ProblemAlert error={step.error} titles={stepTitles} />
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Back</Button>
          <Button type="submit" variant="contained" disabled={step.isPending}>
            {mode === 'arrive' ? 'Record arrival' : 'Start study'}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
