import { describe, it } from 'vitest';
import {
  adminApi,
  audit,
  expectNoSeriousFindings,
  type Finding,
  registerAsha,
  settled,
  watchRequests,
} from './support/accessibility';
import { field, goTo, visible } from './support/app';
import { openApp } from './support/browser';
import { serverAndBrowser } from './support/suite';

// The accessibility stories are split by area (accessibility-*.e2e.ts) so that they run side by side; each runs
// axe-core on every screen of its area and fails on a critical or serious violation.

const suite = serverAndBrowser();

describe('accessibility', () => {
  it('has no critical or serious axe violations on sign-in, administration and the front desk', async () => {
    const { context, page } = await openApp(suite.browser, suite.server.baseUrl);
    watchRequests(page);
    const findings: Finding[] = [];

    await visible(page.getByRole('heading', { name: 'Sign in' }));
    findings.push(...(await audit(page, 'login')));

    // Signing in works from the keyboard alone: the e-mail field has focus, Tab moves on, Enter submits.
    await page.keyboard.type(suite.server.adminEmail);
    await page.keyboard.press('Tab');
    await page.keyboard.type(suite.server.adminPassword);
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
      await settled(page);
      findings.push(...(await audit(page, area)));
    }

    await goTo(page, 'Users');
    await page.getByRole('button', { name: 'New user' }).click();
    await visible(page.getByRole('dialog', { name: 'New user' }));
    findings.push(...(await audit(page, 'new user dialog')));
    await page.keyboard.press('Escape');

    // The front desk's screens: search with results, the registration form with a possible duplicate, the record.
    const admin = await adminApi(suite);
    const asha = await registerAsha(admin);
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

    expectNoSeriousFindings(findings);
    await context.close();
  }, 180_000);
});
