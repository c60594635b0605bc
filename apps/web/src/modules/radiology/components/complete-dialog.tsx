import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { DicomUid, type RadDose, type RadOrder } from '@newhms/contracts';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { ApiError } from '../../../app/api-client';
import { blankToNull, fieldErrorsFromProblem } from '../../../ui/form-validation';
import { ProblemAlert } from '../../../ui/problem-alert';
import { useCompleteStudy } from '../hooks/use-radiology';
import { procedureWithSide } from '../radiology-labels';

type Props = { order: RadOrder | null; onClose: () => void; onDone: (order: RadOrder) => void };

type DoseField = keyof RadDose;
const doseFields: Record<DoseField, { label: string; max: number; step: number }> = {
  dapGyCm2: { label: 'Dose-area product (Gy·cm²)', max: 100_000, step: 0.01 },
  dlpMGyCm: { label: 'DLP (mGy·cm)', max: 100_000, step: 1 },
  ctdiVolMGy: { label: 'CTDIvol (mGy)', max: 10_000, step: 0.1 },
  fluoroscopySeconds: { label: 'Fluoroscopy time (s)', max: 36_000, step: 1 },
};
/** The dose each modality records (none for ultrasound and MR: no ionising radiation). */
const dosesOf: Record<RadOrder['modality'], DoseField[]> = {
  XR: ['dapGyCm2'],
  MG: ['dapGyCm2'],
  RF: ['dapGyCm2', 'fluoroscopySeconds'],
  CT: ['dlpMGyCm', 'ctdiVolMGy'],
  US: [],
  MR: [],
};

/**
 * Completes the study: the DICOM Study Instance UID from the modality (checked here as the server checks it: digits
 * and dots, no leading zeros, at most 64 characters; left empty, the server makes one under 2.25), the number of
 * images and the dose, all optional but the UID's format. A UID another study has is refused (409), said at it.
 */
export function CompleteDialog({ order, onClose, onDone }: Props) {
  const titleId = useId();
  const complete = useCompleteStudy();
  const [uid, setUid] = useState('');
  const [images, setImages] = useState('');
  const [dose, setDose] = useState<Partial<Record<DoseField, string>>>({});
  const [note, setNote] = useState('');
  const [tried, setTried] = useState(false);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new order starts empty
  useEffect(() => {
    setUid('');
    setImages('');
    setDose({});
    setNote('');
    setTried(false);
    complete.reset();
  }, [order?.id]);

  const uidCheck = uid.trim() ? DicomUid.safeParse(uid) : null;
  const uidError = uidCheck && !uidCheck.success ? uidCheck.error.issues[0]?.message : undefined;
  const imagesNumber = images.trim() === '' ? null : Number(images);
  const imagesError =
    imagesNumber !== null && (!Number.isInteger(imagesNumber) || imagesNumber < 0 || imagesNumber > 100_000)
      ? 'A whole number of images'
      : undefined;
  const server = fieldErrorsFromProblem(complete.error);
  const uidTaken =
    complete.error instanceof ApiError && complete.error.code === 'RAD_STUDY_UID_TAKEN'
      ? 'Another study has this UID: check the one the modality shows'
      : undefined;
  const fields = order ? dosesOf[order.modality] : [];

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (!order || uidError || imagesError) return;
    const given = Object.fromEntries(
      fields.filter((f) => (dose[f] ?? '').trim() !== '').map((f) => [f, Number(dose[f])]),
    ) as RadDose;
    complete.mutate(
      {
        id: order.id,
        ...(uid.trim() ? { studyInstanceUid: uid.trim() } : {}),
        numberOfImages: imagesNumber,
        dose: Object.keys(given).length > 0 ? given : null,
        note: blankToNull(note),
        version: order.version,
      },
      { onSuccess: onDone },
    );
  };

  return (
    <Dialog open={!!order} onClose={onClose} aria-labelledby={titleId} fullWidth maxWidth="sm">
      <form onSubmit={submit} noValidate>
        <DialogTitle id={titleId}>Complete study</DialogTitle>
        <DialogContent>
          {order && (
            <Stack spacing={2} sx={{ mt: 0.5 }}>
              <Typography>
                <strong>{procedureWithSide(order)}</strong>
                {` · ${order.patientName} · MRN ${order.mrn} · ${order.accession}`}
              </Typography>
              <TextField
                label="Study Instance UID"
                value={uid}
                onChange={(e) => setUid(e.target.value)}
                error={(tried && !!uidError) || !!server.studyInstanceUid || !!uidTaken}
                helperText={
                  (tried ? uidError : undefined) ??
                  server.studyInstanceUid ??
                  uidTaken ??
                  'From the modality (DICOM tag 0020,000D), e.g. 1.2.840.113619.2.55.3.4271045733; empty: one is made'
                }
                slotProps={{ htmlInput: { maxLength: 80, autoComplete: 'off', spellCheck: false } }}
              />
              <TextField
                label="Number of images"
                type="number"
                value={images}
                onChange={(e) => setImages(e.target.value)}
                error={(tried && !!imagesError) || !!server.numberOfImages}
                helperText={(tried ? imagesError : undefined) ?? server.numberOfImages ?? 'Optional'}
                slotProps={{ htmlInput: { min: 0, max: 100_000, step: 1 } }}
                sx={{ maxWidth: 220 }}
              />
              {fields.length > 0 && (
                <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap' }}>
                  {fields.map((f) => (
                    <TextField
                      key={f}
                      label={doseFields[f].label}
                      type="number"
                      value={dose[f] ?? ''}
                      onChange={(e) => setDose((d) => ({ ...d, [f]: e.target.value }))}
                      error={!!server[`dose.${f}`]}
                      helperText={server[`dose.${f}`] ?? 'Optional'}
                      slotProps={{ htmlInput: { min: 0, max: doseFields[f].max, step: doseFields[f].step } }}
                      sx={{ flex: '1 1 200px' }}
                    />
                  ))}
                </Box>
              )}
              <TextField
                label="Note"
                value={note}
                onChange={(e) => setNote(e.target.value)}
                multiline
                helperText="Optional: views taken, repeats, anything the radiologist should know"
                slotProps={{ htmlInput: { maxLength: 500 } }}
              />
              <ProblemAlert error={complete.error} />
            </Stack>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Back</Button>
          <Button type="submit" variant="contained" disabled={complete.isPending}>
            Complete study
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
