import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { choose, columnTexts, field, goTo, signIn, visible } from './support/app';
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

describe('facilities and departments', () => {
  it('creates and edits a facility and its departments', async () => {
    const { context, page } = await openApp(browser, server.baseUrl);
    await signIn(page, server.adminEmail, server.adminPassword);
    await goTo(page, 'Facilities & departments');

    // 1. The administrator opens a second hospital of the group.
    await page.getByRole('button', { name: 'New facility' }).click();
    let dialog = page.getByRole('dialog', { name: 'New facility' });
    await field(dialog, 'Code').fill('NORTH');
    await field(dialog, 'Name').fill('North Wing Hospital');
    await field(dialog, 'City').fill('Pune');
    await field(dialog, 'Phone').fill('+91 20 5555 0101');
    await field(dialog, 'GSTIN').fill('bad');
    await dialog.getByRole('button', { name: 'Create facility' }).click();
    // The contract's rule is checked before anything is sent.
    await visible(dialog.getByText('a 15-character GSTIN'));
    await field(dialog, 'GSTIN').fill('27AAPFU0939F1ZV');
    await dialog.getByRole('button', { name: 'Create facility' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const table = page.getByRole('table', { name: 'Facilities' });
    await visible(table.getByText('North Wing Hospital'));
    expect(await columnTexts(table, 'Code')).toContain('NORTH');

    // 2. The name is corrected.
    await page.getByRole('button', { name: 'Edit facility North Wing Hospital' }).click();
    dialog = page.getByRole('dialog', { name: 'Edit North Wing Hospital' });
    await field(dialog, 'Name').fill('North Wing Multispeciality Hospital');
    await dialog.getByRole('button', { name: 'Save facility' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await visible(table.getByText('North Wing Multispeciality Hospital'));

    // 3. Its departments: cardiology is created, then renamed and made inactive.
    await page.getByRole('link', { name: 'Departments of North Wing Multispeciality Hospital' }).click();
    await visible(
      page.getByRole('heading', { level: 1, name: 'Departments of North Wing Multispeciality Hospital' }),
    );
    await page.getByRole('button', { name: 'New department' }).click();
    dialog = page.getByRole('dialog', { name: 'New department' });
    await field(dialog, 'Code').fill('CARD');
    await field(dialog, 'Name').fill('Cardiology');
    await choose(dialog, page, 'Kind', 'clinical');
    await dialog.getByRole('button', { name: 'Create department' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const departments = page.getByRole('table', { name: 'Departments' });
    await visible(departments.getByText('Cardiology'));

    await page.getByRole('button', { name: 'Edit department Cardiology' }).click();
    dialog = page.getByRole('dialog', { name: 'Edit Cardiology' });
    await field(dialog, 'Name').fill('Cardiology & CTVS');
    await dialog.getByLabel('Active').uncheck();
    await dialog.getByRole('button', { name: 'Save department' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await visible(departments.getByText('Cardiology & CTVS'));
    expect(await columnTexts(departments, 'Status')).toEqual(['inactive']);
    await context.close();
  });
});
