import Alert from '@mui/material/Alert';
import AlertTitle from '@mui/material/AlertTitle';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import LinearProgress from '@mui/material/LinearProgress';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useMemo, useRef, useState } from 'react';
import { useAuth } from '../../../app/auth/auth-context';
import { type Column, DataTable } from '../../../ui/data-table';
import { ProblemAlert } from '../../../ui/problem-alert';
import { useDebouncedValue } from '../../../ui/use-debounced-value';
import { usePatient } from '../../patients';
import {
  usePatientPrescriptions,
  usePrescriptionCheck,
  useSignPrescription,
} from '../hooks/use-prescriptions';
import { alertKeysNeedingReason } from '../prescription-alerts';
import {
  buildCheckBody,
  buildPrescriptionBody,
  type DraftLine,
  missingOverrides,
  reasonsAfterRemoval,
  type Setting,
} from '../prescription-draft';
import { describeLine } from '../prescription-labels';
import { AlertList } from './alert-list';
import { FavouritesMenu } from './favourites-menu';
import { medicineName } from './formulary-search';
import { LineForm } from './line-form';
import { MedicineChips } from './medicine-chips';
import { PrescriptionCard } from './prescription-card';

type Props = {
  encounterId: string;
  patientId: string;
  /** In-patient orders (STAT allowed, doses go on the MAR) or an out-patient prescription. */
  setting: Setting;
  /** The encounter is open for new prescriptions. */
  open: boolean;
};

let nextKey = 0;

/**
 * The prescriber's "Medicines": a draft checked against the patient as it changes (interactions, allergies,
 * duplicates, dose), signed with a reason for each serious alert, and the prescriptions of this encounter.
 */
export function MedicinesPanel({ encounterId, patientId, setting, open }: Props) {
  const { can } = useAuth();
  const canPrescribe = can('pharmacy:prescribe') && open;
  const prescriptions = usePatientPrescriptions(patientId, encounterId);
  return (
    <Paper variant="outlined" component="section" aria-labelledby="medicines-title" sx={{ p: 2 }}>
      <Typography id="medicines-title" variant="h6" component="h2" sx={{ mb: 2 }}>
        {setting === 'inpatient' ? 'Medication orders' : 'Medicines'}
      </Typography>
      {canPrescribe && <Draft encounterId={encounterId} patientId={patientId} setting={setting} />}
      <ProblemAlert error={prescriptions.error} />
      {prescriptions.isLoading && <LinearProgress aria-label="Loading the prescriptions" />}
      <Stack spacing={2} sx={{ mt: canPrescribe ? 3 : 0 }}>
        {(prescriptions.data ?? []).map((p) => (
          <PrescriptionCard key={p.id} prescription={p} canPrescribe={can('pharmacy:prescribe')} />
        ))}
        {prescriptions.data?.length === 0 && (
          <Typography color="text.secondary">
            No prescription in this {setting === 'inpatient' ? 'stay' : 'visit'} yet.
          </Typography>
        )}
      </Stack>
    </Paper>
  );
}

function Draft({
  encounterId,
  patientId,
  setting,
}: {
  encounterId: string;
  patientId: string;
  setting: Setting;
}) {
  const patient = usePatient(patientId);
  const sign = useSignPrescription();
  const [lines, setLines] = useState<DraftLine[]>([]);
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const [notes, setNotes] = useState('');
  const [missing, setMissing] = useState<string[]>([]);
  const alertsRef = useRef<HTMLDivElement>(null);

  const body = useMemo(() => buildCheckBody(encounterId, lines), [encounterId, lines]);
  const debounced = useDebouncedValue(body, 300);
  const check = usePrescriptionCheck(debounced);
  const fresh = debounced === body && !check.isPlaceholderData && !check.isFetching && !!check.data;
  const result = body ? check.data : undefined;
  const alerts = result?.alerts ?? [];
  const allergyState = result?.allergyState ?? patient.data?.allergyState;
  const names = Object.fromEntries(lines.map((l, n) => [n + 1, medicineName(l.medicine)]));

  const remove = (index: number) => {
    setLines((ls) => ls.filter((_, n) => n !== index));
    setReasons((r) => reasonsAfterRemoval(r, index));
    setMissing([]);
    sign.reset();
  };

  const submit = () => {
    if (lines.length === 0) return;
    if (fresh) {
      const gaps = missingOverrides(alerts, reasons);
      if (gaps.length > 0) {
        setMissing(gaps);
        alertsRef.current
          ?.querySelector<HTMLInputElement>(`[data-alert-key="${CSS.escape(gaps[0] ?? '')}"]`)
          ?.focus();
        return;
      }
    }
    sign.mutate(buildPrescriptionBody({ encounterId, lines, alerts, reasons, notes }), {
      onSuccess: () => {
        setLines([]);
        setReasons({});
        setNotes('');
        setMissing([]);
      },
      onError: (err) => setMissing(alertKeysNeedingReason(err)),
    });
  };

  const columns: Column<DraftLine & { index: number }>[] = [
    { id: 'no', header: '#', render: (l) => l.index + 1, width: 32 },
    {
      id: 'medicine',
      header: 'Medicine',
      render: (l) => (
        <Stack spacing={0.5}>
          <Typography sx={{ fontWeight: 600 }}>{medicineName(l.medicine)}</Typography>
          <MedicineChips
            schedule={l.medicine.schedule}
            highAlert={l.medicine.highAlert}
            lasaGroup={l.medicine.lasaGroup}
            controlled={l.medicine.controlled}
          />
        </Stack>
      ),
    },
    { id: 'how', header: 'Directions', render: (l) => describeLine(l.form) },
    {
      id: 'qty',
      header: 'Quantity',
      align: 'right',
      render: (l) => {
        const computed = result?.quantities[l.index];
        const qty = l.body.quantity ?? computed;
        if (qty === null || qty === undefined) {
          return result ? (
            <Typography variant="body2" color="error">
              Give the quantity
            </Typography>
          ) : (
            '…'
          );
        }
        return (
          <span data-testid="computed-quantity">
            {qty} {l.medicine.unitOfIssue}
            {qty === 1 ? '' : 's'}
          </span>
        );
      },
    },
    {
      id: 'remove',
      header: 'Actions',
      render: (l) => (
        <Button
          size="small"
          onClick={() => remove(l.index)}
          aria-label={`Remove ${medicineName(l.medicine)}`}
        >
          Remove
        </Button>
      ),
    },
  ];

  return (
    <Box>
      {allergyState === 'not-recorded' && (
        <Alert severity="warning" role="alert" sx={{ mb: 2 }} data-testid="allergies-not-recorded">
          <AlertTitle>Allergies not recorded</AlertTitle>
          Nobody has asked this patient about allergies, so the allergy check cannot run. Ask, and record the
          answer (even "no known allergies") before prescribing.
        </Alert>
      )}
      {allergyState === 'recorded' && patient.data && (
        <Typography sx={{ color: 'error.main', fontWeight: 600, mb: 1 }}>
          Allergies:{' '}
          {patient.data.allergies
            .filter((a) => a.status === 'active')
            .map((a) => a.substance)
            .join(', ')}
        </Typography>
      )}
      <FavouritesMenu
        lines={lines}
        setting={setting}
        onPick={(picked) => {
          setLines((ls) => [
            ...ls,
            ...picked.map((line) => {
              nextKey += 1;
              return { ...line, key: `line-${nextKey}` };
            }),
          ]);
          sign.reset();
        }}
      />
      <LineForm
        setting={setting}
        onAdd={(line) => {
          nextKey += 1;
          setLines((ls) => [...ls, { ...line, key: `line-${nextKey}` }]);
          sign.reset();
        }}
      />
      {lines.length > 0 && (
        <Stack spacing={2}>
          <DataTable
            label="Draft prescription"
            columns={columns}
            rows={lines.map((l, index) => ({ ...l, index }))}
            rowKey={(l) => l.key}
          />
          <Box ref={alertsRef} aria-live="polite">
            {check.isFetching && <LinearProgress aria-label="Checking the prescription" sx={{ mb: 1 }} />}
            <ProblemAlert error={check.error} sx={{ mb: 1 }} />
            {fresh && alerts.length === 0 && (
              <Typography color="text.secondary" data-testid="no-alerts">
                No interactions, allergies, duplicates or dose problems found.
              </Typography>
            )}
            <AlertList
              alerts={alerts}
              lineNames={names}
              reasons={reasons}
              onReason={(key, reason) => setReasons((r) => ({ ...r, [key]: reason }))}
              missing={missing}
              label="Prescription alerts"
            />
          </Box>
          <TextField
            label="Note to the pharmacist (optional)"
            size="small"
            value={notes}
            onChange={(e) => setNotes(e.target.value)}
            slotProps={{ htmlInput: { maxLength: 1000 } }}
          />
          <ProblemAlert error={sign.error} />
          <Box>
            <Button variant="contained" onClick={submit} disabled={sign.isPending}>
              {sign.isPending ? 'Signing…' : 'Sign prescription'}
            </Button>
          </Box>
        </Stack>
      )}
    </Box>
  );
}
