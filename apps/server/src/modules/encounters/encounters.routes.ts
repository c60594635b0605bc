import {
  AmendNoteBody,
  CancelOrderBody,
  ClinicalNote,
  CloseEncounterBody,
  CreateNoteBody,
  Diagnosis,
  DiagnosisBody,
  DiagnosisUpdate,
  Encounter,
  EncounterDetail,
  EncounterList,
  IcdSearchResponse,
  Observation,
  ObservationList,
  Order,
  OrderBody,
  PageQuery,
  Problem,
  SignNoteBody,
  StartEncounterBody,
  Text,
  UpdateNoteBody,
  Uuid,
  VitalsBody,
} from '@newhms/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { setEtag } from '../../platform/http/etag';
import { getFacility } from '../../platform/organization/organization.service';
import { getPatient } from '../patients';
import * as service from './encounters.service';
import { searchIcd10 } from './icd10.service';
import { opdSummaryPdf } from './opd-summary';

const errors = {
  400: Problem,
  401: Problem,
  403: Problem,
  404: Problem,
  409: Problem,
  412: Problem,
  422: Problem,
};
const tags = ['encounters'];
const Id = z.object({ id: Uuid });
const Child = z.object({ id: Uuid, childId: Uuid });

export async function encountersRoutes(app: FastifyInstance, env: service.EncountersEnv): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const read = app.requirePermission('encounters:read');
  const write = app.requirePermission('encounters:write');
  const vitals = app.requirePermission('encounters:record-vitals', 'encounters:write');

  r.get(
    '/api/v1/icd10',
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'Search ICD-10 by code or words (typo tolerant)',
        querystring: z.object({
          q: z.string().trim().min(1).max(100),
          limit: z.coerce.number().int().min(1).max(50).default(20),
        }),
        response: { 200: IcdSearchResponse, ...errors },
      },
    },
    async (request) => ({ items: await searchIcd10(request.ctx.db, request.query.q, request.query.limit) }),
  );

  r.get(
    '/api/v1/encounters/unsigned-notes',
    {
      preHandler: app.requirePermission('encounters:sign'),
      schema: {
        tags,
        summary: 'My notes still in draft (oldest first), to finish and sign',
        response: {
          200: z.object({
            items: z.array(
              z.object({
                id: Uuid,
                encounterId: Uuid,
                patientId: Uuid,
                kind: z.string(),
                updatedAt: z.string(),
              }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const actor = request.ctx.actor;
      const rows = actor.type === 'user' ? await service.unsignedNotesOf(request.ctx.db, actor.userId) : [];
      return { items: rows.map((r) => ({ ...r, updatedAt: r.updatedAt.toISOString() })) };
    },
  );

  r.post(
    '/api/v1/encounters',
    {
      preHandler: write,
      config: { idempotent: true },
      schema: {
        tags,
        summary: 'Start an encounter',
        body: StartEncounterBody,
        response: { 201: Encounter, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await service.startEncounter(request.ctx, env, request.body)),
  );

  r.get(
    '/api/v1/encounters/:id',
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'An encounter with its vitals, notes, diagnoses and orders',
        params: Id,
        response: { 200: EncounterDetail, ...errors },
      },
    },
    async (request, reply) => {
      const detail = await service.getEncounterDetail(request.ctx, request.params.id);
      setEtag(reply, detail.encounter.version);
      return detail;
    },
  );

  r.get(
    '/api/v1/encounters/:id/summary.pdf',
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'The printable OPD summary (PDF)',
        params: Id,
        response: { 200: z.string().meta({ format: 'binary' }), ...errors },
      },
    },
    async (request, reply) => {
      const ctx = request.ctx;
      const detail = await service.getEncounterDetail(ctx, request.params.id);
      const patient = await getPatient(ctx.db, detail.encounter.patientId, ctx.now);
      const facility = await getFacility(ctx.db, detail.encounter.facilityId);
      const active = patient.allergies.filter((a) => a.status === 'active').map((a) => a.substance);
      const pdf = await opdSummaryPdf(
        {
          facilityName: facility.name,
          facilityAddress:
            [facility.addressLine, facility.city, facility.state, facility.phone]
              .filter(Boolean)
              .join(', ') || null,
          timeZone: facility.timeZone,
          patient: {
            displayName: patient.displayName,
            mrn: patient.mrn,
            age: patient.age,
            sex: patient.sex,
            phone: patient.phones[0]?.number ?? null,
          },
          allergies:
            patient.allergyState === 'recorded'
              ? active.join(', ')
              : patient.allergyState === 'none-known'
                ? 'No known allergies'
                : 'Not recorded',
        },
        detail,
      );
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `inline; filename="${patient.mrn}-opd-summary.pdf"`)
        .header('cache-control', 'private, no-store')
        .send(pdf as unknown as string);
    },
  );

  r.get(
    '/api/v1/patients/:id/encounters',
    {
      preHandler: read,
      schema: {
        tags,
        summary: "A patient's encounters, newest first",
        params: Id,
        querystring: PageQuery,
        response: { 200: EncounterList, ...errors },
      },
    },
    async (request) => service.listPatientEncounters(request.ctx, request.params.id, request.query),
  );

  r.get(
    '/api/v1/patients/:id/vitals',
    {
      preHandler: read,
      schema: {
        tags,
        summary: "A patient's vital signs over time (for trends), optionally one LOINC code",
        params: Id,
        querystring: z.object({
          code: z
            .string()
            .regex(/^\d{1,7}-\d$/, 'a LOINC code')
            .optional(),
        }),
        response: { 200: ObservationList, ...errors },
      },
    },
    async (request) => ({
      items: await service.vitalsHistory(request.ctx, request.params.id, request.query.code),
    }),
  );

  r.get(
    '/api/v1/patients/:id/problems',
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'Active final diagnoses across encounters',
        params: Id,
        response: { 200: z.object({ items: z.array(Diagnosis) }), ...errors },
      },
    },
    async (request) => ({ items: await service.activeProblems(request.ctx.db, request.params.id) }),
  );

  r.post(
    '/api/v1/encounters/:id/finish',
    {
      preHandler: write,
      schema: {
        tags,
        summary: 'Finish the encounter (advice, follow-up, referral)',
        params: Id,
        body: CloseEncounterBody,
        response: { 200: Encounter, ...errors },
      },
    },
    async (request) => service.finishEncounter(request.ctx, env, request.params.id, request.body),
  );

  r.post(
    '/api/v1/encounters/:id/vitals',
    {
      preHandler: vitals,
      schema: {
        tags,
        summary: 'Record a set of vitals (BMI computed, out-of-range values flagged)',
        params: Id,
        body: VitalsBody,
        response: { 201: ObservationList, ...errors },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send({ items: await service.recordVitals(request.ctx, env, request.params.id, request.body) }),
  );

  r.post(
    '/api/v1/observations/:id/entered-in-error',
    {
      preHandler: vitals,
      schema: {
        tags,
        summary: 'Mark an observation entered in error',
        params: Id,
        body: z.object({ reason: Text(300) }),
        response: { 200: Observation, ...errors },
      },
    },
    async (request) => service.markObservationInError(request.ctx, request.params.id, request.body.reason),
  );

  r.post(
    '/api/v1/encounters/:id/notes',
    {
      preHandler: write,
      schema: {
        tags,
        summary: 'Start a note (draft)',
        params: Id,
        body: CreateNoteBody,
        response: { 201: ClinicalNote, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await service.createNote(request.ctx, request.params.id, request.body)),
  );

  r.put(
    '/api/v1/encounters/:id/notes/:childId',
    {
      preHandler: write,
      schema: {
        tags,
        summary: 'Save a draft note',
        params: Child,
        body: UpdateNoteBody,
        response: { 200: ClinicalNote, ...errors },
      },
    },
    async (request) =>
      service.updateDraft(request.ctx, request.params.id, request.params.childId, request.body),
  );

  r.post(
    '/api/v1/encounters/:id/notes/:childId/sign',
    {
      preHandler: app.requirePermission('encounters:sign'),
      schema: {
        tags,
        summary: 'Sign a draft note',
        params: Child,
        body: SignNoteBody,
        response: { 200: ClinicalNote, ...errors },
      },
    },
    async (request) =>
      service.signNote(request.ctx, env, request.params.id, request.params.childId, request.body.version),
  );

  r.post(
    '/api/v1/encounters/:id/notes/:childId/amend',
    {
      preHandler: app.requirePermission('encounters:sign'),
      schema: {
        tags,
        summary: 'Amend a signed note with a reason (the signed text is kept)',
        params: Child,
        body: AmendNoteBody,
        response: { 200: ClinicalNote, ...errors },
      },
    },
    async (request) =>
      service.amendNote(request.ctx, request.params.id, request.params.childId, request.body),
  );

  r.post(
    '/api/v1/encounters/:id/diagnoses',
    {
      preHandler: write,
      schema: {
        tags,
        summary: 'Record a diagnosis (ICD-10)',
        params: Id,
        body: DiagnosisBody,
        response: { 201: Diagnosis, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await service.addDiagnosis(request.ctx, env, request.params.id, request.body)),
  );

  r.patch(
    '/api/v1/encounters/:id/diagnoses/:childId',
    {
      preHandler: write,
      schema: {
        tags,
        summary: 'Change a diagnosis (final, primary, resolved, entered in error)',
        params: Child,
        body: DiagnosisUpdate,
        response: { 200: Diagnosis, ...errors },
      },
    },
    async (request) =>
      service.updateDiagnosis(request.ctx, request.params.id, request.params.childId, request.body),
  );

  r.post(
    '/api/v1/encounters/:id/orders',
    {
      preHandler: write,
      schema: {
        tags,
        summary: 'Order a test, imaging or procedure',
        params: Id,
        body: OrderBody,
        response: { 201: Order, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await service.placeOrder(request.ctx, env, request.params.id, request.body)),
  );

  r.post(
    '/api/v1/encounters/:id/orders/:childId/cancel',
    {
      preHandler: write,
      schema: {
        tags,
        summary: 'Cancel an order with a reason',
        params: Child,
        body: CancelOrderBody,
        response: { 200: Order, ...errors },
      },
    },
    async (request) =>
      service.cancelOrder(request.ctx, env, request.params.id, request.params.childId, request.body),
  );
}
