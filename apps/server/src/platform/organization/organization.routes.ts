import {
  CreateDepartmentBody,
  CreateFacilityBody,
  Department,
  DepartmentList,
  DepartmentParams,
  Facility,
  FacilityList,
  FacilityParams,
  Problem,
  UpdateDepartmentBody,
  UpdateFacilityBody,
} from '@newhms/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { expectedVersion, setEtag } from '../http/etag';
import * as org from './organization.service';

const errors = {
  400: Problem,
  401: Problem,
  403: Problem,
  404: Problem,
  409: Problem,
  412: Problem,
  422: Problem,
};
const tags = ['organization'];

export async function organizationRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const read = { preHandler: app.requirePermission('organization:read') };
  const manage = { preHandler: app.requirePermission('organization:manage') };
  const base = '/api/v1/organization/facilities';

  r.get(base, { ...read, schema: { tags, response: { 200: FacilityList, ...errors } } }, async (request) => ({
    items: await org.listFacilities(request.ctx),
  }));

  r.post(
    base,
    {
      ...manage,
      config: { idempotent: true },
      schema: { tags, body: CreateFacilityBody, response: { 201: Facility, ...errors } },
    },
    async (request, reply) => reply.status(201).send(await org.createFacility(request.ctx, request.body)),
  );

  r.get(
    `${base}/:facilityId`,
    { ...read, schema: { tags, params: FacilityParams, response: { 200: Facility, ...errors } } },
    async (request, reply) => {
      const f = await org.getFacility(request.ctx.db, request.params.facilityId);
      setEtag(reply, f.version);
      return f;
    },
  );

  r.patch(
    `${base}/:facilityId`,
    {
      ...manage,
      schema: {
        tags,
        params: FacilityParams,
        body: UpdateFacilityBody,
        response: { 200: Facility, ...errors },
      },
    },
    async (request, reply) => {
      const version = expectedVersion(request, request.body.version) ?? request.body.version;
      const f = await org.updateFacility(request.ctx, request.params.facilityId, {
        ...request.body,
        version,
      });
      setEtag(reply, f.version);
      return f;
    },
  );

  r.get(
    `${base}/:facilityId/departments`,
    { ...read, schema: { tags, params: FacilityParams, response: { 200: DepartmentList, ...errors } } },
    async (request) => ({ items: await org.listDepartments(request.ctx, request.params.facilityId) }),
  );

  r.post(
    `${base}/:facilityId/departments`,
    {
      ...manage,
      config: { idempotent: true },
      schema: {
        tags,
        params: FacilityParams,
        body: CreateDepartmentBody,
        response: { 201: Department, ...errors },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await org.createDepartment(request.ctx, request.params.facilityId, request.body)),
  );

  r.patch(
    `${base}/:facilityId/departments/:id`,
    {
      ...manage,
      schema: {
        tags,
        params: DepartmentParams,
        body: UpdateDepartmentBody,
        response: { 200: Department, ...errors },
      },
    },
    async (request, reply) => {
      const version = expectedVersion(request, request.body.version) ?? request.body.version;
      const d = await org.updateDepartment(request.ctx, request.params.facilityId, request.params.id, {
        ...request.body,
        version,
      });
      setEtag(reply, d.version);
      return d;
    },
  );
}
