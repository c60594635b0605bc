import { readCsv, readCsvTable as readTable } from '../../../platform/csv/csv';

// The reference files of the checker are ours: the first problem in one is a defect, thrown with its line.

export type { CsvRecord } from '../../../platform/csv/csv';

/** Records of a CSV text with the line each starts on; throws at the first broken record. */
export function readCsvRecords(text: string, file: string) {
  const { records, problems } = readCsv(text, file);
  const first = problems[0];
  if (first) throw new Error(`${file} line ${first.line}: ${first.message}`);
  return records;
}

/** Rows of a CSV with a header line, by column name; throws at the first problem (missing column, width). */
export function readCsvTable(
  text: string,
  file: string,
  columns: readonly string[],
): { line: number; row: Record<string, string> }[] {
  const { rows, problems } = readTable(text, file, columns);
  const first = problems[0];
  if (first) throw new Error(`${file} line ${first.line}: ${first.message}`);
  return rows;
}
