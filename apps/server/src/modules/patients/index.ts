import type { FastifyInstance } from 'fastify';
import { loadFieldCipher } from '../../platform/crypto/field-cipher';
import type { AppDeps, ModuleDefinition } from '../../platform/module';
import { seedPatientsDemo } from './demo';
import { patientCapability, patientFhirRoutes } from './fhir/patient-fhir.routes';
import { patientsRoutes } from './patients.routes';
import type { PatientsEnv } from './patients.service';
import { SEARCH_SESSION_SETTINGS } from './search';

/**
 * The patients module: registration, the master patient index (MRN, identifiers, duplicates, merge),
 * contacts, consents, allergies and alerts. Other modules use only what this file exports.
 */
export const patientsModule: ModuleDefinition = {
  name: 'patients',
  permissions: [
    {
      name: 'patients:read',
      description: 'Find patients and open their records',
      roles: [
        'admin',
        'front-desk',
        'doctor',
        'nurse',
        'pharmacist',
        'lab-technician',
        'radiologist',
        'radiographer',
        'billing-clerk',
        'insurance-desk',
        'accounts-manager',
        'records-officer',
        'quality-manager',
      ],
    },
    {
      name: 'patients:register',
      description: 'Register new patients and unknown emergency patients',
      roles: ['admin', 'front-desk', 'records-officer', 'nurse'],
    },
    {
      name: 'patients:update',
      description: "Edit patients' demographics, identifiers, contacts, consents and photo",
      roles: ['admin', 'front-desk', 'records-officer'],
    },
    {
      name: 'patients:merge',
      description: 'Review possible duplicates and merge records',
      roles: ['admin', 'records-officer'],
    },
    {
      name: 'patients:manage-allergies',
      description: 'Record allergies, "no known allergies" and alerts',
      roles: ['admin', 'doctor', 'nurse', 'pharmacist'],
    },
    {
      name: 'patients:configure',
      description: 'Configure the MRN format of a facility',
      roles: ['admin'],
    },
  ],
  fhir: { resources: [patientCapability], routes: patientFhirRoutes },
  async plugin(app: FastifyInstance, deps: AppDeps) {
    const env: PatientsEnv = {
      cipher: await loadFieldCipher(deps.database.db, deps.config),
      events: deps.events,
      searchDb: deps.database.sessionWith(SEARCH_SESSION_SETTINGS),
    };
    await patientsRoutes(app, env);
  },
  async seedDemo(deps, demo) {
    await seedPatientsDemo(deps, demo);
  },
};

export { survivorOf } from './duplicates';
export { describeImport, importFhirPatients } from './fhir/fhir-import';
export { displayNameOf, normalizeName, phoneticKey, phoneticKeys } from './names';
export { readPatientSummaries } from './patient-reads';
export {
  allergyFlagsOf,
  loadPatient as getPatient,
  loadSummaries as getPatientSummaries,
  registeredPatientIds,
} from './patient-records';
export { PATIENT_EVENTS } from './patients.service';
