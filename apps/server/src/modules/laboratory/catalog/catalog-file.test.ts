import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type CatalogFileError,
  checkLabCatalog,
  formatCatalogError,
  isPlausibleUcum,
  isValidLoincCode,
  LOINC_NOTICE,
  loincCheckDigit,
  parseDeltaRulesCsv,
  parseLabCatalog,
  parsePanelsCsv,
  parseReferenceRangesCsv,
  parseTestsCsv,
} from './catalog-file';

// The shipped files themselves, not copies: a hospital's edit of them is what is tested.
const read = (name: string) => readFileSync(new URL(`./${name}`, import.meta.url), 'utf8');
const texts = {
  tests: read('tests.csv'),
  ranges: read('reference-ranges.csv'),
  panels: read('panels.csv'),
  deltaRules: read('delta-rules.csv'),
};
const { catalog, errors } = parseLabCatalog(texts);
const test = (code: string) => catalog.tests.find((t) => t.code === code);

const TEST_HEADER =
  'code,local_name,loinc_code,section,specimen,container,result_type,ucum_unit,decimals,tat_minutes_routine,tat_minutes_stat,source,licence';
const RANGE_HEADER =
  'test_code,sex,age_from_days,age_to_days,low,high,critical_low,critical_high,source,licence';
const where = (list: CatalogFileError[]) => list.map((e) => `${e.file}:${e.line}:${e.column ?? ''}`);

describe('the shipped catalog', () => {
  it('parses with no errors', () => {
    expect(errors.map(formatCatalogError)).toEqual([]);
  });

  it('holds 150-250 tests, a range for every numeric test, the common panels and delta rules', () => {
    expect(catalog.tests.length).toBeGreaterThanOrEqual(150);
    expect(catalog.tests.length).toBeLessThanOrEqual(250);
    const numeric = catalog.tests.filter((t) => t.resultType === 'numeric');
    for (const t of numeric)
      expect(
        catalog.ranges.some((r) => r.testCode === t.code),
        t.code,
      ).toBe(true);
    expect(catalog.ranges.length).toBeGreaterThanOrEqual(numeric.length);
    const panels = catalog.panels.map((p) => p.code);
    for (const p of [
      'CBC',
      'LFT',
      'KFT',
      'ELECTROLYTES',
      'LIPID',
      'THYROID',
      'COAG',
      'ABG',
      'URINE_ROUTINE',
    ]) {
      expect(panels).toContain(p);
    }
    for (const p of ['IRON_STUDIES', 'CARDIAC', 'FEVER']) expect(panels).toContain(p);
    expect(catalog.deltaRules.length).toBeGreaterThanOrEqual(10);
  });

  it('gives every test a LOINC code with a valid check digit, each code once', () => {
    const codes = catalog.tests.map((t) => t.loincCode);
    for (const t of catalog.tests) expect(isValidLoincCode(t.loincCode ?? ''), t.code).toBe(true);
    expect(new Set(codes).size).toBe(codes.length);
    for (const p of catalog.panels.filter((x) => x.loincCode)) {
      expect(isValidLoincCode(p.loincCode as string), p.code).toBe(true);
    }
  });

  it('maps the anchor tests to their LOINC codes', () => {
    const expected: Record<string, string> = {
      HB: '718-7',
      K: '2823-3',
      NA: '2951-2',
      CREAT: '2160-0',
      GLU_R: '2345-7',
      WBC: '6690-2',
      PLT: '777-3',
      HBA1C: '4548-4',
      TSH: '3016-3',
      INR: '6301-6',
    };
    for (const [code, loinc] of Object.entries(expected)) expect(test(code)?.loincCode, code).toBe(loinc);
  });

  it('carries the LOINC notice on every row with a LOINC code, and a source on every row', () => {
    for (const t of catalog.tests) {
      expect(t.licence, t.code).toBe(LOINC_NOTICE);
      expect(t.source, t.code).toBeTruthy();
    }
    for (const p of catalog.panels) {
      if (p.loincCode) expect(p.licence, p.code).toBe(LOINC_NOTICE);
    }
    for (const r of catalog.ranges) expect(r.source, `${r.testCode} line ${r.line}`).toBeTruthy();
  });

  it('points every panel member and delta rule at a known test', () => {
    const known = new Set(catalog.tests.map((t) => t.code));
    for (const p of catalog.panels)
      for (const m of p.members) expect(known.has(m), `${p.code}: ${m}`).toBe(true);
    for (const d of catalog.deltaRules) expect(known.has(d.testCode), d.testCode).toBe(true);
  });

  it('gives numeric tests a unit and decimals, and others neither decimals nor ranges', () => {
    for (const t of catalog.tests) {
      if (t.resultType === 'numeric') expect(t.decimals, t.code).not.toBeNull();
      else expect(t.decimals, t.code).toBeNull();
      if (t.ucumUnit) expect(isPlausibleUcum(t.ucumUnit), t.code).toBe(true);
    }
    expect(test('INR')?.ucumUnit).toBe('{INR}');
    expect(test('ABG_PCO2')?.ucumUnit).toBe('mm[Hg]');
    expect(test('BLOOD_CULTURE')?.resultType).toBe('culture');
    expect(test('HBSAG')?.resultType).toBe('coded');
  });

  it('encodes the usual critical-value list', () => {
    const adult = (code: string) =>
      catalog.ranges.find((r) => r.testCode === code && r.ageToDays === null && r.sex !== 'female');
    expect(adult('K')).toMatchObject({ criticalLow: 2.8, criticalHigh: 6.2 });
    expect(adult('NA')).toMatchObject({ criticalLow: 120, criticalHigh: 160 });
    expect(adult('GLU_R')).toMatchObject({ criticalLow: 40, criticalHigh: 450 });
    expect(adult('HB')).toMatchObject({ criticalLow: 7 });
    expect(adult('PLT')).toMatchObject({ criticalLow: 20 });
    expect(adult('WBC')).toMatchObject({ criticalLow: 2, criticalHigh: 30 });
    expect(adult('INR')).toMatchObject({ criticalHigh: 5 });
    expect(adult('CA')).toMatchObject({ criticalLow: 6, criticalHigh: 13 });
    expect(adult('ABG_PH')).toMatchObject({ criticalLow: 7.2, criticalHigh: 7.6 });
    expect(adult('ABG_PO2')).toMatchObject({ criticalLow: 40 });
    expect(adult('LACTATE')).toMatchObject({ criticalHigh: 4 });
  });
});

describe('LOINC check digits and UCUM units', () => {
  it('computes the mod 10 check digit', () => {
    expect(loincCheckDigit('12345')).toBe(5); // LOINC's own worked example
    expect(loincCheckDigit('718')).toBe(7);
    expect(loincCheckDigit('2823')).toBe(3);
    expect(loincCheckDigit('98979')).toBe(8);
    expect(loincCheckDigit('0')).toBe(0);
    expect(() => loincCheckDigit('12a')).toThrow(RangeError);
  });

  it('accepts a code only with its check digit and the LOINC shape', () => {
    expect(isValidLoincCode('718-7')).toBe(true);
    expect(isValidLoincCode('718-8')).toBe(false);
    expect(isValidLoincCode('7187')).toBe(false);
    expect(isValidLoincCode('1234567-0')).toBe(false);
    expect(isValidLoincCode('')).toBe(false);
  });

  it('accepts laboratory UCUM and refuses what is not UCUM', () => {
    for (const u of [
      'g/dL',
      '10*3/uL',
      '10*6/uL',
      '%',
      'fL',
      'pg',
      'mg/dL',
      'mmol/L',
      'U/L',
      'ng/mL',
      'm[IU]/L',
      'ng/dL',
      's',
      '{INR}',
      'mm/h',
      'mm[Hg]',
      '[pH]',
      'mL/min/{1.73_m2}',
      'ng/mL{FEU}',
      '/[HPF]',
      'mg/(24.h)',
      'mosm/kg',
      'umol/L',
    ]) {
      expect(isPlausibleUcum(u), u).toBe(true);
    }
    for (const u of ['', 'mg per dL', 'mIU/L', 'lakh/cumm', 'mg/', 'mg//dL', 'mg/(dL', '{INR', 'cells/hpf']) {
      expect(isPlausibleUcum(u), u).toBe(false);
    }
  });
});

describe('parsing a hospital file', () => {
  it('reports every bad test row with its line and column and keeps the good ones', () => {
    const csv = [
      TEST_HEADER,
      'HB,Haemoglobin,718-7,haematology,blood,EDTA lavender,numeric,g/dL,1,120,30,,',
      'K,Potassium,2823-4,biochemistry,serum,SST gold,numeric,mmol/L,1,120,30,,',
      'NA,Sodium,2951-2,chemistry,serum,SST gold,numeric,mmol/L,0,120,30,,',
      'CL,Chloride,2075-0,biochemistry,serum,SST gold,numeric,mEq per L,0,120,30,,',
      'CA,Calcium,17861-6,biochemistry,serum,SST gold,numeric,mg/dL,,240,60,,',
      'HB,Haemoglobin again,718-7,haematology,blood,EDTA lavender,numeric,g/dL,1,120,30,,',
      'MG,Magnesium,19123-9,biochemistry,serum,SST gold,numeric,mg/dL,1,60,120,,',
    ].join('\n');
    const { rows, errors } = parseTestsCsv(csv, 'our-tests.csv');
    expect(rows.map((r) => r.code)).toEqual(['HB']);
    expect(where(errors)).toEqual([
      'our-tests.csv:3:loinc_code',
      'our-tests.csv:4:section',
      'our-tests.csv:5:ucum_unit',
      'our-tests.csv:6:decimals',
      'our-tests.csv:7:code',
      'our-tests.csv:8:tat_minutes_stat',
    ]);
    expect(formatCatalogError(errors[0]!)).toBe(
      'our-tests.csv line 3, loinc_code: LOINC code 2823-4 fails its check digit (the check digit of 2823 is 3)',
    );
  });

  it('reads a byte-order mark, CRLF, quoted commas, doubled quotes and line breaks, in any column order', () => {
    const csv =
      '\uFEFFlocal_name,code,section,loinc_code,specimen,container,result_type,ucum_unit,decimals,tat_minutes_routine\r\n' +
      '"Bilirubin, total ""T.Bil""",TBIL,biochemistry,1975-2,serum,SST gold,numeric,mg/dL,2,240\r\n' +
      '"Glucose,\r\nrandom",GLU_R,biochemistry,2345-7,plasma,fluoride grey,numeric,mg/dL,0,120\r\n';
    const { rows, errors } = parseTestsCsv(csv);
    expect(errors).toEqual([]);
    expect(rows.map((r) => [r.code, r.localName, r.line])).toEqual([
      ['TBIL', 'Bilirubin, total "T.Bil"', 2],
      ['GLU_R', 'Glucose,\r\nrandom', 3],
    ]);
    expect(rows[0]).toMatchObject({ tatMinutesStat: null, source: '', licence: '' });
  });

  it('reports malformed records, short rows and a missing column', () => {
    const broken = [TEST_HEADER, '"HB,Haemoglobin', ''].join('\n');
    expect(parseTestsCsv(broken).errors.map(formatCatalogError)).toEqual([
      'tests.csv line 2: a quote opened here is never closed',
    ]);
    const short = [TEST_HEADER, 'HB,Haemoglobin,718-7'].join('\n');
    expect(where(parseTestsCsv(short).errors)).toEqual(['tests.csv:2:']);
    const noSection = TEST_HEADER.replace('section,', '');
    expect(parseTestsCsv(`${noSection}\n`).errors.map(formatCatalogError)).toEqual([
      'tests.csv line 1, section: the header has no column section',
    ]);
    expect(parseTestsCsv('').errors.map(formatCatalogError)).toEqual(['tests.csv line 1: the file is empty']);
  });

  it('reports range rows whose limits are out of order or whose age band is empty', () => {
    const csv = [
      RANGE_HEADER,
      'K,any,,,3.5,5.1,2.8,6.2,,',
      'K,male,,,5.1,3.5,,,,',
      'K,female,,,3.5,5.1,3.6,,,',
      'K,any,30,30,3.5,5.1,,,,',
      'K,any,,,,,,,,',
      'K,unknown,,,3.5,5.1,,,,',
      'K,any,,,3.5,five,,,,',
    ].join('\n');
    const { rows, errors } = parseReferenceRangesCsv(csv);
    expect(rows).toHaveLength(1);
    expect(where(errors)).toEqual([
      'reference-ranges.csv:3:high',
      'reference-ranges.csv:4:low',
      'reference-ranges.csv:5:age_to_days',
      'reference-ranges.csv:6:low',
      'reference-ranges.csv:7:sex',
      'reference-ranges.csv:8:high',
    ]);
  });

  it('reports panels and delta rules that are malformed', () => {
    const panels = parsePanelsCsv(
      [
        'code,name,members,loinc_code',
        'P1,One,HB;K,',
        'P2,Two,,',
        'P3,Three,HB;HB,',
        'P1,Again,HB,',
        'P4,Four,HB,1234-0',
      ].join('\n'),
    );
    expect(panels.rows.map((p) => [p.code, p.members])).toEqual([['P1', ['HB', 'K']]]);
    expect(where(panels.errors)).toEqual([
      'panels.csv:3:members',
      'panels.csv:4:members',
      'panels.csv:5:code',
      'panels.csv:6:loinc_code',
    ]);
    const rules = parseDeltaRulesCsv(
      [
        'test_code,mode,threshold,window_days',
        'HB,absolute,2,3',
        'K,ratio,1,2',
        'NA,absolute,0,1',
        'HB,percent,10,3',
      ].join('\n'),
    );
    expect(rules.rows).toHaveLength(1);
    expect(where(rules.errors)).toEqual([
      'delta-rules.csv:3:mode',
      'delta-rules.csv:4:threshold',
      'delta-rules.csv:5:test_code',
    ]);
  });

  it('checks the files against each other', () => {
    const tests = parseTestsCsv(
      [
        TEST_HEADER,
        'K,Potassium,2823-3,biochemistry,serum,SST gold,numeric,mmol/L,1,120,30,,',
        'HBSAG,HBsAg,5196-1,serology,serum,SST gold,coded,,,240,60,,',
        'HB,Haemoglobin,718-7,haematology,blood,EDTA lavender,numeric,g/dL,1,120,30,,',
      ].join('\n'),
    ).rows;
    const ranges = parseReferenceRangesCsv(
      [
        RANGE_HEADER,
        'K,any,0,28,3.7,5.9,,,,',
        'K,any,28,,3.5,5.1,,,,',
        'K,any,20,40,3.5,5.1,,,,',
        'K,male,20,40,3.5,5.1,,,,',
        'XX,any,,,1,2,,,,',
        'HBSAG,any,,,0,1,,,,',
        'HB,male,6575,,13,17,,,,',
      ].join('\n'),
    ).rows;
    const panels = parsePanelsCsv(
      ['code,name,members', 'LYTES,Electrolytes,K;NA', 'K,Potassium alone,K'].join('\n'),
    ).rows;
    const deltaRules = parseDeltaRulesCsv(
      ['test_code,mode,threshold,window_days', 'HBSAG,absolute,1,1', 'ZZ,percent,50,2'].join('\n'),
    ).rows;
    const found = checkLabCatalog({ tests, ranges, panels, deltaRules }).map(formatCatalogError);
    expect(found).toEqual([
      'delta-rules.csv line 2, test_code: HBSAG is a coded test: delta checks need numeric results',
      'delta-rules.csv line 3, test_code: unknown test code ZZ',
      'panels.csv line 2, members: panel LYTES: unknown test code NA',
      'panels.csv line 3, code: panel code K is also a test code',
      'reference-ranges.csv line 4, age_from_days: the any age band [20, 40) days of K overlaps line 2 (' +
        '[0, 28) days)',
      'reference-ranges.csv line 6, test_code: unknown test code XX',
      'reference-ranges.csv line 7, test_code: HBSAG is a coded test: only numeric tests have reference ranges',
      'tests.csv line 4, code: numeric test HB has no reference range for a female adult aged 18 years',
    ]);
  });
});
