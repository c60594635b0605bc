import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import { type ModeTotals, PAYMENT_MODES } from '@newhms/contracts';
import { formatRupees } from '../../../ui/money';
import { paymentModeLabels } from '../billing-labels';

type Props = {
  label: string;
  totals: ModeTotals;
  /** A second column, e.g. refunds paid out by mode. */
  second?: { header: string; totals: ModeTotals };
};

/** Amounts by payment mode, with their total. */
export function ModeTotalsTable({ label, totals, second }: Props) {
  const sum = (t: ModeTotals) => PAYMENT_MODES.reduce((acc, m) => acc + t[m], 0);
  return (
    <Table size="small" aria-label={label}>
      <TableHead>
        <TableRow>
          <TableCell>Mode</TableCell>
          <TableCell align="right">Received</TableCell>
          {second && <TableCell align="right">{second.header}</TableCell>}
        </TableRow>
      </TableHead>
      <TableBody>
        {PAYMENT_MODES.map((mode) => (
          <TableRow key={mode}>
            <TableCell>{paymentModeLabels[mode]}</TableCell>
            <TableCell align="right">{formatRupees(totals[mode])}</TableCell>
            {second && <TableCell align="right">{formatRupees(second.totals[mode])}</TableCell>}
          </TableRow>
        ))}
        <TableRow>
          <TableCell sx={{ fontWeight: 700 }}>Total</TableCell>
          <TableCell align="right" sx={{ fontWeight: 700 }}>
            {formatRupees(sum(totals))}
          </TableCell>
          {second && (
            <TableCell align="right" sx={{ fontWeight: 700 }}>
              {formatRupees(sum(second.totals))}
            </TableCell>
          )}
        </TableRow>
      </TableBody>
    </Table>
  );
}
