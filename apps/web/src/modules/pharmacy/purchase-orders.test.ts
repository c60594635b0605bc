import type { PurchaseOrder } from '@newhms/contracts';
import { describe, expect, it } from 'vitest';
import {
  emptyOrderLine,
  nothingReceived,
  openOrdersFor,
  orderDraftTotal,
  outstandingOrderUnits,
  readOrderLine,
  receiptLinesFromOrder,
  receivedOfOrdered,
  repeatedOrderItems,
} from './purchase-orders';

const A = '0b9f0c6e-3c1d-4e55-9a4e-7d1f3f1d2a10';
const B = '1c8e1d7f-4d2e-4f66-8b5f-8e2f4f2e3b21';

function orderLine(overrides: Partial<PurchaseOrder['lines'][number]>): PurchaseOrder['lines'][number] {
  return {
    lineNo: 1,
    formularyItemId: A,
    genericName: 'Paracetamol',
    strength: '500 mg',
    quantity: 100,
    rate: 420,
    received: 0,
    ...overrides,
  };
}

describe('openOrdersFor', () => {
  const orders = [
    { id: '1', status: 'ordered', supplierId: 's1', storeId: 'st1' },
    { id: '2', status: 'partially-received', supplierId: 's1', storeId: 'st1' },
    { id: '3', status: 'draft', supplierId: 's1', storeId: 'st1' },
    { id: '4', status: 'received', supplierId: 's1', storeId: 'st1' },
    { id: '5', status: 'cancelled', supplierId: 's1', storeId: 'st1' },
    { id: '6', status: 'ordered', supplierId: 's2', storeId: 'st1' },
    { id: '7', status: 'ordered', supplierId: 's1', storeId: 'st2' },
  ] as const;

  it('keeps only placed, unfilled orders of that supplier for that store', () => {
    expect(openOrdersFor(orders, 's1', 'st1').map((o) => o.id)).toEqual(['1', '2']);
  });

  it('offers nothing until both the supplier and the store are chosen', () => {
    expect(openOrdersFor(orders, '', 'st1')).toEqual([]);
    expect(openOrdersFor(orders, 's1', null)).toEqual([]);
  });
});

describe('receiptLinesFromOrder', () => {
  it('pre-fills one receipt line per line still outstanding, with the units to come and the rate as cost', () => {
    const lines = receiptLinesFromOrder({
      lines: [
        orderLine({ formularyItemId: A, quantity: 100, received: 60, rate: 420 }),
        orderLine({ lineNo: 2, formularyItemId: B, quantity: 20, received: 0, rate: 1250 }),
      ],
    });
    expect(lines).toMatchObject([
      {
        formularyItemId: A,
        quantity: '40',
        cost: '4.20',
        batchNo: '',
        expiryDate: '',
        mrp: '',
        freeQuantity: '0',
      },
      { formularyItemId: B, quantity: '20', cost: '12.50' },
    ]);
    expect(new Set(lines.map((l) => l.key)).size).toBe(2);
  });

  it('leaves out lines received in full, or over-received when the supplier rounded up to packs', () => {
    const lines = receiptLinesFromOrder({
      lines: [
        orderLine({ formularyItemId: A, quantity: 100, received: 100 }),
        orderLine({ lineNo: 2, formularyItemId: B, quantity: 20, received: 30 }),
      ],
    });
    expect(lines).toEqual([]);
  });
});

describe('an order in progress', () => {
  it('counts what is still to come, never below zero', () => {
    expect(outstandingOrderUnits({ quantity: 100, received: 60 })).toBe(40);
    expect(outstandingOrderUnits({ quantity: 100, received: 120 })).toBe(0);
  });

  it('sums received and ordered units over the order', () => {
    const po = {
      lines: [orderLine({ quantity: 100, received: 60 }), orderLine({ quantity: 20, received: 0 })],
    };
    expect(receivedOfOrdered(po)).toBe('60/120');
    expect(nothingReceived(po)).toBe(false);
    expect(nothingReceived({ lines: [orderLine({ received: 0 })] })).toBe(true);
  });
});

describe('a hand-made order', () => {
  const draft = (o: Partial<ReturnType<typeof emptyOrderLine>>) => ({ ...emptyOrderLine(), ...o });

  it('reads units and the rate in rupees as integer paise', () => {
    expect(readOrderLine(draft({ formularyItemId: A, quantity: '1,000', rate: '4.20' }))).toEqual({
      ok: true,
      line: { formularyItemId: A, quantity: 1000, rate: 420 },
    });
  });

  it('names each field that does not read', () => {
    expect(readOrderLine(draft({ quantity: '2.5', rate: 'four' }))).toEqual({
      ok: false,
      errors: {
        formularyItemId: 'Choose the item',
        quantity: 'Whole units, at least 1',
        rate: 'The rate per unit in rupees, e.g. 4.20',
      },
    });
  });

  it('totals the lines that read, in paise', () => {
    expect(
      orderDraftTotal([
        draft({ quantity: '100', rate: '4.20' }),
        draft({ quantity: '3', rate: '0.05' }),
        draft({ quantity: '', rate: '9' }),
      ]),
    ).toBe(42_015);
  });

  it('finds an item ordered twice', () => {
    const first = draft({ formularyItemId: A });
    const again = draft({ formularyItemId: A });
    expect(repeatedOrderItems([first, draft({ formularyItemId: B }), again, draft({})])).toEqual([again.key]);
  });
});
