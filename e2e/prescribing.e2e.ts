import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiSession,
  apiSignIn,
  createStaffMember,
  type RegisteredPatient,
  registerPatient,
} from './support/api';
import { choose, closed, columnTexts, eventually, field, signIn, text, visible } from './support/app';
import { launchBrowser, openApp } from './support/browser';
import { admitToBed, createWard, type WardSetup } from './support/nursing';
import { dateIn, plusDays } from './support/opd';
import { startServer, type TestServer } from './support/server';

// Issue #7, "Done when" (prescribing, filling, giving): a doctor prescribes simvastatin and clarithromycin for a
// patient allergic to penicillin and sees the interaction, adds amoxicillin and sees the allergy, takes it off
// and signs with a reason for the interaction; the pharmacist reads the reason, acknowledges it and fills the
// prescription from the batch that expires first; a nurse gives an in-patient's dose only with the right scans.

let server: TestServer;
let browser: Browser;
let admin: ApiSession;
let doctorApi: ApiSession;
let nurseApi: ApiSession;
let ward: WardSetup;
let today: string;

const DOCTOR = { email: 'dr.meera@example.org', password: 'Meera-Prescribes-2026!' };
const PHARMACIST = { email: 'priya.pharma@example.org', password: 'Priya-Dispenses-2026!' };
const NURSE = { email: 'sr.grace@example.org', password: 'Grace-Gives-Doses-2026!' };

type Product = { id: string; code: string; genericName: string; strength: string; doseForm: string };
type Alert = { key: string; kind: string; requiresOverrideReason: boolean; overrideReason: string | null };
type Prescription = {
  id: string;
  number: string;
  items: { sig: string; dispensed: number }[];
  alerts: Alert[];
};
type Dose = { id: string; lineNo: number; status: string; recordedByName: string | null };

/** A product of the shipped formulary by name, strength and form. */
async function product(name: string, strength: string, form = 'tablet'): Promise<Product> {
  const found = await admin.call<Product[]>(
    'GET',
    `/pharmacy/formulary?q=${encodeURIComponent(name)}&limit=50`,
  );
  const hit = found.find(
    (i) => i.genericName === name && i.strength === strength && i.doseForm.startsWith(form),
  );
  if (!hit) throw new Error(`${name} ${strength} ${form} is not in the formulary`);
  return hit;
}

async function patientNamed(given: string, family: string): Promise<RegisteredPatient> {
  return registerPatient(admin, {
    name: { given, family },
    sex: 'female',
    birth: { birthDate: '1962-04-11' },
    phones: [{ number: `98450${Math.floor(Math.random() * 90_000) + 10_000}` }],
  });
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  admin = await apiSignIn(server.serverUrl, server.adminEmail, server.adminPassword);
  const doctor = await createStaffMember(admin, { ...DOCTOR, displayName: 'Dr Meera Iyer', role: 'doctor' });
  await createStaffMember(admin, { ...PHARMACIST, displayName: 'Priya Pharmacist', role: 'pharmacist' });
  await createStaffMember(admin, { ...NURSE, displayName: 'Sr Grace Mathew', role: 'nurse' });
  // The doctor's practitioner profile (qualifications and registration print on the prescription) and a ward.
  ward = await createWard(admin, {
    wardName: 'Medical Ward 2',
    doctorUserId: doctor.id,
    doctorName: 'Dr Meera Iyer',
    bedCount: 1,
  });
  today = dateIn(ward.timeZone);
  doctorApi = await apiSignIn(server.serverUrl, DOCTOR.email, DOCTOR.password);
  nurseApi = await apiSignIn(server.serverUrl, NURSE.email, NURSE.password);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('prescribing, filling and giving', () => {
  it('warns of an interaction and an allergy, signs with a reason, and the pharmacist fills it FEFO after reading it', async () => {
    const simvastatin = await product('Simvastatin', '20 mg');
    const clarithromycin = await product('Clarithromycin', '500 mg');
    await product('Amoxicillin', '500 mg', 'capsule');
    const asha = await patientNamed('Asha', 'Raman');
    await admin.call('POST', `/patients/${asha.id}/allergies`, {
      category: 'drug',
      substance: 'Penicillin',
      reaction: 'Urticaria',
      severity: 'severe',
    });
    const visit = await doctorApi.call<{ id: string }>('POST', '/encounters', {
      patientId: asha.id,
      class: 'ambulatory',
    });
    // The OPD pharmacy's shelf: simvastatin in two batches (the later one received first), clarithromycin.
    const store = await admin.call<{ id: string }>('POST', '/pharmacy/stores', {
      code: 'OPD-RX',
      name: 'OPD Pharmacy',
      kind: 'opd',
      dispenses: true,
    });
    const supplier = await admin.call<{ id: string }>('POST', '/pharmacy/suppliers', {
      name: 'Deccan Pharma Distributors',
      gstin: '29ABCDE1234F1Z5',
    });
    await admin.call('POST', '/pharmacy/goods-receipts', {
      storeId: store.id,
      supplierId: supplier.id,
      supplierInvoiceNo: 'DPD-7001',
      supplierInvoiceDate: today,
      lines: [
        {
          formularyItemId: simvastatin.id,
          batchNo: 'SIM-LATE',
          expiryDate: plusDays(today, 900),
          quantity: 60,
          mrp: 300,
          cost: 200,
        },
        {
          formularyItemId: simvastatin.id,
          batchNo: 'SIM-SOON',
          expiryDate: plusDays(today, 120),
          quantity: 4,
          mrp: 250,
          cost: 150,
        },
        {
          formularyItemId: clarithromycin.id,
          batchNo: 'CLA-1',
          expiryDate: plusDays(today, 700),
          quantity: 40,
          mrp: 2000,
          cost: 1400,
        },
      ],
    });

    // 1. The doctor opens the consultation and writes simvastatin at bedtime for a month.
    const doc = await openApp(browser, server.baseUrl);
    const page = doc.page;
    await signIn(page, DOCTOR.email, DOCTOR.password);
    await visible(page.getByRole('heading', { level: 1, name: /Welcome/ }));
    await page.goto(`/consultation/${visit.id}`);
    await visible(page.getByRole('heading', { level: 1, name: 'Consultation: Asha Raman' }));
    const medicines = page.getByRole('region', { name: 'Medicines' });
    await visible(medicines.getByText('Allergies: Penicillin'));
    const addMedicine = async (query: string, option: RegExp, frequency: string, days: string) => {
      await medicines.getByRole('combobox', { name: 'Medicine' }).fill(query);
      await page.getByRole('option', { name: option }).first().click();
      await choose(medicines, page, 'Frequency', frequency);
      await field(medicines, 'Days').fill(days);
      await medicines.getByRole('button', { name: 'Add to prescription' }).click();
    };
    await addMedicine('simvastatin', /^Simvastatin 20 mg tablet/, 'HS: at bedtime', '30');
    await eventually(async () =>
      expect(await medicines.getByTestId('computed-quantity').allInnerTexts()).toEqual(['30 tablets']),
    );

    // 2. Clarithromycin for a week: the checker flags the statin interaction, red, with its source.
    await addMedicine('clarithromycin', /^Clarithromycin 500 mg tablet/, 'BD: twice a day', '7');
    const alerts = medicines.getByRole('list', { name: 'Prescription alerts' });
    const interaction = alerts
      .getByTestId('prescription-alert')
      .and(page.locator('[data-kind="interaction"]'));
    await visible(interaction);
    expect(['contraindicated', 'major']).toContain(await interaction.first().getAttribute('data-severity'));
    expect(await text(interaction)).toMatch(/simvastatin/i);
    await interaction.first().getByRole('button', { name: 'Details' }).click();
    await visible(interaction.first().getByText('Source'));

    // 3. Amoxicillin for a chest infection: the penicillin allergy is flagged; the doctor takes it off again.
    await addMedicine('amoxicillin', /^Amoxicillin 500 mg capsule/, 'TDS: three times a day', '5');
    const allergy = alerts.getByTestId('prescription-alert').and(page.locator('[data-kind="allergy"]'));
    await visible(allergy);
    expect(await text(allergy)).toMatch(/penicillin/i);
    await medicines.getByRole('button', { name: 'Remove Amoxicillin 500 mg capsule' }).click();
    await eventually(async () => expect(await allergy.count()).toBe(0));

    // 4. Signing without a reason for the interaction is stopped at the field; with one, it signs.
    await eventually(async () => expect(await medicines.getByRole('progressbar').count()).toBe(0));
    await medicines.getByRole('button', { name: 'Sign prescription' }).click();
    await visible(medicines.getByText('A serious alert needs a reason to sign'));
    const reason = 'Simvastatin paused by the patient for the 7 days of clarithromycin';
    const reasonFields = alerts.getByRole('textbox', { name: /Reason to go ahead/ });
    for (let i = 0; i < (await reasonFields.count()); i++) await reasonFields.nth(i).fill(reason);
    await medicines.getByRole('button', { name: 'Sign prescription' }).click();
    const signed = medicines.getByRole('article', { name: /^Prescription RX-/ });
    await visible(signed);
    expect(await signed.getByTestId('sig').allInnerTexts()).toEqual([
      '1 tablet oral, at bedtime after food, for 30 days',
      '1 tablet oral, twice a day after food, for 7 days',
    ]);
    await visible(signed.getByTestId('override-reason').getByText(reason, { exact: false }));
    const [rx] = await doctorApi.call<Prescription[]>('GET', `/patients/${asha.id}/prescriptions`);
    expect(rx?.items).toHaveLength(2);
    expect(rx?.alerts.find((a) => a.kind === 'interaction')?.overrideReason).toBe(reason);
    await doc.context.close();

    // 5. The pharmacist opens the queue: the prescription shows its overridden alert in red.
    const pharmacy = await openApp(browser, server.baseUrl);
    const pp = pharmacy.page;
    await signIn(pp, PHARMACIST.email, PHARMACIST.password);
    await visible(pp.getByRole('heading', { level: 1, name: /Welcome/ }));
    await pp.goto('/pharmacy/queue');
    const queue = pp.getByRole('table', { name: 'Prescription queue' });
    const row = queue.getByRole('row', { name: /Asha Raman/ });
    await visible(row);
    expect(await text(row.getByTestId('overridden-alerts'))).toMatch(/^[1-9]\d* overridden$/);
    await row.getByRole('button', { name: `Open ${rx?.number} of Asha Raman` }).click();
    const fill = pp.getByRole('dialog', { name: `Fill ${rx?.number}` });
    await visible(fill.getByTestId('overrides-to-read').getByText(reason, { exact: false }));

    // 6. Dispensing before acknowledging the overrides is refused; after, the sale uses SIM-SOON first.
    await choose(fill, pp, 'Dispensing store', 'OPD Pharmacy (OPD-RX)');
    await field(fill, 'Counselling note').fill('Do not take simvastatin until the antibiotic course is over');
    await fill.getByRole('button', { name: 'Dispense' }).click();
    await visible(fill.getByText("Read the prescriber's overrides first"));
    await fill.getByRole('checkbox', { name: "I have read the prescriber's overrides" }).check();
    await fill.getByRole('button', { name: 'Dispense' }).click();
    const batches = fill.getByRole('table', { name: 'Batches handed over' });
    await visible(batches.locator('tbody tr'));
    expect(await columnTexts(batches, 'Batch')).toEqual(['SIM-SOON', 'SIM-LATE', 'CLA-1']);
    expect(await columnTexts(batches, 'Units')).toEqual(['4', '26', '14']);
    // 4 x 2.50 + 26 x 3.00 + 14 x 20.00 = 368.00
    expect(await text(fill.getByTestId('sale-total'))).toBe('Total ₹368.00');
    await fill.getByRole('button', { name: 'Done' }).click();
    await closed(fill);
    await eventually(async () =>
      expect(await queue.getByRole('row', { name: /Asha Raman/ }).count()).toBe(0),
    );
    const after = await doctorApi.call<Prescription>('GET', `/prescriptions/${rx?.id}`);
    expect(after.items.map((i) => i.dispensed)).toEqual([30, 14]);
    await pharmacy.context.close();
  });

  it('lets the nurse record an in-patient dose as given only when the wristband and the medicine scan match', async () => {
    const paracetamol = await product('Paracetamol', '500 mg');
    const bina = await patientNamed('Bina', 'Kurian');
    const bed = ward.beds[0];
    if (!bed) throw new Error('no bed');
    const stay = await admitToBed(admin, ward, { patientId: bina.id, bedId: bed.id, reason: 'Cellulitis' });
    const order = {
      encounterId: stay.encounterId,
      items: [
        {
          formularyItemId: paracetamol.id,
          dose: { amount: 1000, unit: 'mg' },
          route: 'oral',
          // A STAT dose is due now, whatever the time of day the story runs.
          frequency: 'STAT',
          durationDays: 1,
        },
      ],
    };
    const check = await doctorApi.call<{ alerts: Alert[] }>('POST', '/prescriptions/check', order);
    await doctorApi.call('POST', '/prescriptions', {
      ...order,
      overrides: check.alerts
        .filter((a) => a.requiresOverrideReason)
        .map((a) => ({ alertKey: a.key, reason: 'Reviewed' })),
    });

    // 1. The nurse opens the patient's MAR: the order and its doses by the hour.
    const { context, page } = await openApp(browser, server.baseUrl);
    await signIn(page, NURSE.email, NURSE.password);
    await visible(page.getByRole('heading', { level: 1, name: /Welcome/ }));
    await page.goto(`/ipd/admissions/${stay.id}/chart?tab=medicines`);
    await visible(page.getByRole('heading', { level: 1, name: 'Chart: Bina Kurian' }));
    await visible(page.getByRole('table', { name: 'Active medication orders' }).getByText(/once, now/));
    const doses = page.getByRole('table', { name: 'Doses' });
    await doses
      .getByRole('button', { name: /^Record Paracetamol 500 mg/ })
      .first()
      .click();
    const dialog = page.getByRole('dialog', { name: 'Record dose' });

    // 2. The wrong wristband is scanned (the scanner ends with Enter, which moves on to the medicine): STOP.
    const wristband = field(dialog, 'Wristband scan');
    await wristband.fill('MRN-NOT-HERS');
    await wristband.press('Enter');
    const medicine = field(dialog, 'Medicine scan');
    expect(await medicine.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    await medicine.fill(paracetamol.code);
    await medicine.press('Enter');
    await visible(dialog.getByTestId('scan-mismatch'));
    expect(await text(dialog.getByTestId('scan-mismatch'))).toMatch(/STOP/);
    await visible(dialog.getByText(`this wristband is not Bina Kurian's (${bina.mrn})`));
    const unchanged = await nurseApi.call<{ doses: Dose[] }>('GET', `/admissions/${stay.id}/mar`);
    expect(unchanged.doses.filter((d) => d.status === 'given')).toEqual([]);

    // 3. Her own wristband: the dose is recorded as given, by the nurse.
    await wristband.fill(bina.mrn);
    await dialog.getByRole('button', { name: 'Record as given' }).click();
    await eventually(async () => expect(await dialog.count()).toBe(0));
    await visible(doses.locator('[data-testid="mar-dose"][data-status="given"]'));
    const mar = await nurseApi.call<{ doses: Dose[] }>('GET', `/admissions/${stay.id}/mar`);
    expect(mar.doses.filter((d) => d.status === 'given').map((d) => d.recordedByName)).toEqual([
      'Sr Grace Mathew',
    ]);
    await context.close();
  });
});
