import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zonedInstant } from '../apps/web/src/modules/radiology/booking-slots';
import { type ApiSession, apiSignIn, createStaffMember, registerPatient } from './support/api';
import { eventually, field, goTo, signIn, text, visible } from './support/app';
import { launchBrowser, openApp } from './support/browser';
import { startServer, type TestServer } from './support/server';

// Issue #8, radiology in the browser: a doctor orders a chest X-ray (PA view) in the consultation; the front desk
// books it into the X-ray room (a slot that overlaps a colleague's booking is refused, and said); the radiographer
// records the arrival with the safety checklist (the start is refused until the pregnancy question of a woman of
// 34 is answered, said at that question), starts and completes the study with its Study Instance UID (a malformed
// UID is caught before sending); the radiologist writes the report from the template (a colleague's save in
// between is a conflict, said plainly) and signs it with a critical finding; the doctor reads the finding back
// (a mere "ok noted" is refused) and finds the report in the patient's Imaging section. The consultation's Imaging
// section shows that visit's studies only (an earlier desk order is in the record, not there); the billing desk
// reads the procedure catalog, not the patients' studies.

let server: TestServer;
let browser: Browser;
let admin: ApiSession;
let doctorApi: ApiSession;
let timeZone: string;

const VIEWER = 'https://pacs.example.org/viewer?StudyInstanceUIDs={studyUid}';
const DOCTOR = { email: 'dr.farah@example.org', password: 'Farah-Orders-Films-2026!' };
const DESK = { email: 'joseph.desk@example.org', password: 'Joseph-Books-Rooms-2026!' };
const RADIOGRAPHER = { email: 'priya.xray@example.org', password: 'Priya-Takes-Films-2026!' };
const RADIOLOGIST = { email: 'dr.rao.rad@example.org', password: 'Rao-Reads-Films-2026!' };
const CLERK = { email: 'sunil.billing@example.org', password: 'Sunil-Bills-Films-2026!' };
const STUDY_UID = '1.2.840.113619.2.55.3.604688119.971.1718090000.1';

type RadOrder = {
  id: string;
  status: string;
  accession: string;
  version: number;
  booking: { startsAt: string; roomName: string } | null;
  studyInstanceUid: string | null;
};
type RadReport = { id: string; version: number; findings: string; impression: string };

const radiologyPermissions: Record<string, string[]> = {
  radiographer: ['radiology:read', 'radiology:order', 'radiology:schedule', 'radiology:perform'],
  radiologist: ['radiology:read', 'radiology:order', 'radiology:report'],
};

/** The radiology roles the module's permissions name; made through the roles API when a build lacks one. */
async function ensureRole(name: string): Promise<void> {
  const roles = await admin.call<{ items: { name: string }[] }>('GET', '/access/roles');
  if (roles.items.some((r) => r.name === name)) return;
  await admin.call('POST', '/access/roles', {
    name,
    description: name,
    permissions: ['patients:read', 'organization:read', ...(radiologyPermissions[name] ?? [])],
  });
}

/** Signs a staff member in, in a fresh browser profile. */
async function session(email: string, password: string): Promise<{ context: BrowserContext; page: Page }> {
  const opened = await openApp(browser, server.baseUrl);
  await signIn(opened.page, email, password);
  await visible(opened.page.getByRole('heading', { level: 1, name: /Welcome/ }));
  return opened;
}

/** Waits for a PDF the page opens in a new tab: the API's answer and the tab. */
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

/** The facility's calendar date a number of days from now. */
function facilityDay(days: number): string {
  const d = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  return d.format(new Date(Date.now() + days * 86_400_000));
}

/** The radiology orders of one visit. */
async function ordersOf(visit: { id: string }): Promise<RadOrder[]> {
  return admin.call<RadOrder[]>('GET', `/radiology/orders?encounterId=${visit.id}`);
}

beforeAll(async () => {
  server = await startServer({ pacsViewerUrl: VIEWER });
  browser = await launchBrowser();
  admin = await apiSignIn(server.serverUrl, server.adminEmail, server.adminPassword);
  const facilities = await admin.call<{ items: { timeZone: string }[] }>('GET', '/organization/facilities');
  timeZone = facilities.items[0]?.timeZone ?? 'Asia/Kolkata';
  await ensureRole('radiographer');
  await ensureRole('radiologist');
  await createStaffMember(admin, { ...DOCTOR, displayName: 'Dr Farah Khan', role: 'doctor' });
  await createStaffMember(admin, { ...DESK, displayName: 'Joseph Desk', role: 'front-desk' });
  await createStaffMember(admin, {
    ...RADIOGRAPHER,
    displayName: 'Priya Radiographer',
    role: 'radiographer',
  });
  await createStaffMember(admin, { ...RADIOLOGIST, displayName: 'Dr Vikram Rao', role: 'radiologist' });
  await createStaffMember(admin, { ...CLERK, displayName: 'Sunil Billing', role: 'billing-clerk' });
  doctorApi = await apiSignIn(server.serverUrl, DOCTOR.email, DOCTOR.password);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('radiology, from the order to the read-back', () => {
  it('orders, books, checks, performs, reports with a critical finding, reads it back and files it', async () => {
    const tomorrow = facilityDay(1);

    // 0. The administrator sets up the X-ray room, open 08:00 to 20:00. A colleague has already booked another
    //    patient's knee X-ray there tomorrow 09:00 to 09:15.
    const adm = await session(server.adminEmail, server.adminPassword);
    let page = adm.page;
    await goTo(page, 'Radiology rooms');
    await page.getByRole('button', { name: 'New room' }).click();
    let dialog = page.getByRole('dialog', { name: 'New room' });
    await field(dialog, 'Code').fill('xr-1');
    await field(dialog, 'Name').fill('X-ray room 1');
    await field(dialog, 'Opens at').fill('08:00');
    await field(dialog, 'Closes at').fill('20:00');
    await field(dialog, 'DICOM AE title').fill('XR1_DR');
    await dialog.getByRole('button', { name: 'Create room' }).click();
    await dialog.waitFor({ state: 'detached' });
    await visible(
      page
        .getByRole('table', { name: 'Radiology rooms' })
        .getByRole('row', { name: /XR-1.*X-ray room 1.*X-ray.*08:00-20:00/ }),
    );
    await adm.context.close();
    const [room] = await admin.call<{ id: string }[]>('GET', '/radiology/rooms?modality=XR');
    const ravi = await registerPatient(admin, {
      name: { given: 'Ravi', family: 'Kulkarni' },
      sex: 'male',
      birth: { birthDate: '1962-08-09' },
    });
    const knee = await admin.call<RadOrder>('POST', '/radiology/orders', {
      patientId: ravi.id,
      procedureCode: 'RAD-XR-KNEE',
      laterality: 'left',
      clinicalIndication: 'Knee pain after a fall',
    });
    await admin.call('POST', `/radiology/orders/${knee.id}/booking`, {
      roomId: room?.id,
      startsAt: zonedInstant(tomorrow, '09:00', timeZone),
      endsAt: zonedInstant(tomorrow, '09:15', timeZone),
      version: knee.version,
    });

    // 1. The doctor orders a chest X-ray (PA view) from the imaging catalog in Meera's consultation.
    const meera = await registerPatient(admin, {
      name: { given: 'Meera', family: 'Iyer' },
      sex: 'female',
      birth: { birthDate: '1991-05-20' },
      phones: [{ number: '9845012345' }],
    });
    // Last month the desk ordered Meera an abdominal ultrasound without a visit (cancelled: she had it done
    // elsewhere). It stays in her record; today's consultation does not show it.
    const earlier = await admin.call<RadOrder>('POST', '/radiology/orders', {
      patientId: meera.id,
      procedureCode: 'RAD-USG-ABD',
      clinicalIndication: 'Upper abdominal pain after meals',
    });
    await admin.call('POST', `/radiology/orders/${earlier.id}/cancel`, {
      reason: 'Done at another hospital',
      version: earlier.version,
    });
    const visit = await doctorApi.call<{ id: string }>('POST', '/encounters', {
      patientId: meera.id,
      class: 'ambulatory',
      reason: 'Sudden breathlessness and left chest pain',
    });
    const doc = await session(DOCTOR.email, DOCTOR.password);
    page = doc.page;
    await page.goto(`/consultation/${visit.id}`);
    await visible(page.getByRole('heading', { level: 1, name: 'Consultation: Meera Iyer' }));
    await page.getByRole('combobox', { name: 'Order kind' }).click();
    await page.getByRole('option', { name: 'Imaging', exact: true }).click();
    const orderField = page.getByRole('combobox', { name: 'Test or procedure' });
    await orderField.fill('chest x-ray pa');
    await page.getByRole('option', { name: /^Chest X-ray PA view · RAD-CXR-PA · X-ray/ }).click();
    await page.getByRole('combobox', { name: 'Priority' }).click();
    await page.getByRole('option', { name: 'Urgent', exact: true }).click();
    await page.getByRole('button', { name: 'Place order' }).click();
    await visible(
      page
        .getByRole('table', { name: 'Orders' })
        .getByRole('row', { name: /Chest X-ray PA view.*Urgent.*Ordered/ }),
    );
    // Radiology receives it by its code (an event later), with its accession number; the visit's Imaging section
    // says it waits for a slot, and shows nothing of the visit-less ultrasound.
    await eventually(async () => expect(await ordersOf(visit)).toHaveLength(1), 20_000);
    const [ordered] = await ordersOf(visit);
    if (!ordered) throw new Error('no radiology order');
    await page.reload();
    const visitImaging = page.getByRole('table', { name: 'Imaging studies of this visit' });
    await visible(visitImaging.getByRole('row', { name: /Chest X-ray PA view.*To schedule.*Not reported/ }));
    expect(await visitImaging.locator('tbody tr').count()).toBe(1);
    expect(await visitImaging.getByText('Ultrasound abdomen').count()).toBe(0);
    await doc.context.close();

    // 2. The front desk sees the order waiting, reads Meera the preparation, and books it tomorrow at 09:05: the
    //    room is taken then (the server's 409 is said in the dialog); the first free slot, 08:00, is taken instead.
    const desk = await session(DESK.email, DESK.password);
    page = desk.page;
    await goTo(page, 'Radiology scheduling');
    const waiting = page.getByRole('table', { name: 'Orders to schedule' });
    await visible(waiting.getByRole('row', { name: /Urgent.*Meera Iyer.*Chest X-ray PA view/ }));
    await waiting.getByRole('button', { name: 'Preparation for Meera Iyer' }).click();
    dialog = page.getByRole('dialog', { name: 'Preparation: Chest X-ray PA view' });
    expect(await text(dialog.getByTestId('preparation'))).toMatch(/^Remove jewellery, hairpins/);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await waiting.getByRole('button', { name: 'Book Chest X-ray PA view for Meera Iyer' }).click();
    dialog = page.getByRole('dialog', { name: 'Book study' });
    await visible(dialog.getByRole('combobox', { name: 'Room' }).getByText('X-ray room 1 (XR-1)'));
    await field(dialog, 'Date').fill(tomorrow);
    await visible(
      dialog
        .getByRole('list', { name: 'Booked that day' })
        .getByText(/09:00-09:15 · X-ray knee.*Ravi Kulkarni/),
    );
    await field(dialog, 'Time').fill('09:05');
    await visible(dialog.getByTestId('clash-warning'));
    await dialog.getByRole('button', { name: 'Book', exact: true }).click();
    const refused = await visible(dialog.getByRole('alert').filter({ hasText: 'That slot is taken' }));
    expect(await text(refused)).toContain('already booked for part of that time');
    await dialog.getByRole('button', { name: 'First free slot: 08:00' }).click();
    expect(await field(dialog, 'Time').inputValue()).toBe('08:00');
    await dialog.getByRole('button', { name: 'Book', exact: true }).click();
    await visible(
      page.getByRole('status').getByText(/Chest X-ray PA view for Meera Iyer booked in X-ray room 1/),
    );
    const day = page.getByRole('table', { name: 'Bookings of X-ray room 1' });
    await visible(day.getByRole('row', { name: /08:00-08:10.*Meera Iyer.*Chest X-ray PA view.*Scheduled/ }));
    await visible(day.getByRole('row', { name: /09:00-09:15.*Ravi Kulkarni.*X-ray knee/ }));
    await visible(waiting.getByText('No order waits for a slot.'));
    await desk.context.close();

    // 3. Tomorrow's worklist: the radiographer records Meera's arrival with her identity checked; the start is
    //    refused until the pregnancy question (a woman of 34 before an X-ray) is answered, said at that question.
    const rad = await session(RADIOGRAPHER.email, RADIOGRAPHER.password);
    page = rad.page;
    await goTo(page, 'Radiology worklist');
    await page.goto(`/radiology/worklist?date=${tomorrow}`);
    const worklist = page.getByRole('table', { name: 'Radiology worklist' });
    await visible(
      worklist.getByRole('row', { name: /08:00-08:10.*Meera Iyer.*Chest X-ray PA view.*Scheduled/ }),
    );
    await worklist.getByRole('button', { name: 'Arrived: Meera Iyer, Chest X-ray PA view' }).click();
    dialog = page.getByRole('dialog', { name: 'Patient arrived' });
    expect(await text(dialog.getByTestId('checklist-gaps'))).toContain(
      'Identity confirmed, Pregnancy status',
    );
    await dialog.getByRole('checkbox', { name: /^Identity confirmed/ }).check();
    await dialog.getByRole('button', { name: 'Record arrival' }).click();
    await visible(page.getByRole('status').getByText('Meera Iyer arrived for Chest X-ray PA view.'));
    await visible(worklist.getByRole('row', { name: /Meera Iyer.*Arrived.*Needs: Pregnancy status/ }));
    await worklist.getByRole('button', { name: 'Start Chest X-ray PA view of Meera Iyer' }).click();
    dialog = page.getByRole('dialog', { name: 'Start study' });
    expect(await dialog.getByRole('checkbox', { name: /^Identity confirmed/ }).isChecked()).toBe(true);
    await dialog.getByRole('button', { name: 'Start study' }).click();
    const pregnancy = dialog.getByTestId('pregnancy-status');
    await visible(
      pregnancy.getByText('ask about pregnancy before an ionising study of a woman aged 12 to 50'),
    );
    await visible(dialog.getByRole('alert').getByText(/cannot start yet: checklist\.pregnancyStatus/));
    await pregnancy.getByRole('radio', { name: 'Not pregnant' }).check();
    await dialog.getByRole('button', { name: 'Start study' }).click();
    await visible(page.getByRole('status').getByText(/Chest X-ray PA view of Meera Iyer started/));

    // 4. She completes the study with the modality's Study Instance UID: a component with a leading zero is caught
    //    before anything is sent; the right UID, 2 images and the dose-area product are recorded.
    await worklist.getByRole('button', { name: 'Complete Chest X-ray PA view of Meera Iyer' }).click();
    dialog = page.getByRole('dialog', { name: 'Complete study' });
    await field(dialog, 'Study Instance UID').fill('1.2.840.0113619.2.55');
    await dialog.getByRole('button', { name: 'Complete study' }).click();
    await visible(dialog.getByText('a DICOM UID: digits and dots, no leading zeros (1.2.840.10008...)'));
    expect((await ordersOf(visit))[0]?.status).toBe('in-progress');
    await field(dialog, 'Study Instance UID').fill(STUDY_UID);
    await field(dialog, 'Number of images').fill('2');
    await field(dialog, 'Dose-area product (Gy·cm²)').fill('0.12');
    await dialog.getByRole('button', { name: 'Complete study' }).click();
    await visible(
      page.getByRole('status').getByText(`Chest X-ray PA view of Meera Iyer completed: study ${STUDY_UID}.`),
    );
    const done = (await ordersOf(visit))[0];
    expect(done?.status).toBe('completed');
    expect(done?.studyInstanceUid).toBe(STUDY_UID);
    await rad.context.close();

    // 5. The radiologist reports it from the chest template. A colleague saves the draft meanwhile: her save is a
    //    conflict, said plainly; she reloads theirs, writes the finding, and signs it off as critical (immediate).
    const rdl = await session(RADIOLOGIST.email, RADIOLOGIST.password);
    page = rdl.page;
    await goTo(page, 'Radiology reporting');
    const toReport = page.getByRole('table', { name: 'To report' });
    await visible(
      toReport.getByRole('row', { name: /Urgent.*Meera Iyer.*Chest X-ray PA view.*Not reported/ }),
    );
    const viewer = toReport.getByRole('link', { name: /^Images of Chest X-ray PA view of Meera Iyer/ });
    expect(await viewer.getAttribute('href')).toBe(VIEWER.replace('{studyUid}', STUDY_UID));
    expect(await viewer.getAttribute('target')).toBe('_blank');
    await toReport.getByRole('button', { name: 'Report Chest X-ray PA view of Meera Iyer' }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'Report: Chest X-ray PA view' }));
    const findings = field(page, 'Findings');
    expect(await findings.inputValue()).toContain('Pleura: no effusion. No pneumothorax.');
    expect(await field(page, 'Technique').inputValue()).toContain('Frontal chest radiograph.');
    const template = await findings.inputValue();
    await findings.fill(
      template.replace(
        'Pleura: no effusion. No pneumothorax.',
        'Pleura: large left pneumothorax with complete collapse of the left lung.',
      ),
    );
    await page.getByRole('button', { name: 'Save draft' }).click();
    await visible(page.getByTestId('save-state').getByText(/^Draft saved/));

    const colleague = await apiSignIn(server.serverUrl, RADIOLOGIST.email, RADIOLOGIST.password);
    const draft = await colleague.call<RadReport>('GET', `/radiology/orders/${ordered.id}/report`);
    await colleague.call('PUT', `/radiology/reports/${draft.id}`, {
      comparison: 'None available. Reviewed with the emergency team.',
      version: draft.version,
    });
    await field(page, 'Impression').fill('Large left tension pneumothorax.');
    await page.getByRole('button', { name: 'Save draft' }).click();
    const conflict = await visible(page.getByTestId('report-conflict'));
    expect(await text(conflict)).toContain('This record was changed by someone else');
    await conflict.getByRole('button', { name: 'Reload' }).click();
    await eventually(async () =>
      expect(await field(page, 'Comparison').inputValue()).toBe(
        'None available. Reviewed with the emergency team.',
      ),
    );
    expect(await findings.inputValue()).toContain('large left pneumothorax');
    await field(page, 'Impression').fill('Large left tension pneumothorax with mediastinal shift.');
    await page.getByRole('button', { name: 'Sign report' }).click();
    dialog = page.getByRole('dialog', { name: 'Sign report' });
    await dialog.getByRole('checkbox', { name: /^Critical finding/ }).check();
    await field(dialog, 'Critical finding').fill('Large left tension pneumothorax');
    await dialog.getByRole('radio', { name: 'Immediate (minutes)' }).check();
    // Signing sends the sign-off alone: the dialog's form sits in the editor's form in React's tree, and a submit
    // that went on to the editor also saved the draft, racing the sign-off with the same version (a conflict).
    const reportWrites: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/radiology/reports/'))
        reportWrites.push(`${r.method()} ${new URL(r.url()).pathname}`);
    });
    await dialog.getByRole('button', { name: 'Sign and call through' }).click();
    await visible(page.getByTestId('report-critical-finding').getByText(/Large left tension pneumothorax/));
    expect(reportWrites).toEqual([`POST /api/v1/radiology/reports/${draft.id}/sign`]);
    expect(await text(page.getByTestId('report-impression'))).toBe(
      'Large left tension pneumothorax with mediastinal shift.',
    );
    await visible(page.getByTestId('signed-report').getByText(/^Signed by Dr Vikram Rao/));
    await rdl.context.close();

    // 6. The doctor sees the critical finding in the top bar, reads it back ("ok noted" is no read-back) and
    //    finds the signed report, its impression and its critical flag in Meera's Imaging record.
    const doc2 = await session(DOCTOR.email, DOCTOR.password);
    page = doc2.page;
    const badge = await visible(page.getByTestId('critical-alerts-badge'), 45_000);
    expect(await badge.getAttribute('data-count')).toBe('1');
    await badge.click();
    await visible(page.getByRole('heading', { level: 1, name: 'Critical results' }));
    const inbox = page.getByRole('table', { name: 'Imaging critical findings to acknowledge' });
    await visible(
      inbox.getByRole('row', { name: /Meera Iyer.*Chest X-ray PA view.*Large left tension pneumothorax/ }),
    );
    await inbox.getByRole('button', { name: 'Acknowledge Chest X-ray PA view of Meera Iyer' }).click();
    dialog = page.getByRole('dialog', { name: 'Acknowledge critical finding' });
    await field(dialog, 'Read back the finding').fill('ok noted');
    await dialog.getByRole('button', { name: 'Acknowledge' }).click();
    await visible(dialog.getByText('repeat the finding in at least 3 words of substance'));
    await field(dialog, 'Read back the finding').fill('Large left tension pneumothorax');
    await dialog.getByRole('button', { name: 'Acknowledge' }).click();
    await visible(
      page
        .getByRole('status')
        .getByText(
          /Acknowledged: Large left tension pneumothorax .* read back "Large left tension pneumothorax"/,
        ),
    );
    await page.getByTestId('critical-alerts-badge').waitFor({ state: 'detached', timeout: 45_000 });

    await page.goto(`/patients/${meera.id}?tab=imaging`);
    const imaging = page.getByRole('table', { name: 'Imaging studies' });
    // The record keeps every study: the cancelled ultrasound too.
    await visible(imaging.getByRole('row', { name: /Ultrasound abdomen.*Cancelled/ }));
    const study = imaging.getByRole('row', { name: /Chest X-ray PA view/ });
    await visible(study.getByText('Final'));
    await visible(study.getByTestId('critical-finding'));
    expect(await text(study.getByTestId('impression'))).toBe(
      'Large left tension pneumothorax with mediastinal shift.',
    );
    await visible(study.getByText(/Dr Vikram Rao/));
    expect(
      await study.getByRole('link', { name: /^Images of Chest X-ray PA view/ }).getAttribute('href'),
    ).toBe(VIEWER.replace('{studyUid}', STUDY_UID));
    await opensPdf(page, doc2.context, /\/radiology\/orders\/[0-9a-f-]+\/report\.pdf$/, () =>
      study.getByRole('button', { name: /^Report of Chest X-ray PA view/ }).click(),
    );
    await doc2.context.close();

    // What persisted: the alert acknowledged with the doctor's read-back, the report final and critical.
    const alerts = await admin.call<
      { status: string; readBack: string | null; acknowledgedByName: string }[]
    >('GET', '/radiology/critical-alerts?status=all');
    expect(alerts).toEqual([
      expect.objectContaining({
        status: 'acknowledged',
        readBack: 'Large left tension pneumothorax',
        acknowledgedByName: 'Dr Farah Khan',
      }),
    ]);
    const studies = await admin.call<
      { orderId: string; encounterId: string | null; reportStatus: string; critical: boolean }[]
    >('GET', `/radiology/patients/${meera.id}/studies`);
    expect(studies).toEqual([
      expect.objectContaining({ encounterId: visit.id, reportStatus: 'final', critical: true }),
      expect.objectContaining({ orderId: earlier.id, encounterId: null, reportStatus: 'none' }),
    ]);
    const ofVisit = await admin.call<{ orderId: string }[]>(
      'GET',
      `/radiology/patients/${meera.id}/studies?encounterId=${visit.id}`,
    );
    expect(ofVisit.map((s) => s.orderId)).toEqual([ordered.id]);

    // The billing desk prices imaging from the procedure catalog; the patients' studies are not theirs to read.
    const clerk = await apiSignIn(server.serverUrl, CLERK.email, CLERK.password);
    const procedures = await clerk.call<{ code: string }[]>('GET', '/radiology/catalog?q=chest');
    expect(procedures.map((p) => p.code)).toContain('RAD-CXR-PA');
    await expect(clerk.call('GET', `/radiology/patients/${meera.id}/studies`)).rejects.toThrow(/403/);
  }, 300_000);
});
