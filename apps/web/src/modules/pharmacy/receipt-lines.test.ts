import { describe, expect, it } from 'vitest';
import {
  emptyReceiptLine,
  lineErrors,
  readReceiptLine,
  receiptLineCost,
  receiptTotal,
} from './receipt-lines';

const ITEM = '0b9f0c6e-3c1d-4e55-9a4e-7d1f3f1d2a10';

function line(overrides: Partial<ReturnType<typeof emptyReceiptLine>>) {
  return { ...emptyReceiptLine(), ...overrides };
}

describe('readReceiptLine', () => {
  it('turns typed rupees into integer paise and units into numbers', () => {
    const { input, errors } = readReceiptLine(
      line({
        formularyItemId: ITEM,
        batchNo: ' B-1 ',
        expiryDate: '2030-01-31',
        quantity: '100',
        freeQuantity: '10',
        mrp: '2.50',
        cost: '1,234.05',
      }),
    );
    expect(errors).toEqual({});
    expect(input).toEqual({
      formularyItemId: ITEM,
      brandId: null,
      batchNo: 'B-1',
      expiryDate: '2030-01-31',
      quantity: 100,
      freeQuantity: 10,
      mrp: 250,
      cost: 123405,
    });
  });

  it('takes a blank free quantity as none', () => {
    expect(readReceiptLine(line({ freeQuantity: '' })).input.freeQuantity).toBe(0);
  });

  it('names each field that cannot be read', () => {
    const { errors } = readReceiptLine(line({ quantity: '1.5', freeQuantity: '-1', mrp: 'abc', cost: '' }));
    expect(Object.keys(errors).sort()).toEqual([
      'batchNo',
      'cost',
      'expiryDate',
      'formularyItemId',
      'freeQuantity',
      'mrp',
      'quantity',
    ]);
  });
});

describe('the running total', () => {
  it('counts paid units at cost, not the free ones, and ignores lines not yet typed', () => {
    const a = line({ quantity: '100', freeQuantity: '10', cost: '1.25' });
    const b = line({ quantity: '3', cost: '10' });
    const c = line({ quantity: '', cost: '5' });
    expect(receiptLineCost(a)).toBe(12500);
    expect(receiptTotal([a, b, c])).toBe(12500 + 3000);
  });
});

describe('lineErrors', () => {
  it("picks one line's errors out of the form's or the server's paths", () => {
    const errors = {
      supplierInvoiceNo: 'Required',
      'lines.0.batchNo': 'letters, digits, / and - only',
      'lines.1.expiryDate': 'the batch has expired',
      'lines.10.cost': 'the cost is above the MRP',
    };
    expect(lineErrors(errors, 1)).toEqual({ expiryDate: 'the batch has expired' });
    expect(lineErrors(errors, 0)).toEqual({ batchNo: 'letters, digits, / and - only' });
    expect(lineErrors(errors, 10)).toEqual({ cost: 'the cost is above the MRP' });
  });
});
