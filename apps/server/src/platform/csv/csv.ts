// Reading the CSV files the system ships and imports (formulary, drug rules, lab catalog): RFC 4180 with the
// line each record starts on, and past a broken record to the next, so that a hospital's file gets every
// problem listed at once. (csv-parse was tried: after a bad quote it loses the records that follow, and it
// counts a CRLF inside quotes as two lines.)

export type CsvRecord = { line: number; fields: string[] };
export type CsvProblem = { file: string; line: number; message: string };

/**
 * RFC 4180 records with the line each starts on. Accepts a byte-order mark, LF, CRLF or CR line ends, quoted
 * fields holding commas, quotes ("") and line breaks, and spaces around a quoted field. A malformed record
 * (text after a closing quote, a quote never closed) is reported and skipped; the rest are still read.
 * Blank lines and lines of commas only are not records.
 */
export function readCsv(text: string, file: string): { records: CsvRecord[]; problems: CsvProblem[] } {
  const src = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  const problems: CsvProblem[] = [];
  let fields: string[] = [];
  let field = '';
  let state: 'start' | 'plain' | 'quoted' | 'closed' = 'start';
  let broken: string | null = null;
  let line = 1;
  let recordLine = 1;
  const endField = () => {
    fields.push(state === 'plain' ? field.trim() : field);
    field = '';
    state = 'start';
  };
  const endRecord = () => {
    endField();
    if (broken) problems.push({ file, line: recordLine, message: broken });
    else if (fields.some((f) => f.trim() !== '')) records.push({ line: recordLine, fields });
    fields = [];
    broken = null;
  };
  for (let i = 0; i < src.length; i++) {
    const ch = src[i] as string;
    if (state === 'quoted') {
      if (ch === '"' && src[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') state = 'closed';
      else {
        if (ch === '\n' || (ch === '\r' && src[i + 1] !== '\n')) line++;
        field += ch;
      }
      continue;
    }
    if (ch === ',') endField();
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && src[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else if (state === 'closed') {
      if (ch !== ' ' && ch !== '\t')
        broken ??= 'text after a closing quote (quote the whole field, "" for a quote)';
    } else if (ch === '"') {
      if (state === 'plain' && field.trim() !== '') {
        broken ??= 'a quote inside an unquoted field (quote the whole field, "" for a quote)';
        field += ch;
      } else {
        field = '';
        state = 'quoted';
      }
    } else {
      field += ch;
      state = 'plain';
    }
  }
  if (state === 'quoted') {
    problems.push({ file, line: recordLine, message: 'a quote opened here is never closed' });
  } else if (state !== 'start' || fields.length > 0) endRecord();
  return { records, problems };
}

/**
 * Rows of a CSV with a header line, by column name, with their lines. Missing required columns and rows
 * with another number of fields than the header are problems.
 */
export function readCsvTable(
  text: string,
  file: string,
  required: readonly string[] = [],
): { header: string[]; rows: { line: number; row: Record<string, string> }[]; problems: CsvProblem[] } {
  const { records, problems } = readCsv(text, file);
  const [first, ...rest] = records;
  if (!first)
    return { header: [], rows: [], problems: [...problems, { file, line: 1, message: 'the file is empty' }] };
  const header = first.fields.map((f) => f.trim());
  const missing = required.filter((c) => !header.includes(c));
  if (missing.length > 0)
    problems.push({ file, line: first.line, message: `the header lacks ${missing.join(', ')}` });
  const rows: { line: number; row: Record<string, string> }[] = [];
  for (const { line, fields } of rest) {
    if (fields.length !== header.length) {
      problems.push({ file, line, message: `${fields.length} fields, the header has ${header.length}` });
      continue;
    }
    rows.push({ line, row: Object.fromEntries(header.map((n, i) => [n, (fields[i] ?? '').trim()])) });
  }
  problems.sort((a, b) => a.line - b.line);
  return { header, rows, problems };
}

/** A problem of a file read by columns: the line, and the column when one is at fault. */
export type CsvColumnProblem = { file: string; line: number; column: string | null; message: string };

/**
 * Rows by the columns asked for, from a file whose header names them (case, spaces and dashes ignored:
 * "Generic Name" is generic_name; columns in any order; unknown columns ignored; `optional` columns may be
 * missing and read as empty). A header without a required column, or naming one twice, reads no rows.
 */
export function readCsvColumns(
  text: string,
  file: string,
  columns: readonly string[],
  optional: ReadonlySet<string> = new Set(),
): { rows: { line: number; values: Record<string, string> }[]; problems: CsvColumnProblem[] } {
  const read = readCsv(text, file);
  const problems: CsvColumnProblem[] = read.problems.map((p) => ({ ...p, column: null }));
  const [header, ...body] = read.records;
  if (!header)
    return {
      rows: [],
      problems: [...problems, { file, line: 1, column: null, message: 'the file is empty' }],
    };
  const names = header.fields.map((f) =>
    f
      .trim()
      .toLowerCase()
      .replace(/[\s-]+/g, '_'),
  );
  const twice = names.filter((n, i) => n !== '' && names.indexOf(n) !== i);
  const missing = columns.filter((c) => !optional.has(c) && !names.includes(c));
  if (missing.length > 0 || twice.length > 0) {
    for (const c of missing)
      problems.push({ file, line: header.line, column: c, message: `the header has no column ${c}` });
    for (const c of new Set(twice)) {
      problems.push({ file, line: header.line, column: c, message: `the header has the column ${c} twice` });
    }
    return { rows: [], problems };
  }
  const rows: { line: number; values: Record<string, string> }[] = [];
  for (const { line, fields } of body) {
    if (fields.length < names.length || fields.slice(names.length).some((f) => f.trim() !== '')) {
      problems.push({
        file,
        line,
        column: null,
        message: `the row has ${fields.length} fields, the header has ${names.length}`,
      });
      continue;
    }
    const values: Record<string, string> = {};
    for (const c of columns) {
      const i = names.indexOf(c);
      values[c] = i === -1 ? '' : (fields[i] ?? '');
    }
    rows.push({ line, values });
  }
  return { rows, problems };
}
