import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import type { Encounter } from '@newhms/contracts';
import { useQuery } from '@tanstack/react-query';
import { api } from '../app/api-client';
import { formatDateTime } from './format';

const classLabels = {
  ambulatory: 'OPD visit',
  inpatient: 'In-patient stay',
  emergency: 'Emergency visit',
} as const;

/** A patient's open visits and stays (the first page of encounters, newest first). */
function useOpenVisits(patientId: string | null) {
  return useQuery({
    queryKey: ['encounters', 'patient', patientId, 'open'],
    queryFn: ({ signal }) =>
      api.get<{ items: Encounter[] }>(`/patients/${patientId}/encounters`, { limit: 20 }, signal),
    select: (data) =>
      data.items.filter(
        (e) => e.status !== 'cancelled' && e.status !== 'entered-in-error' && e.status !== 'finished',
      ),
    enabled: !!patientId,
  });
}

/**
 * The open visit or stay a counter order (a lab walk-in, a radiology walk-in) belongs to, or none: a walk-in.
 * Shown only to whoever may read encounters.
 */
export function OpenVisitSelect({
  patientId,
  value,
  onChange,
  helperText,
}: {
  patientId: string;
  value: string;
  onChange: (encounterId: string) => void;
  helperText: string;
}) {
  const visits = useOpenVisits(patientId);
  return (
    <TextField
      select
      label="Visit"
      value={value}
      onChange={(e) => onChange(e.target.value)}
      helperText={helperText}
      slotProps={{ inputLabel: { shrink: true }, select: { displayEmpty: true } }}
    >
      <MenuItem value="">None: walk-in</MenuItem>
      {(visits.data ?? []).map((v) => (
        <MenuItem key={v.id} value={v.id}>
          {`${classLabels[v.class]} · ${formatDateTime(v.startedAt)}${v.practitionerName ? ` · ${v.practitionerName}` : ''}`}
        </MenuItem>
      ))}
    </TextField>
  );
}
