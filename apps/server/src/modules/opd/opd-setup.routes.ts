import {
  CancelSessionBody,
  ClinicRoom,
  ClinicRoomFields,
  ClinicRoomList,
  CreateExceptionBody,
  CreatePractitionerBody,
  CreateScheduleBody,
  ExceptionQuery,
  IdParams,
  MaterializeBody,
  MaterializeResult,
  OpdSessionList,
  OpdSessionQuery,
  OpdSettings,
  OpdSettingsBody,
  Practitioner,
  PractitionerList,
  PractitionerQuery,
  Problem,
  ScheduleChangeResult,
  ScheduleExceptionList,
  ScheduleQuery,
  ScheduleTemplateList,
  SessionCancellation,
  SlotList,
  SlotQuery,
  UpdateClinicRoomBody,
  UpdatePractitionerBody,
  UpdateScheduleBody,
} from '@newhms/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { expectedVersion, setEtag } from '../../platform/http/etag';
import type { OpdEnv } from './opd.events';
import * as practitioners from './practitioners.service';
import * as schedules from './schedules.service';
import * as slots from './slots.service';

export const opdErrors = {
  400: Problem,
  401: Problem,
  403: Problem,
  404: Problem,
  409: Problem,
  412: Problem,
  422: Problem,
};
const tags = ['opd'];

/** Settings, practitioners, rooms, schedules, exceptions, sessions and the slot picker. */
export async function opdSetupRoutes(app: FastifyInstance, env: OpdEnv): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const read = app.requirePermission('opd:read');
  const manage = app.requirePermission('opd:manage-schedules');
  const errors = opdErrors;

  r.get(
    '/api/v1/opd/settings',
    {
      preHandler: read,
      schema: { tags, summary: "This facility's OPD settings", response: { 200: OpdSettings, ...errors } },
    },
    async (request) => practitioners.getSettings(request.ctx),
  );
  r.put(
    '/api/v1/opd/settings',
    {
      preHandler: manage,
      schema: {
        tags,
        summary: 'Queue priorities honoured, the elderly age, the booking window',
        body: OpdSettingsBody,
        response: { 200: OpdSettings, ...errors },
      },
    },
    async (request) => practitioners.updateSettings(request.ctx, env, request.body),
  );

  r.get(
    '/api/v1/opd/practitioners',
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'Practitioners of this facility',
        querystring: PractitionerQuery,
        response: { 200: PractitionerList, ...errors },
      },
    },
    async (request) => ({ items: await practitioners.listPractitioners(request.ctx, request.query) }),
  );
  r.post(
    '/api/v1/opd/practitioners',
    {
      preHandler: manage,
      schema: {
        tags,
        summary: 'Create the practitioner profile of a staff user',
        body: CreatePractitionerBody,
        response: { 201: Practitioner, ...errors },
      },
    },
    async (request, reply) => {
      const p = await practitioners.createPractitioner(request.ctx, request.body);
      setEtag(reply, p.version);
      return reply.status(201).send(p);
    },
  );
  r.get(
    '/api/v1/opd/practitioners/:id',
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'A practitioner',
        params: IdParams,
        response: { 200: Practitioner, ...errors },
      },
    },
    async (request, reply) => {
      const p = await practitioners.getPractitioner(request.ctx, request.params.id);
      setEtag(reply, p.version);
      return p;
    },
  );
  r.patch(
    '/api/v1/opd/practitioners/:id',
    {
      preHandler: manage,
      schema: {
        tags,
        summary: 'Edit a practitioner (version or If-Match); going inactive retires future sessions',
        params: IdParams,
        body: UpdatePractitionerBody,
        response: { 200: Practitioner, ...errors },
      },
    },
    async (request, reply) => {
      const version = expectedVersion(request, request.body.version) ?? request.body.version;
      const p = await practitioners.updatePractitioner(request.ctx, env, request.params.id, {
        ...request.body,
        version,
      });
      setEtag(reply, p.version);
      return p;
    },
  );

  r.get(
    '/api/v1/opd/rooms',
    {
      preHandler: read,
      schema: { tags, summary: 'Clinic rooms', response: { 200: ClinicRoomList, ...errors } },
    },
    async (request) => ({ items: await practitioners.listRooms(request.ctx) }),
  );
  r.post(
    '/api/v1/opd/rooms',
    {
      preHandler: manage,
      schema: {
        tags,
        summary: 'Create a clinic room with its board code',
        body: ClinicRoomFields,
        response: { 201: ClinicRoom, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await practitioners.createRoom(request.ctx, request.body)),
  );
  r.patch(
    '/api/v1/opd/rooms/:id',
    {
      preHandler: manage,
      schema: {
        tags,
        summary: 'Edit a clinic room (version or If-Match)',
        params: IdParams,
        body: UpdateClinicRoomBody,
        response: { 200: ClinicRoom, ...errors },
      },
    },
    async (request) => {
      const version = expectedVersion(request, request.body.version) ?? request.body.version;
      return practitioners.updateRoom(request.ctx, request.params.id, { ...request.body, version });
    },
  );

  r.get(
    '/api/v1/opd/schedules',
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'Weekly schedule templates',
        querystring: ScheduleQuery,
        response: { 200: ScheduleTemplateList, ...errors },
      },
    },
    async (request) => ({ items: await schedules.listTemplates(request.ctx, request.query) }),
  );
  r.post(
    '/api/v1/opd/schedules',
    {
      preHandler: manage,
      schema: {
        tags,
        summary: 'Add a weekly session; its sessions and slots are made at once for the booking window',
        body: CreateScheduleBody,
        response: { 201: ScheduleChangeResult, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await schedules.createTemplate(request.ctx, env, request.body)),
  );
  r.patch(
    '/api/v1/opd/schedules/:id',
    {
      preHandler: manage,
      schema: {
        tags,
        summary: 'Change a weekly session; booked patients of changed sessions are listed for rescheduling',
        params: IdParams,
        body: UpdateScheduleBody,
        response: { 200: ScheduleChangeResult, ...errors },
      },
    },
    async (request) => {
      const version = expectedVersion(request, request.body.version) ?? request.body.version;
      return schedules.updateTemplate(request.ctx, env, request.params.id, { ...request.body, version });
    },
  );

  r.get(
    '/api/v1/opd/exceptions',
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'Leave, holidays and extra sessions',
        querystring: ExceptionQuery,
        response: { 200: ScheduleExceptionList, ...errors },
      },
    },
    async (request) => ({ items: await schedules.listExceptions(request.ctx, request.query) }),
  );
  r.post(
    '/api/v1/opd/exceptions',
    {
      preHandler: manage,
      schema: {
        tags,
        summary: 'Record leave, a holiday or an extra session; answers with the patients to reschedule',
        body: CreateExceptionBody,
        response: { 201: ScheduleChangeResult, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await schedules.createException(request.ctx, env, request.body)),
  );
  r.post(
    '/api/v1/opd/exceptions/:id/withdraw',
    {
      preHandler: manage,
      schema: {
        tags,
        summary: 'Withdraw leave, a holiday or an extra session',
        params: IdParams,
        response: { 200: ScheduleChangeResult, ...errors },
      },
    },
    async (request) => schedules.withdrawException(request.ctx, env, request.params.id),
  );

  r.get(
    '/api/v1/opd/sessions',
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'Sessions between two dates',
        querystring: OpdSessionQuery,
        response: { 200: OpdSessionList, ...errors },
      },
    },
    async (request) => ({ items: await slots.listSessions(request.ctx, request.query) }),
  );
  r.post(
    '/api/v1/opd/sessions/:id/cancel',
    {
      preHandler: manage,
      schema: {
        tags,
        summary:
          'Cancel a session: its booked patients are listed for rescheduling and opd.session.cancelled names them',
        params: IdParams,
        body: CancelSessionBody,
        response: { 200: SessionCancellation, ...errors },
      },
    },
    async (request) => slots.cancelSession(request.ctx, env, request.params.id, request.body.reason),
  );
  r.post(
    '/api/v1/opd/slots/materialize',
    {
      preHandler: manage,
      schema: {
        tags,
        summary: 'Make sessions and slots for the booking window now (the nightly job does it too)',
        body: MaterializeBody,
        response: { 200: MaterializeResult, ...errors },
      },
    },
    async (request) => slots.materializeNow(request.ctx, env, request.body.practitionerId),
  );
  r.get(
    '/api/v1/opd/slots',
    {
      preHandler: read,
      schema: {
        tags,
        summary: "The slot picker: a practitioner's slots with free capacity (at most 31 days)",
        querystring: SlotQuery,
        response: { 200: SlotList, ...errors },
      },
    },
    async (request) => ({ items: await slots.listSlots(request.ctx, env, request.query) }),
  );
}
