import { describe, expect, it } from 'vitest';
import type { CheckAlert, MedicationItem, PrescriptionCheckInput } from './checker';
import {
  checkPrescription,
  compareAlerts,
  doseInMg,
  highestSeverity,
  normalizeIngredient,
  resolveAllergySubstance,
} from './checker';

const oral = (
  ingredient: string,
  mg: number,
  perDay: number,
  extra: Partial<MedicationItem> = {},
): MedicationItem => ({
  ingredients: [ingredient],
  dose: { amount: mg, unit: 'mg' },
  route: 'oral',
  frequency: perDay,
  ...extra,
});
const check = (input: Partial<PrescriptionCheckInput> & Pick<PrescriptionCheckInput, 'proposed'>) =>
  checkPrescription({ ageYears: 45, weightKg: 70, ...input });
const byRule = (alerts: CheckAlert[], ruleId: string) => alerts.filter((a) => a.ruleId === ruleId);

describe('interactions', () => {
  it('catches simvastatin with clarithromycin through class membership, with its ONC citation', () => {
    const alerts = check({
      proposed: [oral('clarithromycin', 500, 2)],
      current: [oral('simvastatin', 20, 1)],
    });
    const [alert, ...others] = byRule(alerts, 'ONC-11');
    expect(others).toHaveLength(0);
    expect(alert).toMatchObject({
      kind: 'interaction',
      severity: 'contraindicated',
      requiresOverrideReason: true,
      items: [
        { list: 'proposed', index: 0, ingredients: ['clarithromycin'] },
        { list: 'current', index: 0, ingredients: ['simvastatin'] },
      ],
    });
    expect(alert?.citation).toMatch(/Phansalkar.*JAMIA|J Am Med Inform Assoc 2012/);
    expect(alert?.management).toMatch(/suspend the statin|pravastatin|rosuvastatin/);
    expect(alert?.mechanism).toMatch(/CYP3A4/);
  });

  it('catches lovastatin with ritonavir by the same rule (a protease inhibitor is in the inhibitor class)', () => {
    const alerts = check({ proposed: [oral('lovastatin', 20, 1), oral('ritonavir', 100, 2)] });
    expect(byRule(alerts, 'ONC-11')).toHaveLength(1);
  });

  it('catches tramadol with linezolid as a contraindicated serotonergic combination', () => {
    const alerts = check({
      proposed: [
        { ingredients: ['linezolid'], dose: { amount: 600, unit: 'mg' }, route: 'iv', frequency: 2 },
      ],
      current: [oral('tramadol', 50, 3)],
    });
    expect(byRule(alerts, 'ONC-06')[0]).toMatchObject({
      severity: 'contraindicated',
      requiresOverrideReason: true,
    });
  });

  it('gives the linezolid label advice, not the generic MAO-inhibitor rule, for linezolid with an SSRI', () => {
    const alerts = check({ proposed: [oral('linezolid', 600, 2)], current: [oral('sertraline', 50, 1)] });
    expect(alerts.filter((a) => a.kind === 'interaction').map((a) => a.ruleId)).toEqual([
      'LABEL-LINEZOLID-SEROTONERGIC',
    ]);
    expect(alerts[0]?.citation).toBe('product label: linezolid');
  });

  it('warns on warfarin with ibuprofen as a major bleeding risk citing the warfarin label', () => {
    const alerts = check({ proposed: [oral('ibuprofen', 400, 3)], current: [oral('warfarin', 5, 1)] });
    expect(byRule(alerts, 'LABEL-VKA-NSAIDS')[0]).toMatchObject({
      severity: 'major',
      citation: 'product label: warfarin',
      requiresOverrideReason: true,
    });
  });

  it('catches colchicine with clarithromycin', () => {
    const alerts = check({ proposed: [oral('colchicine', 0.5, 2), oral('clarithromycin', 500, 2)] });
    expect(byRule(alerts, 'LABEL-COLCHICINE-CYP3A4')[0]?.severity).toBe('major');
  });

  it('matches an ingredient inside a combination product (co-trimoxazole with methotrexate)', () => {
    const alerts = check({
      proposed: [
        {
          ingredients: ['Sulfamethoxazole', 'Trimethoprim'],
          ingredientDoses: [
            { amount: 800, unit: 'mg' },
            { amount: 160, unit: 'mg' },
          ],
          route: 'oral',
          frequency: 2,
        },
      ],
      current: [oral('methotrexate', 15, 1 / 7)],
    });
    const [alert] = byRule(alerts, 'LABEL-METHOTREXATE-TRIMETHOPRIM');
    expect(alert?.items[0]).toEqual({ list: 'proposed', index: 0, ingredients: ['trimethoprim'] });
    expect(alert?.severity).toBe('major');
  });

  it('reports a pair once whichever side comes first, and never checks current medications against each other', () => {
    const a = check({ proposed: [oral('sildenafil', 50, 1), oral('isosorbide mononitrate', 30, 1)] });
    const b = check({ proposed: [oral('isosorbide mononitrate', 30, 1), oral('sildenafil', 50, 1)] });
    expect(byRule(a, 'LABEL-PDE5-NITRATES')).toHaveLength(1);
    expect(byRule(b, 'LABEL-PDE5-NITRATES')).toHaveLength(1);
    const currentOnly = check({
      proposed: [oral('paracetamol', 500, 3)],
      current: [oral('sildenafil', 50, 1), oral('isosorbide mononitrate', 30, 1)],
    });
    expect(byRule(currentOnly, 'LABEL-PDE5-NITRATES')).toHaveLength(0);
  });

  it('recognises label names with salts and other spellings', () => {
    expect(normalizeIngredient('Atorvastatin Calcium')).toBe('atorvastatin');
    expect(normalizeIngredient('Rifampin')).toBe('rifampicin');
    expect(normalizeIngredient('ACETAMINOPHEN')).toBe('paracetamol');
    expect(normalizeIngredient('Sodium chloride')).toBe('sodium chloride');
    const alerts = check({ proposed: [oral('Clarithromycin', 500, 2), oral('Simvastatin', 20, 1)] });
    expect(byRule(alerts, 'ONC-11')).toHaveLength(1);
  });
});

describe('allergies', () => {
  it('blocks amoxicillin for a patient allergic to penicillin', () => {
    const alerts = check({
      proposed: [oral('amoxicillin', 500, 3)],
      allergies: [{ substance: 'Penicillin', criticality: 'high' }],
    });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      kind: 'allergy',
      severity: 'contraindicated',
      requiresOverrideReason: true,
      allergyIndex: 0,
    });
    expect(alerts[0]?.message).toContain('penicillins');
  });

  it('warns at a lower severity on ceftriaxone for a penicillin allergy, citing the cross-reactivity review', () => {
    const alerts = check({
      proposed: [{ ingredients: ['ceftriaxone'], dose: { amount: 1, unit: 'g' }, route: 'iv', frequency: 1 }],
      allergies: [{ substance: 'penicillin (urticaria)', criticality: 'high' }],
    });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      ruleId: 'XR-PENICILLINS-CEPHALOSPORINS',
      severity: 'moderate',
      requiresOverrideReason: false,
    });
    expect(alerts[0]?.citation).toMatch(/JAMA 2019/);
  });

  it('treats an allergy to one penicillin as an allergy to the class, and lowers a low-criticality warning', () => {
    const high = check({ proposed: [oral('ampicillin', 500, 4)], allergies: [{ substance: 'amoxicillin' }] });
    expect(high[0]).toMatchObject({ ruleId: 'XR-PENICILLINS', severity: 'contraindicated' });
    const low = check({
      proposed: [
        oral('ampicillin', 500, 4),
        { ingredients: ['meropenem'], dose: { amount: 1, unit: 'g' }, route: 'iv', frequency: 3 },
      ],
      allergies: [{ substance: 'amoxicillin', criticality: 'low' }],
    });
    expect(low.map((a) => [a.ruleId, a.severity])).toEqual([
      ['XR-PENICILLINS', 'major'],
      ['XR-PENICILLINS-CARBAPENEMS', 'minor'],
    ]);
  });

  it('flags co-trimoxazole for a sulfa allergy but not furosemide', () => {
    const alerts = check({
      proposed: [
        { ingredients: ['sulfamethoxazole', 'trimethoprim'], route: 'oral', frequency: 2 },
        oral('furosemide', 40, 1),
      ],
      allergies: [{ substance: 'Sulfa drugs', criticality: 'high' }],
    });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ kind: 'allergy', severity: 'contraindicated' });
    expect(alerts[0]?.items[0]?.index).toBe(0);
  });

  it('finds known substances in free text and ignores what it does not know', () => {
    expect(resolveAllergySubstance('Aspirin - wheeze; also sulpha').classKeys).toEqual([
      'sulfonamide-antibiotics',
    ]);
    expect(resolveAllergySubstance('Aspirin - wheeze; also sulpha').ingredients).toEqual([
      'acetylsalicylic acid',
    ]);
    expect(resolveAllergySubstance('peanuts')).toEqual({ ingredients: [], classKeys: [] });
    expect(check({ proposed: [oral('paracetamol', 500, 3)], allergies: [{ substance: 'latex' }] })).toEqual(
      [],
    );
  });
});

describe('duplicate therapy', () => {
  it('flags the same ingredient in a new combination product and a current medication', () => {
    const alerts = check({
      proposed: [
        {
          ingredients: ['paracetamol', 'tramadol'],
          ingredientDoses: [
            { amount: 325, unit: 'mg' },
            { amount: 37.5, unit: 'mg' },
          ],
          route: 'oral',
          frequency: 3,
        },
      ],
      current: [oral('paracetamol', 650, 3)],
    });
    expect(alerts.map((a) => a.ruleId)).toEqual(['DUP-INGREDIENT']);
    expect(alerts[0]?.items.map((i) => i.ingredients)).toEqual([['paracetamol'], ['paracetamol']]);
  });

  it('flags two members of a duplicate-checked class, and not two members of an unchecked one', () => {
    const ppis = check({ proposed: [oral('pantoprazole', 40, 1)], current: [oral('omeprazole', 20, 1)] });
    expect(ppis.map((a) => [a.ruleId, a.severity])).toEqual([['DUP-ppis', 'moderate']]);
    const dapt = check({ proposed: [oral('clopidogrel', 75, 1), oral('aspirin', 75, 1)] });
    expect(dapt).toEqual([]);
  });
});

describe('dose ranges', () => {
  it('flags paediatric paracetamol above 15 mg/kg per dose', () => {
    const alerts = check({ ageYears: 4, weightKg: 16, proposed: [oral('paracetamol', 500, 4)] });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ kind: 'dose-range', ruleId: 'DOSE-PER-DOSE-MAX', severity: 'major' });
    expect(alerts[0]?.message).toContain('240 mg maximum per dose');
    expect(alerts[0]?.message).toContain('1200 mg daily maximum');
  });

  it('accepts 15 mg/kg paracetamol four times a day for a child', () => {
    expect(check({ ageYears: 4, weightKg: 16, proposed: [oral('paracetamol', 240, 4)] })).toEqual([]);
  });

  it('says a child dose cannot be checked without a weight, and still applies the adult ceiling', () => {
    const alerts = check({ ageYears: 6, weightKg: undefined, proposed: [oral('paracetamol', 240, 4)] });
    expect(alerts.map((a) => [a.ruleId, a.severity])).toEqual([['DOSE-WEIGHT-NEEDED', 'moderate']]);
    const big = check({ ageYears: 6, weightKg: undefined, proposed: [oral('paracetamol', 1500, 4)] });
    expect(big[0]).toMatchObject({ severity: 'major', ruleId: 'DOSE-PER-DOSE-MAX' });
    expect(big[0]?.message).toContain('cannot be checked without a weight');
  });

  it('flags an adult daily dose above the maximum although each dose is within range', () => {
    const alerts = check({ proposed: [oral('paracetamol', 1000, 6)] });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      ruleId: 'DOSE-DAILY-MAX',
      severity: 'major',
      requiresOverrideReason: true,
    });
  });

  it('converts g and mcg, and checks a PRN order by its most doses a day', () => {
    expect(doseInMg({ amount: 1.5, unit: 'g' })).toBe(1500);
    expect(doseInMg({ amount: 100, unit: 'mcg' })).toBeCloseTo(0.1);
    expect(doseInMg({ amount: 10, unit: 'ml' })).toBeNull();
    expect(
      check({ proposed: [{ ...oral('paracetamol', 0, 0), dose: { amount: 1.5, unit: 'g' } }] })[0]?.ruleId,
    ).toBe('DOSE-PER-DOSE-MAX');
    const levo = check({
      proposed: [{ ...oral('levothyroxine', 0, 1), dose: { amount: 500, unit: 'mcg' } }],
    });
    expect(levo[0]?.ruleId).toBe('DOSE-PER-DOSE-MAX');
    const prn = check({ proposed: [oral('paracetamol', 1000, 0, { frequency: 'prn', maxDosesPerDay: 6 })] });
    expect(prn[0]?.ruleId).toBe('DOSE-DAILY-MAX');
    expect(check({ proposed: [oral('paracetamol', 1000, 0, { frequency: 'prn' })] })).toEqual([]);
  });

  it('skips units it cannot convert without an alert', () => {
    expect(check({ proposed: [{ ...oral('paracetamol', 0, 3), dose: { amount: 10, unit: 'ml' } }] })).toEqual(
      [],
    );
  });

  it('catches methotrexate prescribed daily instead of weekly', () => {
    expect(check({ proposed: [oral('methotrexate', 15, 1 / 7)] })).toEqual([]);
    const daily = check({ proposed: [oral('methotrexate', 7.5, 1, { durationDays: 30 })] });
    expect(daily[0]).toMatchObject({ ruleId: 'DOSE-WEEKLY-MAX', severity: 'major' });
  });

  it('checks each ingredient of a combination by its own amount', () => {
    const alerts = check({
      proposed: [
        {
          ingredients: ['paracetamol', 'tramadol'],
          ingredientDoses: [
            { amount: 650, unit: 'mg' },
            { amount: 150, unit: 'mg' },
          ],
          route: 'oral',
          frequency: 2,
        },
      ],
    });
    expect(alerts.map((a) => [a.ruleId, a.items[0]?.ingredients])).toEqual([
      ['DOSE-PER-DOSE-MAX', ['tramadol']],
    ]);
  });
});

describe('the whole check', () => {
  it('gives no alerts for a clean prescription', () => {
    const alerts = check({
      proposed: [
        oral('amoxicillin', 500, 3, { durationDays: 5 }),
        oral('paracetamol', 650, 3, { durationDays: 3 }),
        oral('pantoprazole', 40, 1),
      ],
      current: [oral('metformin', 500, 2), oral('amlodipine', 5, 1)],
      allergies: [{ substance: 'sulfa', criticality: 'low' }],
    });
    expect(alerts).toEqual([]);
  });

  it('sorts by severity then kind, and marks contraindicated and major alerts for an override reason', () => {
    const alerts = check({
      proposed: [
        oral('clarithromycin', 500, 2),
        oral('ibuprofen', 400, 3),
        oral('naproxen', 250, 2),
        oral('amoxicillin', 500, 3),
      ],
      current: [oral('simvastatin', 20, 1), oral('warfarin', 5, 1)],
      allergies: [{ substance: 'penicillin', criticality: 'high' }],
    });
    expect([...alerts].sort(compareAlerts)).toEqual(alerts);
    expect(alerts.map((a) => a.severity)).toEqual([
      'contraindicated',
      'contraindicated',
      'major',
      'major',
      'moderate',
    ]);
    expect(alerts.map((a) => a.kind).slice(0, 2)).toEqual(['interaction', 'allergy']);
    for (const a of alerts)
      expect(a.requiresOverrideReason).toBe(a.severity === 'contraindicated' || a.severity === 'major');
    expect(highestSeverity(alerts)).toBe('contraindicated');
    expect(highestSeverity([])).toBeNull();
    expect(new Set(alerts.map((a) => a.key)).size).toBe(alerts.length);
  });
});
