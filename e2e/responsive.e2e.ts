import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mainNav, signIn, visible } from './support/app';
import { launchBrowser, openApp, TABLET } from './support/browser';
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

describe('on a tablet', () => {
  it('collapses the navigation into a drawer opened from the top bar', async () => {
    const { context, page } = await openApp(browser, server.baseUrl, TABLET);
    await signIn(page, server.adminEmail, server.adminPassword);
    await visible(page.getByRole('heading', { level: 1, name: /Welcome/ }));

    // 1. No side navigation takes the width; a menu button stands in for it.
    expect(await mainNav(page).count()).toBe(0);
    const open = page.getByRole('button', { name: 'Open navigation' });
    await visible(open);
    expect(await open.getAttribute('aria-expanded')).toBe('false');

    // 2. The drawer opens with every area, and closes once one is chosen.
    await open.click();
    await visible(mainNav(page));
    expect(await mainNav(page).getByRole('link').count()).toBe(6);
    await mainNav(page).getByRole('link', { name: 'Users' }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'Users' }));
    await mainNav(page).waitFor({ state: 'detached' });

    // 3. Nothing spills sideways.
    const overflow = await page.evaluate('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);

    // 4. Keyboard: the drawer opens from the keyboard and Escape closes it.
    await open.focus();
    await page.keyboard.press('Enter');
    await visible(mainNav(page));
    await page.keyboard.press('Escape');
    await mainNav(page).waitFor({ state: 'detached' });
    await context.close();
  });
});
