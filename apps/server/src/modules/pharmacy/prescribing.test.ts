import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkPrescription } from './checker/checker';
import {
  checkerItemOf,
  computeQuantity,
  doseSchedule,
  dosesPerDay,
  sigOf,
  strengthInMg,
  unitsPerDose,
} from './prescribing';

const tablet500 = {
  ingredients: ['paracetamol'],
  strength: '500 mg',
  unitOfIssue: 'tablet',
  doseForm: 'tablet',
};
const line = (over: Partial<Parameters<typeof computeQuantity>[0]> = {}) => ({
  dose: { amount: 500, unit: 'mg' },
  route: 'oral',
  frequency: 'TDS' as const,
  durationDays: 5,
  instructions: 'after-food',
  ...over,
});

describe('the arithmetic of a prescription line', () => {
  it('reads a strength as a mass, and nothing else', () => {
    expect(strengthInMg('500 mg')).toBe(500);
    expect(strengthInMg('1 g')).toBe(1000);
    expect(strengthInMg('250 mcg')).toBe(0.25);
    expect(strengthInMg('125 mg/5 mL')).toBeNull();
    expect(strengthInMg('40 IU/mL')).toBeNull();
  });

  it('computes the quantity to hand over from dose, strength, times a day and days', () => {
    expect(computeQuantity(line(), tablet500)).toBe(15);
    expect(
      computeQuantity(
        line({ dose: { amount: 1000, unit: 'mg' }, frequency: 'QID', durationDays: 3 }),
        tablet500,
      ),
    ).toBe(24);
    expect(
      computeQuantity(
        line({ dose: { amount: 1, unit: 'tablet' }, frequency: 'BD', durationDays: 7 }),
        tablet500,
      ),
    ).toBe(14);
    // Half a tablet twice a day for 3 days: 3 tablets.
    expect(
      computeQuantity(
        line({ dose: { amount: 250, unit: 'mg' }, frequency: 'BD', durationDays: 3 }),
        tablet500,
      ),
    ).toBe(3);
    expect(computeQuantity(line({ frequency: 'STAT' }), tablet500)).toBe(1);
    expect(
      computeQuantity(
        line({ frequency: 'SOS', prnIndication: 'fever', maxDosesPerDay: 4, durationDays: 2 }),
        tablet500,
      ),
    ).toBe(8);
    expect(
      computeQuantity(line({ frequency: 'SOS', prnIndication: 'fever', durationDays: 2 }), tablet500),
    ).toBeNull();
    // A syrup dosed in mg: the prescriber says how many bottles.
    expect(
      computeQuantity(line(), {
        ingredients: ['paracetamol'],
        strength: '125 mg/5 mL',
        unitOfIssue: 'bottle',
        doseForm: 'syrup',
      }),
    ).toBeNull();
  });

  it('uses whole vials for every injected dose', () => {
    const vial = {
      ingredients: ['ceftriaxone'],
      strength: '1 g',
      unitOfIssue: 'vial',
      doseForm: 'injection',
    };
    expect(unitsPerDose({ amount: 1500, unit: 'mg' }, vial)).toBe(2);
    expect(
      computeQuantity(
        line({ dose: { amount: 1, unit: 'g' }, frequency: 'BD', durationDays: 5, route: 'iv' }),
        vial,
      ),
    ).toBe(10);
  });

  it('writes the line as the patient reads it', () => {
    expect(sigOf(line(), tablet500)).toBe('1 tablet (500 mg) oral, three times a day after food, for 5 days');
    expect(sigOf(line({ frequency: 'SOS', prnIndication: 'fever', maxDosesPerDay: 3 }), tablet500)).toBe(
      '1 tablet (500 mg) oral, when needed for fever, at most 3 a day after food, for 5 days',
    );
    expect(sigOf(line({ frequency: 'CUSTOM', times: ['22:00', '06:00'] }), tablet500)).toContain(
      'at 06:00, 22:00',
    );
  });

  it('gives the checker the dose as a mass, so a tablet count is checked against the daily maximum', () => {
    const item = checkerItemOf(line({ dose: { amount: 2, unit: 'tablet' }, frequency: 'QID' }), tablet500);
    expect(item).toMatchObject({ dose: { amount: 1000, unit: 'mg' }, frequency: 4 });
    // 2 tablets of 500 mg six times a day = 6 g of paracetamol a day: above the adult maximum.
    const over = checkerItemOf(
      line({
        dose: { amount: 2, unit: 'tablet' },
        frequency: 'CUSTOM',
        times: ['00:00', '04:00', '08:00', '12:00', '16:00', '20:00'],
      }),
      tablet500,
    );
    const alerts = checkPrescription({ proposed: [over], ageYears: 40, weightKg: 70 });
    expect(alerts.some((a) => a.kind === 'dose-range')).toBe(true);
    expect(dosesPerDay({ frequency: 'SOS' })).toBe('prn');
  });

  it('schedules in-patient doses at the facility times from the moment of ordering on', () => {
    // Ordered at 10:00 in Kolkata (04:30 UTC) on the start date: the 08:00 dose of that day is not scheduled.
    const from = new Date('2026-03-10T04:30:00Z');
    const doses = doseSchedule({ frequency: 'TDS', durationDays: 2 }, '2026-03-10', from, 'Asia/Kolkata');
    expect(doses.map((d) => d.toISOString())).toEqual([
      '2026-03-10T08:30:00.000Z',
      '2026-03-10T14:30:00.000Z',
      '2026-03-11T02:30:00.000Z',
      '2026-03-11T08:30:00.000Z',
      '2026-03-11T14:30:00.000Z',
    ]);
    expect(doseSchedule({ frequency: 'STAT', durationDays: 1 }, '2026-03-10', from, 'Asia/Kolkata')).toEqual([
      from,
    ]);
    expect(doseSchedule({ frequency: 'SOS', durationDays: 3 }, '2026-03-10', from, 'Asia/Kolkata')).toEqual(
      [],
    );
  });

  it('never schedules more doses than times a day x days, and never one before the order', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('OD', 'BD', 'TDS', 'QID', 'HS') as fc.Arbitrary<'OD' | 'BD' | 'TDS' | 'QID' | 'HS'>,
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 0, max: 23 }),
        (frequency, days, hour) => {
          const from = new Date(Date.UTC(2026, 5, 1, hour));
          const doses = doseSchedule({ frequency, durationDays: days }, '2026-06-01', from, 'Asia/Kolkata');
          const perDay = dosesPerDay({ frequency }) as number;
          expect(doses.length).toBeLessThanOrEqual(perDay * days);
          expect(doses.length).toBeGreaterThanOrEqual(perDay * (days - 1));
          for (const d of doses) expect(d.getTime()).toBeGreaterThanOrEqual(from.getTime() - 60_000);
        },
      ),
    );
  });
});
