import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failedSignIn } from './support/api';
import { choose, columnTexts, eventually, field, goTo, signIn, visible } from './support/app';
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

describe('audit log viewer', () => {
  it('filters by field, sorts by column, and verifies the chain', async () => {
    // 1. Someone mistypes the administrator's password twice.
    expect(await failedSignIn(server.serverUrl, server.adminEmail)).toBe(401);
    expect(await failedSignIn(server.serverUrl, server.adminEmail)).toBe(401);

    const { context, page } = await openApp(browser, server.baseUrl);
    await signIn(page, server.adminEmail, server.adminPassword);
    await goTo(page, 'Audit log');
    const table = page.getByRole('table', { name: 'Audit entries' });
    await visible(table.locator('tbody tr'));
    const filters = page.getByRole('search', { name: 'Audit filters' });
    const apply = filters.getByRole('button', { name: 'Apply filters' });

    // 2. The failed attempts are found by action.
    await choose(filters, page, 'Action', 'login-failed');
    await apply.click();
    await eventually(async () => {
      expect(await columnTexts(table, 'Action')).toEqual(['login-failed', 'login-failed']);
    });

    // 3. ...and by outcome, with the action filter cleared.
    await filters.getByRole('button', { name: 'Clear' }).click();
    await choose(filters, page, 'Outcome', 'failure');
    await apply.click();
    await eventually(async () => {
      const outcomes = await columnTexts(table, 'Outcome');
      expect(outcomes.length).toBeGreaterThanOrEqual(2);
      expect(outcomes.every((o) => o === 'failure')).toBe(true);
    });

    // 4. A malformed patient id is refused before it is sent.
    await filters.getByRole('button', { name: 'Clear' }).click();
    await field(filters, 'Patient id').fill('not-a-uuid');
    await apply.click();
    await visible(filters.getByText(/uuid/i));
    await field(filters, 'Patient id').fill('');

    // 5. Everything the administrator did, sorted by action, A to Z and back.
    await field(filters, 'Actor name').fill('Administrator');
    await apply.click();
    await eventually(async () => {
      expect(new Set(await columnTexts(table, 'Actor'))).toEqual(new Set(['Administrator']));
    });
    await table.getByRole('button', { name: 'Action' }).click();
    await visible(table.locator('th[aria-sort="ascending"]'));
    await eventually(async () => {
      const actions = await columnTexts(table, 'Action');
      expect(new Set(actions).size).toBeGreaterThan(1);
      expect(actions).toEqual([...actions].sort());
    });
    await table.getByRole('button', { name: /^Action/ }).click();
    await visible(table.locator('th[aria-sort="descending"]'));
    await eventually(async () => {
      const actions = await columnTexts(table, 'Action');
      expect(new Set(actions).size).toBeGreaterThan(1);
      expect(actions).toEqual([...actions].sort().reverse());
    });

    // 6. The hash chain is intact.
    await page.getByRole('button', { name: 'Verify chain' }).click();
    const result = await visible(page.getByTestId('verify-result'));
    expect(await result.textContent()).toMatch(/The chain is valid: \d+ entries checked/);
    await context.close();
  });
});
