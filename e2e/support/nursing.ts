import type { ApiSession } from './api';

// A ward with beds and an admitted patient, through the API, as the bed manager and the admitting desk would have
// done before the shift: a bed category, a ward with a room, beds, an attending doctor with a practitioner profile.

type Facility = { id: string; timeZone: string };

const letters = (n: number) =>
  Array.from({ length: n }, () => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'[Math.floor(Math.random() * 26)]).join('');

export type WardSetup = {
  facilityId: string;
  timeZone: string;
  ward: { id: string; name: string; code: string };
  beds: { id: string; code: string }[];
  practitionerId: string;
};

/** A general ward with a room of `bedCount` beds, and the doctor (a staff user) as an attending practitioner. */
export async function createWard(
  admin: ApiSession,
  input: { wardName: string; doctorUserId: string; doctorName: string; bedCount?: number },
): Promise<WardSetup> {
  const facilities = await admin.call<{ items: Facility[] }>('GET', '/organization/facilities');
  const facility = facilities.items[0];
  if (!facility) throw new Error('no facility');
  const department = await admin.call<{ id: string }>(
    'POST',
    `/organization/facilities/${facility.id}/departments`,
    { code: `IM${letters(3)}`, name: `Internal Medicine ${letters(3)}`, kind: 'clinical' },
  );
  const practitioner = await admin.call<{ id: string }>('POST', '/opd/practitioners', {
    userId: input.doctorUserId,
    displayName: input.doctorName,
    departmentId: department.id,
    specialty: 'Internal Medicine',
    registrationCouncil: 'Maharashtra Medical Council',
    registrationNumber: `MMC-${Math.floor(Math.random() * 90_000) + 10_000}`,
    qualifications: ['MBBS', 'MD'],
    languages: ['English'],
    firstVisitFee: 50_000,
    followUpFee: 30_000,
  });
  const category = await admin.call<{ id: string }>('POST', '/ipd/bed-categories', {
    code: `GEN${letters(3)}`,
    name: 'General',
    tariffClass: 'general',
  });
  const ward = await admin.call<{ id: string; name: string; code: string }>('POST', '/ipd/wards', {
    code: `W${letters(4)}`,
    name: input.wardName,
    kind: 'general',
  });
  const room = await admin.call<{ id: string }>('POST', '/ipd/rooms', {
    wardId: ward.id,
    code: `R${letters(2)}`,
    name: 'Room 1',
  });
  const beds: { id: string; code: string }[] = [];
  for (let i = 1; i <= (input.bedCount ?? 2); i++) {
    beds.push(
      await admin.call<{ id: string; code: string }>('POST', '/ipd/beds', {
        roomId: room.id,
        categoryId: category.id,
        code: `${ward.code.slice(1, 3)}-${i}`,
        sortOrder: i,
      }),
    );
  }
  return {
    facilityId: facility.id,
    timeZone: facility.timeZone,
    ward,
    beds,
    practitionerId: practitioner.id,
  };
}

export type Admitted = { id: string; encounterId: string; version: number; admissionNumber: string };

/** Admits a registered patient straight to a bed (a direct admission, paying cash). */
export async function admitToBed(
  session: ApiSession,
  setup: WardSetup,
  input: { patientId: string; bedId: string; reason?: string },
): Promise<Admitted> {
  return session.call<Admitted>('POST', '/ipd/admissions', {
    patientId: input.patientId,
    source: 'direct',
    bedId: input.bedId,
    admittingPractitionerId: setup.practitionerId,
    attendingPractitionerId: setup.practitionerId,
    reason: input.reason ?? 'Community-acquired pneumonia',
    provisionalDiagnosis: { text: 'Pneumonia', code: 'J18.9' },
    expectedLengthOfStayDays: 4,
    payerCategory: 'cash',
  });
}
