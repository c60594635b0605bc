import Box from '@mui/material/Box';
import Checkbox from '@mui/material/Checkbox';
import CircularProgress from '@mui/material/CircularProgress';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormGroup from '@mui/material/FormGroup';
import Typography from '@mui/material/Typography';
import { ProblemAlert } from '../../../ui/problem-alert';
import { type PermissionInfo, usePermissions } from '../hooks/use-roles';

type Props = { value: string[]; onChange: (next: string[]) => void };

function groupByModule(items: PermissionInfo[], extra: string[]): [string, string[]][] {
  const groups = new Map<string, string[]>();
  for (const p of items) groups.set(p.module, [...(groups.get(p.module) ?? []), p.name]);
  const known = new Set(items.map((p) => p.name));
  for (const name of extra) {
    if (known.has(name)) continue;
    const module = name.split(':')[0] ?? 'other';
    groups.set(module, [...(groups.get(module) ?? []), name]);
  }
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b));
}

/** Checkboxes of every permission the server knows, grouped by module. */
export function PermissionPicker({ value, onChange }: Props) {
  const permissions = usePermissions();
  if (permissions.isPending) return <CircularProgress aria-label="Loading permissions" />;
  if (permissions.isError) return <ProblemAlert error={permissions.error} />;
  const chosen = new Set(value);
  const toggle = (name: string, on: boolean) => {
    const next = new Set(chosen);
    if (on) next.add(name);
    else next.delete(name);
    onChange([...next].sort());
  };
  return (
    <Box sx={{ display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr' } }}>
      {groupByModule(permissions.data, value).map(([module, names]) => (
        <Box
          key={module}
          component="fieldset"
          sx={{ border: 1, borderColor: 'divider', borderRadius: 1, m: 0, px: 2, py: 1 }}
        >
          <Typography component="legend" sx={{ px: 0.5, fontWeight: 600 }}>
            {module}
          </Typography>
          <FormGroup>
            {names.map((name) => (
              <FormControlLabel
                key={name}
                control={
                  <Checkbox
                    size="small"
                    checked={chosen.has(name)}
                    onChange={(e) => toggle(name, e.target.checked)}
                  />
                }
                label={name}
              />
            ))}
          </FormGroup>
        </Box>
      ))}
    </Box>
  );
}
