import {
  Administration,
  CancelPrescriptionBody,
  Dispensation,
  DispensePrescriptionBody,
  Favourite,
  FavouriteBody,
  IdParams,
  MarQuery,
  MarView,
  Prescription,
  PrescriptionBody,
  PrescriptionCheck,
  PrescriptionCheckBody,
  PrescriptionLineParams,
  PrescriptionQueueQuery,
  PrnDoseBody,
  Problem,
  QueuedPrescription,
  RecordDoseBody,
  StopItemBody,
  StrikeDoseBody,
  WardMarQuery,
} from '@newhms/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dispensePrescription, type PharmacyEnv } from './dispensing.service';
import { listFavourites, removeFavourite, saveFavourite } from './favourites.service';
import { admissionMar, givePrnDose, recordDose, strikeDose, wardMar } from './mar.service';
import { prescriptionPdf } from './prescription-pdf';
import {
  cancelPrescription,
  checkDraft,
  createPrescription,
  getPrescription,
  patientPrescriptions,
  prescriptionQueue,
  stopItem,
} from './prescriptions.service';

const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem };
const tags = ['prescriptions'];
const Binary = z.string().meta({ format: 'binary' });

/** E-prescriptions (check, sign, stop, cancel, PDF), the pharmacy's queue, and the MAR. */
export async function prescriptionRoutes(app: FastifyInstance, env: PharmacyEnv): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const read = app.requirePermission('pharmacy:read');
  const prescribe = app.requirePermission('pharmacy:prescribe');
  const dispense = app.requirePermission('pharmacy:dispense');
  const administer = app.requirePermission('pharmacy:administer');

  r.post(
    '/api/v1/prescriptions/check',
    {
      preHandler: prescribe,
      schema: {
        tags,
        summary:
          'Check a draft against the patient (interactions, allergies, duplicates, dose): nothing is written',
        body: PrescriptionCheckBody,
        response: { 200: PrescriptionCheck, ...errors },
      },
    },
    async (request) => checkDraft(request.ctx, request.body),
  );
  r.post(
    '/api/v1/prescriptions',
    {
      preHandler: prescribe,
      config: { idempotent: true },
      schema: {
        tags,
        summary: 'Sign a prescription; contraindicated and major alerts need an override reason',
        body: PrescriptionBody,
        response: { 201: Prescription, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createPrescription(request.ctx, env, request.body)),
  );
  r.get(
    '/api/v1/prescriptions/:id',
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'A prescription with its alerts',
        params: IdParams,
        response: { 200: Prescription, ...errors },
      },
    },
    async (request) => getPrescription(request.ctx, request.params.id),
  );
  r.get(
    '/api/v1/prescriptions/:id/pdf',
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'The printed prescription (A5 PDF)',
        params: IdParams,
        response: { 200: Binary, ...errors },
      },
    },
    async (request, reply) => {
      const { pdf, prescription } = await prescriptionPdf(request.ctx, request.params.id);
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="${prescription.number}.pdf"`)
        .send(pdf as unknown as string);
    },
  );
  r.get(
    '/api/v1/patients/:id/prescriptions',
    {
      preHandler: read,
      schema: {
        tags,
        summary: "A patient's prescriptions, newest first",
        params: IdParams,
        response: { 200: z.array(Prescription), ...errors },
      },
    },
    async (request) => patientPrescriptions(request.ctx, request.params.id),
  );
  r.post(
    '/api/v1/prescriptions/:id/lines/:lineNo/stop',
    {
      preHandler: prescribe,
      schema: {
        tags,
        summary: 'Stop a line (its doses not yet given come off the MAR)',
        params: PrescriptionLineParams,
        body: StopItemBody,
        response: { 200: Prescription, ...errors },
      },
    },
    async (request) => stopItem(request.ctx, request.params.id, request.params.lineNo, request.body.reason),
  );
  r.post(
    '/api/v1/prescriptions/:id/cancel',
    {
      preHandler: prescribe,
      schema: {
        tags,
        summary: 'Cancel a prescription written in error (nothing handed over or given yet)',
        params: IdParams,
        body: CancelPrescriptionBody,
        response: { 200: Prescription, ...errors },
      },
    },
    async (request) => cancelPrescription(request.ctx, env, request.params.id, request.body),
  );

  r.get(
    '/api/v1/prescriptions/favourites',
    {
      preHandler: prescribe,
      schema: {
        tags,
        summary: "The signed-in doctor's favourites and order sets",
        response: { 200: z.array(Favourite), ...errors },
      },
    },
    async (request) => listFavourites(request.ctx),
  );
  r.post(
    '/api/v1/prescriptions/favourites',
    {
      preHandler: prescribe,
      config: { idempotent: true },
      schema: {
        tags,
        summary: 'Save lines as a named favourite or order set',
        body: FavouriteBody,
        response: { 201: Favourite, ...errors },
      },
    },
    async (request, reply) => reply.status(201).send(await saveFavourite(request.ctx, request.body)),
  );
  r.post(
    '/api/v1/prescriptions/favourites/:id/remove',
    {
      preHandler: prescribe,
      schema: {
        tags,
        summary: 'Remove a favourite from the list',
        params: IdParams,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      await removeFavourite(request.ctx, request.params.id);
      return reply.status(204).send(null);
    },
  );

  r.get(
    '/api/v1/pharmacy/prescription-queue',
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'Prescriptions with lines still to hand over, oldest first, with overridden alerts counted',
        querystring: PrescriptionQueueQuery,
        response: { 200: z.array(QueuedPrescription), ...errors },
      },
    },
    async (request) => prescriptionQueue(request.ctx, request.query),
  );
  r.post(
    '/api/v1/prescriptions/:id/dispense',
    {
      preHandler: dispense,
      config: { idempotent: true },
      schema: {
        tags,
        summary: 'Fill a prescription (FEFO; substitution with a note; overridden alerts acknowledged)',
        params: IdParams,
        body: DispensePrescriptionBody,
        response: { 201: Dispensation, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await dispensePrescription(request.ctx, env, request.params.id, request.body)),
  );

  r.get(
    '/api/v1/admissions/:id/mar',
    {
      preHandler: read,
      schema: {
        tags,
        summary: "An in-patient's medication administration record: active orders and the doses of a window",
        params: IdParams,
        querystring: MarQuery,
        response: { 200: MarView, ...errors },
      },
    },
    async (request) => admissionMar(request.ctx, request.params.id, request.query),
  );
  r.get(
    '/api/v1/pharmacy/mar/ward',
    {
      preHandler: read,
      schema: {
        tags,
        summary: "A ward's doses to give: every overdue one and those due in the next hours, bed by bed",
        querystring: WardMarQuery,
        response: {
          200: z.array(
            z.object({
              admissionId: z.uuid(),
              patientId: z.uuid(),
              bedCode: z.string(),
              wardName: z.string(),
              overdue: z.number().int(),
              doses: z.array(Administration),
            }),
          ),
          ...errors,
        },
      },
    },
    async (request) => wardMar(request.ctx, request.query),
  );
  r.post(
    '/api/v1/mar/doses/:id/record',
    {
      preHandler: administer,
      schema: {
        tags,
        summary:
          'Record a scheduled dose: given (wristband and medicine scanned and matched), held, refused, missed',
        params: IdParams,
        body: RecordDoseBody,
        response: { 200: Administration, ...errors },
      },
    },
    async (request) => recordDose(request.ctx, request.params.id, request.body),
  );
  r.post(
    '/api/v1/mar/prn-doses',
    {
      preHandler: administer,
      schema: {
        tags,
        summary: 'Give an as-needed dose with its indication (scans matched; not above the daily limit)',
        body: PrnDoseBody,
        response: { 201: Administration, ...errors },
      },
    },
    async (request, reply) => reply.status(201).send(await givePrnDose(request.ctx, request.body)),
  );
  r.post(
    '/api/v1/mar/doses/:id/strike',
    {
      preHandler: administer,
      schema: {
        tags,
        summary: 'Strike out a dose recorded in error; a scheduled dose becomes due again',
        params: IdParams,
        body: StrikeDoseBody,
        response: { 200: Administration, ...errors },
      },
    },
    async (request) => strikeDose(request.ctx, request.params.id, request.body),
  );
}
