import { readFileSync } from 'node:fs';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiSession, apiSignIn, createStaffMember, registerPatient } from './support/api';
import { eventually, field, goTo, signIn, signOut, text, visible } from './support/app';
import { launchBrowser, openApp } from './support/browser';
import { createClinic, createDoctor } from './support/opd';
import { startServer, type TestServer } from './support/server';

// Issue #6, "Done when" (insurance part): an in-patient's stay is pre-authorized by the TPA desk (a query
// answered, then approved), billed finally with a payer share, claimed, settled with TDS and a disallowance, and
// the short payment written off by an accounts manager; the claim closes with its numbers adding up and the
// aging report shows what the payer owed until then.

let server: TestServer;
let browser: Browser;
let admin: ApiSession;

const OFFICER = { email: 'farah.tpa@example.org', password: 'Farah-Claims-2026!', name: 'Farah Sheikh' };
const MANAGER = { email: 'arun.accounts@example.org', password: 'Arun-Approves-2026!', name: 'Arun Menon' };
const DOCTOR = { email: 'vikram.surgeon@example.org', password: 'Vikram-Operates-2026!' };
const PAYER = 'Suraksha General Insurance';

type Account = {
  id: string;
  kind: string;
  admissionId: string | null;
  policyId: string | null;
  version: number;
};
type Invoice = { id: string; number: string; total: number; payerShare: number; patientShare: number };
type Claim = {
  id: string;
  status: string;
  claimedAmount: number;
  settledAmount: number;
  tds: number;
  disallowed: number;
  writtenOff: number;
  outstanding: number;
  writeOffApprovedBy: string | null;
  settlementReceiptNumber: string | null;
};

/** Paise as the rupees a clerk types: 3570000 -> "35700.00". */
const rupees = (paise: number) => `${Math.floor(paise / 100)}.${String(paise % 100).padStart(2, '0')}`;

/**
 * The accounts-manager role billing declares is not among the platform's built-in role names yet (see the
 * billing tests); when it is missing the administrator makes it with billing's grants for it.
 */
async function ensureAccountsManagerRole(): Promise<void> {
  const roles = await admin.call<{ items: { name: string }[] }>('GET', '/access/roles');
  if (roles.items.some((r) => r.name === 'accounts-manager')) return;
  await admin.call('POST', '/access/roles', {
    name: 'accounts-manager',
    description: 'Accounts manager (approves discounts, refunds, write-offs)',
    permissions: [
      'billing:read',
      'billing:charge',
      'billing:invoice',
      'billing:collect',
      'billing:approve',
      'billing:manage',
      'billing:insurance',
      'billing:reports',
    ],
  });
}

/** A general ward with one bed, as the administrator set it up. */
async function createBed(): Promise<string> {
  const category = await admin.call<{ id: string }>('POST', '/ipd/bed-categories', {
    code: 'SEMI',
    name: 'Semi-private',
    tariffClass: 'semi-private',
  });
  const ward = await admin.call<{ id: string }>('POST', '/ipd/wards', {
    code: 'W5',
    name: 'Ward 5 Surgery',
    kind: 'general',
    floor: '5',
  });
  const room = await admin.call<{ id: string }>('POST', '/ipd/rooms', {
    wardId: ward.id,
    code: 'R2',
    name: 'Room 2',
  });
  const bed = await admin.call<{ id: string }>('POST', '/ipd/beds', {
    roomId: room.id,
    categoryId: category.id,
    code: 'W5-04',
  });
  return bed.id;
}

/** A priced service of the charge master (exempt health care). */
async function createService(
  code: string,
  name: string,
  serviceGroup: string,
  price: number,
  validFrom: string,
) {
  const service = await admin.call<{ id: string }>('POST', '/billing/services', {
    code,
    name,
    serviceGroup,
    taxCode: 'HEALTHCARE',
  });
  await admin.call('POST', `/billing/services/${service.id}/prices`, { tariffClass: '*', price, validFrom });
}

async function pickPatient(page: Page, scope: Locator, mrn: string, name: string) {
  await scope.getByRole('combobox', { name: 'Patient' }).fill(mrn);
  await page
    .getByRole('option', { name: new RegExp(name) })
    .first()
    .click();
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  admin = await apiSignIn(server.serverUrl, server.adminEmail, server.adminPassword);
  await ensureAccountsManagerRole();
  await createStaffMember(admin, { ...OFFICER, displayName: OFFICER.name, role: 'insurance-desk' });
  await createStaffMember(admin, { ...MANAGER, displayName: MANAGER.name, role: 'accounts-manager' });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the insurance desk, from pre-authorization to a closed claim', () => {
  it('pre-authorizes a stay, claims the final bill, settles with TDS and a disallowance, and writes off the rest', async () => {
    // Set-up by API: the stay of Suresh Iyer, insured with Suraksha (10% co-pay), and his charges.
    const doctorUser = await createStaffMember(admin, {
      ...DOCTOR,
      displayName: 'Vikram Nair',
      role: 'doctor',
    });
    const clinic = await createClinic(admin, { departmentCode: 'SUR', roomName: 'Room 9', boardCode: 'R9' });
    const doctor = await createDoctor(admin, clinic, {
      userId: doctorUser.id,
      displayName: 'Dr. Vikram Nair',
      dates: [clinic.today],
    });
    const bedId = await createBed();
    const patient = await registerPatient(admin, {
      name: { given: 'Suresh', family: 'Iyer' },
      sex: 'male',
      birth: { birthDate: '1968-03-02' },
      phones: [{ number: '9845012345' }],
    });
    const payer = await admin.call<{ id: string }>('POST', '/billing/payers', {
      code: 'SURAKSHA',
      name: PAYER,
      kind: 'insurer',
      registrationNumber: 'IRDAI-148',
      creditDays: 45,
    });
    const plan = await admin.call<{ id: string }>('POST', `/billing/payers/${payer.id}/plans`, {
      code: 'GOLD',
      name: 'Suraksha Gold',
      copayBp: 1000,
    });
    const policy = await admin.call<{ id: string }>('POST', '/billing/policies', {
      patientId: patient.id,
      payerId: payer.id,
      planId: plan.id,
      policyNumber: 'SGI-2026-778812',
      memberId: 'SGI-M-4471',
      holderName: 'Suresh Iyer',
      relationToHolder: 'self',
      validFrom: '2026-01-01',
      validTo: '2099-12-31',
      sumInsured: 50_000_000,
    });
    const admission = await admin.call<{ id: string }>('POST', '/ipd/admissions', {
      patientId: patient.id,
      source: 'planned',
      bedId,
      admittingPractitionerId: doctor.practitionerId,
      attendingPractitionerId: doctor.practitionerId,
      departmentId: clinic.departmentId,
      reason: 'Laparoscopic cholecystectomy for symptomatic gallstones',
      payerCategory: 'insurance',
      payerDetails: { payerName: PAYER, policyNumber: 'SGI-2026-778812', memberId: 'SGI-M-4471' },
    });
    // Billing opens the stay's account from the admission event.
    const account = await eventually(async () => {
      const { items } = await admin.call<{ items: Account[] }>(
        'GET',
        `/billing/patients/${patient.id}/accounts`,
      );
      const found = items.find((a) => a.admissionId === admission.id);
      expect(found).toBeDefined();
      return found as Account;
    }, 20_000);
    await admin.call('PUT', `/billing/accounts/${account.id}/policy`, { policyId: policy.id });
    await createService('SUR-LAPCHOLE', 'Laparoscopic cholecystectomy', 'procedure', 4_000_000, '2025-04-01');
    await createService('LAB-LFT', 'Liver function tests', 'investigation', 500_000, '2025-04-01');
    for (const serviceCode of ['SUR-LAPCHOLE', 'LAB-LFT']) {
      await admin.call('POST', '/billing/charges', { accountId: account.id, serviceCode, quantity: 1 });
    }

    // 1. The insurance officer asks Suraksha to pre-authorize the surgery.
    const { context, page } = await openApp(browser, server.baseUrl);
    await signIn(page, OFFICER.email, OFFICER.password);
    await visible(page.getByRole('heading', { level: 1, name: /Welcome/ }));
    // The officer checks the plan's rules and the patient's cover first.
    await goTo(page, 'Payers & plans');
    await page.getByRole('button', { name: `Plans of ${PAYER}` }).click();
    const plans = page.getByRole('table', { name: `Plans of ${PAYER}` });
    await visible(plans.getByRole('row', { name: /Suraksha Gold.*10%.*No limit/ }));
    expect(await page.getByRole('button', { name: 'Add payer' }).count()).toBe(0);
    await page.goto(`/insurance/policies?patientId=${patient.id}`);
    const policies = page.getByRole('table', { name: 'Insurance policies' });
    const policyRow = policies.getByRole('row', { name: /SGI-2026-778812/ });
    await visible(policyRow);
    expect(await text(policyRow)).toMatch(/Member SGI-M-4471.*₹5,00,000\.00.*₹0\.00.*₹5,00,000\.00/);
    await visible(
      page
        .getByRole('table', { name: 'Open accounts' })
        .getByRole('row', { name: /Admission .*Suraksha General Insurance · policy SGI-2026-778812/ }),
    );
    await goTo(page, 'Insurance desk');
    await page.getByRole('button', { name: 'New pre-authorization' }).click();
    const request = page.getByRole('dialog', { name: 'New pre-authorization request' });
    await pickPatient(page, request, patient.mrn, 'Suresh Iyer');
    await eventually(async () =>
      expect(await text(request.getByRole('combobox', { name: 'Account' }))).toMatch(/^Admission /),
    );
    await visible(
      request.getByText(/Suraksha General Insurance · policy SGI-2026-778812 · balance ₹5,00,000\.00/),
    );
    await field(request, 'Diagnosis').fill('Calculus of gallbladder with chronic cholecystitis (K80.1)');
    await field(request, 'Planned treatment').fill('Laparoscopic cholecystectomy; 2 days stay');
    await field(request, 'Estimate').fill('45,000');
    await field(request, 'Requested amount').fill('40500');
    await request.getByRole('button', { name: 'Submit request' }).click();
    await visible(page.getByRole('heading', { level: 1, name: /^Pre-authorization PA\// }));
    expect(await text(page.getByTestId('preauth-requested'))).toBe('₹40,500.00');
    const history = page.getByRole('list', { name: 'Status history' });
    await visible(history.getByText('Submitted'));

    // 2. The payer asks for the ultrasound report; the desk sends it.
    await page.getByRole('button', { name: 'Record query' }).click();
    const query = page.getByRole('dialog', { name: "Record the payer's query" });
    await field(query, 'Query').fill('Send the ultrasound abdomen report');
    await query.getByRole('button', { name: 'Record query' }).click();
    await visible(history.getByText('Query from the payer'));
    await visible(history.getByText('Send the ultrasound abdomen report'));
    await page.getByRole('button', { name: 'Record answer' }).click();
    const answer = page.getByRole('dialog', { name: "Record the hospital's answer" });
    await field(answer, 'Answer').fill('USG report of 12 March uploaded on the portal');
    await answer.getByRole('button', { name: 'Record answer' }).click();
    await visible(history.getByText('Answer sent'));
    // The report itself goes with the pre-authorization: a PDF uploaded from the page, listed, opened by link.
    await page.getByRole('button', { name: 'Upload file' }).click();
    const uploadDialog = page.getByRole('dialog', { name: 'Upload a file' });
    await uploadDialog.getByTestId('insurance-file-input').setInputFiles({
      name: 'USG abdomen 12 March.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from(
        '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
        'latin1',
      ),
    });
    expect(await field(uploadDialog, 'Name').inputValue()).toBe('USG abdomen 12 March.pdf');
    await uploadDialog.getByRole('button', { name: 'Upload', exact: true }).click();
    const files = page.getByRole('list', { name: 'Uploaded files' });
    await visible(files.getByRole('button', { name: /^Open USG abdomen 12 March\.pdf/ }));
    await visible(files.getByText(/Prescription · /));

    // 3. Suraksha approves all of it.
    await page.getByRole('button', { name: 'Record approval' }).click();
    const approve = page.getByRole('dialog', { name: 'Record the approval' });
    expect(await field(approve, 'Approved amount').inputValue()).toBe('40500');
    await field(approve, 'Payer reference').fill('SGI-AL-55120');
    await approve.getByRole('button', { name: 'Record approval' }).click();
    await eventually(async () => expect(await text(page.getByTestId('preauth-approved'))).toBe('₹40,500.00'));
    await visible(history.getByText('Approved · ₹40,500.00'));
    await visible(page.getByRole('button', { name: 'Request enhancement' }));
    expect(await history.getByRole('listitem').count()).toBe(4);

    // Meanwhile billing issues the final bill: ₹45,000.00, of which the payer's share is 90% after co-pay.
    const invoice = await admin.call<Invoice>('POST', `/billing/accounts/${account.id}/invoices`, {
      kind: 'ipd-final',
    });
    expect(invoice).toMatchObject({ total: 4_500_000, payerShare: 4_050_000, patientShare: 450_000 });

    // 4. The officer submits the claim from the final bill.
    await goTo(page, 'Claims');
    await page.getByRole('button', { name: 'New claim' }).click();
    const newClaim = page.getByRole('dialog', { name: 'Submit a claim' });
    await pickPatient(page, newClaim, patient.mrn, 'Suresh Iyer');
    await eventually(async () =>
      expect(await text(newClaim.getByTestId('claim-bill-summary'))).toContain('payer share ₹40,500.00'),
    );
    await newClaim.getByRole('button', { name: 'Submit claim' }).click();
    await visible(page.getByRole('heading', { level: 1, name: /^Claim CL\// }));
    const claimUrl = page.url();
    const claimId = /\/insurance\/claims\/([0-9a-f-]{36})/.exec(claimUrl)?.[1] ?? '';
    expect(claimId).not.toBe('');
    expect(await text(page.getByTestId('arith-claimed'))).toContain('₹40,500.00');
    await visible(page.getByRole('link', { name: 'Open the pre-authorization' }));

    // 5. The money arrives: ₹35,700.00 by NEFT, ₹4,050.00 TDS, ₹500.00 disallowed; ₹250.00 short.
    await page.getByRole('button', { name: 'Record settlement' }).click();
    const settle = page.getByRole('dialog', { name: /^Record the settlement of CL\// });
    await field(settle, 'Amount received').fill('35700');
    await field(settle, 'UTR reference').fill('UTIBN52026031900417');
    await field(settle, 'TDS deducted').fill('4,050');
    await settle.getByRole('button', { name: 'Add disallowance' }).click();
    await field(settle, 'Disallowance 1 reason').fill('Admission kit and toiletries: non-payable');
    await field(settle, 'Disallowance 1 amount').fill('500');
    const sum = settle.getByRole('table', { name: 'Settlement arithmetic' });
    await eventually(async () =>
      expect(await text(sum.getByRole('row', { name: /Remaining/ }))).toContain('₹250.00'),
    );
    await settle.getByRole('button', { name: 'Record settlement' }).click();
    await visible(
      page
        .getByRole('table', { name: 'Disallowances' })
        .getByText('Admission kit and toiletries: non-payable'),
    );
    await eventually(async () =>
      expect(await text(page.getByTestId('arith-remaining'))).toContain('₹250.00'),
    );
    await visible(page.getByTestId('write-off-pending'));
    expect(await page.getByRole('button', { name: /^Approve write-off/ }).count()).toBe(0);

    // The claim leaves as a FHIR R4 Bundle with its Claim and Coverage, ready for the exchange.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download FHIR bundle' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^claim-CL-.+\.fhir\.json$/);
    const bundle = JSON.parse(readFileSync((await download.path()) as string, 'utf8')) as {
      resourceType: string;
      entry: { resource: { resourceType: string } }[];
    };
    expect(bundle.resourceType).toBe('Bundle');
    expect(bundle.entry.map((e) => e.resource.resourceType)).toEqual(
      expect.arrayContaining(['Claim', 'Coverage']),
    );
    await signOut(page);

    // 6. The accounts manager sees what Suraksha still owes, and approves writing off the ₹250.00.
    await signIn(page, MANAGER.email, MANAGER.password);
    await visible(page.getByRole('heading', { level: 1, name: /Welcome/ }));
    await goTo(page, 'Aging');
    const aging = page.getByRole('table', { name: 'Receivables by payer' });
    const payerRow = aging.getByRole('row', { name: new RegExp(PAYER) });
    await visible(payerRow);
    expect(await text(payerRow)).toContain('₹250.00');
    await visible(page.getByRole('table', { name: 'Patient dues' }).getByText('Suresh Iyer'));

    await page.goto(claimUrl);
    await page.getByRole('button', { name: 'Approve write-off of ₹250.00' }).click();
    const writeOff = page.getByRole('dialog', { name: 'Approve the write-off' });
    await field(writeOff, 'Reason for the write-off').fill('Short payment below the pursuit threshold');
    await writeOff.getByRole('button', { name: 'Approve write-off' }).click();

    // 7. The claim is closed and its numbers add up: 35,700 + 4,050 + 500 + 250 = 40,500.
    await eventually(async () =>
      expect(await text(page.getByTestId('claim-status-note'))).toBe(
        'Closed: nothing is outstanding after a write-off of ₹250.00.',
      ),
    );
    const expected: Record<string, string> = {
      'arith-settled': '₹35,700.00',
      'arith-tds': '₹4,050.00',
      'arith-disallowed': '₹500.00',
      'arith-written-off': '₹250.00',
      'arith-remaining': '₹0.00',
    };
    for (const [id, amount] of Object.entries(expected)) {
      expect(await text(page.getByTestId(id).locator('td'))).toBe(amount);
    }
    expect(await text(page.getByTestId('arith-claimed').locator('td'))).toBe('₹40,500.00');
    await visible(page.getByRole('list', { name: 'Status history' }).getByText('Written off · ₹250.00'));
    const claim = await admin.call<Claim>('GET', `/billing/claims/${claimId}`);
    expect(claim).toMatchObject({
      status: 'closed',
      claimedAmount: 4_050_000,
      settledAmount: 3_570_000,
      tds: 405_000,
      disallowed: 50_000,
      writtenOff: 25_000,
      outstanding: 0,
      writeOffApprovedBy: MANAGER.name,
    });
    expect(claim.settledAmount + claim.tds + claim.disallowed + claim.writtenOff).toBe(claim.claimedAmount);
    expect(rupees(claim.settledAmount)).toBe('35700.00');

    // Suraksha owes nothing any more.
    await goTo(page, 'Aging');
    await visible(
      page.getByRole('table', { name: 'Receivables by payer' }).getByText('No payer owes anything'),
    );
    await context.close();
  }, 240_000);
});
