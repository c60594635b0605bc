import { describe, expect, it } from 'vitest';
import {
  apportion,
  mulDivHalfUp,
  roomRentLimitOf,
  type SplitLine,
  type SplitRules,
  splitPayer,
} from './payer-split';

const rules = (r: Partial<SplitRules> = {}): SplitRules => ({
  payerId: 'payer',
  policyId: 'policy',
  planCode: 'GOLD',
  copayBp: 0,
  roomRentLimitPerDay: null,
  proportionateDeduction: true,
  nonPayableGroups: [],
  nonPayableCodes: [],
  preauthApproved: null,
  policyBalance: 100_000_000,
  ...r,
});
const line = (l: Partial<SplitLine> & Pick<SplitLine, 'serviceGroup' | 'total'>): SplitLine => ({
  serviceCode: l.serviceGroup.toUpperCase(),
  quantity: 1,
  unitPrice: l.total,
  intensiveCare: false,
  tariffClass: 'private',
  ...l,
});

// A stay of 3 days in a INR 8,000/day private room under a policy that allows INR 5,000/day: ratio 0.625.
const stay: SplitLine[] = [
  line({ serviceGroup: 'room', quantity: 3, unitPrice: 800_000, total: 2_400_000 }),
  line({ serviceGroup: 'nursing', total: 300_000 }),
  line({ serviceGroup: 'procedure', total: 1_000_000 }),
  line({ serviceGroup: 'investigation', total: 200_000 }),
  line({ serviceGroup: 'pharmacy', total: 500_000 }),
  line({ serviceGroup: 'consultation', total: 100_000, tariffClass: '*' }),
  line({ serviceGroup: 'consumable', serviceCode: 'GLOVES', total: 50_000 }),
];

describe('splitPayer', () => {
  it('pays room rent up to the limit and room-linked charges in proportion (limit / actual)', () => {
    const s = splitPayer(stay, rules({ roomRentLimitPerDay: 500_000 }));
    expect(s.lines.map((l) => l.payerShare)).toEqual([
      1_500_000, // 3 x 5,000
      187_500, // nursing x 0.625
      625_000, // procedure x 0.625
      200_000, // diagnostics: never cut in proportion
      500_000, // pharmacy: never cut
      100_000, // priced the same for every room ('*'): not differential, not cut
      50_000,
    ]);
    expect(s.lines.map((l) => l.note)).toEqual([
      'room-rent-limit',
      'room-rent-proportionate',
      'room-rent-proportionate',
      null,
      null,
      null,
      null,
    ]);
    expect(s.explanation.roomRent).toEqual({
      limitPerDay: 500_000,
      eligible: 1_500_000,
      actual: 2_400_000,
      ratio: '0.6250',
      deduction: 900_000 + 112_500 + 375_000,
    });
    expect(s.explanation.rules).toEqual(['room-rent-limit', 'room-rent-proportionate']);
    for (const [i, l] of s.lines.entries()) expect(l.payerShare + l.patientShare).toBe(stay[i]!.total);
  });

  it('cuts only the room when the plan has no proportionate deduction', () => {
    const s = splitPayer(stay, rules({ roomRentLimitPerDay: 500_000, proportionateDeduction: false }));
    expect(s.lines[0]!.payerShare).toBe(1_500_000);
    expect(s.lines[1]!.payerShare).toBe(300_000);
    expect(s.explanation.rules).toEqual(['room-rent-limit']);
  });

  it('neither limits an ICU room nor counts it in the ratio, and a room within the limit changes nothing', () => {
    const icu = [
      line({ serviceGroup: 'room', unitPrice: 1_200_000, total: 1_200_000, intensiveCare: true }),
      line({ serviceGroup: 'room', unitPrice: 400_000, quantity: 2, total: 800_000 }),
      line({ serviceGroup: 'nursing', total: 100_000 }),
    ];
    const s = splitPayer(icu, rules({ roomRentLimitPerDay: 500_000 }));
    expect(s.lines.map((l) => l.payerShare)).toEqual([1_200_000, 800_000, 100_000]);
    expect(s.explanation.roomRent).toBeNull();
  });

  it('leaves non-payable groups and codes to the patient and takes the co-pay from what is payable', () => {
    const s = splitPayer(
      stay,
      rules({ copayBp: 1_000, nonPayableGroups: ['consumable'], nonPayableCodes: ['PHARMACY'] }),
    );
    expect(s.lines.map((l) => l.payerShare)).toEqual([2_160_000, 270_000, 900_000, 180_000, 0, 90_000, 0]);
    expect(s.lines[4]!.note).toBe('non-payable');
    expect(s.lines[0]!.note).toBe('co-pay');
    expect(s.explanation.nonPayable).toBe(550_000);
    expect(s.explanation.copay).toEqual({ bp: 1_000, amount: 240_000 + 30_000 + 100_000 + 20_000 + 10_000 });
    expect(s.explanation.patientShare + s.explanation.payerShare).toBe(4_550_000);
  });

  it('caps the payer at the approved pre-authorization and at the policy balance', () => {
    const byPreauth = splitPayer(stay, rules({ preauthApproved: 1_000_000 }));
    expect(byPreauth.explanation.payerShare).toBe(1_000_000);
    expect(byPreauth.explanation.cap).toMatchObject({ limit: 1_000_000, reduction: 3_550_000 });
    for (const [i, l] of byPreauth.lines.entries()) {
      expect(l.payerShare).toBeLessThanOrEqual(stay[i]!.total);
      expect(l.patientShare).toBeGreaterThanOrEqual(0);
    }
    const byBalance = splitPayer(stay, rules({ preauthApproved: 1_000_000, policyBalance: 333_333 }));
    expect(byBalance.explanation.payerShare).toBe(333_333);
    const denied = splitPayer(stay, rules({ preauthApproved: 0 }));
    expect(denied.explanation.payerShare).toBe(0);
    expect(denied.explanation.patientShare).toBe(4_550_000);
  });
});

describe('room rent limit', () => {
  it("takes the policy's own limit, else the plan's amount, else its percent of the sum insured", () => {
    const plan = { roomRentLimit: 400_000, roomRentLimitBp: 100 };
    expect(roomRentLimitOf({ roomRentLimit: 300_000, sumInsured: 50_000_000 }, plan)).toBe(300_000);
    expect(roomRentLimitOf({ roomRentLimit: null, sumInsured: 50_000_000 }, plan)).toBe(400_000);
    expect(
      roomRentLimitOf(
        { roomRentLimit: null, sumInsured: 50_000_000 },
        { roomRentLimit: null, roomRentLimitBp: 100 },
      ),
    ).toBe(500_000);
    expect(roomRentLimitOf({ roomRentLimit: null, sumInsured: 50_000_000 }, null)).toBeNull();
  });
});

describe('money helpers', () => {
  it('multiplies and divides exactly beyond 2^53 and rounds half up', () => {
    expect(mulDivHalfUp(9_000_000_000_000_000 / 1000, 10_000, 10_000)).toBe(9_000_000_000_000);
    expect(mulDivHalfUp(5, 1, 10)).toBe(1);
    expect(mulDivHalfUp(4, 1, 10)).toBe(0);
  });

  it('apportions by largest remainder without losing a paisa', () => {
    expect(apportion(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(apportion(0, [0, 0])).toEqual([0, 0]);
    expect(apportion(7, [0, 0])).toEqual([7, 0]);
    expect(apportion(10, [3, 0, 7])).toEqual([3, 0, 7]);
  });
});
