import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSignIn, createStaffMember, registerPatient } from './support/api';
import { choose, field, goTo, visible } from './support/app';
import { launchBrowser, openApp } from './support/browser';
import { createClinic, createDoctor, plusDays } from './support/opd';
import { startServer, type TestServer } from './support/server';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

type Finding = { page: string; id: string; impact: string; help: string; targets: string[] };

async function audit(page: Page, name: string): Promise<Finding[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.map((v) => ({
    page: name,
    id: v.id,
    impact: v.impact ?? 'unknown',
    help: v.help,
    targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
  }));
}

describe('accessibility', () => {
  it('has no critical or serious axe violations on the main screens', async () => {
    const { context, page } = await openApp(browser, server.baseUrl);
    const findings: Finding[] = [];

    await visible(page.getByRole('heading', { name: 'Sign in' }));
    findings.push(...(await audit(page, 'login')));

    // Signing in works from the keyboard alone: the e-mail field has focus, Tab moves on, Enter submits.
    await page.keyboard.type(server.adminEmail);
    await page.keyboard.press('Tab');
    await page.keyboard.type(server.adminPassword);
    await page.keyboard.press('Enter');
    await visible(page.getByRole('heading', { level: 1, name: /Welcome/ }));
    findings.push(...(await audit(page, 'home')));

    const areas: [string, string][] = [
      ['Users', 'Users'],
      ['Roles', 'Roles'],
      ['Facilities & departments', 'Facilities'],
      ['Audit log', 'Audit entries'],
    ];
    for (const [area, table] of areas) {
      await goTo(page, area);
      await visible(page.getByRole('table', { name: table }).locator('tbody tr'));
      // Settle before axe runs; on a loaded CI machine idle may never come, and the table above is already shown.
      await page.waitForLoadState('networkidle', { timeout: 30_000 }).catch(() => undefined);
      findings.push(...(await audit(page, area)));
    }

    await goTo(page, 'Users');
    await page.getByRole('button', { name: 'New user' }).click();
    await visible(page.getByRole('dialog', { name: 'New user' }));
    findings.push(...(await audit(page, 'new user dialog')));
    await page.keyboard.press('Escape');

    // The front desk's screens: search with results, the registration form with a possible duplicate, the record.
    const admin = await apiSignIn(server.serverUrl, server.adminEmail, server.adminPassword);
    const asha = await registerPatient(admin, {
      name: { given: 'Asha', family: 'Kulkarni' },
      sex: 'female',
      birth: { birthDate: '1979-02-03' },
      phones: [{ number: '9822012345' }],
      address: { locality: 'Kothrud' },
    });
    await goTo(page, 'Patients');
    findings.push(...(await audit(page, 'patient search (empty)')));
    await page.getByRole('searchbox', { name: 'Search patients' }).fill('Asha Kulkarni');
    await visible(
      page.getByRole('table', { name: 'Patients found' }).getByRole('link', { name: 'Asha Kulkarni' }),
    );
    findings.push(...(await audit(page, 'patient search (results)')));

    await page.getByRole('button', { name: 'Register new patient' }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'Register patient' }));
    await field(page, 'Given name').fill('Asha');
    await field(page, 'Family name').fill('Kulkarni');
    await field(page, 'Phone 1').fill('9822012345');
    await visible(page.getByRole('list', { name: 'Possible duplicates' }).getByText(`MRN ${asha.mrn}`));
    findings.push(...(await audit(page, 'register patient')));

    await page.goto(`/patients/${asha.id}`);
    await visible(page.getByRole('heading', { level: 1, name: 'Asha Kulkarni' }));
    await visible(page.getByRole('region', { name: 'Patient in context' }));
    findings.push(...(await audit(page, 'patient page')));
    await page.getByRole('tab', { name: 'Allergies & alerts' }).click();
    await visible(page.getByRole('table', { name: 'Allergies' }));
    findings.push(...(await audit(page, 'patient allergies')));

    await goTo(page, 'Duplicate review');
    findings.push(...(await audit(page, 'duplicate review')));
    await goTo(page, 'MRN format');
    await visible(page.getByTestId('mrn-example'));
    findings.push(...(await audit(page, 'MRN format')));

    // The OPD: appointments with the slot picker, the queue, a doctor's worklist, the consultation, set-up, the board.
    const doctorUser = await createStaffMember(admin, {
      email: 'dr.axe@example.org',
      password: 'Doctor-Axe-2026!',
      displayName: 'Dr. Axe',
      role: 'doctor',
    });
    const clinic = await createClinic(admin, {
      departmentCode: 'AXE',
      roomName: 'Room A',
      boardCode: 'AXE-A',
    });
    const doctor = await createDoctor(admin, clinic, {
      userId: doctorUser.id,
      displayName: 'Dr. Axe Bhatt',
      dates: [clinic.today],
    });
    await admin.call('POST', '/opd/queue/check-in', {
      patientId: asha.id,
      practitionerId: doctor.practitionerId,
      priorities: ['disabled'],
    });
    const encounter = await admin.call<{ id: string }>('POST', '/encounters', { patientId: asha.id });
    await admin.call('POST', `/encounters/${encounter.id}/vitals`, {
      systolic: 150,
      diastolic: 96,
      heartRate: 82,
      weight: 61,
      height: 158,
    });

    await goTo(page, 'Appointments');
    await choose(page, page, 'Doctor', 'Dr. Axe Bhatt · General Medicine');
    await visible(page.getByRole('group', { name: 'Slots' }).getByRole('button').first());
    findings.push(...(await audit(page, 'OPD appointments')));
    await goTo(page, 'Check-in & queue');
    await choose(page, page, 'Doctor', 'Dr. Axe Bhatt · General Medicine');
    await visible(page.getByRole('table', { name: 'Queue' }).getByRole('row', { name: /Asha Kulkarni/ }));
    findings.push(...(await audit(page, 'OPD check-in and queue')));
    await page.goto(`/opd/worklist?practitionerId=${doctor.practitionerId}`);
    await visible(page.getByRole('table', { name: 'Queue' }).getByRole('row', { name: /Asha Kulkarni/ }));
    findings.push(...(await audit(page, 'doctor worklist')));
    await page.getByRole('button', { name: 'Summary of Asha Kulkarni' }).first().click();
    await visible(page.getByRole('dialog', { name: /Patient summary/ }).getByTestId('vitals-chart'));
    findings.push(...(await audit(page, 'patient summary')));
    await page.keyboard.press('Escape');
    await page.goto(`/consultation/${encounter.id}`);
    await visible(page.getByRole('heading', { level: 1, name: 'Consultation: Asha Kulkarni' }));
    await visible(page.getByTestId('vitals-chart'));
    findings.push(...(await audit(page, 'consultation')));
    await goTo(page, 'OPD schedules');
    await visible(
      page.getByRole('table', { name: 'Practitioners' }).getByRole('row', { name: /Dr\. Axe Bhatt/ }),
    );
    findings.push(...(await audit(page, 'OPD schedules')));
    await page.getByRole('tab', { name: 'Sessions' }).click();
    await visible(page.getByRole('table', { name: 'Sessions' }).locator('tbody tr'));
    findings.push(...(await audit(page, 'OPD sessions')));
    await page.goto('/display/AXE-A');
    await visible(page.getByTestId('waiting-tokens').getByText('1'));
    findings.push(...(await audit(page, 'token board')));

    // The IPD: the bed board, the admission desk and its admission form, an admission, a ward's public display.
    const category = await admin.call<{ id: string }>('POST', '/ipd/bed-categories', {
      code: 'AXE-GEN',
      name: 'General',
      tariffClass: 'general',
    });
    const ward = await admin.call<{ id: string }>('POST', '/ipd/wards', {
      code: 'AXE-W',
      name: 'Axe Ward',
      kind: 'general',
      displayCode: 'AXE-BEDS',
    });
    const wardRoom = await admin.call<{ id: string }>('POST', '/ipd/rooms', {
      wardId: ward.id,
      code: 'R1',
      name: 'Room 1',
    });
    const ipdBeds: { id: string }[] = [];
    for (const code of ['AXE-01', 'AXE-02', 'AXE-03']) {
      ipdBeds.push(
        await admin.call('POST', '/ipd/beds', { roomId: wardRoom.id, categoryId: category.id, code }),
      );
    }
    const stay = await admin.call<{ id: string }>('POST', '/ipd/admissions', {
      patientId: asha.id,
      source: 'direct',
      bedId: ipdBeds[0]?.id,
      admittingPractitionerId: doctor.practitionerId,
      attendingPractitionerId: doctor.practitionerId,
      reason: 'Uncontrolled hypertension',
      payerCategory: 'cash',
    });
    const ravi = await registerPatient(admin, {
      name: { given: 'Ravi', family: 'Kale' },
      sex: 'male',
      birth: { birthDate: '1968-11-30' },
    });
    await admin.call('POST', '/ipd/admission-requests', {
      patientId: ravi.id,
      source: 'direct',
      priority: 'urgent',
      reason: 'Elective knee replacement',
    });
    // Back into the shell from the token board (a page without navigation).
    await page.goto('/');
    await visible(page.getByRole('heading', { level: 1, name: /Welcome/ }));
    await goTo(page, 'Bed board');
    await visible(page.getByTestId('bed-tile-AXE-01').and(page.locator('[data-status="occupied"]')));
    findings.push(...(await audit(page, 'bed board')));
    await goTo(page, 'Admissions');
    await visible(
      page.getByRole('table', { name: 'Admission requests' }).getByRole('row', { name: /Ravi Kale/ }),
    );
    await visible(
      page.getByRole('table', { name: 'In-patients' }).getByRole('row', { name: /Asha Kulkarni/ }),
    );
    findings.push(...(await audit(page, 'admission desk')));
    await page.getByRole('button', { name: 'Admit Ravi Kale' }).click();
    await visible(page.getByRole('dialog', { name: 'Admit patient' }).getByText(`MRN ${ravi.mrn}`));
    findings.push(...(await audit(page, 'admission form')));
    await page.keyboard.press('Escape');
    await page.goto(`/ipd/admissions/${stay.id}`);
    await visible(page.getByRole('table', { name: 'Bed history' }).locator('tbody tr'));
    findings.push(...(await audit(page, 'admission')));
    await page.goto('/display/beds/AXE-BEDS');
    await visible(page.getByTestId('bed-tile-AXE-01').and(page.locator('[data-status="occupied"]')));
    findings.push(...(await audit(page, 'public bed board')));
    await page.goto('/');
    await visible(page.getByRole('heading', { level: 1, name: /Welcome/ }));

    // Nursing: the ward picker and station, the chart (a medium NEWS2 alert, trend, I/O, discharge summary, diet),
    // housekeeping on its phone layout's desktop view, the kitchen list.
    await admin.call('POST', `/ipd/admissions/${stay.id}/vitals`, {
      respiratoryRate: 25,
      spo2: 94,
      supplementalOxygen: false,
      systolic: 150,
      diastolic: 96,
      heartRate: 96,
      consciousness: 'alert',
      temperature: 37.9,
    });
    await admin.call('POST', `/ipd/admissions/${stay.id}/intake-output`, {
      direction: 'intake',
      route: 'oral',
      volumeMl: 300,
    });
    await admin.call('POST', '/facilities/housekeeping/tasks', {
      kind: 'spill',
      location: 'Axe Ward corridor',
    });
    // Back into the shell from the public bed board.
    await page.goto('/');
    await visible(page.getByRole('heading', { level: 1, name: /Welcome/ }));
    await goTo(page, 'Nursing station');
    await visible(page.getByRole('list', { name: 'Wards' }).getByRole('link', { name: /Axe Ward/ }));
    findings.push(...(await audit(page, 'nursing station ward picker')));
    await page.goto(`/ipd/wards/${ward.id}/station`);
    const stationBed = page.getByRole('listitem', { name: /Asha Kulkarni/ });
    await visible(stationBed.getByTestId('news2-badge'));
    findings.push(...(await audit(page, 'nursing station')));
    await stationBed.getByRole('link').click();
    await visible(page.getByRole('heading', { level: 1, name: 'Chart: Asha Kulkarni' }));
    await visible(page.getByTestId('news2-alert'));
    await visible(page.getByTestId('nursing-trend-chart'));
    findings.push(...(await audit(page, 'chart: vitals and NEWS2 alert')));
    await page.getByRole('tab', { name: 'Intake/Output' }).click();
    await visible(
      page.getByRole('table', { name: 'Intake and output entries' }).getByRole('row', { name: /Oral/ }),
    );
    findings.push(...(await audit(page, 'chart: intake and output')));
    await page.getByRole('tab', { name: 'Handover' }).click();
    await visible(page.getByRole('form', { name: 'Shift handover' }));
    findings.push(...(await audit(page, 'chart: handover')));
    await page.getByRole('tab', { name: 'Discharge summary' }).click();
    await visible(page.getByRole('button', { name: 'Start discharge summary' }));
    findings.push(...(await audit(page, 'chart: discharge summary')));
    await page.getByRole('tab', { name: 'Diet' }).click();
    await visible(page.getByRole('form', { name: 'Diet order' }));
    findings.push(...(await audit(page, 'chart: diet')));
    await goTo(page, 'Housekeeping');
    await visible(
      page.getByRole('list', { name: 'Open queue' }).getByRole('listitem', { name: /Axe Ward corridor/ }),
    );
    findings.push(...(await audit(page, 'housekeeping')));
    await page.getByRole('tab', { name: 'Turnaround' }).click();
    await visible(page.getByRole('table', { name: 'Turnaround' }));
    findings.push(...(await audit(page, 'housekeeping turnaround')));
    await goTo(page, 'Kitchen list');
    await visible(
      page.getByRole('table', { name: 'Kitchen list Axe Ward' }).getByRole('row', { name: /Asha Kulkarni/ }),
    );
    findings.push(...(await audit(page, 'kitchen list')));

    // Billing and insurance: the desk, an in-patient's account (opened by the admission event), the cashier,
    // the charge master, the insurance desk and claims.
    let accounts: { id: string }[] = [];
    for (let i = 0; i < 40 && accounts.length === 0; i++) {
      accounts = (
        await admin.call<{ items: { id: string }[] }>('GET', `/billing/patients/${asha.id}/accounts`)
      ).items;
      if (accounts.length === 0) await page.waitForTimeout(250);
    }
    expect(accounts.length).toBeGreaterThan(0);
    const billingPages: [string, string, string][] = [
      ['/billing', 'Billing', 'billing desk'],
      [`/billing/accounts/${accounts[0]!.id}`, 'Billing account: Asha Kulkarni', 'billing account'],
      ['/billing/cashier', 'Cashier', 'cashier'],
      ['/billing/charge-master', 'Charge master', 'charge master'],
      ['/insurance/preauths', 'Insurance desk', 'insurance desk'],
      ['/insurance/claims', 'Claims', 'claims'],
    ];
    for (const [path, heading, name] of billingPages) {
      await page.goto(path);
      await visible(page.getByRole('heading', { level: 1, name: heading }));
      await page.waitForLoadState('networkidle', { timeout: 30_000 }).catch(() => undefined);
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
    await page.waitForLoadState('networkidle', { timeout: 30_000 }).catch(() => undefined);
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
      await page.waitForLoadState('networkidle', { timeout: 30_000 }).catch(() => undefined);
      findings.push(...(await audit(page, name)));
    }

    // Prescribing: the pharmacy's prescription queue with its filling dialog, and an in-patient's MAR with the
    // dose dialog (an order signed for Asha's stay).
    const { encounterId: stayEncounterId } = await admin.call<{ encounterId: string }>(
      'GET',
      `/ipd/admissions/${stay.id}`,
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
    await page.goto(`/ipd/admissions/${stay.id}/chart?tab=medicines`);
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

    const serious = findings.filter((f) => f.impact === 'serious');
    if (serious.length > 0) console.warn('serious axe findings:', JSON.stringify(serious, null, 2));
    const moderate = findings.filter((f) => f.impact !== 'serious' && f.impact !== 'critical');
    if (moderate.length > 0) console.info('other axe findings:', JSON.stringify(moderate, null, 2));
    expect(findings.filter((f) => f.impact === 'critical')).toEqual([]);
    expect(serious).toEqual([]);
    await context.close();
  }, 480_000);
});
