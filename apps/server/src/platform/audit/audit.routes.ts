import { AuditPage, AuditQuery, AuditVerifyResponse, Problem } from '@newhms/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Database } from '../db/database';
import { recordAudit, searchAudit, verifyAuditChain } from './audit.service';

const errors = { 400: Problem, 401: Problem, 403: Problem };
const tags = ['audit'];

export async function auditRoutes(app: FastifyInstance, database: Database): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/v1/audit/entries',
    {
      preHandler: app.requirePermission('audit:read'),
      schema: {
        tags,
        summary: 'Audit report: filter and sort by any field',
        querystring: AuditQuery,
        response: { 200: AuditPage, ...errors },
      },
    },
    async (request) => {
      const page = await searchAudit(database.db, request.query);
      // Reading the audit log is itself an audited act.
      await recordAudit(database.db, request.ctx, {
        action: 'read',
        resourceType: 'AuditLog',
        detail: { query: request.query, returned: page.items.length },
      });
      return page;
    },
  );

  r.get(
    '/api/v1/audit/verify',
    {
      preHandler: app.requirePermission('audit:verify'),
      schema: {
        tags,
        summary: 'Walk the hash chain and name the first broken entry',
        response: { 200: AuditVerifyResponse, ...errors },
      },
    },
    async (request) => {
      const result = await verifyAuditChain(database);
      await recordAudit(database.db, request.ctx, {
        action: 'read',
        resourceType: 'AuditChain',
        detail: { ...result },
      });
      return result;
    },
  );
}
