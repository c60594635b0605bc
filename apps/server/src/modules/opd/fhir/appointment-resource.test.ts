import { beforeAll, describe, expect, it } from 'vitest';
import { expectValidFhir, fhirValidationErrors } from '../../../../test/fhir-validators';
import type { appointments } from '../opd.tables';
import { toFhirAppointment } from './appointment-resource';

type Row = typeof appointments.$inferSelect;

const row = (overrides: Partial<Row> = {}): Row => ({
  id: '0190a000-0000-7000-8000-000000000001',
  facilityId: '0190a000-0000-7000-8000-000000000002',
  patientId: '0190a000-0000-7000-8000-000000000003',
  practitionerId: '0190a000-0000-7000-8000-000000000004',
  slotId: '0190a000-0000-7000-8000-000000000005',
  sessionId: '0190a000-0000-7000-8000-000000000006',
  roomId: '0190a000-0000-7000-8000-000000000007',
  date: '2026-05-04',
  startsAt: new Date('2026-05-04T04:30:00Z'),
  endsAt: new Date('2026-05-04T04:45:00Z'),
  status: 'booked',
  source: 'front-desk',
  reason: null,
  feeKind: 'first-visit',
  fee: 50_000,
  currency: 'INR',
  followUpOfEncounterId: null,
  cancelReason: null,
  cancelledBySession: false,
  cancelledAt: null,
  tokenId: null,
  bookedById: null,
  arrivedAt: null,
  version: 1,
  createdAt: new Date('2026-05-01T10:00:00Z'),
  updatedAt: new Date('2026-05-01T10:00:00Z'),
  ...overrides,
});
const doctor = { displayName: 'Dr. Meera Iyer', specialty: 'General Medicine' };

// The validators index the R4 definitions once per worker: seconds, not a test's worth.
beforeAll(() => {
  fhirValidationErrors({ resourceType: 'Basic', code: { text: 'warm-up' } });
}, 60_000);

describe('toFhirAppointment', () => {
  it.each([
    ['booked', 'booked'],
    ['arrived', 'arrived'],
    ['completed', 'fulfilled'],
    ['cancelled', 'cancelled'],
    ['no-show', 'noshow'],
  ])('maps %s to %s, valid R4', (ours, fhir) => {
    const a = toFhirAppointment(row({ status: ours, cancelReason: 'patient unwell' }), doctor);
    expect(a.status).toBe(fhir);
    expectValidFhir(a);
    // app-4: a cancellation reason only on a cancelled appointment.
    expect(a.cancelationReason !== undefined).toBe(fhir === 'cancelled');
  });

  it('makes a follow-up a FOLLOWUP naming its consultation, and reads without a practitioner profile', () => {
    const a = toFhirAppointment(
      row({
        feeKind: 'follow-up',
        followUpOfEncounterId: '0190a000-0000-7000-8000-0000000000ee',
        reason: 'review',
      }),
      null,
    );
    expectValidFhir(a);
    expect(a.appointmentType.coding?.[0]?.code).toBe('FOLLOWUP');
    expect(a.supportingInformation).toEqual([
      { reference: 'Encounter/0190a000-0000-7000-8000-0000000000ee' },
    ]);
    expect(a.reasonCode).toEqual([{ text: 'review' }]);
    expect(a.specialty).toBeUndefined();
    expect(a.participant[1]?.actor).toEqual({
      reference: 'Practitioner/0190a000-0000-7000-8000-000000000004',
    });
    expect(a.minutesDuration).toBe(15);
  });
});
