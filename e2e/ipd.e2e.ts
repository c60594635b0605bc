import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiSession, apiSignIn, createStaffMember, registerPatient } from './support/api';
import { choose, eventually, field, signIn, text, visible } from './support/app';
import { launchBrowser, openApp } from './support/browser';
import { createClinic, createDoctor, type Doctor } from './support/opd';
import { startServer, type TestServer } from './support/server';

// Issue #5, "Done when": in the browser, admit a patient from OPD to a bed, transfer to ICU, chart vitals (NEWS2
// alerts), plan and sign a discharge, housekeeping cleans the bed, and the board shows every step live.

let server: TestServer;
let browser: Browser;
let admin: ApiSession;
let doctor: Doctor;
let doctorApi: ApiSession;

const DOCTOR = { email: 'meera.rao@example.org', password: 'Meera-Admits-2026!' };
const HOUSEKEEPER = { email: 'sunil.hk@example.org', password: 'Sunil-Cleans-2026!' };
const PHONE = { width: 390, height: 844 };

type Task = { id: string; bedId: string | null; status: string };
type Bed = { id: string; code: string };

/** Wards, rooms and beds as the administrator set them up: a general ward with a public display, and an ICU. */
async function createWards(): Promise<Record<string, Bed>> {
  const general = await admin.call<{ id: string }>('POST', '/ipd/bed-categories', {
    code: 'GEN',
    name: 'General',
    tariffClass: 'general',
  });
  const icu = await admin.call<{ id: string }>('POST', '/ipd/bed-categories', {
    code: 'ICU',
    name: 'Intensive care',
    tariffClass: 'icu',
    intensiveCare: true,
  });
  const ward3 = await admin.call<{ id: string }>('POST', '/ipd/wards', {
    code: 'W3',
    name: 'Ward 3 Medicine',
    kind: 'general',
    floor: '3',
    displayCode: 'W3-BOARD',
  });
  const micu = await admin.call<{ id: string }>('POST', '/ipd/wards', {
    code: 'MICU',
    name: 'Medical ICU',
    kind: 'icu',
    floor: '2',
  });
  const room3 = await admin.call<{ id: string }>('POST', '/ipd/rooms', {
    wardId: ward3.id,
    code: 'R1',
    name: 'Room 1',
  });
  const roomIcu = await admin.call<{ id: string }>('POST', '/ipd/rooms', {
    wardId: micu.id,
    code: 'C1',
    name: 'Cubicle 1',
  });
  const beds: Record<string, Bed> = {};
  for (const [roomId, categoryId, code] of [
    [room3.id, general.id, 'W3-01'],
    [room3.id, general.id, 'W3-02'],
    [roomIcu.id, icu.id, 'ICU-01'],
  ] as const) {
    beds[code] = await admin.call<Bed>('POST', '/ipd/beds', { roomId, categoryId, code });
  }
  return beds;
}

/** The status a bed tile of a board shows (staff and public boards mark tiles alike). */
async function tileStatus(page: Page, code: string): Promise<string | null> {
  return page.getByTestId(`bed-tile-${code}`).getAttribute('data-status');
}

async function expectTile(page: Page, code: string, status: string): Promise<void> {
  await eventually(async () => expect(await tileStatus(page, code)).toBe(status), 15_000);
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  admin = await apiSignIn(server.serverUrl, server.adminEmail, server.adminPassword);
  const user = await createStaffMember(admin, { ...DOCTOR, displayName: 'Meera Rao', role: 'doctor' });
  await createStaffMember(admin, { ...HOUSEKEEPER, displayName: 'Sunil Pawar', role: 'housekeeping' });
  const clinic = await createClinic(admin, { departmentCode: 'MED', roomName: 'Room 4', boardCode: 'R4' });
  doctor = await createDoctor(admin, clinic, {
    userId: user.id,
    displayName: 'Dr. Meera Rao',
    dates: [clinic.today],
  });
  doctorApi = await apiSignIn(server.serverUrl, DOCTOR.email, DOCTOR.password);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('an in-patient stay, from the OPD to a clean bed', () => {
  it('admits from OPD, moves to ICU, charts a NEWS2 alert, discharges and turns the bed over, live on the boards', async () => {
    const beds = await createWards();
    const patient = await registerPatient(admin, {
      name: { given: 'Kamala', family: 'Deshpande' },
      sex: 'female',
      birth: { birthDate: '1956-08-14' },
      phones: [{ number: '9822055501' }],
    });
    await admin.call('POST', '/opd/queue/check-in', {
      patientId: patient.id,
      practitionerId: doctor.practitionerId,
    });
    const { encounterId } = await doctorApi.call<{ encounterId: string }>(
      'POST',
      '/opd/worklist/call-next',
      {},
    );

    // The bed manager's board (staff) and the ward's public display stay open, never reloaded.
    const manager = await openApp(browser, server.baseUrl);
    const board = manager.page;
    await signIn(board, server.adminEmail, server.adminPassword);
    await visible(board.getByRole('heading', { level: 1, name: /Welcome/ }));
    await board.goto('/ipd/beds');
    await visible(board.getByRole('heading', { level: 1, name: 'Bed board' }));
    await eventually(async () =>
      expect(await board.getByTestId('board-connection').getAttribute('data-state')).toBe('live'),
    );
    await expectTile(board, 'W3-01', 'available');
    await expectTile(board, 'ICU-01', 'available');
    expect(await text(board.getByTestId('requests-waiting'))).toBe('No admission request waiting');

    const tv = await openApp(browser, server.baseUrl);
    const display = tv.page;
    await display.goto('/display/beds/W3-BOARD');
    await visible(display.getByRole('heading', { level: 1, name: 'Ward 3 Medicine' }));
    await expectTile(display, 'W3-01', 'available');

    const { context, page } = await openApp(browser, server.baseUrl);
    await signIn(page, DOCTOR.email, DOCTOR.password);
    await visible(page.getByRole('heading', { level: 1, name: /Welcome/ }));

    // 1. In the consultation, Dr. Rao asks for a bed: an admission request from OPD.
    await page.goto(`/consultation/${encounterId}`);
    await visible(page.getByRole('heading', { level: 1, name: 'Consultation: Kamala Deshpande' }));
    await page.getByRole('button', { name: 'Admit', exact: true }).click();
    const requestDialog = page.getByRole('dialog', { name: 'Admit Kamala Deshpande' });
    await choose(requestDialog, page, 'Priority', 'Urgent');
    await choose(requestDialog, page, 'Ward wanted', 'General');
    await field(requestDialog, 'Reason for admission').fill(
      'Community-acquired pneumonia, hypoxic on room air',
    );
    await requestDialog.getByRole('button', { name: 'Request admission' }).click();
    await visible(page.getByTestId('admission-requested'));

    // 2. At the admission desk the request is admitted into bed W3-01, with the form's details.
    await page.getByTestId('admission-requested').getByRole('link', { name: 'Admission desk' }).click();
    const requests = page.getByRole('table', { name: 'Admission requests' });
    const row = requests.getByRole('row', { name: /Kamala Deshpande/ });
    await visible(row.getByText('Urgent'));
    await visible(row.getByText('Waiting for a bed'));
    await row.getByRole('button', { name: 'Admit Kamala Deshpande' }).click();
    const admit = page.getByRole('dialog', { name: 'Admit patient' });
    await visible(admit.getByText(`MRN ${patient.mrn}`));
    await visible(admit.getByRole('combobox', { name: 'Admitting doctor' }).getByText('Dr. Meera Rao'));
    await admit.getByRole('combobox', { name: 'Provisional diagnosis code (ICD-10)' }).fill('J18');
    await page.getByRole('option', { name: /^J18/ }).first().click();
    await field(admit, 'Expected length of stay (days)').fill('5');
    await admit.getByRole('combobox', { name: 'Bed' }).click();
    await page.getByRole('option', { name: /^W3-01 · room R1 · GEN \(general\)/ }).click();
    await choose(admit, page, 'Payer category', 'Insurance');
    await field(admit, 'Insurer or TPA').fill('Star Health');
    await field(admit, 'Policy number').fill('SH-44-2026');
    await field(admit, 'Attendant name').fill('Anil Deshpande');
    await field(admit, 'Relationship').fill('Son');
    await field(admit, 'Attendant phone').fill('9822055502');
    await field(admit, 'Consent signed by').fill('Kamala Deshpande');
    await admit.getByRole('button', { name: 'Admit', exact: true }).click();
    await visible(page.getByRole('heading', { level: 1, name: /^Admission .+: Kamala Deshpande$/ }));
    const admissionId = /\/ipd\/admissions\/([0-9a-f-]{36})/.exec(page.url())?.[1] ?? '';
    expect(admissionId).not.toBe('');
    expect(await text(page.getByTestId('bed-now'))).toMatch(/^Ward 3 Medicine · bed W3-01/);
    const admitted = await admin.call<{
      payerCategory: string;
      payerDetails: { payerName: string };
      provisionalDiagnosisCode: string;
      source: string;
      sourceEncounterId: string;
      attendant: { name: string };
      consent: { signedBy: string };
      expectedDischargeDate: string;
    }>('GET', `/ipd/admissions/${admissionId}`);
    expect(admitted).toMatchObject({
      source: 'opd',
      sourceEncounterId: encounterId,
      payerCategory: 'insurance',
      payerDetails: { payerName: 'Star Health' },
      attendant: { name: 'Anil Deshpande' },
      consent: { signedBy: 'Kamala Deshpande' },
    });
    expect(admitted.provisionalDiagnosisCode).toMatch(/^J18/);

    // The staff board and the public display turn W3-01 occupied without a reload; the display shows no name.
    await expectTile(board, 'W3-01', 'occupied');
    expect(await text(board.getByTestId('bed-tile-W3-01'))).toContain(`K D · MRN ${patient.mrn}`);
    await expectTile(display, 'W3-01', 'occupied');
    expect(await text(display.getByTestId('bed-tile-W3-01'))).toContain(patient.mrn);
    expect(await display.getByText('Kamala').count()).toBe(0);

    // 3. She desaturates: transferred to the ICU. The history keeps both periods; W3-01 goes to cleaning.
    await page.getByRole('button', { name: 'Transfer' }).click();
    const transfer = page.getByRole('dialog', { name: 'Transfer to another bed' });
    await transfer.getByRole('combobox', { name: 'New bed' }).click();
    await page.getByRole('option', { name: /^ICU-01 · room C1 · ICU \(icu\)/ }).click();
    await field(transfer, 'Reason for the transfer').fill('SpO2 88% on 4 L oxygen: needs ICU care');
    await transfer.getByRole('button', { name: 'Transfer' }).click();
    await eventually(async () =>
      expect(await text(page.getByTestId('bed-now'))).toMatch(/^Medical ICU · bed ICU-01/),
    );
    const history = page.getByRole('table', { name: 'Bed history' });
    await eventually(async () => expect(await history.locator('tbody tr').count()).toBe(2));
    await visible(history.getByRole('row', { name: /Ward 3 Medicine.*W3-01.*general/ }));
    await visible(history.getByRole('row', { name: /Medical ICU.*ICU-01.*icu.*now/ }));
    await expectTile(board, 'ICU-01', 'occupied');
    await expectTile(board, 'W3-01', 'cleaning');
    await expectTile(display, 'W3-01', 'cleaning');

    // 4. The nurse charts a set of vitals with NEWS2 >= 7: the chart raises the alert.
    await page.getByRole('link', { name: 'Nursing chart' }).click();
    const vitals = page.getByRole('form', { name: 'Chart vitals' });
    await visible(vitals);
    await field(vitals, 'Respiratory rate').fill('26');
    await field(vitals, 'SpO₂').fill('90');
    await field(vitals, 'BP systolic').fill('96');
    await field(vitals, 'BP diastolic').fill('58');
    await field(vitals, 'Pulse').fill('124');
    await field(vitals, 'Temperature').fill('39.3');
    await vitals.getByLabel('On oxygen').check();
    await vitals.getByRole('button', { name: 'Chart vitals' }).click();
    const alert = page.getByTestId('news2-alert');
    await visible(alert);
    const score = Number(/NEWS2 (\d+)/.exec(await text(alert))?.[1]);
    expect(score).toBeGreaterThanOrEqual(7);
    const warnings = await doctorApi.call<{ items: { score: number }[] }>(
      'GET',
      `/ipd/admissions/${admissionId}/early-warnings`,
    );
    expect(warnings.items.some((w) => w.score === score)).toBe(true);

    // 5. She improves. Discharge is planned for today and initiated: the checklist opens.
    await page.goto(`/ipd/admissions/${admissionId}`);
    await visible(page.getByRole('heading', { level: 1, name: /Kamala Deshpande$/ }));
    const today = await page.evaluate(() => new Date().toISOString().slice(0, 10));
    const facilityToday = (await admin.call<{ date: string }>('GET', '/ipd/bed-board')).date;
    await field(page, 'Expected discharge date').fill(facilityToday ?? today);
    await page.getByRole('button', { name: 'Save date' }).click();
    await eventually(async () =>
      expect(await text(page.getByTestId('expected-discharge'))).not.toBe('not planned yet'),
    );
    await choose(page, page, 'Discharge type', 'Normal (on advice)');
    await page.getByRole('button', { name: 'Initiate discharge' }).click();
    const checklist = page.getByRole('table', { name: 'Discharge checklist' });
    await visible(checklist.getByRole('row', { name: /Discharge summary signed.*Pending/ }));
    expect(await page.getByRole('button', { name: 'Complete discharge' }).isDisabled()).toBe(true);

    // 6. Dr. Rao writes the discharge summary (pre-filled from the record) and signs it: its item clears itself.
    await page.getByRole('link', { name: 'Write the summary' }).click();
    await page.getByRole('button', { name: 'Start discharge summary' }).click();
    await field(page, 'Condition at discharge').fill('Afebrile, SpO2 96% on room air, walking unaided.');
    await field(page, 'Advice').fill('Complete oral antibiotics; return if breathless.');
    await page.getByRole('button', { name: 'Sign summary' }).click();
    await visible(page.getByTestId('discharge-summary-status').getByText(/Signed/));
    await page.goto(`/ipd/admissions/${admissionId}`);
    await eventually(async () =>
      expect(await text(page.getByTestId('summary-status'))).toMatch(/^Signed by/),
    );
    await visible(checklist.getByRole('row', { name: /Discharge summary signed.*Cleared/ }));

    // 7. The ward clears the rest of the checklist with notes, and completes the discharge.
    for (const item of ['Nursing clearance', 'Pharmacy returns']) {
      await checklist.getByRole('button', { name: new RegExp(`^Clear: ${item}`) }).click();
      const dialog = page.getByRole('dialog', { name: new RegExp(`^Clear: ${item}`) });
      await field(dialog, 'Note').fill(`${item} done with the family`);
      await dialog.getByRole('button', { name: 'Clear' }).click();
      await visible(checklist.getByRole('row', { name: new RegExp(`${item}.*Cleared`) }));
    }
    // Billing holds the discharge until the stay's final bill is settled. Nothing was charged in this test
    // hospital (no charge master), so the billing desk's final bill is a zero bill, and the item clears itself.
    await visible(checklist.getByRole('row', { name: /Final bill settled.*Pending/ }));
    const accounts = await admin.call<{ items: { id: string; admissionId: string | null }[] }>(
      'GET',
      `/billing/patients/${patient.id}/accounts`,
    );
    const stayAccount = accounts.items.find((a) => a.admissionId === admissionId);
    expect(stayAccount).toBeDefined();
    await admin.call('POST', `/billing/accounts/${stayAccount?.id}/invoices`, { kind: 'ipd-final' });
    await eventually(async () => {
      await page.reload();
      await visible(checklist.getByRole('row', { name: /Final bill settled.*Cleared/ }), 2_000);
    });
    await eventually(async () =>
      expect(await text(page.getByTestId('pending-clearances'))).toBe(
        'Everything is cleared: the patient may leave.',
      ),
    );
    await page.getByRole('button', { name: 'Complete discharge' }).click();
    await page
      .getByRole('dialog', { name: 'Complete the discharge' })
      .getByRole('button', { name: 'Discharge' })
      .click();
    await visible(page.getByTestId('discharged'));
    expect(await text(page.getByTestId('admission-status'))).toBe('Discharged');
    // The ICU bed waits for housekeeping.
    await expectTile(board, 'ICU-01', 'cleaning');
    await context.close();

    // 8. Housekeeping cleans both beds on a phone; each turns available on the boards as it is finished.
    const phone = await openApp(browser, server.baseUrl, PHONE);
    const hk = phone.page;
    await signIn(hk, HOUSEKEEPER.email, HOUSEKEEPER.password);
    await visible(hk.getByRole('heading', { level: 1, name: /Welcome/ }));
    await hk.goto('/housekeeping');
    await visible(hk.getByRole('heading', { level: 1, name: 'Housekeeping' }));
    for (const [ward, code] of [
      ['Medical ICU', 'ICU-01'],
      ['Ward 3 Medicine', 'W3-01'],
    ] as const) {
      const card = hk.getByRole('list', { name: 'Open queue' }).getByRole('listitem', {
        name: new RegExp(`^Bed cleaning: ${ward}.*${code}`),
      });
      await card.getByRole('button', { name: 'Start' }).click();
      const mine = hk.getByRole('list', { name: 'My tasks' }).getByRole('listitem', {
        name: new RegExp(`^Bed cleaning: ${ward}.*${code}`),
      });
      await mine.getByRole('button', { name: 'Finish' }).click();
      await expectTile(board, code, 'available');
    }
    const overflow = await hk.evaluate('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    const done = await admin.call<{ items: Task[] }>('GET', '/facilities/housekeeping/tasks');
    expect(done.items.filter((t) => t.bedId === beds['ICU-01']?.id || t.bedId === beds['W3-01']?.id)).toEqual(
      [],
    );
    await phone.context.close();
    await expectTile(display, 'W3-01', 'available');
    expect(await board.getByTestId('board-connection').getAttribute('data-state')).toBe('live');
    await manager.context.close();
    await tv.context.close();
  }, 240_000);
});
