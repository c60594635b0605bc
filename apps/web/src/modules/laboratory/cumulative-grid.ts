import type { CumulativeResults } from '@newhms/contracts';
import type { z } from 'zod';
import { formatResultValue, type LabFlag } from './result-flags';

// Pure: the cumulative view (a patient's released results per test over time) as a grid of tests by draw:
// one column per collection time, newest first, so that the values of one draw stand together.

type Cumulative = z.infer<typeof CumulativeResults>;

type GridCell = { text: string; flag: LabFlag | null; amended: boolean; requestId: string };
export type GridColumn = { key: string; at: string | null };
export type GridRow = { code: string; name: string; unit: string | null; cells: Record<string, GridCell[]> };

/** Columns (draws, newest first) and rows (tests, in the server's order) of the cumulative results. */
export function cumulativeGrid(data: Cumulative): { columns: GridColumn[]; rows: GridRow[] } {
  const columns = new Map<string, GridColumn>();
  const rows: GridRow[] = data.tests.map((t) => {
    const cells: Record<string, GridCell[]> = {};
    for (const v of t.values) {
      const at = v.collectedAt ?? v.validatedAt;
      const key = at ?? `result:${v.resultId}`;
      if (!columns.has(key)) columns.set(key, { key, at });
      // The unit is the test's, said once in the row header.
      const text = formatResultValue({
        value: v.value,
        text: v.text,
        culture: v.culture,
        unit: null,
        decimals: t.decimals,
      });
      cells[key] = [
        ...(cells[key] ?? []),
        { text, flag: v.flag, amended: v.amended, requestId: v.requestId },
      ];
    }
    return { code: t.code, name: t.name, unit: t.unit, cells };
  });
  const sorted = [...columns.values()].sort((a, b) => (b.at ?? '').localeCompare(a.at ?? ''));
  return { columns: sorted, rows };
}
