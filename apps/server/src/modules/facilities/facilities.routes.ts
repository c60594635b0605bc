import {
  AssignHousekeepingTaskBody,
  CancelHousekeepingTaskBody,
  CreateHousekeepingTaskBody,
  FinishHousekeepingTaskBody,
  HousekeepingActionBody,
  HousekeepingQueueQuery,
  HousekeepingStaffList,
  HousekeepingTask,
  HousekeepingTaskPage,
  HousekeepingTurnaround,
  HousekeepingTurnaroundQuery,
  IdParams,
  Problem,
} from '@newhms/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { expectedVersion, setEtag } from '../../platform/http/etag';
import * as housekeeping from './housekeeping.service';
import { turnaroundReport } from './housekeeping-reports.service';

const errors = {
  400: Problem,
  401: Problem,
  403: Problem,
  404: Problem,
  409: Problem,
  412: Problem,
  422: Problem,
};
const tags = ['facilities'];
const base = '/api/v1/facilities/housekeeping';

/** The housekeeping queue and its task actions, and the turnaround report. */
export async function facilitiesRoutes(app: FastifyInstance, env: housekeeping.FacilitiesEnv): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const staff = app.requirePermission(housekeeping.HOUSEKEEPING, housekeeping.SUPERVISE);
  const supervise = app.requirePermission(housekeeping.SUPERVISE);

  r.get(
    `${base}/tasks`,
    {
      preHandler: staff,
      schema: {
        tags,
        summary: 'The work still to do (open, assigned, in progress), most overdue first; by ward, or mine',
        querystring: HousekeepingQueueQuery,
        response: { 200: HousekeepingTaskPage, ...errors },
      },
    },
    async (request) => housekeeping.listQueue(request.ctx, request.query),
  );
  r.post(
    `${base}/tasks`,
    {
      preHandler: supervise,
      config: { idempotent: true },
      schema: {
        tags,
        summary: 'A spill or a routine task (bed cleaning comes from released beds)',
        body: CreateHousekeepingTaskBody,
        response: { 201: HousekeepingTask, ...errors },
      },
    },
    async (request, reply) => {
      const task = await housekeeping.createManualTask(request.ctx, request.body);
      setEtag(reply, task.version);
      return reply.status(201).header('location', `${base}/tasks/${task.id}`).send(task);
    },
  );
  r.get(
    `${base}/tasks/:id`,
    {
      preHandler: staff,
      schema: {
        tags,
        summary: 'A housekeeping task',
        params: IdParams,
        response: { 200: HousekeepingTask, ...errors },
      },
    },
    async (request, reply) => {
      const task = await housekeeping.getTask(request.ctx, request.params.id);
      setEtag(reply, task.version);
      return task;
    },
  );
  r.post(
    `${base}/tasks/:id/assign`,
    {
      preHandler: supervise,
      schema: {
        tags,
        summary: 'Give an open (or not yet started) task to a member of housekeeping staff',
        params: IdParams,
        body: AssignHousekeepingTaskBody,
        response: { 200: HousekeepingTask, ...errors },
      },
    },
    async (request, reply) => {
      const task = await housekeeping.assignTask(request.ctx, request.params.id, {
        userId: request.body.userId,
        version: expectedVersion(request, request.body.version),
      });
      setEtag(reply, task.version);
      return task;
    },
  );
  for (const [action, summary] of [
    ['take', 'Take an open task for myself'],
    ['start', 'Start a task assigned to me (an open one is taken at the same time)'],
  ] as const) {
    r.post(
      `${base}/tasks/:id/${action}`,
      {
        preHandler: staff,
        schema: {
          tags,
          summary,
          params: IdParams,
          body: HousekeepingActionBody,
          response: { 200: HousekeepingTask, ...errors },
        },
      },
      async (request, reply) => {
        const input = { version: expectedVersion(request, request.body.version) };
        const task =
          action === 'take'
            ? await housekeeping.takeTask(request.ctx, request.params.id, input)
            : await housekeeping.startTask(request.ctx, request.params.id, input);
        setEtag(reply, task.version);
        return task;
      },
    );
  }
  r.post(
    `${base}/tasks/:id/finish`,
    {
      preHandler: staff,
      schema: {
        tags,
        summary: 'Finish a task in progress (a bed task tells IPD the bed is clean, with the turnaround)',
        params: IdParams,
        body: FinishHousekeepingTaskBody,
        response: { 200: HousekeepingTask, ...errors },
      },
    },
    async (request, reply) => {
      const task = await housekeeping.finishTask(request.ctx, env, request.params.id, {
        note: request.body.note,
        version: expectedVersion(request, request.body.version),
      });
      setEtag(reply, task.version);
      return task;
    },
  );
  r.post(
    `${base}/tasks/:id/cancel`,
    {
      preHandler: supervise,
      schema: {
        tags,
        summary: 'Cancel a task not yet done, with the reason',
        params: IdParams,
        body: CancelHousekeepingTaskBody,
        response: { 200: HousekeepingTask, ...errors },
      },
    },
    async (request, reply) => {
      const task = await housekeeping.cancelTask(request.ctx, request.params.id, {
        reason: request.body.reason,
        version: expectedVersion(request, request.body.version),
      });
      setEtag(reply, task.version);
      return task;
    },
  );
  r.get(
    `${base}/turnaround`,
    {
      preHandler: supervise,
      schema: {
        tags,
        summary: 'Minutes from request to finish per ward and kind (count, median, p90) over a date range',
        querystring: HousekeepingTurnaroundQuery,
        response: { 200: HousekeepingTurnaround, ...errors },
      },
    },
    async (request) => turnaroundReport(request.ctx, request.query),
  );
  r.get(
    `${base}/staff`,
    {
      preHandler: supervise,
      schema: {
        tags,
        summary: 'Staff a supervisor may assign tasks to (active, holding facilities:housekeeping here)',
        response: { 200: HousekeepingStaffList, ...errors },
      },
    },
    async (request) => ({ items: await housekeeping.assignableStaff(request.ctx) }),
  );
}
