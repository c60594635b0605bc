import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness';
import { createPharmacyWorld, type PharmacyWorld } from './pharmacy-test-support';

// A sale moves the bill: billing posts one charge per batch line at the batch's MRP on the visit's (or the
// stay's) account, with the GST inside the MRP (the bill never exceeds it); a return reverses the line and
// charges what the patient kept. An in-patient's encounter stands for the stay.

let t: TestApp;
let w: PharmacyWorld;
beforeAll(async () => {
  t = await createTestApp();
  w = await createPharmacyWorld(t);
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('pharmacy sales on the bill', () => {
  it('charges each batch line at MRP with the tax inside it, and follows returns', async () => {
    const item = await w.item('Billomycin');
    await w.receive(w.opdStore.id, [
      { formularyItemId: item.id, batchNo: 'B-SOON', expiryDate: '2028-01-31', quantity: 3, mrp: 1050 },
      { formularyItemId: item.id, batchNo: 'B-LATE', expiryDate: '2030-01-31', quantity: 20, mrp: 1260 },
    ]);
    const patient = await w.patient();
    const visit = await w.visit(patient.id);
    const sale = (
      await w.call('POST', '/api/v1/pharmacy/dispensations', w.pharmacist.headers, {
        storeId: w.opdStore.id,
        patientId: patient.id,
        encounterId: visit.id,
        prescriberName: 'Dr Rao',
        lines: [{ formularyItemId: item.id, quantity: 5 }],
      })
    ).json();
    await w.deliver();
    const charges = await w.charges(sale.id);
    expect(
      charges.map((c) => [
        c.serviceCode,
        c.sourceLine,
        c.quantity,
        c.unitPrice,
        c.priceIncludesTax,
        c.status,
      ]),
    ).toEqual([
      ['PHARMACY-MEDICINE', '1', 3, 1050, true, 'active'],
      ['PHARMACY-MEDICINE', '2', 2, 1260, true, 'active'],
    ]);
    expect(charges[0]!.encounterId).toBe(visit.id);

    // The OPD bill: 3 x 10.50 + 2 x 12.60 = 56.70 at MRP, GST (5% for medicines from 2025-09-22) inside it.
    const admin = await w.staff(['admin']);
    const preview = await w.call(
      'GET',
      `/api/v1/billing/accounts/${charges[0]!.accountId}/invoice-preview?kind=opd`,
      admin.headers,
    );
    expect(preview.statusCode, preview.body).toBe(200);
    const bill = preview.json();
    const pharmacy = bill.lines.filter((l: { serviceGroup: string }) => l.serviceGroup === 'pharmacy');
    expect(pharmacy.map((l: { total: number }) => l.total)).toEqual([3150, 2520]);
    for (const l of pharmacy) expect(l.amount - l.discount + l.tax).toBe(l.total);
    expect(pharmacy.map((l: { tax: number }) => l.tax)).toEqual([150, 120]);

    await w.call('POST', `/api/v1/pharmacy/dispensations/${sale.id}/returns`, w.pharmacist.headers, {
      lines: [{ lineNo: 2, quantity: 1 }],
      reason: 'One strip unopened',
    });
    await w.deliver();
    const after = await w.charges(sale.id);
    expect(after.map((c) => [c.sourceLine, c.quantity, c.status])).toEqual([
      ['1', 3, 'active'],
      ['2', 2, 'cancelled'],
      ['2.1', 1, 'active'],
    ]);
  });

  it("charges an in-patient's sale to the stay when the counter names the stay's encounter", async () => {
    const doctor = await w.prescriber();
    const item = await w.item('Staymycin');
    await w.receive(w.opdStore.id, [
      { formularyItemId: item.id, batchNo: 'S1', expiryDate: '2030-01-31', quantity: 10, mrp: 500 },
    ]);
    const patient = await w.patient();
    const stay = await w.inpatient(patient.id, doctor);
    const sale = await w.call('POST', '/api/v1/pharmacy/dispensations', w.pharmacist.headers, {
      storeId: w.opdStore.id,
      patientId: patient.id,
      encounterId: stay.encounterId,
      prescriberName: 'Dr Meera Iyer',
      lines: [{ formularyItemId: item.id, quantity: 2 }],
    });
    expect(sale.statusCode, sale.body).toBe(201);
    expect(sale.json()).toMatchObject({ admissionId: stay.admissionId, encounterId: null });
    await w.deliver();
    const charges = await w.charges(sale.json().id);
    expect(charges.map((c) => [c.admissionId, c.quantity, c.unitPrice])).toEqual([
      [stay.admissionId, 2, 500],
    ]);
  });
});
