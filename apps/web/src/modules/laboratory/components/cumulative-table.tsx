import LinearProgress from '@mui/material/LinearProgress';
import Paper from '@mui/material/Paper';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useMemo } from 'react';
import { formatDateTime } from '../../../ui/format';
import { ProblemAlert } from '../../../ui/problem-alert';
import { cumulativeGrid } from '../cumulative-grid';
import { useCumulativeResults } from '../hooks/use-laboratory';
import { isCriticalFlag } from '../result-flags';
import { FlagMark } from './flag-chip';

/** A patient's released results as a table of tests by draw, newest draw first, flags beside the values. */
export function CumulativeTable({ patientId }: { patientId: string }) {
  const cumulative = useCumulativeResults(patientId);
  const grid = useMemo(() => (cumulative.data ? cumulativeGrid(cumulative.data) : null), [cumulative.data]);
  if (cumulative.isLoading) return <LinearProgress aria-label="Loading the cumulative results" />;
  if (cumulative.error) return <ProblemAlert error={cumulative.error} />;
  if (!grid || grid.rows.length === 0) {
    return <Typography color="text.secondary">No released result yet.</Typography>;
  }
  return (
    <TableContainer component={Paper} variant="outlined" sx={{ overflowX: 'auto' }} tabIndex={0}>
      <Table size="small" aria-label="Cumulative results" data-testid="cumulative-results">
        <TableHead>
          <TableRow>
            <TableCell
              component="th"
              scope="col"
              sx={{ fontWeight: 600, position: 'sticky', left: 0, bgcolor: 'background.paper' }}
            >
              Test
            </TableCell>
            <TableCell component="th" scope="col" sx={{ fontWeight: 600 }}>
              Unit
            </TableCell>
            {grid.columns.map((c) => (
              <TableCell
                key={c.key}
                component="th"
                scope="col"
                sx={{ fontWeight: 600, whiteSpace: 'nowrap' }}
              >
                {c.at ? formatDateTime(c.at) : 'Undated'}
              </TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {grid.rows.map((row) => (
            <TableRow key={row.code} hover>
              <TableCell
                component="th"
                scope="row"
                sx={{ fontWeight: 600, position: 'sticky', left: 0, bgcolor: 'background.paper' }}
              >
                {row.name}
              </TableCell>
              <TableCell>{row.unit ?? ''}</TableCell>
              {grid.columns.map((c) => (
                <TableCell key={c.key} sx={{ whiteSpace: 'nowrap' }}>
                  {(row.cells[c.key] ?? []).map((cell, i) => (
                    <Typography
                      // biome-ignore lint/suspicious/noArrayIndexKey: two values of one draw keep their order
                      key={i}
                      component="span"
                      sx={{
                        display: 'block',
                        fontWeight: cell.flag && cell.flag !== 'N' ? 700 : 400,
                        color: isCriticalFlag(cell.flag) ? 'error.main' : undefined,
                      }}
                    >
                      {cell.text}
                      <FlagMark flag={cell.flag} />
                      {cell.amended ? ' (amended)' : ''}
                    </Typography>
                  ))}
                </TableCell>
              ))}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </TableContainer>
  );
}
