import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zonedInstant } from '../apps/web/src/modules/radiology/booking-slots';
import { apiSignIn, createStaffMember, registerPatient } from './support/api';
import { choose, field, goTo, signIn, visible } from './support/app';
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

  it('has no critical or serious axe violations on the laboratory screens', async () => {
    // The collection list, reception, a section's worklist and its result entry, validation, the counter,
    // turnaround, the critical-value inbox (its badge in the top bar, the read-back dialog) and the patient's
    // Laboratory tab. A technician enters a critical potassium of Meera's STAT walk-in; the administrator, who
    // ordered it, validates it and is the doctor it is called to.
    const admin = await apiSignIn(server.serverUrl, server.adminEmail, server.adminPassword);
    const meera = await registerPatient(admin, {
      name: { given: 'Meera', family: 'Joshi' },
      sex: 'female',
      birth: { birthDate: '1966-07-21' },
      phones: [{ number: '9822077001' }],
    });
    const { context, page } = await openApp(browser, server.baseUrl);
    await signIn(page, server.adminEmail, server.adminPassword);
    await visible(page.getByRole('heading', { level: 1, name: /Welcome/ }));
    const findings: Finding[] = [];
    await createStaffMember(admin, {
      email: 'lab.axe@example.org',
      password: 'Lab-Axe-Bench-2026!',
      displayName: 'Lab Axe',
      role: 'lab-technician',
    });
    const bench = await apiSignIn(server.serverUrl, 'lab.axe@example.org', 'Lab-Axe-Bench-2026!');
    type LabRequest = { id: string; code: string; samples: { id: string; accession: string }[] };
    const labRequests = await admin.call<LabRequest[]>('POST', '/laboratory/requests', {
      patientId: meera.id,
      tests: ['K', 'CBC', 'URINE_CULTURE'],
      priority: 'stat',
    });
    const potassium = labRequests.find((r) => r.code === 'K');
    const cbc = labRequests.find((r) => r.code === 'CBC');
    for (const request of [potassium, cbc]) {
      const tube = request?.samples[0];
      await admin.call('POST', `/laboratory/samples/${tube?.id}/collect`, {});
      await admin.call('POST', '/laboratory/samples/receive', { accession: tube?.accession });
    }
    await bench.call('POST', `/laboratory/requests/${potassium?.id}/results`, {
      results: [{ testCode: 'K', value: 6.9 }],
    });
    await admin.call('POST', `/laboratory/requests/${potassium?.id}/validate`, {});
    const labPages: [string, () => Promise<unknown>, string][] = [
      [
        '/laboratory/collection',
        () => visible(page.getByRole('table', { name: 'Tubes to draw for Meera Joshi' })),
        'sample collection',
      ],
      ['/laboratory/reception', () => visible(field(page, 'Accession number')), 'sample reception'],
      [
        '/laboratory/worklists?section=haematology',
        () =>
          visible(
            page.getByRole('table', { name: 'Haematology worklist' }).getByRole('row', { name: /Meera/ }),
          ),
        'lab worklist',
      ],
      [
        `/laboratory/requests/${cbc?.id}/results?section=haematology`,
        () => visible(field(page, 'Haemoglobin')),
        'result entry',
      ],
      [
        `/laboratory/validation?patientId=${meera.id}`,
        () => visible(page.getByTestId('request-validation')),
        'lab validation',
      ],
      [
        `/laboratory/walk-in?patientId=${meera.id}`,
        () => visible(page.getByRole('combobox', { name: 'Add a test or panel' })),
        'lab walk-in',
      ],
      [
        '/laboratory/turnaround',
        () =>
          visible(
            page
              .getByRole('table', { name: 'Turnaround by section' })
              .getByRole('row', { name: /Biochemistry/ }),
          ),
        'lab turnaround',
      ],
      [
        '/laboratory/critical-alerts',
        () =>
          visible(
            page
              .getByRole('table', { name: 'Critical results to acknowledge' })
              .getByRole('row', { name: /Meera/ }),
          ),
        'critical results',
      ],
      [
        `/patients/${meera.id}?tab=laboratory`,
        () => visible(page.getByRole('table', { name: 'Cumulative results' })),
        'patient laboratory',
      ],
    ];
    for (const [path, ready, name] of labPages) {
      await page.goto(path);
      await ready();
      await page.waitForLoadState('networkidle', { timeout: 30_000 }).catch(() => undefined);
      findings.push(...(await audit(page, name)));
    }
    await visible(page.getByTestId('critical-alerts-badge'));
    await page.goto('/laboratory/critical-alerts');
    await page.getByRole('button', { name: 'Acknowledge Potassium of Meera Joshi' }).click();
    await visible(page.getByRole('dialog', { name: 'Acknowledge critical result' }));
    findings.push(...(await audit(page, 'acknowledge critical result dialog')));
    await page.keyboard.press('Escape');

    const serious = findings.filter((f) => f.impact === 'serious');
    if (serious.length > 0) console.warn('serious axe findings:', JSON.stringify(serious, null, 2));
    const moderate = findings.filter((f) => f.impact !== 'serious' && f.impact !== 'critical');
    if (moderate.length > 0) console.info('other axe findings:', JSON.stringify(moderate, null, 2));
    expect(findings.filter((f) => f.impact === 'critical')).toEqual([]);
    expect(serious).toEqual([]);
    await context.close();
  }, 300_000);

  it('has no critical or serious axe violations on the radiology screens', async () => {
    // The rooms and the room form, the desk's scheduling with the booking dialog, the worklist with the arrival
    // checklist (a CT with intravenous contrast for a woman of 35) and the completion dialog, the reporting lists,
    // the report editor and its sign-off dialog, a signed report, the radiologists' critical findings, the walk-in
    // counter, the patient's Imaging tab and the doctor's read-back in the critical-results inbox. The
    // administrator placed the orders, so the critical finding is called to them.
    const admin = await apiSignIn(server.serverUrl, server.adminEmail, server.adminPassword);
    const facilities = await admin.call<{ items: { timeZone: string }[] }>('GET', '/organization/facilities');
    const zone = facilities.items[0]?.timeZone ?? 'Asia/Kolkata';
    const tomorrow = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).format(new Date(Date.now() + 86_400_000));
    const at = (time: string) => zonedInstant(tomorrow, time, zone);
    const lakshmi = await registerPatient(admin, {
      name: { given: 'Lakshmi', family: 'Nair' },
      sex: 'female',
      birth: { birthDate: '1990-09-12' },
      phones: [{ number: '9822077002' }],
    });
    type RadOrder = { id: string; version: number };
    const xray = await admin.call<{ id: string }>('POST', '/radiology/rooms', {
      code: 'XR-AXE',
      name: 'X-ray room Axe',
      modality: 'XR',
      opensAt: '08:00',
      closesAt: '20:00',
    });
    await admin.call('POST', '/radiology/rooms', { code: 'CT-AXE', name: 'CT scanner Axe', modality: 'CT' });
    const order = (procedureCode: string, extra: Record<string, unknown> = {}) =>
      admin.call<RadOrder>('POST', '/radiology/orders', {
        patientId: lakshmi.id,
        procedureCode,
        clinicalIndication: 'Fall at home',
        ...extra,
      });
    const step = async (o: RadOrder, path: string, body: Record<string, unknown> = {}) => {
      const next = await admin.call<RadOrder>('POST', `/radiology/orders/${o.id}/${path}`, {
        ...body,
        version: o.version,
      });
      o.version = next.version;
    };
    const checklist = { identityConfirmed: true, pregnancyStatus: 'not-pregnant' };
    const performed = async (procedureCode: string, time: string, extra: Record<string, unknown> = {}) => {
      const o = await order(procedureCode, extra);
      await step(o, 'booking', { roomId: xray.id, startsAt: at(time) });
      await step(o, 'arrive', { checklist });
      await step(o, 'start');
      return o;
    };
    // Waiting to be booked (today), and in progress (tomorrow 10:00).
    await order('RAD-CT-CHEST-C', { priority: 'urgent' });
    await performed('RAD-CXR-PA', '10:00');
    const knee = await performed('RAD-XR-KNEE', '11:00', { laterality: 'left' });
    await step(knee, 'complete', { numberOfImages: 2 });
    const kneeReport = await admin.call<{ id: string; version: number }>(
      'POST',
      `/radiology/orders/${knee.id}/report`,
    );
    await admin.call('POST', `/radiology/reports/${kneeReport.id}/sign`, {
      findings: 'Displaced fracture of the left femoral neck.',
      impression: 'Displaced left femoral neck fracture.',
      criticalFinding: { text: 'Displaced left femoral neck fracture', category: 'urgent' },
      version: kneeReport.version,
    });
    const skull = await performed('RAD-XR-SKULL', '12:00');
    await step(skull, 'complete', {});

    const { context, page } = await openApp(browser, server.baseUrl);
    await signIn(page, server.adminEmail, server.adminPassword);
    await visible(page.getByRole('heading', { level: 1, name: /Welcome/ }));
    const findings: Finding[] = [];
    const settle = () => page.waitForLoadState('networkidle', { timeout: 30_000 }).catch(() => undefined);
    const radiologyPages: [string, () => Promise<unknown>, string][] = [
      [
        '/radiology/rooms',
        () =>
          visible(page.getByRole('table', { name: 'Radiology rooms' }).getByRole('row', { name: /XR-AXE/ })),
        'radiology rooms',
      ],
      [
        `/radiology/scheduling?date=${tomorrow}`,
        () =>
          visible(
            page
              .getByRole('table', { name: 'Bookings of X-ray room Axe' })
              .getByRole('row', { name: /11:00/ }),
          ),
        'radiology scheduling',
      ],
      [
        '/radiology/worklist',
        () =>
          visible(
            page.getByRole('table', { name: 'Radiology worklist' }).getByRole('row', { name: /CT chest/ }),
          ),
        'radiology worklist',
      ],
      [
        '/radiology/reporting',
        () =>
          visible(page.getByRole('table', { name: 'To report' }).getByRole('row', { name: /X-ray skull/ })),
        'radiology reporting',
      ],
      [
        '/radiology/reporting?tab=critical',
        () =>
          visible(
            page
              .getByRole('table', { name: 'Imaging critical findings to acknowledge' })
              .getByRole('row', { name: /Lakshmi Nair/ }),
          ),
        'radiology critical findings',
      ],
      [
        `/radiology/orders/${knee.id}/report`,
        () => visible(page.getByTestId('report-critical-finding')),
        'signed radiology report',
      ],
      [
        `/patients/${lakshmi.id}?tab=imaging`,
        () => visible(page.getByRole('table', { name: 'Imaging studies' }).getByTestId('critical-finding')),
        'patient imaging',
      ],
    ];
    for (const [path, ready, name] of radiologyPages) {
      await page.goto(path);
      await ready();
      await settle();
      findings.push(...(await audit(page, name)));
    }

    const dialogs: [string, () => Promise<unknown>, string, string][] = [
      [
        '/radiology/rooms',
        () => page.getByRole('button', { name: 'New room' }).click(),
        'New room',
        'room dialog',
      ],
      [
        `/radiology/scheduling?date=${tomorrow}`,
        () => page.getByRole('button', { name: 'Book CT chest with contrast for Lakshmi Nair' }).click(),
        'Book study',
        'booking dialog',
      ],
      [
        `/radiology/scheduling?date=${tomorrow}`,
        () => page.getByRole('button', { name: 'Preparation for Lakshmi Nair' }).first().click(),
        'Preparation: CT chest with contrast',
        'preparation dialog',
      ],
      [
        '/radiology/worklist',
        () => page.getByRole('button', { name: 'Arrived: Lakshmi Nair, CT chest with contrast' }).click(),
        'Patient arrived',
        'arrival checklist dialog',
      ],
      [
        `/radiology/worklist?date=${tomorrow}`,
        () => page.getByRole('button', { name: 'Complete Chest X-ray PA view of Lakshmi Nair' }).click(),
        'Complete study',
        'complete study dialog',
      ],
      [
        '/laboratory/critical-alerts',
        () =>
          page.getByRole('button', { name: 'Acknowledge X-ray knee AP and lateral of Lakshmi Nair' }).click(),
        'Acknowledge critical finding',
        'acknowledge critical finding dialog',
      ],
    ];
    for (const [path, open, title, name] of dialogs) {
      await page.goto(path);
      await open();
      const dialog = await visible(page.getByRole('dialog', { name: title }));
      await settle();
      findings.push(...(await audit(page, name)));
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
    }

    // The report editor opened from the template, and its sign-off dialog with a critical finding.
    await page.goto('/radiology/reporting');
    await page.getByRole('button', { name: 'Report X-ray skull AP and lateral of Lakshmi Nair' }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'Report: X-ray skull AP and lateral' }));
    await visible(field(page, 'Findings'));
    await settle();
    findings.push(...(await audit(page, 'radiology report editor')));
    await page.getByRole('button', { name: 'Sign report' }).click();
    const sign = await visible(page.getByRole('dialog', { name: 'Sign report' }));
    await sign.getByRole('checkbox', { name: /^Critical finding/ }).check();
    await visible(field(sign, 'Critical finding'));
    findings.push(...(await audit(page, 'sign radiology report dialog')));
    await page.keyboard.press('Escape');

    // The walk-in counter with a procedure that has a side.
    await page.goto(`/radiology/walk-in?patientId=${lakshmi.id}`);
    await page.getByRole('combobox', { name: 'Procedure' }).fill('knee');
    await page.getByRole('option', { name: /^X-ray knee AP and lateral/ }).click();
    await visible(page.getByTestId('procedure-preparation'));
    await visible(page.getByRole('combobox', { name: 'Side' }));
    findings.push(...(await audit(page, 'radiology walk-in')));

    const serious = findings.filter((f) => f.impact === 'serious');
    if (serious.length > 0) console.warn('serious axe findings:', JSON.stringify(serious, null, 2));
    const moderate = findings.filter((f) => f.impact !== 'serious' && f.impact !== 'critical');
    if (moderate.length > 0) console.info('other axe findings:', JSON.stringify(moderate, null, 2));
    expect(findings.filter((f) => f.impact === 'critical')).toEqual([]);
    expect(serious).toEqual([]);
    await context.close();
  }, 300_000);
});
