import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness';
import { createPharmacyWorld, type PharmacyWorld } from './pharmacy-test-support';

// Buying and sending back: a purchase order drafted from the reorder levels, placed, filled by two
// deliveries; a return of a short-dated batch to its supplier with a note at cost.

let t: TestApp;
let w: PharmacyWorld;
beforeAll(async () => {
  t = await createTestApp();
  w = await createPharmacyWorld(t);
}, 120_000);
afterAll(async () => {
  await t?.close();
});

const P = '/api/v1/pharmacy';

describe('purchase orders', () => {
  it('drafts from the reorder levels, is placed, and fills with deliveries until received', async () => {
    const item = await w.item('Orderol');
    await w.receive(w.mainStore.id, [
      {
        formularyItemId: item.id,
        batchNo: 'OR-1',
        expiryDate: '2030-01-31',
        quantity: 5,
        cost: 420,
        mrp: 600,
      },
    ]);
    await w.call(
      'PUT',
      `${P}/stores/${w.mainStore.id}/items/${item.id}/reorder-level`,
      w.pharmacist.headers,
      {
        minimum: 10,
        reorderQuantity: 100,
      },
    );
    const draft = await w.call('POST', `${P}/purchase-orders/suggest`, w.pharmacist.headers, {
      supplierId: w.supplier.id,
      storeId: w.mainStore.id,
    });
    expect(draft.statusCode, draft.body).toBe(201);
    const po = draft.json();
    expect(po).toMatchObject({ status: 'draft', number: expect.stringMatching(/^PO-\d{6}$/) });
    const line = po.lines.find((l: { formularyItemId: string }) => l.formularyItemId === item.id);
    expect(line).toMatchObject({ quantity: 100, rate: 420, received: 0 });

    // A receipt cannot fill a draft.
    const early = await w.call('POST', `${P}/goods-receipts`, w.pharmacist.headers, {
      storeId: w.mainStore.id,
      supplierId: w.supplier.id,
      purchaseOrderId: po.id,
      supplierInvoiceNo: 'EARLY-1',
      supplierInvoiceDate: '2026-01-05',
      lines: [
        {
          formularyItemId: item.id,
          batchNo: 'OR-2',
          expiryDate: '2031-01-31',
          quantity: 60,
          mrp: 600,
          cost: 420,
        },
      ],
    });
    expect(early.statusCode).toBe(409);
    const ordered = await w.call('POST', `${P}/purchase-orders/${po.id}/order`, w.pharmacist.headers, {
      version: po.version,
    });
    expect(ordered.json()).toMatchObject({ status: 'ordered', orderedByName: 'Priya Pharmacist' });

    const deliver = (invoice: string, quantity: number, formularyItemId = item.id) =>
      w.call('POST', `${P}/goods-receipts`, w.pharmacist.headers, {
        storeId: w.mainStore.id,
        supplierId: w.supplier.id,
        purchaseOrderId: po.id,
        supplierInvoiceNo: invoice,
        supplierInvoiceDate: '2026-01-05',
        lines: [
          {
            formularyItemId,
            batchNo: `B-${invoice}`,
            expiryDate: '2031-01-31',
            quantity,
            mrp: 600,
            cost: 420,
          },
        ],
      });
    expect((await deliver('D-1', 60)).statusCode).toBe(201);
    let now = (await w.call('GET', `${P}/purchase-orders/${po.id}`, w.pharmacist.headers)).json();
    expect(now.status).toBe('partially-received');
    const other = await w.item('Notordered');
    const wrong = await deliver('D-X', 5, other.id);
    expect(wrong.statusCode).toBe(422);
    expect((await deliver('D-2', 40)).statusCode).toBe(201);
    now = (await w.call('GET', `${P}/purchase-orders/${po.id}`, w.pharmacist.headers)).json();
    expect(now.status).toBe('received');
    expect(now.lines.find((l: { formularyItemId: string }) => l.formularyItemId === item.id).received).toBe(
      100,
    );
    expect(await w.units(w.mainStore.id, item.id)).toBe(105);
    const cancel = await w.call('POST', `${P}/purchase-orders/${po.id}/cancel`, w.pharmacist.headers, {
      version: now.version,
      reason: 'Too late',
    });
    expect(cancel.statusCode).toBe(409);
  });
});

describe('returns to a supplier', () => {
  it('takes the named batch out of the store with a note at cost, never more than the store holds', async () => {
    const item = await w.item('Returnol');
    const receipt = await w.receive(w.mainStore.id, [
      {
        formularyItemId: item.id,
        batchNo: 'RT-SHORT',
        expiryDate: '2027-02-28',
        quantity: 10,
        cost: 250,
        mrp: 400,
      },
      {
        formularyItemId: item.id,
        batchNo: 'RT-LONG',
        expiryDate: '2031-02-28',
        quantity: 10,
        cost: 250,
        mrp: 400,
      },
    ]);
    const short = receipt.lines.find((l) => l.batchNo === 'RT-SHORT')!;
    const tooMany = await w.call('POST', `${P}/supplier-returns`, w.pharmacist.headers, {
      storeId: w.mainStore.id,
      supplierId: w.supplier.id,
      reason: 'Short expiry',
      lines: [{ batchId: short.batchId, quantity: 11 }],
    });
    expect(tooMany.statusCode).toBe(409);
    const note = await w.call('POST', `${P}/supplier-returns`, w.pharmacist.headers, {
      storeId: w.mainStore.id,
      supplierId: w.supplier.id,
      reason: 'Short expiry',
      lines: [{ batchId: short.batchId, quantity: 10 }],
    });
    expect(note.statusCode, note.body).toBe(201);
    expect(note.json()).toMatchObject({ number: expect.stringMatching(/^SR-\d{6}$/), totalCost: 2500 });
    expect(await w.units(w.mainStore.id, item.id)).toBe(10);
    const card = (
      await w.call('GET', `${P}/stores/${w.mainStore.id}/items/${item.id}/movements`, w.pharmacist.headers)
    ).json();
    expect(card[0]).toMatchObject({ kind: 'supplier-return', quantity: -10, batchNo: 'RT-SHORT' });
  });
});
