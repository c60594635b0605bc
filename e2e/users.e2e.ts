import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { choose, field, goTo, navItems, signIn, signOut, text, visible } from './support/app';
import { launchBrowser, openApp } from './support/browser';
import { startServer, type TestServer } from './support/server';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('user administration', () => {
  it('creates a user who must change the temporary password and then sees only the areas of their role', async () => {
    const { context, page } = await openApp(browser, server.baseUrl);

    // 1. The administrator signs in and sees every admin area.
    await signIn(page, server.adminEmail, server.adminPassword);
    await visible(page.getByRole('heading', { level: 1, name: /Welcome, Administrator/ }));
    expect(await navItems(page)).toEqual([
      'Home',
      'Patients',
      'Appointments',
      'Check-in & queue',
      'My worklist',
      'Bed board',
      'Admissions',
      'Nursing station',
      'Housekeeping',
      'Kitchen list',
      'Pharmacy',
      'Dispense',
      'Prescription queue',
      'Goods receipt',
      'Purchase orders',
      'Expiry',
      'Stock adjustments',
      'Indents',
      'Controlled register',
      'Stores & suppliers',
      'Sample collection',
      'Sample reception',
      'Lab worklists',
      'Lab validation',
      'Lab walk-in',
      'Lab turnaround',
      'Critical results',
      'Unmatched lab orders',
      'Radiology scheduling',
      'Radiology worklist',
      'Radiology reporting',
      'Radiology walk-in',
      'Radiology rooms',
      'Unmatched imaging orders',
      'Billing',
      'Cashier',
      'Approvals',
      'Charge master',
      'Billing reports',
      'Insurance desk',
      'Claims',
      'Payers & plans',
      'Aging',
      'Duplicate review',
      'Users',
      'Roles',
      'Facilities & departments',
      'OPD schedules',
      'MRN format',
      'Audit log',
      'Break-glass review',
    ]);

    // 2. They create Asha, an auditor, without a password: a temporary one is shown once.
    await goTo(page, 'Users');
    await page.getByRole('button', { name: 'New user' }).click();
    const dialog = page.getByRole('dialog', { name: 'New user' });
    await dialog.getByRole('textbox', { name: 'E-mail' }).fill('asha.auditor@example.org');
    await dialog.getByRole('textbox', { name: 'Name' }).fill('Asha Auditor');
    await choose(dialog, page, 'Role', 'auditor');
    await dialog.getByRole('button', { name: 'Add role' }).click();
    await visible(dialog.getByRole('list', { name: 'Assigned roles' }).getByText('auditor'));
    await dialog.getByRole('button', { name: 'Create user' }).click();
    const secret = await visible(page.getByTestId('one-time-secret'));
    const temporaryPassword = await text(secret);
    expect(temporaryPassword.length).toBeGreaterThanOrEqual(12);
    await page.getByRole('button', { name: 'Done' }).click();

    // 3. Asha appears in the list, found by search.
    await page.getByRole('searchbox', { name: 'Search users' }).fill('asha');
    await visible(page.getByRole('table', { name: 'Users' }).getByRole('link', { name: 'Asha Auditor' }));
    await signOut(page);

    // 4. Asha signs in with the temporary password and must choose a new one first.
    await signIn(page, 'asha.auditor@example.org', temporaryPassword);
    await visible(page.getByRole('heading', { name: 'Change your password' }));
    await field(page, 'Current password').fill(temporaryPassword);
    await field(page, 'New password').fill('short');
    await field(page, 'Confirm new password').fill('short');
    await page.getByRole('button', { name: 'Change password' }).click();
    // The server's policy error is shown at the field.
    await visible(page.getByText(/at least 12 characters/));
    await field(page, 'New password').fill('Asha-Audits-2026!');
    await field(page, 'Confirm new password').fill('Asha-Audits-2026!');
    await page.getByRole('button', { name: 'Change password' }).click();

    // 5. She reaches the app and sees only the areas the auditor role opens.
    await visible(page.getByRole('heading', { level: 1, name: /Welcome, Asha Auditor/ }));
    expect(await navItems(page)).toEqual([
      'Home',
      'Billing reports',
      'Aging',
      'Facilities & departments',
      'Audit log',
      'Break-glass review',
    ]);
    await page.goto('/admin/users');
    await visible(page.getByText('You do not have access to this area'));
    await context.close();
  });

  it('locks, unlocks and resets the password of a user', async () => {
    const { context, page } = await openApp(browser, server.baseUrl);
    await signIn(page, server.adminEmail, server.adminPassword);
    await goTo(page, 'Users');
    await page.getByRole('searchbox', { name: 'Search users' }).fill('asha');
    await page.getByRole('table', { name: 'Users' }).getByRole('link', { name: 'Asha Auditor' }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'Asha Auditor' }));

    // A reload keeps the session: the refresh cookie restores it, the access token lived in memory only.
    await page.reload();
    await visible(page.getByRole('heading', { level: 1, name: 'Asha Auditor' }));

    await page.getByRole('button', { name: 'Lock account' }).click();
    await visible(page.getByText('The account was locked.'));
    await visible(page.getByRole('button', { name: 'Unlock account' }));
    await page.getByRole('button', { name: 'Unlock account' }).click();
    await visible(page.getByRole('button', { name: 'Lock account' }));

    await page.getByRole('button', { name: 'Reset password' }).click();
    await page
      .getByRole('dialog', { name: 'Reset password?' })
      .getByRole('button', { name: 'Reset password' })
      .click();
    const secret = await visible(page.getByTestId('one-time-secret'));
    expect((await text(secret)).length).toBeGreaterThanOrEqual(12);
    await page.getByRole('button', { name: 'Done' }).click();

    // Rename her: the version travels with the change.
    await page.getByRole('textbox', { name: 'Name' }).fill('Asha R. Auditor');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'Asha R. Auditor' }));
    await context.close();
  });
});
