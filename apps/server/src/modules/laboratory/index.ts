import type { FastifyInstance } from 'fastify';
import type { AppDeps, ModuleDefinition } from '../../platform/module';
import { ENCOUNTER_EVENTS } from '../encounters';
import { seedLabCatalog } from './catalog.service';
import { laboratoryRoutes } from './laboratory.routes';
import { cancelForOrder, type LaboratoryEnv, receiveEncounterOrder } from './requests.service';

/**
 * The clinical laboratory: the test catalog (LOINC, panels, reference and critical ranges, delta rules),
 * requests from encounter orders and walk-ins, samples with accession numbers and labels, collection,
 * receipt and rejection, worklists by section, result entry with flags and delta checks, validation by a
 * second person, and amendments that keep what was reported before.
 */
export const laboratoryModule: ModuleDefinition = {
  name: 'laboratory',
  permissions: [
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
  },
};
