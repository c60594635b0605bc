import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  chapterOfIcdCode,
  ICD10_CM_SYSTEM,
  ICD10_WHO_SYSTEM,
  type Icd10Entry,
  isIcdCode,
  normalizeIcdCode,
  parseCmOrderFile,
  parseCuratedCsv,
} from './icd10';

const CSV_TEXT = readFileSync(new URL('./icd10cm-curated.csv', import.meta.url), 'utf8');
const entries = parseCuratedCsv(CSV_TEXT);
const byCode = new Map(entries.map((e) => [e.code, e]));
const categories = entries.filter((e) => e.code.length === 3);
const codes = entries.filter((e) => e.code.length > 3);

// Written out here, not taken from chapterOfIcdCode, so that the file and the function are each checked
// against the ICD-10-CM chapter table.
const CHAPTER_RANGES: [from: string, to: string, chapter: number][] = [
  ['A00', 'B99', 1],
  ['C00', 'D49', 2],
  ['D50', 'D89', 3],
  ['E00', 'E89', 4],
  ['F01', 'F99', 5],
  ['G00', 'G99', 6],
  ['H00', 'H59', 7],
  ['H60', 'H95', 8],
  ['I00', 'I99', 9],
  ['J00', 'J99', 10],
  ['K00', 'K95', 11],
  ['L00', 'L99', 12],
  ['M00', 'M99', 13],
  ['N00', 'N99', 14],
  ['O00', 'O9A', 15],
  ['P00', 'P96', 16],
  ['Q00', 'Q99', 17],
  ['R00', 'R99', 18],
  ['S00', 'T88', 19],
  ['V00', 'Y99', 20],
  ['Z00', 'Z99', 21],
  ['U00', 'U85', 22],
];
const expectedChapter = (category: string) =>
  CHAPTER_RANGES.find(([from, to]) => category >= from && category <= to)?.[2];

describe('the curated ICD-10-CM file', () => {
  it('parses into ICD-10-CM entries, one per code', () => {
    expect(entries.length).toBe(CSV_TEXT.trim().split('\n').length - 1);
    expect(new Set(entries.map((e) => e.code)).size).toBe(entries.length);
    expect(entries.every((e) => e.system === ICD10_CM_SYSTEM)).toBe(true);
  });

  it('holds only codes of the stored shape, with the dot after the third character', () => {
    const bad = entries.filter((e) => !/^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$/.test(e.code));
    expect(bad.map((e) => e.code)).toEqual([]);
  });

  it('has at least 1,000 categories and 900 billable codes', () => {
    expect(categories.length).toBeGreaterThanOrEqual(1000);
    expect(codes.filter((e) => e.billable).length).toBeGreaterThanOrEqual(900);
  });

  it('files every code under its first three characters, and that category is in the file', () => {
    expect(entries.filter((e) => e.category !== e.code.slice(0, 3)).map((e) => e.code)).toEqual([]);
    const orphans = entries.filter((e) => byCode.get(e.category)?.code.length !== 3);
    expect(orphans.map((e) => e.code)).toEqual([]);
  });

  it('gives every code the chapter of its letter range', () => {
    const wrong = entries.filter((e) => e.chapter !== expectedChapter(e.category));
    expect(wrong.map((e) => `${e.code} ${e.chapter}`)).toEqual([]);
  });

  it('marks a code billable only when nothing in the file sits below it', () => {
    const sorted = entries.map((e) => e.code).sort();
    const withChildren = sorted.filter((code, i) => {
      const next = sorted[i + 1];
      return next?.replace('.', '').startsWith(code.replace('.', '')) ?? false;
    });
    expect(withChildren.filter((code) => byCode.get(code)?.billable)).toEqual([]);
    expect(codes.every((e) => e.billable)).toBe(true);
  });

  it('gives injury and external-cause codes their seventh character, with X placeholders', () => {
    const injuries = codes.filter((e) => /^[ST]|^[VWX]/.test(e.code) && /encounter/.test(e.title));
    expect(injuries.length).toBeGreaterThan(100);
    expect(injuries.filter((e) => e.code.replace('.', '').length !== 7).map((e) => e.code)).toEqual([]);
    expect(byCode.get('T63.041A')?.title).toBe(
      'Toxic effect of cobra venom, accidental (unintentional), initial encounter',
    );
    expect(byCode.get('W19.XXXA')?.title).toBe('Unspecified fall, initial encounter');
  });

  it.each([
    ['E11.9', 'Type 2 diabetes mellitus without complications', true],
    ['I10', 'Essential (primary) hypertension', true],
    ['A01.00', 'Typhoid fever, unspecified', true],
    ['J45.909', 'Unspecified asthma, uncomplicated', true],
    ['N39.0', 'Urinary tract infection, site not specified', true],
    ['R50.9', 'Fever, unspecified', true],
    ['A90', 'Dengue fever [classical dengue]', true],
    ['U07.1', 'COVID-19', true],
    ['P59.9', 'Neonatal jaundice, unspecified', true],
    [
      'S52.501A',
      'Unspecified fracture of the lower end of right radius, initial encounter for closed fracture',
      true,
    ],
    [
      'T60.0X1A',
      'Toxic effect of organophosphate and carbamate insecticides, accidental (unintentional), initial encounter',
      true,
    ],
    ['Z00.00', 'Encounter for general adult medical examination without abnormal findings', true],
    ['Z79.4', 'Long term (current) use of insulin', true],
    ['E11', 'Type 2 diabetes mellitus', false],
    ['A01', 'Typhoid and paratyphoid fevers', false],
  ])('knows %s as "%s"', (code, title, billable) => {
    expect(byCode.get(code)).toMatchObject({ title, billable });
  });

  it('lists the codes chapter by chapter in ICD order', () => {
    const order = entries.map((e) => e.code);
    expect(order).toEqual([...order].sort());
  });
});

describe('parseCuratedCsv', () => {
  const header = 'code,title,category,chapter,billable\n';

  it('reads RFC 4180 quoting: commas, doubled quotes, CRLF and a byte-order mark', () => {
    const text = `\uFEFF${header.replace('\n', '\r\n')}"A00.9","Cholera, unspecified",A00,1,true\r\nX99.9,"Assault by ""sharp"" object",X99,20,false\r\n`;
    expect(parseCuratedCsv(text)).toEqual<Icd10Entry[]>([
      {
        code: 'A00.9',
        title: 'Cholera, unspecified',
        category: 'A00',
        chapter: 1,
        billable: true,
        system: ICD10_CM_SYSTEM,
      },
      {
        code: 'X99.9',
        title: 'Assault by "sharp" object',
        category: 'X99',
        chapter: 20,
        billable: false,
        system: ICD10_CM_SYSTEM,
      },
    ]);
  });

  it("takes a hospital's licensed WHO rows in the same shape, with their code system", () => {
    const text = `code,title,category,chapter,billable,system\nA09.0,Other gastroenteritis and colitis of infectious origin,A09,1,true,${ICD10_WHO_SYSTEM}\n`;
    expect(parseCuratedCsv(text)[0]?.system).toBe(ICD10_WHO_SYSTEM);
  });

  it('refuses a file with a bad code, naming the line', () => {
    const text = `${header}E11.9,Type 2 diabetes mellitus without complications,E11,4,true\n11E.9,Nonsense,11E,4,true\n`;
    expect(() => parseCuratedCsv(text)).toThrow(/line 3/);
  });

  it('refuses a code filed under another category, a duplicate, an unknown system and a bad flag', () => {
    expect(() => parseCuratedCsv(`${header}E11.9,T2DM,E10,4,true\n`)).toThrow(/category E10/);
    expect(() => parseCuratedCsv(`${header}I10,HT,I10,9,true\nI10,HT,I10,9,true\n`)).toThrow(/twice/);
    expect(() => parseCuratedCsv(`${header}I10,HT,I10,9,yes\n`)).toThrow(/billable/);
    expect(() =>
      parseCuratedCsv(`code,title,category,chapter,billable,system\nI10,HT,I10,9,true,http://x\n`),
    ).toThrow(/unknown code system/);
  });

  it('refuses broken quoting and a header without the columns', () => {
    expect(() => parseCuratedCsv(`${header}I10,"Essential,I10,9,true\n`)).toThrow(/never closed/);
    expect(() => parseCuratedCsv(`${header}I10,Ess"ential,I10,9,true\n`)).toThrow(/quote/);
    expect(() => parseCuratedCsv('code,title\nI10,HT\n')).toThrow(/category, chapter, billable/);
  });
});

describe('parseCmOrderFile', () => {
  // The CDC layout: order number (5), space, code (7), space, flag, space, short description (60), space,
  // long description.
  const orderLine = (order: number, code: string, flag: 0 | 1, short: string, long: string) =>
    `${String(order).padStart(5, '0')} ${code.padEnd(7)} ${flag} ${short.padEnd(60)} ${long}`;

  it('reads codes, inserts the dot, takes the long description and the billable flag', () => {
    const text = [
      orderLine(1, 'A00', 0, 'Cholera', 'Cholera'),
      orderLine(
        2,
        'A000',
        1,
        'Cholera due to Vibrio cholerae 01, biovar cholerae',
        'Cholera due to Vibrio cholerae 01, biovar cholerae',
      ),
      orderLine(
        9001,
        'E119',
        1,
        'Type 2 diabetes mellitus without complications',
        'Type 2 diabetes mellitus without complications',
      ),
      orderLine(
        71000,
        'S52501A',
        1,
        'Unsp fx the low end r rad, init for clos fx',
        'Unspecified fracture of the lower end of right radius, initial encounter for closed fracture',
      ),
      '',
    ].join('\r\n');
    expect(text.split('\r\n')[0]).toBe(`00001 A00     0 Cholera${' '.repeat(54)}Cholera`);
    expect(parseCmOrderFile(text)).toEqual<Icd10Entry[]>([
      {
        code: 'A00',
        title: 'Cholera',
        category: 'A00',
        chapter: 1,
        billable: false,
        system: ICD10_CM_SYSTEM,
      },
      {
        code: 'A00.0',
        title: 'Cholera due to Vibrio cholerae 01, biovar cholerae',
        category: 'A00',
        chapter: 1,
        billable: true,
        system: ICD10_CM_SYSTEM,
      },
      {
        code: 'E11.9',
        title: 'Type 2 diabetes mellitus without complications',
        category: 'E11',
        chapter: 4,
        billable: true,
        system: ICD10_CM_SYSTEM,
      },
      {
        code: 'S52.501A',
        title: 'Unspecified fracture of the lower end of right radius, initial encounter for closed fracture',
        category: 'S52',
        chapter: 19,
        billable: true,
        system: ICD10_CM_SYSTEM,
      },
    ]);
  });

  it('refuses lines outside the layout, naming them', () => {
    expect(() =>
      parseCmOrderFile(orderLine(1, 'A00', 0, 'Cholera', 'Cholera').replace(' 0 ', ' 2 ')),
    ).toThrow(/line 1: A00 has the flag "2"/);
    expect(() => parseCmOrderFile('A00 Cholera\n')).toThrow(/order-file layout/);
  });
});

describe('normalizeIcdCode and isIcdCode', () => {
  it.each([
    ['e119', 'E11.9'],
    [' E11.9 ', 'E11.9'],
    ['i10', 'I10'],
    ['E11.', 'E11'],
    ['s52501a', 'S52.501A'],
    ['o9a.111', 'O9A.111'],
    ['e1', 'E1'],
    ['A17.0†', 'A17.0'],
  ])('reads "%s" as %s', (input, code) => {
    expect(normalizeIcdCode(input)).toBe(code);
  });

  it.each(['', 'diabetes', '11E', 'E11.99999', 'EE1'])('finds no code in "%s"', (input) => {
    expect(normalizeIcdCode(input)).toBeNull();
  });

  it('accepts only the stored shape', () => {
    expect(['E11.9', 'I10', 'S52.501A', 'Z3A.20', 'O9A.111'].map(isIcdCode)).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(['E119', 'e11.9', 'E1', 'E11.12345', 'E11.', '1E1.1'].map(isIcdCode)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('is idempotent, and turns every curated code typed without its dot back into itself', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), (s) => {
        const once = normalizeIcdCode(s);
        expect(once === null || normalizeIcdCode(once) === once).toBe(true);
      }),
    );
    const broken = entries.filter((e) => normalizeIcdCode(e.code.replace('.', '').toLowerCase()) !== e.code);
    expect(broken.map((e) => e.code)).toEqual([]);
  });
});

describe('chapterOfIcdCode', () => {
  it('agrees with the chapter table at every range boundary', () => {
    for (const [from, to, chapter] of CHAPTER_RANGES) {
      expect([chapterOfIcdCode(from), chapterOfIcdCode(to)]).toEqual([chapter, chapter]);
    }
    expect(chapterOfIcdCode('D3A.0')).toBe(2);
    expect(chapterOfIcdCode('not a code')).toBeNull();
  });
});
