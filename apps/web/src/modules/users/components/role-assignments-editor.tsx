import DeleteIcon from '@mui/icons-material/Delete';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import IconButton from '@mui/material/IconButton';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemText from '@mui/material/ListItemText';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { useAuth } from '../../../app/auth/auth-context';
import { useFacilities } from '../../facilities/hooks/use-facilities';
import { useRoles } from '../../roles/hooks/use-roles';
import type { RoleAssignment } from '../hooks/use-users';

type Props = {
  value: RoleAssignment[];
  onChange: (next: RoleAssignment[]) => void;
  /** Names already known for assignments (from the user record), shown while lists load. */
  knownRoleNames?: Record<string, string>;
};

/** Roles per facility: a list of role x facility pairs with an add row. */
export function RoleAssignmentsEditor({ value, onChange, knownRoleNames = {} }: Props) {
  const { me, can } = useAuth();
  const roles = useRoles();
  const facilities = useFacilities(can('organization:read'));
  const facilityOptions =
    facilities.data?.map((f) => ({ id: f.id, name: f.name })) ??
    me?.facilities.map((f) => ({ id: f.facilityId, name: f.facilityName })) ??
    [];
  const [facilityId, setFacilityId] = useState('');
  const [roleId, setRoleId] = useState('');
  const chosenFacility = facilityId || (facilityOptions.length === 1 ? (facilityOptions[0]?.id ?? '') : '');

  const facilityName = (id: string) => facilityOptions.find((f) => f.id === id)?.name ?? id;
  const roleName = (id: string) => roles.data?.find((r) => r.id === id)?.name ?? knownRoleNames[id] ?? id;
  const exists = value.some((a) => a.facilityId === chosenFacility && a.roleId === roleId);

  return (
    <Box component="fieldset" sx={{ border: 1, borderColor: 'divider', borderRadius: 1, p: 2, m: 0 }}>
      <Typography component="legend" sx={{ px: 0.5, fontWeight: 600 }}>
        Roles per facility
      </Typography>
      {value.length === 0 ? (
        <Typography color="text.secondary" sx={{ mb: 1 }}>
          No roles yet.
        </Typography>
      ) : (
        <List dense aria-label="Assigned roles" sx={{ mb: 1 }}>
          {value.map((a) => (
            <ListItem
              key={`${a.facilityId}:${a.roleId}`}
              secondaryAction={
                <IconButton
                  edge="end"
                  aria-label={`Remove ${roleName(a.roleId)} at ${facilityName(a.facilityId)}`}
                  onClick={() => onChange(value.filter((x) => x !== a))}
                >
                  <DeleteIcon />
                </IconButton>
              }
            >
              <ListItemText primary={roleName(a.roleId)} secondary={facilityName(a.facilityId)} />
            </ListItem>
          ))}
        </List>
      )}
      <Box sx={{ display: 'flex', gap: 1, flexWrap: 'wrap', alignItems: 'flex-start' }}>
        <TextField
          select
          label="Facility"
          value={chosenFacility}
          onChange={(e) => setFacilityId(e.target.value)}
          sx={{ minWidth: 200, flex: 1 }}
        >
          {facilityOptions.map((f) => (
            <MenuItem key={f.id} value={f.id}>
              {f.name}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          select
          label="Role"
          value={roleId}
          onChange={(e) => setRoleId(e.target.value)}
          sx={{ minWidth: 180, flex: 1 }}
          helperText={roles.isError ? 'Roles could not be loaded' : undefined}
        >
          {(roles.data ?? []).map((r) => (
            <MenuItem key={r.id} value={r.id}>
              {r.name}
            </MenuItem>
          ))}
        </TextField>
        <Button
          variant="outlined"
          disabled={!chosenFacility || !roleId || exists}
          onClick={() => {
            onChange([...value, { facilityId: chosenFacility, roleId }]);
            setRoleId('');
          }}
        >
          Add role
        </Button>
      </Box>
    </Box>
  );
}
