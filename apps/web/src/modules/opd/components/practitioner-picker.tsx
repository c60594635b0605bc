import Box from '@mui/material/Box';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import type { Practitioner } from '@newhms/contracts';
import { useMemo, useState } from 'react';
import { useDepartments, usePractitioners } from '../hooks/use-opd-setup';

type Props = {
  value: string | null;
  onChange: (practitionerId: string | null, practitioner: Practitioner | null) => void;
  label?: string;
  /** Leave this doctor out (the one a patient is transferred from). */
  exclude?: string | null;
  /** Offer "All doctors" as a choice (for lists). */
  allowAll?: boolean;
  size?: 'small' | 'medium';
};

/** Picks a doctor, narrowed by department or specialty first when the hospital has many. */
export function PractitionerPicker({ value, onChange, label = 'Doctor', exclude, allowAll, size }: Props) {
  const departments = useDepartments();
  const practitioners = usePractitioners();
  const [departmentId, setDepartmentId] = useState('');
  const all = (practitioners.data ?? []).filter((p) => p.id !== exclude);
  const usedDepartments = useMemo(() => {
    const ids = new Set(all.map((p) => p.departmentId));
    return (departments.data ?? []).filter((d) => ids.has(d.id));
  }, [all, departments.data]);
  const shown = all
    .filter((p) => !departmentId || p.departmentId === departmentId || p.id === value)
    .sort((a, b) => a.displayName.localeCompare(b.displayName));
  return (
    <Box sx={{ display: 'flex', gap: 2, flexWrap: 'wrap' }}>
      {usedDepartments.length > 1 && (
        <TextField
          select
          size={size}
          label="Department"
          value={departmentId}
          onChange={(e) => setDepartmentId(e.target.value)}
          sx={{ minWidth: 200, flex: '1 1 200px' }}
        >
          <MenuItem value="">All departments</MenuItem>
          {usedDepartments.map((d) => (
            <MenuItem key={d.id} value={d.id}>
              {d.name}
            </MenuItem>
          ))}
        </TextField>
      )}
      <TextField
        select
        size={size}
        label={label}
        value={value && shown.some((p) => p.id === value) ? value : ''}
        onChange={(e) => {
          const id = e.target.value || null;
          onChange(id, all.find((p) => p.id === id) ?? null);
        }}
        sx={{ minWidth: 260, flex: '2 1 260px' }}
        helperText={
          practitioners.isSuccess && all.length === 0 ? 'No doctor is set up for OPD yet' : undefined
        }
      >
        {allowAll && <MenuItem value="">All doctors</MenuItem>}
        {shown.map((p) => (
          <MenuItem key={p.id} value={p.id}>
            {p.displayName} · {p.specialty}
          </MenuItem>
        ))}
      </TextField>
    </Box>
  );
}
