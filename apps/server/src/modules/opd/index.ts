import { and, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { systemCtx } from '../../platform/context';
import type { Db, DbOrTx, Tx } from '../../platform/db/database';
import type { Jobs } from '../../platform/jobs/jobs';
import type { AppDeps, ModuleDefinition } from '../../platform/module';
import { ENCOUNTER_EVENTS } from '../encounters';
import { PATIENT_EVENTS } from '../patients';
import { BoardHub } from './board-hub';
import { seedOpdDemo } from './demo';
import { displayRoutes } from './display.routes';
import { appointmentCapability, appointmentFhirRoutes } from './fhir/appointment-fhir.routes';
import type { OpdEnv } from './opd.events';
import { practitioners } from './opd.tables';
import { loadPractitioner } from './opd-lookups';
import { opdSetupRoutes } from './opd-setup.routes';
import { opdVisitRoutes } from './opd-visits.routes';
import { followMerge } from './patient-merge';
import { completeTokenOfEncounter } from './queue.service';
import { materializeAll } from './slots.service';

/**
 * The out-patient department: practitioners and clinic rooms, weekly schedules with leave and extra
 * sessions, slots and appointments (capacity enforced by the database), walk-in tokens and the queue, the
 * public token boards (live across server processes), waiting times and the doctor's worklist.
 */
export const opdModule: ModuleDefinition = {
  name: 'opd',
  permissions: [
    {
      name: 'opd:read',
      description: 'See schedules, slots, appointments and queues',
      roles: ['admin', 'front-desk', 'doctor', 'nurse', 'billing-clerk'],
    },
    {
      name: 'opd:book',
      description: 'Book, reschedule and cancel appointments (front desk, call centre)',
      roles: ['admin', 'front-desk'],
    },
    {
      name: 'opd:check-in',
      description: 'Check patients in (appointments and walk-ins) and record no-shows',
      roles: ['admin', 'front-desk', 'nurse'],
    },
    {
      name: 'opd:manage-queue',
      description: 'Call, skip, recall, complete and transfer queue tokens',
      roles: ['admin', 'doctor', 'nurse'],
    },
    {
      name: 'opd:manage-schedules',
      description: 'Set up practitioners, clinic rooms, schedules, leave and holidays; cancel sessions',
      roles: ['admin'],
    },
    {
      name: 'opd:consult',
      description: 'Start consultations from the queue and book follow-ups',
      roles: ['doctor'],
    },
    {
      name: 'opd:reports',
      description: 'See OPD waiting-time figures',
      roles: ['admin', 'quality-manager'],
    },
  ],
  async plugin(app: FastifyInstance, deps: AppDeps) {
    const env: OpdEnv = { events: deps.events };
    const hub = new BoardHub(deps.database, app.log);
    // Before the HTTP server closes: end the live board streams, which would otherwise hold it open.
    app.addHook('preClose', async () => hub.close());
    deps.events.subscribe('opd.complete-token', [ENCOUNTER_EVENTS.finished], async (event, tx) => {
      const p = event.payload as { sourceType: string | null; sourceId: string | null };
      if (p.sourceType !== 'opd-token' || !p.sourceId) return;
      const ctx = systemCtx(tx as Db, 'opd.complete-token', event.facilityId);
      await completeTokenOfEncounter(tx as Tx, env, ctx, p.sourceId);
    });
    deps.events.subscribe('opd.follow-merge', [PATIENT_EVENTS.merged], async (event, tx) => {
      const p = event.payload as { survivorId: string; mergedId: string };
      await followMerge(tx, deps.events, p.survivorId, p.mergedId);
    });
    await opdSetupRoutes(app, env);
    await opdVisitRoutes(app, env);
    await displayRoutes(app, deps.database, hub);
  },
  jobs: registerOpdJobs,
  async seedDemo(deps, demo) {
    await seedOpdDemo(deps, demo);
  },
  fhir: { resources: [appointmentCapability], routes: appointmentFhirRoutes },
};

/**
 * The OPD's background job: every night, sessions and slots for the rolling booking window of every active
 * practitioner (idempotent; schedule changes also do it at once, and the slot picker fills any gap).
 */
async function registerOpdJobs(jobs: Jobs, deps: AppDeps): Promise<void> {
  jobs.define(
    'opd.materialize-slots',
    async () => {
      await materializeAll(deps.database.db, { events: deps.events });
    },
    { retryLimit: 3, retryDelaySeconds: 300, expireInSeconds: 30 * 60 },
  );
  await jobs.schedule('opd.materialize-slots', '30 0 * * *');
}

export { OPD_EVENTS } from '@newhms/contracts';
export { getTokenConsultation, type TokenConsultation } from './queries-for-billing';

/**
 * A practitioner of the facility, for other modules (IPD's admitting and attending doctors). Not found in
 * this facility: 422 naming `path`.
 */
export async function findPractitioner(
  db: DbOrTx,
  facilityId: string,
  id: string,
  path: string,
): Promise<{ id: string; userId: string; displayName: string; departmentId: string; active: boolean }> {
  const row = await loadPractitioner(db, facilityId, id, { path });
  return {
    id: row.id,
    userId: row.userId,
    displayName: row.displayName,
    departmentId: row.departmentId,
    active: row.active,
  };
}

/**
 * What a prescription prints under a doctor's name: qualifications and council registration, from the
 * practitioner profile of the user in the facility (null when the user has no profile there).
 */
export async function practitionerCredentials(
  db: DbOrTx,
  facilityId: string,
  userId: string,
): Promise<{ qualifications: string[]; registration: string | null } | null> {
  const [row] = await db
    .select({
      qualifications: practitioners.qualifications,
      council: practitioners.registrationCouncil,
      number: practitioners.registrationNumber,
    })
    .from(practitioners)
    .where(and(eq(practitioners.facilityId, facilityId), eq(practitioners.userId, userId)));
  if (!row) return null;
  const registration = row.number ? [row.council, row.number].filter(Boolean).join(' ') : null;
  return { qualifications: row.qualifications, registration };
}

/** The facility's practitioners (demo data of other modules picks its doctors here). */
export { listPractitioners } from './practitioners.service';
