import type { Locator, Page } from 'playwright-core';

/** Waits until the locator is visible, and returns it. */
export async function visible(locator: Locator, timeout = 15_000): Promise<Locator> {
  await locator.first().waitFor({ state: 'visible', timeout });
  return locator;
}

/**
 * Waits until a dialog has closed. Check what lies behind a modal dialog only after this: while it is open, MUI
 * hides the rest of the page from the accessibility tree, so a "row is gone" check would pass at once.
 */
export async function closed(dialog: Locator, timeout = 15_000): Promise<void> {
  await dialog.waitFor({ state: 'hidden', timeout });
}

/** The trimmed text of the first element the locator finds. */
export async function text(locator: Locator): Promise<string> {
  return ((await locator.first().textContent()) ?? '').trim();
}

/** A form field by its exact label, whether or not MUI marked it required with an asterisk. */
export function field(scope: Page | Locator, label: string): Locator {
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return scope.getByLabel(new RegExp(`^${escaped}(\\s*\\*)?$`));
}

export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await visible(page.getByRole('heading', { name: 'Sign in' }));
  await field(page, 'E-mail').fill(email);
  await field(page, 'Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: /^Account/ }).click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await visible(page.getByRole('heading', { name: 'Sign in' }));
}

export function mainNav(page: Page): Locator {
  return page.getByRole('navigation', { name: 'Main navigation' });
}

export async function navItems(page: Page): Promise<string[]> {
  const links = mainNav(page).getByRole('link');
  await links.first().waitFor();
  return (await links.allInnerTexts()).map((t) => t.trim());
}

export async function goTo(page: Page, label: string): Promise<void> {
  await mainNav(page).getByRole('link', { name: label }).click();
  await visible(page.getByRole('heading', { level: 1, name: label }));
}

/** Picks an option of an MUI select (a combobox with a listbox of options). */
export async function choose(
  scope: Page | Locator,
  page: Page,
  label: string,
  option: string,
): Promise<void> {
  await scope.getByRole('combobox', { name: label }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

/** The texts of one column of a table, by its header. */
export async function columnTexts(table: Locator, header: string): Promise<string[]> {
  const headers = (await table.locator('thead th').allTextContents()).map((h) => h.trim());
  // A sorted column's header also says how it is sorted, for screen readers.
  const index = headers.findIndex((h) => h === header || h.startsWith(`${header},`));
  if (index < 0) throw new Error(`no column ${header} in ${headers.join(', ')}`);
  return (await table.locator(`tbody tr td:nth-child(${index + 1})`).allInnerTexts()).map((t) => t.trim());
}

/** Retries an assertion until it passes (the page catches up with a new query), or rethrows its last failure. */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** The id in the address of a patient page (/patients/:id). */
export function patientIdFromUrl(page: Page): string {
  const match = /\/patients\/([0-9a-f-]{36})/.exec(page.url());
  if (!match?.[1]) throw new Error(`not on a patient page: ${page.url()}`);
  return match[1];
}
