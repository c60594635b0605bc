import { describe, it } from 'vitest';

import { adminApi, adminAtHome, audit, expectNoSeriousFindings, settled } from './support/accessibility';
import { apiSignIn, createStaffMember, registerPatient } from './support/api';
import { field, visible } from './support/app';
import { serverAndBrowser } from './support/suite';

const suite = serverAndBrowser();

describe('accessibility', () => {
  it('has no critical or serious axe violations on the laboratory screens', async () => {
    // The collection list, reception, a section's worklist and its result entry, validation, the counter,
    // turnaround, the critical-value inbox (its badge in the top bar, the read-back dialog) and the patient's
    // Laboratory tab. A technician enters a critical potassium of Meera's STAT walk-in; the administrator, who
    // ordered it, validates it and is the doctor it is called to.
    const admin = await adminApi(suite);
    const meera = await registerPatient(admin, {
      name: { given: 'Meera', family: 'Joshi' },
      sex: 'female',
      birth: { birthDate: '1966-07-21' },
      phones: [{ number: '9822077001' }],
    });
    const { context, page, findings } = await adminAtHome(suite);
    await createStaffMember(admin, {
      email: 'lab.axe@example.org',
      password: 'Lab-Axe-Bench-2026!',
      displayName: 'Lab Axe',
      role: 'lab-technician',
    });
    const bench = await apiSignIn(suite.server.serverUrl, 'lab.axe@example.org', 'Lab-Axe-Bench-2026!');
    type LabRequest = { id: string; code: string; samples: { id: string; accession: string }[] };
    const labRequests = await admin.call<LabRequest[]>('POST', '/laboratory/requests', {
      patientId: meera.id,
      tests: ['K', 'CBC', 'URINE_CULTURE'],
      priority: 'stat',
    });
    const potassium = labRequests.find((r) => r.code === 'K');
    const cbc = labRequests.find((r) => r.code === 'CBC');
    for (const request of [potassium, cbc]) {
      const tube = request?.samples[0];
      await admin.call('POST', `/laboratory/samples/${tube?.id}/collect`, {});
      await admin.call('POST', '/laboratory/samples/receive', { accession: tube?.accession });
    }
    await bench.call('POST', `/laboratory/requests/${potassium?.id}/results`, {
      results: [{ testCode: 'K', value: 6.9 }],
    });
    await admin.call('POST', `/laboratory/requests/${potassium?.id}/validate`, {});
    const labPages: [string, () => Promise<unknown>, string][] = [
      [
        '/laboratory/collection',
        () => visible(page.getByRole('table', { name: 'Tubes to draw for Meera Joshi' })),
        'sample collection',
      ],
      ['/laboratory/reception', () => visible(field(page, 'Accession number')), 'sample reception'],
      [
        '/laboratory/worklists?section=haematology',
        () =>
          visible(
            page.getByRole('table', { name: 'Haematology worklist' }).getByRole('row', { name: /Meera/ }),
          ),
        'lab worklist',
      ],
      [
        `/laboratory/requests/${cbc?.id}/results?section=haematology`,
        () => visible(field(page, 'Haemoglobin')),
        'result entry',
      ],
      [
        `/laboratory/validation?patientId=${meera.id}`,
        () => visible(page.getByTestId('request-validation')),
        'lab validation',
      ],
      [
        `/laboratory/walk-in?patientId=${meera.id}`,
        () => visible(page.getByRole('combobox', { name: 'Add a test or panel' })),
        'lab walk-in',
      ],
      [
        '/laboratory/turnaround',
        () =>
          visible(
            page
              .getByRole('table', { name: 'Turnaround by section' })
              .getByRole('row', { name: /Biochemistry/ }),
          ),
        'lab turnaround',
      ],
      [
        '/laboratory/critical-alerts',
        () =>
          visible(
            page
              .getByRole('table', { name: 'Critical results to acknowledge' })
              .getByRole('row', { name: /Meera/ }),
          ),
        'critical results',
      ],
      [
        `/patients/${meera.id}?tab=laboratory`,
        () => visible(page.getByRole('table', { name: 'Cumulative results' })),
        'patient laboratory',
      ],
    ];
    for (const [path, ready, name] of labPages) {
      await page.goto(path);
      await ready();
      await settled(page);
      findings.push(...(await audit(page, name)));
    }
    await visible(page.getByTestId('critical-alerts-badge'));
    await page.goto('/laboratory/critical-alerts');
    await page.getByRole('button', { name: 'Acknowledge Potassium of Meera Joshi' }).click();
    await visible(page.getByRole('dialog', { name: 'Acknowledge critical result' }));
    findings.push(...(await audit(page, 'acknowledge critical result dialog')));
    await page.keyboard.press('Escape');

    expectNoSeriousFindings(findings);
    await context.close();
  }, 180_000);
});
