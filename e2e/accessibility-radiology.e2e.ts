import { describe, it } from 'vitest';
import { zonedInstant } from '../apps/web/src/modules/radiology/booking-slots';
import { adminApi, adminAtHome, audit, expectNoSeriousFindings, settled } from './support/accessibility';
import { registerPatient } from './support/api';
import { field, visible } from './support/app';
import { serverAndBrowser } from './support/suite';

const suite = serverAndBrowser();

describe('accessibility', () => {
  it('has no critical or serious axe violations on the radiology screens', async () => {
    // The rooms and the room form, the desk's scheduling with the booking dialog, the worklist with the arrival
    // checklist (a CT with intravenous contrast for a woman of 35) and the completion dialog, the reporting lists,
    // the report editor and its sign-off dialog, a signed report, the radiologists' critical findings, the walk-in
    // counter, the patient's Imaging tab and the doctor's read-back in the critical-results inbox. The
    // administrator placed the orders, so the critical finding is called to them.
    const admin = await adminApi(suite);
    const facilities = await admin.call<{ items: { timeZone: string }[] }>('GET', '/organization/facilities');
    const zone = facilities.items[0]?.timeZone ?? 'Asia/Kolkata';
    const tomorrow = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).format(new Date(Date.now() + 86_400_000));
    const at = (time: string) => zonedInstant(tomorrow, time, zone);
    const lakshmi = await registerPatient(admin, {
      name: { given: 'Lakshmi', family: 'Nair' },
      sex: 'female',
      birth: { birthDate: '1990-09-12' },
      phones: [{ number: '9822077002' }],
    });
    type RadOrder = { id: string; version: number };
    const xray = await admin.call<{ id: string }>('POST', '/radiology/rooms', {
      code: 'XR-AXE',
      name: 'X-ray room Axe',
      modality: 'XR',
      opensAt: '08:00',
      closesAt: '20:00',
    });
    await admin.call('POST', '/radiology/rooms', { code: 'CT-AXE', name: 'CT scanner Axe', modality: 'CT' });
    const order = (procedureCode: string, extra: Record<string, unknown> = {}) =>
      admin.call<RadOrder>('POST', '/radiology/orders', {
        patientId: lakshmi.id,
        procedureCode,
        clinicalIndication: 'Fall at home',
        ...extra,
      });
    const step = async (o: RadOrder, path: string, body: Record<string, unknown> = {}) => {
      const next = await admin.call<RadOrder>('POST', `/radiology/orders/${o.id}/${path}`, {
        ...body,
        version: o.version,
      });
      o.version = next.version;
    };
    const checklist = { identityConfirmed: true, pregnancyStatus: 'not-pregnant' };
    const performed = async (procedureCode: string, time: string, extra: Record<string, unknown> = {}) => {
      const o = await order(procedureCode, extra);
      await step(o, 'booking', { roomId: xray.id, startsAt: at(time) });
      await step(o, 'arrive', { checklist });
      await step(o, 'start');
      return o;
    };
    // Waiting to be booked (today), and in progress (tomorrow 10:00).
    await order('RAD-CT-CHEST-C', { priority: 'urgent' });
    await performed('RAD-CXR-PA', '10:00');
    const knee = await performed('RAD-XR-KNEE', '11:00', { laterality: 'left' });
    await step(knee, 'complete', { numberOfImages: 2 });
    const kneeReport = await admin.call<{ id: string; version: number }>(
      'POST',
      `/radiology/orders/${knee.id}/report`,
    );
    await admin.call('POST', `/radiology/reports/${kneeReport.id}/sign`, {
      findings: 'Displaced fracture of the left femoral neck.',
      impression: 'Displaced left femoral neck fracture.',
      criticalFinding: { text: 'Displaced left femoral neck fracture', category: 'urgent' },
      version: kneeReport.version,
    });
    const skull = await performed('RAD-XR-SKULL', '12:00');
    await step(skull, 'complete', {});

    const { context, page, findings } = await adminAtHome(suite);
    const radiologyPages: [string, () => Promise<unknown>, string][] = [
      [
        '/radiology/rooms',
        () =>
          visible(page.getByRole('table', { name: 'Radiology rooms' }).getByRole('row', { name: /XR-AXE/ })),
        'radiology rooms',
      ],
      [
        `/radiology/scheduling?date=${tomorrow}`,
        () =>
          visible(
            page
              .getByRole('table', { name: 'Bookings of X-ray room Axe' })
              .getByRole('row', { name: /11:00/ }),
          ),
        'radiology scheduling',
      ],
      [
        '/radiology/worklist',
        () =>
          visible(
            page.getByRole('table', { name: 'Radiology worklist' }).getByRole('row', { name: /CT chest/ }),
          ),
        'radiology worklist',
      ],
      [
        '/radiology/reporting',
        () =>
          visible(page.getByRole('table', { name: 'To report' }).getByRole('row', { name: /X-ray skull/ })),
        'radiology reporting',
      ],
      [
        '/radiology/reporting?tab=critical',
        () =>
          visible(
            page
              .getByRole('table', { name: 'Imaging critical findings to acknowledge' })
              .getByRole('row', { name: /Lakshmi Nair/ }),
          ),
        'radiology critical findings',
      ],
      [
        `/radiology/orders/${knee.id}/report`,
        () => visible(page.getByTestId('report-critical-finding')),
        'signed radiology report',
      ],
      [
        '/radiology/unmatched-orders',
        () => visible(page.getByRole('heading', { level: 1, name: 'Unmatched imaging orders' })),
        'unmatched imaging orders',
      ],
      [
        `/patients/${lakshmi.id}?tab=imaging`,
        () => visible(page.getByRole('table', { name: 'Imaging studies' }).getByTestId('critical-finding')),
        'patient imaging',
      ],
    ];
    for (const [path, ready, name] of radiologyPages) {
      await page.goto(path);
      await ready();
      await settled(page);
      findings.push(...(await audit(page, name)));
    }

    const dialogs: [string, () => Promise<unknown>, string, string][] = [
      [
        '/radiology/rooms',
        () => page.getByRole('button', { name: 'New room' }).click(),
        'New room',
        'room dialog',
      ],
      [
        `/radiology/scheduling?date=${tomorrow}`,
        () => page.getByRole('button', { name: 'Book CT chest with contrast for Lakshmi Nair' }).click(),
        'Book study',
        'booking dialog',
      ],
      [
        `/radiology/scheduling?date=${tomorrow}`,
        () => page.getByRole('button', { name: 'Preparation for Lakshmi Nair' }).first().click(),
        'Preparation: CT chest with contrast',
        'preparation dialog',
      ],
      [
        '/radiology/worklist',
        () => page.getByRole('button', { name: 'Arrived: Lakshmi Nair, CT chest with contrast' }).click(),
        'Patient arrived',
        'arrival checklist dialog',
      ],
      [
        `/radiology/worklist?date=${tomorrow}`,
        () => page.getByRole('button', { name: 'Complete Chest X-ray PA view of Lakshmi Nair' }).click(),
        'Complete study',
        'complete study dialog',
      ],
      [
        '/laboratory/critical-alerts',
        () =>
          page.getByRole('button', { name: 'Acknowledge X-ray knee AP and lateral of Lakshmi Nair' }).click(),
        'Acknowledge critical finding',
        'acknowledge critical finding dialog',
      ],
    ];
    for (const [path, open, title, name] of dialogs) {
      await page.goto(path);
      await open();
      const dialog = await visible(page.getByRole('dialog', { name: title }));
      await settled(page);
      findings.push(...(await audit(page, name)));
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
    }

    // The report editor opened from the template, and its sign-off dialog with a critical finding.
    await page.goto('/radiology/reporting');
    await page.getByRole('button', { name: 'Report X-ray skull AP and lateral of Lakshmi Nair' }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'Report: X-ray skull AP and lateral' }));
    await visible(field(page, 'Findings'));
    await settled(page);
    findings.push(...(await audit(page, 'radiology report editor')));
    await page.getByRole('button', { name: 'Sign report' }).click();
    const sign = await visible(page.getByRole('dialog', { name: 'Sign report' }));
    await sign.getByRole('checkbox', { name: /^Critical finding/ }).check();
    await visible(field(sign, 'Critical finding'));
    findings.push(...(await audit(page, 'sign radiology report dialog')));
    await page.keyboard.press('Escape');

    // The walk-in counter with a procedure that has a side.
    await page.goto(`/radiology/walk-in?patientId=${lakshmi.id}`);
    await page.getByRole('combobox', { name: 'Procedure' }).fill('knee');
    await page.getByRole('option', { name: /^X-ray knee AP and lateral/ }).click();
    await visible(page.getByTestId('procedure-preparation'));
    await visible(page.getByRole('combobox', { name: 'Side' }));
    findings.push(...(await audit(page, 'radiology walk-in')));

    expectNoSeriousFindings(findings);
    await context.close();
  }, 180_000);
});
