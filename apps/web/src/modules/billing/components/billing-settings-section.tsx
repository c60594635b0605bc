import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import FormControl from '@mui/material/FormControl';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormLabel from '@mui/material/FormLabel';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import Typography from '@mui/material/Typography';
import type { LabChargeMoment } from '@newhms/contracts';
import { type FormEvent, useEffect, useState } from 'react';
import { useAuth } from '../../../app/auth/auth-context';
import { isConflict } from '../../../ui/conflict';
import { ConflictAlert } from '../../../ui/conflict-alert';
import { formatDateTime } from '../../../ui/format';
import { ProblemAlert } from '../../../ui/problem-alert';
import { useBillingSettings, useUpdateBillingSettings } from '../hooks/use-billing';
import { Section } from './section';

const momentLabels: Record<LabChargeMoment, { label: string; help: string }> = {
  order: {
    label: 'When the test is ordered',
    help: "The consultation's order, or the walk-in booked at the counter, is charged at once",
  },
  collection: {
    label: 'When the sample is collected',
    help: 'Charged when the first tube is drawn: a test never collected (cancelled, not matched) is never charged',
  },
};

/** The facility's billing settings: when a laboratory test is charged; a save over someone else's is a conflict. */
export function BillingSettingsSection() {
  const { can } = useAuth();
  const settings = useBillingSettings();
  const update = useUpdateBillingSettings();
  const [choice, setChoice] = useState<LabChargeMoment | null>(null);
  const [saved, setSaved] = useState(false);
  const current = settings.data;
  useEffect(() => {
    if (current) setChoice(current.labChargeOn);
  }, [current]);
  const canManage = can('billing:manage');

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!current || !choice) return;
    setSaved(false);
    update.mutate({ labChargeOn: choice, version: current.version }, { onSuccess: () => setSaved(true) });
  };

  return (
    <Section title="Billing settings">
      <ProblemAlert error={settings.error} sx={{ mb: 1 }} />
      {current && choice && (
        <Box component="form" onSubmit={submit} noValidate aria-label="Billing settings">
          <FormControl disabled={!canManage}>
            <FormLabel id="lab-charge-on">Charge laboratory tests</FormLabel>
            <RadioGroup
              aria-labelledby="lab-charge-on"
              value={choice}
              onChange={(e) => {
                setChoice(e.target.value as LabChargeMoment);
                setSaved(false);
              }}
            >
              {(['order', 'collection'] as const).map((m) => (
                <FormControlLabel
                  key={m}
                  value={m}
                  control={<Radio />}
                  label={
                    <>
                      {momentLabels[m].label}
                      <Typography variant="body2" color="text.secondary">
                        {momentLabels[m].help}
                      </Typography>
                    </>
                  }
                  sx={{ alignItems: 'flex-start', mb: 1, '& .MuiRadio-root': { mt: -0.5 } }}
                />
              ))}
            </RadioGroup>
          </FormControl>
          <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }} data-testid="settings-updated">
            {current.version === 0
              ? 'The defaults: nothing has been set for this facility yet.'
              : `Last changed${current.updatedByName ? ` by ${current.updatedByName}` : ''}${current.updatedAt ? `, ${formatDateTime(current.updatedAt)}` : ''}.`}
          </Typography>
          {canManage && (
            <Button
              type="submit"
              variant="contained"
              disabled={update.isPending || choice === current.labChargeOn}
            >
              Save settings
            </Button>
          )}
          {saved && !update.error && (
            <Alert severity="success" role="status" sx={{ mt: 1 }}>
              Billing settings saved.
            </Alert>
          )}
          {isConflict(update.error) ? (
            <Box sx={{ mt: 1 }}>
              <ConflictAlert
                onReload={() => {
                  update.reset();
                  void settings.refetch();
                }}
              />
            </Box>
          ) : (
            <ProblemAlert error={update.error} sx={{ mt: 1 }} />
          )}
        </Box>
      )}
    </Section>
  );
}
