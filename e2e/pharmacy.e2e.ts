import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiSession, apiSignIn, createStaffMember, registerPatient } from './support/api';
import { choose, columnTexts, eventually, field, goTo, signIn, text, visible } from './support/app';
import { launchBrowser, openApp } from './support/browser';
import { dateIn, plusDays } from './support/opd';
import { startServer, type TestServer } from './support/server';

// Issue #7, the pharmacy counter: a delivery is received batch by batch, the stock shows the batches first to
// expire first, a sale to a patient's visit takes the earlier-expiring batch, asking for more than is left is
// refused with what is available, a return goes back onto its batch, and the short-dated batch shows on the
// expiry list.

let server: TestServer;
let browser: Browser;
let admin: ApiSession;
let session: { context: BrowserContext; page: Page };
let today: string;

const PHARMACIST = { email: 'anjali.pharmacy@example.org', password: 'Anjali-Dispenses-2026!' };
const DOCTOR = { email: 'rohan.mehta@example.org', password: 'Rohan-Prescribes-2026!' };
const STORE = 'OPD Pharmacy (OPD pharmacy)';

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  admin = await apiSignIn(server.serverUrl, server.adminEmail, server.adminPassword);
  const facilities = await admin.call<{ items: { timeZone: string }[] }>('GET', '/organization/facilities');
  today = dateIn(facilities.items[0]?.timeZone ?? 'Asia/Kolkata');
  await createStaffMember(admin, { ...PHARMACIST, displayName: 'Anjali Rao', role: 'pharmacist' });
  await createStaffMember(admin, { ...DOCTOR, displayName: 'Dr. Rohan Mehta', role: 'doctor' });
  // The pharmacy's set-up, done by the administrator: the main store, the OPD counter and a supplier.
  await admin.call('POST', '/pharmacy/stores', { code: 'MAIN', name: 'Main Store', kind: 'main' });
  await admin.call('POST', '/pharmacy/stores', {
    code: 'OPD-PH',
    name: 'OPD Pharmacy',
    kind: 'opd',
    dispenses: true,
  });
  await admin.call('POST', '/pharmacy/suppliers', {
    name: 'Deccan Pharma Distributors',
    gstin: '27AAPFU0939F1ZV',
    drugLicenceNo: 'MH-PZ1-123456',
  });
  session = await openApp(browser, server.baseUrl);
  await signIn(session.page, PHARMACIST.email, PHARMACIST.password);
  await visible(session.page.getByRole('heading', { level: 1, name: /Welcome/ }));
}, 180_000);

afterAll(async () => {
  await session?.context.close();
  await browser?.close();
  await server?.stop();
});

/** Fills one line of the goods receipt. */
async function fillLine(
  page: Page,
  n: number,
  line: { batchNo: string; expiry: string; quantity: string; free: string; mrp: string; cost: string },
) {
  const group = page.getByRole('group', { name: `Line ${n}` });
  await group.getByRole('combobox', { name: 'Item' }).fill('F0020');
  await page.getByRole('option', { name: /^Paracetamol 500 mg tablet/ }).click();
  await field(group, 'Batch number').fill(line.batchNo);
  await field(group, 'Expiry date').fill(line.expiry);
  await field(group, 'Quantity').fill(line.quantity);
  await field(group, 'Free quantity').fill(line.free);
  await field(group, 'MRP per unit').fill(line.mrp);
  await field(group, 'Cost per unit').fill(line.cost);
}

describe('the pharmacy counter', () => {
  it('receives two batches, sells first to expire first, refuses more than is left, takes a return and lists the short-dated batch', async () => {
    const { page } = session;
    const later = plusDays(today, 300);
    const soon = plusDays(today, 45);

    // 1. Anjali posts Deccan Pharma's invoice into the OPD pharmacy: paracetamol in two batches.
    await goTo(page, 'Goods receipt');
    await choose(page, page, 'Store', STORE);
    await choose(page, page, 'Supplier', 'Deccan Pharma Distributors');
    await field(page, 'Supplier invoice number').fill('DPD/2026/0412');
    await fillLine(page, 1, {
      batchNo: 'PCM-LATE',
      expiry: later,
      quantity: '100',
      free: '10',
      mrp: '2',
      cost: '1.20',
    });
    await page.getByRole('button', { name: 'Add a line' }).click();
    // A slip of the pen: the second batch's expiry typed as yesterday.
    await fillLine(page, 2, {
      batchNo: 'PCM-SOON',
      expiry: plusDays(today, -1),
      quantity: '30',
      free: '0',
      mrp: '2.00',
      cost: '1.10',
    });
    // The running total counts the paid units at cost: 100 × ₹1.20 + 30 × ₹1.10.
    expect(await text(page.getByTestId('receipt-total'))).toBe('Total at cost ₹153.00');

    // 2. The server refuses the expired batch (422): the message sits beside line 2's expiry date.
    await page.getByRole('button', { name: 'Post the receipt' }).click();
    const line2 = page.getByRole('group', { name: 'Line 2' });
    await visible(line2.getByText('the batch has expired'));
    expect(await page.getByRole('group', { name: 'Line 1' }).getByText('the batch has expired').count()).toBe(
      0,
    );

    // 3. Corrected, the receipt posts.
    await field(line2, 'Expiry date').fill(soon);
    await page.getByRole('button', { name: 'Post the receipt' }).click();
    const posted = await text(page.getByTestId('receipt-posted'));
    expect(posted).toMatch(/posted: 2 lines from Deccan Pharma Distributors, ₹153\.00 at cost/);

    // 4. The stock page opens on the store she chose (remembered): 140 units, batches first to expire first.
    await goTo(page, 'Pharmacy');
    expect(await page.getByRole('combobox', { name: 'Store' }).textContent()).toContain('OPD Pharmacy');
    await field(page, 'Search items').fill('Paracetamol');
    const stock = page.getByRole('table', { name: 'Stock' });
    const row = stock.getByRole('row', { name: /Paracetamol 500 mg tablet/ });
    await visible(row);
    expect(await columnTexts(stock, 'Available')).toEqual(['140']);
    await row.getByRole('button', { name: 'Batches of Paracetamol 500 mg tablet' }).click();
    const batches = page.getByRole('table', { name: 'Batches of Paracetamol 500 mg tablet' });
    await visible(batches.locator('tbody tr'));
    expect(await columnTexts(batches, 'Batch')).toEqual(['PCM-SOON', 'PCM-LATE']);
    expect(await columnTexts(batches, 'Days left')).toEqual(['45 days left', '300 days left']);
    expect(await columnTexts(batches, 'Units')).toEqual(['30', '110']);
    const card = page.getByRole('table', { name: 'Stock card of Paracetamol 500 mg tablet' });
    await visible(card.getByRole('row', { name: /Goods receipt.*PCM-SOON.*\+30/ }));

    // 5. Meera comes to the counter after Dr. Mehta's consultation.
    const meera = await registerPatient(admin, {
      name: { given: 'Meera', family: 'Joshi' },
      sex: 'female',
      birth: { birthDate: '1990-06-15' },
      phones: [{ number: '9822066601' }],
    });
    const doctor = await apiSignIn(server.serverUrl, DOCTOR.email, DOCTOR.password);
    await doctor.call('POST', '/encounters', { patientId: meera.id, reason: 'Fever for two days' });
    await goTo(page, 'Dispense');
    expect(await page.getByRole('combobox', { name: 'Dispensing store' }).textContent()).toContain(
      'OPD Pharmacy',
    );
    await page.getByRole('combobox', { name: 'Find the patient' }).fill(meera.mrn);
    await page.getByRole('option', { name: new RegExp(`MRN ${meera.mrn}`) }).click();
    await eventually(async () =>
      expect(await page.getByRole('combobox', { name: 'Charge to' }).textContent()).toMatch(
        /Out-patient visit/,
      ),
    );

    // 6. She sells 25 tablets, first to expire first: all from PCM-SOON, at its MRP.
    await page.getByRole('combobox', { name: 'Medicine' }).fill('Paracetamol');
    await page.getByRole('option', { name: /^Paracetamol 500 mg tablet · 140 tablet available/ }).click();
    await field(page, 'Quantity').fill('25');
    await field(page, 'Quantity').press('Enter');
    await visible(
      page
        .getByRole('table', { name: 'Medicines to dispense' })
        .getByRole('row', { name: /Paracetamol.*25/ }),
    );
    await page.getByRole('button', { name: 'Dispense', exact: true }).click();
    const sale = page.getByTestId('dispensation');
    await visible(sale);
    const saleLines = sale.getByRole('table');
    expect(await columnTexts(saleLines, 'Batch')).toEqual(['PCM-SOON']);
    expect(await columnTexts(saleLines, 'Units')).toEqual(['25']);
    expect(await columnTexts(saleLines, 'MRP')).toEqual(['₹2.00']);
    expect(await text(page.getByTestId('sale-total'))).toBe('Total ₹50.00');
    await visible(
      page
        .getByRole('table', { name: 'Sales to this patient' })
        .getByRole('row', { name: /Paracetamol ×25.*₹50\.00/ }),
    );

    // 7. Asking for 200 more is refused (409), naming what is left: 5 of PCM-SOON and 110 of PCM-LATE.
    await page.getByRole('combobox', { name: 'Medicine' }).fill('Paracetamol');
    await page.getByRole('option', { name: /^Paracetamol 500 mg tablet/ }).click();
    await field(page, 'Quantity').fill('200');
    await field(page, 'Quantity').press('Enter');
    await page.getByRole('button', { name: 'Dispense', exact: true }).click();
    const refused = page.getByRole('alert').filter({ hasText: 'Not enough stock' });
    await visible(refused);
    expect(await text(refused)).toMatch(
      /Only 115 unit\(s\) of this medicine can be issued .*\(200 asked for\)/,
    );

    // 8. Meera brings 5 tablets back: they return onto PCM-SOON and the sale says so.
    await page.getByRole('button', { name: /^Return from sale PH-/ }).click();
    const giveBack = page.getByRole('dialog', { name: 'Return medicines' });
    await field(giveBack, 'Paracetamol 500 mg, batch PCM-SOON').fill('5');
    await field(giveBack, 'Reason').fill('Fever settled; unopened strip returned');
    await giveBack.getByRole('button', { name: 'Take back' }).click();
    await giveBack.waitFor({ state: 'detached' });
    await visible(
      page
        .getByRole('table', { name: 'Sales to this patient' })
        .getByRole('row', { name: /Paracetamol ×25 \(5 returned\)/ }),
    );

    // 9. The expiry list shows the 10 short-dated tablets left within 60 days, at cost.
    await goTo(page, 'Expiry');
    const band = page.getByRole('table', { name: 'Within 60 days' });
    const soonRow = band.getByRole('row', { name: /Paracetamol 500 mg.*PCM-SOON/ });
    await visible(soonRow);
    expect(await columnTexts(band, 'Units')).toEqual(['10']);
    expect(await columnTexts(band, 'Value at cost')).toEqual(['₹11.00']);
    expect(await columnTexts(band, 'Days left')).toEqual(['45 days left']);

    // The sale persisted: one line from the earlier batch, charged to the visit, 5 returned.
    const sales = await admin.call<
      { encounterId: string | null; lines: { batchNo: string; quantity: number; returned: number }[] }[]
    >('GET', `/pharmacy/dispensations?patientId=${meera.id}`);
    expect(sales).toHaveLength(1);
    expect(sales[0]?.encounterId).not.toBeNull();
    expect(sales[0]?.lines).toMatchObject([{ batchNo: 'PCM-SOON', quantity: 25, returned: 5 }]);
  }, 120_000);
});
