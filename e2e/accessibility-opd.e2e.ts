import { describe, it } from 'vitest';
import {
  adminApi,
  adminAtHome,
  audit,
  checkInWithVitals,
  createAxeDoctor,
  expectNoSeriousFindings,
  registerAsha,
} from './support/accessibility';
import { choose, goTo, visible } from './support/app';
import { serverAndBrowser } from './support/suite';

const suite = serverAndBrowser();

describe('accessibility', () => {
  it('has no critical or serious axe violations on the OPD screens', async () => {
    // Appointments with the slot picker, the queue, a doctor's worklist with the patient summary, the
    // consultation, the schedules and sessions, and the token board.
    const admin = await adminApi(suite);
    const asha = await registerAsha(admin);
    const { doctor } = await createAxeDoctor(admin);
    const { encounterId } = await checkInWithVitals(admin, asha, doctor);

    const { context, page, findings } = await adminAtHome(suite);

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
    await page.goto(`/consultation/${encounterId}`);
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

    expectNoSeriousFindings(findings);
    await context.close();
  }, 120_000);
});
