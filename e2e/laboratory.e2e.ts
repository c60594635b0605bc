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
// consultation; the nurse prints the tube labels and marks the tubes collected; the lab receives them by scanning
// the accession; the chemistry analyzer sends a potassium of 6.9 over HL7 v2 and a technician types the CBC; the
// technician cannot validate what they entered, the pathologist validates; the doctor sees the critical value in
// the top bar, reads it back (a wrong read-back is refused) and finds the result in the patient's record.

let server: TestServer;
let browser: Browser;
let admin: ApiSession;
let doctorApi: ApiSession;
let hl7Port: number;

const DOCTOR = { email: 'dr.anil@example.org', password: 'Anil-Orders-Labs-2026!' };
const NURSE = { email: 'sr.leela@example.org', password: 'Leela-Draws-Blood-2026!' };
const TECHNICIAN = { email: 'ravi.lab@example.org', password: 'Ravi-Runs-The-Bench-2026!' };
const PATHOLOGIST = { email: 'dr.sen.path@example.org', password: 'Sen-Validates-2026!' };

type Sample = { id: string; accession: string; container: string; status: string };
type Result = {
  id: string;
  testCode: string;
  testName: string;
  status: string;
  value: number | null;
  flag: string | null;
};
type LabRequest = { id: string; code: string; status: string; samples: Sample[]; results: Result[] };
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
  // A hospital's pathologists validate; they do not work the bench (no laboratory:process).
  await admin.call('POST', '/access/roles', {
    name: 'pathologist',
    description: 'Validates laboratory results',
    permissions: ['patients:read', 'laboratory:read', 'laboratory:validate'],
  });
  await createStaffMember(admin, { ...PATHOLOGIST, displayName: 'Dr Mitra Sen', role: 'pathologist' });
  doctorApi = await apiSignIn(server.serverUrl, DOCTOR.email, DOCTOR.password);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the laboratory, from the order to the read-back', () => {
  it('orders, collects, receives, results (analyzer and hand), validates, calls the critical potassium back and files it in the record', async () => {
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

    // 1. The doctor orders a CBC and a STAT potassium from the laboratory catalog in the consultation.
    const doc = await session(DOCTOR.email, DOCTOR.password);
    let page = doc.page;
    await page.goto(`/consultation/${visit.id}`);
    await visible(page.getByRole('heading', { level: 1, name: 'Consultation: Kamala Menon' }));
    const orderField = page.getByRole('combobox', { name: 'Test or procedure' });
    await orderField.fill('complete blood');
    await page.getByRole('option', { name: /^Complete blood count with differential · CBC/ }).click();
    await page.getByRole('button', { name: 'Place order' }).click();
    const orders = page.getByRole('table', { name: 'Orders' });
    await visible(
      orders.getByRole('row', { name: /Complete blood count with differential.*Routine.*Ordered/ }),
    );
    await orderField.fill('potassium');
    await page.getByRole('option', { name: /^Potassium · K · Biochemistry/ }).click();
    await page.getByRole('combobox', { name: 'Priority' }).click();
    await page.getByRole('option', { name: 'STAT', exact: true }).click();
    await page.getByRole('button', { name: 'Place order' }).click();
    await visible(orders.getByRole('row', { name: /Potassium.*STAT.*Ordered/ }));
    // The lab turns each order into a request with its tubes (an event later); the visit's Laboratory section
    // says they await collection.
    await eventually(async () => expect(await requestsOf(kamala)).toHaveLength(2), 20_000);
    await page.reload();
    const visitLab = page.getByRole('table', { name: 'Laboratory requests of this visit' });
    await visible(visitLab.getByRole('row', { name: /Potassium.*STAT.*Awaiting collection/ }));
    await visible(visitLab.getByRole('row', { name: /Complete blood count.*Awaiting collection/ }));
    await doc.context.close();
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

    // 3. The technician receives both tubes by scanning their accession numbers (typed, then Enter); the field
    //    is ready for the next tube at once. A number that is no tube of ours is said plainly.
    const tech = await session(TECHNICIAN.email, TECHNICIAN.password);
    page = tech.page;
    await goTo(page, 'Sample reception');
    const scan = field(page, 'Accession number');
    expect(await hasFocus(scan)).toBe(true);
    await page.keyboard.type('L0000009999');
    await page.keyboard.press('Enter');
    await visible(page.getByRole('alert').getByText(/L0000009999/));
    await scan.fill('');
    for (const accession of [edta.accession, sst.accession]) {
      await page.keyboard.type(accession.toLowerCase());
      await page.keyboard.press('Enter');
      await visible(
        page.getByTestId('received-message').getByText(`${accession} received`, { exact: false }),
      );
      expect(await scan.inputValue()).toBe('');
      expect(await hasFocus(scan)).toBe(true);
    }
    const handled = page.getByRole('table', { name: 'Tubes handled' });
    expect(await columnTexts(handled, 'Accession')).toEqual([sst.accession, edta.accession]);
    await visible(handled.getByRole('row', { name: new RegExp(`${sst.accession}.*Kamala Menon.*Received`) }));

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
    const hbRow = page.locator('[data-test-code="HB"]');
    await visible(hbRow.getByTestId('result-flag').getByText('L · low'));
    await visible(hbRow.getByText('Range 12.0 – 15.0 g/dL'));
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

    // 7. The pathologist finds Kamala, validates the analyzer's potassium (HH, critical) and then the whole CBC.
    const path = await session(PATHOLOGIST.email, PATHOLOGIST.password);
    page = path.page;
    await goTo(page, 'Lab validation');
    await page.getByRole('combobox', { name: 'Find the patient' }).fill(kamala.mrn);
    await page.getByRole('option', { name: new RegExp(`MRN ${kamala.mrn}`) }).click();
    const kCard = page.getByTestId('request-validation').filter({ hasText: 'Potassium ·' });
    const kPending = kCard.getByRole('table', { name: 'Awaiting validation: Potassium' });
    await visible(
      kPending.getByRole('row', {
        name: /Potassium.*6\.9 mmol\/L.*HH · critical high.*COBAS-C311 \(analyzer\)/,
      }),
    );
    await kPending.getByRole('button', { name: 'Validate Potassium' }).click();
    await visible(
      kCard.getByRole('status').getByText(/Critical: Potassium 6\.9 HH; the ordering doctor is alerted/),
    );
    const cbcCard = page
      .getByTestId('request-validation')
      .filter({ hasText: 'Complete blood count with differential ·' });
    await cbcCard.getByRole('button', { name: 'Validate all (20)' }).click();
    await visible(cbcCard.getByRole('status').getByText('20 results validated and released.'));
    await eventually(async () => {
      const after = await requestsOf(kamala);
      expect(after.map((r) => r.status)).toEqual(['completed', 'completed']);
    });
    await path.context.close();

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

    // 2. Reception: the potassium tube arrives haemolysed; rejected with a note, a new tube is asked for at once.
    await goTo(page, 'Sample reception');
    for (const accession of [sst.accession, urine.accession]) {
      await page.keyboard.type(accession);
      await page.keyboard.press('Enter');
      await visible(
        page.getByTestId('received-message').getByText(`${accession} received`, { exact: false }),
      );
    }
    await page.getByRole('button', { name: `Reject ${sst.accession}` }).click();
    const reject = page.getByRole('dialog', { name: `Reject ${sst.accession}` });
    await reject.getByRole('button', { name: 'Reject sample' }).click();
    await visible(reject.getByText('Choose why the tube cannot be tested'));
    await reject.getByRole('radio', { name: 'Haemolysed' }).check();
    await field(reject, 'Note').fill('Pink serum after spin; ward told');
    await reject.getByRole('button', { name: 'Reject sample' }).click();
    const handled = page.getByRole('table', { name: 'Tubes handled' });
    const rejectedRow = handled.getByRole('row', { name: new RegExp(sst.accession) });
    await visible(rejectedRow.getByText('Rejected: Haemolysed'));
    const recollection = await text(rejectedRow.getByTestId('recollection'));
    const newAccession = /new tube (L\d+)/.exec(recollection)?.[1];
    expect(newAccession).toBeDefined();
    expect(newAccession).not.toBe(sst.accession);

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
});
