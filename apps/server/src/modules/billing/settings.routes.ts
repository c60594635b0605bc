import { BillingSettings, Problem, UpdateBillingSettingsBody } from '@newhms/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { getBillingSettings, updateBillingSettings } from './settings.service';

const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem };
const tags = ['billing'];

/** The facility's billing settings: when laboratory tests are charged. */
export async function settingsRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/api/v1/billing/settings',
    {
      preHandler: app.requirePermission('billing:read'),
      schema: {
        tags,
        summary: "The facility's billing settings (defaults, version 0, until set)",
        response: { 200: BillingSettings, ...errors },
      },
    },
    async (request) => getBillingSettings(request.ctx),
  );
  r.put(
    '/api/v1/billing/settings',
    {
      preHandler: app.requirePermission('billing:manage'),
      schema: {
        tags,
        summary:
          "Change the facility's billing settings: laboratory tests charged on order (default) or on collection",
        body: UpdateBillingSettingsBody,
        response: { 200: BillingSettings, ...errors },
      },
    },
    async (request) => updateBillingSettings(request.ctx, request.body),
  );
}
