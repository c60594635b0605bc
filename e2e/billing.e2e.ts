import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiSession,
  apiSignIn,
  createStaffMember,
  type RegisteredPatient,
  registerPatient,
} from './support/api';
import { choose, eventually, field, goTo, signIn, text, visible } from './support/app';
import { launchBrowser, openApp } from './support/browser';
import { type Clinic, createClinic, createDoctor, type Doctor } from './support/opd';
import { startServer, type TestServer } from './support/server';

// Issue #6, "Done when" (the desk's part): an OPD patient is billed and pays by UPI; an in-patient pays a
// deposit, accumulates charges from admission, gets an interim bill, a pre-authorization and a final bill split
// between patient and TPA, settles from the deposit plus cash, and is cleared for discharge; the cashier closes
// the day with the cash counted.

let server: TestServer;
let browser: Browser;
let admin: ApiSession;
let clinic: Clinic;
let doctor: Doctor;
let session: { context: BrowserContext; page: Page };

const CLERK = { email: 'farida.billing@example.org', password: 'Farida-Bills-2026!' };
const DOCTOR = { email: 'vikram.iyer@example.org', password: 'Vikram-Treats-2026!' };
const FLOAT = 1_000_00;

/** Rupees as the screens show them: 123456 paise -> "₹1,234.56". */
function rupees(paise: number): string {
  const r = Math.floor(paise / 100).toLocaleString('en-IN');
  return `₹${r}.${String(paise % 100).padStart(2, '0')}`;
}

type Account = { id: string; kind: string; admissionId: string | null };
type Invoice = {
  id: string;
  kind: string;
  total: number;
  patientShare: number;
  payerShare: number;
  balance: number;
};

async function accountsOf(patientId: string): Promise<Account[]> {
  return (await admin.call<{ items: Account[] }>('GET', `/billing/patients/${patientId}/accounts`)).items;
}

/** The billing desk finds the patient by MRN and opens the account of the episode. */
async function openAccount(page: Page, patient: RegisteredPatient, episode: RegExp): Promise<void> {
  await goTo(page, 'Billing');
  await page.getByRole('combobox', { name: 'Find the patient' }).fill(patient.mrn);
  await page.getByRole('option', { name: new RegExp(`MRN ${patient.mrn}`) }).click();
  const accounts = page.getByRole('table', { name: 'Accounts of the patient' });
  await accounts.getByRole('link', { name: episode }).first().click();
  await visible(page.getByRole('heading', { level: 1, name: `Billing account: ${patient.displayName}` }));
}

/** Takes a payment or deposit in the open dialog and checks that the receipt PDF opens in a new tab. */
async function receiveAndPrint(page: Page, context: BrowserContext, button: RegExp): Promise<string> {
  const pdf = page.waitForResponse((r) => /\/billing\/payments\/[0-9a-f-]+\/receipt\.pdf$/.test(r.url()));
  const tab = context.waitForEvent('page');
  await page.getByRole('dialog').getByRole('button', { name: button }).click();
  const response = await pdf;
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toContain('application/pdf');
  const pdfTab = await tab;
  await eventually(async () => expect(pdfTab.url()).toMatch(/^blob:/));
  await pdfTab.close();
  const receipt = await text(page.getByTestId('payment-received'));
  await page.getByRole('dialog').getByRole('button', { name: 'Done' }).click();
  return receipt;
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  admin = await apiSignIn(server.serverUrl, server.adminEmail, server.adminPassword);
  await createStaffMember(admin, { ...CLERK, displayName: 'Farida Khan', role: 'billing-clerk' });
  const user = await createStaffMember(admin, { ...DOCTOR, displayName: 'Vikram Iyer', role: 'doctor' });
  clinic = await createClinic(admin, { departmentCode: 'GMED', roomName: 'Room 7', boardCode: 'R7' });
  doctor = await createDoctor(admin, clinic, {
    userId: user.id,
    displayName: 'Dr. Vikram Iyer',
    dates: [clinic.today],
  });
  // The accounts manager's set-up: a cash counter, a bed-day rate for the general ward, a doctor's visit.
  await admin.call('POST', '/billing/counters', { code: 'MAIN-1', name: 'Main cash counter' });
  // Health care services are exempt from GST (the reference rows, when the seed has not loaded them).
  const taxCodes = await admin.call<{ items: { code: string }[] }>('GET', '/billing/tax-codes');
  if (!taxCodes.items.some((t) => t.code === 'HEALTHCARE')) {
    await admin.call('POST', '/billing/tax-codes', {
      code: 'HEALTHCARE',
      name: 'Health care services',
      hsnSac: '9993',
    });
    await admin.call('POST', '/billing/tax-codes/HEALTHCARE/rates', { rateBp: 0, validFrom: '2017-07-01' });
  }
  const room = await admin.call<{ id: string }>('POST', '/billing/services', {
    code: 'ROOM-GEN',
    name: 'General ward bed',
    serviceGroup: 'room',
  });
  await admin.call('POST', `/billing/services/${room.id}/prices`, {
    tariffClass: 'general',
    price: 2_000_00,
    validFrom: '2024-04-01',
  });
  const visit = await admin.call<{ id: string }>('POST', '/billing/services', {
    code: 'IPD-VISIT',
    name: 'Doctor visit (in-patient)',
    serviceGroup: 'consultation',
  });
  await admin.call('POST', `/billing/services/${visit.id}/prices`, {
    tariffClass: '*',
    price: 800_00,
    validFrom: '2024-04-01',
  });
  session = await openApp(browser, server.baseUrl);
  await signIn(session.page, CLERK.email, CLERK.password);
  await visible(session.page.getByRole('heading', { level: 1, name: /Welcome/ }));
}, 180_000);

afterAll(async () => {
  await session?.context.close();
  await browser?.close();
  await server?.stop();
});

describe('the billing desk and the cashier', () => {
  it('bills an OPD visit and takes the payment by UPI with its reference', async () => {
    const { page, context } = session;
    const patient = await registerPatient(admin, {
      name: { given: 'Ravi', family: 'Kulkarni' },
      sex: 'male',
      birth: { birthDate: '1984-02-11' },
      phones: [{ number: '9822077701' }],
    });
    // 1. Reception checks Ravi in for Dr. Iyer: the consultation fee is charged to his visit's account.
    await admin.call('POST', '/opd/queue/check-in', {
      patientId: patient.id,
      practitionerId: doctor.practitionerId,
    });

    // 2. Farida opens her shift at the main counter with a float of ₹1,000.
    await goTo(page, 'Cashier');
    await choose(page, page, 'Counter', 'Main cash counter (MAIN-1)');
    await field(page, 'Opening float').fill('1,000');
    await page.getByRole('button', { name: 'Open shift' }).click();
    await visible(page.getByRole('heading', { level: 2, name: 'My shift' }));
    expect(await text(page.getByTestId('expected-cash'))).toBe(rupees(FLOAT));

    // 3. At the billing desk she finds Ravi's visit: the consultation is there, posted automatically.
    await openAccount(page, patient, /Out-patient visit/);
    const charges = page.getByRole('table', { name: 'Charges' });
    await visible(
      charges.getByRole('row', { name: /Consultation \(first visit\).*₹500\.00.*Automatic: OPD visit/ }),
    );

    // 4. The bill preview says ₹500.00; she issues the OPD bill.
    const totals = page.getByRole('table', { name: 'Bill totals' });
    await visible(totals.getByRole('row', { name: /Total.*₹500\.00/ }));
    await page.getByRole('button', { name: 'Issue OPD bill' }).click();
    await page
      .getByRole('dialog', { name: /Issue the OPD bill/ })
      .getByRole('button', { name: 'Issue' })
      .click();
    await visible(page.getByTestId('bill-issued'));
    const invoices = page.getByRole('table', { name: 'Invoices' });
    await visible(invoices.getByRole('row', { name: /OPD bill.*Issued.*₹500\.00/ }));
    await eventually(async () => expect(await text(page.getByTestId('balance-due'))).toBe('₹500.00'));

    // 5. Ravi pays by UPI: the amount is the balance due; the transaction id is required, then the receipt opens.
    await page.getByRole('button', { name: 'Take a payment' }).click();
    const dialog = page.getByRole('dialog', { name: 'Take a payment' });
    expect(await field(dialog, 'Amount').inputValue()).toBe('500');
    await choose(dialog, page, 'Mode', 'UPI');
    await dialog.getByRole('button', { name: 'Receive ₹500.00' }).click();
    await visible(dialog.getByText('Required for UPI'));
    await field(dialog, 'UPI transaction ID').fill('UPI-412233445566');
    const receipt = await receiveAndPrint(page, context, /^Receive ₹500\.00$/);
    expect(receipt).toMatch(/₹500\.00 received by UPI \(ref\. UPI-412233445566\)/);

    // 6. The bill is paid: nothing is due.
    await eventually(async () => expect(await text(page.getByTestId('balance-due'))).toBe('₹0.00'));
    await visible(invoices.getByRole('row', { name: /OPD bill.*Paid/ }));
    const [account] = await accountsOf(patient.id);
    const payments = await admin.call<{ items: { mode: string; reference: string; amount: number }[] }>(
      'GET',
      `/billing/payments?accountId=${account?.id}`,
    );
    expect(payments.items).toMatchObject([{ mode: 'upi', reference: 'UPI-412233445566', amount: 500_00 }]);
  }, 180_000);

  it('bills an in-patient stay: deposit, charges, interim bill, final bill split with the TPA, settled and cleared', async () => {
    const { page, context } = session;
    const patient = await registerPatient(admin, {
      name: { given: 'Sunita', family: 'Patwardhan' },
      sex: 'female',
      birth: { birthDate: '1961-09-30' },
      phones: [{ number: '9822077702' }],
    });
    const category = await admin.call<{ id: string }>('POST', '/ipd/bed-categories', {
      code: 'GEN',
      name: 'General',
      tariffClass: 'general',
    });
    const ward = await admin.call<{ id: string }>('POST', '/ipd/wards', {
      code: 'W5',
      name: 'Ward 5 Medicine',
      kind: 'general',
      floor: '5',
    });
    const room = await admin.call<{ id: string }>('POST', '/ipd/rooms', {
      wardId: ward.id,
      code: 'R1',
      name: 'Room 1',
    });
    const bed = await admin.call<{ id: string }>('POST', '/ipd/beds', {
      roomId: room.id,
      categoryId: category.id,
      code: 'W5-01',
    });
    // 1. Sunita is admitted to W5-01 (insured): her stay's account opens and the first bed day is charged.
    const admission = await admin.call<{ id: string; version: number }>('POST', '/ipd/admissions', {
      patientId: patient.id,
      source: 'direct',
      bedId: bed.id,
      admittingPractitionerId: doctor.practitionerId,
      attendingPractitionerId: doctor.practitionerId,
      departmentId: clinic.departmentId,
      reason: 'Cellulitis of the left leg needing IV antibiotics',
      payerCategory: 'insurance',
      payerDetails: { payerName: 'Fictional Health Insurance', policyNumber: 'FHI-2026-0042' },
    });

    // 2. At the desk her family pays a deposit of ₹200 in cash; the receipt opens.
    await openAccount(page, patient, /In-patient stay/);
    await page.getByRole('button', { name: 'Take a deposit' }).click();
    const deposit = page.getByRole('dialog', { name: 'Take a deposit' });
    await field(deposit, 'Amount').fill('200');
    await receiveAndPrint(page, context, /^Receive ₹200\.00$/);
    await eventually(async () => expect(await text(page.getByTestId('balance-available'))).toBe('₹200.00'));

    // 3. The bed day is on the account from the admission; Farida posts Dr. Iyer's two visits by hand.
    const charges = page.getByRole('table', { name: 'Charges' });
    await visible(
      charges.getByRole('row', { name: /General ward bed.*₹2,000\.00.*Automatic: bed day/ }),
      20_000,
    );
    await page.getByRole('button', { name: 'Post a charge' }).click();
    const post = page.getByRole('dialog', { name: 'Post a charge' });
    await post.getByRole('combobox', { name: 'Service' }).fill('IPD-VISIT');
    await page.getByRole('option', { name: /Doctor visit \(in-patient\)/ }).click();
    await field(post, 'Quantity').fill('2');
    await visible(post.getByTestId('charge-amount').getByText('₹1,600.00'));
    await post.getByRole('button', { name: 'Post charge' }).click();
    await visible(
      charges.getByRole('row', {
        name: /Doctor visit \(in-patient\).*2.*₹800\.00.*₹1,600\.00.*Manual.*Farida Khan/,
      }),
    );

    // 4. An interim bill of the stay so far: ₹3,600.00.
    await page.getByRole('button', { name: 'Interim bill', exact: true }).click();
    const totals = page.getByRole('table', { name: 'Bill totals' });
    await visible(totals.getByRole('row', { name: /Total.*₹3,600\.00/ }));
    await page.getByRole('button', { name: 'Issue interim bill' }).click();
    await page
      .getByRole('dialog', { name: /Issue the interim bill/ })
      .getByRole('button', { name: 'Issue' })
      .click();
    await visible(
      page.getByRole('table', { name: 'Invoices' }).getByRole('row', { name: /Interim bill.*₹3,600\.00/ }),
    );

    // 5. The insurance desk (API: its screens are another helper's) records her policy, administered by a TPA
    //    with a 10% co-pay, bills the stay to it, and the TPA approves a pre-authorization of ₹5,000.
    const [account] = (await accountsOf(patient.id)).filter((a) => a.admissionId === admission.id);
    if (!account) throw new Error('no account of the stay');
    const insurer = await admin.call<{ id: string }>('POST', '/billing/payers', {
      code: 'FHI',
      name: 'Fictional Health Insurance',
      kind: 'insurer',
    });
    const tpa = await admin.call<{ id: string }>('POST', '/billing/payers', {
      code: 'MEDITPA',
      name: 'Medi Assist TPA (fictional)',
      kind: 'tpa',
    });
    const plan = await admin.call<{ id: string }>('POST', `/billing/payers/${insurer.id}/plans`, {
      code: 'SILVER',
      name: 'Silver',
      copayBp: 1000,
    });
    const policy = await admin.call<{ id: string }>('POST', '/billing/policies', {
      patientId: patient.id,
      payerId: insurer.id,
      tpaId: tpa.id,
      planId: plan.id,
      policyNumber: 'FHI-2026-0042',
      memberId: 'M-0042-01',
      holderName: 'Sunita Patwardhan',
      relationToHolder: 'self',
      validFrom: '2025-04-01',
      validTo: '2030-03-31',
      sumInsured: 5_00_000_00,
    });
    await admin.call('PUT', `/billing/accounts/${account.id}/policy`, { policyId: policy.id });
    const preauth = await admin.call<{ id: string; version: number }>('POST', '/billing/preauths', {
      accountId: account.id,
      diagnosis: 'Cellulitis of the left leg',
      plannedTreatment: 'IV antibiotics, 3 days',
      estimate: 5_000_00,
      requestedAmount: 5_000_00,
    });
    await admin.call('POST', `/billing/preauths/${preauth.id}/approve`, {
      approvedAmount: 5_000_00,
      payerReference: 'TPA-AUTH-7781',
      version: preauth.version,
    });
    // The ward starts the discharge: billing holds its checklist item until the final bill is settled.
    const initiated = await admin.call<{ version: number }>('GET', `/ipd/admissions/${admission.id}`);
    await admin.call('POST', `/ipd/admissions/${admission.id}/discharge/initiate`, {
      type: 'normal',
      version: initiated.version,
    });

    // 6. The final bill: split between the TPA (90%) and Sunita (10% co-pay).
    await page.reload();
    await visible(page.getByRole('heading', { level: 1, name: `Billing account: ${patient.displayName}` }));
    await page.getByRole('button', { name: 'Final bill', exact: true }).click();
    await visible(totals.getByRole('row', { name: /Payer's share.*₹3,240\.00/ }));
    await visible(totals.getByRole('row', { name: /Patient's share.*₹360\.00/ }));
    await page.getByRole('button', { name: 'Issue final bill' }).click();
    await page
      .getByRole('dialog', { name: /Issue the final bill/ })
      .getByRole('button', { name: 'Issue' })
      .click();
    await visible(page.getByTestId('bill-issued'));
    const finals = await admin.call<{ items: Invoice[] }>(
      'GET',
      `/billing/invoices?accountId=${account.id}&kind=ipd-final`,
    );
    expect(finals.items).toHaveLength(1);
    const final = finals.items[0] as Invoice;
    expect(final.payerShare + final.patientShare).toBe(final.total);
    expect(final).toMatchObject({ total: 3_600_00, payerShare: 3_240_00, patientShare: 360_00 });
    await eventually(async () => expect(await text(page.getByTestId('balance-due'))).toBe('₹360.00'));

    // 7. She settles: the deposit is applied to the bill, the rest is paid in cash.
    const payments = page.getByRole('table', { name: 'Payments' });
    await payments.getByRole('button', { name: /^Apply receipt .* to the bills$/ }).click();
    await eventually(async () => expect(await text(page.getByTestId('balance-due'))).toBe('₹160.00'));
    await page.getByRole('button', { name: 'Take a payment' }).click();
    const pay = page.getByRole('dialog', { name: 'Take a payment' });
    expect(await field(pay, 'Amount').inputValue()).toBe('160');
    await receiveAndPrint(page, context, /^Receive ₹160\.00$/);
    await eventually(async () => expect(await text(page.getByTestId('balance-due'))).toBe('₹0.00'));

    // 8. The discharge checklist's billing item clears itself.
    await page.goto(`/ipd/admissions/${admission.id}`);
    const checklist = page.getByRole('table', { name: 'Discharge checklist' });
    await eventually(async () => {
      await visible(checklist.getByRole('row', { name: /Final bill settled.*Cleared/ }), 2_000);
    }, 20_000);
  }, 240_000);

  it('closes the shift with the cash counted: expected against counted, the difference in words', async () => {
    const { page } = session;
    await goTo(page, 'Cashier');
    // Expected: the float, the deposit and the cash balance (the UPI payment is not cash).
    const expected = FLOAT + 200_00 + 160_00;
    await eventually(async () =>
      expect(await text(page.getByTestId('expected-cash'))).toBe(rupees(expected)),
    );
    const byMode = page.getByRole('table', { name: 'Shift totals by mode' });
    await visible(byMode.getByRole('row', { name: /UPI.*₹500\.00/ }));
    await visible(byMode.getByRole('row', { name: /Cash.*₹360\.00/ }));
    await visible(
      page
        .getByRole('table', { name: 'Receipts of the shift' })
        .getByRole('row', { name: /UPI-412233445566/ }),
    );

    // 1. Farida counts ₹100 less than expected: the screen says "Short by ₹100.00" before she confirms.
    await field(page, 'Cash counted').fill(String((expected - 100_00) / 100));
    expect(await text(page.getByTestId('closing-difference'))).toContain('Short by ₹100.00');
    await field(page, 'Closing note').fill('One ₹100 note missing; reported to the accounts manager');
    await page.getByRole('button', { name: 'Close shift' }).click();
    await page
      .getByRole('dialog', { name: 'Close the shift?' })
      .getByRole('button', { name: 'Close shift' })
      .click();
    await visible(page.getByTestId('shift-closed'));
    expect(await text(page.getByTestId('shift-closed'))).toContain(
      `Expected ${rupees(expected)}, counted ${rupees(expected - 100_00)}: Short by ₹100.00`,
    );
    // 2. The day-end summary per cashier and counter shows it too; the shift form is back for tomorrow.
    const byCashier = page.getByRole('table', { name: 'Day-end by cashier' });
    await visible(byCashier.getByRole('row', { name: /Farida Khan.*Short by ₹100\.00/ }));
    const byCounter = page.getByRole('table', { name: 'Day-end by counter' });
    await visible(byCounter.getByRole('row', { name: /Main cash counter.*Short by ₹100\.00/ }));
    await visible(page.getByRole('heading', { level: 2, name: 'Open a shift' }));
  }, 120_000);
});
