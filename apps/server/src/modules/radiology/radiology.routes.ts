import {
  CreateRadRoomBody,
  IdParams,
  Problem,
  RadAcknowledgeCriticalBody,
  RadAddendumBody,
  RadArriveBody,
  RadBookBody,
  RadCancelBody,
  RadCancelBookingBody,
  RadCatalogQuery,
  RadCompleteBody,
  RadCriticalAlert,
  RadCriticalAlertQuery,
  RadOrder,
  RadOrderQuery,
  RadPatientParams,
  RadPatientStudiesQuery,
  RadPatientStudy,
  RadProcedure,
  RadReport,
  RadRoom,
  RadRoomQuery,
  RadRoomSchedule,
  RadSaveReportBody,
  RadScheduleQuery,
  RadSignReportBody,
  RadStartBody,
  RadWalkInBody,
  RadWorklistQuery,
  UpdateRadRoomBody,
} from '@newhms/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { bookOrder, cancelBooking, rescheduleOrder } from './bookings.service';
import { searchCatalog } from './catalog.service';
import { acknowledgeCriticalAlert, listCriticalAlerts } from './critical-alerts.service';
import { cancelOrder, getOrder, listOrders, placeWalkIn } from './orders.service';
import type { RadiologyEnv } from './rad-records';
import { radiologyReportPdf } from './report-pdf';
import {
  addAddendum,
  getReport,
  getReportOfOrder,
  openReport,
  patientStudies,
  saveDraft,
  signReport,
} from './reports.service';
import { createRoom, listRooms, roomSchedule, updateRoom } from './rooms.service';
import { arrive, completeStudy, startStudy, worklist } from './workflow.service';

const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem };
const tags = ['radiology'];
const Binary = z.string().meta({ format: 'binary' });

/** Radiology's HTTP face: catalog, rooms, orders, bookings, the worklist, reports, critical findings. */
export async function radiologyRoutes(app: FastifyInstance, env: RadiologyEnv): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const read = app.requirePermission('radiology:read');
  const order = app.requirePermission('radiology:order');
  const schedule = app.requirePermission('radiology:schedule');
  const perform = app.requirePermission('radiology:perform');
  const report = app.requirePermission('radiology:report');
  const manage = app.requirePermission('radiology:manage');

  r.get(
    '/api/v1/radiology/catalog',
    {
      // Catalog data is not patient data: whoever orders or bills imaging may look procedures up.
      preHandler: app.requirePermission('radiology:catalog', 'radiology:read', 'radiology:order'),
      schema: {
        tags,
        summary: 'Find imaging procedures by code, name or body part, and by modality',
        querystring: RadCatalogQuery,
        response: { 200: z.array(RadProcedure), ...errors },
      },
    },
    async (request) => searchCatalog(request.ctx.db, request.query),
  );

  // Rooms
  r.get(
    '/api/v1/radiology/rooms',
    {
      preHandler: read,
      schema: {
        tags,
        summary: "The facility's modality rooms (active ones unless includeInactive=true)",
        querystring: RadRoomQuery,
        response: { 200: z.array(RadRoom), ...errors },
      },
    },
    async (request) => listRooms(request.ctx, request.query),
  );
  r.post(
    '/api/v1/radiology/rooms',
    {
      preHandler: manage,
      schema: {
        tags,
        summary: 'Create a modality room with its working hours',
        body: CreateRadRoomBody,
        response: { 201: RadRoom, ...errors },
      },
    },
    async (request, reply) => reply.status(201).send(await createRoom(request.ctx, request.body)),
  );
  r.patch(
    '/api/v1/radiology/rooms/:id',
    {
      preHandler: manage,
      schema: {
        tags,
        summary: 'Rename a room, change its hours or AE title, deactivate or reactivate it',
        params: IdParams,
        body: UpdateRadRoomBody,
        response: { 200: RadRoom, ...errors },
      },
    },
    async (request) => updateRoom(request.ctx, request.params.id, request.body),
  );
  r.get(
    '/api/v1/radiology/rooms/:id/schedule',
    {
      preHandler: app.requirePermission('radiology:schedule', 'radiology:perform', 'radiology:report'),
      schema: {
        tags,
        summary: "A room's bookings on a day of the facility's calendar",
        params: IdParams,
        querystring: RadScheduleQuery,
        response: { 200: RadRoomSchedule, ...errors },
      },
    },
    async (request) => roomSchedule(request.ctx, request.params.id, request.query),
  );

  // Orders
  r.post(
    '/api/v1/radiology/orders',
    {
      preHandler: order,
      config: { idempotent: true },
      schema: {
        tags,
        summary:
          'A walk-in (or a study ordered at the radiology desk for an encounter), with its accession number',
        body: RadWalkInBody,
        response: { 201: RadOrder, ...errors },
      },
    },
    async (request, reply) => reply.status(201).send(await placeWalkIn(request.ctx, env, request.body)),
  );
  r.get(
    '/api/v1/radiology/orders',
    {
      preHandler: read,
      schema: {
        tags,
        summary: "A patient's or an encounter's imaging orders, newest first",
        querystring: RadOrderQuery,
        response: { 200: z.array(RadOrder), ...errors },
      },
    },
    async (request) => listOrders(request.ctx, env, request.query),
  );
  r.get(
    '/api/v1/radiology/orders/:id',
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'An imaging order with its booking, checklist, study and report state',
        params: IdParams,
        response: { 200: RadOrder, ...errors },
      },
    },
    async (request) => getOrder(request.ctx, env, request.params.id),
  );
  r.post(
    '/api/v1/radiology/orders/:id/cancel',
    {
      preHandler: app.requirePermission('radiology:order', 'radiology:schedule'),
      schema: {
        tags,
        summary:
          "Cancel a walk-in before its study starts (an encounter's order is cancelled in the encounter)",
        params: IdParams,
        body: RadCancelBody,
        response: { 200: RadOrder, ...errors },
      },
    },
    async (request) => cancelOrder(request.ctx, env, request.params.id, request.body),
  );

  // Bookings
  r.post(
    '/api/v1/radiology/orders/:id/booking',
    {
      preHandler: schedule,
      schema: {
        tags,
        summary: 'Book the study into a room (default length: the procedure’s); 409 when the room is taken',
        params: IdParams,
        body: RadBookBody,
        response: { 200: RadOrder, ...errors },
      },
    },
    async (request) => bookOrder(request.ctx, env, request.params.id, request.body),
  );
  r.post(
    '/api/v1/radiology/orders/:id/booking/reschedule',
    {
      preHandler: schedule,
      schema: {
        tags,
        summary: 'Move the booking to another slot or room; 409 when that is taken',
        params: IdParams,
        body: RadBookBody,
        response: { 200: RadOrder, ...errors },
      },
    },
    async (request) => rescheduleOrder(request.ctx, env, request.params.id, request.body),
  );
  r.post(
    '/api/v1/radiology/orders/:id/booking/cancel',
    {
      preHandler: schedule,
      schema: {
        tags,
        summary: 'Free the booked slot; the order is back to ordered',
        params: IdParams,
        body: RadCancelBookingBody,
        response: { 200: RadOrder, ...errors },
      },
    },
    async (request) => cancelBooking(request.ctx, env, request.params.id, request.body),
  );

  // The technologist's worklist and the study
  r.get(
    '/api/v1/radiology/worklist',
    {
      preHandler: app.requirePermission('radiology:perform', 'radiology:schedule', 'radiology:report'),
      schema: {
        tags,
        summary:
          'Orders by modality, room, day and state, STAT first; reportStatus=none lists completed studies to report',
        querystring: RadWorklistQuery,
        response: { 200: z.array(RadOrder), ...errors },
      },
    },
    async (request) => worklist(request.ctx, env, request.query),
  );
  r.post(
    '/api/v1/radiology/orders/:id/arrive',
    {
      preHandler: app.requirePermission('radiology:perform', 'radiology:schedule'),
      schema: {
        tags,
        summary: 'The patient has arrived: record it with the safety checklist (as far as known)',
        params: IdParams,
        body: RadArriveBody,
        response: { 200: RadOrder, ...errors },
      },
    },
    async (request) => arrive(request.ctx, env, request.params.id, request.body),
  );
  r.post(
    '/api/v1/radiology/orders/:id/start',
    {
      preHandler: perform,
      schema: {
        tags,
        summary: 'Start the study: refused (422, naming each field) while the safety checklist is incomplete',
        params: IdParams,
        body: RadStartBody,
        response: { 200: RadOrder, ...errors },
      },
    },
    async (request) => startStudy(request.ctx, env, request.params.id, request.body),
  );
  r.post(
    '/api/v1/radiology/orders/:id/complete',
    {
      preHandler: perform,
      schema: {
        tags,
        summary: 'Complete the study: DICOM Study Instance UID (unique), images and dose',
        params: IdParams,
        body: RadCompleteBody,
        response: { 200: RadOrder, ...errors },
      },
    },
    async (request) => completeStudy(request.ctx, env, request.params.id, request.body),
  );

  // Reports
  r.post(
    '/api/v1/radiology/orders/:id/report',
    {
      preHandler: report,
      schema: {
        tags,
        summary: "Open the study's report as a draft from its template (409 when it has one)",
        params: IdParams,
        response: { 201: RadReport, ...errors },
      },
    },
    async (request, reply) => reply.status(201).send(await openReport(request.ctx, request.params.id)),
  );
  r.get(
    '/api/v1/radiology/orders/:id/report',
    {
      preHandler: read,
      schema: {
        tags,
        summary: "The study's report (404 while it has none)",
        params: IdParams,
        response: { 200: RadReport, ...errors },
      },
    },
    async (request) => getReportOfOrder(request.ctx, request.params.id),
  );
  r.get(
    '/api/v1/radiology/orders/:id/report.pdf',
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'The printed report (PDF, A4); PRELIMINARY while a draft',
        params: IdParams,
        response: { 200: Binary, ...errors },
      },
    },
    async (request, reply) => {
      const { pdf, order: o } = await radiologyReportPdf(request.ctx, env, request.params.id);
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="radiology-report-${o.accession}.pdf"`)
        .send(pdf as unknown as string);
    },
  );
  r.get(
    '/api/v1/radiology/reports/:id',
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'A report with its addenda',
        params: IdParams,
        response: { 200: RadReport, ...errors },
      },
    },
    async (request) => getReport(request.ctx, request.params.id),
  );
  r.put(
    '/api/v1/radiology/reports/:id',
    {
      preHandler: report,
      schema: {
        tags,
        summary: 'Save a draft (409 when signed or stale)',
        params: IdParams,
        body: RadSaveReportBody,
        response: { 200: RadReport, ...errors },
      },
    },
    async (request) => saveDraft(request.ctx, request.params.id, request.body),
  );
  r.post(
    '/api/v1/radiology/reports/:id/sign',
    {
      preHandler: report,
      schema: {
        tags,
        summary:
          'Sign the report off (final, frozen); a critical finding is called through to the ordering doctor',
        params: IdParams,
        body: RadSignReportBody,
        response: { 200: RadReport, ...errors },
      },
    },
    async (request) => signReport(request.ctx, env, request.params.id, request.body),
  );
  r.post(
    '/api/v1/radiology/reports/:id/addenda',
    {
      preHandler: report,
      schema: {
        tags,
        summary: 'Add an addendum to a signed report, with the reason (the report becomes amended)',
        params: IdParams,
        body: RadAddendumBody,
        response: { 200: RadReport, ...errors },
      },
    },
    async (request) => addAddendum(request.ctx, env, request.params.id, request.body),
  );
  r.get(
    '/api/v1/radiology/patients/:patientId/studies',
    {
      preHandler: read,
      schema: {
        tags,
        summary: "A patient's imaging: orders, states, signed impressions, critical flags, viewer links",
        params: RadPatientParams,
        querystring: RadPatientStudiesQuery,
        response: { 200: z.array(RadPatientStudy), ...errors },
      },
    },
    async (request) => patientStudies(request.ctx, env, request.params.patientId, request.query),
  );

  // Critical findings
  r.get(
    '/api/v1/radiology/critical-alerts',
    {
      preHandler: read,
      schema: {
        tags,
        summary:
          'Critical findings: mine=true those addressed to me (ordering doctor, or escalated to me); radiologists see all',
        querystring: RadCriticalAlertQuery,
        response: { 200: z.array(RadCriticalAlert), ...errors },
      },
    },
    async (request) => listCriticalAlerts(request.ctx, request.query),
  );
  r.post(
    '/api/v1/radiology/critical-alerts/:id/acknowledge',
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'Acknowledge a critical finding by reading it back (a few words naming it)',
        params: IdParams,
        body: RadAcknowledgeCriticalBody,
        response: { 200: RadCriticalAlert, ...errors },
      },
    },
    async (request) => acknowledgeCriticalAlert(request.ctx, env.events, request.params.id, request.body),
  );
}
