import { describe, it } from 'vitest';
import {
  adminApi,
  adminAtHome,
  admitToAxeWard,
  audit,
  checkInWithVitals,
  createAxeDoctor,
  expectNoSeriousFindings,
  registerAsha,
} from './support/accessibility';
import { registerPatient } from './support/api';
import { goTo, visible } from './support/app';
import { serverAndBrowser } from './support/suite';

const suite = serverAndBrowser();

describe('accessibility', () => {
  it('has no critical or serious axe violations on the IPD, nursing and housekeeping screens', async () => {
    // The IPD: the bed board, the admission desk and its admission form, an admission, a ward's public display.
    const admin = await adminApi(suite);
    const asha = await registerAsha(admin);
    const { doctor } = await createAxeDoctor(admin);
    // Seen in the OPD first, then admitted.
    await checkInWithVitals(admin, asha, doctor);
    const { wardId, stayId } = await admitToAxeWard(admin, asha, doctor);
    const ravi = await registerPatient(admin, {
      name: { given: 'Ravi', family: 'Kale' },
      sex: 'male',
      birth: { birthDate: '1968-11-30' },
    });
    await admin.call('POST', '/ipd/admission-requests', {
      patientId: ravi.id,
      source: 'direct',
      priority: 'urgent',
      reason: 'Elective knee replacement',
    });

    const { context, page, findings } = await adminAtHome(suite);

    await goTo(page, 'Bed board');
    await visible(page.getByTestId('bed-tile-AXE-01').and(page.locator('[data-status="occupied"]')));
    findings.push(...(await audit(page, 'bed board')));
    await goTo(page, 'Admissions');
    await visible(
      page.getByRole('table', { name: 'Admission requests' }).getByRole('row', { name: /Ravi Kale/ }),
    );
    await visible(
      page.getByRole('table', { name: 'In-patients' }).getByRole('row', { name: /Asha Kulkarni/ }),
    );
    findings.push(...(await audit(page, 'admission desk')));
    await page.getByRole('button', { name: 'Admit Ravi Kale' }).click();
    await visible(page.getByRole('dialog', { name: 'Admit patient' }).getByText(`MRN ${ravi.mrn}`));
    findings.push(...(await audit(page, 'admission form')));
    await page.keyboard.press('Escape');
    await page.goto(`/ipd/admissions/${stayId}`);
    await visible(page.getByRole('table', { name: 'Bed history' }).locator('tbody tr'));
    findings.push(...(await audit(page, 'admission')));
    await page.goto('/display/beds/AXE-BEDS');
    await visible(page.getByTestId('bed-tile-AXE-01').and(page.locator('[data-status="occupied"]')));
    findings.push(...(await audit(page, 'public bed board')));

    // Nursing: the ward picker and station, the chart (a medium NEWS2 alert, trend, I/O, discharge summary, diet),
    // housekeeping on its phone layout's desktop view, the kitchen list.
    await admin.call('POST', `/ipd/admissions/${stayId}/vitals`, {
      respiratoryRate: 25,
      spo2: 94,
      supplementalOxygen: false,
      systolic: 150,
      diastolic: 96,
      heartRate: 96,
      consciousness: 'alert',
      temperature: 37.9,
    });
    await admin.call('POST', `/ipd/admissions/${stayId}/intake-output`, {
      direction: 'intake',
      route: 'oral',
      volumeMl: 300,
    });
    await admin.call('POST', '/facilities/housekeeping/tasks', {
      kind: 'spill',
      location: 'Axe Ward corridor',
    });
    // Back into the shell from the public bed board (a page without navigation).
    await page.goto('/');
    await visible(page.getByRole('heading', { level: 1, name: /Welcome/ }));
    await goTo(page, 'Nursing station');
    await visible(page.getByRole('list', { name: 'Wards' }).getByRole('link', { name: /Axe Ward/ }));
    findings.push(...(await audit(page, 'nursing station ward picker')));
    await page.goto(`/ipd/wards/${wardId}/station`);
    const stationBed = page.getByRole('listitem', { name: /Asha Kulkarni/ });
    await visible(stationBed.getByTestId('news2-badge'));
    findings.push(...(await audit(page, 'nursing station')));
    await stationBed.getByRole('link').click();
    await visible(page.getByRole('heading', { level: 1, name: 'Chart: Asha Kulkarni' }));
    await visible(page.getByTestId('news2-alert'));
    await visible(page.getByTestId('nursing-trend-chart'));
    findings.push(...(await audit(page, 'chart: vitals and NEWS2 alert')));
    await page.getByRole('tab', { name: 'Intake/Output' }).click();
    await visible(
      page.getByRole('table', { name: 'Intake and output entries' }).getByRole('row', { name: /Oral/ }),
    );
    findings.push(...(await audit(page, 'chart: intake and output')));
    await page.getByRole('tab', { name: 'Handover' }).click();
    await visible(page.getByRole('form', { name: 'Shift handover' }));
    findings.push(...(await audit(page, 'chart: handover')));
    await page.getByRole('tab', { name: 'Discharge summary' }).click();
    await visible(page.getByRole('button', { name: 'Start discharge summary' }));
    findings.push(...(await audit(page, 'chart: discharge summary')));
    await page.getByRole('tab', { name: 'Diet' }).click();
    await visible(page.getByRole('form', { name: 'Diet order' }));
    findings.push(...(await audit(page, 'chart: diet')));
    await goTo(page, 'Housekeeping');
    await visible(
      page.getByRole('list', { name: 'Open queue' }).getByRole('listitem', { name: /Axe Ward corridor/ }),
    );
    findings.push(...(await audit(page, 'housekeeping')));
    await page.getByRole('tab', { name: 'Turnaround' }).click();
    await visible(page.getByRole('table', { name: 'Turnaround' }));
    findings.push(...(await audit(page, 'housekeeping turnaround')));
    await goTo(page, 'Kitchen list');
    await visible(
      page.getByRole('table', { name: 'Kitchen list Axe Ward' }).getByRole('row', { name: /Asha Kulkarni/ }),
    );
    findings.push(...(await audit(page, 'kitchen list')));

    expectNoSeriousFindings(findings);
    await context.close();
  }, 120_000);
});
