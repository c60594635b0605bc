import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiSession, apiSignIn, createStaffMember } from './support/api';
import { choose, columnTexts, eventually, field, goTo, signIn, text, visible } from './support/app';
import { launchBrowser, openApp } from './support/browser';
import { dateIn, plusDays } from './support/opd';
import { startServer, type TestServer } from './support/server';

// Buying and sending back, in the browser: a purchase order drafted from the reorder levels, placed, filled by
// a delivery whose lines the order pre-fills, and a batch returned to its supplier from the stock page.

let server: TestServer;
let browser: Browser;
let admin: ApiSession;
let session: { context: BrowserContext; page: Page };
let today: string;
let store: { id: string };
let paracetamol: { id: string };

const PHARMACIST = { email: 'kavya.stores@example.org', password: 'Kavya-Orders-2026!' };
const STORE = 'Main Store (Main store)';
const SUPPLIER = 'Konkan Medical Agencies';

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  admin = await apiSignIn(server.serverUrl, server.adminEmail, server.adminPassword);
  const facilities = await admin.call<{ items: { timeZone: string }[] }>('GET', '/organization/facilities');
  today = dateIn(facilities.items[0]?.timeZone ?? 'Asia/Kolkata');
  await createStaffMember(admin, { ...PHARMACIST, displayName: 'Kavya Nair', role: 'pharmacist' });
  store = await admin.call('POST', '/pharmacy/stores', { code: 'MAIN', name: 'Main Store', kind: 'main' });
  const supplier = await admin.call<{ id: string }>('POST', '/pharmacy/suppliers', { name: SUPPLIER });
  const [found] = await admin.call<{ id: string }[]>('GET', '/pharmacy/formulary?q=F0020');
  if (!found) throw new Error('no paracetamol F0020 in the formulary');
  paracetamol = found;
  // The store holds 5 tablets of an earlier delivery; it should reorder 100 at 10 or fewer.
  await admin.call('POST', '/pharmacy/goods-receipts', {
    storeId: store.id,
    supplierId: supplier.id,
    supplierInvoiceNo: 'KMA-0001',
    supplierInvoiceDate: today,
    lines: [
      {
        formularyItemId: paracetamol.id,
        batchNo: 'PCM-OLD',
        expiryDate: plusDays(today, 120),
        quantity: 5,
        mrp: 200,
        cost: 120,
      },
    ],
  });
  await admin.call('PUT', `/pharmacy/stores/${store.id}/items/${paracetamol.id}/reorder-level`, {
    minimum: 10,
    reorderQuantity: 100,
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

/** An MUI select by the start of its label (the page also has "Supplier filter" and "Store filter"). */
async function chooseStartingWith(page: Page, label: string, option: string) {
  await page.getByRole('combobox', { name: new RegExp(`^${label}\\s*\\*?$`) }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

describe('purchasing', () => {
  it('orders from the reorder levels, receives the delivery against the order, and returns a batch', async () => {
    const { page } = session;

    // 1. Kavya drafts an order to Konkan Medical for the main store from its reorder levels: 100 tablets at
    // the latest cost, ₹1.20.
    await goTo(page, 'Purchase orders');
    await chooseStartingWith(page, 'Supplier', SUPPLIER);
    await chooseStartingWith(page, 'Store', STORE);
    await page.getByRole('button', { name: 'New from reorder levels' }).click();
    const po = page.getByTestId('purchase-order');
    await visible(po.getByRole('heading', { name: /^Purchase order PO-\d{6}$/ }));
    const number = (await text(po.getByRole('heading'))).replace('Purchase order ', '');
    const lines = po.getByRole('table', { name: `Lines of ${number}` });
    await visible(lines.locator('tbody tr'));
    expect(await columnTexts(lines, 'Item')).toEqual(['Paracetamol 500 mg']);
    expect(await columnTexts(lines, 'Ordered')).toEqual(['100']);
    expect(await columnTexts(lines, 'Rate')).toEqual(['₹1.20']);
    expect(await text(po.getByTestId('purchase-order-total'))).toBe('Total ₹120.00');
    expect(await text(po.getByTestId('purchase-order-status'))).toBe('Draft');

    // 2. She places it.
    await po.getByRole('button', { name: 'Place order' }).click();
    await eventually(async () => expect(await text(po.getByTestId('purchase-order-status'))).toBe('Ordered'));

    // 3. The delivery comes: on the goods receipt she picks the order, and its line is filled in (100 units at
    // ₹1.20); she adds the batch, expiry and MRP from the invoice.
    await goTo(page, 'Goods receipt');
    await choose(page, page, 'Store', STORE);
    await choose(page, page, 'Supplier', SUPPLIER);
    await page.getByRole('combobox', { name: 'Against purchase order' }).click();
    await page.getByRole('option', { name: new RegExp(`^${number} · 0/100 received`) }).click();
    const line = page.getByRole('group', { name: 'Line 1' });
    await eventually(async () =>
      expect(await line.getByRole('combobox', { name: /^Item/ }).inputValue()).toBe(
        'Paracetamol 500 mg tablet',
      ),
    );
    expect(await field(line, 'Quantity').inputValue()).toBe('100');
    expect(await field(line, 'Cost per unit').inputValue()).toBe('1.20');
    await field(page, 'Supplier invoice number').fill('KMA-0002');
    await field(line, 'Batch number').fill('PCM-PO1');
    await field(line, 'Expiry date').fill(plusDays(today, 400));
    await field(line, 'MRP per unit').fill('2');
    await page.getByRole('button', { name: 'Post the receipt' }).click();
    expect(await text(page.getByTestId('receipt-posted'))).toMatch(
      /posted: 1 line from Konkan.*₹120\.00 at cost/,
    );

    // 4. The order shows as received, 100 of 100.
    await goTo(page, 'Purchase orders');
    const list = page.getByRole('table', { name: 'Purchase orders' });
    const row = list.getByRole('row', { name: new RegExp(number) });
    await visible(row);
    await eventually(async () =>
      expect(await text(row.getByTestId('purchase-order-status'))).toBe('Received'),
    );
    expect(await columnTexts(list, 'Received / ordered')).toEqual(['100/100 (1 item)']);

    // 5. The 5 tablets of the old batch go back to the supplier from the stock page: 105 become 100.
    await goTo(page, 'Pharmacy');
    await field(page, 'Search items').fill('Paracetamol');
    const stock = page.getByRole('table', { name: 'Stock', exact: true });
    await eventually(async () => expect(await columnTexts(stock, 'Available')).toEqual(['105']));
    await stock.getByRole('button', { name: 'Batches of Paracetamol 500 mg tablet' }).click();
    await page.getByRole('button', { name: 'Return batch PCM-OLD to supplier' }).click();
    const dialog = page.getByRole('dialog', { name: 'Return to supplier' });
    await chooseStartingWith(page, 'Supplier', SUPPLIER);
    expect(await field(dialog, 'Units to return').inputValue()).toBe('5');
    await field(dialog, 'Units to return').fill('6');
    await field(dialog, 'Reason').fill('Short expiry');
    await dialog.getByRole('button', { name: 'Return' }).click();
    await visible(dialog.getByText('At most 5'));
    await field(dialog, 'Units to return').fill('5');
    await dialog.getByRole('button', { name: 'Return' }).click();
    expect(await text(dialog.getByTestId('supplier-return-note'))).toMatch(
      /^Return note SR-\d{6} to Konkan Medical Agencies: 5 units, ₹6\.00 at cost\.$/,
    );
    await dialog.getByRole('button', { name: 'Close' }).click();
    await eventually(async () => expect(await columnTexts(stock, 'Available')).toEqual(['100']));

    // What persisted: the order received in full, the stock card's return of the old batch.
    const orders = await admin.call<{ number: string; status: string; lines: { received: number }[] }[]>(
      'GET',
      '/pharmacy/purchase-orders',
    );
    expect(orders.find((o) => o.number === number)).toMatchObject({
      status: 'received',
      lines: [{ received: 100 }],
    });
    const card = await admin.call<{ kind: string; quantity: number; batchNo: string }[]>(
      'GET',
      `/pharmacy/stores/${store.id}/items/${paracetamol.id}/movements`,
    );
    expect(card[0]).toMatchObject({ kind: 'supplier-return', quantity: -5, batchNo: 'PCM-OLD' });
  }, 90_000);
});
