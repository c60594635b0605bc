import { verhoeffCheckDigit } from '@newhms/contracts';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiSignIn, createStaffMember } from './support/api';
import { eventually, field, goTo, navItems, patientIdFromUrl, signIn, text, visible } from './support/app';
import { launchBrowser, openApp } from './support/browser';
import { startServer, type TestServer } from './support/server';

let server: TestServer;
let browser: Browser;

const FRONT_DESK = { email: 'farah.frontdesk@example.org', password: 'Farah-Registers-2026!' };
const NURSE = { email: 'nisha.nurse@example.org', password: 'Nisha-Cares-2026!' };
const RECORDS = { email: 'rekha.records@example.org', password: 'Rekha-Merges-2026!' };

// A valid Aadhaar number (12 digits, Verhoeff check digit last).
const AADHAAR = `23456789012${verhoeffCheckDigit('23456789012')}`;

/** A 1600 x 1200 PNG of coloured noise (large, hard to compress), drawn by the browser itself. */
async function cameraPicture(page: Page): Promise<Buffer> {
  const dataUrl = await page.evaluate(`(() => {
    const c = document.createElement('canvas');
    c.width = 1600;
    c.height = 1200;
    const ctx = c.getContext('2d');
    for (let i = 0; i < 4000; i++) {
      ctx.fillStyle = 'hsl(' + ((i * 37) % 360) + ', 70%, ' + (30 + (i % 40)) + '%)';
      ctx.fillRect((i * 53) % 1600, (i * 97) % 1200, 40, 30);
    }
    return c.toDataURL('image/png');
  })()`);
  return Buffer.from(String(dataUrl).replace(/^data:[^,]*,/, ''), 'base64');
}

/** What the story carries from one step to the next. */
const story = { originalId: '', originalMrn: '', duplicateId: '' };

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const admin = await apiSignIn(server.serverUrl, server.adminEmail, server.adminPassword);
  await createStaffMember(admin, { ...FRONT_DESK, displayName: 'Farah Front Desk', role: 'front-desk' });
  await createStaffMember(admin, { ...NURSE, displayName: 'Nisha Nurse', role: 'nurse' });
  await createStaffMember(admin, { ...RECORDS, displayName: 'Rekha Records', role: 'records-officer' });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function fillMohammed(page: Page): Promise<void> {
  await field(page, 'Given name').fill('Mohammed');
  await field(page, 'Middle name').fill('Irfan');
  await field(page, 'Family name').fill('Shaikh');
  await page.getByRole('radio', { name: 'Male', exact: true }).check();
  await field(page, 'Date of birth').fill('1988-04-12');
  await field(page, 'Phone 1').fill('98765 43210');
}

function searchBox(page: Page) {
  return page.getByRole('searchbox', { name: 'Search patients' });
}

function results(page: Page) {
  return page.getByRole('table', { name: 'Patients found' });
}

describe('front desk: patients', () => {
  it('registers a new patient and prints the registration card', async () => {
    const { context, page } = await openApp(browser, server.baseUrl);

    // 1. Farah signs in at the front desk: Patients is one of her areas, and its search box has the focus.
    await signIn(page, FRONT_DESK.email, FRONT_DESK.password);
    await visible(page.getByRole('heading', { level: 1, name: /Welcome, Farah/ }));
    expect(await navItems(page)).toContain('Patients');
    await goTo(page, 'Patients');
    await visible(page.getByText('Search first, then register'));
    expect(await page.evaluate('document.activeElement?.getAttribute("type")')).toBe('search');

    // 2. Mohammed Irfan Shaikh is new: she opens the registration form and fills it in, section by section.
    await page.getByRole('button', { name: 'Register new patient' }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'Register patient' }));
    await fillMohammed(page);
    await field(page, 'Locality or village').fill('Kurla');
    await field(page, 'District').fill('Mumbai Suburban');
    await field(page, 'PIN code').fill('400070');

    // 3. An identifier is checked as it is typed, with the same rule as the server's.
    await page.getByRole('button', { name: 'Add ID' }).click();
    await field(page, 'ID 1 number').fill('1234 5678 9012');
    await field(page, 'ID 1 number').blur();
    await visible(page.getByText('an Aadhaar number is 12 digits, not starting with 0 or 1'));
    await field(page, 'ID 1 number').fill(AADHAAR);
    await visible(page.getByText('Valid; it will be stored encrypted and shown masked'));

    await page.getByRole('button', { name: 'Add next of kin' }).click();
    await field(page, 'Contact 1 name').fill('Ayesha Shaikh');
    await field(page, 'Contact 1 relationship').fill('Spouse');
    await field(page, 'Contact 1 phone').fill('9123456780');
    await page.getByRole('checkbox', { name: 'SMS messages' }).check();

    // 4. Nobody like him is on record yet.
    await visible(page.getByText('No similar record found so far.'));
    await page.getByRole('button', { name: 'Register patient' }).click();

    // 5. His record opens with the banner: name, MRN, age and sex, and allergies not yet asked.
    await visible(page.getByRole('heading', { level: 1, name: 'Mohammed Irfan Shaikh' }));
    await visible(page.getByText('Patient registered'));
    story.originalId = patientIdFromUrl(page);
    const banner = page.getByRole('region', { name: 'Patient in context' });
    await visible(banner);
    story.originalMrn = (/MRN (\S+)/.exec(await text(banner.getByText(/^MRN /))) ?? [])[1] ?? '';
    expect(story.originalMrn).not.toBe('');
    expect(await text(banner.getByTestId('banner-allergies'))).toBe('Allergies not recorded');
    expect(await banner.textContent()).toContain('Male');

    // 6. The Aadhaar number is shown masked.
    await page.getByRole('tab', { name: 'Identifiers' }).click();
    const ids = page.getByRole('table', { name: 'Identifiers' });
    await visible(ids.getByText('Aadhaar'));
    expect(await ids.textContent()).not.toContain(AADHAAR);
    expect(await ids.textContent()).toContain(AADHAAR.slice(-4));

    // 7. She takes his photo: resized in the browser, uploaded, and shown in the banner.
    await page.getByRole('tab', { name: 'Photo' }).click();
    const picture = await cameraPicture(page);
    await page
      .locator('input[type="file"]')
      .setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: picture });
    await visible(page.getByText(/kB after resizing/));
    await page.getByRole('button', { name: 'Save photo' }).click();
    await visible(page.getByText('The photo was saved.'));
    await visible(banner.getByRole('img', { name: 'Photo of Mohammed Irfan Shaikh' }));

    // 8. She prints his registration card: a PDF.
    const pdf = page.waitForResponse((r) => r.url().endsWith(`/patients/${story.originalId}/card.pdf`));
    const tab = context.waitForEvent('page');
    await page.getByRole('button', { name: 'Print card' }).click();
    const response = await pdf;
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toContain('application/pdf');
    // It opens in a tab of its own, from where it is printed.
    const pdfTab = await tab;
    await eventually(async () => expect(pdfTab.url()).toMatch(/^blob:/));
    await pdfTab.close();
    await context.close();
  });

  it('finds the returning patient by a misspelt name and by phone number, and opens him from the keyboard', async () => {
    const { context, page } = await openApp(browser, server.baseUrl);
    await signIn(page, FRONT_DESK.email, FRONT_DESK.password);
    await goTo(page, 'Patients');

    // 1. "Muhamad Irfan": misspelt, still found.
    await searchBox(page).fill('Muhamad Irfan');
    const row = results(page).getByRole('row', { name: /Mohammed Irfan Shaikh/ });
    await visible(row);
    expect(await row.textContent()).toContain(story.originalMrn);
    expect(await row.textContent()).toMatch(/Sounds like|Name/);

    // 2. By his mobile number, as he gives it.
    await searchBox(page).fill('9876543210');
    await visible(results(page).getByRole('row', { name: /Mohammed Irfan Shaikh/ }));
    await eventually(async () =>
      expect(
        await results(page)
          .getByRole('row', { name: /Mohammed Irfan Shaikh/ })
          .textContent(),
      ).toContain('Phone'),
    );

    // 3. Arrow down and Enter open his record.
    await searchBox(page).press('ArrowDown');
    await searchBox(page).press('Enter');
    await visible(page.getByRole('heading', { level: 1, name: 'Mohammed Irfan Shaikh' }));
    expect(patientIdFromUrl(page)).toBe(story.originalId);

    // 4. Back returns to the same search.
    await page.goBack();
    await visible(results(page).getByRole('row', { name: /Mohammed Irfan Shaikh/ }));
    expect(await searchBox(page).inputValue()).toBe('9876543210');
    await context.close();
  });

  it('edits the demographics, and refuses a stale edit with an offer to reload', async () => {
    const { context, page } = await openApp(browser, server.baseUrl);
    await signIn(page, FRONT_DESK.email, FRONT_DESK.password);
    await visible(page.getByRole('heading', { level: 1, name: /Welcome/ }));
    await page.goto(`/patients/${story.originalId}`);
    await visible(page.getByRole('heading', { level: 1, name: 'Mohammed Irfan Shaikh' }));

    // 1. He has become a tailor: Farah edits and saves; the page shows the new version.
    await page.getByRole('button', { name: 'Edit demographics' }).click();
    await field(page, 'Occupation').fill('Tailor');
    await page.getByRole('button', { name: 'Save demographics' }).click();
    await visible(page.getByRole('button', { name: 'Edit demographics' }));
    await visible(page.getByText('Tailor'));

    // 2. She starts another edit while a colleague saves a change of their own first.
    await page.getByRole('button', { name: 'Edit demographics' }).click();
    await field(page, 'E-mail').fill('irfan@example.org');
    const colleague = await apiSignIn(server.serverUrl, server.adminEmail, server.adminPassword);
    type Record = {
      version: number;
      phones: unknown[];
      contacts: {
        kind: string;
        name: string;
        relationship: string;
        phone: string | null;
        address: string | null;
      }[];
      consents: { kind: string; granted: boolean }[];
    };
    const now = await colleague.call<Record>('GET', `/patients/${story.originalId}`);
    await colleague.call('PATCH', `/patients/${story.originalId}`, {
      version: now.version,
      preferredLanguage: 'Urdu',
      phones: now.phones,
      contacts: now.contacts.map(({ kind, name, relationship, phone, address }) => ({
        kind,
        name,
        relationship,
        phone,
        address,
      })),
      consents: now.consents.map(({ kind, granted }) => ({ kind, granted })),
    });

    // 3. Her save is refused, not lost silently over his; Reload shows his change.
    await page.getByRole('button', { name: 'Save demographics' }).click();
    await visible(page.getByText('This record was changed by someone else'));
    await page.getByRole('button', { name: 'Reload' }).click();
    await visible(page.getByText('Urdu'));

    // 4. He now agrees to WhatsApp reminders; what he agreed to before stays.
    await page.getByRole('tab', { name: 'Consents' }).click();
    await page.getByRole('checkbox', { name: 'WhatsApp messages' }).check();
    await page.getByRole('button', { name: 'Save consents' }).click();
    await visible(page.getByText('Consents saved.'));
    const records = page.getByRole('list', { name: 'Consent records' });
    await visible(records.getByText(/WhatsApp messages: given/));
    await visible(records.getByText(/SMS messages: given/));
    await context.close();
  });

  it('warns of a duplicate when the same person is registered again, and registers anyway only with a reason', async () => {
    const { context, page } = await openApp(browser, server.baseUrl);
    await signIn(page, FRONT_DESK.email, FRONT_DESK.password);
    await goTo(page, 'Patients');
    await page.getByRole('button', { name: 'Register new patient' }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'Register patient' }));

    // 1. As she types, the side panel shows the record he already has, with why it matched.
    await fillMohammed(page);
    const panel = page.getByRole('list', { name: 'Possible duplicates' });
    await visible(panel.getByText(`MRN ${story.originalMrn}`));
    await visible(
      panel.getByRole('link', {
        name: new RegExp(`Open the record of Mohammed Irfan Shaikh, MRN ${story.originalMrn}`),
      }),
    );

    // 2. She registers all the same: the server stops her with the candidates.
    await page.getByRole('button', { name: 'Register patient' }).click();
    const dialog = page.getByRole('dialog', { name: 'This patient may already be registered' });
    await visible(dialog.getByText(`MRN ${story.originalMrn}`));

    // 3. "Register anyway" needs a reason.
    await dialog.getByRole('button', { name: 'Register anyway' }).click();
    await visible(dialog.getByText(/Say why this is a different person/));
    await field(dialog, 'Reason to register anyway').fill(
      'Patient says he has never been here; to be checked',
    );
    await dialog.getByRole('button', { name: 'Register anyway' }).click();

    // 4. A second record exists now, with another MRN, and the pair waits in the duplicate worklist.
    await visible(page.getByText('Patient registered'));
    story.duplicateId = patientIdFromUrl(page);
    expect(story.duplicateId).not.toBe(story.originalId);
    await context.close();
  });

  it('registers an unknown patient in an emergency in one step', async () => {
    const { context, page } = await openApp(browser, server.baseUrl);
    await signIn(page, FRONT_DESK.email, FRONT_DESK.password);
    await goTo(page, 'Patients');
    await page.getByRole('button', { name: 'Unknown patient (emergency)' }).click();
    const dialog = page.getByRole('dialog', { name: 'Unknown patient (emergency)' });
    await dialog.getByRole('radio', { name: 'Female', exact: true }).check();
    await field(dialog, 'Approximate age in years').fill('40');
    await field(dialog, 'Note').fill('Brought by ambulance from the highway');
    await dialog.getByRole('button', { name: 'Register unknown patient' }).click();
    await visible(page.getByRole('heading', { level: 1, name: /Unknown Female/ }));
    await visible(page.getByRole('region', { name: 'Patient in context' }).getByText('Unidentified patient'));
    await context.close();
  });

  it('a nurse records an allergy: the banner warns of it and the wristband prints', async () => {
    const { context, page } = await openApp(browser, server.baseUrl);
    await signIn(page, NURSE.email, NURSE.password);
    await visible(page.getByRole('heading', { level: 1, name: /Welcome/ }));
    await page.goto(`/patients/${story.originalId}?tab=allergies`);
    await visible(page.getByRole('heading', { level: 1, name: 'Mohammed Irfan Shaikh' }));

    await page.getByRole('button', { name: 'Add allergy' }).click();
    const form = page.getByRole('form', { name: 'Add allergy' });
    await field(form, 'Substance').fill('Penicillin');
    await page.getByRole('combobox', { name: 'Severity' }).click();
    await page.getByRole('option', { name: 'Severe', exact: true }).click();
    await field(form, 'Reaction').fill('Anaphylaxis');
    await form.getByRole('button', { name: 'Save allergy' }).click();

    const banner = page.getByRole('region', { name: 'Patient in context' });
    await eventually(async () =>
      expect(await text(banner.getByTestId('banner-allergies'))).toBe('Allergies: Penicillin (severe)'),
    );
    // "No known allergies" cannot be recorded over an active allergy.
    expect(await page.getByRole('button', { name: 'No known allergies' }).isDisabled()).toBe(true);

    const pdf = page.waitForResponse((r) => r.url().endsWith('/wristband.pdf'));
    const tab = context.waitForEvent('page');
    await page.getByRole('button', { name: 'Print wristband' }).click();
    const response = await pdf;
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toContain('application/pdf');
    await (await tab).close();
    await context.close();
  });

  it('a records officer merges the two records from the duplicate worklist', async () => {
    const { context, page } = await openApp(browser, server.baseUrl);

    // 1. Rekha opens the worklist: the pair registered "anyway" is there.
    await signIn(page, RECORDS.email, RECORDS.password);
    await goTo(page, 'Duplicate review');
    const worklist = page.getByRole('table', { name: 'Possible duplicates' });
    const compare = worklist.getByRole('button', { name: new RegExp(`^Compare .*${story.originalMrn}`) });
    await visible(compare);

    // 2. She compares them side by side; the older record is offered as the one to keep.
    await compare.first().click();
    const side = page.getByRole('table', { name: 'Records side by side' });
    await visible(side.getByText('Mohammed Irfan Shaikh').first());
    const keep = page.getByRole('radio', { name: new RegExp(`${story.originalMrn}`) });
    expect(await keep.isChecked()).toBe(true);

    // 3. Merge needs a reason, and a confirmation.
    await field(page, 'Reason').fill('Same name, date of birth and mobile number; the patient confirmed');
    await page.getByRole('button', { name: 'Merge', exact: true }).click();
    const confirm = page.getByRole('dialog', { name: 'Merge these records?' });
    await confirm.getByRole('button', { name: 'Merge records' }).click();
    await visible(page.getByText(new RegExp(`Merged .* into ${story.originalMrn}`)));

    // 4. The merged record now points at the survivor.
    await page.goto(`/patients/${story.duplicateId}`);
    await visible(page.getByText('This record was merged'));
    await page.getByRole('link', { name: 'Open the surviving record' }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'Mohammed Irfan Shaikh' }));
    expect(patientIdFromUrl(page)).toBe(story.originalId);

    // 5. The merge log says who merged what, and why.
    await page.goto('/patients/merges');
    const log = page.getByRole('table', { name: 'Merges' });
    await visible(log.getByText(/the patient confirmed/));
    expect(await log.textContent()).toContain(story.originalMrn);
    await context.close();
  });
});
