import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import LinearProgress from '@mui/material/LinearProgress';
import Paper from '@mui/material/Paper';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TableSortLabel from '@mui/material/TableSortLabel';
import Typography from '@mui/material/Typography';
import type { ReactNode } from 'react';

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

export type Column<Row> = {
  id: string;
  header: string;
  render: (row: Row) => ReactNode;
  /** The API's sort key; makes the header a sort button. */
  sortKey?: string;
  width?: number | string;
  align?: 'left' | 'right' | 'center';
  /** Hide on narrow screens (tablets) to keep the table readable. */
  hideBelow?: 'sm' | 'md' | 'lg';
};

export type SortOrder = 'asc' | 'desc';

type Props<Row> = {
  /** The accessible name of the table. */
  label: string;
  columns: Column<Row>[];
  rows: Row[];
  rowKey: (row: Row) => string;
  loading?: boolean;
  emptyText?: string;
  sort?: string;
  order?: SortOrder;
  onSort?: (sortKey: string, order: SortOrder) => void;
  hasMore?: boolean;
  loadingMore?: boolean;
  onLoadMore?: () => void;
};

/** A list of records with sortable headers and keyset "Load more" paging. */
export function DataTable<Row>(props: Props<Row>) {
  const { label, columns, rows, rowKey, loading, emptyText = 'Nothing to show', sort, order = 'asc' } = props;
  const display = (col: Column<Row>) =>
    col.hideBelow ? { xs: 'none', [col.hideBelow]: 'table-cell' } : undefined;
  return (
    <Box>
      {/* A table wider than the screen scrolls: the keyboard must reach it too (focusable). */}
      <TableContainer component={Paper} variant="outlined" sx={{ overflowX: 'auto' }} tabIndex={0}>
        {loading && <LinearProgress aria-label={`Loading ${label}`} />}
        <Table size="small" aria-label={label}>
          <TableHead>
            <TableRow>
              {columns.map((col) => {
                const active = col.sortKey !== undefined && sort === col.sortKey;
                return (
                  <TableCell
                    key={col.id}
                    align={col.align}
                    sx={{ width: col.width, display: display(col), fontWeight: 600, whiteSpace: 'nowrap' }}
                    sortDirection={active ? order : false}
                  >
                    {col.sortKey && props.onSort ? (
                      <TableSortLabel
                        active={active}
                        direction={active ? order : 'asc'}
                        onClick={() => {
                          const key = col.sortKey as string;
                          props.onSort?.(key, active && order === 'asc' ? 'desc' : 'asc');
                        }}
                      >
                        {col.header}
                        {active && (
                          <Box component="span" sx={visuallyHidden}>
                            {order === 'desc' ? ', sorted descending' : ', sorted ascending'}
                          </Box>
                        )}
                      </TableSortLabel>
                    ) : (
                      col.header
                    )}
                  </TableCell>
                );
              })}
            </TableRow>
          </TableHead>
          <TableBody>
            {rows.map((row) => (
              <TableRow key={rowKey(row)} hover>
                {columns.map((col) => (
                  <TableCell key={col.id} align={col.align} sx={{ display: display(col) }}>
                    {col.render(row)}
                  </TableCell>
                ))}
              </TableRow>
            ))}
            {!loading && rows.length === 0 && (
              <TableRow>
                <TableCell colSpan={columns.length}>
                  <Typography color="text.secondary">{emptyText}</Typography>
                </TableCell>
              </TableRow>
            )}
          </TableBody>
        </Table>
      </TableContainer>
      {props.onLoadMore && props.hasMore && (
        <Box sx={{ display: 'flex', justifyContent: 'center', mt: 2 }}>
          <Button variant="outlined" onClick={props.onLoadMore} disabled={props.loadingMore}>
            {props.loadingMore ? 'Loading…' : 'Load more'}
          </Button>
        </Box>
      )}
    </Box>
  );
}
