import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiSession, apiSignIn, createStaffMember, registerPatient } from './support/api';
import { eventually, field, signIn, text, visible } from './support/app';
import { launchBrowser, openApp } from './support/browser';
import { type Admitted, admitToBed, createWard, type WardSetup } from './support/nursing';
import { startServer, type TestServer } from './support/server';

let server: TestServer;
let browser: Browser;
let admin: ApiSession;
let nurseApi: ApiSession;
let doctorApi: ApiSession;
let setup: WardSetup;

const NURSE = { email: 'sister.mary@example.org', password: 'Sister-Mary-Charts-2026!' };
const DOCTOR = { email: 'dr.kavya@example.org', password: 'Kavya-Rounds-2026!' };

type News2 = { id: string; score: number; risk: string; escalation: string; responseTaken: string | null };
type Note = { id: string; status: string; sections: Record<string, string>; signedBy: string | null };

async function admittedPatient(given: string, family: string, bedIndex: number): Promise<Admitted> {
  const patient = await registerPatient(admin, {
    name: { given, family },
    sex: 'female',
    birth: { birthDate: '1956-08-21' },
    phones: [{ number: `98330${Math.floor(Math.random() * 90_000) + 10_000}` }],
  });
  const bed = setup.beds[bedIndex];
  if (!bed) throw new Error('no such bed');
  return admitToBed(admin, setup, { patientId: patient.id, bedId: bed.id });
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  admin = await apiSignIn(server.serverUrl, server.adminEmail, server.adminPassword);
  await createStaffMember(admin, { ...NURSE, displayName: 'Sister Mary Thomas', role: 'nurse' });
  const doctor = await createStaffMember(admin, {
    ...DOCTOR,
    displayName: 'Dr. Kavya Menon',
    role: 'doctor',
  });
  setup = await createWard(admin, {
    wardName: 'Medical Ward 3',
    doctorUserId: doctor.id,
    doctorName: 'Dr. Kavya Menon',
    bedCount: 3,
  });
  nurseApi = await apiSignIn(server.serverUrl, NURSE.email, NURSE.password);
  doctorApi = await apiSignIn(server.serverUrl, DOCTOR.email, DOCTOR.password);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the in-patient chart', () => {
  it('raises a NEWS2 alert from vitals charted in the browser, takes the acknowledgement, and balances I/O', async () => {
    const admission = await admittedPatient('Sunita', 'Deshpande', 0);
    const { context, page } = await openApp(browser, server.baseUrl);
    await signIn(page, NURSE.email, NURSE.password);
    await visible(page.getByRole('heading', { level: 1, name: /Welcome/ }));

    // 1. The nurse opens her ward's station and the patient's bed there.
    await page.goto(`/ipd/wards/${setup.ward.id}/station`);
    await visible(page.getByRole('heading', { level: 1, name: 'Nursing station: Medical Ward 3' }));
    await page.getByRole('link', { name: /Sunita Deshpande/ }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'Chart: Sunita Deshpande' }));
    expect(await page.getByTestId('news2-alert').count()).toBe(0);

    // 2. She charts a deteriorating set: RR 26 (3), SpO2 90 on scale 1 (3), on oxygen (2), systolic 100 (2),
    //    pulse 118 (2), alert (0), temperature 38.4 (1): NEWS2 13, high risk.
    await field(page, 'Respiratory rate').fill('26');
    await field(page, 'SpO₂').fill('90');
    await field(page, 'BP systolic').fill('100');
    await field(page, 'BP diastolic').fill('62');
    await field(page, 'Pulse').fill('118');
    await field(page, 'Temperature').fill('38.4');
    await page.getByRole('combobox', { name: 'Consciousness (ACVPU)' }).click();
    await page.getByRole('option', { name: 'A: Alert' }).click();
    await page.getByLabel('On oxygen').check();
    await field(page, 'Oxygen flow').fill('4');
    await page.getByRole('button', { name: 'Chart vitals' }).click();

    // 3. The alert shows with the score, the risk and the RCP clinical response; the flow sheet has the row.
    const alert = page.getByTestId('news2-alert');
    await visible(alert);
    expect(await text(alert)).toMatch(/NEWS2 13: High risk/);
    expect(await text(alert)).toMatch(/emergency/i);
    const sheet = page.getByRole('table', { name: 'Vitals flow sheet' });
    await visible(sheet.getByText('NEWS2 13'));
    const open = await nurseApi.call<{ items: News2[] }>(
      'GET',
      `/ipd/admissions/${admission.id}/early-warnings?open=true`,
    );
    expect(open.items.map((s) => [s.score, s.risk, s.escalation])).toEqual([[13, 'high', 'alerted']]);

    // 4. The doctor is called; the nurse acknowledges with the response taken, and the banner goes.
    await alert.getByRole('button', { name: 'Acknowledge' }).click();
    const dialog = page.getByRole('dialog', { name: 'Acknowledge NEWS2 alert' });
    await field(dialog, 'Response taken').fill(
      'Dr. Menon reviewed at bedside; IV fluids and antibiotics started',
    );
    await dialog.getByRole('button', { name: 'Acknowledge' }).click();
    await eventually(async () => expect(await page.getByTestId('news2-alert').count()).toBe(0));
    const all = await nurseApi.call<{ items: News2[] }>(
      'GET',
      `/ipd/admissions/${admission.id}/early-warnings`,
    );
    expect(all.items[0]).toMatchObject({
      escalation: 'acknowledged',
      responseTaken: 'Dr. Menon reviewed at bedside; IV fluids and antibiotics started',
    });

    // 5. Intake and output of the nursing day: 500 oral + 1000 IV in, 400 urine out: +1,100 ml.
    await page.getByRole('tab', { name: 'Intake/Output' }).click();
    const io = page.getByRole('form', { name: 'Record intake or output' });
    await field(io, 'Volume').fill('500');
    await io.getByRole('button', { name: 'Record intake' }).click();
    await eventually(async () => expect(await text(page.getByTestId('io-day-intake'))).toBe('500 ml'));
    await io.getByRole('combobox', { name: 'Route' }).click();
    await page.getByRole('option', { name: 'IV fluids' }).click();
    await field(io, 'Volume').fill('1000');
    await io.getByRole('button', { name: 'Record intake' }).click();
    await eventually(async () =>
      expect(await text(page.getByTestId('io-day-intake'))).toMatch(/^1.?500 ml$/),
    );
    await io.getByRole('button', { name: 'Output', exact: true }).click();
    await field(io, 'Volume').fill('400');
    await io.getByRole('button', { name: 'Record output' }).click();
    await eventually(async () =>
      expect(await text(page.getByTestId('io-day-balance'))).toMatch(/^\+1.?100 ml$/),
    );

    // 6. The IV entry was charted against the wrong patient: struck out with a reason, it stops counting.
    const entries = page.getByRole('table', { name: 'Intake and output entries' });
    await entries
      .getByRole('row', { name: /IV fluids/ })
      .getByRole('button', { name: 'Entered in error' })
      .click();
    const inError = page.getByRole('dialog', { name: 'I/O entry entered in error' });
    await field(inError, 'Reason').fill('Charted for the patient in the next bed');
    await inError.getByRole('button', { name: 'Mark entered in error' }).click();
    await eventually(async () => expect(await text(page.getByTestId('io-day-balance'))).toBe('+100 ml'));
    const chart = await nurseApi.call<{ day: { intakeMl: number; outputMl: number; balanceMl: number } }>(
      'GET',
      `/ipd/admissions/${admission.id}/intake-output`,
    );
    expect(chart.day).toMatchObject({ intakeMl: 500, outputMl: 400, balanceMl: 100 });

    // 7. Back at the station the bed shows the NEWS2 and the balance.
    await page.getByRole('main').getByRole('link', { name: 'Nursing station' }).click();
    const card = page.getByRole('listitem', { name: /Sunita Deshpande/ });
    await visible(card.getByTestId('news2-badge'));
    expect(await text(card.getByTestId('news2-badge'))).toMatch(/NEWS2 13/);
    expect(await text(card.getByTestId('station-io'))).toMatch(/balance \+100 ml/);
    await context.close();
  });

  it('lets the doctor start the discharge summary from the record, edit it and sign it', async () => {
    const admission = await admittedPatient('Meera', 'Kulkarni', 1);
    const { context, page } = await openApp(browser, server.baseUrl);
    await signIn(page, DOCTOR.email, DOCTOR.password);
    await visible(page.getByRole('heading', { level: 1, name: /Welcome/ }));

    // 1. The summary does not exist yet; starting it fills the sections in from the record.
    await page.goto(`/ipd/admissions/${admission.id}/chart?tab=discharge-summary`);
    await visible(page.getByRole('heading', { level: 1, name: 'Chart: Meera Kulkarni' }));
    await page.getByRole('button', { name: 'Start discharge summary' }).click();
    await visible(page.getByTestId('discharge-summary-status').getByText('Draft'));
    expect(await field(page, 'Diagnoses').inputValue()).toMatch(/Pneumonia/);

    // 2. She writes the condition at discharge and the follow-up, and signs.
    await field(page, 'Condition at discharge').fill('Afebrile for 48 hours, SpO2 97% on room air, ambulant');
    await field(page, 'Follow-up').fill('Medicine OPD after 7 days with a chest X-ray');
    await page.getByRole('button', { name: 'Sign summary' }).click();
    await visible(page.getByTestId('discharge-summary-status').getByText('Signed'));
    expect(await text(page.getByTestId('discharge-summary-signed'))).toMatch(/Signed by Dr\. Kavya Menon/);

    // 3. The record holds the signed note with her text.
    const summary = await doctorApi.call<{ note: Note | null }>(
      'GET',
      `/ipd/admissions/${admission.id}/discharge-summary`,
    );
    expect(summary.note?.status).toBe('signed');
    expect(summary.note?.sections).toMatchObject({
      conditionAtDischarge: 'Afebrile for 48 hours, SpO2 97% on room air, ambulant',
      followUp: 'Medicine OPD after 7 days with a chest X-ray',
    });
    expect(summary.note?.sections.diagnoses).toMatch(/Pneumonia/);

    // 4. A signed summary changes only by an amendment with a reason; the signed text is kept.
    await page.getByRole('button', { name: 'Amend' }).click();
    await field(page, 'Follow-up').fill('Medicine OPD after 5 days with a chest X-ray');
    await page.getByRole('button', { name: 'Sign amendment' }).click();
    await visible(page.getByText('Say why the signed summary changes'));
    await field(page, 'Reason for amendment').fill('Earlier review requested by the patient');
    await page.getByRole('button', { name: 'Sign amendment' }).click();
    await visible(page.getByTestId('discharge-summary-status').getByText('Amended'));
    const amended = await doctorApi.call<{ note: Note & { revisions: unknown[] } }>(
      'GET',
      `/ipd/admissions/${admission.id}/discharge-summary`,
    );
    expect(amended.note.sections.followUp).toBe('Medicine OPD after 5 days with a chest X-ray');
    expect(amended.note.revisions).toHaveLength(1);
    await context.close();
  });
});
