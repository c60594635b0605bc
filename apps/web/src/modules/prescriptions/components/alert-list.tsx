import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Collapse from '@mui/material/Collapse';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import type { PrescriptionAlert } from '@newhms/contracts';
import { useId, useState } from 'react';
import { alertKindLabels, severityLabels, severityTier, sortAlerts } from '../prescription-alerts';

type Props = {
  alerts: readonly PrescriptionAlert[];
  /** The draft's medicine names by line number, to say which lines an alert is about. */
  lineNames?: Record<number, string>;
  /** Prescribing: a reason field on each alert that needs one. */
  reasons?: Record<string, string>;
  onReason?: (key: string, reason: string) => void;
  /** Alert keys whose missing reason is to be shown as an error. */
  missing?: readonly string[];
  label: string;
};

const tone = {
  red: { severity: 'error', sx: {} },
  amber: { severity: 'warning', sx: {} },
  grey: {
    severity: 'info',
    sx: { bgcolor: 'grey.100', color: 'text.primary', '& .MuiAlert-icon': { color: 'grey.700' } },
  },
} as const;

/** The checker's alerts, most serious first, each with its details to expand and, when prescribing, a reason. */
export function AlertList({ alerts, lineNames, reasons, onReason, missing = [], label }: Props) {
  if (alerts.length === 0) return null;
  return (
    <Stack spacing={1} component="ul" aria-label={label} sx={{ p: 0, m: 0, listStyle: 'none' }}>
      {sortAlerts(alerts).map((a) => (
        <AlertItem
          key={a.key}
          alert={a}
          lineNames={lineNames}
          reason={reasons?.[a.key]}
          onReason={onReason}
          missing={missing.includes(a.key)}
        />
      ))}
    </Stack>
  );
}

function AlertItem({
  alert: a,
  lineNames,
  reason,
  onReason,
  missing,
}: {
  alert: PrescriptionAlert;
  lineNames?: Record<number, string>;
  reason: string | undefined;
  onReason?: (key: string, reason: string) => void;
  missing: boolean;
}) {
  const [open, setOpen] = useState(false);
  const detailsId = useId();
  const t = tone[severityTier(a.severity)];
  const about = [
    ...a.lineNos.map((n) => lineNames?.[n] ?? `line ${n}`),
    ...a.currentMedicines.map((m) => `${m} (current)`),
  ];
  const hasDetails = !!(a.mechanism || a.management || a.citation);
  return (
    <Box component="li" data-testid="prescription-alert" data-severity={a.severity} data-kind={a.kind}>
      <Alert severity={t.severity} sx={{ ...t.sx, '& .MuiAlert-message': { width: '100%' } }}>
        <AlertTitle sx={{ display: 'flex', gap: 1, alignItems: 'center', flexWrap: 'wrap' }}>
          <Chip
            size="small"
            label={severityLabels[a.severity]}
            color={t.severity === 'info' ? 'default' : t.severity}
          />
          <span>{alertKindLabels[a.kind]}</span>
          {about.length > 0 && (
            <Typography component="span" variant="body2" color="text.secondary">
              · {about.join(' + ')}
            </Typography>
          )}
        </AlertTitle>
        <Typography variant="body2">{a.message}</Typography>
        {hasDetails && (
          <>
            <Button
              size="small"
              color="inherit"
              onClick={() => setOpen((o) => !o)}
              aria-expanded={open}
              aria-controls={detailsId}
              sx={{ mt: 0.5, px: 0 }}
            >
              {open ? 'Hide details' : 'Details'}
            </Button>
            <Collapse in={open} id={detailsId}>
              <Box component="dl" sx={{ m: 0, '& dt': { fontWeight: 600 }, '& dd': { m: 0, mb: 0.5 } }}>
                {a.mechanism && (
                  <>
                    <Typography component="dt" variant="body2">
                      Mechanism
                    </Typography>
                    <Typography component="dd" variant="body2">
                      {a.mechanism}
                    </Typography>
                  </>
                )}
                {a.management && (
                  <>
                    <Typography component="dt" variant="body2">
                      Management
                    </Typography>
                    <Typography component="dd" variant="body2">
                      {a.management}
                    </Typography>
                  </>
                )}
                {a.citation && (
                  <>
                    <Typography component="dt" variant="body2">
                      Source
                    </Typography>
                    <Typography component="dd" variant="body2">
                      {a.citation}
                    </Typography>
                  </>
                )}
              </Box>
            </Collapse>
          </>
        )}
        {a.overrideReason && (
          <Typography variant="body2" sx={{ mt: 0.5, fontWeight: 600 }} data-testid="override-reason">
            Overridden{a.overriddenByName ? ` by ${a.overriddenByName}` : ''}: {a.overrideReason}
            {a.acknowledgedByName ? ` · read by ${a.acknowledgedByName}` : ''}
          </Typography>
        )}
        {onReason && a.requiresOverrideReason && (
          <TextField
            label="Reason to go ahead"
            size="small"
            fullWidth
            required
            value={reason ?? ''}
            onChange={(e) => onReason(a.key, e.target.value)}
            error={missing && !(reason ?? '').trim()}
            helperText={
              missing && !(reason ?? '').trim()
                ? 'A serious alert needs a reason to sign'
                : 'Kept with the prescription and shown to the pharmacist'
            }
            slotProps={{ htmlInput: { maxLength: 500, 'data-alert-key': a.key } }}
            sx={{ mt: 1, bgcolor: 'background.paper' }}
          />
        )}
      </Alert>
    </Box>
  );
}
