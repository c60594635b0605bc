import { AdmissionEventPayload, IPD_EVENTS } from '@newhms/contracts';
import type { FastifyInstance } from 'fastify';
import { systemCtx } from '../../platform/context';
import type { Db } from '../../platform/db/database';
import type { AppDeps, ModuleDefinition } from '../../platform/module';
import { stopOnAdmissionEnd } from './diet-orders.service';
import { dietaryRoutes } from './dietary.routes';

/** Diet orders of in-patients and the kitchen's lists per ward and meal. */
export const dietaryModule: ModuleDefinition = {
  name: 'dietary',
  permissions: [
    {
      name: 'dietary:read',
      description: "See diet orders and the kitchen's lists",
      roles: ['admin', 'doctor', 'nurse', 'dietitian'],
    },
    {
      name: 'dietary:order',
      description: 'Order, change and stop diets',
      roles: ['admin', 'doctor', 'nurse', 'dietitian'],
    },
  ],
  async plugin(app: FastifyInstance, deps: AppDeps) {
    // The stay ended: the kitchen stops serving. A transfer needs nothing: the kitchen list reads the bed now.
    deps.events.subscribe(
      'dietary.stop-on-discharge',
      [IPD_EVENTS.discharged, IPD_EVENTS.cancelled],
      async (event, tx) => {
        const ctx = systemCtx(tx as Db, 'dietary.stop-on-discharge', event.facilityId);
        await stopOnAdmissionEnd(tx, ctx, event.type, AdmissionEventPayload.parse(event.payload));
      },
    );
    await dietaryRoutes(app);
  },
};
