import { describe, expect, it } from 'vitest';
import { readCsv, readCsvTable } from './csv';

describe('reading CSV files', () => {
  it('gives each record the line it starts on, across quoted line breaks, a BOM and CRLF', () => {
    const { records, problems } = readCsv(
      '\uFEFFa,b\r\n"x\r\ny",2\r\n\r\n3,"q ""uoted"", here"\r\n',
      'f.csv',
    );
    expect(records).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x\r\ny', '2'] },
      { line: 5, fields: ['3', 'q "uoted", here'] },
    ]);
    expect(problems).toEqual([]);
  });

  it('reports a broken record and the rows of the wrong width, and keeps the good rows', () => {
    const table = readCsvTable('code,name\nA,Alpha\nB\n"C"x,Gamma\n', 'h.csv', ['code', 'name', 'kind']);
    expect(table.rows).toEqual([{ line: 2, row: { code: 'A', name: 'Alpha' } }]);
    expect(table.problems.map((p) => [p.line, p.message])).toEqual(
      expect.arrayContaining([
        [1, 'the header lacks kind'],
        [3, '1 fields, the header has 2'],
      ]),
    );
    expect(table.problems.some((p) => p.line === 4 && /after a closing quote/.test(p.message))).toBe(true);
  });

  it('reads an empty file as a problem', () => {
    expect(readCsvTable('', 'e.csv').problems).toEqual([
      { file: 'e.csv', line: 1, message: 'the file is empty' },
    ]);
  });
});
