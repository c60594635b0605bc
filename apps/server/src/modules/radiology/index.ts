import type { FastifyInstance } from 'fastify';
import type { AppDeps, ModuleDefinition } from '../../platform/module';
import { ENCOUNTER_EVENTS } from '../encounters';
import { seedRadiologyCatalog } from './catalog.service';
import { escalateCriticalAlerts } from './critical-alerts.service';
import { seedRadiologyDemo } from './demo';
import {
  imagingStudyCapability,
  radiologyDiagnosticReportProvider,
  radiologyFhirRoutes,
} from './fhir/radiology-fhir.routes';
import { cancelForOrder, receiveEncounterOrder } from './orders.service';
import type { RadiologyEnv } from './rad-records';
import { radiologyRoutes } from './radiology.routes';
import { unmatchedOrdersRoutes } from './unmatched-orders';

/**
 * Radiology: the procedure catalog (modality, body part, side, contrast, preparation, report templates),
 * modality rooms, imaging orders from encounter orders and walk-ins with accession numbers, room bookings that
 * never overlap, the technologist's worklist with the safety checklist, DICOM study links to the PACS, the
 * radiologist's reports (draft, final, addenda) and critical findings read back by the ordering doctor
 * (escalated when they are not); FHIR ImagingStudy and radiology's share of DiagnosticReport.
 */
export const radiologyModule: ModuleDefinition = {
  name: 'radiology',
  permissions: [
    {
      name: 'radiology:catalog',
      description:
        'Look up the imaging procedure catalog (preparation, duration, contrast): no patient data; for whoever orders or bills imaging',
      roles: ['admin', 'doctor', 'nurse', 'radiographer', 'radiologist', 'front-desk', 'billing-clerk'],
    },
    {
      name: 'radiology:read',
      description: 'See the imaging catalog, orders, studies, reports and critical findings addressed to me',
      roles: ['admin', 'doctor', 'nurse', 'radiographer', 'radiologist', 'front-desk'],
    },
    {
      name: 'radiology:order',
      description: 'Order imaging at the radiology desk (walk-in) or for an encounter',
      roles: ['admin', 'doctor', 'front-desk', 'radiographer', 'radiologist'],
    },
    {
      name: 'radiology:schedule',
      description: 'Book, move and cancel studies in the modality rooms; record arrivals',
      roles: ['admin', 'front-desk', 'radiographer'],
    },
    {
      name: 'radiology:perform',
      description: 'Work the modality worklist: arrival checklist, start and complete studies',
      roles: ['admin', 'radiographer'],
    },
    {
      name: 'radiology:report',
      description: 'Write, sign and amend radiology reports; flag critical findings; see all of them',
      roles: ['admin', 'radiologist'],
    },
    {
      name: 'radiology:manage',
      description: 'Set up the modality rooms and their working hours',
      roles: ['admin'],
    },
  ],
  seedReference: seedRadiologyCatalog,
  async jobs(jobs, deps) {
    jobs.define(
      'radiology.critical-escalation',
      async () => {
        await escalateCriticalAlerts(
          deps.database.db,
          deps.events,
          deps.config.NEWHMS_RADIOLOGY_CRITICAL_ACK_MINUTES,
          new Date(),
        );
      },
      { retryLimit: 1, retryDelaySeconds: 30, expireInSeconds: 5 * 60 },
    );
    // Every minute: an unacknowledged critical finding escalates within a minute of its limit.
    await jobs.schedule('radiology.critical-escalation', '* * * * *');
  },
  async plugin(app: FastifyInstance, deps: AppDeps) {
    const env: RadiologyEnv = {
      events: deps.events,
      log: app.log,
      viewerUrl: deps.config.NEWHMS_PACS_VIEWER_URL,
    };
    deps.events.subscribe('radiology.order-placed', [ENCOUNTER_EVENTS.orderPlaced], async (event, tx) => {
      await receiveEncounterOrder(tx, env, event);
    });
    deps.events.subscribe(
      'radiology.order-cancelled',
      [ENCOUNTER_EVENTS.orderCancelled],
      async (event, tx) => {
        await cancelForOrder(tx, env, event);
      },
    );
    await radiologyRoutes(app, env);
    await unmatchedOrdersRoutes(app);
  },
  async seedDemo(deps, demo) {
    await seedRadiologyDemo(deps, demo);
  },
  fhir: {
    resources: [imagingStudyCapability],
    routes: radiologyFhirRoutes,
    providers: [radiologyDiagnosticReportProvider],
  },
};
