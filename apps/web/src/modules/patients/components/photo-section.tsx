import PhotoCamera from '@mui/icons-material/PhotoCamera';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import type { Patient } from '@newhms/contracts';
import { type ChangeEvent, useState } from 'react';
import { ProblemAlert } from '../../../ui/problem-alert';
import { usePatientPhoto } from '../hooks/use-patient-files';
import { useUploadPhoto } from '../hooks/use-patients';
import { resizePhoto } from '../photo-resize';
import { FormSection } from './form-section';

type Props = { patient: Patient; canEdit: boolean };

/** The patient's photo (it helps the ward tell patients apart): shown, and replaced from a file or camera. */
export function PhotoSection({ patient, canEdit }: Props) {
  const current = usePatientPhoto(patient.id, patient.hasPhoto, patient.version);
  const [chosen, setChosen] = useState<{ data: string; url: string; size: number } | null>(null);
  const [readError, setReadError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const upload = useUploadPhoto(patient.id);

  const choose = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    setReadError(null);
    setSaved(false);
    upload.reset();
    try {
      const { blob, data } = await resizePhoto(file);
      setChosen({ data, url: `data:image/jpeg;base64,${data}`, size: blob.size });
    } catch (err) {
      setReadError(err instanceof Error ? err.message : 'The file could not be read.');
    }
  };

  const shown = chosen?.url ?? current;
  return (
    <FormSection title="Photo">
      <Stack spacing={2} sx={{ maxWidth: 480 }}>
        <Box
          sx={{
            width: 240,
            height: 240,
            border: 1,
            borderColor: 'divider',
            borderRadius: 1,
            bgcolor: 'grey.100',
            display: 'flex',
            alignItems: 'center',
            justifyContent: 'center',
            overflow: 'hidden',
          }}
        >
          {shown ? (
            <img
              src={shown}
              alt={
                chosen
                  ? `New photo of ${patient.displayName}, not saved yet`
                  : `Photo of ${patient.displayName}`
              }
              style={{ maxWidth: '100%', maxHeight: '100%' }}
            />
          ) : (
            <Typography color="text.secondary">No photo</Typography>
          )}
        </Box>
        {readError && <Alert severity="error">{readError}</Alert>}
        <ProblemAlert error={upload.error} />
        {saved && (
          <Alert severity="success" role="status">
            The photo was saved.
          </Alert>
        )}
        {canEdit && (
          <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap', alignItems: 'center' }}>
            <Button component="label" variant="outlined" startIcon={<PhotoCamera />}>
              {patient.hasPhoto ? 'Choose a new photo' : 'Choose a photo'}
              <input
                type="file"
                accept="image/jpeg,image/png"
                capture="user"
                hidden
                onChange={(e) => void choose(e)}
                aria-label="Photo file"
              />
            </Button>
            {chosen && (
              <>
                <Button
                  variant="contained"
                  disabled={upload.isPending}
                  onClick={() =>
                    upload.mutate(
                      { contentType: 'image/jpeg', data: chosen.data },
                      {
                        onSuccess: () => {
                          setChosen(null);
                          setSaved(true);
                        },
                      },
                    )
                  }
                >
                  {upload.isPending ? 'Uploading…' : 'Save photo'}
                </Button>
                <Button onClick={() => setChosen(null)}>Discard</Button>
                <Typography variant="body2" color="text.secondary">
                  {Math.round(chosen.size / 1024)} kB after resizing
                </Typography>
              </>
            )}
          </Box>
        )}
      </Stack>
    </FormSection>
  );
}
