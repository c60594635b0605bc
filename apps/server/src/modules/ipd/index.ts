import type { FastifyInstance } from 'fastify';
import type { AppDeps, ModuleDefinition } from '../../platform/module';
import { bedBoardRoutes } from './bed-board.routes';
import { seedIpdDemo } from './demo';
import { ipdFhirRoutes, locationCapability } from './fhir/location-fhir.routes';
import type { IpdEnv } from './ipd.env';
import { ipdRoutes } from './ipd.routes';
import { registerIpdJobs, subscribeIpdCore } from './ipd.subscriptions';
import { nursingRoutes } from './nursing.routes';

/**
 * In-patients: wards, rooms and beds, admission requests and reservations, admissions with their bed
 * history, transfers, nursing (NEWS2, intake/output, notes, care plan, handover, tasks), discharge with its
 * clearance checklist, and the live bed board. The clinical record of a stay is the inpatient encounter
 * in `encounters`.
 */
export const ipdModule: ModuleDefinition = {
  name: 'ipd',
  permissions: [
    {
      name: 'ipd:read',
      description: 'See wards, beds, the bed board, admissions and in-patient charts',
      roles: ['admin', 'doctor', 'nurse', 'front-desk', 'billing-clerk', 'insurance-desk', 'records-officer'],
    },
    {
      name: 'ipd:manage-beds',
      description: 'Set up wards, rooms, beds and bed categories; block and unblock beds',
      roles: ['admin'],
    },
    {
      name: 'ipd:admit',
      description: 'Request admissions, reserve beds, admit and transfer',
      roles: ['admin', 'doctor', 'nurse', 'front-desk'],
    },
    {
      name: 'ipd:cancel-admission',
      description: 'Cancel an admission entered in error (its bed days are void)',
      roles: ['admin', 'doctor'],
    },
    {
      name: 'ipd:nursing',
      description: 'Chart vitals, intake/output, nursing notes, care plans, handovers and tasks',
      roles: ['admin', 'nurse', 'doctor'],
    },
    {
      name: 'ipd:discharge',
      description: 'Plan, clear and complete discharges',
      roles: ['admin', 'doctor', 'nurse'],
    },
  ],
  async plugin(app: FastifyInstance, deps: AppDeps) {
    const env: IpdEnv = { events: deps.events, database: deps.database };
    subscribeIpdCore(deps);
    await ipdRoutes(app, env);
    await nursingRoutes(app, env);
    await bedBoardRoutes(app, env, deps.config);
  },
  jobs: registerIpdJobs,
  fhir: { resources: [locationCapability], routes: ipdFhirRoutes },
  async seedDemo(deps, demo) {
    await seedIpdDemo(deps, demo);
  },
};

export {
  ADMISSION_SOURCE_TYPE,
  bedHistoryOf,
  currentBedsOf,
  openOccupancyOf,
  wardRestrictionsUnmet,
} from './admissions.service';
export { bedDaysOf, localDateIn, midnightsIn } from './bed-days';
export { BEDS_CHANNEL } from './ipd.events';
export { currentBedOf, loadBedInfo, readPatients } from './ipd-records';
export {
  type AdmissionForBilling,
  type DischargeClearanceState,
  getAdmissionForBilling,
  getDischargeClearanceState,
  listOpenAdmissionIds,
} from './queries-for-billing';
export {
  type AdmissionPlacement,
  getAdmissionPlacement,
  getOpenAdmissionOf,
  getWardNames,
  listPlacedInpatients,
} from './queries-for-dietary';
export { refreshReservations } from './requests.service';
export { changeBedStatus } from './wards.service';
