import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import type { SxProps, Theme } from '@mui/material/styles';
import { ApiError, errorMessage } from '../app/api-client';

type Props = {
  error: unknown;
  /** A friendlier title for a known error code, e.g. a 409 on a versioned record. */
  titles?: Record<string, string>;
  action?: React.ReactNode;
  sx?: SxProps<Theme>;
};

/** Shows an API problem (RFC 9457) or any other error as an accessible alert; nothing when there is none. */
export function ProblemAlert({ error, titles, action, sx }: Props) {
  if (!error) return null;
  const problem = error instanceof ApiError ? error.problem : null;
  const title = (problem?.code && titles?.[problem.code]) || (problem ? problem.title : 'Error');
  const fieldErrors = problem?.errors ?? [];
  return (
    <Alert severity="error" role="alert" action={action} sx={sx}>
      <AlertTitle>{title}</AlertTitle>
      {errorMessage(error)}
      {fieldErrors.length > 1 && (
        <ul style={{ margin: '4px 0 0', paddingLeft: 20 }}>
          {fieldErrors.map((e) => (
            <li key={`${e.path}:${e.message}`}>
              {fieldLabel(e.path)}: {e.message}
            </li>
          ))}
        </ul>
      )}
    </Alert>
  );
}

function fieldLabel(path: string): string {
  return path.replace(/^(body|query|params)\./, '');
}
