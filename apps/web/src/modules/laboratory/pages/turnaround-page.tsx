import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { type LabSection, type LabTurnaroundReport, labSections } from '@newhms/contracts';
import { useState } from 'react';
import { type Column, DataTable } from '../../../ui/data-table';
import { addDays, calendarDateIn, formatCalendarDate, useFacilityTimeZone } from '../../../ui/facility-time';
import { fieldErrorsFromProblem } from '../../../ui/form-validation';
import { PageHeader } from '../../../ui/page-header';
import { ProblemAlert } from '../../../ui/problem-alert';
import { Section } from '../../../ui/titled-section';
import { useTurnaroundReport } from '../hooks/use-laboratory';
import { formatMinutes } from '../lab-time';
import { sectionLabels } from '../laboratory-labels';

type Figures = LabTurnaroundReport['sections'][number];
type TestFigures = LabTurnaroundReport['tests'][number];

const pair = (f: { median: number | null; p90: number | null }) =>
  f.median === null ? '—' : `${formatMinutes(f.median)} / ${formatMinutes(f.p90)}`;

function overTarget(f: Omit<Figures, 'section'>) {
  if (f.count === 0) return '—';
  const pct = Math.round((f.overTarget / f.count) * 100);
  return (
    <Typography
      component="span"
      variant="body2"
      sx={{ fontWeight: f.overTarget > 0 ? 700 : 400, color: f.overTarget > 0 ? 'error.main' : undefined }}
    >
      {`${f.overTarget} of ${f.count} (${pct}%)`}
    </Typography>
  );
}

/** Turnaround (/laboratory/turnaround): collection and receipt to validation per section and test, against targets. */
export function TurnaroundPage() {
  const timeZone = useFacilityTimeZone();
  const today = calendarDateIn(timeZone);
  // Untouched, the days follow the facility's today: its time zone arrives after the first render, and near
  // midnight the browser's date is not the facility's.
  const [chosen, setChosen] = useState<{ from?: string; to?: string }>({});
  const from = chosen.from ?? addDays(today, -6);
  const to = chosen.to ?? today;
  const setFrom = (value: string) => setChosen((c) => ({ ...c, from: value }));
  const setTo = (value: string) => setChosen((c) => ({ ...c, to: value }));
  const [section, setSection] = useState<LabSection | ''>('');
  const report = useTurnaroundReport({ from, to, section });
  const errors = fieldErrorsFromProblem(report.error);
  const backwards = from > to;

  const sectionColumns: Column<Figures>[] = [
    { id: 'section', header: 'Section', render: (f) => sectionLabels[f.section] },
    { id: 'count', header: 'Results', align: 'right', render: (f) => f.count },
    {
      id: 'collection',
      header: 'From collection (median / 90th)',
      render: (f) => pair(f.collectionToValidation),
    },
    {
      id: 'receipt',
      header: 'From receipt (median / 90th)',
      render: (f) => pair(f.receiptToValidation),
      hideBelow: 'sm',
    },
    { id: 'over', header: 'Over target', render: overTarget },
  ];
  const testColumns: Column<TestFigures>[] = [
    {
      id: 'test',
      header: 'Test',
      render: (f) => (
        <>
          {f.testName}
          <Typography variant="body2" color="text.secondary">
            {`${f.testCode} · ${sectionLabels[f.section]}`}
          </Typography>
        </>
      ),
    },
    {
      id: 'count',
      header: 'Results',
      align: 'right',
      render: (f) => (f.stat > 0 ? `${f.count} (${f.stat} STAT)` : f.count),
    },
    {
      id: 'target',
      header: 'Target (routine / STAT)',
      render: (f) => `${formatMinutes(f.targetRoutineMinutes)} / ${formatMinutes(f.targetStatMinutes)}`,
      hideBelow: 'md',
    },
    {
      id: 'collection',
      header: 'From collection (median / 90th)',
      render: (f) => pair(f.collectionToValidation),
    },
    {
      id: 'receipt',
      header: 'From receipt (median / 90th)',
      render: (f) => pair(f.receiptToValidation),
      hideBelow: 'sm',
    },
    { id: 'over', header: 'Over target', render: overTarget },
  ];

  return (
    <>
      <PageHeader
        title="Lab turnaround"
        subtitle={`Minutes to validation of released results, by the day their sample was collected (${timeZone}), against each test's target`}
      />
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} sx={{ mb: 2 }}>
        <TextField
          type="date"
          label="From"
          value={from}
          onChange={(e) => setFrom(e.target.value)}
          slotProps={{ inputLabel: { shrink: true } }}
          error={!!errors.from}
          helperText={errors.from ?? ' '}
        />
        <TextField
          type="date"
          label="To"
          value={to}
          onChange={(e) => setTo(e.target.value)}
          slotProps={{ inputLabel: { shrink: true } }}
          error={backwards || !!errors.to}
          helperText={backwards ? 'On or after From' : (errors.to ?? ' ')}
        />
        <TextField
          select
          label="Section"
          value={section}
          onChange={(e) => setSection(e.target.value as LabSection | '')}
          slotProps={{ inputLabel: { shrink: true }, select: { displayEmpty: true } }}
          sx={{ minWidth: 200 }}
        >
          <MenuItem value="">All sections</MenuItem>
          {labSections.map((s) => (
            <MenuItem key={s} value={s}>
              {sectionLabels[s]}
            </MenuItem>
          ))}
        </TextField>
      </Stack>
      <ProblemAlert error={report.error} sx={{ mb: 2 }} />
      <Stack spacing={2}>
        <Section
          title={`By section, ${formatCalendarDate(report.data?.from ?? from)} to ${formatCalendarDate(report.data?.to ?? to)}`}
        >
          <DataTable
            label="Turnaround by section"
            columns={sectionColumns}
            rows={report.data?.sections ?? []}
            rowKey={(f) => f.section}
            loading={report.isFetching}
            emptyText="No released result of samples collected in these days"
          />
        </Section>
        <Section title="By test">
          <DataTable
            label="Turnaround by test"
            columns={testColumns}
            rows={report.data?.tests ?? []}
            rowKey={(f) => f.testCode}
            loading={report.isFetching}
            emptyText="No released result of samples collected in these days"
          />
        </Section>
      </Stack>
    </>
  );
}
