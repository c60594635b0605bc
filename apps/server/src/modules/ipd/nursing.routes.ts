import {
  AcknowledgeEscalationBody,
  CancelTaskBody,
  CarePlan,
  CarePlanErrorBody,
  CarePlanItem,
  CarePlanItemBody,
  CarePlanUpdateBody,
  ChartedVitals,
  ClinicalNote,
  CompleteTaskBody,
  DischargeSummaryPrefill,
  EnteredInErrorBody,
  EscalationList,
  FlowSheet,
  FlowSheetQuery,
  IdParams,
  IntakeOutputBody,
  IntakeOutputChart,
  IntakeOutputChartQuery,
  IntakeOutputEntry,
  News2Score,
  NursingNote,
  NursingNoteBody,
  NursingNotePage,
  NursingNoteQuery,
  NursingTask,
  NursingTaskBody,
  NursingTaskList,
  NursingTaskQuery,
  Problem,
  ResolveCarePlanBody,
  Spo2ScaleBody,
  Spo2ScaleState,
  VitalsBody,
  WardIdParams,
  WardStation,
} from '@newhms/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { expectedVersion, setEtag } from '../../platform/http/etag';
import { dischargeSummaryPdf, getDischargeSummary, startDischargeSummary } from './discharge-summary';
import type { IpdEnv } from './ipd.env';
import * as nursing from './nursing.service';
import { wardStation } from './nursing-station';

const errors = {
  400: Problem,
  401: Problem,
  403: Problem,
  404: Problem,
  409: Problem,
  412: Problem,
  422: Problem,
};
const tags = ['ipd-nursing'];
const OpenQuery = z.object({ open: z.enum(['true', 'false']).optional() });

/**
 * Nursing on the ward: vitals with NEWS2 and escalation, the flow sheet, intake/output, nursing and handover
 * notes, the care plan, tasks, the nursing station, and the discharge summary.
 */
export async function nursingRoutes(app: FastifyInstance, env: IpdEnv): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const read = app.requirePermission('ipd:read');
  const chart = app.requirePermission('ipd:nursing');
  const discharge = app.requirePermission('ipd:discharge');
  const summaryRead = app.requirePermission('ipd:discharge', 'ipd:read');
  // The summary is a clinical note its author edits and signs: only someone who writes notes may start it.
  const summaryStart = [discharge, app.requirePermission('encounters:write')];

  // Vitals, NEWS2 and escalation ------------------------------------------------------------------------

  r.post(
    '/api/v1/ipd/admissions/:id/vitals',
    {
      preHandler: chart,
      config: { idempotent: true },
      schema: {
        tags,
        summary:
          'Chart a set of vitals (into the inpatient encounter); NEWS2 is computed and, at a threshold, escalated',
        params: IdParams,
        body: VitalsBody,
        response: { 201: ChartedVitals, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await nursing.chartVitals(request.ctx, env, request.params.id, request.body)),
  );
  r.get(
    '/api/v1/ipd/admissions/:id/vitals/flow-sheet',
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'Vitals as a time x parameter table with NEWS2 per row, and trend series (at most 31 days)',
        params: IdParams,
        querystring: FlowSheetQuery,
        response: { 200: FlowSheet, ...errors },
      },
    },
    async (request) => nursing.flowSheet(request.ctx, request.params.id, request.query),
  );
  r.get(
    '/api/v1/ipd/admissions/:id/early-warnings',
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'NEWS2 scores, newest first (open=true: the alerted ones awaiting a response)',
        params: IdParams,
        querystring: OpenQuery,
        response: { 200: EscalationList, ...errors },
      },
    },
    async (request) => ({
      items: await nursing.listEarlyWarnings(request.ctx, request.params.id, request.query.open === 'true'),
    }),
  );
  r.post(
    '/api/v1/ipd/early-warnings/:id/acknowledge',
    {
      preHandler: chart,
      schema: {
        tags,
        summary: 'Acknowledge a NEWS2 alert with the response taken (and the earlier open alerts)',
        params: IdParams,
        body: AcknowledgeEscalationBody,
        response: { 200: News2Score, ...errors },
      },
    },
    async (request) => nursing.acknowledgeEscalation(request.ctx, request.params.id, request.body),
  );
  r.get(
    '/api/v1/ipd/admissions/:id/spo2-scale',
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'The NEWS2 SpO2 scale of the admission (1 unless scale 2 was documented)',
        params: IdParams,
        response: { 200: Spo2ScaleState, ...errors },
      },
    },
    async (request) => nursing.getSpo2Scale(request.ctx, request.params.id),
  );
  r.put(
    '/api/v1/ipd/admissions/:id/spo2-scale',
    {
      preHandler: chart,
      schema: {
        tags,
        summary: 'Set the SpO2 scale (2: hypercapnic respiratory failure, target 88-92 %) with the reason',
        params: IdParams,
        body: Spo2ScaleBody,
        response: { 200: Spo2ScaleState, ...errors },
      },
    },
    async (request) => nursing.setSpo2Scale(request.ctx, request.params.id, request.body),
  );

  // Intake and output ------------------------------------------------------------------------------------

  r.post(
    '/api/v1/ipd/admissions/:id/intake-output',
    {
      preHandler: chart,
      config: { idempotent: true },
      schema: {
        tags,
        summary: 'Chart an intake or output (ml)',
        params: IdParams,
        body: IntakeOutputBody,
        response: { 201: IntakeOutputEntry, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await nursing.recordIntakeOutput(request.ctx, request.params.id, request.body)),
  );
  r.get(
    '/api/v1/ipd/admissions/:id/intake-output',
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'The I/O chart of a nursing day (08:00-08:00): totals per shift and per 24 h with balance',
        params: IdParams,
        querystring: IntakeOutputChartQuery,
        response: { 200: IntakeOutputChart, ...errors },
      },
    },
    async (request) => nursing.intakeOutputChart(request.ctx, request.params.id, request.query),
  );
  r.post(
    '/api/v1/ipd/intake-output/:id/entered-in-error',
    {
      preHandler: chart,
      schema: {
        tags,
        summary: 'Mark an I/O entry entered-in-error with the reason (it stops counting; nothing is deleted)',
        params: IdParams,
        body: EnteredInErrorBody,
        response: { 200: IntakeOutputEntry, ...errors },
      },
    },
    async (request) => nursing.markIntakeOutputInError(request.ctx, request.params.id, request.body.reason),
  );

  // Nursing notes and handovers ---------------------------------------------------------------------------

  r.post(
    '/api/v1/ipd/admissions/:id/nursing-notes',
    {
      preHandler: chart,
      config: { idempotent: true },
      schema: {
        tags,
        summary: 'Write a nursing note, or a shift handover in SBAR sections',
        params: IdParams,
        body: NursingNoteBody,
        response: { 201: NursingNote, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await nursing.addNursingNote(request.ctx, request.params.id, request.body)),
  );
  r.get(
    '/api/v1/ipd/admissions/:id/nursing-notes',
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'Nursing notes and handovers, newest first (keyset pages)',
        params: IdParams,
        querystring: NursingNoteQuery,
        response: { 200: NursingNotePage, ...errors },
      },
    },
    async (request) => nursing.listNursingNotes(request.ctx, request.params.id, request.query),
  );
  r.post(
    '/api/v1/ipd/nursing-notes/:id/entered-in-error',
    {
      preHandler: chart,
      schema: {
        tags,
        summary: 'Mark a nursing note entered-in-error with the reason (its author only)',
        params: IdParams,
        body: EnteredInErrorBody,
        response: { 200: NursingNote, ...errors },
      },
    },
    async (request) => nursing.markNursingNoteInError(request.ctx, request.params.id, request.body.reason),
  );

  // Care plan -------------------------------------------------------------------------------------------

  r.post(
    '/api/v1/ipd/admissions/:id/care-plan',
    {
      preHandler: chart,
      schema: {
        tags,
        summary: 'Add a care plan item: problem, goal, interventions',
        params: IdParams,
        body: CarePlanItemBody,
        response: { 201: CarePlanItem, ...errors },
      },
    },
    async (request, reply) => {
      const item = await nursing.addCarePlanItem(request.ctx, request.params.id, request.body);
      setEtag(reply, item.version);
      return reply.status(201).send(item);
    },
  );
  r.get(
    '/api/v1/ipd/admissions/:id/care-plan',
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'The nursing care plan of the admission',
        params: IdParams,
        response: { 200: CarePlan, ...errors },
      },
    },
    async (request) => ({ items: await nursing.listCarePlan(request.ctx, request.params.id) }),
  );
  r.patch(
    '/api/v1/ipd/care-plan-items/:id',
    {
      preHandler: chart,
      schema: {
        tags,
        summary: 'Revise an active care plan item: goal, interventions, evaluation (If-Match or version)',
        params: IdParams,
        body: CarePlanUpdateBody,
        response: { 200: CarePlanItem, ...errors },
      },
    },
    async (request, reply) => {
      const item = await nursing.changeCarePlanItem(request.ctx, request.params.id, {
        kind: 'update',
        input: { ...request.body, version: expectedVersion(request, request.body.version)! },
      });
      setEtag(reply, item.version);
      return item;
    },
  );
  r.post(
    '/api/v1/ipd/care-plan-items/:id/resolve',
    {
      preHandler: chart,
      schema: {
        tags,
        summary: 'Resolve a care plan item with the evaluation',
        params: IdParams,
        body: ResolveCarePlanBody,
        response: { 200: CarePlanItem, ...errors },
      },
    },
    async (request) =>
      nursing.changeCarePlanItem(request.ctx, request.params.id, {
        kind: 'resolve',
        input: { ...request.body, version: expectedVersion(request, request.body.version)! },
      }),
  );
  r.post(
    '/api/v1/ipd/care-plan-items/:id/entered-in-error',
    {
      preHandler: chart,
      schema: {
        tags,
        summary: 'Mark a care plan item entered-in-error with the reason',
        params: IdParams,
        body: CarePlanErrorBody,
        response: { 200: CarePlanItem, ...errors },
      },
    },
    async (request) =>
      nursing.changeCarePlanItem(request.ctx, request.params.id, {
        kind: 'error',
        input: { ...request.body, version: expectedVersion(request, request.body.version)! },
      }),
  );

  // Tasks -----------------------------------------------------------------------------------------------

  r.post(
    '/api/v1/ipd/admissions/:id/tasks',
    {
      preHandler: chart,
      schema: {
        tags,
        summary: 'Add a nursing task with its due time',
        params: IdParams,
        body: NursingTaskBody,
        response: { 201: NursingTask, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await nursing.createTask(request.ctx, request.params.id, request.body)),
  );
  r.get(
    '/api/v1/ipd/admissions/:id/tasks',
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'Nursing tasks of the admission by due time (overdue flagged)',
        params: IdParams,
        querystring: NursingTaskQuery,
        response: { 200: NursingTaskList, ...errors },
      },
    },
    async (request) => ({ items: await nursing.listTasks(request.ctx, request.params.id, request.query) }),
  );
  r.post(
    '/api/v1/ipd/tasks/:id/complete',
    {
      preHandler: chart,
      schema: {
        tags,
        summary: 'Complete a task with the outcome',
        params: IdParams,
        body: CompleteTaskBody,
        response: { 200: NursingTask, ...errors },
      },
    },
    async (request) =>
      nursing.closeTask(request.ctx, request.params.id, {
        kind: 'complete',
        input: { ...request.body, version: expectedVersion(request, request.body.version)! },
      }),
  );
  r.post(
    '/api/v1/ipd/tasks/:id/cancel',
    {
      preHandler: chart,
      schema: {
        tags,
        summary: 'Cancel a task with the reason (an escalation is closed by acknowledging its alert)',
        params: IdParams,
        body: CancelTaskBody,
        response: { 200: NursingTask, ...errors },
      },
    },
    async (request) =>
      nursing.closeTask(request.ctx, request.params.id, {
        kind: 'cancel',
        input: { ...request.body, version: expectedVersion(request, request.body.version)! },
      }),
  );

  // Nursing station ---------------------------------------------------------------------------------------

  r.get(
    '/api/v1/ipd/wards/:wardId/station',
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'The nursing station: every bed with its patient, NEWS2, escalations, tasks and I/O today',
        params: WardIdParams,
        response: { 200: WardStation, ...errors },
      },
    },
    async (request) => wardStation(request.ctx, request.params.wardId),
  );

  // Discharge summary -----------------------------------------------------------------------------------

  r.get(
    '/api/v1/ipd/admissions/:id/discharge-summary',
    {
      preHandler: summaryRead,
      schema: {
        tags,
        summary: 'The discharge summary note (null until started) and what the record pre-fills',
        params: IdParams,
        response: {
          200: z.object({ note: ClinicalNote.nullable(), prefill: DischargeSummaryPrefill }),
          ...errors,
        },
      },
    },
    async (request) => getDischargeSummary(request.ctx, request.params.id),
  );
  r.post(
    '/api/v1/ipd/admissions/:id/discharge-summary',
    {
      preHandler: summaryStart,
      schema: {
        tags,
        summary:
          'Start the discharge summary: a draft clinical note pre-filled from the record (200 with the one already started)',
        params: IdParams,
        response: { 200: ClinicalNote, 201: ClinicalNote, ...errors },
      },
    },
    async (request, reply) => {
      const { note, created } = await startDischargeSummary(request.ctx, request.params.id);
      setEtag(reply, note.version);
      return reply.status(created ? 201 : 200).send(note);
    },
  );
  r.get(
    '/api/v1/ipd/admissions/:id/discharge-summary.pdf',
    {
      preHandler: summaryRead,
      schema: {
        tags,
        summary: 'The printable discharge summary (PDF)',
        params: IdParams,
        response: { 200: z.string().meta({ format: 'binary' }), ...errors },
      },
    },
    async (request, reply) => {
      const { pdf, mrn } = await dischargeSummaryPdf(request.ctx, request.params.id);
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `inline; filename="${mrn}-discharge-summary.pdf"`)
        .header('cache-control', 'private, no-store')
        .send(pdf as unknown as string);
    },
  );
}
