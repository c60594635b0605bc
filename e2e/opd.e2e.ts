import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiSession, apiSignIn, createStaffMember, registerPatient } from './support/api';
import { choose, closed, eventually, field, goTo, navItems, signIn, text, visible } from './support/app';
import { launchBrowser, openApp } from './support/browser';
import { type Clinic, createClinic, createDoctor, type Doctor, firstFreeSlot, plusDays } from './support/opd';
import { startServer, type TestServer } from './support/server';

let server: TestServer;
let browser: Browser;
let admin: ApiSession;
let clinic: Clinic;
let kavya: Doctor;
let arjun: Doctor;

const FRONT_DESK = { email: 'farah.desk@example.org', password: 'Farah-Books-2026!' };
const DOCTOR = { email: 'kavya.rao@example.org', password: 'Kavya-Consults-2026!' };
const DOCTOR_2 = { email: 'arjun.mehta@example.org', password: 'Arjun-Consults-2026!' };
const NURSE = { email: 'nisha.opd@example.org', password: 'Nisha-Queues-2026!' };

const patients = {
  asha: { id: '', name: 'Asha Kulkarni' },
  ravi: { id: '', name: 'Ravi Deshmukh' },
  meena: { id: '', name: 'Meena Iyer' },
  sunil: { id: '', name: 'Sunil Patil' },
};

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  admin = await apiSignIn(server.serverUrl, server.adminEmail, server.adminPassword);
  await createStaffMember(admin, { ...FRONT_DESK, displayName: 'Farah Front Desk', role: 'front-desk' });
  const kavyaUser = await createStaffMember(admin, { ...DOCTOR, displayName: 'Kavya Rao', role: 'doctor' });
  const arjunUser = await createStaffMember(admin, {
    ...DOCTOR_2,
    displayName: 'Arjun Mehta',
    role: 'doctor',
  });
  await createStaffMember(admin, { ...NURSE, displayName: 'Nisha Nurse', role: 'nurse' });

  clinic = await createClinic(admin, { departmentCode: 'GMED', roomName: 'OPD Room 3', boardCode: 'OPD-3' });
  const days = [clinic.today, plusDays(clinic.today, 1)];
  kavya = await createDoctor(admin, clinic, {
    userId: kavyaUser.id,
    displayName: 'Dr. Kavya Rao',
    dates: days,
  });
  arjun = await createDoctor(admin, clinic, {
    userId: arjunUser.id,
    displayName: 'Dr. Arjun Mehta',
    dates: days,
  });

  const register = async (
    given: string,
    family: string,
    sex: 'male' | 'female',
    birthDate: string,
    phone: string,
  ) =>
    (
      await registerPatient(admin, {
        name: { given, family },
        sex,
        birth: { birthDate },
        phones: [{ number: phone }],
      })
    ).id;
  patients.asha.id = await register('Asha', 'Kulkarni', 'female', '1984-06-02', '9822011111');
  // Ravi is 70 or more: the queue puts him first as an elderly patient.
  patients.ravi.id = await register('Ravi', 'Deshmukh', 'male', '1950-03-15', '9822022222');
  patients.meena.id = await register('Meena', 'Iyer', 'female', '1991-11-20', '9822033333');
  patients.sunil.id = await register('Sunil', 'Patil', 'male', '1979-01-09', '9822044444');
  await admin.call('POST', `/patients/${patients.ravi.id}/allergies`, {
    category: 'drug',
    substance: 'Penicillin',
    severity: 'severe',
    reaction: 'Anaphylaxis',
  });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function signedIn(who: {
  email: string;
  password: string;
}): Promise<{ context: BrowserContext; page: Page }> {
  const opened = await openApp(browser, server.baseUrl);
  await signIn(opened.page, who.email, who.password);
  await visible(opened.page.getByRole('heading', { level: 1, name: /Welcome/ }));
  return opened;
}

async function choosePatient(page: Page, label: string, name: string): Promise<void> {
  await page.getByRole('combobox', { name: label }).fill(name);
  await page.getByRole('option', { name: new RegExp(name) }).click();
  await visible(page.getByRole('region', { name: `Patient ${name}` }));
}

function firstFreeSlotButton(page: Page) {
  return page.getByRole('group', { name: 'Slots' }).locator('button:not([disabled])').first();
}

describe('OPD: the front desk books and checks in, the board calls, the doctor consults', () => {
  it('runs a clinic morning from booking to the printed summary', async () => {
    // 1. Farah at the front desk books Asha with Dr. Kavya Rao today, from the slot picker.
    const desk = await signedIn(FRONT_DESK);
    expect(await navItems(desk.page)).toEqual(expect.arrayContaining(['Appointments', 'Check-in & queue']));
    await goTo(desk.page, 'Appointments');
    await choose(desk.page, desk.page, 'Doctor', 'Dr. Kavya Rao · General Medicine');
    const slot = firstFreeSlotButton(desk.page);
    await visible(slot);
    const slotLabel = (await slot.getAttribute('aria-label')) ?? '';
    expect(slotLabel).toMatch(/^\d\d:\d\d( [AP]M)?, 2 of 2 free$/);
    await slot.click();
    await choosePatient(desk.page, 'Patient', patients.asha.name);
    await desk.page.getByRole('radio', { name: 'Call centre' }).check();
    await desk.page.getByRole('button', { name: /^Book \d\d:\d\d/ }).click();
    const booked = desk.page.getByRole('status').filter({ hasText: 'Booked Asha Kulkarni' });
    await visible(booked);

    // 2. The slot now shows one place taken, and the day's list has her appointment.
    await eventually(async () =>
      expect(
        await desk.page.getByRole('button', { name: slotLabel.replace('2 of 2', '1 of 2') }).count(),
      ).toBe(1),
    );
    const day = desk.page.getByRole('table', { name: 'Appointments of the day' });
    await visible(day.getByRole('row', { name: /Asha Kulkarni/ }));
    expect(await text(day.getByRole('row', { name: /Asha Kulkarni/ }))).toMatch(/Booked.*Call centre/);

    // 3. Asha has come: she is checked in from the confirmation and gets token 1.
    await booked.getByRole('button', { name: 'Check in now' }).click();
    await desk.page
      .getByRole('dialog', { name: 'Check in' })
      .getByRole('button', { name: 'Check in and issue token' })
      .click();
    const slip = desk.page.getByRole('dialog', { name: 'Checked in' });
    expect(await text(slip.getByTestId('issued-token'))).toBe('1');
    await slip.getByRole('button', { name: 'Done' }).click();

    // 4. Ravi walks in without an appointment: token 2, and, being elderly, he goes first in the queue.
    await goTo(desk.page, 'Check-in & queue');
    await choose(desk.page, desk.page, 'Doctor', 'Dr. Kavya Rao · General Medicine');
    await choosePatient(desk.page, 'Walk-in patient', patients.ravi.name);
    await desk.page.getByRole('button', { name: 'Check in walk-in' }).click();
    const walkInSlip = desk.page.getByRole('dialog', { name: 'Checked in' });
    expect(await text(walkInSlip.getByTestId('issued-token'))).toBe('2');
    expect(await text(walkInSlip)).toContain('Priority: Elderly');
    await walkInSlip.getByRole('button', { name: 'Done' }).click();
    const queue = desk.page.getByRole('table', { name: 'Queue' });
    await eventually(async () => {
      const rows = await queue.locator('tbody tr').allInnerTexts();
      expect(rows.length).toBe(2);
      expect(rows[0]).toMatch(/^2\s.*Ravi Deshmukh.*Elderly.*Waiting/s);
      expect(rows[1]).toMatch(/^1\s.*Asha Kulkarni.*Waiting/s);
    });

    // 5. The waiting-hall TV opens the room's board with no sign-in: token numbers only, no names.
    const tv = await browser.newContext({ baseURL: server.baseUrl, viewport: { width: 1920, height: 1080 } });
    const board = await tv.newPage();
    await board.goto('/display/OPD-3');
    await visible(board.getByRole('heading', { level: 1, name: 'OPD Room 3' }));
    await eventually(async () =>
      expect(await board.getByTestId('board-connection').getAttribute('data-state')).toBe('live'),
    );
    await eventually(async () =>
      expect((await board.getByTestId('waiting-tokens').allInnerTexts()).join(' ')).toMatch(/2\s+1/),
    );
    expect(await board.locator('body').textContent()).not.toMatch(/Ravi|Asha|Deshmukh|Kulkarni/);

    // 6. Dr. Kavya Rao opens her worklist and calls the next patient: Ravi's consultation opens at once.
    const doctor = await signedIn(DOCTOR);
    await goTo(doctor.page, 'My worklist');
    await visible(doctor.page.getByText('2 waiting'));
    await doctor.page.getByRole('button', { name: 'Call next' }).click();
    await visible(doctor.page.getByRole('heading', { level: 1, name: 'Consultation: Ravi Deshmukh' }));
    expect(doctor.page.url()).toMatch(/\/consultation\/[0-9a-f-]{36}$/);
    const banner = doctor.page.getByRole('region', { name: 'Patient in context' });
    expect(await text(banner.getByTestId('banner-allergies'))).toBe('Allergies: Penicillin (severe)');

    // 7. The board calls token 2 live, without a reload.
    await eventually(
      async () => expect(await text(board.getByTestId('now-calling-token'))).toBe('2'),
      15_000,
    );

    // 8. Vitals: the high blood pressure is flagged, and the BMI comes from the server.
    const page = doctor.page;
    await field(page, 'BP systolic').fill('150');
    await field(page, 'BP diastolic').fill('95');
    await field(page, 'Pulse').fill('88');
    await field(page, 'Temperature').fill('37.0');
    await field(page, 'SpO₂').fill('97');
    await field(page, 'Weight').fill('70');
    await field(page, 'Height').fill('170');
    await page.getByRole('button', { name: 'Record vitals' }).click();
    const recorded = page.getByRole('list', { name: 'Vitals recorded in this visit' });
    await visible(recorded.getByTestId('vital-bmi'));
    expect(await text(recorded.getByTestId('vital-bmi'))).toBe('BMI: 24.2 kg/m²');
    await visible(recorded.getByTestId('vital-systolic').getByLabel('High'));

    // 9. The note is saved as a draft while she types, then signed.
    await field(page, 'Chief complaint').fill('Headache and giddiness for a week');
    await field(page, 'History').fill('Known hypertensive, irregular with amlodipine.');
    await field(page, 'Examination').fill('BP 150/95, no focal deficit.');
    await field(page, 'Assessment').fill('Uncontrolled essential hypertension.');
    await field(page, 'Plan').fill('Amlodipine 5 mg daily; lipid profile.');
    await field(page, 'Advice').fill('Low salt diet, walk 30 minutes a day.');
    await eventually(async () =>
      expect(await text(page.getByTestId('autosave-status'))).toMatch(/^Draft saved/),
    );
    await page.getByRole('button', { name: 'Sign note' }).click();
    await eventually(async () => expect(await text(page.getByTestId('note-status'))).toBe('Signed'));

    // 10. The diagnosis from the ICD-10 search: final and primary.
    await page.getByRole('combobox', { name: 'Diagnosis (ICD-10)' }).fill('essential hypertension');
    await page.getByRole('option', { name: /I10\s*Essential \(primary\) hypertension/ }).click();
    await page.getByRole('radio', { name: 'Final' }).check();
    await page.getByRole('button', { name: 'Add diagnosis' }).click();
    const diagnoses = page.getByRole('table', { name: 'Diagnoses' });
    await visible(
      diagnoses.getByRole('row', { name: /I10.*Essential \(primary\) hypertension.*Final.*Primary/ }),
    );

    // 11. A laboratory order.
    await field(page, 'Test or procedure').fill('Lipid profile');
    await page.getByRole('button', { name: 'Place order' }).click();
    await visible(
      page
        .getByRole('table', { name: 'Orders' })
        .getByRole('row', { name: /Lipid profile.*Routine.*Ordered/ }),
    );

    // 12. Follow-up in a week, booked with her from here; the note's advice is offered to the patient.
    await page.getByRole('button', { name: 'In 1 week' }).click();
    await page.getByRole('button', { name: 'Book follow-up appointment' }).click();
    await visible(page.getByText(/^Follow-up booked: .* with Dr\. Kavya Rao\.$/));
    expect(await field(page, 'Advice to the patient').inputValue()).toBe(
      'Low salt diet, walk 30 minutes a day.',
    );
    await page.getByRole('button', { name: 'Finish consultation' }).click();
    await eventually(async () => expect(await text(page.getByTestId('encounter-status'))).toBe('Finished'));

    // 13. She prints the OPD summary: a PDF.
    const pdf = page.waitForResponse((r) => r.url().endsWith('/summary.pdf'));
    const tab = doctor.context.waitForEvent('page');
    await page.getByRole('button', { name: 'Print summary' }).click();
    const response = await pdf;
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toContain('application/pdf');
    await (await tab).close();

    // 14. She amends the signed note with a reason; the signed version is kept.
    await page.getByRole('button', { name: 'Amend' }).click();
    await field(page, 'Plan').fill('Amlodipine 5 mg daily; lipid profile; review in one week.');
    await field(page, 'Reason for amendment').fill('Review interval added');
    await page.getByRole('button', { name: 'Sign amendment' }).click();
    await eventually(async () => expect(await text(page.getByTestId('note-status'))).toBe('Amended'));
    await page.getByRole('button', { name: 'Earlier versions (1)' }).click();
    await visible(
      page.getByRole('list', { name: 'Earlier versions' }).getByText('Amlodipine 5 mg daily; lipid profile.'),
    );

    // 15. Back to the worklist: Ravi is seen, and Call next brings Asha (token 1), called on the board too.
    await page.getByRole('link', { name: 'Back to worklist' }).click();
    const seen = page.getByRole('table', { name: 'Seen today' });
    await visible(seen.getByRole('row', { name: /Ravi Deshmukh.*Completed/ }));
    await page.getByRole('button', { name: 'Call next' }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'Consultation: Asha Kulkarni' }));
    await eventually(
      async () => expect(await text(board.getByTestId('now-calling-token'))).toBe('1'),
      15_000,
    );

    // 16. Ravi's follow-up is on the front desk's list for that day.
    await desk.page.goto(
      `/opd/appointments?practitionerId=${kavya.practitionerId}&date=${plusDays(clinic.today, 7)}`,
    );
    await visible(
      desk.page
        .getByRole('table', { name: 'Appointments of the day' })
        .getByRole('row', { name: /Ravi Deshmukh.*Follow-up/ }),
    );

    await tv.close();
    await doctor.context.close();
    await desk.context.close();
  }, 240_000);

  it('a nurse transfers a waiting patient to another doctor, who keeps the place in the queue', async () => {
    const desk = await apiSignIn(server.serverUrl, FRONT_DESK.email, FRONT_DESK.password);
    await desk.call('POST', '/opd/queue/check-in', {
      patientId: patients.meena.id,
      practitionerId: kavya.practitionerId,
      priorities: ['pregnant'],
    });

    const { context, page } = await signedIn(NURSE);
    await goTo(page, 'Check-in & queue');
    await choose(page, page, 'Doctor', 'Dr. Kavya Rao · General Medicine');
    const row = page.getByRole('table', { name: 'Queue' }).getByRole('row', { name: /Meena Iyer/ });
    await visible(row);
    expect(await text(row)).toMatch(/Pregnant.*Waiting/);
    await row.getByRole('button', { name: 'Transfer' }).click();
    const dialog = page.getByRole('dialog', { name: 'Transfer to another doctor' });
    await choose(dialog, page, 'Transfer to', 'Dr. Arjun Mehta · General Medicine');
    await field(dialog, 'Reason').fill('Dr. Rao is running late; the patient prefers to wait less');
    await dialog.getByRole('button', { name: 'Transfer' }).click();
    await visible(
      page
        .getByRole('table', { name: 'Seen and transferred' })
        .getByRole('row', { name: /Meena Iyer.*Transferred/ }),
    );

    await choose(page, page, 'Doctor', 'Dr. Arjun Mehta · General Medicine');
    await visible(
      page.getByRole('table', { name: 'Queue' }).getByRole('row', { name: /Meena Iyer.*Transfer.*Waiting/s }),
    );
    await context.close();
  });

  it('the front desk reschedules an appointment and cancels another with a reason', async () => {
    const tomorrow = plusDays(clinic.today, 1);
    const desk = await apiSignIn(server.serverUrl, FRONT_DESK.email, FRONT_DESK.password);
    const slot = await firstFreeSlot(desk, arjun.practitionerId, tomorrow);
    await desk.call('POST', '/opd/appointments', { patientId: patients.sunil.id, slotId: slot.id });

    const { context, page } = await signedIn(FRONT_DESK);
    // The facility's own record is slow to come: times must still be the facility's (IST) from the first
    // screen, not the desk computer's (UTC here), as they once were until that record arrived.
    await page.route('**/api/v1/organization/facilities/*', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 5_000));
      await route.continue();
    });
    await page.goto(`/opd/appointments?practitionerId=${arjun.practitionerId}&date=${tomorrow}`);
    const day = page.getByRole('table', { name: 'Appointments of the day' });
    const row = day.getByRole('row', { name: /Sunil Patil/ });
    await visible(row);
    const before = (await text(row.locator('td').first())).trim();
    const inFacilityZone = await page.evaluate(
      ([at, timeZone]) =>
        new Intl.DateTimeFormat(undefined, { timeZone, hour: '2-digit', minute: '2-digit' }).format(
          new Date(at),
        ),
      [slot.startsAt, clinic.timeZone] as const,
    );
    expect(before).toBe(inFacilityZone);

    // 1. Sunil asks for a later time: Reschedule shows the doctor's free slots, his current one not offered.
    await row.getByRole('button', { name: 'Reschedule' }).click();
    const dialog = page.getByRole('dialog', { name: 'Reschedule appointment' });
    await visible(
      dialog.getByRole('group', { name: 'Slots' }).getByRole('button', { name: `${before}, current` }),
    );
    const later = dialog.getByRole('group', { name: 'Slots' }).locator('button:not([disabled])').nth(3);
    const laterTime = ((await later.getAttribute('aria-label')) ?? '').split(',')[0] ?? '';
    await later.click();
    await dialog.getByRole('button', { name: `Move to ${laterTime}` }).click();
    await eventually(async () =>
      expect(
        await text(
          day
            .getByRole('row', { name: /Sunil Patil/ })
            .locator('td')
            .first(),
        ),
      ).toBe(laterTime),
    );

    // 2. Then he cannot come at all: cancelled with a reason, gone from the day's list, shown under Cancelled.
    await day
      .getByRole('row', { name: /Sunil Patil/ })
      .getByRole('button', { name: 'Cancel' })
      .click();
    const cancel = page.getByRole('dialog', { name: 'Cancel appointment' });
    await cancel.getByRole('button', { name: 'Cancel appointment' }).click();
    await visible(cancel.getByText('Give a reason'));
    await field(cancel, 'Reason for cancelling').fill('Travelling out of town');
    await cancel.getByRole('button', { name: 'Cancel appointment' }).click();
    await closed(cancel);
    await eventually(async () => expect(await day.getByRole('row', { name: /Sunil Patil/ }).count()).toBe(0));
    await choose(page, page, 'Status', 'Cancelled');
    await visible(day.getByRole('row', { name: /Sunil Patil.*Cancelled/ }));
    await context.close();
  });

  it('an administrator cancels a session and sees the booked patients to rebook', async () => {
    const dayAfter = plusDays(clinic.today, 7);
    const desk = await apiSignIn(server.serverUrl, FRONT_DESK.email, FRONT_DESK.password);
    const slot = await firstFreeSlot(desk, arjun.practitionerId, dayAfter);
    await desk.call('POST', '/opd/appointments', { patientId: patients.asha.id, slotId: slot.id });

    const { context, page } = await openApp(browser, server.baseUrl);
    await signIn(page, server.adminEmail, server.adminPassword);
    await goTo(page, 'OPD schedules');
    await page.getByRole('tab', { name: 'Sessions' }).click();
    await choose(page, page, 'Doctor', 'Dr. Arjun Mehta · General Medicine');
    await field(page, 'From').fill(dayAfter);
    const sessions = page.getByRole('table', { name: 'Sessions' });
    const row = sessions.getByRole('row', { name: /Dr\. Arjun Mehta.*Open/ }).first();
    await visible(row);
    await row.getByRole('button', { name: 'Cancel session' }).click();
    const dialog = page.getByRole('dialog', { name: 'Cancel session' });
    await field(dialog, 'Reason').fill('Doctor attending a conference');
    await dialog.getByRole('button', { name: 'Cancel session' }).click();

    const affected = page.getByRole('dialog', { name: 'Patients to rebook (1)' });
    await visible(affected.getByRole('row', { name: /Asha Kulkarni/ }));
    await affected.getByRole('button', { name: 'Close' }).click();
    await visible(sessions.getByRole('row', { name: /Cancelled.*Doctor attending a conference/ }));

    // The front desk sees her on the list of patients to rebook.
    await page.goto('/opd/appointments');
    await visible(
      page.getByRole('table', { name: 'Patients to rebook' }).getByRole('row', { name: /Asha Kulkarni/ }),
    );
    await context.close();
  });
});
