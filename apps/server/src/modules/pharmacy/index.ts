import { AdmissionEventPayload, IPD_EVENTS } from '@newhms/contracts';
import type { FastifyInstance } from 'fastify';
import type { AppDeps, ModuleDefinition } from '../../platform/module';
import { seedPharmacyDemo } from './demo';
import type { PharmacyEnv } from './dispensing.service';
import {
  medicationRequestCapability,
  medicationRequestFhirRoutes,
} from './fhir/medication-request-fhir.routes';
import { seedFormulary } from './formulary.service';
import { cancelDosesOfAdmission } from './mar.service';
import { pharmacyRoutes } from './pharmacy.routes';
import { prescriptionRoutes } from './prescriptions.routes';
import { refreshAllStockAlerts } from './stock-alerts.service';

/**
 * Medicines: the formulary (generics, brands, schedules, high-alert and look-alike flags), stores and
 * suppliers, goods receipts by batch, stock that never goes negative, FEFO issue, indents between stores,
 * adjustments with a second person's approval, the controlled-drug register, and sales to patients that
 * move stock and the bill in one transaction.
 */
export const pharmacyModule: ModuleDefinition = {
  name: 'pharmacy',
  permissions: [
    {
      name: 'pharmacy:read',
      description: 'See the formulary, stores, stock, expiry lists, indents and sales',
      roles: ['admin', 'pharmacist', 'doctor', 'nurse'],
    },
    {
      name: 'pharmacy:manage',
      description: 'Open stores, add suppliers, set reorder levels',
      roles: ['admin', 'pharmacist'],
    },
    {
      name: 'pharmacy:receive',
      description: 'Post goods receipts, issue indents, ask for stock adjustments',
      roles: ['admin', 'pharmacist'],
    },
    {
      name: 'pharmacy:dispense',
      description: 'Hand medicines to patients and take returns',
      roles: ['admin', 'pharmacist'],
    },
    {
      name: 'pharmacy:approve-adjustment',
      description: "Approve or reject another person's stock adjustment",
      roles: ['admin', 'pharmacist'],
    },
    {
      name: 'pharmacy:prescribe',
      description: 'Write, stop and cancel prescriptions and in-patient medication orders',
      roles: ['admin', 'doctor'],
    },
    {
      name: 'pharmacy:administer',
      description: 'Record doses on the medication administration record',
      roles: ['admin', 'nurse'],
    },
    {
      name: 'pharmacy:indent',
      description: 'Ask another store for stock (ward indents)',
      roles: ['admin', 'pharmacist', 'nurse'],
    },
  ],
  seedReference: seedFormulary,
  fhir: { resources: [medicationRequestCapability], routes: medicationRequestFhirRoutes },
  async seedDemo(deps, demo) {
    await seedPharmacyDemo(deps, demo);
  },
  async jobs(jobs, deps) {
    jobs.define(
      'pharmacy.stock-alerts',
      async () => {
        await refreshAllStockAlerts(deps.database.db, deps.events);
      },
      { retryLimit: 2, retryDelaySeconds: 600, expireInSeconds: 30 * 60 },
    );
    // Every morning at 06:15 UTC (before the day shift in India), and the job can be run at will.
    await jobs.schedule('pharmacy.stock-alerts', '15 6 * * *');
  },
  async plugin(app: FastifyInstance, deps: AppDeps) {
    const env: PharmacyEnv = { events: deps.events };
    await pharmacyRoutes(app, env);
    await prescriptionRoutes(app, env);
    // The stay ended: doses still due come off the chart and its orders complete.
    deps.events.subscribe(
      'pharmacy.end-of-stay',
      [IPD_EVENTS.discharged, IPD_EVENTS.cancelled],
      async (event, tx) => {
        const p = AdmissionEventPayload.parse(event.payload);
        await cancelDosesOfAdmission(tx, p.admissionId, `Stay ended (${event.type})`, event.occurredAt);
      },
    );
  },
};

export { FormularyFileInvalid, importFormularyFile } from './formulary.service';
