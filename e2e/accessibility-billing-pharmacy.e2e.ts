import { describe, expect, it } from 'vitest';
import {
  adminApi,
  adminAtHome,
  admitToAxeWard,
  audit,
  checkInWithVitals,
  createAxeDoctor,
  expectNoSeriousFindings,
  registerAsha,
  settled,
} from './support/accessibility';
import { eventually, visible } from './support/app';
import { plusDays } from './support/opd';
import { serverAndBrowser } from './support/suite';

const suite = serverAndBrowser();

describe('accessibility', () => {
  it('has no critical or serious axe violations on the billing, insurance, pharmacy and medication screens', async () => {
    const admin = await adminApi(suite);
    const asha = await registerAsha(admin);
    const { clinic, doctor } = await createAxeDoctor(admin);
    // An OPD visit (its account has the consultation fee), then an admission (an in-patient account).
    await checkInWithVitals(admin, asha, doctor);
    const { stayId } = await admitToAxeWard(admin, asha, doctor);

    const { context, page, findings } = await adminAtHome(suite);

    // Billing and insurance: the desk, an in-patient's account (opened by the admission event), the cashier,
    // the charge master, the insurance desk and claims.
    const accounts = await eventually(async () => {
      const { items } = await admin.call<{ items: { id: string }[] }>(
        'GET',
        `/billing/patients/${asha.id}/accounts`,
      );
      expect(items.length).toBeGreaterThan(0);
      return items;
    });
    const billingPages: [string, string, string][] = [
      ['/billing', 'Billing', 'billing desk'],
      [`/billing/accounts/${accounts[0]!.id}`, 'Billing account: Asha Kulkarni', 'billing account'],
      ['/billing/cashier', 'Cashier', 'cashier'],
      ['/billing/charge-master', 'Charge master', 'charge master'],
      ['/billing/charge-master?tab=settings', 'Charge master', 'billing settings'],
      ['/insurance/preauths', 'Insurance desk', 'insurance desk'],
      ['/insurance/claims', 'Claims', 'claims'],
    ];
    for (const [path, heading, name] of billingPages) {
      await page.goto(path);
      await visible(page.getByRole('heading', { level: 1, name: heading }));
      await settled(page);
      findings.push(...(await audit(page, name)));
    }

    // The pharmacy: stock with an item's batches and stock card, the counter with a patient, a goods receipt,
    // purchase orders, expiry, adjustments, indents, the controlled register, stores and suppliers.
    const pharmacy = await admin.call<{ id: string }>('POST', '/pharmacy/stores', {
      code: 'AXE-PH',
      name: 'Axe Pharmacy',
      kind: 'opd',
      dispenses: true,
    });
    const supplier = await admin.call<{ id: string }>('POST', '/pharmacy/suppliers', {
      name: 'Axe Distributors',
    });
    const [paracetamol] = await admin.call<{ id: string }[]>('GET', '/pharmacy/formulary?q=F0020');
    await admin.call('POST', '/pharmacy/goods-receipts', {
      storeId: pharmacy.id,
      supplierId: supplier.id,
      supplierInvoiceNo: 'AXE-1',
      supplierInvoiceDate: clinic.today,
      lines: [
        {
          formularyItemId: paracetamol?.id,
          batchNo: 'AXE-B1',
          expiryDate: plusDays(clinic.today, 20),
          quantity: 50,
          mrp: 200,
          cost: 120,
        },
      ],
    });
    await page.goto('/pharmacy');
    await visible(page.getByRole('heading', { level: 1, name: 'Pharmacy' }));
    await page.getByRole('button', { name: 'Batches of Paracetamol 500 mg tablet' }).click();
    await visible(
      page.getByRole('table', { name: 'Stock card of Paracetamol 500 mg tablet' }).locator('tbody tr'),
    );
    findings.push(...(await audit(page, 'pharmacy stock')));
    await page.goto(`/pharmacy/dispense?patientId=${asha.id}`);
    await visible(page.getByRole('table', { name: 'Sales to this patient' }));
    await settled(page);
    findings.push(...(await audit(page, 'pharmacy dispense')));
    const pharmacyPages: [string, string, string][] = [
      ['/pharmacy/receipts/new', 'Goods receipt', 'goods receipt'],
      ['/pharmacy/purchase-orders', 'Purchase orders', 'purchase orders'],
      ['/pharmacy/expiry', 'Expiry', 'expiry'],
      ['/pharmacy/adjustments', 'Stock adjustments', 'stock adjustments'],
      ['/pharmacy/indents', 'Indents', 'indents'],
      ['/pharmacy/register', 'Controlled register', 'controlled register'],
      ['/pharmacy/setup', 'Stores & suppliers', 'stores and suppliers'],
    ];
    for (const [path, heading, name] of pharmacyPages) {
      await page.goto(path);
      await visible(page.getByRole('heading', { level: 1, name: heading }));
      await settled(page);
      findings.push(...(await audit(page, name)));
    }

    // Prescribing: the pharmacy's prescription queue with its filling dialog, and an in-patient's MAR with the
    // dose dialog (an order signed for Asha's stay).
    const { encounterId: stayEncounterId } = await admin.call<{ encounterId: string }>(
      'GET',
      `/ipd/admissions/${stayId}`,
    );
    const rxProduct = (
      await admin.call<{ id: string; doseForm: string }[]>(
        'GET',
        '/pharmacy/formulary?q=Paracetamol&limit=20',
      )
    ).find((i) => i.doseForm.startsWith('tablet'));
    await admin.call('POST', '/prescriptions', {
      encounterId: stayEncounterId,
      items: [
        {
          formularyItemId: rxProduct?.id,
          dose: { amount: 1, unit: 'tablet' },
          route: 'oral',
          frequency: 'TDS',
          durationDays: 3,
          quantity: 9,
        },
      ],
    });
    await page.goto('/pharmacy/queue');
    const rxQueue = page.getByRole('table', { name: 'Prescription queue' });
    await visible(rxQueue.getByRole('row', { name: /Asha Kulkarni/ }));
    findings.push(...(await audit(page, 'prescription queue')));
    await rxQueue
      .getByRole('button', { name: /^Open RX-/ })
      .first()
      .click();
    await visible(page.getByRole('dialog', { name: /^Fill RX-/ }));
    findings.push(...(await audit(page, 'fill prescription dialog')));
    await page.keyboard.press('Escape');
    await page.goto(`/ipd/admissions/${stayId}/chart?tab=medicines`);
    const marDoses = page.getByRole('table', { name: 'Doses' });
    await visible(marDoses.getByTestId('mar-dose'));
    findings.push(...(await audit(page, 'chart: MAR')));
    await marDoses
      .getByRole('button', { name: /^Record / })
      .first()
      .click();
    await visible(page.getByRole('dialog', { name: 'Record dose' }));
    findings.push(...(await audit(page, 'record dose dialog')));
    await page.keyboard.press('Escape');

    expectNoSeriousFindings(findings);
    await context.close();
  }, 120_000);
});
