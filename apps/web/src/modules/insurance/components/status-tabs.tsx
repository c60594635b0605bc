import Tab from '@mui/material/Tab';
import Tabs from '@mui/material/Tabs';

/** The worklist's status filter as tabs ('' is every status). */
export function StatusTabs<S extends string>({
  label,
  value,
  statuses,
  labels,
  onChange,
}: {
  label: string;
  value: S | '';
  statuses: readonly S[];
  labels: Record<S, string>;
  onChange: (status: S | '') => void;
}) {
  return (
    <Tabs
      value={value}
      onChange={(_, next: S | '') => onChange(next)}
      aria-label={label}
      variant="scrollable"
      allowScrollButtonsMobile
      sx={{ mb: 2, borderBottom: 1, borderColor: 'divider' }}
    >
      <Tab value="" label="All" />
      {statuses.map((s) => (
        <Tab key={s} value={s} label={labels[s]} />
      ))}
    </Tabs>
  );
}
