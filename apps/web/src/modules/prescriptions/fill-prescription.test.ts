import { describe, expect, it } from 'vitest';
import {
  buildFillBody,
  initialFillLines,
  needsWitness,
  substitutesFor,
  unitsLeft,
} from './fill-prescription';

const item = (lineNo: number, quantity: number, dispensed: number, extra: Record<string, unknown> = {}) =>
  ({ lineNo, quantity, dispensed, status: 'active', schedule: 'H', ...extra }) as never;
const rx = (items: never[], overridden = false) =>
  ({
    items,
    alerts: overridden ? [{ overrideReason: 'Benefit outweighs the risk' }] : [{ overrideReason: null }],
  }) as never;
const STORE = '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';

describe('filling a prescription', () => {
  it('opens at what is left on each active line', () => {
    expect(unitsLeft(item(1, 30, 10))).toBe(20);
    expect(unitsLeft(item(1, 30, 0, { status: 'stopped' }))).toBe(0);
    expect(
      initialFillLines(rx([item(1, 30, 10), item(2, 14, 14), item(3, 5, 0)])).map((l) => [
        l.lineNo,
        l.quantity,
      ]),
    ).toEqual([
      [1, '20'],
      [3, '5'],
    ]);
  });

  it('asks for the store, the acknowledgement of overrides, and no more than is left', () => {
    const p = rx([item(1, 30, 10)], true);
    const built = buildFillBody({
      prescription: p,
      storeId: '',
      lines: [{ lineNo: 1, quantity: '25', substitute: null, substitutionNote: '' }],
      acknowledged: false,
      counsellingNote: '',
      witnessName: '',
    });
    expect(built).toEqual({
      ok: false,
      errors: {
        storeId: expect.any(String),
        alertsAcknowledged: "Read the prescriber's overrides first",
        'lines.1.quantity': 'At most 20 left to hand over',
      },
    });
  });

  it('builds the body, leaving out lines at 0 and carrying a substitution with its note', () => {
    const p = rx([item(1, 30, 0), item(2, 14, 0)], true);
    const built = buildFillBody({
      prescription: p,
      storeId: STORE,
      lines: [
        { lineNo: 1, quantity: '10', substitute: null, substitutionNote: '' },
        {
          lineNo: 2,
          quantity: '14',
          substitute: { id: 'other', genericName: 'Clarithromycin', strength: '500 mg', doseForm: 'tablet' },
          substitutionNote: ' Brand out of stock ',
        },
        { lineNo: 3, quantity: '0', substitute: null, substitutionNote: '' },
      ],
      acknowledged: true,
      counsellingNote: ' Stop if muscle pain ',
      witnessName: '',
    });
    expect(built).toEqual({
      ok: true,
      body: {
        storeId: STORE,
        lines: [
          { lineNo: 1, quantity: 10 },
          {
            lineNo: 2,
            quantity: 14,
            substituteFormularyItemId: 'other',
            substitutionNote: 'Brand out of stock',
          },
        ],
        counsellingNote: 'Stop if muscle pain',
        witnessName: null,
        alertsAcknowledged: true,
      },
    });
  });

  it('needs a witness for Schedule H1 and X, and a note for a substitution', () => {
    const p = rx([item(1, 10, 0, { schedule: 'H1' })]);
    const lines = [{ lineNo: 1, quantity: '10', substitute: { id: 'x' } as never, substitutionNote: '' }];
    expect(needsWitness(p, lines)).toBe(true);
    const built = buildFillBody({
      prescription: p,
      storeId: STORE,
      lines,
      acknowledged: false,
      counsellingNote: '',
      witnessName: '',
    });
    expect(built.ok).toBe(false);
    expect(!built.ok && Object.keys(built.errors).sort()).toEqual([
      'lines.1.substitutionNote',
      'witnessName',
    ]);
  });

  it('offers as substitutes only other active products of the same ingredients and strength', () => {
    const line = { formularyItemId: 'a', strength: '500 mg' };
    const candidates = [
      { id: 'a', ingredients: ['clarithromycin'], strength: '500 mg', active: true },
      { id: 'b', ingredients: ['Clarithromycin'], strength: '500mg', active: true },
      { id: 'c', ingredients: ['clarithromycin'], strength: '250 mg', active: true },
      { id: 'd', ingredients: ['clarithromycin'], strength: '500 mg', active: false },
      { id: 'e', ingredients: ['clarithromycin', 'lansoprazole'], strength: '500 mg', active: true },
    ];
    expect(substitutesFor(line, ['clarithromycin'], candidates).map((c) => c.id)).toEqual(['b']);
  });
});
