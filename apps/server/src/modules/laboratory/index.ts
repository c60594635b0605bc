import type { FastifyInstance } from 'fastify';
import type { AppDeps, ModuleDefinition } from '../../platform/module';
import { ENCOUNTER_EVENTS } from '../encounters';
import { fileAnalyzerResults } from './analyzer-results.service';
import { seedLabCatalog } from './catalog.service';
import { escalateCriticalAlerts } from './critical-alerts.service';
import {
  labDiagnosticReportProvider,
  laboratoryCapabilities,
  laboratoryFhirRoutes,
  labResultObservationProvider,
} from './fhir/lab-fhir.routes';
import { createMllpListener } from './hl7/mllp-listener';
import { laboratoryRoutes } from './laboratory.routes';
import { cancelForOrder, type LaboratoryEnv, receiveEncounterOrder } from './requests.service';
import { unmatchedOrdersRoutes } from './unmatched-orders';

/**
 * The clinical laboratory: the test catalog (LOINC, panels, reference and critical ranges, delta rules),
 * requests from encounter orders and walk-ins, samples with accession numbers and labels, collection,
 * receipt and rejection, worklists by section, result entry with flags and delta checks, validation by a
 * second person, amendments that keep what was reported before, critical values read back by the ordering
 * doctor (escalated when they are not), and analyzer results over HL7 v2 (MLLP) when NEWHMS_HL7_PORT is set.
 */
export const laboratoryModule: ModuleDefinition = {
  name: 'laboratory',
  permissions: [
    {
      name: 'laboratory:catalog',
      description:
        'Look up the test catalog (codes, names, tubes, turnaround): no patient data; for whoever orders or bills tests',
      roles: ['admin', 'doctor', 'nurse', 'lab-technician', 'front-desk', 'billing-clerk'],
    },
    {
      name: 'laboratory:read',
      description: 'See the test catalog, laboratory requests, samples and results',
      roles: ['admin', 'doctor', 'nurse', 'lab-technician'],
    },
    {
      name: 'laboratory:order',
      description: 'Order tests at the lab counter (walk-in) or for an encounter',
      roles: ['admin', 'doctor', 'lab-technician', 'front-desk'],
    },
    {
      name: 'laboratory:collect',
      description: 'See the collection list, print tube labels, record sample collection',
      roles: ['admin', 'nurse', 'lab-technician'],
    },
    {
      name: 'laboratory:process',
      description: 'Receive and reject samples, work the section worklists, enter results',
      roles: ['admin', 'lab-technician'],
    },
    {
      name: 'laboratory:validate',
      description: "Validate another person's results and amend released results (pathologists)",
      roles: ['admin', 'lab-technician'],
    },
  ],
  seedReference: seedLabCatalog,
  fhir: {
    resources: laboratoryCapabilities,
    routes: laboratoryFhirRoutes,
    providers: [labResultObservationProvider, labDiagnosticReportProvider],
  },
  async jobs(jobs, deps) {
    jobs.define(
      'laboratory.critical-escalation',
      async () => {
        await escalateCriticalAlerts(
          deps.database.db,
          deps.events,
          deps.config.NEWHMS_LAB_CRITICAL_ACK_MINUTES,
          new Date(),
        );
      },
      { retryLimit: 1, retryDelaySeconds: 30, expireInSeconds: 5 * 60 },
    );
    // Every minute: an unacknowledged critical value escalates within a minute of its limit.
    await jobs.schedule('laboratory.critical-escalation', '* * * * *');
  },
  async plugin(app: FastifyInstance, deps: AppDeps) {
    const env: LaboratoryEnv = { events: deps.events, log: app.log };
    deps.events.subscribe('laboratory.order-placed', [ENCOUNTER_EVENTS.orderPlaced], async (event, tx) => {
      await receiveEncounterOrder(tx, env, event);
    });
    deps.events.subscribe(
      'laboratory.order-cancelled',
      [ENCOUNTER_EVENTS.orderCancelled],
      async (event, tx) => {
        await cancelForOrder(tx, env, event);
      },
    );
    await laboratoryRoutes(app, env);
    await unmatchedOrdersRoutes(app);
    const port = deps.config.NEWHMS_HL7_PORT;
    if (port !== undefined) {
      const log = app.log.child({ component: 'hl7' });
      const listener = createMllpListener({
        logger: log,
        handler: (message) => fileAnalyzerResults(deps.database.db, message),
        read: { accessionSource: 'OBR-3' },
      });
      // onListen: only the process that serves HTTP (not the CLI, not app.inject in tests) takes analyzers.
      // Its errors are logged, not fatal: the wards keep their HTTP service if the HL7 port is taken.
      app.addHook('onListen', async () => {
        try {
          await listener.start(port, deps.config.NEWHMS_HL7_HOST);
        } catch (err) {
          log.error({ err, port }, 'HL7 MLLP listener could not start: analyzer results are not received');
        }
      });
      app.addHook('onClose', async () => {
        await listener.close();
      });
    }
  },
};
