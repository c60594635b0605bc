import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCsvRecords } from './csv-records';
import {
  buildCheckerRules,
  checkerRules,
  PHARMACY_REFERENCE_FILES,
  parseDoseRangesCsv,
  parseDrugClassesCsv,
  parseInteractionsCsv,
  readPharmacyReference,
  SHIPPED_REFERENCE_FOLDER,
} from './pharmacy-reference';

const shipped = (name: string) => readFileSync(join(SHIPPED_REFERENCE_FOLDER, name), 'utf8');

describe('the shipped pharmacy reference files', () => {
  it('parse row by row, each row with a source and a licence', () => {
    const reference = readPharmacyReference();
    expect(reference.classes.length).toBeGreaterThan(40);
    expect(reference.doseRanges.length).toBeGreaterThan(40);
    for (const name of Object.values(PHARMACY_REFERENCE_FILES)) {
      const [header, ...rows] = readCsvRecords(shipped(name), name);
      const source = header!.fields.indexOf('source');
      const licence = header!.fields.indexOf('licence');
      expect(source).toBeGreaterThanOrEqual(0);
      expect(licence).toBeGreaterThanOrEqual(0);
      for (const r of rows) {
        expect(r.fields[source], `${name} line ${r.line}`).not.toBe('');
        expect(r.fields[licence], `${name} line ${r.line}`).not.toBe('');
      }
    }
  });

  it('refer only to classes that drug-classes.csv defines', () => {
    const { classes, reference } = checkerRules();
    for (const r of reference.interactions) {
      expect(classes.has(r.classA), `${r.id} ${r.classA}`).toBe(true);
      expect(classes.has(r.classB), `${r.id} ${r.classB}`).toBe(true);
    }
    for (const x of reference.allergyCrossReactivity) {
      expect(classes.has(x.allergenClass), x.id).toBe(true);
      expect(classes.has(x.relatedClass), x.id).toBe(true);
    }
  });

  it('hold all 15 ONC high-priority pairs as contraindicated or major, and the label rules of DOMAIN.md', () => {
    const { reference } = checkerRules();
    const byId = new Map(reference.interactions.map((r) => [r.id, r]));
    for (let n = 1; n <= 15; n++) {
      const rule = byId.get(`ONC-${String(n).padStart(2, '0')}`);
      expect(rule, `ONC pair ${n}`).toBeDefined();
      expect(['contraindicated', 'major']).toContain(rule!.severity);
      expect(rule!.citation).toContain('J Am Med Inform Assoc 2012');
    }
    const label = (a: string, b: string) =>
      reference.interactions.find(
        (r) => (r.classA === a && r.classB === b) || (r.classA === b && r.classB === a),
      );
    for (const [a, b] of [
      ['pde5-inhibitors', 'nitrates'],
      ['methotrexate', 'trimethoprim'],
      ['vitamin-k-antagonists', 'nsaids'],
      ['vitamin-k-antagonists', 'antiplatelets'],
      ['vitamin-k-antagonists', 'azole-antifungals'],
      ['clopidogrel', 'cyp2c19-inhibiting-ppis'],
      ['k-sparing-diuretics', 'ace-inhibitors'],
      ['k-sparing-diuretics', 'arbs'],
      ['linezolid', 'serotonergic'],
      ['colchicine', 'strong-cyp3a4-inhibitors'],
    ] as const) {
      expect(label(a, b)?.citation, `${a} + ${b}`).toMatch(/^product label: /);
    }
    const { classes } = checkerRules();
    expect(classes.get('mao-inhibitors')!.memberSet.has('linezolid')).toBe(true);
    expect(classes.get('strong-cyp3a4-inhibitors')!.memberSet.has('clarithromycin')).toBe(true);
    expect([...classes.get('ppis')!.members].sort()).toEqual(
      ['dexlansoprazole', 'esomeprazole', 'lansoprazole', 'omeprazole', 'pantoprazole', 'rabeprazole'].sort(),
    );
  });
});

describe('reading a hospital-edited file', () => {
  it('fails loudly with the file and line of a bad row', () => {
    const csv = `${shipped('interactions.csv').trimEnd()}\nX-1,statins,nsaids,severe,e,m,g,c,,s,l\n`;
    const lines = csv.trimEnd().split('\n').length;
    expect(() => parseInteractionsCsv(csv)).toThrow(`interactions.csv line ${lines}`);
    expect(() => parseInteractionsCsv(csv)).toThrow(/severity/);
  });

  it('rejects a class with two names, a dose row without a maximum and a rule on an unknown class', () => {
    expect(() =>
      parseDrugClassesCsv(
        'class_key,class_name,ingredient,duplicate_severity,source,licence\nx,X,a1,,s,l\nx,Y,b1,,s,l\n',
      ),
    ).toThrow(/class name differs/);
    const header =
      'ingredient,route,population,basis,per_dose_min,per_dose_max,daily_max,weekly_max,per_dose_cap_mg,daily_cap_mg,note,source,licence';
    expect(() => parseDoseRangesCsv(`${header}\nparacetamol,oral,adult,mg,500,,,,,,,s,l\n`)).toThrow(
      'dose-ranges.csv line 2',
    );
    const reference = readPharmacyReference();
    expect(() =>
      buildCheckerRules({
        ...reference,
        interactions: [{ ...reference.interactions[0]!, id: 'X-2', classB: 'no-such-class' }],
      }),
    ).toThrow(/no-such-class is not in drug-classes.csv/);
  });

  it('reads quoted fields with commas, quotes and line breaks, reporting the line a record starts on', () => {
    const records = readCsvRecords('a,b\n"x, ""y""","multi\nline"\nlast,row\n', 't.csv');
    expect(records).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x, "y"', 'multi\nline'] },
      { line: 4, fields: ['last', 'row'] },
    ]);
    expect(() => readCsvRecords('a\n"open\n', 't.csv')).toThrow('t.csv line 2');
  });
});
