import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSignIn } from './support/api';
import { eventually, field, goTo, signIn, visible } from './support/app';
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

type Role = { id: string; name: string; description: string; permissions: string[]; version: number };

describe('roles', () => {
  it('creates a role, and refuses a stale edit until the role is reloaded', async () => {
    const { context, page } = await openApp(browser, server.baseUrl);
    await signIn(page, server.adminEmail, server.adminPassword);
    await goTo(page, 'Roles');

    // 1. The administrator creates a ward clerk role that may see facilities.
    await page.getByRole('button', { name: 'New role' }).click();
    let dialog = page.getByRole('dialog', { name: 'New role' });
    await field(dialog, 'Name').fill('Ward Clerk');
    await dialog.getByRole('button', { name: 'Create role' }).click();
    await visible(dialog.getByText('lower-case letters, digits and dashes'));
    await field(dialog, 'Name').fill('ward-clerk');
    await field(dialog, 'Description').fill('Keeps the ward registers');
    await dialog.getByRole('group', { name: 'organization' }).getByLabel('organization:read').check();
    await dialog.getByRole('button', { name: 'Create role' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const table = page.getByRole('table', { name: 'Roles' });
    await visible(table.getByText('Keeps the ward registers'));

    // 2. She opens it to edit while a colleague changes it elsewhere.
    await page.getByRole('button', { name: 'Edit role ward-clerk' }).click();
    dialog = page.getByRole('dialog', { name: 'Edit role ward-clerk' });
    await visible(dialog.getByLabel('audit:read'));
    const colleague = await apiSignIn(server.serverUrl, server.adminEmail, server.adminPassword);
    const roles = await colleague.call<{ items: Role[] }>('GET', '/access/roles');
    const role = roles.items.find((r) => r.name === 'ward-clerk');
    if (!role) throw new Error('ward-clerk not found');
    await colleague.call('PATCH', `/access/roles/${role.id}`, {
      description: 'Changed by a colleague',
      version: role.version,
    });

    // 3. Her save is refused as stale; reloading shows the colleague's change, and then her save goes through.
    await dialog.getByLabel('audit:read').check();
    await dialog.getByRole('button', { name: 'Save role' }).click();
    await visible(dialog.getByText(/changed by someone else/));
    await dialog.getByRole('button', { name: 'Reload' }).click();
    await eventually(async () => {
      expect(await field(dialog, 'Description').inputValue()).toBe('Changed by a colleague');
    });
    await dialog.getByLabel('audit:read').check();
    await dialog.getByRole('button', { name: 'Save role' }).click();
    await dialog.waitFor({ state: 'hidden' });

    const after = await colleague.call<{ items: Role[] }>('GET', '/access/roles');
    const saved = after.items.find((r) => r.name === 'ward-clerk');
    expect(saved?.permissions.sort()).toEqual(['audit:read', 'organization:read']);
    expect(saved?.description).toBe('Changed by a colleague');
    await context.close();
  });
});
