import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  type FormularyItem,
  formatFormularyError,
  gstRateOn,
  parseBrandsCsv,
  parseFormularyCsv,
} from './formulary-file';

// The shipped files themselves, not copies: a hospital's edit of them is what is tested.
const read = (name: string) => readFileSync(new URL(`./${name}`, import.meta.url), 'utf8');
const formularyText = read('formulary.csv');
const formulary = parseFormularyCsv(formularyText);
const items = formulary.items;
const brands = parseBrandsCsv(read('brands.csv'), 'brands.csv', new Set(items.map((i) => i.code)));

const withIngredient = (ingredient: string) => items.filter((i) => i.ingredients.includes(ingredient));
const HEADER =
  'code,generic_name,ingredients,strength,dose_form,route,unit_of_issue,schedule,narcotic,hsn_code,gst_rate_percent,gst_valid_from,high_alert,lasa_group,atc_code,nlem_2022';

describe('the shipped formulary.csv', () => {
  it('parses with no errors into at least 350 products', () => {
    expect(formulary.errors.map(formatFormularyError)).toEqual([]);
    expect(items.length).toBeGreaterThanOrEqual(350);
  });

  it('gives every product a unique F-code, and each (code, gst_valid_from) row once', () => {
    const codes = items.map((i) => i.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const c of codes) expect(c).toMatch(/^F\d{4}$/);
    const rows = formularyText.trim().split('\n').slice(1);
    const keys = rows.map((r) => {
      const [code, ...rest] = r.split(',');
      return `${code}@${rest.find((f) => /^\d{4}-\d{2}-\d{2}$/.test(f))}`;
    });
    expect(new Set(keys).size).toBe(rows.length);
  });

  it('carries a source and a licence on every product', () => {
    for (const i of items) {
      expect(i.source, i.code).toBeTruthy();
      expect(i.licence, i.code).toBeTruthy();
    }
    expect(items.filter((i) => i.nlem2022).length).toBeGreaterThan(300);
    for (const i of items.filter((x) => x.nlem2022)) expect(i.source).toMatch(/NLEM 2022/);
  });

  it('holds every ingredient the interaction rules name', () => {
    const needed = [
      'simvastatin',
      'clarithromycin',
      'amoxicillin',
      'ceftriaxone',
      'linezolid',
      'tramadol',
      'warfarin',
      'ibuprofen',
      'aspirin',
      'clopidogrel',
      'omeprazole',
      'methotrexate',
      'trimethoprim',
      'sulfamethoxazole',
      'spironolactone',
      'enalapril',
      'losartan',
      'sildenafil',
      'isosorbide dinitrate',
      'glyceryl trinitrate',
      'colchicine',
      'fluconazole',
      'ciprofloxacin',
      'rifampicin',
      'ritonavir',
      'lopinavir',
      'atazanavir',
      'azathioprine',
      'febuxostat',
      'fluoxetine',
      'sertraline',
      'escitalopram',
      'amitriptyline',
      'sumatriptan',
      'ondansetron',
      'haloperidol',
      'amiodarone',
      'morphine',
      'fentanyl',
      'pethidine',
      'methadone',
    ];
    const missing = needed.filter((n) => withIngredient(n).length === 0);
    expect(missing).toEqual([]);
  });

  it('keeps ingredient keys lowercase and co-trimoxazole as its two ingredients', () => {
    for (const i of items) for (const g of i.ingredients) expect(g).toBe(g.toLowerCase());
    const cotrimoxazole = items.filter((i) => i.genericName === 'Co-trimoxazole');
    expect(cotrimoxazole.length).toBeGreaterThan(0);
    for (const i of cotrimoxazole) expect(i.ingredients).toEqual(['sulfamethoxazole', 'trimethoprim']);
  });

  it('marks NDPS drugs as prescription-only, schedule X drugs as NDPS, and the H1 antibiotics as H1', () => {
    for (const i of items.filter((x) => x.narcotic)) expect(['H', 'H1', 'X'], i.code).toContain(i.schedule);
    const scheduleX = items.filter((i) => i.schedule === 'X');
    expect(scheduleX.length).toBeGreaterThan(0);
    for (const i of scheduleX) expect(i.narcotic, i.code).toBe(true);
    for (const opioid of [
      'morphine',
      'fentanyl',
      'pethidine',
      'methadone',
      'codeine',
      'buprenorphine',
      'tramadol',
    ]) {
      for (const i of withIngredient(opioid)) expect(i.narcotic, `${opioid} ${i.code}`).toBe(true);
    }
    for (const h1 of [
      'ceftriaxone',
      'meropenem',
      'rifampicin',
      'isoniazid',
      'levofloxacin',
      'tramadol',
      'midazolam',
    ]) {
      const found = withIngredient(h1).filter((i) => i.routes.some((r) => r !== 'ophthalmic'));
      expect(found.length, h1).toBeGreaterThan(0);
      for (const i of found) expect(i.schedule, `${h1} ${i.code}`).toBe('H1');
    }
  });

  it('flags each ISMP high-alert class', () => {
    const highAlert = (pred: (i: FormularyItem) => boolean) => items.filter((i) => pred(i) && i.highAlert);
    expect(highAlert((i) => i.ingredients.some((g) => g.startsWith('insulin'))).length).toBeGreaterThan(0);
    expect(highAlert((i) => i.ingredients.includes('heparin')).length).toBeGreaterThan(0);
    expect(highAlert((i) => i.ingredients.includes('enoxaparin')).length).toBeGreaterThan(0);
    expect(
      highAlert((i) => i.ingredients.includes('potassium chloride') && i.doseForm === 'injection').length,
    ).toBe(1);
    expect(highAlert((i) => i.ingredients.includes('morphine')).length).toBeGreaterThan(0);
    expect(highAlert((i) => i.ingredients.includes('vincristine')).length).toBeGreaterThan(0);
    expect(highAlert((i) => i.ingredients.includes('vecuronium')).length).toBeGreaterThan(0);
    expect(
      highAlert((i) => i.ingredients.includes('magnesium sulfate') && i.doseForm === 'injection').length,
    ).toBe(1);
    // Every insulin, heparin and opioid product is high-alert, not only some.
    for (const i of items) {
      if (
        i.ingredients.some(
          (g) => g.startsWith('insulin') || g === 'heparin' || g === 'morphine' || g === 'fentanyl',
        )
      ) {
        expect(i.highAlert, i.code).toBe(true);
      }
    }
  });

  it('pairs look-alike/sound-alike drugs: every group holds at least two different medicines', () => {
    const groups = new Map<string, Set<string>>();
    for (const i of items) {
      if (!i.lasaGroup) continue;
      const names = groups.get(i.lasaGroup) ?? new Set<string>();
      names.add(i.ingredients.join('+'));
      groups.set(i.lasaGroup, names);
    }
    for (const [group, names] of groups) expect(names.size, group).toBeGreaterThanOrEqual(2);
    const groupOf = (g: string) => new Set(withIngredient(g).map((i) => i.lasaGroup));
    for (const [a, b] of [
      ['hydroxyzine', 'hydralazine'],
      ['vinblastine', 'vincristine'],
      ['metformin', 'metronidazole'],
      ['dopamine', 'dobutamine'],
      ['chlorpromazine', 'chlorpropamide'],
    ] as const) {
      expect(groupOf(a), `${a}/${b}`).toEqual(groupOf(b));
      expect([...groupOf(a)][0], a).toBeTruthy();
    }
  });

  it('dates GST: 12% before 2025-09-22 and 5% after for most medicines; vaccines, insulin and ORS stay at 5%', () => {
    for (const i of items) expect(i.gst[0]?.validFrom, i.code).toBe('2017-07-01');
    const amoxicillin = withIngredient('amoxicillin')[0]!;
    expect(gstRateOn(amoxicillin, '2017-07-01')).toBe(12);
    expect(gstRateOn(amoxicillin, '2025-09-21')).toBe(12);
    expect(gstRateOn(amoxicillin, '2025-09-22')).toBe(5);
    expect(gstRateOn(amoxicillin, '2017-06-30')).toBeNull();
    const fivePercent = items.filter((i) => i.hsnCode === '3002' && i.genericName.includes('vaccine'));
    expect(fivePercent.length).toBeGreaterThan(5);
    for (const i of [...fivePercent, ...items.filter((x) => x.genericName.startsWith('Insulin'))]) {
      expect(i.gst, i.code).toEqual([{ ratePercent: 5, validFrom: '2017-07-01', validTo: null }]);
    }
    for (const i of items) expect(gstRateOn(i, '2026-01-01'), i.code).toBeLessThanOrEqual(5);
  });
});

describe('the shipped brands.csv', () => {
  it('parses with no errors and links every brand to a formulary product', () => {
    expect(brands.errors.map(formatFormularyError)).toEqual([]);
    expect(brands.brands.length).toBeGreaterThanOrEqual(40);
    const codes = new Set(items.map((i) => i.code));
    for (const b of brands.brands) expect(codes.has(b.formularyCode), b.brandName).toBe(true);
  });

  it('holds invented names only, said so on every row', () => {
    for (const b of brands.brands) {
      expect(b.source).toMatch(/fictional/i);
      expect(b.manufacturer).toMatch(/\(fictional\)$/);
      expect(b.licence).toBeTruthy();
    }
  });
});

describe('parseFormularyCsv on a hospital file', () => {
  const good =
    'H-100,Amoxicillin,amoxicillin,500 mg,capsule,oral,capsule,H,false,3004,12,2017-07-01,false,,,true';

  it('reports every bad row with its line and column, and still returns the good rows', () => {
    const csv = [
      HEADER,
      good,
      'H-101,Cetirizine,cetirizine,10 mg,tablet,oral,tablet,Z,false,3004,12,2017-07-01,false,,,true',
      'H-102,Cetirizine,cetirizine,10 mg,tablet,oral,tablet,H,false,3004,15,2017-07-01,false,,,true',
      'H-103,Ceftriaxone,ceftriaxone,1 g,powder for injection,iv drip,vial,H1,false,3004,12,2017-07-01,false,,,true',
      'H-104,Ceftriaxone,ceftriaxone,1 g,lozenge,iv,vial,H1,false,3004,12,2017-07-01,false,,,true',
      'H-105,Co-amoxiclav,amoxicillin++clavulanic acid,500 mg + 125 mg,tablet,oral,tablet,H,false,3004,12,2017-07-01,false,,,true',
      'H-106,Paracetamol,paracetamol,500 mg,tablet,oral,tablet,OTC,false,3004,12,2017-02-30,false,,,true',
      'H-100,Amoxicillin,amoxicillin,500 mg,capsule,oral,capsule,H,false,3004,12,2017-07-01,false,,,true',
      'H-107,Morphine,morphine,10 mg,tablet,oral,tablet,OTC,true,3004,12,2017-07-01,true,,,true',
      'H-108,Heparin,heparin,5000 IU/mL,injection,iv/sc,vial,H,maybe,3004,12,2017-07-01,true,,,true',
      'H-109,Amlodipine,amlodipine,5 mg,tablet,oral,tablet,H,false,30,12,2017-07-01,false,,C8CA01,true',
    ].join('\n');
    const { items: parsed, errors } = parseFormularyCsv(csv, 'hospital.csv');
    expect(parsed.map((i) => i.code)).toEqual(['H-100']);
    const at = (line: number) =>
      errors.filter((e) => e.line === line).map((e) => `${e.column}: ${e.message}`);
    expect(at(3)).toEqual([expect.stringMatching(/^schedule: unknown schedule "Z"/)]);
    expect(at(4)).toEqual([expect.stringMatching(/^gst_rate_percent: bad GST rate "15"/)]);
    expect(at(5)).toEqual([expect.stringMatching(/^route: unknown route "iv drip"/)]);
    expect(at(6)).toEqual([expect.stringMatching(/^dose_form: unknown dose form "lozenge"/)]);
    expect(at(7)).toEqual([expect.stringMatching(/^ingredients: empty ingredient/)]);
    expect(at(8)).toEqual([expect.stringMatching(/^gst_valid_from: bad date "2017-02-30"/)]);
    expect(at(9)).toEqual([expect.stringMatching(/^code: duplicate code H-100: line 2/)]);
    expect(at(10)).toEqual([expect.stringMatching(/^narcotic: an NDPS Act drug cannot be schedule OTC/)]);
    expect(at(11)).toEqual([expect.stringMatching(/^narcotic: "maybe" is not true or false/)]);
    expect(at(12)).toEqual([
      expect.stringMatching(/^hsn_code: bad HSN code "30"/),
      expect.stringMatching(/^atc_code: bad ATC code "C8CA01"/),
    ]);
    expect(errors.every((e) => e.file === 'hospital.csv')).toBe(true);
    expect(formatFormularyError(errors[0]!)).toMatch(/^hospital\.csv line 3, schedule: /);
  });

  it('accepts the file without source and licence columns, in any column order, ignoring extra columns', () => {
    const columns = HEADER.split(',');
    const values = good.split(',');
    const order = [...columns.keys()].reverse();
    const csv = [
      `${order.map((i) => columns[i]).join(',')},price_inr`,
      `${order.map((i) => values[i]).join(',')},12.50`,
    ].join('\n');
    const { items: parsed, errors } = parseFormularyCsv(csv);
    expect(errors).toEqual([]);
    expect(parsed[0]).toMatchObject({
      code: 'H-100',
      ingredients: ['amoxicillin'],
      source: null,
      licence: null,
    });
  });

  it('reads a byte-order mark, CRLF line ends, quoted commas, doubled quotes and a line break inside quotes', () => {
    const csv = [
      `\uFEFF${HEADER},source,licence`,
      'H-200,"Sodium chloride, normal saline",sodium chloride,"0.9% w/v (500 mL)",infusion,iv,bottle,H,false,3004,12,2017-07-01,false,,,true,"St. Asha\'s list, ""ward"" stock","line one',
      'line two"',
      'H-201,"Amoxicillin with clavulanic acid","amoxicillin + Clavulanic Acid",500 mg + 125 mg,tablet,oral,tablet,h,no,3004,12%,2017-07-01,no,,j01cr02,yes,,',
      '',
    ].join('\r\n');
    const { items: parsed, errors } = parseFormularyCsv(csv);
    expect(errors).toEqual([]);
    expect(parsed).toHaveLength(2);
    expect(parsed[0]).toMatchObject({
      genericName: 'Sodium chloride, normal saline',
      source: 'St. Asha\'s list, "ward" stock',
      licence: 'line one\r\nline two',
    });
    expect(parsed[1]).toMatchObject({
      ingredients: ['amoxicillin', 'clavulanic acid'],
      schedule: 'H',
      atcCode: 'J01CR02',
      nlem2022: true,
      gst: [{ ratePercent: 12, validFrom: '2017-07-01', validTo: null }],
    });
  });

  it('numbers lines after a quoted line break and reports a broken quote without losing the other rows', () => {
    const csv = [
      `${HEADER},source`,
      `${good},"two`,
      'lines"',
      'H-300,Bad,"bad"x,1 mg,tablet,oral,tablet,H,false,3004,12,2017-07-01,false,,,true,',
      'H-301,Warfarin,warfarin,5 mg,tablet,oral,tablet,H,false,3004,12,2017-07-01,true,,,true,',
      'H-302,Short,row',
    ].join('\n');
    const { items: parsed, errors } = parseFormularyCsv(csv);
    expect(parsed.map((i) => i.code)).toEqual(['H-100', 'H-301']);
    expect(errors.map((e) => [e.line, e.column])).toEqual([
      [4, null],
      [6, null],
    ]);
    expect(errors[0]?.message).toMatch(/after a closing quote/);
    expect(errors[1]?.message).toMatch(/3 fields/);
  });

  it('joins the dated GST rows of one code, and refuses rows of one code that describe different products', () => {
    const csv = [
      HEADER,
      good.replace('12,2017-07-01', '5,2025-09-22'),
      good,
      good.replace('500 mg', '250 mg').replace('12,2017-07-01', '18,2020-01-01'),
    ].join('\n');
    const { items: parsed, errors } = parseFormularyCsv(csv);
    expect(parsed[0]?.gst).toEqual([
      { ratePercent: 12, validFrom: '2017-07-01', validTo: '2025-09-22' },
      { ratePercent: 5, validFrom: '2025-09-22', validTo: null },
    ]);
    expect(errors).toEqual([
      expect.objectContaining({ line: 4, column: 'strength', message: expect.stringMatching(/line 2/) }),
    ]);
  });

  it('names missing columns on the header line and reads no rows', () => {
    const { items: parsed, errors } = parseFormularyCsv('code,generic_name\nF1,Amoxicillin\n', 'h.csv');
    expect(parsed).toEqual([]);
    expect(errors.map((e) => e.column)).toContain('schedule');
    expect(errors.every((e) => e.line === 1 && /no column/.test(e.message))).toBe(true);
  });

  it('checks that a combination states one quantity per ingredient', () => {
    const csv = [
      HEADER,
      good.replace('amoxicillin,500 mg', 'amoxicillin+clavulanic acid,500 mg + 125 mg + 1 mg'),
    ];
    const { errors } = parseFormularyCsv(csv.join('\n'));
    expect(errors).toEqual([expect.objectContaining({ line: 2, column: 'strength' })]);
  });
});

describe('parseBrandsCsv on a hospital file', () => {
  it('reports unknown formulary codes, bad pack sizes and duplicate brands by line', () => {
    const csv = [
      'brand_name,formulary_code,manufacturer,pack_size',
      'Amoxinova 500,F0001,Made-up Pharma,10',
      'Amoxinova 500,F9999,Made-up Pharma,10',
      'Amoxinova 250,F0001,Made-up Pharma,ten',
      'Amoxinova 500,F0001,Made-up Pharma,10',
      ',F0001,Made-up Pharma,10',
    ].join('\n');
    const { brands: parsed, errors } = parseBrandsCsv(csv, 'b.csv', new Set(['F0001']));
    expect(parsed).toEqual([
      {
        brandName: 'Amoxinova 500',
        formularyCode: 'F0001',
        manufacturer: 'Made-up Pharma',
        packSize: 10,
        packDescription: null,
        source: null,
        licence: null,
      },
    ]);
    expect(errors.map((e) => [e.line, e.column])).toEqual([
      [3, 'formulary_code'],
      [4, 'pack_size'],
      [5, 'brand_name'],
      [6, 'brand_name'],
    ]);
  });
});
