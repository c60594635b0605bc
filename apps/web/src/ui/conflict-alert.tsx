import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import { CONFLICT_MESSAGE } from './conflict';

/** A stale write of a versioned record: say so, and offer to load what the other person saved. */
export function ConflictAlert({ onReload }: { onReload: () => void }) {
  return (
    <Alert
      severity="warning"
      role="alert"
      action={
        <Button color="inherit" onClick={onReload}>
          Reload
        </Button>
      }
    >
      {CONFLICT_MESSAGE}
    </Alert>
  );
}
