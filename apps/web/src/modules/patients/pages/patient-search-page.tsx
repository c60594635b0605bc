import LocalHospital from '@mui/icons-material/LocalHospital';
import PersonAdd from '@mui/icons-material/PersonAdd';
import SearchIcon from '@mui/icons-material/Search';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import InputAdornment from '@mui/material/InputAdornment';
import LinearProgress from '@mui/material/LinearProgress';
import Link from '@mui/material/Link';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { type Sex, sexes } from '@newhms/contracts';
import { type KeyboardEvent, useEffect, useState } from 'react';
import { Link as RouterLink, useNavigate, useSearchParams } from 'react-router';
import { useAuth } from '../../../app/auth/auth-context';
import { formatDateTime } from '../../../ui/format';
import { PageHeader } from '../../../ui/page-header';
import { ProblemAlert } from '../../../ui/problem-alert';
import { useDebouncedValue } from '../../../ui/use-debounced-value';
import { MatchChips } from '../components/match-chips';
import { UnknownPatientDialog } from '../components/unknown-patient-dialog';
import { type SearchResult, usePatientSearch } from '../hooks/use-patients';
import { ageSex } from '../patient-labels';

const hideBelowMd = { display: { xs: 'none', md: 'table-cell' } } as const;

export function PatientSearchPage() {
  const navigate = useNavigate();
  const { can } = useAuth();
  const [params, setParams] = useSearchParams();
  // The box is local state (typing stays smooth); the URL follows, so Back returns to the same results.
  const [q, setQ] = useState(() => params.get('q') ?? '');
  const [birthYear, setBirthYear] = useState(() => params.get('birthYear') ?? '');
  const [sex, setSex] = useState(() => params.get('sex') ?? '');
  const query = useDebouncedValue(q.trim(), 250);
  const year = /^\d{4}$/.test(birthYear) ? Number(birthYear) : undefined;
  const search = usePatientSearch({ q: query, birthYear: year, sex: (sex || undefined) as Sex | undefined });
  const rows = query.length >= 2 ? (search.data?.items ?? []) : [];
  const [active, setActive] = useState(-1);
  const [unknownOpen, setUnknownOpen] = useState(false);

  useEffect(() => {
    const next = new URLSearchParams(params);
    for (const [k, v] of [
      ['q', query],
      ['birthYear', birthYear],
      ['sex', sex],
    ] as const) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    if (next.toString() !== params.toString()) setParams(next, { replace: true });
  }, [query, birthYear, sex, params, setParams]);

  // A new list of results starts without a highlighted row.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset when the results change
  useEffect(() => setActive(-1), [search.data]);

  const open = (row: SearchResult) => navigate(`/patients/${row.id}`);

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown' && rows.length > 0) {
      e.preventDefault();
      setActive((a) => Math.min(a + 1, rows.length - 1));
    } else if (e.key === 'ArrowUp' && rows.length > 0) {
      e.preventDefault();
      setActive((a) => Math.max(a - 1, 0));
    } else if (e.key === 'Enter') {
      const row = active >= 0 ? rows[active] : rows.length === 1 ? rows[0] : undefined;
      if (row) {
        e.preventDefault();
        open(row);
      }
    } else if (e.key === 'Escape') {
      setQ('');
    }
  };

  const highlighted = active >= 0 ? rows[active] : undefined;
  const searching = query.length >= 2;
  return (
    <>
      <PageHeader
        title="Patients"
        subtitle="Find a patient before registering: by MRN, mobile number, ID or name."
        actions={
          can('patients:register') && (
            <>
              <Button
                variant="contained"
                startIcon={<PersonAdd />}
                onClick={() => navigate('/patients/new', { state: { prefill: q.trim() } })}
              >
                Register new patient
              </Button>
              <Button
                variant="outlined"
                color="error"
                startIcon={<LocalHospital />}
                onClick={() => setUnknownOpen(true)}
              >
                Unknown patient (emergency)
              </Button>
            </>
          )
        }
      />
      <Box
        role="search"
        aria-label="Patient search"
        sx={{ display: 'flex', gap: 2, flexWrap: 'wrap', mb: 2, alignItems: 'flex-start' }}
      >
        <TextField
          label="Search patients"
          placeholder="MRN, mobile, Aadhaar / ABHA, or name"
          type="search"
          value={q}
          onChange={(e) => setQ(e.target.value)}
          onKeyDown={onKeyDown}
          autoFocus
          autoComplete="off"
          helperText="↑ ↓ to choose a result, Enter to open it"
          sx={{ flex: '1 1 360px', maxWidth: 640 }}
          slotProps={{
            input: {
              startAdornment: (
                <InputAdornment position="start">
                  <SearchIcon aria-hidden="true" />
                </InputAdornment>
              ),
            },
            // The results table exists only once a search runs.
            htmlInput: { 'aria-controls': searching ? 'patient-results' : undefined, spellCheck: false },
          }}
        />
        <TextField
          label="Birth year"
          value={birthYear}
          onChange={(e) => setBirthYear(e.target.value.replace(/\D/g, '').slice(0, 4))}
          slotProps={{ htmlInput: { inputMode: 'numeric', maxLength: 4 } }}
          sx={{ width: 120 }}
        />
        <TextField
          select
          label="Sex"
          value={sex}
          onChange={(e) => setSex(e.target.value)}
          sx={{ width: 140 }}
        >
          <MenuItem value="">Any</MenuItem>
          {sexes.map((s) => (
            <MenuItem key={s} value={s}>
              {ageSex({ age: null, sex: s })}
            </MenuItem>
          ))}
        </TextField>
      </Box>
      <Box role="status" aria-live="polite" sx={visuallyHidden}>
        {searching && !search.isFetching && `${rows.length} patient${rows.length === 1 ? '' : 's'} found`}
        {highlighted && `. ${highlighted.displayName}, MRN ${highlighted.mrn}, press Enter to open`}
      </Box>
      <ProblemAlert error={search.error} sx={{ mb: 2 }} />
      {!searching ? (
        <EmptyState />
      ) : (
        <TableContainer component={Paper} variant="outlined" sx={{ overflowX: 'auto' }}>
          {search.isFetching && <LinearProgress aria-label="Searching" />}
          <Table size="small" aria-label="Patients found" id="patient-results">
            <TableHead>
              <TableRow>
                {['MRN', 'Name', 'Age / sex', 'Phone'].map((h) => (
                  <TableCell key={h} sx={{ fontWeight: 600, whiteSpace: 'nowrap' }}>
                    {h}
                  </TableCell>
                ))}
                <TableCell sx={{ fontWeight: 600, ...hideBelowMd }}>Locality</TableCell>
                <TableCell sx={{ fontWeight: 600, whiteSpace: 'nowrap', ...hideBelowMd }}>
                  Last visit
                </TableCell>
                <TableCell sx={{ fontWeight: 600, whiteSpace: 'nowrap' }}>Matched on</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {rows.map((row, i) => (
                <TableRow
                  key={row.id}
                  hover
                  selected={i === active}
                  onClick={() => open(row)}
                  data-active={i === active ? 'true' : undefined}
                  sx={{
                    cursor: 'pointer',
                    ...(i === active ? { outline: '2px solid', outlineColor: 'primary.main' } : {}),
                  }}
                >
                  <TableCell sx={{ fontFamily: 'monospace', whiteSpace: 'nowrap' }}>{row.mrn}</TableCell>
                  <TableCell>
                    <Link
                      component={RouterLink}
                      to={`/patients/${row.id}`}
                      onClick={(e) => e.stopPropagation()}
                    >
                      {row.displayName}
                    </Link>
                    {row.unidentified && (
                      <Chip size="small" variant="outlined" label="Unidentified" sx={{ ml: 1 }} />
                    )}
                  </TableCell>
                  <TableCell sx={{ whiteSpace: 'nowrap' }}>{ageSex(row)}</TableCell>
                  <TableCell sx={{ whiteSpace: 'nowrap' }}>{row.phoneEnding ?? '—'}</TableCell>
                  <TableCell sx={hideBelowMd}>{row.locality ?? '—'}</TableCell>
                  <TableCell sx={{ whiteSpace: 'nowrap', ...hideBelowMd }}>
                    {formatDateTime(row.lastVisitAt) || '—'}
                  </TableCell>
                  <TableCell>
                    <MatchChips matchedOn={row.matchedOn} />
                  </TableCell>
                </TableRow>
              ))}
              {!search.isFetching && rows.length === 0 && search.isSuccess && (
                <TableRow>
                  <TableCell colSpan={7}>
                    <Typography>No patient matches “{query}”.</Typography>
                    <Typography color="text.secondary" variant="body2">
                      Try the mobile number or the year of birth, or register a new patient.
                    </Typography>
                  </TableCell>
                </TableRow>
              )}
            </TableBody>
          </Table>
        </TableContainer>
      )}
      <UnknownPatientDialog
        open={unknownOpen}
        onClose={() => setUnknownOpen(false)}
        onRegistered={(p) => navigate(`/patients/${p.id}`, { state: { registered: true } })}
      />
    </>
  );
}

const visuallyHidden = {
  border: 0,
  clip: 'rect(0 0 0 0)',
  height: '1px',
  margin: '-1px',
  overflow: 'hidden',
  padding: 0,
  position: 'absolute',
  whiteSpace: 'nowrap',
  width: '1px',
} as const;

function EmptyState() {
  return (
    <Paper variant="outlined" sx={{ p: 3 }}>
      <Typography variant="h6" component="h2" sx={{ mb: 1 }}>
        Search first, then register
      </Typography>
      <Typography sx={{ mb: 1 }}>Type at least two characters. You can search by:</Typography>
      <Box component="ul" sx={{ m: 0, pl: 3 }}>
        <li>MRN, e.g. from the registration card or wristband</li>
        <li>mobile number, with or without +91</li>
        <li>Aadhaar, ABHA number or address, passport, voter ID or insurance member ID</li>
        <li>name: spelling mistakes and names that sound alike are found too</li>
      </Box>
    </Paper>
  );
}
