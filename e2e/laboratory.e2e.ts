import AxeBuilder from '@axe-core/playwright';
import { Hl7Message } from '@medplum/core';
import { Hl7Client } from '@medplum/hl7';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiSession,
  apiSignIn,
  createStaffMember,
  type RegisteredPatient,
  registerPatient,
} from './support/api';
import { columnTexts, eventually, field, goTo, signIn, text, visible } from './support/app';
import { launchBrowser, openApp } from './support/browser';
import { freePort, startServer, type TestServer } from './support/server';

// Issue #8, "Done when" (the laboratory in the browser): a doctor orders a CBC and a STAT potassium in the
// consultation; the nurse prints the tube labels and marks the tubes collected; the lab scans each accession, sees
// the tube and receives it; the chemistry analyzer sends a potassium of 6.9 over HL7 v2 and a technician types the
// CBC, the ranges of the patient's sex and age shown before typing; the technician cannot validate what they
// entered; the pathologist opens on the queue of results awaiting validation (the STAT potassium first) and
// validates; the doctor sees the critical value in the top bar, reads it back (a wrong read-back is refused) and
// finds the result in the patient's record. At the counter, the front desk orders from the catalog, and reception
// rejects a haemolysed tube without receiving it.

let server: TestServer;
let browser: Browser;
let admin: ApiSession;
let doctorApi: ApiSession;
let hl7Port: number;

const DOCTOR = { email: 'dr.anil@example.org', password: 'Anil-Orders-Labs-2026!' };
const NURSE = { email: 'sr.leela@example.org', password: 'Leela-Draws-Blood-2026!' };
const TECHNICIAN = { email: 'ravi.lab@example.org', password: 'Ravi-Runs-The-Bench-2026!' };
const DESK = { email: 'anita.desk@example.org', password: 'Anita-Takes-Walk-Ins-2026!' };
const PATHOLOGIST = { email: 'dr.sen.path@example.org', password: 'Sen-Validates-2026!' };
const RADIOLOGIST = { email: 'dr.rao.rad@example.org', password: 'Rao-Reads-Films-2026!' };

type Sample = { id: string; accession: string; container: string; status: string };
type Result = {
  id: string;
  testCode: string;
  testName: string;
  status: string;
  value: number | null;
  flag: string | null;
};
type LabRequest = {
  id: string;
  code: string;
  status: string;
  priority: string;
  samples: (Sample & { receivedAt: string | null; rejectionReason: string | null })[];
  results: Result[];
};
type EncounterOrder = {
  id: string;
  display: string;
  fulfilmentStatus: string;
  fulfilmentNote: string | null;
};
type Unmatched = { id: string; orderId: string; display: string; reason: string; status: string };
type RadOrder = { id: string; status: string; version: number };
type CriticalAlert = { id: string; status: string; readBack: string | null; value: number; flag: string };

// A normal adult CBC but for a low haemoglobin (an anaemia the doctor will see flagged L).
const CBC_VALUES: Record<string, string> = {
  HB: '9.1',
  RBC: '4.1',
  HCT: '31.5',
  MCV: '77',
  MCH: '22.2',
  MCHC: '28.9',
  RDW: '16.1',
  WBC: '7.8',
  NEUT_PCT: '62',
  LYMPH_PCT: '28',
  MONO_PCT: '6',
  EOS_PCT: '3',
  BASO_PCT: '1',
  NEUT_ABS: '4.84',
  LYMPH_ABS: '2.18',
  MONO_ABS: '0.47',
  EOS_ABS: '0.23',
  BASO_ABS: '0.08',
  PLT: '250',
  MPV: '9.5',
};

/** Signs a staff member in, in a fresh browser profile. */
async function session(email: string, password: string): Promise<{ context: BrowserContext; page: Page }> {
  const opened = await openApp(browser, server.baseUrl);
  await signIn(opened.page, email, password);
  await visible(opened.page.getByRole('heading', { level: 1, name: /Welcome/ }));
  return opened;
}

/** The chemistry analyzer's ORU^R01 for one tube, sent over MLLP; the ACK's MSA-1. */
async function analyzerSends(accession: string, mrn: string, loinc: string, value: string, unit: string) {
  const message = [
    `MSH|^~\\&|COBAS-C311|LAB|NEWHMS||20260127101500+0530||ORU^R01^ORU_R01|K-${accession}|P|2.5.1`,
    `PID|1||${mrn}^^^NEWHMS^MR||Menon^Kamala`,
    `OBR|1||${accession}|${loinc}^Potassium^LN|||20260127093000+0530||||||||||||||||||F`,
    `OBX|1|NM|${loinc}^Potassium^LN||${value}|${unit}^^UCUM|3.5-5.1|HH|||F`,
  ].join('\r');
  const client = new Hl7Client({ host: '127.0.0.1', port: hl7Port });
  try {
    const ack = await client.sendAndWait(Hl7Message.parse(message), { timeoutMs: 10_000 });
    return ack.getSegment('MSA')?.getComponent(1, 1);
  } finally {
    await client.close();
  }
}

/** Critical and serious axe violations on the page as it stands (the new screens' share of accessibility.e2e). */
async function axeViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'critical' || v.impact === 'serious')
    .map(
      (v) =>
        `${v.id}: ${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 3)
          .join(', ')}`,
    );
}

/** Whether the field has the keyboard focus. */
async function hasFocus(locator: Locator): Promise<boolean> {
  return locator.evaluate(
    (el: { ownerDocument: { activeElement: unknown } }) => el === el.ownerDocument.activeElement,
  );
}

/** Waits for a PDF the page opens in a new tab (a label, a report): the API's answer and the tab. */
async function opensPdf(page: Page, context: BrowserContext, path: RegExp, click: () => Promise<void>) {
  const response = page.waitForResponse((r) => path.test(new URL(r.url()).pathname));
  const tab = context.waitForEvent('page');
  await click();
  const pdf = await response;
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()['content-type']).toContain('application/pdf');
  const opened = await tab;
  await eventually(async () => expect(opened.url()).toMatch(/^blob:/));
  await opened.close();
}

async function requestsOf(patient: RegisteredPatient): Promise<LabRequest[]> {
  return admin.call<LabRequest[]>('GET', `/laboratory/requests?patientId=${patient.id}`);
}

beforeAll(async () => {
  hl7Port = await freePort();
  server = await startServer({ hl7Port });
  browser = await launchBrowser();
  admin = await apiSignIn(server.serverUrl, server.adminEmail, server.adminPassword);
  await createStaffMember(admin, { ...DOCTOR, displayName: 'Dr Anil Kapoor', role: 'doctor' });
  await createStaffMember(admin, { ...NURSE, displayName: 'Sr Leela George', role: 'nurse' });
  await createStaffMember(admin, { ...TECHNICIAN, displayName: 'Ravi Technician', role: 'lab-technician' });
  await createStaffMember(admin, { ...DESK, displayName: 'Anita Desk', role: 'front-desk' });
  // A hospital's pathologists validate; they do not work the bench (no laboratory:process).
  await admin.call('POST', '/access/roles', {
    name: 'pathologist',
    description: 'Validates laboratory results',
    // organization:read: the facility's time zone, by which the turnaround page counts its days.
    permissions: ['patients:read', 'organization:read', 'laboratory:read', 'laboratory:validate'],
  });
  await createStaffMember(admin, { ...PATHOLOGIST, displayName: 'Dr Mitra Sen', role: 'pathologist' });
  await createStaffMember(admin, { ...RADIOLOGIST, displayName: 'Dr Vikram Rao', role: 'radiologist' });
  doctorApi = await apiSignIn(server.serverUrl, DOCTOR.email, DOCTOR.password);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the laboratory, from the order to the read-back', () => {
  it('orders, collects, receives, results (analyzer and hand), validates, calls the critical potassium back and files it in the record with the X-ray report', async () => {
    const kamala = await registerPatient(admin, {
      name: { given: 'Kamala', family: 'Menon' },
      sex: 'female',
      birth: { birthDate: '1958-03-14' },
      phones: [{ number: '9847012345' }],
    });
    const visit = await doctorApi.call<{ id: string }>('POST', '/encounters', {
      patientId: kamala.id,
      class: 'ambulatory',
      reason: 'Tiredness, on an ACE inhibitor and spironolactone',
    });
    const ordersOfVisit = async () =>
      (await doctorApi.call<{ orders: EncounterOrder[] }>('GET', `/encounters/${visit.id}`)).orders;
    // 0. Earlier in the visit the doctor typed a test the laboratory does not do (no catalog code): the lab does
    //    not take it and lists it for a call back.
    await doctorApi.call('POST', `/encounters/${visit.id}/orders`, {
      category: 'laboratory',
      display: 'Vitamin Q level',
    });

    // 1. The doctor orders a CBC and a STAT potassium from the laboratory catalog in the consultation.
    const doc = await session(DOCTOR.email, DOCTOR.password);
    let page = doc.page;
    await page.goto(`/consultation/${visit.id}`);
    await visible(page.getByRole('heading', { level: 1, name: 'Consultation: Kamala Menon' }));
    const orderField = page.getByRole('combobox', { name: 'Test or procedure' });
    const pickOrder = async (text: string, option: RegExp) => {
      await orderField.fill(text);
      await page.getByRole('option', { name: option }).first().click();
    };
    // The patient's record across visits is read again after each order; slowed here, the doctor types the next
    // order while it loads, and what is typed must stay (the form once cleared itself when that read finished).
    await page.route(/\/api\/v1\/patients\/[^/]+\/(encounters|vitals|problems)/, async (route) => {
      await new Promise((r) => setTimeout(r, 1_500));
      await route.continue();
    });
    await pickOrder('complete blood', /^Complete blood count with differential · CBC/);
    await page.getByRole('button', { name: 'Place order' }).click();
    const orders = page.getByRole('table', { name: 'Orders' });
    await visible(
      orders.getByRole('row', { name: /Complete blood count with differential.*Routine.*Ordered/ }),
    );
    await pickOrder('potassium', /^Potassium · K · Biochemistry/);
    await page.getByRole('combobox', { name: 'Priority' }).click();
    await page.getByRole('option', { name: 'STAT', exact: true }).click();
    await page.getByRole('button', { name: 'Place order' }).click();
    await visible(orders.getByRole('row', { name: /Potassium.*STAT.*Ordered/ }));
    // ... and a chest X-ray (PA view) from the imaging catalog.
    await page.getByRole('combobox', { name: 'Order kind' }).click();
    await page.getByRole('option', { name: 'Imaging', exact: true }).click();
    await pickOrder('chest x-ray pa', /^Chest X-ray PA view · RAD-CXR-PA · X-ray/);
    await page.getByRole('button', { name: 'Place order' }).click();
    await visible(orders.getByRole('row', { name: /Chest X-ray PA view.*Routine.*Ordered/ }));
    // The lab turns each order into a request with its tubes, radiology into an order (events later); the
    // visit's Laboratory section says they await collection. The unmatched test is a warning in words, with the
    // lab's reason, on the doctor's orders.
    await eventually(async () => expect(await requestsOf(kamala)).toHaveLength(2), 20_000);
    const radOrdersOfVisit = () => admin.call<RadOrder[]>('GET', `/radiology/orders?encounterId=${visit.id}`);
    await eventually(async () => expect(await radOrdersOfVisit()).toHaveLength(1), 20_000);
    await eventually(async () => {
      const unmatched = (await ordersOfVisit()).find((o) => o.display === 'Vitamin Q level');
      expect(unmatched?.fulfilmentStatus).toBe('not-matched');
    }, 20_000);
    const [unmatched] = await admin.call<Unmatched[]>('GET', '/laboratory/unmatched-orders');
    expect(unmatched).toMatchObject({ display: 'Vitamin Q level', status: 'open' });
    await page.unrouteAll({ behavior: 'wait' });
    await page.reload();
    const visitLab = page.getByRole('table', { name: 'Laboratory requests of this visit' });
    await visible(visitLab.getByRole('row', { name: /Potassium.*STAT.*Awaiting collection/ }));
    await visible(visitLab.getByRole('row', { name: /Complete blood count.*Awaiting collection/ }));
    const notTaken = orders.getByRole('row', { name: /Vitamin Q level/ }).getByTestId('order-fulfilment');
    await visible(notTaken.getByText('Not accepted by lab'));
    await visible(notTaken.getByText(unmatched?.reason ?? '', { exact: true }));
    await doc.context.close();
    const requests0 = await requestsOf(kamala);
    expect(requests0).toHaveLength(2);

    // 1b. Kamala walks over to radiology: the radiographer records her arrival, takes the film in the X-ray room
    //     and completes the study (through the API: e2e/radiology.e2e.ts walks these steps in the browser).
    const room = await admin.call<{ id: string }>('POST', '/radiology/rooms', {
      code: 'xr-1',
      name: 'X-ray room 1',
      modality: 'XR',
    });
    let [xray] = await radOrdersOfVisit();
    if (!xray) throw new Error('no radiology order');
    xray = await admin.call<RadOrder>('POST', `/radiology/orders/${xray.id}/arrive`, {
      checklist: { identityConfirmed: true },
      version: xray.version,
    });
    xray = await admin.call<RadOrder>('POST', `/radiology/orders/${xray.id}/start`, {
      roomId: room.id,
      version: xray.version,
    });
    xray = await admin.call<RadOrder>('POST', `/radiology/orders/${xray.id}/complete`, {
      numberOfImages: 2,
      version: xray.version,
    });
    expect(xray.status).toBe('completed');
    const requests = await requestsOf(kamala);
    const cbc = requests.find((r) => r.code === 'CBC');
    const potassium = requests.find((r) => r.code === 'K');
    const edta = cbc?.samples[0];
    const sst = potassium?.samples[0];
    if (!cbc || !potassium || !edta || !sst) throw new Error('the requests have no tubes');

    // 2. The nurse's collection list: Kamala's two tubes, the STAT one first. She prints the potassium tube's
    //    label and marks both collected (now, by her).
    const nurse = await session(NURSE.email, NURSE.password);
    page = nurse.page;
    await goTo(page, 'Sample collection');
    const tubes = page.getByRole('table', { name: 'Tubes to draw for Kamala Menon' });
    await visible(tubes.locator('tbody tr'));
    expect(await columnTexts(tubes, 'Accession')).toEqual([sst.accession, edta.accession]);
    expect(await columnTexts(tubes, 'Priority')).toEqual(['STAT', 'Routine']);
    await opensPdf(page, nurse.context, /\/laboratory\/samples\/[0-9a-f-]+\/label$/, () =>
      tubes.getByRole('button', { name: `Print label ${sst.accession}` }).click(),
    );
    for (const accession of [sst.accession, edta.accession]) {
      await page.getByRole('button', { name: `Collected ${accession}` }).click();
      const dialog = page.getByRole('dialog', { name: `Collected ${accession}` });
      expect(await field(dialog, 'Collected at').inputValue()).not.toBe('');
      await dialog.getByRole('button', { name: 'Mark collected' }).click();
      await visible(
        page.getByRole('status').getByText(`${accession} collected from Kamala Menon`, { exact: false }),
      );
    }
    await tubes.waitFor({ state: 'detached' });
    await nurse.context.close();

    // 3. The technician scans each tube (typed, then Enter): the tube is shown, whose it is, its tests, that it
    //    was collected and not yet received; Enter again receives it and the field is ready for the next tube.
    //    A number that is no tube of ours is said plainly.
    const tech = await session(TECHNICIAN.email, TECHNICIAN.password);
    page = tech.page;
    await goTo(page, 'Sample reception');
    const scan = field(page, 'Accession number');
    expect(await hasFocus(scan)).toBe(true);
    await page.keyboard.type('L0000009999');
    await page.keyboard.press('Enter');
    await visible(page.getByRole('alert').getByText(/L0000009999/));
    await scan.fill('');
    for (const [accession, tests] of [
      [edta.accession, 'Complete blood count with differential'],
      [sst.accession, 'Potassium'],
    ] as const) {
      await page.keyboard.type(accession.toLowerCase());
      await page.keyboard.press('Enter');
      const tube = page.getByTestId('scanned-tube');
      await visible(tube.getByText(accession, { exact: true }));
      await visible(tube.getByText(`Kamala Menon · MRN ${kamala.mrn}`, { exact: false }));
      await visible(tube.getByText(tests, { exact: false }));
      expect(await text(tube.getByTestId('scanned-state'))).toMatch(
        /^Collected .* by Sr Leela George: not received yet$/,
      );
      const receive = tube.getByRole('button', { name: `Receive ${accession}` });
      await eventually(async () => expect(await hasFocus(receive)).toBe(true));
      if (accession === edta.accession) expect(await axeViolations(page)).toEqual([]);
      await page.keyboard.press('Enter');
      await visible(
        page.getByTestId('received-message').getByText(`${accession} received`, { exact: false }),
      );
      expect(await scan.inputValue()).toBe('');
      expect(await hasFocus(scan)).toBe(true);
      await tube.waitFor({ state: 'detached' });
    }
    const handled = page.getByRole('table', { name: 'Tubes handled' });
    expect(await columnTexts(handled, 'Accession')).toEqual([sst.accession, edta.accession]);
    await visible(handled.getByRole('row', { name: new RegExp(`${sst.accession}.*Kamala Menon.*Received`) }));

    // 3b. The lab's unmatched orders: the Vitamin Q level, who ordered it and why it was not taken. The technician
    //     calls Dr Kapoor and closes it with what was agreed.
    await goTo(page, 'Unmatched lab orders');
    const unmatchedList = page.getByRole('table', { name: 'Unmatched laboratory orders' });
    await visible(
      unmatchedList.getByRole('row', { name: /Kamala Menon.*Vitamin Q level.*Dr Anil Kapoor.*Open/ }),
    );
    expect(await axeViolations(page)).toEqual([]);
    await unmatchedList.getByRole('button', { name: 'Close Vitamin Q level for Kamala Menon' }).click();
    const closeDialog = page.getByRole('dialog', { name: 'Close unmatched order' });
    await field(closeDialog, 'What was done (who was called, what was agreed)').fill(
      'Called Dr Kapoor: not done here, sent out to the reference lab',
    );
    await closeDialog.getByRole('button', { name: 'Close order' }).click();
    await visible(page.getByRole('status').getByText('Vitamin Q level for Kamala Menon closed.'));
    await visible(unmatchedList.getByText('No order waits for a call to the doctor.'));

    // 4. The chemistry analyzer measures the potassium at 6.9 mmol/L and sends it over HL7 v2: accepted.
    expect(await analyzerSends(sst.accession, kamala.mrn, '2823-3', '6.9', 'mmol/L')).toBe('AA');

    // 5. The haematology worklist shows the CBC tube with its target and time; the technician types the CBC,
    //    Enter taking him from one test to the next, and sees the flags the server computed.
    await goTo(page, 'Lab worklists');
    const bench = page.getByRole('table', { name: 'Haematology worklist' });
    const row = bench.getByRole('row', { name: new RegExp(edta.accession) });
    await visible(row);
    expect(await text(row.getByTestId('tat'))).toMatch(/left|Late by/);
    await row.getByRole('link', { name: `Enter results of ${edta.accession} for Kamala Menon` }).click();
    await visible(
      page.getByRole('heading', { level: 1, name: 'Results: Complete blood count with differential' }),
    );
    const hb = field(page, 'Haemoglobin');
    await eventually(async () => expect(await hasFocus(hb)).toBe(true));
    // Before anything is typed, each test shows the range for a woman of Kamala's age, in the test's decimals.
    const hbRow = page.locator('[data-test-code="HB"]');
    await visible(hbRow.getByText('Range 12.0 – 15.0 g/dL'));
    await visible(page.locator('[data-test-code="PLT"]').getByText('Range 150 – 410 10*3/uL'));
    await page.keyboard.type(CBC_VALUES.HB ?? '');
    await page.keyboard.press('Enter');
    expect(await hasFocus(field(page, 'RBC count'))).toBe(true);
    for (const result of cbc.results.filter((r) => r.testCode !== 'HB')) {
      await field(page, result.testName).fill(CBC_VALUES[result.testCode] ?? '');
    }
    await page.getByRole('button', { name: 'Save results' }).click();
    await visible(
      page.getByRole('status').getByText('20 results saved, awaiting validation', { exact: false }),
    );
    await visible(hbRow.getByTestId('result-flag').getByText('L · low'));
    await visible(hbRow.getByText('Range 12.0 – 15.0 g/dL'));
    // 77 fL is reported to the test's one decimal: 77.0.
    await visible(
      page
        .locator('[data-test-code="MCV"]')
        .getByTestId('saved-result')
        .getByText('Awaiting validation: 77.0 fL'),
    );
    expect(
      await page.locator('[data-test-code="PLT"]').getByTestId('result-flag').getAttribute('data-flag'),
    ).toBe('N');
    // The potassium came from the analyzer: nothing is left to type on the biochemistry bench.
    await goTo(page, 'Lab worklists');
    await page.getByRole('tab', { name: 'Biochemistry' }).click();
    const chemistry = page.getByRole('table', { name: 'Biochemistry worklist' });
    await visible(chemistry);
    expect(await chemistry.getByRole('row', { name: new RegExp(sst.accession) }).count()).toBe(0);

    // 6. The technician may not validate his own CBC: the server's reason is shown.
    await page.goto(`/laboratory/validation?requestId=${cbc.id}`);
    await visible(page.getByRole('heading', { level: 1, name: 'Lab validation' }));
    await page.getByRole('button', { name: 'Validate all (20)' }).click();
    const refused = page.getByRole('alert').filter({ hasText: 'Another person must validate' });
    await visible(refused.getByText('A result is validated by someone other than who entered it'));
    await tech.context.close();

    // 7. The pathologist's desk opens on the queue of results awaiting validation: the analyzer's STAT potassium
    //    (HH, critical) first, then the CBC's twenty values with who entered them. She validates the potassium,
    //    then the whole CBC at once; the queue is empty.
    const path = await session(PATHOLOGIST.email, PATHOLOGIST.password);
    page = path.page;
    await goTo(page, 'Lab validation');
    const queue = page.getByRole('table', { name: 'Results awaiting validation' });
    await visible(queue.locator('tbody tr').nth(20));
    const tests = await columnTexts(queue, 'Test');
    expect(tests).toHaveLength(21);
    expect(tests[0]).toBe('Potassium');
    expect(new Set(tests.slice(1))).toEqual(new Set(cbc.results.map((r) => r.testName)));
    expect((await columnTexts(queue, 'Priority'))[0]).toBe('STAT');
    const kRow = queue.getByRole('row', { name: /^STAT.*Kamala Menon/ });
    expect(await kRow.count()).toBe(1);
    expect(await text(kRow)).toMatch(
      new RegExp(
        `${sst.accession}.*Potassium.*6\\.9 mmol/L.*HH · critical high.*Range 3\\.5 – 5\\.1 mmol/L.*COBAS-C311 \\(analyzer\\)`,
        's',
      ),
    );
    await visible(queue.getByRole('row', { name: /MCV.*77\.0 fL.*Ravi Technician/ }));
    expect(await axeViolations(page)).toEqual([]);
    await queue.getByRole('button', { name: 'Validate Potassium of Kamala Menon' }).click();
    await visible(
      page
        .getByRole('status')
        .getByText(
          /Potassium of Kamala Menon validated and released\. Critical: Potassium 6\.9 mmol\/L HH; the ordering doctor is alerted/,
        ),
    );
    await queue.getByRole('row', { name: /^STAT/ }).waitFor({ state: 'detached' });
    await queue
      .getByRole('button', {
        name: 'Validate all 20 of Complete blood count with differential for Kamala Menon',
      })
      .click();
    await visible(
      page
        .getByRole('status')
        .getByText(
          '20 results of Complete blood count with differential for Kamala Menon validated and released.',
        ),
    );
    await visible(queue.getByText('Nothing awaits validation.'));
    await eventually(async () => {
      const after = await requestsOf(kamala);
      expect(after.map((r) => r.status)).toEqual(['completed', 'completed']);
    });
    await path.context.close();

    // 7b. The radiologist reports Kamala's chest X-ray from the template and signs it off.
    const rdl = await session(RADIOLOGIST.email, RADIOLOGIST.password);
    page = rdl.page;
    await goTo(page, 'Radiology reporting');
    const toReport = page.getByRole('table', { name: 'To report' });
    await visible(toReport.getByRole('row', { name: /Kamala Menon.*Chest X-ray PA view.*Not reported/ }));
    await toReport.getByRole('button', { name: 'Report Chest X-ray PA view of Kamala Menon' }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'Report: Chest X-ray PA view' }));
    await field(page, 'Impression').fill('No active lung disease. Heart size normal.');
    await page.getByRole('button', { name: 'Sign report' }).click();
    const signDialog = page.getByRole('dialog', { name: 'Sign report' });
    await signDialog.getByRole('button', { name: 'Sign', exact: true }).click();
    await visible(page.getByTestId('signed-report').getByText(/^Signed by Dr Vikram Rao/));
    await rdl.context.close();

    // 8. The doctor's top bar shows the critical value at sign-in; a read-back without the value is refused with
    //    the server's words; with it, the value is acknowledged and the badge goes.
    const back = await session(DOCTOR.email, DOCTOR.password);
    page = back.page;
    const badge = page.getByRole('link', { name: '1 critical result to acknowledge' });
    await visible(badge);
    await badge.click();
    await visible(page.getByRole('heading', { level: 1, name: 'Critical results' }));
    const inbox = page.getByRole('table', { name: 'Critical results to acknowledge' });
    const alertRow = inbox.getByRole('row', {
      name: /Kamala Menon.*Potassium.*6\.9 mmol\/L.*HH · critical high/,
    });
    await visible(alertRow);
    expect(await text(alertRow.getByRole('cell').nth(4))).toBe('Not escalated');
    await alertRow.getByRole('button', { name: 'Acknowledge Potassium of Kamala Menon' }).click();
    const ack = page.getByRole('dialog', { name: 'Acknowledge critical result' });
    await visible(
      ack.getByTestId('critical-value').getByText(/Potassium: 6\.9 mmol\/L HH \(critical high\)/),
    );
    await field(ack, 'Read back the value').fill('potassium 69');
    await ack.getByRole('button', { name: 'Acknowledge' }).click();
    await visible(ack.getByRole('alert').getByText('Read back the value'));
    await visible(ack.getByText('must contain the value 6.9 mmol/L'));
    await field(ack, 'Read back the value').fill('Potassium 6.9 mmol/L, will repeat an ECG now');
    await ack.getByRole('button', { name: 'Acknowledge' }).click();
    await visible(page.getByRole('status').getByText(/Acknowledged: Potassium 6\.9 mmol\/L of Kamala Menon/));
    await page.getByRole('link', { name: /critical results? to acknowledge/ }).waitFor({ state: 'detached' });
    const [acknowledged] = await doctorApi.call<CriticalAlert[]>(
      'GET',
      '/laboratory/critical-alerts?mine=true&status=acknowledged',
    );
    expect(acknowledged).toMatchObject({
      status: 'acknowledged',
      value: 6.9,
      flag: 'HH',
      readBack: 'Potassium 6.9 mmol/L, will repeat an ECG now',
    });

    // 9. Kamala's record: the Laboratory tab lists both requests completed, the potassium marked critical, the
    //    cumulative view puts the values of the draw side by side with their flags, and the report prints.
    await inbox.getByRole('link', { name: 'Kamala Menon' }).waitFor({ state: 'detached' });
    await page.goto(`/patients/${kamala.id}?tab=laboratory`);
    await visible(page.getByRole('heading', { level: 1, name: 'Kamala Menon' }));
    const record = page.getByRole('table', { name: 'Laboratory requests' });
    const kRecord = record.getByRole('row', { name: /Potassium.*Completed/ });
    await visible(kRecord.getByTestId('critical-result').getByText('Critical: Potassium 6.9 mmol/L HH'));
    await visible(
      record.getByRole('row', { name: /Complete blood count.*Completed.*20 released · \d+ outside range/ }),
    );
    const cumulative = page.getByRole('table', { name: 'Cumulative results' });
    await visible(cumulative.getByRole('row', { name: /Potassium.*mmol\/L.*6\.9 ?HH \(critical high\)/ }));
    await visible(cumulative.getByRole('row', { name: /Haemoglobin.*g\/dL.*9\.1 ?L \(low\)/ }));
    await kRecord.getByRole('button', { name: /^Results of Potassium/ }).click();
    await visible(
      page
        .getByRole('table', { name: 'Results of Potassium' })
        .getByRole('row', { name: /Potassium.*6\.9 mmol\/L.*HH/ }),
    );
    await opensPdf(page, back.context, new RegExp(`/laboratory/requests/${potassium.id}/report\\.pdf$`), () =>
      kRecord.getByRole('button', { name: /^Report of Potassium/ }).click(),
    );
    // ... and the Imaging tab the signed chest X-ray report with its impression.
    await page.getByRole('tab', { name: 'Imaging' }).click();
    const study = page
      .getByRole('table', { name: 'Imaging studies' })
      .getByRole('row', { name: /Chest X-ray PA view/ });
    await visible(study.getByText('Final'));
    expect(await text(study.getByTestId('impression'))).toBe('No active lung disease. Heart size normal.');

    // 10. Back in the consultation, each order says where its department is with it: all three resulted, the
    //     unmatched test still not accepted (the lab's call closed it, the doctor may cancel or re-order).
    await eventually(async () => {
      const statuses = Object.fromEntries(
        (await ordersOfVisit()).map((o) => [o.display, o.fulfilmentStatus]),
      );
      expect(statuses).toMatchObject({
        'Complete blood count with differential': 'resulted',
        Potassium: 'resulted',
        'Chest X-ray PA view': 'resulted',
        'Vitamin Q level': 'not-matched',
      });
    }, 20_000);
    await page.goto(`/consultation/${visit.id}`);
    const finalOrders = page.getByRole('table', { name: 'Orders' });
    for (const display of ['Complete blood count with differential', 'Potassium', 'Chest X-ray PA view']) {
      await visible(
        finalOrders
          .getByRole('row', { name: new RegExp(display) })
          .getByTestId('order-fulfilment')
          .getByText('Resulted'),
      );
    }
    await visible(finalOrders.getByRole('row', { name: /Vitamin Q level/ }).getByText('Not accepted by lab'));
    await back.context.close();
  }, 300_000);
  it('at the counter: a haemolysed tube is rejected and drawn again, a culture is reported with S/I/R, a released value is amended with its reason, and turnaround is measured', async () => {
    const farid = await registerPatient(admin, {
      name: { given: 'Farid', family: 'Khan' },
      sex: 'male',
      birth: { birthDate: '1971-09-02' },
      phones: [{ number: '9847054321' }],
    });

    // 1. At the lab counter the technician orders an urgent potassium and a urine culture for Farid, a walk-in,
    //    prints a label and marks both tubes collected.
    const tech = await session(TECHNICIAN.email, TECHNICIAN.password);
    let page = tech.page;
    await goTo(page, 'Lab walk-in');
    await page.getByRole('combobox', { name: 'Find the patient' }).fill(farid.mrn);
    await page.getByRole('option', { name: new RegExp(`MRN ${farid.mrn}`) }).click();
    const picker = page.getByRole('combobox', { name: 'Add a test or panel' });
    await picker.fill('potassium');
    await page.getByRole('option', { name: /^Potassium · K ·/ }).click();
    expect(await picker.inputValue()).toBe('');
    await picker.fill('urine culture');
    await page.getByRole('option', { name: /^Urine culture and sensitivity · URINE_CULTURE/ }).click();
    const chosen = page.getByRole('list', { name: 'Tests to order' });
    expect((await chosen.getByRole('listitem').allInnerTexts()).map((t) => t.trim())).toEqual([
      'Potassium (K)',
      'Urine culture and sensitivity (URINE_CULTURE)',
    ]);
    await page.getByRole('radio', { name: 'Urgent' }).check();
    await page.getByRole('button', { name: 'Place order' }).click();
    const toDraw = page.getByRole('table', { name: 'Tubes to draw' });
    await visible(toDraw.locator('tbody tr'));
    const [first, second] = await columnTexts(toDraw, 'Accession');
    if (!first || !second) throw new Error('two tubes expected');
    await opensPdf(page, tech.context, /\/laboratory\/samples\/[0-9a-f-]+\/label$/, () =>
      toDraw.getByRole('button', { name: `Print label ${first}` }).click(),
    );
    for (const accession of [first, second]) {
      await toDraw.getByRole('button', { name: `Collected ${accession}` }).click();
      await page
        .getByRole('dialog', { name: `Collected ${accession}` })
        .getByRole('button', { name: 'Mark collected' })
        .click();
      await toDraw.getByRole('button', { name: `Collected ${accession}` }).waitFor({ state: 'detached' });
    }
    const requests = await requestsOf(farid);
    const k = requests.find((r) => r.code === 'K');
    const culture = requests.find((r) => r.code === 'URINE_CULTURE');
    const sst = k?.samples[0];
    const urine = culture?.samples[0];
    if (!k || !culture || !sst || !urine) throw new Error('the walk-in made no tubes');

    // 2. Reception: the potassium tube arrives haemolysed. Scanned, it shows as collected and not received; it is
    //    rejected there, never received, with a note, and a new tube is asked for at once. The urine is received.
    await goTo(page, 'Sample reception');
    await page.keyboard.type(sst.accession);
    await page.keyboard.press('Enter');
    const scanned = page.getByTestId('scanned-tube');
    await visible(scanned.getByText(`Farid Khan · MRN ${farid.mrn}`, { exact: false }));
    expect(await text(scanned.getByTestId('scanned-state'))).toMatch(/: not received yet$/);
    await scanned.getByRole('button', { name: `Reject ${sst.accession}` }).click();
    const reject = page.getByRole('dialog', { name: `Reject ${sst.accession}` });
    await reject.getByRole('button', { name: 'Reject sample' }).click();
    await visible(reject.getByText('Choose why the tube cannot be tested'));
    await reject.getByRole('radio', { name: 'Haemolysed' }).check();
    await field(reject, 'Note').fill('Pink serum after spin; ward told');
    await reject.getByRole('button', { name: 'Reject sample' }).click();
    await scanned.waitFor({ state: 'detached' });
    const handled = page.getByRole('table', { name: 'Tubes handled' });
    const rejectedRow = handled.getByRole('row', { name: new RegExp(sst.accession) });
    await visible(rejectedRow.getByText('Rejected: Haemolysed'));
    const recollection = await text(rejectedRow.getByTestId('recollection'));
    const newAccession = /new tube (L\d+)/.exec(recollection)?.[1];
    expect(newAccession).toBeDefined();
    expect(newAccession).not.toBe(sst.accession);
    const [afterRejection] = (await requestsOf(farid)).filter((r) => r.code === 'K');
    expect(afterRejection?.samples.find((x) => x.id === sst.id)).toMatchObject({
      status: 'rejected',
      rejectionReason: 'haemolysed',
      receivedAt: null,
    });
    expect(await hasFocus(field(page, 'Accession number'))).toBe(true);
    await page.keyboard.type(urine.accession);
    await page.keyboard.press('Enter');
    const receiveUrine = scanned.getByRole('button', { name: `Receive ${urine.accession}` });
    await eventually(async () => expect(await hasFocus(receiveUrine)).toBe(true));
    await page.keyboard.press('Enter');
    await visible(
      page.getByTestId('received-message').getByText(`${urine.accession} received`, { exact: false }),
    );

    // 3. The new tube is on the collection list, said to be a recollection; drawn and received.
    await goTo(page, 'Sample collection');
    const again = page.getByRole('table', { name: 'Tubes to draw for Farid Khan' });
    await visible(
      again.getByRole('row', {
        name: new RegExp(`${newAccession}.*Recollection: the first tube was rejected`),
      }),
    );
    await again.getByRole('button', { name: `Collected ${newAccession}` }).click();
    await page
      .getByRole('dialog', { name: `Collected ${newAccession}` })
      .getByRole('button', { name: 'Mark collected' })
      .click();
    await again.waitFor({ state: 'detached' });
    await goTo(page, 'Sample reception');
    await page.keyboard.type(newAccession ?? '');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: `Receive ${newAccession}` }).click();
    await visible(
      page.getByTestId('received-message').getByText(`${newAccession} received`, { exact: false }),
    );

    // 4. The potassium from the new tube, 4.2: normal. The culture grows E. coli: a half-filled form is stopped
    //    at its fields, then saved with ampicillin R and nitrofurantoin S.
    await page.goto(`/laboratory/requests/${k.id}/results?section=biochemistry`);
    await field(page, 'Potassium').fill('4.2');
    await page.keyboard.press('Enter');
    await visible(page.locator('[data-test-code="K"]').getByTestId('result-flag').getByText('N · normal'));
    await goTo(page, 'Lab worklists');
    await page.getByRole('tab', { name: 'Microbiology' }).click();
    await page
      .getByRole('table', { name: 'Microbiology worklist' })
      .getByRole('link', { name: `Enter results of ${urine.accession} for Farid Khan` })
      .click();
    await visible(page.getByRole('heading', { level: 1, name: 'Results: Urine culture and sensitivity' }));
    const bench = page.locator('[data-test-code="URINE_CULTURE"]');
    await bench.getByRole('radio', { name: 'Growth', exact: true }).check();
    await bench.getByRole('button', { name: 'Add antibiotic' }).click();
    await field(bench, 'Antibiotic 1').fill('Ampicillin');
    await page.getByRole('button', { name: 'Save results' }).click();
    await visible(bench.getByText('Name the organism'));
    await visible(bench.getByText('S, I or R'));
    await field(bench, 'Organism').fill('Escherichia coli');
    await field(bench, 'Colony count').fill('> 10^5 CFU/mL');
    await bench.getByRole('combobox', { name: 'S/I/R for Ampicillin' }).selectOption('R');
    await bench.getByRole('button', { name: 'Add antibiotic' }).click();
    await field(bench, 'Antibiotic 2').fill('Nitrofurantoin');
    await bench.getByRole('combobox', { name: 'S/I/R for Nitrofurantoin' }).selectOption('S');
    await field(bench, 'MIC for Nitrofurantoin').fill('16');
    await page.getByRole('button', { name: 'Save results' }).click();
    await visible(
      bench
        .getByTestId('saved-result')
        .getByText(
          'Awaiting validation: Escherichia coli, > 10^5 CFU/mL: Ampicillin R, Nitrofurantoin S (MIC 16)',
        ),
    );
    await tech.context.close();

    // 5. The pathologist validates both, then amends the potassium (a transcription error): the released value
    //    changes and what it said before stays beside it with the reason.
    const path = await session(PATHOLOGIST.email, PATHOLOGIST.password);
    page = path.page;
    await page.goto(`/laboratory/validation?patientId=${farid.id}`);
    for (const display of ['Potassium', 'Urine culture and sensitivity']) {
      const card = page.getByTestId('request-validation').filter({ hasText: `${display} ·` });
      await card.getByRole('button', { name: 'Validate all (1)' }).click();
      await visible(card.getByRole('status').getByText('1 result validated and released.'));
    }
    const kCard = page.getByTestId('request-validation').filter({ hasText: 'Potassium ·' });
    await kCard.getByRole('button', { name: 'Amend Potassium' }).click();
    const amend = page.getByRole('dialog', { name: 'Amend Potassium' });
    await field(amend, 'Corrected Potassium').fill('4.5');
    await amend.getByRole('button', { name: 'Amend result' }).click();
    await visible(amend.getByText('Say why the result is amended'));
    await field(amend, 'Reason for the amendment').fill(
      'Transcription error: the analyzer printout reads 4.5',
    );
    await amend.getByRole('button', { name: 'Amend result' }).click();
    await amend.waitFor({ state: 'detached' });
    const released = kCard.getByRole('table', { name: 'Released: Potassium' });
    await visible(released.getByRole('row', { name: /Potassium.*4\.5 mmol\/L.*Amended by Dr Mitra Sen/ }));
    await visible(
      released.getByText(/was 4\.2 mmol\/L\. Transcription error: the analyzer printout reads 4\.5/),
    );

    // 6. Turnaround for today: both sections counted against their targets.
    await goTo(page, 'Lab turnaround');
    const bySection = page.getByRole('table', { name: 'Turnaround by section' });
    await visible(bySection.getByRole('row', { name: /Biochemistry/ }));
    await visible(bySection.getByRole('row', { name: /Microbiology/ }));
    const byTest = page.getByRole('table', { name: 'Turnaround by test' });
    await visible(byTest.getByRole('row', { name: /Urine culture and sensitivity.*URINE_CULTURE/ }));
    await path.context.close();
  }, 300_000);

  it('at the front desk: a walk-in is picked from the test catalog, which the desk reads without seeing results', async () => {
    const suresh = await registerPatient(admin, {
      name: { given: 'Suresh', family: 'Pillai' },
      sex: 'male',
      birth: { birthDate: '1966-12-01' },
      phones: [{ number: '9847011223' }],
    });

    // 1. The front desk searches the catalog by name as it types, picks the CRP and places the order; the tube is
    //    listed to be drawn (the desk does not draw blood: no "Collected" here).
    const desk = await session(DESK.email, DESK.password);
    const page = desk.page;
    await goTo(page, 'Lab walk-in');
    await page.getByRole('combobox', { name: 'Find the patient' }).fill(suresh.mrn);
    await page.getByRole('option', { name: new RegExp(`MRN ${suresh.mrn}`) }).click();
    const picker = page.getByRole('combobox', { name: 'Add a test or panel' });
    await picker.fill('reactive');
    await page.getByRole('option', { name: /^C-reactive protein · CRP · Biochemistry/ }).click();
    const chosen = page.getByRole('list', { name: 'Tests to order' });
    expect((await chosen.getByRole('listitem').allInnerTexts()).map((t) => t.trim())).toEqual([
      'C-reactive protein (CRP)',
    ]);
    await page.getByRole('button', { name: 'Place order' }).click();
    const toDraw = page.getByRole('table', { name: 'Tubes to draw' });
    await visible(toDraw.getByRole('row', { name: /C-reactive protein.*Awaiting collection/ }));
    expect(await toDraw.getByRole('button', { name: /^Collected/ }).count()).toBe(0);
    await desk.context.close();
    const [crp] = await requestsOf(suresh);
    expect(crp).toMatchObject({ code: 'CRP', status: 'requested', priority: 'routine' });

    // 2. The catalog is not patient data, but results are: the desk reads the one and not the other.
    const deskApi = await apiSignIn(server.serverUrl, DESK.email, DESK.password);
    const catalog = await deskApi.call<{ tests: { code: string }[] }>('GET', '/laboratory/catalog?q=CRP');
    expect(catalog.tests.map((t) => t.code)).toContain('CRP');
    await expect(deskApi.call('GET', `/laboratory/requests?patientId=${suresh.id}`)).rejects.toThrow(/403/);
  }, 180_000);
});
