import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableRow from '@mui/material/TableRow';
import { formatRupees } from '../../../ui/money';

type Props = {
  label: string;
  claimed: number;
  claimedLabel?: string;
  settled: number;
  tds: number;
  disallowed: number;
  writtenOff: number;
  remaining: number;
};

/** The claim's sum, line by line: claimed = settled + TDS + disallowed + written off + what remains. */
export function ClaimArithmetic(p: Props) {
  const rows: [string, string, number][] = [
    ['settled', 'Settled (received)', p.settled],
    ['tds', '+ TDS', p.tds],
    ['disallowed', '+ Disallowed', p.disallowed],
    ...(p.writtenOff > 0
      ? ([['written-off', '+ Written off', p.writtenOff]] as [string, string, number][])
      : []),
    ['remaining', '+ Remaining', p.remaining],
  ];
  const sum = p.settled + p.tds + p.disallowed + p.writtenOff + p.remaining;
  return (
    <Table size="small" aria-label={p.label} sx={{ maxWidth: 420 }}>
      <TableBody>
        {rows.map(([key, label, amount]) => (
          <TableRow key={key} data-testid={`arith-${key}`}>
            <TableCell component="th" scope="row">
              {label}
            </TableCell>
            <TableCell align="right" sx={{ fontVariantNumeric: 'tabular-nums' }}>
              {formatRupees(amount)}
            </TableCell>
          </TableRow>
        ))}
        <TableRow data-testid="arith-claimed">
          <TableCell component="th" scope="row" sx={{ fontWeight: 700, borderTop: 2 }}>
            = {p.claimedLabel ?? 'Claimed'}
          </TableCell>
          <TableCell align="right" sx={{ fontWeight: 700, borderTop: 2, fontVariantNumeric: 'tabular-nums' }}>
            {formatRupees(p.claimed)}
            {sum !== p.claimed ? ` (parts add up to ${formatRupees(sum)})` : ''}
          </TableCell>
        </TableRow>
      </TableBody>
    </Table>
  );
}
