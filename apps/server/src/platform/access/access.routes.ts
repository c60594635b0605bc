import {
  BreakGlassBody,
  BreakGlassGrant,
  BreakGlassList,
  BreakGlassListQuery,
  CreateRoleBody,
  IdParams,
  PermissionList,
  Problem,
  ReviewBreakGlassBody,
  Role,
  RoleList,
  UpdateRoleBody,
} from '@newhms/contracts';
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { users } from '../auth/auth.tables';
import { expectedVersion, setEtag } from '../http/etag';
import { decodeCursor, toPage } from '../http/pagination';
import * as access from './access.service';
import { breakGlassGrants } from './access.tables';

const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem };
const tags = ['access'];

type GrantRow = typeof breakGlassGrants.$inferSelect;
function toGrant(g: GrantRow, userName?: string) {
  return {
    ...g,
    ...(userName ? { userName } : {}),
    grantedAt: g.grantedAt.toISOString(),
    expiresAt: g.expiresAt.toISOString(),
    reviewedAt: g.reviewedAt?.toISOString() ?? null,
  };
}

export async function accessRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const manage = { preHandler: app.requirePermission('access:manage-roles') };

  r.get(
    '/api/v1/access/roles',
    {
      // User administrators pick roles from this list without being allowed to edit roles.
      preHandler: app.requirePermission('access:manage-roles', 'auth:manage-users'),
      schema: { tags, response: { 200: RoleList, ...errors } },
    },
    async (request) => ({
      items: await access.listRoles(request.ctx.db),
    }),
  );

  r.post(
    '/api/v1/access/roles',
    {
      ...manage,
      config: { idempotent: true },
      schema: { tags, body: CreateRoleBody, response: { 201: Role, ...errors } },
    },
    async (request, reply) => reply.status(201).send(await access.createRole(request.ctx, request.body)),
  );

  r.patch(
    '/api/v1/access/roles/:id',
    {
      ...manage,
      schema: { tags, params: IdParams, body: UpdateRoleBody, response: { 200: Role, ...errors } },
    },
    async (request, reply) => {
      const version = expectedVersion(request, request.body.version) ?? request.body.version;
      const role = await access.updateRole(request.ctx, request.params.id, { ...request.body, version });
      setEtag(reply, role.version);
      return role;
    },
  );

  r.get(
    '/api/v1/access/permissions',
    { ...manage, schema: { tags, response: { 200: PermissionList, ...errors } } },
    async (request) => ({
      items: (await access.listPermissions(request.ctx.db)).map((p) => ({ name: p.name, module: p.module })),
    }),
  );

  r.post(
    '/api/v1/access/break-glass',
    {
      preHandler: app.requirePermission('access:break-glass'),
      schema: {
        tags,
        summary: 'Emergency access to one patient, with a reason',
        body: BreakGlassBody,
        response: { 201: BreakGlassGrant, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(toGrant(await access.breakGlass(request.ctx, request.body))),
  );

  r.get(
    '/api/v1/access/break-glass',
    {
      preHandler: app.requirePermission('access:review-break-glass'),
      schema: { tags, querystring: BreakGlassListQuery, response: { 200: BreakGlassList, ...errors } },
    },
    async (request) => {
      const q = request.query;
      const cursor = decodeCursor(q.cursor, 2) as [string, string] | undefined;
      const rows = await request.ctx.db
        .select({ grant: breakGlassGrants, userName: users.displayName })
        .from(breakGlassGrants)
        .innerJoin(users, eq(users.id, breakGlassGrants.userId))
        .where(
          and(
            q.status === 'unreviewed' ? isNull(breakGlassGrants.reviewedAt) : undefined,
            cursor
              ? sql`(${breakGlassGrants.grantedAt}, ${breakGlassGrants.id}) < (${new Date(cursor[0])}, ${cursor[1]})`
              : undefined,
          ),
        )
        .orderBy(desc(breakGlassGrants.grantedAt), desc(breakGlassGrants.id))
        .limit(q.limit + 1);
      const page = toPage(rows, q.limit, (x) => [x.grant.grantedAt.toISOString(), x.grant.id]);
      return { items: page.items.map((x) => toGrant(x.grant, x.userName)), nextCursor: page.nextCursor };
    },
  );

  r.post(
    '/api/v1/access/break-glass/:id/review',
    {
      preHandler: app.requirePermission('access:review-break-glass'),
      schema: {
        tags,
        params: IdParams,
        body: ReviewBreakGlassBody,
        response: { 200: BreakGlassGrant, ...errors },
      },
    },
    async (request) =>
      toGrant(await access.reviewBreakGlass(request.ctx, request.params.id, request.body.note)),
  );
}
