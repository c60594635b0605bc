// RFC 4180 records with the line each starts on, so that a bad row of a reference file is reported by its
// line. Billing's csvRecords (line-based, no line numbers) and the ICD-10 reader (private, ICD-specific
// errors) are not reachable through their modules' index.ts.

export type CsvRecord = { line: number; fields: string[] };

/** Records of an RFC 4180 text (LF or CRLF, optional byte-order mark); blank lines are skipped. */
export function readCsvRecords(text: string, file: string): CsvRecord[] {
  const src = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  const fail = (message: string, at: number): never => {
    throw new Error(`${file} line ${at}: ${message}`);
  };
  let state: 'start' | 'plain' | 'quoted' | 'closed' = 'start';
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  const endField = () => {
    fields.push(field);
    field = '';
    state = 'start';
  };
  const endRecord = () => {
    endField();
    if (fields.length > 1 || fields[0] !== '') records.push({ line: recordLine, fields });
    fields = [];
  };
  for (let i = 0; i < src.length; i++) {
    const ch = src[i] as string;
    if (state === 'quoted') {
      if (ch === '"' && src[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') state = 'closed';
      else {
        if (ch === '\n') line++;
        field += ch;
      }
    } else if (ch === ',') endField();
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && src[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else if (state === 'closed') fail('text after a closing quote', line);
    else if (ch === '"') {
      if (state === 'plain') fail('a quote inside an unquoted field', line);
      state = 'quoted';
    } else {
      field += ch;
      state = 'plain';
    }
  }
  if (state === 'quoted') fail('a quote that is never closed', recordLine);
  if (state !== 'start' || fields.length > 0) endRecord();
  return records;
}

/**
 * Rows of a CSV with a header line, as records by column name with their line numbers. Throws when a
 * required column is missing or a row has a different number of fields than the header.
 */
export function readCsvTable(
  text: string,
  file: string,
  columns: readonly string[],
): { line: number; row: Record<string, string> }[] {
  const [header, ...rest] = readCsvRecords(text, file);
  if (!header) throw new Error(`${file}: the file is empty`);
  const names = header.fields.map((f) => f.trim());
  const missing = columns.filter((c) => !names.includes(c));
  if (missing.length > 0) throw new Error(`${file} line 1: the header lacks ${missing.join(', ')}`);
  return rest.map(({ line, fields }) => {
    if (fields.length !== names.length) {
      throw new Error(`${file} line ${line}: ${fields.length} fields, the header has ${names.length}`);
    }
    return { line, row: Object.fromEntries(names.map((n, i) => [n, (fields[i] ?? '').trim()])) };
  });
}
