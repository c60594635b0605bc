import ListSubheader from '@mui/material/ListSubheader';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import type { Bed } from '@newhms/contracts';
import type { ReactNode } from 'react';
import { useBeds } from '../hooks/use-ipd';

type Props = {
  value: string;
  onChange: (bedId: string, bed: Bed | null) => void;
  label?: string;
  /** A bed that may be chosen although it is not available: the one reserved for this patient. */
  alsoAllow?: string | null;
  /** Leave this bed out (the one the patient is in). */
  exclude?: string | null;
  error?: string;
  autoFocus?: boolean;
};

export function bedLabel(
  bed: Pick<Bed, 'code' | 'roomCode' | 'categoryCode' | 'tariffClass' | 'isolation'>,
): string {
  return `${bed.code} · room ${bed.roomCode} · ${bed.categoryCode} (${bed.tariffClass})${bed.isolation ? ' · isolation' : ''}`;
}

/** The beds a patient can be placed in now, grouped by ward, with their category and tariff class. */
export function BedPicker({ value, onChange, label = 'Bed', alsoAllow, exclude, error, autoFocus }: Props) {
  const beds = useBeds();
  const choosable = (beds.data ?? []).filter(
    (b) => b.id !== exclude && (b.status === 'available' || b.id === alsoAllow),
  );
  const wards = new Map<string, { name: string; beds: Bed[] }>();
  for (const bed of choosable) {
    const ward = wards.get(bed.wardId) ?? { name: bed.wardName, beds: [] };
    ward.beds.push(bed);
    wards.set(bed.wardId, ward);
  }
  const items: ReactNode[] = [];
  for (const [wardId, ward] of [...wards.entries()].sort((a, b) => a[1].name.localeCompare(b[1].name))) {
    items.push(
      <ListSubheader key={`ward-${wardId}`}>
        {ward.name} ({ward.beds.length} free)
      </ListSubheader>,
    );
    for (const bed of ward.beds.sort((a, b) => a.sortOrder - b.sortOrder || a.code.localeCompare(b.code))) {
      items.push(
        <MenuItem key={bed.id} value={bed.id}>
          {bedLabel(bed)}
          {bed.id === alsoAllow ? ' · reserved for this patient' : ''}
        </MenuItem>,
      );
    }
  }
  const known = choosable.some((b) => b.id === value);
  return (
    <TextField
      select
      required
      fullWidth
      label={label}
      value={known ? value : ''}
      onChange={(e) => onChange(e.target.value, choosable.find((b) => b.id === e.target.value) ?? null)}
      error={!!error}
      autoFocus={autoFocus}
      helperText={
        error ??
        (beds.isSuccess && choosable.length === 0
          ? 'No bed is available now'
          : `${choosable.length} bed${choosable.length === 1 ? '' : 's'} available`)
      }
    >
      {items}
    </TextField>
  );
}
