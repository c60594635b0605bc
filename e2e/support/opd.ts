import type { ApiSession } from './api';

// OPD set-up through the API, as an administrator would have done before the clinic day: a department, doctors
// with practitioner profiles, a clinic room with its token board, and weekly sessions covering the whole day.

type Facility = { id: string; timeZone: string };

/** Today's date (YYYY-MM-DD) in the facility's time zone, as the OPD counts days. */
export function dateIn(timeZone: string, at = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
}

export function plusDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

const weekdayOf = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay() || 7;

export type Clinic = {
  facilityId: string;
  timeZone: string;
  today: string;
  departmentId: string;
  room: { id: string; name: string; boardCode: string };
};

/** The facility's department of General Medicine and a clinic room with its board. */
export async function createClinic(
  admin: ApiSession,
  input: { departmentCode: string; roomName: string; boardCode: string },
): Promise<Clinic> {
  const facilities = await admin.call<{ items: Facility[] }>('GET', '/organization/facilities');
  const facility = facilities.items[0];
  if (!facility) throw new Error('no facility');
  const department = await admin.call<{ id: string }>(
    'POST',
    `/organization/facilities/${facility.id}/departments`,
    { code: input.departmentCode, name: `General Medicine ${input.departmentCode}`, kind: 'clinical' },
  );
  const room = await admin.call<{ id: string; name: string; boardCode: string }>('POST', '/opd/rooms', {
    departmentId: department.id,
    name: input.roomName,
    boardCode: input.boardCode,
  });
  return {
    facilityId: facility.id,
    timeZone: facility.timeZone,
    today: dateIn(facility.timeZone),
    departmentId: department.id,
    room,
  };
}

export type Doctor = { practitionerId: string; displayName: string };

/**
 * A practitioner profile for a staff user, with sessions all day (00:00-23:55) on the weekdays of the given
 * dates, so that the clinic is open whenever the test runs.
 */
export async function createDoctor(
  admin: ApiSession,
  clinic: Clinic,
  input: { userId: string; displayName: string; dates: string[]; patientsPerSlot?: number },
): Promise<Doctor> {
  const practitioner = await admin.call<{ id: string }>('POST', '/opd/practitioners', {
    userId: input.userId,
    displayName: input.displayName,
    departmentId: clinic.departmentId,
    specialty: 'General Medicine',
    registrationCouncil: 'Maharashtra Medical Council',
    registrationNumber: `MMC-${Math.floor(Math.random() * 90_000) + 10_000}`,
    qualifications: ['MBBS', 'MD'],
    languages: ['English', 'Hindi', 'Marathi'],
    firstVisitFee: 50_000,
    followUpFee: 30_000,
  });
  const weekdays = [...new Set(input.dates.map(weekdayOf))];
  for (const weekday of weekdays) {
    await admin.call('POST', '/opd/schedules', {
      practitionerId: practitioner.id,
      roomId: clinic.room.id,
      weekday,
      startTime: '00:00',
      endTime: '23:55',
      slotMinutes: 15,
      patientsPerSlot: input.patientsPerSlot ?? 2,
      walkInQuota: 50,
      validFrom: clinic.today,
    });
  }
  return { practitionerId: practitioner.id, displayName: input.displayName };
}

type Slot = { id: string; startsAt: string; endsAt: string; free: number };

/** The first slot of a day that is still ahead and has room. */
export async function firstFreeSlot(
  session: ApiSession,
  practitionerId: string,
  date: string,
): Promise<Slot> {
  const { items } = await session.call<{ items: Slot[] }>(
    'GET',
    `/opd/slots?practitionerId=${practitionerId}&from=${date}&to=${date}&onlyFree=true`,
  );
  const slot = items.find((s) => Date.parse(s.startsAt) > Date.now() + 60_000);
  if (!slot) throw new Error(`no free slot on ${date}`);
  return slot;
}
