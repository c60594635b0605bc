import { listRoles } from '../../platform/access/access.service';
import { createUser, listUsers } from '../../platform/auth/users.service';
import { type Ctx, systemCtx } from '../../platform/context';
import { DEMO_PASSWORD } from '../../platform/demo';
import { Conflict, DomainError } from '../../platform/http/errors';
import type { AppDeps } from '../../platform/module';
import { listDepartments } from '../../platform/organization/organization.service';
import { addDays } from '../../platform/time/facility-time';
import { registeredPatientIds } from '../patients';
import { bookAppointment } from './appointments.service';
import type { OpdEnv } from './opd.events';
import { facilityClock } from './opd-lookups';
import { createPractitioner, createRoom, listPractitioners } from './practitioners.service';
import { callNext, checkInAppointment, checkInWalkIn, startConsultation } from './queue.service';
import { createException, createTemplate } from './schedules.service';
import { listSlots } from './slots.service';

// The demo hospital's OPD: four doctors with rooms and a week of schedules, appointments today and
// tomorrow for the demo patients, and a queue in progress (one patient with the doctor, one called).

const doctors = [
  {
    email: null,
    name: 'Dr. Demo Doctor',
    dept: 'GMED',
    specialty: 'General Medicine',
    prefix: 'A',
    perSlot: 2,
  },
  {
    email: 'meera.iyer',
    name: 'Dr. Meera Iyer',
    dept: 'PAED',
    specialty: 'Paediatrics',
    prefix: 'B',
    perSlot: 1,
  },
  {
    email: 'arjun.rao',
    name: 'Dr. Arjun Rao',
    dept: 'CARD',
    specialty: 'Cardiology',
    prefix: 'C',
    perSlot: 1,
  },
  {
    email: 'farah.khan',
    name: 'Dr. Farah Khan',
    dept: 'ORTH',
    specialty: 'Orthopaedics',
    prefix: 'D',
    perSlot: 1,
  },
] as const;

async function doctorUser(ctx: Ctx, facilityId: string, localPart: string, name: string): Promise<string> {
  const email = `${localPart}@demo.newhms.local`;
  const doctorRole = (await listRoles(ctx.db)).find((r) => r.name === 'doctor')!;
  try {
    const { user } = await createUser(
      ctx,
      { email, displayName: name, password: DEMO_PASSWORD, roles: [{ facilityId, roleId: doctorRole.id }] },
      { mustChangePassword: false },
    );
    return user.id;
  } catch (err) {
    if (!(err instanceof Conflict)) throw err;
    const { items } = await listUsers(ctx, { q: email, limit: 1 });
    return items[0]!.id;
  }
}

/** Patients of the demo facility, in registration order. */
async function demoPatientIds(deps: AppDeps, facilityId: string, count: number): Promise<string[]> {
  return registeredPatientIds(deps.database.db, facilityId, count);
}

/** Ignores the few demo bookings that a clash makes impossible (the demo is best effort, not a test). */
async function attempt<T>(run: () => Promise<T>): Promise<T | undefined> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof DomainError) return undefined;
    throw err;
  }
}

export async function seedOpdDemo(
  deps: AppDeps,
  demo: { facilityId: string; userIds: Record<string, string> },
): Promise<void> {
  const { facilityId } = demo;
  const env: OpdEnv = { events: deps.events };
  const ctx = systemCtx(deps.database.db, 'demo', facilityId);
  if ((await listPractitioners(ctx, {})).length > 0) return;
  const clock = await facilityClock(ctx.db, facilityId, ctx.now);
  const departments = new Map((await listDepartments(ctx, facilityId)).map((d) => [d.code, d.id]));

  const practitionerIds: string[] = [];
  for (const [i, d] of doctors.entries()) {
    const departmentId = departments.get(d.dept) ?? [...departments.values()][0]!;
    const userId = d.email ? await doctorUser(ctx, facilityId, d.email, d.name) : demo.userIds.doctor!;
    const room = await createRoom(ctx, {
      departmentId,
      name: `OPD Room ${i + 1}`,
      boardCode: `OPD-${i + 1}`,
      showInitials: i === 0,
      active: true,
    });
    const practitioner = await createPractitioner(ctx, {
      userId,
      displayName: d.name,
      departmentId,
      specialty: d.specialty,
      registrationCouncil: 'Karnataka Medical Council',
      registrationNumber: `KMC-${45_210 + i * 1_137}`,
      qualifications: i === 0 ? ['MBBS', 'MD (General Medicine)'] : ['MBBS', `MD (${d.specialty})`],
      languages: ['English', 'Kannada', 'Hindi'],
      firstVisitFee: 50_000 + i * 10_000,
      followUpFee: 30_000,
      followUpWithinDays: 7,
      tokenPrefix: d.prefix,
      active: true,
    });
    practitionerIds.push(practitioner.id);
    // Monday to Saturday mornings; the general physician also sees patients three evenings a week.
    for (let weekday = 1; weekday <= 6; weekday++) {
      await createTemplate(ctx, env, {
        practitionerId: practitioner.id,
        weekday,
        roomId: room.id,
        startTime: '09:00',
        endTime: '13:00',
        slotMinutes: 10,
        patientsPerSlot: d.perSlot,
        walkInQuota: 10,
        validFrom: addDays(clock.today, -7),
        validTo: null,
      });
      if (i === 0 && weekday % 2 === 1) {
        await createTemplate(ctx, env, {
          practitionerId: practitioner.id,
          weekday,
          roomId: room.id,
          startTime: '16:00',
          endTime: '19:00',
          slotMinutes: 15,
          patientsPerSlot: 1,
          walkInQuota: 6,
          validFrom: addDays(clock.today, -7),
          validTo: null,
        });
      }
    }
    // So that the demo always has a clinic running: an extra session from now on for the first doctor.
    if (i === 0) {
      const hour = new Intl.DateTimeFormat('en-GB', {
        timeZone: clock.timeZone,
        hour: '2-digit',
        hourCycle: 'h23',
      });
      const hh = Number(hour.format(ctx.now));
      const start = Math.max(0, Math.min(hh - 1, 19));
      await attempt(() =>
        createException(ctx, env, {
          kind: 'extra-session',
          practitionerId: practitioner.id,
          date: clock.today,
          reason: 'Demo: a clinic running now',
          roomId: room.id,
          startTime: `${String(start).padStart(2, '0')}:30`,
          endTime: `${String(start + 4).padStart(2, '0')}:00`,
          slotMinutes: 15,
          patientsPerSlot: 2,
          walkInQuota: 20,
        }),
      );
    }
  }

  const patients = await demoPatientIds(deps, facilityId, 24);
  if (patients.length === 0) return;
  let next = 0;
  const patient = () => patients[next++ % patients.length]!;

  // Appointments today and tomorrow: the first free slots of each doctor.
  const todays: string[] = [];
  for (const [i, practitionerId] of practitionerIds.entries()) {
    for (const day of [clock.today, addDays(clock.today, 1)]) {
      const free = await listSlots(ctx, env, { practitionerId, from: day, to: day, onlyFree: true });
      for (const slot of free.slice(0, i === 0 ? 5 : 3)) {
        const a = await attempt(() =>
          bookAppointment(ctx, env, {
            patientId: patient(),
            slotId: slot.id,
            source: next % 3 === 0 ? 'call-centre' : 'front-desk',
            reason: 'Consultation',
          }),
        );
        if (a && day === clock.today && i === 0) todays.push(a.id);
      }
    }
  }

  // A queue in progress at the first doctor's: two appointments arrived, three walk-ins, one elderly or
  // pregnant patient first, one patient with the doctor and the next one called.
  const first = practitionerIds[0]!;
  for (const id of todays.slice(0, 2))
    await attempt(() => checkInAppointment(ctx, env, id, { priorities: [] }));
  for (const priorities of [[], ['pregnant'], []] as const) {
    await attempt(() =>
      checkInWalkIn(ctx, env, { patientId: patient(), practitionerId: first, priorities: [...priorities] }),
    );
  }
  const inRoom = await attempt(() => callNext(ctx, env, first));
  if (inRoom) await attempt(() => startConsultation(ctx, env, inRoom.id));
  await attempt(() => callNext(ctx, env, first));
}
