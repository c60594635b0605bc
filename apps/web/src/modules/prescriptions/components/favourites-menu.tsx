import Alert from '@mui/material/Alert';
import Button from '@mui/material/Button';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import Divider from '@mui/material/Divider';
import List from '@mui/material/List';
import ListItem from '@mui/material/ListItem';
import ListItemText from '@mui/material/ListItemText';
import Menu from '@mui/material/Menu';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import type { Favourite } from '@newhms/contracts';
import { type FormEvent, useId, useState } from 'react';
import { ApiError } from '../../../app/api-client';
import { ProblemAlert } from '../../../ui/problem-alert';
import { draftLinesFromFavourite, favouriteItems } from '../favourites';
import {
  useFavourites,
  useFetchFormularyItems,
  useRemoveFavourite,
  useSaveFavourite,
} from '../hooks/use-prescriptions';
import type { DraftLine, Setting } from '../prescription-draft';

type Props = {
  lines: readonly DraftLine[];
  setting: Setting;
  /** The favourite's lines, to add to the draft (they are checked with the rest). */
  onPick: (lines: Omit<DraftLine, 'key'>[]) => void;
};

const medicinesCount = (f: Favourite) => `${f.items.length} medicine${f.items.length === 1 ? '' : 's'}`;

/**
 * The prescriber's own favourites and order sets: *Favourites* adds one's lines to the draft, *Save as
 * favourite* keeps the draft's lines under a name, and a favourite can be removed from the list.
 */
export function FavouritesMenu({ lines, setting, onPick }: Props) {
  const menuId = useId();
  const buttonId = useId();
  const favourites = useFavourites();
  const fetchMedicines = useFetchFormularyItems();
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const [saving, setSaving] = useState(false);
  const [managing, setManaging] = useState(false);
  const [picking, setPicking] = useState(false);
  const [note, setNote] = useState<{ added: string; skipped: string[] } | null>(null);
  const list = favourites.data ?? [];

  const pick = async (favourite: Favourite) => {
    setAnchor(null);
    setPicking(true);
    const ids = favourite.items.map((i) => (typeof i.formularyItemId === 'string' ? i.formularyItemId : ''));
    const medicines = await fetchMedicines(ids.filter(Boolean));
    const { lines: picked, skipped } = draftLinesFromFavourite(favourite, medicines, setting);
    setPicking(false);
    if (picked.length > 0) onPick(picked);
    setNote({
      added: `${favourite.name}: ${picked.length} medicine${picked.length === 1 ? '' : 's'} added to the draft.`,
      skipped,
    });
  };

  return (
    <>
      <Stack direction="row" spacing={1} sx={{ mb: 2, flexWrap: 'wrap' }}>
        <Button
          id={buttonId}
          variant="outlined"
          size="small"
          aria-haspopup="menu"
          aria-controls={anchor ? menuId : undefined}
          aria-expanded={anchor ? 'true' : undefined}
          onClick={(e) => setAnchor(e.currentTarget)}
          disabled={picking}
        >
          Favourites
        </Button>
        <Button size="small" onClick={() => setSaving(true)} disabled={lines.length === 0}>
          Save as favourite
        </Button>
      </Stack>
      <Menu
        id={menuId}
        anchorEl={anchor}
        open={!!anchor}
        onClose={() => setAnchor(null)}
        slotProps={{ list: { 'aria-labelledby': buttonId } }}
      >
        {favourites.isLoading && <MenuItem disabled>Loading…</MenuItem>}
        {favourites.isError && <MenuItem disabled>The favourites could not be read</MenuItem>}
        {favourites.isSuccess && list.length === 0 && (
          <MenuItem disabled>No favourite yet: save a draft as one</MenuItem>
        )}
        {list.map((f) => (
          <MenuItem key={f.id} onClick={() => void pick(f)}>
            <ListItemText primary={f.name} secondary={medicinesCount(f)} />
          </MenuItem>
        ))}
        {list.length > 0 && <Divider />}
        {list.length > 0 && (
          <MenuItem
            onClick={() => {
              setAnchor(null);
              setManaging(true);
            }}
          >
            Remove a favourite…
          </MenuItem>
        )}
      </Menu>
      {note && (
        <Alert
          severity={note.skipped.length > 0 ? 'warning' : 'info'}
          onClose={() => setNote(null)}
          sx={{ mb: 2 }}
          data-testid="favourite-added"
        >
          {note.added}
          {note.skipped.length > 0 && ` Not added: ${note.skipped.join('; ')}.`}
        </Alert>
      )}
      <SaveFavouriteDialog open={saving} lines={lines} onClose={() => setSaving(false)} />
      <ManageFavouritesDialog open={managing} favourites={list} onClose={() => setManaging(false)} />
    </>
  );
}

function SaveFavouriteDialog({
  open,
  lines,
  onClose,
}: {
  open: boolean;
  lines: readonly DraftLine[];
  onClose: () => void;
}) {
  const titleId = useId();
  const save = useSaveFavourite();
  const [name, setName] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const taken = save.error instanceof ApiError && save.error.code === 'FAVOURITE_NAME_TAKEN';
  const close = () => {
    setName('');
    setSubmitted(false);
    save.reset();
    onClose();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (name.trim() === '') return;
    save.mutate({ name: name.trim(), items: favouriteItems(lines) }, { onSuccess: close });
  };
  const nameError = taken
    ? 'You have a favourite of this name already: choose another'
    : submitted && name.trim() === ''
      ? 'Give the favourite a name'
      : null;
  return (
    <Dialog open={open} onClose={close} aria-labelledby={titleId} fullWidth maxWidth="xs">
      <form onSubmit={submit} noValidate>
        <DialogTitle id={titleId}>Save as favourite</DialogTitle>
        <DialogContent>
          <DialogContentText sx={{ mb: 2 }}>
            {`The ${lines.length} line${lines.length === 1 ? '' : 's'} of the draft, without quantities: they are computed from the course each time.`}
          </DialogContentText>
          <TextField
            label="Name"
            value={name}
            onChange={(e) => {
              setName(e.target.value);
              if (taken) save.reset();
            }}
            required
            fullWidth
            autoFocus
            placeholder="e.g. Fever, adult"
            error={!!nameError}
            helperText={nameError ?? ' '}
            slotProps={{ htmlInput: { maxLength: 80 } }}
          />
          {!taken && <ProblemAlert error={save.error} sx={{ mt: 1 }} />}
        </DialogContent>
        <DialogActions>
          <Button onClick={close}>Cancel</Button>
          <Button type="submit" variant="contained" disabled={save.isPending}>
            Save
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}

function ManageFavouritesDialog({
  open,
  favourites,
  onClose,
}: {
  open: boolean;
  favourites: readonly Favourite[];
  onClose: () => void;
}) {
  const titleId = useId();
  const remove = useRemoveFavourite();
  return (
    <Dialog open={open} onClose={onClose} aria-labelledby={titleId} fullWidth maxWidth="xs">
      <DialogTitle id={titleId}>Your favourites</DialogTitle>
      <DialogContent>
        {favourites.length === 0 && <DialogContentText>No favourite left.</DialogContentText>}
        <List dense aria-label="Your favourites">
          {favourites.map((f) => (
            <ListItem
              key={f.id}
              secondaryAction={
                <Button
                  size="small"
                  color="error"
                  aria-label={`Remove favourite ${f.name}`}
                  disabled={remove.isPending}
                  onClick={() => remove.mutate(f.id)}
                >
                  Remove
                </Button>
              }
            >
              <ListItemText primary={f.name} secondary={medicinesCount(f)} />
            </ListItem>
          ))}
        </List>
        <ProblemAlert error={remove.error} />
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
}
