import {
  AlertInput,
  AlertUpdate,
  Allergy,
  AllergyInput,
  AllergyUpdate,
  DuplicateReview,
  DuplicateReviewList,
  IdParams,
  MatchBody,
  MatchResponse,
  Merge,
  MergeBody,
  MergeList,
  MrnFormat,
  MrnFormatBody,
  PageQuery,
  Patient,
  PatientAlert,
  PatientHistory,
  PatientSearchQuery,
  PatientSearchResponse,
  Problem,
  RegisterPatientBody,
  RegisterUnknownBody,
  ResolveDuplicateBody,
  UpdatePatientBody,
  Uuid,
} from '@newhms/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { RuleViolation } from '../../platform/http/errors';
import { expectedVersion, setEtag } from '../../platform/http/etag';
import { getFacility } from '../../platform/organization/organization.service';
import * as duplicates from './duplicates';
import { registrationCardPdf, wristbandPdf } from './patient-documents';
import { loadPatient } from './patient-records';
import * as service from './patients.service';
import { searchPatients } from './search';

const errors = {
  400: Problem,
  401: Problem,
  403: Problem,
  404: Problem,
  409: Problem,
  412: Problem,
  422: Problem,
};
const tags = ['patients'];
const PatientParams = z.object({ id: Uuid });
const ChildParams = z.object({ id: Uuid, childId: Uuid });
/** A binary body (PDF, image); Fastify sends Buffers as they are, the schema only documents it. */
const Binary = z.string().meta({ format: 'binary' });
const binary = (b: Buffer) => b as unknown as string;
const PhotoBody = z.object({
  contentType: z.enum(['image/jpeg', 'image/png']),
  data: z.base64().max(700_000, 'at most 500 kB'),
});

export async function patientsRoutes(app: FastifyInstance, env: service.PatientsEnv): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const read = app.requirePermission('patients:read');
  const register = app.requirePermission('patients:register');
  const update = app.requirePermission('patients:update');
  const merge = app.requirePermission('patients:merge');
  const clinical = app.requirePermission('patients:manage-allergies');
  const configure = app.requirePermission('patients:configure');

  r.get(
    '/api/v1/patients/search',
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'One search box: MRN, mobile number, identifier or name (typo tolerant), ranked',
        querystring: PatientSearchQuery,
        response: { 200: PatientSearchResponse, ...errors },
      },
    },
    async (request) => ({
      items: await searchPatients(request.ctx, env.cipher, request.query, env.searchDb),
    }),
  );

  r.post(
    '/api/v1/patients/match',
    {
      preHandler: register,
      schema: {
        tags,
        summary: 'Possible duplicates of a patient being registered, with a score and reasons',
        body: MatchBody,
        response: { 200: MatchResponse, ...errors },
      },
    },
    async (request) => ({
      candidates: await duplicates.matchCandidates(request.ctx, env, request.body),
    }),
  );

  r.post(
    '/api/v1/patients',
    {
      preHandler: register,
      config: { idempotent: true },
      schema: {
        tags,
        summary: 'Register a patient (409 PATIENT_POSSIBLE_DUPLICATE with candidates unless overridden)',
        body: RegisterPatientBody,
        response: { 201: Patient, ...errors },
      },
    },
    async (request, reply) => {
      const patient = await duplicates.registerPatient(request.ctx, env, request.body);
      setEtag(reply, patient.version);
      return reply.status(201).header('location', `/api/v1/patients/${patient.id}`).send(patient);
    },
  );

  r.post(
    '/api/v1/patients/unknown',
    {
      preHandler: register,
      config: { idempotent: true },
      schema: {
        tags,
        summary: 'Quick registration of an unknown patient in an emergency',
        body: RegisterUnknownBody,
        response: { 201: Patient, ...errors },
      },
    },
    async (request, reply) => {
      const patient = await service.registerUnknown(request.ctx, env, request.body);
      return reply.status(201).send(patient);
    },
  );

  r.get(
    '/api/v1/patients/duplicates',
    {
      preHandler: merge,
      schema: {
        tags,
        summary: 'Duplicate-review worklist',
        querystring: PageQuery.extend({
          status: z.enum(['open', 'merged', 'not-duplicate']).default('open'),
        }),
        response: { 200: DuplicateReviewList, ...errors },
      },
    },
    async (request) => duplicates.listReviews(request.ctx, request.query),
  );

  r.post(
    '/api/v1/patients/duplicates/:id/resolve',
    {
      preHandler: merge,
      schema: {
        tags,
        summary: 'Decide that two records are not one person',
        params: IdParams,
        body: ResolveDuplicateBody,
        response: { 200: DuplicateReview, ...errors },
      },
    },
    async (request) => duplicates.resolveReview(request.ctx, request.params.id, request.body.note),
  );

  r.post(
    '/api/v1/patients/duplicates',
    {
      preHandler: update,
      schema: {
        tags,
        summary: 'Flag two records as a possible duplicate for review',
        body: z.object({ patientIds: z.tuple([Uuid, Uuid]) }),
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      await duplicates.flagDuplicate(request.ctx, env, ...request.body.patientIds);
      return reply.status(204).send(null);
    },
  );

  r.post(
    '/api/v1/patients/merges',
    {
      preHandler: merge,
      schema: {
        tags,
        summary: 'Merge a record into a survivor; every reference follows the survivor',
        body: MergeBody,
        response: { 201: Merge, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await duplicates.mergePatients(request.ctx, env, request.body)),
  );

  r.get(
    '/api/v1/patients/merges',
    {
      preHandler: merge,
      schema: {
        tags,
        summary: 'The merge log',
        querystring: PageQuery,
        response: { 200: MergeList, ...errors },
      },
    },
    async (request) => duplicates.listMerges(request.ctx, request.query),
  );

  r.get(
    '/api/v1/patients/settings/mrn-format',
    {
      preHandler: read,
      schema: { tags, summary: "This facility's MRN format", response: { 200: MrnFormat, ...errors } },
    },
    async (request) => service.getMrnFormat(request.ctx.db, facilityOf(request.ctx.facilityId)),
  );

  r.put(
    '/api/v1/patients/settings/mrn-format',
    {
      preHandler: configure,
      schema: {
        tags,
        summary: "Change this facility's MRN format (numbers already given never change)",
        body: MrnFormatBody,
        response: { 200: MrnFormat, ...errors },
      },
    },
    async (request) => service.setMrnFormat(request.ctx, facilityOf(request.ctx.facilityId), request.body),
  );

  r.get(
    '/api/v1/patients/:id',
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'The patient record (a merged record says which record survived)',
        params: PatientParams,
        response: { 200: Patient, ...errors },
      },
    },
    async (request, reply) => {
      const patient = await service.viewPatient(request.ctx, request.params.id);
      setEtag(reply, patient.version);
      return patient;
    },
  );

  r.patch(
    '/api/v1/patients/:id',
    {
      preHandler: update,
      schema: {
        tags,
        summary: 'Edit demographics (version or If-Match required; a stale write is 409/412)',
        params: PatientParams,
        body: UpdatePatientBody,
        response: { 200: Patient, ...errors },
      },
    },
    async (request, reply) => {
      const version = expectedVersion(request, request.body.version) ?? request.body.version;
      const patient = await service.updatePatient(request.ctx, env, request.params.id, {
        ...request.body,
        version,
      });
      setEtag(reply, patient.version);
      return patient;
    },
  );

  r.get(
    '/api/v1/patients/:id/history',
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'Who changed what, when',
        params: PatientParams,
        response: { 200: PatientHistory, ...errors },
      },
    },
    async (request) => ({
      items: (await service.patientHistory(request.ctx, request.params.id)).map((v) => ({
        version: v.version,
        changedAt: v.changedAt.toISOString(),
        changedBy: v.changedByName,
        action: v.action,
        fields: v.fields,
        reason: v.reason,
      })),
    }),
  );

  r.put(
    '/api/v1/patients/:id/photo',
    {
      preHandler: update,
      schema: {
        tags,
        summary: 'Set the photo (JPEG or PNG, base64, at most 500 kB)',
        params: PatientParams,
        body: PhotoBody,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      const data = Buffer.from(request.body.data, 'base64');
      if (data.length > 500_000) {
        throw new RuleViolation('PATIENT_PHOTO_TOO_LARGE', 'The photo must be at most 500 kB', [
          { path: 'body.data', message: 'at most 500 kB' },
        ]);
      }
      await service.setPhoto(request.ctx, request.params.id, request.body.contentType, data);
      return reply.status(204).send(null);
    },
  );

  r.get(
    '/api/v1/patients/:id/photo',
    {
      preHandler: read,
      schema: { tags, summary: 'The photo', params: PatientParams, response: { 200: Binary, ...errors } },
    },
    async (request, reply) => {
      const photo = await service.getPhoto(request.ctx, request.params.id);
      return reply
        .header('content-type', photo.contentType)
        .header('cache-control', 'private, no-store')
        .send(binary(photo.data));
    },
  );

  for (const [doc, summary] of [
    ['card', 'Registration card (PDF, CR80 with an MRN barcode)'],
    ['wristband', 'Wristband (PDF with MRN barcode and QR, allergy flag)'],
  ] as const) {
    r.get(
      `/api/v1/patients/:id/${doc}.pdf`,
      {
        preHandler: read,
        schema: { tags, summary, params: PatientParams, response: { 200: Binary, ...errors } },
      },
      async (request, reply) => {
        const ctx = request.ctx;
        const patient = await loadPatient(ctx.db, request.params.id, ctx.now);
        const facility = await getFacility(ctx.db, ctx.facilityId ?? patient.registeredFacilityId);
        const common = {
          facilityName: facility.name,
          mrn: patient.mrn,
          displayName: patient.displayName,
          sex: patient.sex,
          age: patient.age,
          birthDate: patient.birthDate,
          birthDateEstimated: patient.birthDateEstimated,
        };
        const pdf =
          doc === 'card'
            ? await registrationCardPdf({
                ...common,
                bloodGroup: patient.bloodGroup,
                phone: patient.phones[0]?.number ?? null,
                registeredAt: new Date(patient.registeredAt),
                timeZone: facility.timeZone,
                emergencyContact: patient.contacts[0]
                  ? `${patient.contacts[0].name} (${patient.contacts[0].relationship})${patient.contacts[0].phone ? ` ${patient.contacts[0].phone}` : ''}`
                  : null,
              })
            : await wristbandPdf({ ...common, allergies: allergyLine(patient) });
        await service.auditDocument(ctx, patient.id, doc);
        return reply
          .header('content-type', 'application/pdf')
          .header('content-disposition', `inline; filename="${patient.mrn}-${doc}.pdf"`)
          .header('cache-control', 'private, no-store')
          .send(binary(pdf));
      },
    );
  }

  r.post(
    '/api/v1/patients/:id/allergies',
    {
      preHandler: clinical,
      schema: {
        tags,
        summary: 'Record an allergy',
        params: PatientParams,
        body: AllergyInput,
        response: { 201: Allergy, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await service.addAllergy(request.ctx, env, request.params.id, request.body)),
  );

  r.patch(
    '/api/v1/patients/:id/allergies/:childId',
    {
      preHandler: clinical,
      schema: {
        tags,
        summary: 'Change the status of an allergy (with a reason; never deleted)',
        params: ChildParams,
        body: AllergyUpdate,
        response: { 200: Allergy, ...errors },
      },
    },
    async (request) =>
      service.updateAllergy(request.ctx, env, request.params.id, request.params.childId, request.body),
  );

  r.post(
    '/api/v1/patients/:id/no-known-allergies',
    {
      preHandler: clinical,
      schema: {
        tags,
        summary: 'Record "no known allergies" (distinct from not recorded)',
        params: PatientParams,
        response: { 200: Patient, ...errors },
      },
    },
    async (request) => service.recordNoKnownAllergies(request.ctx, env, request.params.id),
  );

  r.post(
    '/api/v1/patients/:id/alerts',
    {
      preHandler: clinical,
      schema: {
        tags,
        summary: 'Add an alert (fall risk, infection control, ...)',
        params: PatientParams,
        body: AlertInput,
        response: { 201: PatientAlert, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await service.addAlert(request.ctx, request.params.id, request.body)),
  );

  r.patch(
    '/api/v1/patients/:id/alerts/:childId',
    {
      preHandler: clinical,
      schema: {
        tags,
        summary: 'Change the status of an alert',
        params: ChildParams,
        body: AlertUpdate,
        response: { 200: PatientAlert, ...errors },
      },
    },
    async (request) =>
      service.updateAlert(request.ctx, request.params.id, request.params.childId, request.body),
  );
}

function facilityOf(facilityId: string | null): string {
  if (!facilityId) throw new RuleViolation('FACILITY_REQUIRED', 'Choose a facility first');
  return facilityId;
}

/** The wristband's allergy line: what a nurse must see at a glance. */
export function allergyLine(p: Patient): string {
  if (p.allergyState === 'none-known') return 'NKA (no known allergies)';
  if (p.allergyState === 'not-recorded') return 'Allergies not recorded';
  const active = p.allergies.filter((a) => a.status === 'active').map((a) => a.substance);
  return `ALLERGIES: ${active.join(', ')}`;
}
