import type { PrescriptionItem } from '@newhms/contracts';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectValidFhir, fhirValidationErrors } from '../../../../test/fhir-validators';
import { sigOf } from '../prescribing';
import {
  type MedicationRequestSource,
  medicationRequestId,
  medicationRequestStatus,
  parseMedicationRequestId,
  toFhirMedicationRequest,
} from './medication-request-resource';

const PRESCRIPTION_ID = '0190a000-0000-7000-8000-0000000000b1';

/** A line as toItem() builds it, with the sig the REST API shows. */
function line(overrides: Partial<PrescriptionItem> = {}): PrescriptionItem {
  const base: PrescriptionItem = {
    lineNo: 1,
    formularyItemId: '0190a000-0000-7000-8000-0000000000c1',
    code: 'PARA500T',
    genericName: 'Paracetamol',
    strength: '500 mg',
    doseForm: 'tablet',
    unitOfIssue: 'tablet',
    schedule: 'OTC',
    highAlert: false,
    brandId: null,
    dose: { amount: 1, unit: 'tablet' },
    route: 'oral',
    frequency: 'TDS',
    times: ['08:00', '14:00', '20:00'],
    prnIndication: null,
    maxDosesPerDay: null,
    durationDays: 5,
    startDate: '2026-05-04',
    quantity: 15,
    dispensed: 0,
    instructions: 'after-food',
    note: null,
    status: 'active',
    stoppedAt: null,
    stopReason: null,
    sig: '',
    ...overrides,
  };
  return {
    ...base,
    sig: sigOf(base, {
      ingredients: ['paracetamol'],
      strength: base.strength,
      unitOfIssue: base.unitOfIssue,
      doseForm: base.doseForm,
    }),
  };
}

function source(
  lineOverrides: Partial<PrescriptionItem> = {},
  overrides: Partial<Omit<MedicationRequestSource, 'line' | 'prescription'>> & {
    prescription?: Partial<MedicationRequestSource['prescription']>;
  } = {},
): MedicationRequestSource {
  return {
    atcCode: 'N02BE01',
    alerts: [],
    ...overrides,
    prescription: {
      id: PRESCRIPTION_ID,
      number: 'RX-0000042',
      patientId: '0190a000-0000-7000-8000-0000000000a1',
      encounterId: '0190a000-0000-7000-8000-0000000000e1',
      setting: 'outpatient',
      status: 'active',
      prescriberName: 'Dr Meera Iyer',
      notes: null,
      cancelReason: null,
      createdAt: new Date('2026-05-04T04:30:00Z'),
      updatedAt: new Date('2026-05-04T04:30:00Z'),
      version: 1,
      ...overrides.prescription,
    },
    line: line(lineOverrides),
  };
}

const mapped = (...args: Parameters<typeof source>) => {
  const resource = toFhirMedicationRequest(source(...args));
  expectValidFhir(resource);
  return resource;
};
const dosage = (...args: Parameters<typeof source>) => mapped(...args).dosageInstruction[0]!;

// The validators index the R4 definitions once per worker: seconds, not a test's worth.
beforeAll(() => {
  fhirValidationErrors({ resourceType: 'Basic', code: { text: 'warm-up' } });
}, 60_000);

describe('a prescription line as a MedicationRequest', () => {
  it('orders the formulary item for the patient and encounter, grouped by the prescription number', () => {
    const r = mapped();
    expect(r).toMatchObject({
      resourceType: 'MedicationRequest',
      id: `${PRESCRIPTION_ID}-1`,
      meta: { versionId: '1', lastUpdated: '2026-05-04T04:30:00.000Z' },
      status: 'active',
      intent: 'order',
      category: [
        {
          coding: [
            {
              system: 'http://terminology.hl7.org/CodeSystem/medicationrequest-category',
              code: 'outpatient',
            },
          ],
        },
      ],
      medicationCodeableConcept: {
        coding: [
          {
            system: 'https://newhms.example/fhir/CodeSystem/formulary',
            code: 'PARA500T',
            display: 'Paracetamol 500 mg tablet',
          },
          { system: 'http://www.whocc.no/atc', code: 'N02BE01' },
        ],
        text: 'Paracetamol 500 mg tablet',
      },
      subject: { reference: 'Patient/0190a000-0000-7000-8000-0000000000a1' },
      encounter: { reference: 'Encounter/0190a000-0000-7000-8000-0000000000e1' },
      authoredOn: '2026-05-04T04:30:00.000Z',
      requester: { display: 'Dr Meera Iyer' },
      groupIdentifier: { system: 'https://newhms.example/fhir/sid/prescription-number', value: 'RX-0000042' },
      dispenseRequest: {
        quantity: { value: 15, unit: 'tablet' },
        expectedSupplyDuration: { value: 5, unit: 'days', system: 'http://unitsofmeasure.org', code: 'd' },
      },
    });
    expect(r.requester.reference).toBeUndefined();
    expect(r.priority).toBeUndefined();
    expect(r.note).toBeUndefined();
    expect(r.dosageInstruction).toEqual([
      {
        text: '1 tablet oral, three times a day after food, for 5 days',
        additionalInstruction: [{ text: 'after food' }],
        timing: {
          repeat: {
            boundsPeriod: { start: '2026-05-04', end: '2026-05-08' },
            frequency: 3,
            period: 1,
            periodUnit: 'd',
          },
          code: {
            coding: [
              {
                system: 'http://terminology.hl7.org/CodeSystem/v3-GTSAbbreviation',
                code: 'TID',
                display: 'TID',
              },
            ],
            text: 'TDS',
          },
        },
        route: { text: 'oral' },
        doseAndRate: [{ doseQuantity: { value: 1, unit: 'tablet' } }],
      },
    ]);
  });

  it('is an in-patient order for a line of an in-patient prescription, and leaves out an unknown ATC code', () => {
    const r = mapped({}, { atcCode: null, prescription: { setting: 'inpatient' } });
    expect(r.category[0]?.coding?.[0]).toMatchObject({ code: 'inpatient', display: 'Inpatient' });
    expect(r.medicationCodeableConcept.coding).toHaveLength(1);
  });

  it.each([
    ['OD', ['08:00'], 1, 'QD'],
    ['BD', ['08:00', '20:00'], 2, 'BID'],
    ['TDS', ['08:00', '14:00', '20:00'], 3, 'TID'],
    ['QID', ['06:00', '12:00', '18:00', '22:00'], 4, 'QID'],
  ] as const)('gives %s at the standard times as %i a day, coded %s', (frequency, times, perDay, code) => {
    const d = dosage({ frequency, times: [...times] });
    expect(d.timing?.repeat).toMatchObject({ frequency: perDay, period: 1, periodUnit: 'd' });
    expect(d.timing?.repeat?.timeOfDay).toBeUndefined();
    expect(d.timing?.repeat?.when).toBeUndefined();
    expect(d.timing?.code?.coding?.[0]?.code).toBe(code);
    expect(d.timing?.code?.text).toBe(frequency);
  });

  it('gives HS once a day at bedtime (when HS, coded BED)', () => {
    const d = dosage({ frequency: 'HS', times: ['21:00'] });
    expect(d.timing?.repeat).toMatchObject({ frequency: 1, period: 1, periodUnit: 'd', when: ['HS'] });
    expect(d.timing?.code?.coding?.[0]).toMatchObject({ code: 'BED', display: 'at bedtime' });
  });

  it('gives custom times, and standard frequencies at other times, as timeOfDay without a code', () => {
    const custom = dosage({ frequency: 'CUSTOM', times: ['07:30', '13:00', '19:30', '23:00', '03:00'] });
    expect(custom.timing).toEqual({
      repeat: {
        boundsPeriod: { start: '2026-05-04', end: '2026-05-08' },
        frequency: 5,
        period: 1,
        periodUnit: 'd',
        timeOfDay: ['07:30:00', '13:00:00', '19:30:00', '23:00:00', '03:00:00'],
      },
    });
    const bd = dosage({ frequency: 'BD', times: ['09:00', '21:00'] });
    expect(bd.timing?.repeat).toMatchObject({ frequency: 2, timeOfDay: ['09:00:00', '21:00:00'] });
    expect(bd.timing?.code).toBeUndefined();
    // A timing has timeOfDay or when, never both.
    const hs = dosage({ frequency: 'HS', times: ['22:30'] });
    expect(hs.timing?.repeat).toMatchObject({ timeOfDay: ['22:30:00'] });
    expect(hs.timing?.repeat?.when).toBeUndefined();
  });

  it('gives an SOS line as needed for its indication, with the most in a day, and no schedule', () => {
    const d = dosage({
      frequency: 'SOS',
      times: [],
      prnIndication: 'fever above 38.5 C',
      maxDosesPerDay: 4,
      dose: { amount: 500, unit: 'mg' },
      durationDays: 3,
      quantity: 12,
    });
    expect(d.text).toBe(
      '1 tablet (500 mg) oral, when needed for fever above 38.5 C, at most 4 a day after food, for 3 days',
    );
    expect(d.asNeededCodeableConcept).toEqual({ text: 'fever above 38.5 C' });
    expect(d.asNeededBoolean).toBeUndefined();
    expect(d.timing).toEqual({ repeat: { boundsPeriod: { start: '2026-05-04', end: '2026-05-06' } } });
    expect(d.maxDosePerPeriod).toEqual({
      numerator: { value: 2000, unit: 'mg', system: 'http://unitsofmeasure.org', code: 'mg' },
      denominator: { value: 1, unit: 'day', system: 'http://unitsofmeasure.org', code: 'd' },
    });
    expect(dosage({ frequency: 'SOS', times: [], prnIndication: 'pain' }).maxDosePerPeriod).toBeUndefined();
  });

  it('gives a STAT dose as one dose with priority stat', () => {
    const r = mapped(
      { frequency: 'STAT', times: [], durationDays: 1, quantity: 1 },
      { prescription: { setting: 'inpatient' } },
    );
    expect(r.priority).toBe('stat');
    expect(r.dosageInstruction[0]?.timing).toEqual({ repeat: { count: 1 } });
    expect(r.dispenseRequest.expectedSupplyDuration).toMatchObject({ value: 1, unit: 'day', code: 'd' });
  });

  it('codes mass and volume doses in UCUM (mcg as ug) and leaves other units as text', () => {
    const ucum = (amount: number, unit: string) =>
      dosage({ dose: { amount, unit } }).doseAndRate[0]!.doseQuantity;
    expect(ucum(500, 'mg')).toEqual({
      value: 500,
      unit: 'mg',
      system: 'http://unitsofmeasure.org',
      code: 'mg',
    });
    expect(ucum(1, 'g')).toMatchObject({ code: 'g' });
    expect(ucum(250, 'mcg')).toMatchObject({ unit: 'mcg', code: 'ug' });
    expect(ucum(5, 'mL')).toMatchObject({ unit: 'mL', code: 'mL' });
    expect(ucum(0.5, 'tablet')).toEqual({ value: 0.5, unit: 'tablet' });
    expect(ucum(2, 'puff')).toEqual({ value: 2, unit: 'puff' });
  });

  it('shows a stopped line as stopped with its reason', () => {
    const r = mapped({ status: 'stopped', stoppedAt: '2026-05-05T06:00:00.000Z', stopReason: 'Afebrile' });
    expect(r.status).toBe('stopped');
    expect(r.statusReason).toEqual({ text: 'Afebrile' });
  });

  it('cancels every line of a cancelled prescription, with its reason, and completes those of a completed one', () => {
    const cancelled = mapped({}, { prescription: { status: 'cancelled', cancelReason: 'Wrong patient' } });
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.statusReason).toEqual({ text: 'Wrong patient' });
    expect(mapped({}, { prescription: { status: 'completed' } }).status).toBe('completed');
    expect(mapped({ status: 'completed' }).status).toBe('completed');
    expect(
      mapped({ status: 'stopped', stopReason: 'Rash' }, { prescription: { status: 'completed' } }).status,
    ).toBe('stopped');
    expect(medicationRequestStatus('cancelled', 'stopped')).toBe('cancelled');
    expect(medicationRequestStatus('active', 'active')).toBe('active');
  });

  it("notes the line's note, the prescription's note and the alerts overridden for this line", () => {
    const alert = {
      severity: 'major',
      kind: 'interaction',
      message: 'Clarithromycin raises simvastatin levels.',
      overriddenByName: 'Dr Meera Iyer',
    };
    const r = mapped(
      { lineNo: 2, note: 'Swallow whole' },
      {
        prescription: { notes: 'Review in a week' },
        alerts: [
          { ...alert, lineNos: [1, 2], overrideReason: 'Simvastatin paused for the course' },
          { ...alert, lineNos: [1, 3], overrideReason: 'Not about line 2' },
          { ...alert, severity: 'moderate', lineNos: [2], overrideReason: null, overriddenByName: null },
        ],
      },
    );
    expect(r.id).toBe(`${PRESCRIPTION_ID}-2`);
    expect(r.note).toEqual([
      { text: 'Swallow whole' },
      { text: 'Prescription note: Review in a week' },
      {
        authorString: 'Dr Meera Iyer',
        text:
          'Alert overridden (major interaction): Clarithromycin raises simvastatin levels. ' +
          'Reason: Simvastatin paused for the course',
      },
    ]);
  });
});

describe('MedicationRequest ids', () => {
  it('name a prescription and a line, and round-trip', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.integer({ min: 1, max: 999 }), (id, lineNo) => {
        const fhirId = medicationRequestId(id, lineNo);
        expect(fhirId).toMatch(/^[A-Za-z0-9\-.]{1,64}$/);
        expect(parseMedicationRequestId(fhirId)).toEqual({ prescriptionId: id.toLowerCase(), lineNo });
      }),
    );
  });

  it('refuse what cannot be one of ours', () => {
    for (const id of [
      PRESCRIPTION_ID,
      `${PRESCRIPTION_ID}-0`,
      `${PRESCRIPTION_ID}-01`,
      `${PRESCRIPTION_ID}-1000`,
      `${PRESCRIPTION_ID}-1-2`,
      `${PRESCRIPTION_ID}-x`,
      'RX-0000042-1',
      '',
    ]) {
      expect(parseMedicationRequestId(id), id).toBeNull();
    }
  });
});
