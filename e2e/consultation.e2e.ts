import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiSession, apiSignIn, createStaffMember, registerPatient } from './support/api';
import { choose, closed, eventually, field, signIn, text, visible } from './support/app';
import { launchBrowser, openApp, TABLET } from './support/browser';
import { createClinic, createDoctor, type Doctor } from './support/opd';
import { startServer, type TestServer } from './support/server';

let server: TestServer;
let browser: Browser;
let doctorApi: ApiSession;
let doctor: Doctor;
let desk: ApiSession;

const DOCTOR = { email: 'priya.nair@example.org', password: 'Priya-Consults-2026!' };
const FRONT_DESK = { email: 'dev.desk@example.org', password: 'Dev-Checks-In-2026!' };

type Note = { id: string; version: number; status: string; sections: Record<string, string> };

/** A patient checked in as a walk-in and called by the doctor: the consultation's encounter id. */
async function consultationOf(given: string, family: string, phone: string): Promise<string> {
  const patient = await registerPatient(desk, {
    name: { given, family },
    sex: 'female',
    birth: { birthDate: '1990-05-05' },
    phones: [{ number: phone }],
  });
  await desk.call('POST', '/opd/queue/check-in', {
    patientId: patient.id,
    practitionerId: doctor.practitionerId,
  });
  const started = await doctorApi.call<{ encounterId: string }>('POST', '/opd/worklist/call-next', {});
  return started.encounterId;
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const admin = await apiSignIn(server.serverUrl, server.adminEmail, server.adminPassword);
  const user = await createStaffMember(admin, { ...DOCTOR, displayName: 'Priya Nair', role: 'doctor' });
  await createStaffMember(admin, { ...FRONT_DESK, displayName: 'Dev Desk', role: 'front-desk' });
  const clinic = await createClinic(admin, { departmentCode: 'MED', roomName: 'Room 7', boardCode: 'R7' });
  doctor = await createDoctor(admin, clinic, {
    userId: user.id,
    displayName: 'Dr. Priya Nair',
    dates: [clinic.today],
  });
  doctorApi = await apiSignIn(server.serverUrl, DOCTOR.email, DOCTOR.password);
  desk = await apiSignIn(server.serverUrl, FRONT_DESK.email, FRONT_DESK.password);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the consultation screen', () => {
  it('saves the draft note as the doctor types, and stops at a stale save with an offer to reload (on a tablet)', async () => {
    const encounterId = await consultationOf('Lata', 'Joshi', '9833011111');
    const { context, page } = await openApp(browser, server.baseUrl, TABLET);
    await signIn(page, DOCTOR.email, DOCTOR.password);
    await visible(page.getByRole('heading', { level: 1, name: /Welcome/ }));
    await page.goto(`/consultation/${encounterId}`);
    await visible(page.getByRole('heading', { level: 1, name: 'Consultation: Lata Joshi' }));
    await visible(page.getByRole('region', { name: 'Patient in context' }));

    // 1. Opening the consultation writes nothing (no empty draft); the first words make a draft, without a Save
    //    button.
    await page.waitForTimeout(2_000);
    expect((await doctorApi.call<{ notes: Note[] }>('GET', `/encounters/${encounterId}`)).notes).toEqual([]);
    await field(page, 'Chief complaint').fill('Fever for three days');
    await eventually(async () =>
      expect(await text(page.getByTestId('autosave-status'))).toMatch(/^Draft saved/),
    );
    const detail = await doctorApi.call<{ notes: Note[] }>('GET', `/encounters/${encounterId}`);
    const draft = detail.notes[0];
    expect(draft?.status).toBe('draft');
    expect(draft?.sections.chiefComplaint).toBe('Fever for three days');

    // 2. The same draft is changed from another computer; the next save here is refused, not written over it.
    await doctorApi.call('PUT', `/encounters/${encounterId}/notes/${draft?.id}`, {
      sections: { chiefComplaint: 'Fever for three days with chills (ward PC)' },
      version: draft?.version,
    });
    await field(page, 'History').fill('No travel; no sick contacts.');
    await visible(page.getByText('This record was changed by someone else'));
    expect(await page.getByRole('button', { name: 'Sign note' }).isDisabled()).toBe(true);

    // 3. Reload shows the other change; saving goes on from there.
    await page.getByRole('button', { name: 'Reload' }).click();
    await eventually(async () =>
      expect(await field(page, 'Chief complaint').inputValue()).toBe(
        'Fever for three days with chills (ward PC)',
      ),
    );
    await field(page, 'History').fill('No travel; no sick contacts. Paracetamol taken.');
    await eventually(async () =>
      expect(await text(page.getByTestId('autosave-status'))).toMatch(/^Draft saved/),
    );
    const saved = await doctorApi.call<{ notes: Note[] }>('GET', `/encounters/${encounterId}`);
    expect(saved.notes[0]?.sections).toMatchObject({
      chiefComplaint: 'Fever for three days with chills (ward PC)',
      history: 'No travel; no sick contacts. Paracetamol taken.',
    });

    // 4. Nothing spills sideways on the tablet.
    const overflow = await page.evaluate('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);

    // 5. The worklist reminds her of the unsigned note.
    await page.getByRole('link', { name: 'Back to worklist' }).click();
    await visible(page.getByTestId('unsigned-notes'));
    expect(await text(page.getByTestId('unsigned-notes'))).toMatch(/You have 1 unsigned note\./);
    await context.close();
  });

  it('checks vitals as they are typed, and strikes out a diagnosis and an order with a reason', async () => {
    const encounterId = await consultationOf('Rekha', 'Pillai', '9833022222');
    const { context, page } = await openApp(browser, server.baseUrl);
    await signIn(page, DOCTOR.email, DOCTOR.password);
    await visible(page.getByRole('heading', { level: 1, name: /Welcome/ }));
    await page.goto(`/consultation/${encounterId}`);
    await visible(page.getByRole('heading', { level: 1, name: 'Consultation: Rekha Pillai' }));

    // 1. A blood pressure the wrong way round is caught by the form, with the server's own rule.
    await field(page, 'BP systolic').fill('80');
    await field(page, 'BP diastolic').fill('90');
    await page.getByRole('button', { name: 'Record vitals' }).click();
    await visible(page.getByText('systolic must be higher than diastolic'));
    expect(await page.getByRole('list', { name: 'Vitals recorded in this visit' }).count()).toBe(0);
    await field(page, 'BP systolic').fill('118');
    await field(page, 'BP diastolic').fill('76');
    await field(page, 'Temperature').fill('38.6');
    await page.getByRole('button', { name: 'Record vitals' }).click();
    const recorded = page.getByRole('list', { name: 'Vitals recorded in this visit' });
    await visible(recorded.getByTestId('vital-temperature').getByLabel('High'));

    // 2. The diagnosis is found by its code, recorded as provisional, then made final.
    await page.getByRole('combobox', { name: 'Diagnosis (ICD-10)' }).fill('J06.9');
    await page.getByRole('option', { name: /^J06\.9/ }).click();
    await page.getByRole('button', { name: 'Add diagnosis' }).click();
    const diagnoses = page.getByRole('table', { name: 'Diagnoses' });
    const row = diagnoses.getByRole('row', { name: /J06\.9/ });
    await visible(row.getByText('Provisional'));
    await row.getByRole('button', { name: 'Make final' }).click();
    await visible(row.getByText('Final', { exact: true }));
    expect(await row.getByRole('button', { name: 'Make final' }).count()).toBe(0);

    // 3. It was entered for the wrong patient: struck out with a reason, gone from the list.
    await row.getByRole('button', { name: 'Entered in error' }).click();
    const inError = page.getByRole('dialog', { name: 'Diagnosis entered in error' });
    await field(inError, 'Reason').fill('Recorded against the wrong visit');
    await inError.getByRole('button', { name: 'Mark entered in error' }).click();
    await closed(inError);
    await eventually(async () =>
      expect(await diagnoses.getByRole('row', { name: /J06\.9/ }).count()).toBe(0),
    );

    // 4. An urgent chest X-ray, then cancelled with a reason that stays on the order.
    await choose(page, page, 'Order kind', 'Imaging');
    await field(page, 'Test or procedure').fill('Chest X-ray PA view');
    await choose(page, page, 'Priority', 'Urgent');
    await page.getByRole('button', { name: 'Place order' }).click();
    const orders = page.getByRole('table', { name: 'Orders' });
    await visible(orders.getByRole('row', { name: /Chest X-ray PA view.*Urgent.*Ordered/ }));
    await orders
      .getByRole('row', { name: /Chest X-ray/ })
      .getByRole('button', { name: 'Cancel' })
      .click();
    const cancel = page.getByRole('dialog', { name: 'Cancel order' });
    await field(cancel, 'Reason for cancelling').fill('Done last week at another hospital');
    await cancel.getByRole('button', { name: 'Cancel order' }).click();
    await visible(
      orders.getByRole('row', { name: /Chest X-ray PA view.*Done last week at another hospital.*Cancelled/ }),
    );
    await context.close();
  });
});
