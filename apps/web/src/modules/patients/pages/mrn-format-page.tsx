import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import CircularProgress from '@mui/material/CircularProgress';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { MrnFormatBody } from '@newhms/contracts';
import { type FormEvent, useState } from 'react';
import { isConflict } from '../../../ui/conflict';
import { ConflictAlert } from '../../../ui/conflict-alert';
import { type FieldErrors, fieldErrorsFromProblem, validateForm } from '../../../ui/form-validation';
import { PageHeader } from '../../../ui/page-header';
import { ProblemAlert } from '../../../ui/problem-alert';
import { type MrnSettings, useMrnFormat, useSaveMrnFormat } from '../hooks/use-patients';

const tokens: [string, string][] = [
  ['{FACILITY}', 'the facility code'],
  ['{YYYY}', 'the year, four digits'],
  ['{YY}', 'the year, two digits'],
  ['{SEQ:n}', 'the running number, padded to n digits (required)'],
];

/** A local preview of a format, for the clerk's eye only: the server's example is the truth. */
function preview(format: string): string {
  const year = String(new Date().getFullYear());
  return format
    .replaceAll('{FACILITY}', 'MAIN')
    .replaceAll('{YYYY}', year)
    .replaceAll('{YY}', year.slice(2))
    .replace(/\{SEQ(?::(\d))?\}/g, (_, n: string | undefined) => '1'.padStart(Number(n ?? 1), '0'));
}

export function MrnFormatPage() {
  const current = useMrnFormat();
  return (
    <>
      <PageHeader
        title="MRN format"
        subtitle="How the medical record numbers of new patients in this facility are made. Existing numbers never change."
      />
      {current.isPending && <CircularProgress aria-label="Loading the MRN format" />}
      <ProblemAlert error={current.error} />
      {current.data && (
        <MrnFormatForm
          key={current.data.version}
          settings={current.data}
          onReload={() => void current.refetch()}
        />
      )}
    </>
  );
}

function MrnFormatForm({ settings, onReload }: { settings: MrnSettings; onReload: () => void }) {
  const [format, setFormat] = useState(settings.format);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [saved, setSaved] = useState(false);
  const save = useSaveMrnFormat();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const result = validateForm(MrnFormatBody, { format, version: settings.version });
    if (!result.ok) return setErrors(result.errors);
    setErrors({});
    save.mutate(result.data, {
      onSuccess: () => setSaved(true),
      onError: (err) => setErrors(fieldErrorsFromProblem(err)),
    });
  };
  return (
    <Stack spacing={3} sx={{ maxWidth: 640 }}>
      <Paper variant="outlined" component="section" aria-label="Current format" sx={{ p: 3 }}>
        <Typography variant="h6" component="h2" sx={{ mb: 1 }}>
          Current format
        </Typography>
        <Typography sx={{ fontFamily: 'monospace', fontSize: '1.1rem' }}>{settings.format}</Typography>
        <Typography color="text.secondary">
          Next numbers look like{' '}
          <Box
            component="span"
            sx={{ fontFamily: 'monospace', color: 'text.primary', fontWeight: 600 }}
            data-testid="mrn-example"
          >
            {settings.example}
          </Box>
        </Typography>
      </Paper>
      <Paper
        variant="outlined"
        component="form"
        noValidate
        onSubmit={submit}
        aria-label="Change the format"
        sx={{ p: 3 }}
      >
        <Typography variant="h6" component="h2" sx={{ mb: 2 }}>
          Change the format
        </Typography>
        <Stack spacing={2}>
          {isConflict(save.error) ? (
            <ConflictAlert onReload={onReload} />
          ) : (
            <ProblemAlert error={save.error} />
          )}
          {saved && (
            <Typography role="status" color="success.main">
              Saved. New registrations use the new format.
            </Typography>
          )}
          <TextField
            label="Format"
            value={format}
            onChange={(e) => {
              setFormat(e.target.value);
              setSaved(false);
            }}
            error={!!errors.format}
            helperText={errors.format ?? `Preview: ${preview(format)}`}
            slotProps={{
              htmlInput: { maxLength: 60, spellCheck: false, style: { fontFamily: 'monospace' } },
            }}
          />
          <Box
            component="dl"
            sx={{ m: 0, display: 'grid', gridTemplateColumns: 'max-content 1fr', columnGap: 2, rowGap: 0.5 }}
          >
            {tokens.map(([token, meaning]) => (
              <Box key={token} sx={{ display: 'contents' }}>
                <Box component="dt" sx={{ fontFamily: 'monospace', fontWeight: 600 }}>
                  {token}
                </Box>
                <Box component="dd" sx={{ m: 0 }}>
                  {meaning}
                </Box>
              </Box>
            ))}
          </Box>
          <Box>
            <Button type="submit" variant="contained" disabled={save.isPending || format === settings.format}>
              Save format
            </Button>
          </Box>
        </Stack>
      </Paper>
    </Stack>
  );
}
