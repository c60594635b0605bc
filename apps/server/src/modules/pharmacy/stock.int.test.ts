import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness';
import { createPharmacyWorld, type PharmacyWorld } from './pharmacy-test-support';
import { refreshStockAlerts } from './stock-alerts.service';

// Stock by batch: receipts, first-expiry-first-out sales that move stock, the ledger and the bill together,
// the last units under concurrent sales, returns, the controlled-drug register, adjustments that need a
// second person, indents between stores, and the expiry list.

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

describe('goods receipts', () => {
  it('creates batches and stock, refuses the same supplier invoice twice, an expired batch and a batch mismatch', async () => {
    const item = await w.item('Amoxicillin');
    const receipt = await w.receive(w.mainStore.id, [
      {
        formularyItemId: item.id,
        batchNo: 'AMX-1',
        expiryDate: '2030-06-30',
        quantity: 100,
        mrp: 450,
        cost: 300,
      },
      {
        formularyItemId: item.id,
        batchNo: 'AMX-2',
        expiryDate: '2029-03-31',
        quantity: 50,
        mrp: 450,
        cost: 300,
      },
    ]);
    expect(receipt.number).toMatch(/^GRN-\d{6}$/);
    expect(await w.units(w.mainStore.id, item.id)).toBe(150);

    const body = (await w.call('GET', `${P}/goods-receipts/${receipt.id}`, w.pharmacist.headers)).json();
    const again = await w.call('POST', `${P}/goods-receipts`, w.pharmacist.headers, {
      storeId: w.mainStore.id,
      supplierId: w.supplier.id,
      supplierInvoiceNo: body.supplierInvoiceNo,
      supplierInvoiceDate: '2026-01-05',
      lines: [
        {
          formularyItemId: item.id,
          batchNo: 'AMX-3',
          expiryDate: '2030-01-31',
          quantity: 1,
          mrp: 10,
          cost: 5,
        },
      ],
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('PHARMACY_INVOICE_ALREADY_RECEIVED');

    const expired = await w.call('POST', `${P}/goods-receipts`, w.pharmacist.headers, {
      storeId: w.mainStore.id,
      supplierId: w.supplier.id,
      supplierInvoiceNo: 'OLD-1',
      supplierInvoiceDate: '2026-01-05',
      lines: [
        {
          formularyItemId: item.id,
          batchNo: 'AMX-OLD',
          expiryDate: '2020-01-31',
          quantity: 10,
          mrp: 10,
          cost: 5,
        },
      ],
    });
    expect(expired.statusCode).toBe(422);
    expect(expired.json().errors[0].path).toBe('lines.0.expiryDate');

    const mismatch = await w.call('POST', `${P}/goods-receipts`, w.pharmacist.headers, {
      storeId: w.mainStore.id,
      supplierId: w.supplier.id,
      supplierInvoiceNo: 'MIS-1',
      supplierInvoiceDate: '2026-01-05',
      lines: [
        {
          formularyItemId: item.id,
          batchNo: 'AMX-1',
          expiryDate: '2031-06-30',
          quantity: 10,
          mrp: 450,
          cost: 300,
        },
      ],
    });
    expect(mismatch.statusCode).toBe(422);
    expect(mismatch.json().code).toBe('PHARMACY_BATCH_MISMATCH');
    // Nothing of the refused receipts moved.
    expect(await w.units(w.mainStore.id, item.id)).toBe(150);

    const card = (
      await w.call('GET', `${P}/stores/${w.mainStore.id}/items/${item.id}/movements`, w.pharmacist.headers)
    ).json();
    expect(card.map((m: { kind: string; quantity: number }) => [m.kind, m.quantity]).sort()).toEqual([
      ['receipt', 100],
      ['receipt', 50],
    ]);
  });
});

describe('dispensing', () => {
  it('sells first expiry first out across batches, skips an expired batch, and bills each batch at its MRP', async () => {
    const item = await w.item('Paracetamol');
    await w.receive(w.opdStore.id, [
      { formularyItemId: item.id, batchNo: 'LATE', expiryDate: '2031-12-31', quantity: 100, mrp: 200 },
      { formularyItemId: item.id, batchNo: 'SOON', expiryDate: '2027-01-31', quantity: 8, mrp: 150 },
    ]);
    // A batch that has expired since it came in (written straight in: a receipt refuses it).
    const [expired] = (await t.database.db
      .execute(sql`insert into pharmacy.batches
        (id, facility_id, formulary_item_id, batch_no, expiry_date, mrp, cost)
        values (gen_random_uuid(), ${w.facilityId}, ${item.id}, 'GONE', '2025-01-31', 100, 50) returning id`)
      .then((r) => (Array.isArray(r) ? r : (r as { rows: unknown[] }).rows))) as { id: string }[];
    await t.database.db.execute(sql`insert into pharmacy.stock (store_id, batch_id, formulary_item_id, quantity)
      values (${w.opdStore.id}, ${expired!.id}, ${item.id}, 40)`);

    const patient = await w.patient();
    const visit = await w.visit(patient.id);
    const res = await w.call('POST', `${P}/dispensations`, w.pharmacist.headers, {
      storeId: w.opdStore.id,
      patientId: patient.id,
      encounterId: visit.id,
      prescriberName: 'Dr Rao',
      counsellingNote: 'After food; no more than 4 tablets a day',
      lines: [{ formularyItemId: item.id, quantity: 10 }],
    });
    expect(res.statusCode, res.body).toBe(201);
    const sale = res.json();
    expect(
      sale.lines.map((l: { batchNo: string; quantity: number; unitPrice: number }) => [
        l.batchNo,
        l.quantity,
        l.unitPrice,
      ]),
    ).toEqual([
      ['SOON', 8, 150],
      ['LATE', 2, 200],
    ]);
    expect(sale.total).toBe(8 * 150 + 2 * 200);
    expect(await w.units(w.opdStore.id, item.id)).toBe(100 - 2 + 40);

    const events = await w.billingEvents(sale.id);
    expect(
      events.map((e) => [
        e.type,
        e.payload.sourceLine,
        e.payload.quantity,
        e.payload.unitPrice,
        e.payload.serviceCode,
      ]),
    ).toEqual([
      ['billing.service.rendered', '1', 8, 150, 'PHARMACY-MEDICINE'],
      ['billing.service.rendered', '2', 2, 200, 'PHARMACY-MEDICINE'],
    ]);

    // More than the good stock (98 good units; the 40 expired do not count): 409, nothing moves.
    const tooMany = await w.call('POST', `${P}/dispensations`, w.pharmacist.headers, {
      storeId: w.opdStore.id,
      patientId: patient.id,
      encounterId: visit.id,
      prescriberName: 'Dr Rao',
      lines: [{ formularyItemId: item.id, quantity: 99 }],
    });
    expect(tooMany.statusCode).toBe(409);
    expect(tooMany.json()).toMatchObject({
      code: 'PHARMACY_INSUFFICIENT_STOCK',
      available: 98,
      requested: 99,
    });
    expect(await w.units(w.opdStore.id, item.id)).toBe(138);
  });

  it('refuses a Schedule H medicine without a prescriber, a store that does not dispense, and a visit of another patient', async () => {
    const item = await w.item('Azithromycin');
    await w.receive(w.opdStore.id, [
      { formularyItemId: item.id, batchNo: 'AZ1', expiryDate: '2030-01-31', quantity: 10 },
    ]);
    const patient = await w.patient();
    const other = await w.patient();
    const visit = await w.visit(patient.id);
    const base = {
      storeId: w.opdStore.id,
      patientId: patient.id,
      encounterId: visit.id,
      lines: [{ formularyItemId: item.id, quantity: 1 }],
    };
    const noPrescriber = await w.call('POST', `${P}/dispensations`, w.pharmacist.headers, base);
    expect(noPrescriber.statusCode).toBe(422);
    expect(noPrescriber.json().errors[0].path).toBe('prescriberName');
    const main = await w.call('POST', `${P}/dispensations`, w.pharmacist.headers, {
      ...base,
      storeId: w.mainStore.id,
      prescriberName: 'Dr Rao',
    });
    expect(main.json().code).toBe('PHARMACY_STORE_DOES_NOT_DISPENSE');
    const wrongVisit = await w.call('POST', `${P}/dispensations`, w.pharmacist.headers, {
      ...base,
      patientId: other.id,
      prescriberName: 'Dr Rao',
    });
    expect(wrongVisit.statusCode).toBe(404);
    const nurse = await w.staff(['nurse']);
    const notAllowed = await w.call('POST', `${P}/dispensations`, nurse.headers, {
      ...base,
      prescriberName: 'Dr Rao',
    });
    expect(notAllowed.statusCode).toBe(403);
    expect(await w.units(w.opdStore.id, item.id)).toBe(10);
  });

  it('sells the last units once: 30 concurrent sales of 1 for 12 units, exactly 12 succeed, no 5xx', async () => {
    const item = await w.item('Cetirizine', { schedule: 'OTC' });
    await w.receive(w.opdStore.id, [
      { formularyItemId: item.id, batchNo: 'C1', expiryDate: '2029-01-31', quantity: 5 },
      { formularyItemId: item.id, batchNo: 'C2', expiryDate: '2030-01-31', quantity: 7 },
    ]);
    const patient = await w.patient();
    const visit = await w.visit(patient.id);
    const results = await Promise.all(
      Array.from({ length: 30 }, () =>
        w.call('POST', `${P}/dispensations`, w.pharmacist.headers, {
          storeId: w.opdStore.id,
          patientId: patient.id,
          encounterId: visit.id,
          lines: [{ formularyItemId: item.id, quantity: 1 }],
        }),
      ),
    );
    const codes = results.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 201)).toHaveLength(12);
    expect(codes.filter((c) => c !== 201 && c !== 409)).toEqual([]);
    expect(await w.units(w.opdStore.id, item.id)).toBe(0);
    const sold = results.filter((r) => r.statusCode === 201).map((r) => r.json().lines[0].batchNo);
    expect(sold.filter((b) => b === 'C1')).toHaveLength(5);
    expect(sold.filter((b) => b === 'C2')).toHaveLength(7);
  });

  it('takes a return back onto its batch, reverses the line and charges what the patient keeps', async () => {
    const item = await w.item('Pantoprazole');
    await w.receive(w.opdStore.id, [
      { formularyItemId: item.id, batchNo: 'PAN', expiryDate: '2030-01-31', quantity: 30, mrp: 120 },
    ]);
    const patient = await w.patient();
    const visit = await w.visit(patient.id);
    const sale = (
      await w.call('POST', `${P}/dispensations`, w.pharmacist.headers, {
        storeId: w.opdStore.id,
        patientId: patient.id,
        encounterId: visit.id,
        prescriberName: 'Dr Rao',
        lines: [{ formularyItemId: item.id, quantity: 10 }],
      })
    ).json();
    const back = await w.call('POST', `${P}/dispensations/${sale.id}/returns`, w.pharmacist.headers, {
      lines: [{ lineNo: 1, quantity: 4 }],
      reason: 'Course changed',
    });
    expect(back.statusCode).toBe(200);
    expect(back.json().lines[0]).toMatchObject({ quantity: 10, returned: 4 });
    expect(await w.units(w.opdStore.id, item.id)).toBe(24);
    const tooMuch = await w.call('POST', `${P}/dispensations/${sale.id}/returns`, w.pharmacist.headers, {
      lines: [{ lineNo: 1, quantity: 7 }],
      reason: 'All of it',
    });
    expect(tooMuch.statusCode).toBe(422);
    await w.call('POST', `${P}/dispensations/${sale.id}/returns`, w.pharmacist.headers, {
      lines: [{ lineNo: 1, quantity: 6 }],
      reason: 'Stopped',
    });
    const events = await w.billingEvents(sale.id);
    expect(events.map((e) => [e.type, e.payload.sourceLine, e.payload.quantity ?? null])).toEqual([
      ['billing.service.rendered', '1', 10],
      ['billing.service.reversed', '1', null],
      ['billing.service.rendered', '1.4', 6],
      ['billing.service.reversed', '1.4', null],
    ]);
    expect(await w.units(w.opdStore.id, item.id)).toBe(30);
  });
});

describe('the controlled-drug register', () => {
  it('needs a witness, and keeps a running balance with patient, prescriber and witness', async () => {
    const morphine = await w.item('Morphine', { schedule: 'X', narcotic: true });
    await w.receive(w.opdStore.id, [
      { formularyItemId: morphine.id, batchNo: 'MO1', expiryDate: '2030-01-31', quantity: 20 },
    ]);
    const patient = await w.patient();
    const visit = await w.visit(patient.id);
    const sale = {
      storeId: w.opdStore.id,
      patientId: patient.id,
      encounterId: visit.id,
      prescriberName: 'Dr Rao',
      lines: [{ formularyItemId: morphine.id, quantity: 3 }],
    };
    const unwitnessed = await w.call('POST', `${P}/dispensations`, w.pharmacist.headers, sale);
    expect(unwitnessed.statusCode).toBe(422);
    expect(unwitnessed.json().errors.map((e: { path: string }) => e.path)).toContain('witnessName');
    expect(
      (await w.call('POST', `${P}/dispensations`, w.pharmacist.headers, { ...sale, witnessName: 'Sr Mary' }))
        .statusCode,
    ).toBe(201);
    expect(
      (
        await w.call('POST', `${P}/dispensations`, w.pharmacist.headers, {
          ...sale,
          witnessName: 'Sr Mary',
          lines: [{ formularyItemId: morphine.id, quantity: 5 }],
        })
      ).statusCode,
    ).toBe(201);
    const register = await w.call(
      'GET',
      `${P}/controlled-register?storeId=${w.opdStore.id}&formularyItemId=${morphine.id}`,
      w.pharmacist.headers,
    );
    expect(register.statusCode).toBe(200);
    expect(
      register
        .json()
        .map((m: { kind: string; quantity: number; balanceAfter: number }) => [
          m.kind,
          m.quantity,
          m.balanceAfter,
        ]),
    ).toEqual([
      ['receipt', 20, 20],
      ['dispense', -3, 17],
      ['dispense', -5, 12],
    ]);
    expect(register.json()[1]).toMatchObject({
      patientId: patient.id,
      prescriberName: 'Dr Rao',
      witnessName: 'Sr Mary',
    });
  });
});

describe('adjustments', () => {
  it('moves stock only when someone else approves, and not below zero', async () => {
    const item = await w.item('Ondansetron');
    const receipt = await w.receive(w.mainStore.id, [
      { formularyItemId: item.id, batchNo: 'OND', expiryDate: '2030-01-31', quantity: 10 },
    ]);
    const batchId = receipt.lines[0]!.batchId;
    const asked = (
      await w.call('POST', `${P}/adjustments`, w.pharmacist.headers, {
        storeId: w.mainStore.id,
        batchId,
        quantity: -2,
        reason: 'Strip torn in the drawer',
      })
    ).json();
    expect(asked.status).toBe('pending');
    expect(await w.units(w.mainStore.id, item.id)).toBe(10);
    const own = await w.call('POST', `${P}/adjustments/${asked.id}/decision`, w.pharmacist.headers, {
      decision: 'approved',
      version: asked.version,
    });
    expect(own.statusCode).toBe(403);
    const approved = await w.call('POST', `${P}/adjustments/${asked.id}/decision`, w.chief.headers, {
      decision: 'approved',
      version: asked.version,
    });
    expect(approved.json()).toMatchObject({ status: 'approved', decidedByName: 'Chief Pharmacist' });
    expect(await w.units(w.mainStore.id, item.id)).toBe(8);

    const tooMuch = (
      await w.call('POST', `${P}/adjustments`, w.pharmacist.headers, {
        storeId: w.mainStore.id,
        batchId,
        quantity: -9,
        reason: 'Count',
      })
    ).json();
    const refused = await w.call('POST', `${P}/adjustments/${tooMuch.id}/decision`, w.chief.headers, {
      decision: 'approved',
      version: tooMuch.version,
    });
    expect(refused.statusCode).toBe(409);
    const still = (await w.call('GET', `${P}/adjustments?status=pending`, w.chief.headers)).json();
    expect(still.map((a: { id: string }) => a.id)).toContain(tooMuch.id);
    expect(await w.units(w.mainStore.id, item.id)).toBe(8);
  });
});

describe('indents', () => {
  it('moves stock from the supplying store to the requesting one, in part and then in full', async () => {
    const item = await w.item('Ceftriaxone');
    await w.receive(w.mainStore.id, [
      { formularyItemId: item.id, batchNo: 'CF2', expiryDate: '2030-01-31', quantity: 30 },
      { formularyItemId: item.id, batchNo: 'CF1', expiryDate: '2028-01-31', quantity: 5 },
    ]);
    const indent = (
      await w.call('POST', `${P}/indents`, w.pharmacist.headers, {
        requestingStoreId: w.opdStore.id,
        supplyingStoreId: w.mainStore.id,
        lines: [{ formularyItemId: item.id, quantity: 20 }],
      })
    ).json();
    expect(indent.status).toBe('requested');
    const part = await w.call('POST', `${P}/indents/${indent.id}/issue`, w.pharmacist.headers, {
      lines: [{ formularyItemId: item.id, quantity: 8 }],
      version: indent.version,
    });
    expect(part.json()).toMatchObject({ status: 'partially-issued', lines: [{ requested: 20, issued: 8 }] });
    expect(await w.units(w.opdStore.id, item.id)).toBe(8);
    const over = await w.call('POST', `${P}/indents/${indent.id}/issue`, w.pharmacist.headers, {
      lines: [{ formularyItemId: item.id, quantity: 13 }],
      version: part.json().version,
    });
    expect(over.statusCode).toBe(422);
    const rest = await w.call('POST', `${P}/indents/${indent.id}/issue`, w.pharmacist.headers, {
      lines: [{ formularyItemId: item.id, quantity: 12 }],
      version: part.json().version,
    });
    expect(rest.json().status).toBe('issued');
    expect(await w.units(w.mainStore.id, item.id)).toBe(15);
    expect(await w.units(w.opdStore.id, item.id)).toBe(20);
    // FEFO: the batch expiring first (CF1) went first.
    const stock = (
      await w.call('GET', `${P}/stores/${w.opdStore.id}/stock?q=Ceftriaxone`, w.pharmacist.headers)
    ).json();
    expect(
      stock[0].batches.map((b: { batchNo: string; quantity: number }) => [b.batchNo, b.quantity]),
    ).toEqual([
      ['CF1', 5],
      ['CF2', 15],
    ]);
  });
});

describe('expiry and reorder', () => {
  it('lists batches by band and flags items at or under their reorder level', async () => {
    const item = await w.item('Metformin');
    const soon = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
    const later = new Date(Date.now() + 75 * 86_400_000).toISOString().slice(0, 10);
    await w.receive(w.mainStore.id, [
      { formularyItemId: item.id, batchNo: 'MF-SOON', expiryDate: soon, quantity: 4, cost: 100 },
      { formularyItemId: item.id, batchNo: 'MF-LATER', expiryDate: later, quantity: 6, cost: 100 },
    ]);
    const list = (
      await w.call('GET', `${P}/expiry?withinDays=90&storeId=${w.mainStore.id}`, w.pharmacist.headers)
    ).json();
    const mine = list.filter((b: { formularyItemId: string }) => b.formularyItemId === item.id);
    expect(
      mine.map((b: { batchNo: string; band: string; costValue: number }) => [b.batchNo, b.band, b.costValue]),
    ).toEqual([
      ['MF-SOON', '30', 400],
      ['MF-LATER', '90', 600],
    ]);
    const set = await w.call(
      'PUT',
      `${P}/stores/${w.mainStore.id}/items/${item.id}/reorder-level`,
      w.pharmacist.headers,
      {
        minimum: 10,
        reorderQuantity: 50,
      },
    );
    expect(set.statusCode).toBe(204);
    const below = (
      await w.call('GET', `${P}/stores/${w.mainStore.id}/stock?belowReorder=true`, w.pharmacist.headers)
    ).json();
    expect(below.map((s: { formularyItemId: string }) => s.formularyItemId)).toContain(item.id);
  });
});

describe('the daily stock alerts job', () => {
  it('raises one alert per batch and band and per item to reorder, once, and closes those that no longer apply', async () => {
    const own = await createPharmacyWorld(t);
    const item = await own.item('Alertamol');
    const in20 = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
    const in80 = new Date(Date.now() + 80 * 86_400_000).toISOString().slice(0, 10);
    const receipt = await own.receive(own.mainStore.id, [
      { formularyItemId: item.id, batchNo: 'AL-20', expiryDate: in20, quantity: 3 },
      { formularyItemId: item.id, batchNo: 'AL-80', expiryDate: in80, quantity: 4 },
      { formularyItemId: item.id, batchNo: 'AL-FAR', expiryDate: '2031-01-31', quantity: 5 },
    ]);
    await own.call(
      'PUT',
      `${P}/stores/${own.mainStore.id}/items/${item.id}/reorder-level`,
      own.pharmacist.headers,
      {
        minimum: 20,
        reorderQuantity: 100,
      },
    );
    const first = await refreshStockAlerts(t.database.db, t.app.deps.events, own.facilityId);
    expect(first).toEqual({ raised: 3, closed: 0 });
    const alerts = (
      await own.call('GET', `${P}/alerts?storeId=${own.mainStore.id}`, own.pharmacist.headers)
    ).json();
    expect(
      alerts.map((a: { kind: string; band: string | null; batchNo: string | null; quantity: number }) => [
        a.kind,
        a.band,
        a.batchNo,
        a.quantity,
      ]),
    ).toEqual([
      ['expiry', '30', 'AL-20', 3],
      ['expiry', '90', 'AL-80', 4],
      ['reorder', null, null, 12],
    ]);
    // Again the same day: nothing new.
    expect(await refreshStockAlerts(t.database.db, t.app.deps.events, own.facilityId)).toEqual({
      raised: 0,
      closed: 0,
    });
    // The 20-day batch is written off (approved by a second pharmacist): its alert closes.
    const asked = (
      await own.call('POST', `${P}/adjustments`, own.pharmacist.headers, {
        storeId: own.mainStore.id,
        batchId: receipt.lines[0]!.batchId,
        quantity: -3,
        kind: 'expired-write-off',
        reason: 'Short expiry, returned to supplier',
      })
    ).json();
    await own.call('POST', `${P}/adjustments/${asked.id}/decision`, own.chief.headers, {
      decision: 'approved',
      version: asked.version,
    });
    expect(await refreshStockAlerts(t.database.db, t.app.deps.events, own.facilityId)).toEqual({
      raised: 0,
      closed: 1,
    });
    const events = await t.database.db.execute(
      sql`select count(*)::int as n from events.outbox where type = 'pharmacy.stock.alert' and facility_id = ${own.facilityId}`,
    );
    const rows = (Array.isArray(events) ? events : (events as { rows: { n: number }[] }).rows) as {
      n: number;
    }[];
    expect(Number(rows[0]!.n)).toBe(3);
  });
});

describe('the ledger', () => {
  it('is append-only: the database refuses to edit or delete a movement', async () => {
    const refusal = (statement: ReturnType<typeof sql>) =>
      t.database.db.execute(statement).then(
        () => 'accepted',
        (err: { message: string; cause?: { message?: string } }) =>
          `${err.message} ${err.cause?.message ?? ''}`,
      );
    expect(await refusal(sql`update pharmacy.stock_movements set quantity = quantity + 1`)).toMatch(
      /never changed or deleted/,
    );
    expect(await refusal(sql`delete from pharmacy.stock_movements`)).toMatch(/never changed or deleted/);
    expect(await refusal(sql`update pharmacy.stock set quantity = -1`)).toMatch(/stock_not_negative_ck/);
  });
});
