import Box from '@mui/material/Box';
import MenuItem from '@mui/material/MenuItem';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { LineChart } from '@mui/x-charts/LineChart';
import { type Observation, vitalSigns } from '@newhms/contracts';
import { useId, useMemo, useState } from 'react';
import { ChartDataTable } from '../../../ui/chart-data-table';
import { trendChoices, vitalFields } from '../vital-labels';

const shortDate = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });

type Props = { vitals: Observation[] };

/** A vital sign over the patient's visits, as a chart with the same values in a table for screen readers. */
export function VitalsTrend({ vitals }: Props) {
  const [choice, setChoice] = useState(trendChoices[0]?.id ?? 'bp');
  const captionId = useId();
  const selected = trendChoices.find((c) => c.id === choice) ?? trendChoices[0]!;
  const points = useMemo(() => {
    const codes: string[] = selected.series.map((k) => vitalSigns[k].loinc);
    const byTime = new Map<string, (number | null)[]>();
    for (const o of vitals) {
      const i = codes.indexOf(o.code);
      if (i < 0 || o.value === null || o.status === 'entered-in-error') continue;
      const row = byTime.get(o.effectiveAt) ?? codes.map(() => null);
      row[i] = o.value;
      byTime.set(o.effectiveAt, row);
    }
    return [...byTime.entries()]
      .map(([at, values]) => ({ at: new Date(at), values }))
      .sort((a, b) => a.at.getTime() - b.at.getTime())
      .slice(-20);
  }, [vitals, selected]);
  const labelOf = (k: string) => (k === 'bmi' ? 'BMI' : (vitalFields.find((f) => f.key === k)?.label ?? k));

  return (
    <Box component="figure" aria-labelledby={captionId} sx={{ m: 0 }}>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mb: 1 }}>
        <Typography
          id={captionId}
          component="figcaption"
          variant="subtitle1"
          sx={{ fontWeight: 600, flexGrow: 1 }}
        >
          Vitals trend
        </Typography>
        <TextField
          select
          size="small"
          label="Show"
          value={choice}
          onChange={(e) => setChoice(e.target.value)}
          sx={{ minWidth: 150 }}
        >
          {trendChoices.map((c) => (
            <MenuItem key={c.id} value={c.id}>
              {c.label}
            </MenuItem>
          ))}
        </TextField>
      </Box>
      {points.length === 0 ? (
        <Typography color="text.secondary" variant="body2">
          No {selected.label.toLowerCase()} recorded yet.
        </Typography>
      ) : (
        <>
          <Box data-testid="vitals-chart">
            <LineChart
              height={200}
              skipAnimation
              margin={{ left: 0, right: 8, top: 8, bottom: 0 }}
              xAxis={[
                {
                  data: points.map((p) => p.at),
                  scaleType: points.length > 1 ? 'time' : 'point',
                  valueFormatter: (d: Date) => shortDate.format(d),
                },
              ]}
              yAxis={[{ width: 40 }]}
              series={selected.series.map((k, i) => ({
                data: points.map((p) => p.values[i] ?? null),
                label: `${labelOf(k)} (${selected.unit})`,
                connectNulls: true,
                showMark: true,
              }))}
              hideLegend={selected.series.length < 2}
            />
          </Box>
          <ChartDataTable
            caption={`${selected.label} (${selected.unit}), oldest first`}
            series={selected.series}
            labelOf={labelOf}
            points={points}
          />
        </>
      )}
    </Box>
  );
}
