import type { FastifyInstance } from 'fastify';
import type { AppDeps, ModuleDefinition } from '../../platform/module';
import { PATIENT_EVENTS } from '../patients';
import { encountersRoutes } from './encounters.routes';
import { type EncountersEnv, followMerge } from './encounters.service';
import { clinicalCapabilities, clinicalFhirRoutes } from './fhir/clinical-fhir.routes';
import { vitalSignsObservationProvider } from './fhir/observation-provider';
import { ensureCuratedIcd10 } from './icd10.service';
import { followOrderFulfilment } from './order-fulfilment';

/**
 * The shared clinical record: encounters (OPD visit, IPD stay, ER visit), vitals and other observations,
 * clinical notes, ICD-10 diagnoses and orders. OPD, IPD, emergency, laboratory and pharmacy write into it
 * through the functions exported here.
 */
export const encountersModule: ModuleDefinition = {
  name: 'encounters',
  permissions: [
    {
      name: 'encounters:read',
      description: "Read patients' encounters, vitals, notes, diagnoses and orders",
      roles: [
        'admin',
        'doctor',
        'nurse',
        'pharmacist',
        'lab-technician',
        'radiologist',
        'records-officer',
        'quality-manager',
      ],
    },
    {
      name: 'encounters:write',
      description: 'Start and finish encounters, write notes, record diagnoses, place orders',
      roles: ['admin', 'doctor'],
    },
    {
      name: 'encounters:record-vitals',
      description: 'Record vital signs',
      roles: ['admin', 'doctor', 'nurse'],
    },
    { name: 'encounters:sign', description: 'Sign and amend clinical notes', roles: ['admin', 'doctor'] },
  ],
  async seedReference(db) {
    await ensureCuratedIcd10(db);
  },
  async plugin(app: FastifyInstance, deps: AppDeps) {
    const env: EncountersEnv = { events: deps.events };
    deps.events.subscribe('encounters.follow-merge', [PATIENT_EVENTS.merged], async (event, tx) => {
      const p = event.payload as { survivorId: string; mergedId: string };
      await followMerge(tx, p.survivorId, p.mergedId);
    });
    // Orders follow the laboratory and radiology (their events; encounters imports none of their code).
    followOrderFulfilment(deps.events);
    await encountersRoutes(app, env);
  },
  fhir: {
    resources: clinicalCapabilities,
    routes: clinicalFhirRoutes,
    providers: [vitalSignsObservationProvider],
  },
};

export {
  activeProblems,
  createNote,
  ENCOUNTER_EVENTS,
  type EncountersEnv,
  encounterVitals,
  endEncounterLocation,
  endStayEncounter,
  getEncounter,
  getEncounterDetail,
  hasSignedNote,
  recordEncounterLocation,
  recordVitals,
  startEncounter,
  unsignedNotesOf,
} from './encounters.service';
export { importIcd10File, searchIcd10 } from './icd10.service';
export { getOrderForBilling, listOrdersPlaced, type OrderForBilling } from './queries-for-billing';
