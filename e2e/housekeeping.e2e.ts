import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiSession, apiSignIn, createStaffMember, registerPatient } from './support/api';
import { closed, eventually, signIn, text, visible } from './support/app';
import { launchBrowser, openApp, type Viewport } from './support/browser';
import { admitToBed, createWard, type WardSetup } from './support/nursing';
import { startServer, type TestServer } from './support/server';

let server: TestServer;
let browser: Browser;
let admin: ApiSession;
let setup: WardSetup;

const PHONE: Viewport = { width: 375, height: 667 };
const CLEANER = { email: 'ramesh.hk@example.org', password: 'Ramesh-Cleans-2026!' };

type Task = {
  id: string;
  status: string;
  bedId: string | null;
  location: string;
  turnaroundMinutes: number | null;
};
type Bed = { id: string; status: string };

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  admin = await apiSignIn(server.serverUrl, server.adminEmail, server.adminPassword);
  await createStaffMember(admin, { ...CLEANER, displayName: 'Ramesh Pawar', role: 'housekeeping' });
  const doctor = await createStaffMember(admin, {
    email: 'dr.joshi@example.org',
    password: 'Joshi-Admits-2026!',
    displayName: 'Dr. Anil Joshi',
    role: 'doctor',
  });
  setup = await createWard(admin, {
    wardName: 'Surgical Ward 2',
    doctorUserId: doctor.id,
    doctorName: 'Dr. Anil Joshi',
    bedCount: 2,
  });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('housekeeping on a phone', () => {
  it('shows the task of a released bed; take, start and finish make the bed available again', async () => {
    // 1. A patient moves to another bed: the first bed is released and waits for cleaning.
    const patient = await registerPatient(admin, {
      name: { given: 'Vikram', family: 'Shinde' },
      sex: 'male',
      birth: { birthDate: '1970-01-09' },
      phones: [{ number: '9890012345' }],
    });
    const [first, second] = setup.beds;
    if (!first || !second) throw new Error('two beds expected');
    const admission = await admitToBed(admin, setup, { patientId: patient.id, bedId: first.id });
    await admin.call('POST', `/ipd/admissions/${admission.id}/transfer`, {
      bedId: second.id,
      reason: 'Moved nearer the nursing station',
      version: admission.version,
    });
    const released = await eventually(async () => {
      const queue = await admin.call<{ items: Task[] }>('GET', '/facilities/housekeeping/tasks');
      const task = queue.items.find((t) => t.bedId === first.id);
      expect(task?.status).toBe('open');
      return task as Task;
    }, 20_000);
    expect((await admin.call<Bed>('GET', `/ipd/beds/${first.id}`)).status).toBe('cleaning');

    // 2. Ramesh opens the queue on his phone: the bed is there, with a big Take button.
    const { context, page } = await openApp(browser, server.baseUrl, PHONE);
    await signIn(page, CLEANER.email, CLEANER.password);
    await visible(page.getByRole('heading', { level: 1, name: /Welcome/ }));
    await page.goto('/housekeeping');
    await visible(page.getByRole('heading', { level: 1, name: 'Housekeeping' }));
    const queue = page.getByRole('list', { name: 'Open queue' });
    const card = queue.getByRole('listitem', { name: new RegExp(first.code) });
    await visible(card);
    expect(await text(card.getByTestId('task-due'))).toMatch(/^Due in \d+ min$/);
    const take = card.getByRole('button', { name: 'Take' });
    const box = await take.boundingBox();
    expect(box?.height ?? 0).toBeGreaterThanOrEqual(48);

    // 3. Take: the task moves to his own list; start; finish.
    await take.click();
    const mine = page.getByRole('list', { name: 'My tasks' });
    const myCard = mine.getByRole('listitem', { name: new RegExp(first.code) });
    await visible(myCard.getByRole('button', { name: 'Start' }));
    expect(await text(myCard.getByTestId('task-status'))).toBe('Assigned');
    await myCard.getByRole('button', { name: 'Start' }).click();
    await visible(myCard.getByRole('button', { name: 'Finish' }));
    expect(await text(myCard.getByTestId('task-status'))).toBe('In progress');
    await myCard.getByRole('button', { name: 'Finish' }).click();
    await eventually(async () => expect(await mine.getByRole('listitem').count()).toBe(0));
    await visible(page.getByText('Nothing assigned to you.'));

    // 4. Nothing spills sideways on the phone.
    const overflow = await page.evaluate('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);

    // 5. The task is done with its turnaround, and the bed is available again.
    const done = await admin.call<Task>('GET', `/facilities/housekeeping/tasks/${released.id}`);
    expect(done.status).toBe('done');
    expect(done.turnaroundMinutes).not.toBeNull();
    await eventually(async () =>
      expect((await admin.call<Bed>('GET', `/ipd/beds/${first.id}`)).status).toBe('available'),
    );
    await context.close();
  });

  it('shows an overdue task in red with its minutes, and lets the supervisor assign and cancel', async () => {
    // 1. The supervisor logs an urgent spill, due in 5 minutes (the shortest allowed), and a routine round.
    const spill = await admin.call<Task & { version: number }>('POST', '/facilities/housekeeping/tasks', {
      kind: 'spill',
      priority: 'urgent',
      location: 'Corridor outside OT 2',
      dueInMinutes: 5,
    });
    const routine = await admin.call<Task & { version: number }>('POST', '/facilities/housekeeping/tasks', {
      kind: 'routine',
      location: 'Waiting hall, ground floor',
    });

    // 2. The supervisor (an administrator here) opens All tasks on a phone and assigns the spill to Ramesh.
    const { context, page } = await openApp(browser, server.baseUrl, PHONE);
    await signIn(page, server.adminEmail, server.adminPassword);
    await visible(page.getByRole('heading', { level: 1, name: /Welcome/ }));
    await page.goto('/housekeeping?view=all');
    const live = page.getByRole('list', { name: 'Live tasks' });
    const spillCard = live.getByRole('listitem', { name: /Corridor outside OT 2/ });
    await visible(spillCard);
    expect(await text(spillCard.getByTestId('task-due'))).toMatch(/^Due in \d+ min$/);
    await spillCard.getByRole('button', { name: 'Assign' }).click();
    const assign = page.getByRole('dialog', { name: /Assign/ });
    await assign.getByRole('combobox', { name: 'Staff member' }).click();
    await page.getByRole('option', { name: 'Ramesh Pawar' }).click();
    await assign.getByRole('button', { name: 'Assign' }).click();
    await eventually(async () => expect(await text(spillCard.getByTestId('task-status'))).toBe('Assigned'));
    await visible(spillCard.getByText('Assigned to Ramesh Pawar'));

    // 3. The routine round is not needed today: cancelled with a reason.
    const routineCard = live.getByRole('listitem', { name: /Waiting hall/ });
    await routineCard.getByRole('button', { name: 'Cancel task' }).click();
    const cancel = page.getByRole('dialog', { name: 'Cancel housekeeping task' });
    await cancel.getByLabel(/^Reason/).fill('Hall closed for painting');
    await cancel.getByRole('button', { name: 'Cancel task' }).click();
    await closed(cancel);
    await eventually(async () =>
      expect(await live.getByRole('listitem', { name: /Waiting hall/ }).count()).toBe(0),
    );
    const cancelled = await admin.call<Task & { cancelledReason: string }>(
      'GET',
      `/facilities/housekeeping/tasks/${routine.id}`,
    );
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelledReason: 'Hall closed for painting' });

    // 4. Past its due time the spill turns red (the theme's error colour) and says by how many minutes: the
    //    browser's clock is set 12 minutes ahead.
    await page.clock.setFixedTime(new Date(Date.now() + 12 * 60_000));
    await page.reload();
    const late = page
      .getByRole('list', { name: 'Live tasks' })
      .getByRole('listitem', { name: /Corridor outside OT 2/ });
    await visible(late);
    expect(await text(late.getByTestId('task-due'))).toMatch(/^Overdue by (6|7|8) min$/);
    // The e2e code has no DOM types: the browser's getComputedStyle is reached through globalThis.
    type Styles = { getComputedStyle: (el: unknown) => { color: string } };
    const colour = await late
      .getByTestId('task-due')
      .evaluate((el) => (globalThis as unknown as Styles).getComputedStyle(el).color);
    expect(colour).toBe('rgb(179, 38, 30)');
    expect(spill.status).toBe('open');
    await context.close();
  });
});
