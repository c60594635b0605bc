import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSignIn } from './support/api';
import { mainNav, signIn, visible } from './support/app';
import { launchBrowser, openApp, TABLET, type Viewport } from './support/browser';
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
    expect(await mainNav(page).getByRole('link').count()).toBe(51);
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

describe('on a phone', () => {
  const PHONE: Viewport = { width: 375, height: 667 };

  it('shows the housekeeping queue as cards with big buttons, nothing spilling sideways', async () => {
    const admin = await apiSignIn(server.serverUrl, server.adminEmail, server.adminPassword);
    await admin.call('POST', '/facilities/housekeeping/tasks', {
      kind: 'spill',
      priority: 'urgent',
      location: 'Casualty entrance, near the lifts',
    });
    const { context, page } = await openApp(browser, server.baseUrl, PHONE);
    await signIn(page, server.adminEmail, server.adminPassword);
    await visible(page.getByRole('heading', { level: 1, name: /Welcome/ }));
    await page.goto('/housekeeping');
    const card = page
      .getByRole('list', { name: 'Open queue' })
      .getByRole('listitem', { name: /Casualty entrance/ });
    await visible(card);

    // 1. The buttons are thumb-sized and side by side within the card.
    for (const name of ['Take', 'Start']) {
      const box = await card.getByRole('button', { name }).boundingBox();
      expect(box?.height ?? 0).toBeGreaterThanOrEqual(48);
      expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(375);
    }

    // 2. The supervisor's tabs fit, and nothing spills sideways on any of them.
    for (const tab of ['My work', 'All tasks', 'Turnaround']) {
      await page.getByRole('tab', { name: tab }).click();
      const overflow = await page.evaluate('document.documentElement.scrollWidth - window.innerWidth');
      expect(overflow).toBeLessThanOrEqual(0);
    }
    await context.close();
  });
});
