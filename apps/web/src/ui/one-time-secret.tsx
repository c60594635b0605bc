import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import Typography from '@mui/material/Typography';
import { useState } from 'react';

type Props = {
  open: boolean;
  title: string;
  /** What the secret is and who should get it. */
  message: string;
  secret: string | null;
  onClose: () => void;
};

/** Shows a secret (a temporary password) once; it cannot be shown again after closing. */
export function OneTimeSecretDialog({ open, title, message, secret, onClose }: Props) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    if (!secret) return;
    try {
      await navigator.clipboard.writeText(secret);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };
  return (
    <Dialog open={open} onClose={onClose} aria-labelledby="one-time-secret-title" fullWidth maxWidth="sm">
      <DialogTitle id="one-time-secret-title">{title}</DialogTitle>
      <DialogContent>
        <Typography sx={{ mb: 2 }}>{message}</Typography>
        <Box
          component="output"
          aria-label="Temporary password"
          data-testid="one-time-secret"
          sx={{
            display: 'block',
            fontFamily: 'monospace',
            fontSize: '1.25rem',
            p: 2,
            bgcolor: 'grey.100',
            borderRadius: 1,
            wordBreak: 'break-all',
          }}
        >
          {secret}
        </Box>
        <Alert severity="warning" sx={{ mt: 2 }}>
          It will not be shown again. The user must change it at first sign-in.
        </Alert>
      </DialogContent>
      <DialogActions>
        <Button onClick={copy}>{copied ? 'Copied' : 'Copy'}</Button>
        <Button variant="contained" onClick={onClose}>
          Done
        </Button>
      </DialogActions>
    </Dialog>
  );
}
