import { BedReleasedPayload, IPD_EVENTS } from '@newhms/contracts';
import type { FastifyInstance } from 'fastify';
import type { Jobs } from '../../platform/jobs/jobs';
import type { AppDeps, ModuleDefinition } from '../../platform/module';
import { seedFacilitiesDemo } from './demo';
import { facilitiesRoutes } from './facilities.routes';
import { createBedCleaningTask, type FacilitiesEnv } from './housekeeping.service';
import { alertOverdueTasks } from './housekeeping-reports.service';

/** Housekeeping (bed cleaning after discharge, terminal cleaning, spills); later maintenance and biomedical. */
export const facilitiesModule: ModuleDefinition = {
  name: 'facilities',
  permissions: [
    {
      name: 'facilities:housekeeping',
      description: 'See the housekeeping queue, take, start and finish cleaning tasks',
      roles: ['admin', 'housekeeping', 'nurse'],
    },
    {
      name: 'facilities:supervise-housekeeping',
      description: 'Create, assign and cancel housekeeping tasks; turnaround reports',
      roles: ['admin'],
    },
  ],
  async plugin(app: FastifyInstance, deps: AppDeps) {
    const env: FacilitiesEnv = { events: deps.events };
    deps.events.subscribe('facilities.bed-cleaning', [IPD_EVENTS.bedReleased], async (event, tx) => {
      if (!event.facilityId) return;
      await createBedCleaningTask(tx, event.id, event.facilityId, BedReleasedPayload.parse(event.payload));
    });
    await facilitiesRoutes(app, env);
  },
  jobs: registerFacilitiesJobs,
  async seedDemo(deps, demo) {
    await seedFacilitiesDemo(deps, demo);
  },
};

/** Every minute: tasks past due are marked once and announced (`facilities.housekeeping.task-overdue`). */
async function registerFacilitiesJobs(jobs: Jobs, deps: AppDeps): Promise<void> {
  jobs.define(
    'facilities.housekeeping-overdue',
    async () => {
      await alertOverdueTasks(deps.database.db, deps.events, new Date());
    },
    { retryLimit: 1, retryDelaySeconds: 30, expireInSeconds: 120 },
  );
  await jobs.schedule('facilities.housekeeping-overdue', '* * * * *');
}
