import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { LoginBody, type LoginResponse, MfaVerifyBody, type TokenResponse } from '@newhms/contracts';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { type FieldErrors, validateForm } from '../../ui/form-validation';
import { ProblemAlert } from '../../ui/problem-alert';
import { api } from '../api-client';
import { useAuth } from './auth-context';
import { AuthLayout } from './auth-layout';
import { MfaEnrollment } from './mfa-enrollment';

type Step =
  | { kind: 'credentials' }
  | { kind: 'mfa-code'; mfaToken: string }
  | { kind: 'mfa-enroll'; mfaToken: string };

const titles: Record<Step['kind'], string> = {
  credentials: 'Sign in',
  'mfa-code': 'Two-step sign-in',
  'mfa-enroll': 'Set up two-step sign-in',
};

export function LoginPage() {
  const { signIn, signedOutReason } = useAuth();
  const [step, setStep] = useState<Step>({ kind: 'credentials' });
  const done = (tokens: TokenResponse | undefined) => {
    if (tokens) signIn(tokens);
    else setStep({ kind: 'credentials' });
  };
  return (
    <AuthLayout title={titles[step.kind]}>
      {step.kind === 'credentials' && (
        <CredentialsStep
          reason={signedOutReason}
          onTokens={signIn}
          onMfa={(mfaToken, enrol) => setStep({ kind: enrol ? 'mfa-enroll' : 'mfa-code', mfaToken })}
        />
      )}
      {step.kind === 'mfa-code' && (
        <MfaCodeStep
          mfaToken={step.mfaToken}
          onTokens={signIn}
          onBack={() => setStep({ kind: 'credentials' })}
        />
      )}
      {step.kind === 'mfa-enroll' && (
        <>
          <Alert severity="info" sx={{ mb: 2 }}>
            Your role requires two-step sign-in. Set it up now to continue.
          </Alert>
          <MfaEnrollment mfaToken={step.mfaToken} onDone={done} />
        </>
      )}
    </AuthLayout>
  );
}

function CredentialsStep(props: {
  reason: string | null;
  onTokens: (tokens: TokenResponse) => void;
  onMfa: (mfaToken: string, enrol: boolean) => void;
}) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const login = useMutation({
    mutationFn: (body: { email: string; password: string }) =>
      api.post<LoginResponse>('/auth/login', body, { skipRefresh: true }),
    onSuccess: (res) => {
      if ('mfaRequired' in res) props.onMfa(res.mfaToken, res.mfaEnrollmentRequired);
      else props.onTokens(res);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const result = validateForm(LoginBody, { email, password });
    if (!result.ok) {
      setErrors({
        ...(result.errors.email ? { email: 'Enter a valid e-mail address' } : {}),
        ...(result.errors.password ? { password: 'Enter your password' } : {}),
      });
      return;
    }
    setErrors({});
    login.mutate(result.data);
  };
  return (
    <Stack component="form" noValidate spacing={2} onSubmit={submit} aria-label="Sign in">
      {props.reason && !login.isError && (
        <Alert severity="info" role="status">
          {props.reason}
        </Alert>
      )}
      <ProblemAlert error={login.error} titles={{ AUTH_ACCOUNT_LOCKED: 'Account locked' }} />
      <TextField
        label="E-mail"
        type="email"
        autoComplete="username"
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        error={!!errors.email}
        helperText={errors.email}
        required
        fullWidth
        autoFocus
      />
      <TextField
        label="Password"
        type="password"
        autoComplete="current-password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        error={!!errors.password}
        helperText={errors.password}
        required
        fullWidth
      />
      <Button type="submit" variant="contained" size="large" disabled={login.isPending}>
        {login.isPending ? 'Signing in…' : 'Sign in'}
      </Button>
    </Stack>
  );
}

function MfaCodeStep(props: { mfaToken: string; onTokens: (t: TokenResponse) => void; onBack: () => void }) {
  const [useRecovery, setUseRecovery] = useState(false);
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | undefined>();
  const verify = useMutation({
    mutationFn: (body: { mfaToken: string; code?: string; recoveryCode?: string }) =>
      api.post<TokenResponse>('/auth/login/mfa', body, { skipRefresh: true }),
    onSuccess: props.onTokens,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body = useRecovery
      ? { mfaToken: props.mfaToken, recoveryCode: value }
      : { mfaToken: props.mfaToken, code: value };
    const result = validateForm(MfaVerifyBody, body);
    if (!result.ok || !value) {
      setError(useRecovery ? 'Enter one of your recovery codes' : 'Enter the 6-digit code from your app');
      return;
    }
    setError(undefined);
    verify.mutate(result.data);
  };
  return (
    <Stack component="form" noValidate spacing={2} onSubmit={submit} aria-label="Two-step sign-in">
      <Typography>
        {useRecovery
          ? 'Enter one of the recovery codes you saved when you set up two-step sign-in. Each works once.'
          : 'Enter the 6-digit code shown by your authenticator app.'}
      </Typography>
      <ProblemAlert error={verify.error} />
      <TextField
        key={useRecovery ? 'recovery' : 'code'}
        label={useRecovery ? 'Recovery code' : '6-digit code'}
        value={value}
        onChange={(e) => setValue(useRecovery ? e.target.value : e.target.value.replace(/\s/g, ''))}
        error={!!error}
        helperText={error}
        autoComplete="one-time-code"
        required
        fullWidth
        autoFocus
        slotProps={{ htmlInput: useRecovery ? { maxLength: 40 } : { inputMode: 'numeric', maxLength: 6 } }}
      />
      <Button type="submit" variant="contained" size="large" disabled={verify.isPending}>
        {verify.isPending ? 'Checking…' : 'Verify'}
      </Button>
      <Button
        onClick={() => {
          setUseRecovery(!useRecovery);
          setValue('');
          setError(undefined);
        }}
      >
        {useRecovery ? 'Use a code from my app' : 'Use a recovery code'}
      </Button>
      <Button onClick={props.onBack}>Back to sign-in</Button>
    </Stack>
  );
}
