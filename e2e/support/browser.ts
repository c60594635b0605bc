import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { onTestFailed } from 'vitest';

const resultsDir = join(import.meta.dirname, '..', '..', 'test-results');

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** onTestFailed, when called inside a test (openApp also serves scripts and hooks). */
function onFailure(handler: Parameters<typeof onTestFailed>[0]): void {
  try {
    onTestFailed(handler);
  } catch {
    // not inside a test
  }
}

export type Viewport = { width: number; height: number };
export const DESKTOP: Viewport = { width: 1280, height: 900 };
export const TABLET: Viewport = { width: 768, height: 1024 };

/** A fresh browser profile (no cookies) opened at the app. */
export async function openApp(
  browser: Browser,
  baseUrl: string,
  viewport: Viewport = DESKTOP,
): Promise<{ context: BrowserContext; page: Page }> {
  // Reduced motion: the app then draws no transitions, so a screenshot or an axe contrast check never sees a
  // colour half-way through a fade (a button turning from disabled to enabled, a bed tile changing state).
  const context = await browser.newContext({ baseURL: baseUrl, viewport, reducedMotion: 'reduce' });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  // A failed story leaves a screenshot and the page's errors in test-results/.
  onFailure(async ({ task }) => {
    mkdirSync(resultsDir, { recursive: true });
    const name = task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 80);
    await page.screenshot({ path: join(resultsDir, `${name}.png`), fullPage: true }).catch(() => undefined);
    if (errors.length > 0) console.error(`page errors in "${task.name}":\n${errors.join('\n')}`);
  });
  await page.goto('/');
  return { context, page };
}
