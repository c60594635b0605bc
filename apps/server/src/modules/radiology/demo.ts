import { eq } from 'drizzle-orm';
import type { Actor, Ctx } from '../../platform/context';
import type { Db } from '../../platform/db/database';
import type { AppDeps } from '../../platform/module';
import { facilityToday } from '../../platform/organization/facility-context';
import { getFacility } from '../../platform/organization/organization.service';
import { addDays, zonedInstant } from '../../platform/time/facility-time';
import { getPatientSummaries, registeredPatientIds } from '../patients';
import { bookOrder } from './bookings.service';
import { placeWalkIn } from './orders.service';
import type { RadiologyEnv } from './rad-records';
import { rooms } from './radiology.tables';
import { openReport, signReport } from './reports.service';
import { createRoom } from './rooms.service';
import { arrive, completeStudy, startStudy } from './workflow.service';

// The demo hospital's radiology: an X-ray room (08:00-20:00), a CT scanner and an ultrasound room (around the
// clock), and a few studies in different states: a chest X-ray booked for tomorrow, a knee X-ray waiting to be
// booked, an abdominal ultrasound whose patient has arrived, and a CT head done and reported. Idempotent:
// skipped when the facility has radiology rooms.

function demoCtx(db: Db, demo: { facilityId: string; userIds: Record<string, string> }, role: string): Ctx {
  const userId = demo.userIds[role];
  const name = `Demo ${role.replace('-', ' ').replace(/\b\w/g, (c) => c.toUpperCase())}`;
  const actor: Actor = userId
    ? {
        type: 'user',
        userId,
        name,
        sessionId: '',
        facilityId: demo.facilityId,
        roles: [role],
        permissions: new Set(),
      }
    : { type: 'system', name: 'demo data' };
  return { db, actor, facilityId: demo.facilityId, requestId: `demo:radiology:${role}`, now: new Date() };
}

export async function seedRadiologyDemo(
  deps: AppDeps,
  demo: { facilityId: string; userIds: Record<string, string> },
): Promise<void> {
  const db = deps.database.db;
  const [existing] = await db
    .select({ id: rooms.id })
    .from(rooms)
    .where(eq(rooms.facilityId, demo.facilityId))
    .limit(1);
  if (existing) return;
  const env: RadiologyEnv = {
    events: deps.events,
    log: { warn: () => {}, info: () => {} },
    viewerUrl: deps.config.NEWHMS_PACS_VIEWER_URL,
  };
  const admin = demoCtx(db, demo, 'admin');
  const desk = demoCtx(db, demo, 'front-desk');
  const doctor = demoCtx(db, demo, 'doctor');
  const radiographer = demoCtx(db, demo, 'radiographer');
  const radiologist = demoCtx(db, demo, 'radiologist');

  const xray = await createRoom(admin, {
    code: 'XR-1',
    name: 'X-ray room 1',
    modality: 'XR',
    opensAt: '08:00',
    closesAt: '20:00',
    aeTitle: 'XR1_DR',
  });
  const ct = await createRoom(admin, {
    code: 'CT-1',
    name: 'CT scanner',
    modality: 'CT',
    aeTitle: 'CT1_SCANNER',
  });
  await createRoom(admin, { code: 'US-1', name: 'Ultrasound room 1', modality: 'US', aeTitle: null });

  const ids = await registeredPatientIds(db, demo.facilityId, 40);
  const patients = (await getPatientSummaries(db, ids, new Date())).filter((p) => p.status === 'active');
  const men = patients.filter((p) => p.sex === 'male');
  if (men.length < 3 || patients.length < 4) return;
  const [a, b, c] = men;
  const d = patients.find((p) => ![a, b, c].includes(p))!;
  const { timeZone } = await getFacility(db, demo.facilityId);
  const { today } = await facilityToday(db, demo.facilityId, new Date());

  // 1. A chest X-ray booked for tomorrow at 10:00.
  const chest = await placeWalkIn(doctor, env, {
    patientId: a!.id,
    procedureCode: 'RAD-CXR-PA',
    priority: 'routine',
    clinicalIndication: 'Cough for three weeks, low-grade fever',
  });
  await bookOrder(desk, env, chest.id, {
    roomId: xray.id,
    startsAt: zonedInstant(addDays(today, 1), '10:00', timeZone).toISOString(),
    version: chest.version,
  });

  // 2. A knee X-ray waiting to be booked.
  await placeWalkIn(doctor, env, {
    patientId: b!.id,
    procedureCode: 'RAD-XR-KNEE',
    laterality: 'left',
    priority: 'routine',
    clinicalIndication: 'Twisting injury of the left knee while playing football; pain on walking',
  });

  // 3. An abdominal ultrasound: the patient has arrived.
  const usg = await placeWalkIn(doctor, env, {
    patientId: d.id,
    procedureCode: 'RAD-USG-ABD',
    priority: 'urgent',
    clinicalIndication: 'Right upper quadrant pain after meals',
  });
  await arrive(radiographer, env, usg.id, { checklist: { identityConfirmed: true }, version: usg.version });

  // 4. A CT head done and reported.
  let head = await placeWalkIn(doctor, env, {
    patientId: c!.id,
    procedureCode: 'RAD-CT-HEAD',
    priority: 'stat',
    clinicalIndication: 'Fall at home, brief loss of consciousness, on aspirin',
  });
  head = await bookOrder(desk, env, head.id, {
    roomId: ct.id,
    startsAt: new Date().toISOString(),
    version: head.version,
  });
  head = await arrive(radiographer, env, head.id, {
    checklist: { identityConfirmed: true },
    version: head.version,
  });
  head = await startStudy(radiographer, env, head.id, { version: head.version });
  head = await completeStudy(radiographer, env, head.id, {
    numberOfImages: 212,
    dose: { dlpMGyCm: 850, ctdiVolMGy: 55 },
    version: head.version,
  });
  const draft = await openReport(radiologist, head.id);
  await signReport(radiologist, env, draft.id, {
    findings:
      'Brain parenchyma: normal grey-white differentiation; no haemorrhage, infarct or mass.\n' +
      'Ventricles and sulci: normal for age; midline central.\nExtra-axial spaces: no collection.\n' +
      'Bones: no skull fracture. Small left frontal scalp haematoma.\nSinuses and mastoids: clear.',
    impression: 'No acute intracranial haemorrhage or fracture. Left frontal scalp haematoma.',
    version: draft.version,
  });
}
