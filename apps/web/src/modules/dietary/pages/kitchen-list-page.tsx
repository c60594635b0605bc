import Print from '@mui/icons-material/Print';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import MenuItem from '@mui/material/MenuItem';
import Paper from '@mui/material/Paper';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import ToggleButton from '@mui/material/ToggleButton';
import ToggleButtonGroup from '@mui/material/ToggleButtonGroup';
import Typography from '@mui/material/Typography';
import { type KitchenLine, MEAL_TIMES, type Meal, meals, type Ward } from '@newhms/contracts';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../../app/api-client';
import { useAuth } from '../../../app/auth/auth-context';
import { type Column, DataTable } from '../../../ui/data-table';
import {
  addDays,
  calendarDateIn,
  formatCalendarDate,
  formatTimeIn,
  useFacilityDate,
  useFacilityTimeZone,
} from '../../../ui/facility-time';
import { useOpenPdf } from '../../../ui/open-pdf';
import { PageHeader } from '../../../ui/page-header';
import { ProblemAlert } from '../../../ui/problem-alert';
import { countLabel, dietLabels, mealLabels, serveLabels } from '../diet-labels';
import { useKitchenList } from '../hooks/use-dietary';

/** The next meal to be served by the facility's clock (after dinner: tomorrow's breakfast is not shown here). */
function nextMeal(timeZone: string): Meal {
  const now = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(new Date());
  return meals.find((m) => MEAL_TIMES[m] >= now) ?? 'dinner';
}

function KitchenCounts({ counts, label }: { counts: Record<string, number>; label: string }) {
  const entries = Object.entries(counts).filter(([, n]) => n > 0);
  return (
    <Box
      component="ul"
      aria-label={label}
      sx={{ display: 'flex', flexWrap: 'wrap', gap: 1, p: 0, m: 0, listStyle: 'none' }}
    >
      {entries.map(([k, n]) => (
        <li key={k}>
          <Chip label={`${countLabel(k)}: ${n}`} variant="outlined" />
        </li>
      ))}
      {entries.length === 0 && (
        <li>
          <Typography color="text.secondary">No beds</Typography>
        </li>
      )}
    </Box>
  );
}

const lineColumns = (timeZone: string): Column<KitchenLine>[] => [
  { id: 'bed', header: 'Bed', render: (l) => l.bedCode },
  {
    id: 'patient',
    header: 'Patient',
    render: (l) => (
      <>
        {l.patientName}
        <Typography component="span" variant="body2" color="text.secondary" sx={{ ml: 1 }}>
          {l.mrn}
        </Typography>
      </>
    ),
  },
  { id: 'diet', header: 'Diet', render: (l) => (l.diet ? dietLabels[l.diet] : 'No order') },
  {
    id: 'serve',
    header: 'Serve',
    render: (l) => (
      <Chip
        size="small"
        label={
          l.serve === 'npo' && l.npoUntil
            ? `NPO until ${formatTimeIn(l.npoUntil, timeZone)}`
            : serveLabels[l.serve]
        }
        color={l.serve === 'ask-ward' ? 'warning' : l.serve === 'npo' ? 'default' : 'primary'}
      />
    ),
  },
  {
    id: 'allergies',
    header: 'Allergies',
    render: (l) =>
      l.allergies.length > 0 ? (
        <Box component="strong" sx={{ color: 'error.main' }}>
          {l.allergies.join('; ')}
        </Box>
      ) : l.allergyState === 'none-known' ? (
        'None known'
      ) : (
        <Box component="span" sx={{ color: 'warning.dark' }}>
          Not recorded
        </Box>
      ),
  },
  { id: 'instructions', header: 'Instructions', render: (l) => l.instructions ?? '' },
];

/** The kitchen's list of a meal: beds by ward with diet, NPO and allergies; counts per diet; tube feeds apart. */
export function KitchenListPage() {
  const { me, facilityId } = useAuth();
  const timeZone = useFacilityTimeZone();
  const today = calendarDateIn(timeZone);
  const [date, setDate] = useFacilityDate();
  const [meal, setMeal] = useState<Meal>(() => nextMeal(timeZone));
  const [wardId, setWardId] = useState('');
  const wards = useQuery({
    queryKey: ['ipd', 'wards'],
    queryFn: ({ signal }) => api.get<{ items: Ward[] }>('/ipd/wards', { active: true }, signal),
    select: (data) => data.items,
    staleTime: 5 * 60_000,
    retry: false,
  });
  const query = { meal, date, ...(wardId ? { wardId } : {}) };
  const list = useKitchenList(query);
  const pdf = useOpenPdf();
  const facility = me?.facilities.find((f) => f.facilityId === facilityId);
  const columns = lineColumns(timeZone);
  const pdfQuery = new URLSearchParams(query).toString();

  return (
    <>
      <PageHeader
        title="Kitchen list"
        subtitle={`${facility?.facilityName ?? ''} · ${mealLabels[meal]} at ${MEAL_TIMES[meal]} on ${formatCalendarDate(date)}`}
        actions={
          <Button
            variant="outlined"
            startIcon={<Print />}
            disabled={pdf.isPending}
            onClick={() =>
              pdf.mutate({
                path: `/dietary/kitchen-list.pdf?${pdfQuery}`,
                filename: `kitchen-${date}-${meal}.pdf`,
              })
            }
          >
            {pdf.isPending ? 'Preparing…' : 'Print PDF'}
          </Button>
        }
      />
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} sx={{ mb: 3, alignItems: { sm: 'center' } }}>
        <TextField
          select
          size="small"
          label="Day"
          value={date}
          onChange={(e) => setDate(e.target.value)}
          sx={{ minWidth: 200 }}
        >
          {[
            [addDays(today, -1), 'Yesterday'],
            [today, 'Today'],
            [addDays(today, 1), 'Tomorrow'],
          ].map(([d, label]) => (
            <MenuItem key={d} value={d}>
              {label} ({formatCalendarDate(d)})
            </MenuItem>
          ))}
        </TextField>
        <ToggleButtonGroup
          exclusive
          size="small"
          value={meal}
          onChange={(_, m: Meal | null) => m && setMeal(m)}
          aria-label="Meal"
        >
          {meals.map((m) => (
            <ToggleButton key={m} value={m}>
              {mealLabels[m]}
            </ToggleButton>
          ))}
        </ToggleButtonGroup>
        <TextField
          select
          size="small"
          label="Ward"
          value={wardId}
          onChange={(e) => setWardId(e.target.value)}
          sx={{ minWidth: 200 }}
        >
          <MenuItem value="">All wards</MenuItem>
          {(wards.data ?? []).map((w) => (
            <MenuItem key={w.id} value={w.id}>
              {w.name}
            </MenuItem>
          ))}
        </TextField>
      </Stack>
      <ProblemAlert error={list.error ?? pdf.error} sx={{ mb: 2 }} />
      {list.data && (
        <Stack spacing={3}>
          <Paper variant="outlined" component="section" aria-labelledby="kitchen-totals-title" sx={{ p: 2 }}>
            <Typography id="kitchen-totals-title" variant="h6" component="h2" sx={{ mb: 1 }}>
              Totals
            </Typography>
            <KitchenCounts counts={list.data.totals} label="Totals per diet" />
          </Paper>
          {list.data.wards.map((w) => (
            <Box component="section" key={w.wardId} aria-labelledby={`kitchen-ward-${w.wardId}`}>
              <Typography id={`kitchen-ward-${w.wardId}`} variant="h6" component="h2" sx={{ mb: 1 }}>
                {w.wardName}
              </Typography>
              <Box sx={{ mb: 1 }}>
                <KitchenCounts counts={w.counts} label={`Counts per diet, ${w.wardName}`} />
              </Box>
              <DataTable
                label={`Kitchen list ${w.wardName}`}
                columns={columns}
                rows={w.lines}
                rowKey={(l) => l.admissionId}
                emptyText="No patients in this ward."
              />
            </Box>
          ))}
          {list.data.wards.length === 0 && (
            <Typography color="text.secondary">No in-patients to feed.</Typography>
          )}
          {list.data.tubeFeeds.length > 0 && (
            <Box component="section" aria-labelledby="kitchen-tube-feeds">
              <Typography id="kitchen-tube-feeds" variant="h6" component="h2" sx={{ mb: 1 }}>
                Tube feeds (diet kitchen)
              </Typography>
              <DataTable
                label="Tube feeds"
                columns={[
                  { id: 'ward', header: 'Ward', render: (l) => l.wardName },
                  columns[0]!,
                  columns[1]!,
                  {
                    id: 'feed',
                    header: 'Feed',
                    render: (l) =>
                      l.tubeFeed
                        ? `${l.tubeFeed.formula}, ${l.tubeFeed.volumeMl} ml × ${l.tubeFeed.timesPerDay}/day`
                        : '',
                  },
                  columns[4]!,
                  columns[5]!,
                ]}
                rows={list.data.tubeFeeds}
                rowKey={(l) => l.admissionId}
              />
            </Box>
          )}
        </Stack>
      )}
    </>
  );
}
