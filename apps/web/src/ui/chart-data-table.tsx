import Box from '@mui/material/Box';
import { formatDateTime } from './format';

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

type Props = {
  caption: string;
  /** Column keys of the series, in order, and how each is named. */
  series: readonly string[];
  labelOf: (key: string) => string;
  /** One row per time, a value (or null) per series. */
  points: readonly { at: Date; values: readonly (number | null)[] }[];
};

/** The numbers behind a trend chart, as a table only screen readers see (the chart itself is an image to them). */
export function ChartDataTable({ caption, series, labelOf, points }: Props) {
  return (
    <Box component="table" sx={visuallyHidden}>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">When</th>
          {series.map((key) => (
            <th key={key} scope="col">
              {labelOf(key)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {points.map((p) => (
          <tr key={p.at.toISOString()}>
            <td>{formatDateTime(p.at.toISOString())}</td>
            {p.values.map((v, i) => (
              <td key={series[i]}>{v ?? '—'}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </Box>
  );
}
