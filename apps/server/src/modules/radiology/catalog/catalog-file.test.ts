import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  formatRadCatalogError,
  isRadlexCode,
  isValidLoincCode,
  parseProceduresCsv,
  parseRadCatalog,
  parseTemplatesCsv,
} from './catalog-file';

const shipped = {
  procedures: readFileSync(new URL('./procedures.csv', import.meta.url), 'utf8'),
  templates: readFileSync(new URL('./templates.csv', import.meta.url), 'utf8'),
};

describe('the shipped radiology catalog', () => {
  const { catalog, errors } = parseRadCatalog(shipped);

  it('parses without a problem', () => {
    expect(errors.map(formatRadCatalogError)).toEqual([]);
    expect(catalog.procedures.length).toBeGreaterThanOrEqual(60);
    expect(catalog.procedures.length).toBeLessThanOrEqual(100);
  });

  it('covers every modality and names its source and licence on every row', () => {
    expect(new Set(catalog.procedures.map((p) => p.modality))).toEqual(
      new Set(['XR', 'CT', 'MR', 'US', 'MG', 'RF']),
    );
    for (const p of catalog.procedures) {
      expect(p.source).toMatch(/Newhms/);
      expect(p.licence).toMatch(/Newhms/);
    }
  });

  it('asks the patient to fast before a contrast CT of the abdomen and to fill the bladder before a pelvic ultrasound', () => {
    const byCode = new Map(catalog.procedures.map((p) => [p.code, p]));
    expect(byCode.get('RAD-CT-ABD-C')).toMatchObject({ contrast: 'required', contrastRoute: 'iv' });
    expect(byCode.get('RAD-CT-ABD-C')!.preparation).toMatch(/6 hours/);
    expect(byCode.get('RAD-USG-PELVIS')!.preparation).toMatch(/[Ff]ull bladder/);
    expect(byCode.get('RAD-XR-KNEE')!.lateralityRequired).toBe(true);
  });

  it('has the codes the demo charge master prices', () => {
    const codes = new Set(catalog.procedures.map((p) => p.code));
    for (const c of ['RAD-CXR-PA', 'RAD-USG-ABD', 'RAD-CT-HEAD', 'RAD-MRI-LS'])
      expect(codes.has(c)).toBe(true);
  });
});

describe('catalog checks', () => {
  const header =
    'code,name,modality,body_part,laterality,contrast,contrast_route,duration_minutes,preparation,loinc_code,radlex_code,template';

  it('names the line and the column of each bad field, and keeps the good rows', () => {
    const { procedures, errors } = parseProceduresCsv(
      [
        header,
        'RAD-OK,Fine,XR,chest,no,none,,10,,,,XR-CHEST',
        'RAD-BAD,Bad,PET,chest,maybe,some,,0,,1234-5,XYZ,XR-CHEST',
        'RAD-IV,No route,CT,head,no,required,,10,,,,CT-HEAD',
        'RAD-OK,Twice,XR,chest,no,none,,10,,,,XR-CHEST',
      ].join('\n'),
    );
    expect(procedures.map((p) => p.code)).toEqual(['RAD-OK']);
    expect(errors.map(formatRadCatalogError)).toEqual([
      expect.stringMatching(/^procedures\.csv line 3, modality:/),
      expect.stringMatching(/^procedures\.csv line 3, laterality:/),
      expect.stringMatching(/^procedures\.csv line 3, contrast:/),
      expect.stringMatching(/^procedures\.csv line 3, duration_minutes:/),
      expect.stringMatching(/^procedures\.csv line 3, loinc_code:/),
      expect.stringMatching(/^procedures\.csv line 3, radlex_code:/),
      expect.stringMatching(/^procedures\.csv line 4, contrast_route: say how/),
      expect.stringMatching(/^procedures\.csv line 5, code: RAD-OK appears twice/),
    ]);
  });

  it('refuses a procedure whose template is missing', () => {
    const { errors } = parseRadCatalog({
      procedures: `${header}\nRAD-X,X,XR,chest,no,none,,10,,,,NOPE`,
      templates: 'code,name,modality,technique,findings,impression\nXR-CHEST,Chest,XR,t,f,i',
    });
    expect(errors.map(formatRadCatalogError)).toEqual([
      'procedures.csv line 2, template: NOPE is not in templates.csv',
    ]);
  });

  it('refuses an empty template section', () => {
    const { errors } = parseTemplatesCsv('code,name,modality,technique,findings,impression\nA,B,CT,t,,i');
    expect(errors.map(formatRadCatalogError)).toEqual(['templates.csv line 2, findings: findings is empty']);
  });

  it('checks LOINC check digits and RadLex identifiers', () => {
    expect(isValidLoincCode('2823-3')).toBe(true);
    expect(isValidLoincCode('2823-4')).toBe(false);
    expect(isValidLoincCode('abc')).toBe(false);
    expect(isRadlexCode('RID10312')).toBe(true);
    expect(isRadlexCode('RPID16')).toBe(true);
    expect(isRadlexCode('RID')).toBe(false);
  });
});
