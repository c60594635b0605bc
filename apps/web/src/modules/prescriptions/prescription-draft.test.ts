import { describe, expect, it } from 'vitest';
import {
  buildPrescriptionBody,
  type DraftLine,
  defaultDoseUnit,
  missingOverrides,
  newLineForm,
  parseTimes,
  reasonsAfterRemoval,
  validateLine,
} from './prescription-draft';

const ID = '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
const tablet = { id: ID, doseForm: 'tablet', route: 'oral', strength: '20 mg' };

describe('a line as the prescriber types it', () => {
  it('starts at one tablet of a tablet and at the strength of an injection', () => {
    expect(newLineForm(tablet)).toMatchObject({ doseAmount: '1', doseUnit: 'tablet', frequency: 'OD' });
    expect(newLineForm({ doseForm: 'injection', route: 'IV', strength: '40 mg' })).toMatchObject({
      doseAmount: '40',
      doseUnit: 'mg',
      route: 'IV',
    });
    expect(defaultDoseUnit({ doseForm: 'syrup' })).toBe('mL');
    expect(defaultDoseUnit({ doseForm: 'capsule, hard' })).toBe('capsule');
  });

  it('reads custom times however they are separated', () => {
    expect(parseTimes('20:00, 8.00  14:00 20:00')).toEqual(['08:00', '14:00', '20:00']);
    expect(parseTimes('later')).toEqual([]);
  });

  it('becomes the API item with the contract defaults, the quantity left out for the server to compute', () => {
    const checked = validateLine(
      tablet,
      { ...newLineForm(tablet), frequency: 'HS', durationDays: '30' },
      'outpatient',
    );
    expect(checked).toEqual({
      ok: true,
      body: {
        formularyItemId: ID,
        dose: { amount: 1, unit: 'tablet' },
        route: 'oral',
        frequency: 'HS',
        durationDays: 30,
        instructions: 'after-food',
        note: null,
      },
    });
  });

  it('needs an indication for SOS, times for custom, whole days, and STAT only for an in-patient', () => {
    const form = newLineForm(tablet);
    expect(validateLine(tablet, { ...form, frequency: 'SOS' }, 'outpatient')).toMatchObject({
      ok: false,
      errors: { prnIndication: expect.stringMatching(/what it is for/) },
    });
    expect(validateLine(tablet, { ...form, frequency: 'CUSTOM', times: 'noon' }, 'inpatient')).toMatchObject({
      ok: false,
      errors: { times: expect.any(String) },
    });
    expect(validateLine(tablet, { ...form, durationDays: 'five' }, 'outpatient')).toMatchObject({
      ok: false,
      errors: { durationDays: 'Days, as a whole number' },
    });
    expect(validateLine(tablet, { ...form, frequency: 'STAT' }, 'outpatient')).toMatchObject({
      ok: false,
      errors: { frequency: 'STAT is an in-patient order' },
    });
    const prn = validateLine(
      tablet,
      { ...form, frequency: 'SOS', prnIndication: ' fever ', maxDosesPerDay: '4' },
      'inpatient',
    );
    expect(prn).toMatchObject({ ok: true, body: { prnIndication: 'fever', maxDosesPerDay: 4 } });
    expect(validateLine(tablet, { ...form, frequency: 'STAT', durationDays: '1' }, 'inpatient').ok).toBe(
      true,
    );
  });
});

describe('override reasons', () => {
  const alerts = [
    { key: 'interaction:INT-1:p0|p1', requiresOverrideReason: true },
    { key: 'allergy:ALLERGY-SUBSTANCE:a0:p2', requiresOverrideReason: true },
    { key: 'duplicate-therapy:DUP-INGREDIENT:p0|p1', requiresOverrideReason: false },
  ];

  it('names the serious alerts still without a reason', () => {
    expect(missingOverrides(alerts, { 'interaction:INT-1:p0|p1': '  ' })).toEqual([
      'interaction:INT-1:p0|p1',
      'allergy:ALLERGY-SUBSTANCE:a0:p2',
    ]);
    expect(
      missingOverrides(alerts, {
        'interaction:INT-1:p0|p1': 'paused',
        'allergy:ALLERGY-SUBSTANCE:a0:p2': 'x',
      }),
    ).toEqual([]);
  });

  it('sends the reasons of the alerts on the draft only, trimmed', () => {
    const line = { body: { formularyItemId: ID } } as unknown as DraftLine;
    const body = buildPrescriptionBody({
      encounterId: ID,
      lines: [line],
      alerts: alerts.slice(0, 1),
      reasons: { 'interaction:INT-1:p0|p1': ' Statin paused ', 'interaction:GONE:p0|p3': 'old' },
      notes: ' ',
    });
    expect(body).toEqual({
      encounterId: ID,
      items: [{ formularyItemId: ID }],
      overrides: [{ alertKey: 'interaction:INT-1:p0|p1', reason: 'Statin paused' }],
      notes: null,
    });
  });

  it('drops the reasons about a removed line and the lines after it (their positions shift)', () => {
    const reasons = {
      'interaction:INT-1:p0|p1': 'keep',
      'allergy:ALLERGY-SUBSTANCE:a0:p2': 'about the removed line',
      'interaction:INT-2:p1|p3': 'shifts',
      'interaction:INT-3:p0|c1': 'current medicine, kept',
    };
    expect(reasonsAfterRemoval(reasons, 2)).toEqual({
      'interaction:INT-1:p0|p1': 'keep',
      'interaction:INT-3:p0|c1': 'current medicine, kept',
    });
    expect(reasonsAfterRemoval(reasons, 0)).toEqual({});
  });
});
