import { describe, expect, it } from 'vitest';
import { dispenseRequirements, needsPrescription, returnableUnits } from './dispense-rules';

describe('dispenseRequirements', () => {
  it('asks for nothing for over-the-counter and Schedule G items', () => {
    expect(
      dispenseRequirements([
        { genericName: 'Paracetamol', schedule: 'OTC', controlled: false },
        { genericName: 'ORS', schedule: 'G', controlled: false },
      ]),
    ).toEqual({ prescriber: null, witness: null });
  });

  it('asks for the prescriber for Schedule H, H1 and X, naming the items', () => {
    expect(needsPrescription('H')).toBe(true);
    expect(needsPrescription('H1')).toBe(true);
    expect(needsPrescription('X')).toBe(true);
    const r = dispenseRequirements([{ genericName: 'Amoxicillin', schedule: 'H', controlled: false }]);
    expect(r.prescriber).toMatch(/Amoxicillin/);
    expect(r.witness).toBeNull();
  });

  it('asks for a witness for controlled drugs, a narcotic of any schedule included', () => {
    const r = dispenseRequirements([
      { genericName: 'Morphine', schedule: 'X', controlled: true },
      { genericName: 'Morphine', schedule: 'X', controlled: true },
    ]);
    expect(r.witness).toBe('Required: Morphine are controlled drugs');
    expect(r.prescriber).toMatch(/Morphine/);
  });
});

describe('returnableUnits', () => {
  it('is what was sold less what came back', () => {
    expect(returnableUnits({ quantity: 10, returned: 3 })).toBe(7);
    expect(returnableUnits({ quantity: 2, returned: 2 })).toBe(0);
  });
});
