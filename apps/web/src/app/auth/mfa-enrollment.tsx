import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import CircularProgress from '@mui/material/CircularProgress';
import FormControlLabel from '@mui/material/FormControlLabel';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { MfaEnrollConfirmBody, type MfaEnrollStartResponse, type TokenResponse } from '@newhms/contracts';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import type { z } from 'zod';
import { validateForm } from '../../ui/form-validation';
import { ProblemAlert } from '../../ui/problem-alert';
import { api } from '../api-client';

type EnrollStart = z.infer<typeof MfaEnrollStartResponse>;
type EnrollConfirm = { recoveryCodes: string[]; tokens?: TokenResponse };

type Props = {
  /** The token of a sign-in that must enrol first; absent for a signed-in user setting MFA up. */
  mfaToken?: string;
  onDone: (tokens: TokenResponse | undefined) => void;
};

/** TOTP enrolment: the QR code and secret, a code to confirm, then the recovery codes shown once. */
export function MfaEnrollment({ mfaToken, onDone }: Props) {
  const [code, setCode] = useState('');
  const [codeError, setCodeError] = useState<string | undefined>();
  const [saved, setSaved] = useState(false);
  const started = useRef(false);

  const start = useMutation({
    mutationFn: () => api.post<EnrollStart>('/auth/mfa/enroll', mfaToken ? { mfaToken } : {}),
  });
  const confirm = useMutation({
    mutationFn: (body: { code: string; mfaToken?: string }) =>
      api.post<EnrollConfirm>('/auth/mfa/enroll/confirm', body),
  });

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    start.mutate();
  }, [start]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const result = validateForm(MfaEnrollConfirmBody, { code, ...(mfaToken ? { mfaToken } : {}) });
    if (!result.ok) {
      setCodeError(result.errors.code ?? 'Enter the 6-digit code');
      return;
    }
    setCodeError(undefined);
    confirm.mutate({ code: result.data.code, ...(mfaToken ? { mfaToken } : {}) });
  };

  if (confirm.data) {
    const codes = confirm.data.recoveryCodes;
    return (
      <Stack spacing={2}>
        <Alert severity="success" role="status">
          Two-step sign-in is on.
        </Alert>
        <Typography component="h2" variant="h6">
          Your recovery codes
        </Typography>
        <Typography>
          Each code lets you sign in once if you lose your authenticator. Store them somewhere safe: they are
          shown only now.
        </Typography>
        <Box
          component="ul"
          aria-label="Recovery codes"
          data-testid="recovery-codes"
          sx={{
            fontFamily: 'monospace',
            fontSize: '1.05rem',
            columns: 2,
            listStyle: 'none',
            p: 2,
            m: 0,
            bgcolor: 'grey.100',
            borderRadius: 1,
          }}
        >
          {codes.map((c) => (
            <li key={c}>{c}</li>
          ))}
        </Box>
        <FormControlLabel
          control={<Checkbox checked={saved} onChange={(e) => setSaved(e.target.checked)} />}
          label="I have saved them"
        />
        <Button variant="contained" disabled={!saved} onClick={() => onDone(confirm.data.tokens)}>
          Continue
        </Button>
      </Stack>
    );
  }

  if (start.isError) {
    return (
      <Stack spacing={2}>
        <ProblemAlert error={start.error} />
        <Button onClick={() => start.mutate()}>Try again</Button>
      </Stack>
    );
  }
  if (!start.data) return <CircularProgress aria-label="Preparing two-step sign-in" />;

  return (
    <Stack component="form" noValidate spacing={2} onSubmit={submit} aria-label="Set up two-step sign-in">
      <Typography>
        Scan this QR code with an authenticator app (such as Google Authenticator, Microsoft Authenticator or
        FreeOTP), then enter the 6-digit code it shows.
      </Typography>
      <Box sx={{ display: 'flex', justifyContent: 'center' }}>
        <img
          src={start.data.qrDataUrl}
          alt="QR code for your authenticator app"
          width={200}
          height={200}
          style={{ imageRendering: 'pixelated' }}
        />
      </Box>
      <Typography variant="body2">Cannot scan? Enter this key in the app instead:</Typography>
      <Box
        component="code"
        aria-label="Secret key"
        data-testid="mfa-secret"
        sx={{ fontSize: '1.05rem', p: 1.5, bgcolor: 'grey.100', borderRadius: 1, wordBreak: 'break-all' }}
      >
        {start.data.secret}
      </Box>
      <ProblemAlert error={confirm.error} />
      <TextField
        label="6-digit code"
        value={code}
        onChange={(e) => setCode(e.target.value.replace(/\s/g, ''))}
        error={!!codeError}
        helperText={codeError}
        autoComplete="one-time-code"
        required
        slotProps={{ htmlInput: { inputMode: 'numeric', maxLength: 6, pattern: '[0-9]{6}' } }}
      />
      <Button type="submit" variant="contained" disabled={confirm.isPending}>
        {confirm.isPending ? 'Checking…' : 'Turn on two-step sign-in'}
      </Button>
    </Stack>
  );
}
