import * as OTPAuth from 'otpauth';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSignIn, createUserWithRole } from './support/api';
import { field, navItems, signIn, signOut, text, visible } from './support/app';
import { launchBrowser, openApp } from './support/browser';
import { startServer, type TestServer } from './support/server';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  // Auditors must use two-step sign-in in this hospital.
  server = await startServer({ mfaRequiredRoles: ['auditor'] });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

function totpCode(secret: string): string {
  const totp = new OTPAuth.TOTP({
    secret: OTPAuth.Secret.fromBase32(secret),
    digits: 6,
    period: 30,
    algorithm: 'SHA1',
  });
  return totp.generate();
}

async function changePasswordIfAsked(page: Page, from: string, to: string): Promise<string> {
  const heading = page.getByRole('heading', { level: 1 });
  await heading.first().waitFor();
  if ((await text(heading)) !== 'Change your password') return from;
  await field(page, 'Current password').fill(from);
  await field(page, 'New password').fill(to);
  await field(page, 'Confirm new password').fill(to);
  await page.getByRole('button', { name: 'Change password' }).click();
  return to;
}

describe('two-step sign-in', () => {
  it('makes an auditor enrol at first sign-in, then asks for a code at the next', async () => {
    const admin = await apiSignIn(server.serverUrl, server.adminEmail, server.adminPassword);
    let password = 'Ravi-Checks-Logs-7';
    await createUserWithRole(admin, {
      email: 'ravi.auditor@example.org',
      displayName: 'Ravi Auditor',
      password,
      role: 'auditor',
    });

    const { context, page } = await openApp(browser, server.baseUrl);

    // 1. Ravi signs in: his role requires MFA and he has none, so he must enrol.
    await signIn(page, 'ravi.auditor@example.org', password);
    await visible(page.getByRole('heading', { name: 'Set up two-step sign-in' }));
    await visible(page.getByRole('img', { name: 'QR code for your authenticator app' }));
    const secret = await text(await visible(page.getByTestId('mfa-secret')));
    expect(secret).toMatch(/^[A-Z2-7]+=*$/);

    // 2. A wrong code is refused with the server's message.
    await field(page, '6-digit code').fill('000000');
    await page.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
    await visible(page.getByRole('alert'));

    // 3. The code from his app turns MFA on; the ten recovery codes are shown once.
    await field(page, '6-digit code').fill(totpCode(secret));
    await page.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
    const codes = await visible(page.getByTestId('recovery-codes').getByRole('listitem'));
    expect(await codes.count()).toBe(10);
    const continueButton = page.getByRole('button', { name: 'Continue' });
    expect(await continueButton.isDisabled()).toBe(true);
    await page.getByLabel('I have saved them').check();
    await continueButton.click();

    // 4. He is signed in (after choosing his own password, as every new user must).
    password = await changePasswordIfAsked(page, password, 'Ravi-New-Secret-2026');
    await visible(page.getByRole('heading', { level: 1, name: /Welcome, Ravi Auditor/ }));
    expect(await navItems(page)).toContain('Audit log');
    await signOut(page);

    // 5. Next time he gives his password and then a code from the app.
    await signIn(page, 'ravi.auditor@example.org', password);
    await visible(page.getByRole('heading', { name: 'Two-step sign-in' }));
    await field(page, '6-digit code').fill(totpCode(secret));
    await page.getByRole('button', { name: 'Verify' }).click();
    await visible(page.getByRole('heading', { level: 1, name: /Welcome, Ravi Auditor/ }));
    await context.close();
  });
});
