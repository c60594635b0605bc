import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeHl7, type Hl7Delimiters, parseHl7DateTime, readHl7Message, unescapeHl7 } from './hl7-message';

const standard: Hl7Delimiters = {
  field: '|',
  component: '^',
  repetition: '~',
  escape: '\\',
  subcomponent: '&',
  encodingCharacters: '^~\\&',
};

describe('parseHl7DateTime', () => {
  it.each([
    ['2014', '2014'],
    ['201410', '2014-10'],
    ['20141006', '2014-10-06'],
    ['2014100606', '2014-10-06T06:00'],
    ['201410060627', '2014-10-06T06:27'],
    ['20110103143428-0800', '2011-01-03T14:34:28-08:00'],
    ['20260127101500.1234+0530', '2026-01-27T10:15:00.1234+05:30'],
    ['20240229', '2024-02-29'],
  ])('reads %s at the precision sent', (raw, iso) => {
    expect(parseHl7DateTime(raw)).toEqual({ raw, iso });
  });

  it.each([
    '2014-10-06',
    '20141306',
    '20230229',
    '201410062500',
    '20141006066',
    '2014100606+0530x',
    '20141006+2500',
    'tomorrow',
    '',
  ])('refuses %j', (raw) => {
    expect(parseHl7DateTime(raw)).toBeNull();
  });
});

describe('escape sequences', () => {
  it('round-trips any text through escapeHl7 and unescapeHl7 (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const escaped = escapeHl7(text, standard);
        const forbidden = ['|', '^', '~', '&', '\r', '\n', '\u000b', '\u001c'];
        expect([...escaped].filter((c) => forbidden.includes(c))).toEqual([]);
        const expected = [...text.replace(/[\r\n\t]+/g, ' ')]
          .filter((c) => c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) !== 0x7f)
          .join('');
        expect(unescapeHl7(escaped, standard)).toBe(expected);
      }),
    );
  });

  it('reads \\.br\\ as a line break, drops highlighting and keeps unknown sequences', () => {
    expect(unescapeHl7('a\\.br\\b \\H\\bold\\N\\ \\Zvendor\\', standard)).toBe('a\nb bold \\Zvendor\\');
  });
});

describe('readHl7Message', () => {
  it('numbers repeated segments and keeps MSH-1 and MSH-2 as fields 1 and 2', () => {
    const read = readHl7Message('MSH|^~\\&|A\rOBX|1\rNTE|1\rOBX|2\r');
    if (!read.ok) throw new Error(read.reason);
    expect(read.message.segments.map((s) => [s.name, s.sequence])).toEqual([
      ['MSH', 1],
      ['OBX', 1],
      ['NTE', 1],
      ['OBX', 2],
    ]);
    expect(read.message.segments[0]!.fields.slice(0, 4)).toEqual(['MSH', '|', '^~\\&', 'A']);
  });

  it('skips a byte-order mark and leading blank lines', () => {
    expect(readHl7Message('\uFEFF\r\nMSH|^~\\&|A').ok).toBe(true);
  });
});
