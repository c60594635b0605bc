import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkerRules } from '../reference/pharmacy-reference';
import {
  type CheckAlert,
  checkPrescription,
  compareAlerts,
  highestSeverity,
  isMoreSevere,
  type MedicationItem,
  normalizeIngredient,
  type PatientAllergy,
  type PrescriptionCheckInput,
} from './checker';

// The rules that must hold for any prescription: the order of items does not matter, every member of a
// rule's classes triggers it, the output is sorted and adding a drug never makes it less severe, unknown
// drugs raise nothing, and the same input always gives the same alerts.

const rules = checkerRules();
const known = [...rules.ingredients].sort();

const doseArb = fc.option(
  fc.record({
    amount: fc.oneof(
      fc.double({ min: 0.01, max: 5000, noNaN: true }),
      fc.constantFrom(0.5, 5, 40, 500, 1000),
    ),
    unit: fc.constantFrom('mg', 'g', 'mcg', 'ml', 'tablet'),
  }),
  { nil: undefined },
);
const itemArb: fc.Arbitrary<MedicationItem> = fc
  .record({
    ingredients: fc.uniqueArray(fc.constantFrom(...known), { minLength: 1, maxLength: 3 }),
    dose: doseArb,
    route: fc.option(fc.constantFrom('oral', 'iv', 'im', 'sc', 'po', 'topical'), { nil: undefined }),
    frequency: fc.option(fc.oneof(fc.constantFrom<number | 'prn'>(1, 2, 3, 4, 6, 1 / 7, 'prn')), {
      nil: undefined,
    }),
    maxDosesPerDay: fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined }),
    durationDays: fc.option(fc.integer({ min: 1, max: 60 }), { nil: undefined }),
  })
  .map((i) => ({
    ...i,
    ingredientDoses: i.ingredients.length > 1 ? i.ingredients.map(() => i.dose ?? null) : undefined,
  }));
const allergyArb: fc.Arbitrary<PatientAllergy> = fc.record({
  substance: fc.oneof(
    fc.constantFrom(...known),
    fc.constantFrom('penicillin', 'sulfa', 'cephalosporins', 'NSAIDs', 'aspirin', 'latex', 'peanuts'),
  ),
  criticality: fc.option(fc.constantFrom('low', 'high', 'unable-to-assess'), { nil: undefined }),
});
const inputArb: fc.Arbitrary<PrescriptionCheckInput> = fc.record({
  proposed: fc.array(itemArb, { minLength: 0, maxLength: 6 }),
  current: fc.array(itemArb, { maxLength: 4 }),
  allergies: fc.array(allergyArb, { maxLength: 2 }),
  ageYears: fc.option(fc.integer({ min: 0, max: 95 }), { nil: undefined }),
  weightKg: fc.option(fc.double({ min: 2, max: 150, noNaN: true }), { nil: undefined }),
});

/** An alert without positions: what it says about which ingredients, so reordered inputs compare equal. */
const signature = (a: CheckAlert) =>
  [
    a.kind,
    a.ruleId,
    a.severity,
    a.items
      .map((i) => `${i.list}:${i.ingredients.join('+')}`)
      .sort()
      .join('|'),
    a.allergyIndex ?? '',
  ].join(' ');
const signatures = (alerts: CheckAlert[]) => alerts.map(signature).sort();

describe('prescription checker properties', () => {
  it('gives the same alerts whatever the order of the proposed items and current medications', () => {
    fc.assert(
      fc.property(inputArb, fc.nat(), fc.nat(), (input, s1, s2) => {
        const shuffle = <T>(xs: readonly T[], seed: number) =>
          xs
            .map((x, i) => ({ x, k: (i * 7919 + seed) % 104_729 }))
            .sort((a, b) => a.k - b.k)
            .map((e) => e.x);
        const swapped = {
          ...input,
          proposed: shuffle(input.proposed, s1),
          current: shuffle(input.current ?? [], s2),
        };
        expect(signatures(checkPrescription(swapped))).toEqual(signatures(checkPrescription(input)));
      }),
      { numRuns: 300 },
    );
  });

  it('triggers every rule for any member of class A with any different member of class B, either way round', () => {
    const pairs = rules.reference.interactions.flatMap((r) =>
      rules.classes.get(r.classA)!.members.flatMap((a) =>
        rules.classes
          .get(r.classB)!
          .members.filter((b) => b !== a)
          .map((b) => ({ r, a, b })),
      ),
    );
    fc.assert(
      fc.property(fc.constantFrom(...pairs), fc.boolean(), fc.boolean(), ({ r, a, b }, swap, bIsCurrent) => {
        const [x, y] = swap ? [b, a] : [a, b];
        const alerts = checkPrescription({
          proposed: bIsCurrent ? [{ ingredients: [x] }] : [{ ingredients: [x] }, { ingredients: [y] }],
          current: bIsCurrent ? [{ ingredients: [y] }] : [],
        });
        const hit = alerts.some(
          (al) =>
            al.kind === 'interaction' &&
            (al.ruleId === r.id ||
              rules.reference.interactions.some((s) => s.id === al.ruleId && s.supersedes.includes(r.id))),
        );
        expect(hit).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('returns sorted alerts, and adding a drug never lowers the highest severity', () => {
    fc.assert(
      fc.property(inputArb, itemArb, fc.boolean(), (input, extra, asCurrent) => {
        const before = checkPrescription(input);
        expect([...before].sort(compareAlerts)).toEqual(before);
        const after = checkPrescription(
          asCurrent
            ? { ...input, current: [...(input.current ?? []), extra] }
            : { ...input, proposed: [...input.proposed, extra] },
        );
        const was = highestSeverity(before);
        const now = highestSeverity(after);
        if (was !== null) expect(now !== null && !isMoreSevere(was, now)).toBe(true);
        // Every alert of before is still there (positions unchanged: the new item is appended).
        const keys = new Set(after.map((a) => a.key));
        for (const a of before) expect(keys.has(a.key)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('raises nothing for items whose ingredients the reference does not know', () => {
    const unknownArb = fc.stringMatching(/^zz[a-z]{3,12}$/);
    fc.assert(
      fc.property(
        // Distinct names: the same unknown ingredient twice IS duplicate therapy (DUP-INGREDIENT).
        fc.uniqueArray(unknownArb, { minLength: 1, maxLength: 16 }),
        fc.array(allergyArb, { maxLength: 2 }),
        fc.integer({ min: 0, max: 95 }),
        (unique, allergies, ageYears) => {
          const names = Array.from({ length: Math.ceil(unique.length / 2) }, (_, i) =>
            unique.slice(i * 2, i * 2 + 2),
          );
          const items = names.map((ingredients) => ({
            ingredients,
            dose: { amount: 1e6, unit: 'mg' },
            route: 'oral',
            frequency: 24,
          }));
          expect(checkPrescription({ proposed: items, allergies, ageYears })).toEqual([]);
        },
      ),
    );
  });

  it('is idempotent: the same input gives the same alerts, and names normalise to a fixed point', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        expect(checkPrescription(input)).toEqual(checkPrescription(structuredClone(input)));
      }),
      { numRuns: 200 },
    );
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom(...known), fc.string()), (name) => {
        const once = normalizeIngredient(name);
        expect(normalizeIngredient(once)).toBe(once);
      }),
    );
  });
});
