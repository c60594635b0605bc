import Paper from '@mui/material/Paper';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableFooter from '@mui/material/TableFooter';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { type AgingAmounts, agingBuckets } from '@newhms/contracts';
import type { ReactNode } from 'react';
import { formatRupees } from '../../../ui/money';

export const bucketLabels: Record<(typeof agingBuckets)[number], string> = {
  '0-30': '0–30 days',
  '31-60': '31–60 days',
  '61-90': '61–90 days',
  '91-180': '91–180 days',
  '181+': 'Over 180 days',
};

export type AgingRow = { key: string; name: ReactNode; count: number; amounts: AgingAmounts };

const money = { fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' } as const;

/** Receivables by age bucket, one row per payer or patient, with a totals row. */
export function AgingTable({
  label,
  nameHeader,
  countHeader,
  rows,
  totals,
  emptyText,
}: {
  label: string;
  nameHeader: string;
  countHeader: string;
  rows: AgingRow[];
  totals: AgingAmounts | undefined;
  emptyText: string;
}) {
  return (
    <TableContainer component={Paper} variant="outlined" sx={{ overflowX: 'auto' }} tabIndex={0}>
      <Table size="small" aria-label={label}>
        <TableHead>
          <TableRow>
            <TableCell sx={{ fontWeight: 600 }}>{nameHeader}</TableCell>
            <TableCell align="right" sx={{ fontWeight: 600 }}>
              {countHeader}
            </TableCell>
            {agingBuckets.map((b) => (
              <TableCell key={b} align="right" sx={{ fontWeight: 600, whiteSpace: 'nowrap' }}>
                {bucketLabels[b]}
              </TableCell>
            ))}
            <TableCell align="right" sx={{ fontWeight: 600 }}>
              Total
            </TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.map((r) => (
            <TableRow key={r.key} hover>
              <TableCell component="th" scope="row">
                {r.name}
              </TableCell>
              <TableCell align="right">{r.count}</TableCell>
              {agingBuckets.map((b) => (
                <TableCell key={b} align="right" sx={money}>
                  {r.amounts[b] ? formatRupees(r.amounts[b]) : '—'}
                </TableCell>
              ))}
              <TableCell align="right" sx={{ ...money, fontWeight: 600 }}>
                {formatRupees(r.amounts.total)}
              </TableCell>
            </TableRow>
          ))}
          {rows.length === 0 && (
            <TableRow>
              <TableCell colSpan={agingBuckets.length + 3}>
                <Typography color="text.secondary">{emptyText}</Typography>
              </TableCell>
            </TableRow>
          )}
        </TableBody>
        {totals && rows.length > 0 && (
          <TableFooter>
            <TableRow>
              <TableCell component="th" scope="row" sx={{ fontWeight: 700, color: 'text.primary' }}>
                Total
              </TableCell>
              <TableCell align="right" sx={{ fontWeight: 700, color: 'text.primary' }}>
                {rows.reduce((s, r) => s + r.count, 0)}
              </TableCell>
              {agingBuckets.map((b) => (
                <TableCell key={b} align="right" sx={{ ...money, fontWeight: 700, color: 'text.primary' }}>
                  {formatRupees(totals[b])}
                </TableCell>
              ))}
              <TableCell align="right" sx={{ ...money, fontWeight: 700, color: 'text.primary' }}>
                {formatRupees(totals.total)}
              </TableCell>
            </TableRow>
          </TableFooter>
        )}
      </Table>
    </TableContainer>
  );
}
