import {
  Appointment,
  AppointmentPage,
  AppointmentQuery,
  ArriveBody,
  BookAppointmentBody,
  CallNextBody,
  CancelAppointmentBody,
  CheckInBody,
  CheckInResult,
  ConsultationStart,
  FollowUpBody,
  IdParams,
  Queue,
  QueueQuery,
  QueueToken,
  RescheduleBody,
  RescheduleListQuery,
  TransferBody,
  TransferResult,
  VersionBody,
  WaitingTimeQuery,
  WaitingTimes,
  Worklist,
  WorklistCallNextBody,
  WorklistQuery,
} from '@newhms/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { expectedVersion, setEtag } from '../../platform/http/etag';
import * as appointments from './appointments.service';
import type { OpdEnv } from './opd.events';
import { opdErrors as errors } from './opd-setup.routes';
import * as queue from './queue.service';
import { getWorklist, waitingTimes } from './reports.service';

const tags = ['opd'];

/** Appointments, check-in, the queue and its tokens, the doctor's worklist, waiting times. */
export async function opdVisitRoutes(app: FastifyInstance, env: OpdEnv): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const read = app.requirePermission('opd:read');
  const book = app.requirePermission('opd:book');
  const checkIn = app.requirePermission('opd:check-in');
  const manageQueue = app.requirePermission('opd:manage-queue');
  const consult = app.requirePermission('opd:consult');
  const worklist = app.requirePermission('opd:consult', 'opd:read');
  const reports = app.requirePermission('opd:reports', 'opd:read');

  // Appointments -----------------------------------------------------------------------------------------

  r.post(
    '/api/v1/opd/appointments',
    {
      preHandler: book,
      config: { idempotent: true },
      schema: {
        tags,
        summary: 'Book a slot (409 OPD_SLOT_FULL when its capacity is taken, OPD_PATIENT_ALREADY_BOOKED)',
        body: BookAppointmentBody,
        response: { 201: Appointment, ...errors },
      },
    },
    async (request, reply) => {
      const a = await appointments.bookAppointment(request.ctx, env, request.body);
      setEtag(reply, a.version);
      return reply.status(201).header('location', `/api/v1/opd/appointments/${a.id}`).send(a);
    },
  );
  r.get(
    '/api/v1/opd/appointments',
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'Appointments by day, practitioner, patient, status (keyset pages)',
        querystring: AppointmentQuery,
        response: { 200: AppointmentPage, ...errors },
      },
    },
    async (request) => appointments.listAppointments(request.ctx, request.query),
  );
  r.get(
    '/api/v1/opd/appointments/:id',
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'An appointment',
        params: IdParams,
        response: { 200: Appointment, ...errors },
      },
    },
    async (request, reply) => {
      const a = await appointments.getAppointment(request.ctx, request.params.id);
      setEtag(reply, a.version);
      return a;
    },
  );
  r.post(
    '/api/v1/opd/appointments/:id/reschedule',
    {
      preHandler: book,
      schema: {
        tags,
        summary:
          'Move to another slot (also an appointment of a cancelled session); the old capacity is freed',
        params: IdParams,
        body: RescheduleBody,
        response: { 200: Appointment, ...errors },
      },
    },
    async (request) =>
      appointments.rescheduleAppointment(request.ctx, env, request.params.id, {
        ...request.body,
        version: expectedVersion(request, request.body.version),
      }),
  );
  r.post(
    '/api/v1/opd/appointments/:id/cancel',
    {
      preHandler: book,
      schema: {
        tags,
        summary: 'Cancel with a reason (on the reschedule list: the patient will not rebook)',
        params: IdParams,
        body: CancelAppointmentBody,
        response: { 200: Appointment, ...errors },
      },
    },
    async (request) =>
      appointments.cancelAppointment(request.ctx, env, request.params.id, {
        ...request.body,
        version: expectedVersion(request, request.body.version),
      }),
  );
  r.post(
    '/api/v1/opd/appointments/:id/no-show',
    {
      preHandler: checkIn,
      schema: {
        tags,
        summary: 'The patient did not come',
        params: IdParams,
        body: VersionBody,
        response: { 200: Appointment, ...errors },
      },
    },
    async (request) =>
      appointments.markNoShow(request.ctx, env, request.params.id, {
        version: expectedVersion(request, request.body.version),
      }),
  );
  r.post(
    '/api/v1/opd/appointments/:id/arrive',
    {
      preHandler: checkIn,
      schema: {
        tags,
        summary: "Check in an appointment's patient: arrived, with a token in the doctor's queue",
        params: IdParams,
        body: ArriveBody,
        response: { 200: CheckInResult, ...errors },
      },
    },
    async (request) =>
      queue.checkInAppointment(request.ctx, env, request.params.id, {
        priorities: request.body.priorities,
        version: expectedVersion(request, request.body.version),
      }),
  );
  r.get(
    '/api/v1/opd/reschedule-list',
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'Patients of cancelled sessions (last 14 days) still to be rebooked',
        querystring: RescheduleListQuery,
        response: { 200: AppointmentPage, ...errors },
      },
    },
    async (request) => appointments.listRescheduleCandidates(request.ctx, request.query),
  );
  r.post(
    '/api/v1/opd/follow-ups',
    {
      preHandler: consult,
      config: { idempotent: true },
      schema: {
        tags,
        summary: 'Book a follow-up from a consultation: a slot, or the first free slot on a date',
        body: FollowUpBody,
        response: { 201: Appointment, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await appointments.bookFollowUp(request.ctx, env, request.body)),
  );

  // The queue --------------------------------------------------------------------------------------------

  r.post(
    '/api/v1/opd/queue/check-in',
    {
      preHandler: checkIn,
      schema: {
        tags,
        summary: "A walk-in: a token in the practitioner's queue today (within the session's walk-in quota)",
        body: CheckInBody,
        response: { 201: CheckInResult, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await queue.checkInWalkIn(request.ctx, env, request.body)),
  );
  r.get(
    '/api/v1/opd/queue',
    {
      preHandler: read,
      schema: {
        tags,
        summary: "A practitioner's queue of a day, in the order it will be seen",
        querystring: QueueQuery,
        response: { 200: Queue, ...errors },
      },
    },
    async (request) => queue.getQueue(request.ctx, request.query.practitionerId, request.query.date),
  );
  r.post(
    '/api/v1/opd/queue/call-next',
    {
      preHandler: manageQueue,
      schema: {
        tags,
        summary: 'Call the next waiting patient (one called before and not come is skipped)',
        body: CallNextBody,
        response: { 200: QueueToken, ...errors },
      },
    },
    async (request) => queue.callNext(request.ctx, env, request.body.practitionerId),
  );
  for (const action of ['call', 'complete', 'skip', 'recall'] as const) {
    r.post(
      `/api/v1/opd/tokens/:id/${action}`,
      {
        preHandler: manageQueue,
        schema: {
          tags,
          summary: {
            call: 'Call (or call again) a patient to the room',
            complete: 'The consultation is over',
            skip: 'The called patient did not come',
            recall: 'A skipped patient is back: waiting again, in their place',
          }[action],
          params: IdParams,
          body: VersionBody,
          response: { 200: QueueToken, ...errors },
        },
      },
      async (request) =>
        queue.moveToken(
          request.ctx,
          env,
          request.params.id,
          action,
          expectedVersion(request, request.body.version),
        ),
    );
  }
  r.post(
    '/api/v1/opd/tokens/:id/start',
    {
      preHandler: consult,
      schema: {
        tags,
        summary: "Start the consultation: opens the token's encounter (once; again gives the same one)",
        params: IdParams,
        body: VersionBody,
        response: { 200: ConsultationStart, ...errors },
      },
    },
    async (request) =>
      queue.startConsultation(
        request.ctx,
        env,
        request.params.id,
        expectedVersion(request, request.body.version),
      ),
  );
  r.post(
    '/api/v1/opd/tokens/:id/transfer',
    {
      preHandler: manageQueue,
      schema: {
        tags,
        summary: "Send the patient to another doctor's queue today (a linked token there, same place)",
        params: IdParams,
        body: TransferBody,
        response: { 200: TransferResult, ...errors },
      },
    },
    async (request) =>
      queue.transferToken(request.ctx, env, request.params.id, {
        ...request.body,
        version: expectedVersion(request, request.body.version),
      }),
  );

  // The doctor's worklist and waiting times ----------------------------------------------------------------

  r.get(
    '/api/v1/opd/worklist',
    {
      preHandler: worklist,
      schema: {
        tags,
        summary: "The doctor's day: appointments, queue, next patient, unsigned notes",
        querystring: WorklistQuery,
        response: { 200: Worklist, ...errors },
      },
    },
    async (request) => getWorklist(request.ctx, request.query),
  );
  r.post(
    '/api/v1/opd/worklist/call-next',
    {
      preHandler: consult,
      schema: {
        tags,
        summary: 'Call the next patient and open the consultation in one step',
        body: WorklistCallNextBody,
        response: { 200: ConsultationStart, ...errors },
      },
    },
    async (request) => queue.callNextAndStart(request.ctx, env, request.body.practitionerId),
  );
  r.get(
    '/api/v1/opd/waiting-times',
    {
      preHandler: reports,
      schema: {
        tags,
        summary:
          'Arrival to call and call to completion (median, p90 in seconds) per day, room and practitioner',
        querystring: WaitingTimeQuery,
        response: { 200: WaitingTimes, ...errors },
      },
    },
    async (request) => waitingTimes(request.ctx, request.query),
  );
}
