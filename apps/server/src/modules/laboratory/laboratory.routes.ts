import {
  AcknowledgeCriticalBody,
  AmendResultBody,
  CancelLabRequestBody,
  CollectionListQuery,
  CollectSampleBody,
  CumulativePdfQuery,
  CumulativeQuery,
  CumulativeResults,
  EnterResultsBody,
  IdParams,
  LabAccessionParams,
  LabCatalogQuery,
  LabCatalogSearch,
  LabCollectionItem,
  LabCriticalAlert,
  LabCriticalAlertQuery,
  LabRequest,
  LabRequestQuery,
  LabSampleLookup,
  LabTurnaroundQuery,
  LabTurnaroundReport,
  LabValidationQueueItem,
  LabValidationQueueQuery,
  LabWorklistItem,
  LabWorklistQuery,
  Problem,
  ReceiveSampleBody,
  RejectSampleBody,
  ValidateResultsBody,
  WalkInOrderBody,
} from '@newhms/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { searchCatalog } from './catalog.service';
import { acknowledgeCriticalAlert, listCriticalAlerts } from './critical-alerts.service';
import { cumulativeReportPdf } from './cumulative-pdf';
import { labReportPdf } from './report-pdf';
import {
  cancelWalkInRequest,
  getRequest,
  type LaboratoryEnv,
  listRequests,
  placeWalkInOrder,
} from './requests.service';
import { amendResult, cumulativeResults, enterResults, validateResults } from './results.service';
import { sampleLabelPdf } from './sample-label';
import { sampleByAccession } from './sample-lookup.service';
import {
  collectionList,
  collectSample,
  receiveSample,
  rejectSample,
  sampleLabelData,
  worklist,
} from './samples.service';
import { turnaroundReport } from './turnaround.service';
import { validationQueue } from './validation-queue.service';

const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 422: Problem };
const tags = ['laboratory'];
const Binary = z.string().meta({ format: 'binary' });

/** The laboratory's HTTP face: catalog, walk-in orders, collection, receipt, worklists, results. */
export async function laboratoryRoutes(app: FastifyInstance, env: LaboratoryEnv): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const read = app.requirePermission('laboratory:read');
  const order = app.requirePermission('laboratory:order');
  const collect = app.requirePermission('laboratory:collect');
  const processing = app.requirePermission('laboratory:process');
  const validate = app.requirePermission('laboratory:validate');

  r.get(
    '/api/v1/laboratory/catalog',
    {
      // Catalog data is not patient data: whoever orders or bills tests may look them up.
      preHandler: app.requirePermission('laboratory:catalog', 'laboratory:read', 'laboratory:order'),
      schema: {
        tags,
        summary: 'Find tests and panels by code, name or LOINC code',
        querystring: LabCatalogQuery,
        response: { 200: LabCatalogSearch, ...errors },
      },
    },
    async (request) => searchCatalog(request.ctx.db, request.query),
  );

  r.post(
    '/api/v1/laboratory/requests',
    {
      preHandler: order,
      config: { idempotent: true },
      schema: {
        tags,
        summary:
          'A walk-in order (or one entered at the lab): one request per test or panel, samples to collect',
        body: WalkInOrderBody,
        response: { 201: z.array(LabRequest), ...errors },
      },
    },
    async (request, reply) => reply.status(201).send(await placeWalkInOrder(request.ctx, env, request.body)),
  );
  r.post(
    '/api/v1/laboratory/requests/:id/cancel',
    {
      preHandler: order,
      schema: {
        tags,
        summary:
          'Cancel a walk-in before any result is entered (its charge is reversed); an encounter order is cancelled in the encounter',
        params: IdParams,
        body: CancelLabRequestBody,
        response: { 200: LabRequest, ...errors },
      },
    },
    async (request) => cancelWalkInRequest(request.ctx, env, request.params.id, request.body),
  );
  r.get(
    '/api/v1/laboratory/requests',
    {
      preHandler: read,
      schema: {
        tags,
        summary: "A patient's or an encounter's laboratory requests, newest first",
        querystring: LabRequestQuery,
        response: { 200: z.array(LabRequest), ...errors },
      },
    },
    async (request) => listRequests(request.ctx, request.query),
  );
  r.get(
    '/api/v1/laboratory/requests/:id',
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'A request with its samples, results and amendments',
        params: IdParams,
        response: { 200: LabRequest, ...errors },
      },
    },
    async (request) => getRequest(request.ctx, request.params.id),
  );

  r.get(
    '/api/v1/laboratory/requests/:id/report.pdf',
    {
      preHandler: read,
      schema: {
        tags,
        summary:
          'The printed report (PDF, A4): results by section with flags and ranges; PRELIMINARY until all are validated',
        params: IdParams,
        response: { 200: Binary, ...errors },
      },
    },
    async (request, reply) => {
      const { pdf, request: lab } = await labReportPdf(request.ctx, request.params.id);
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="lab-report-${lab.code}-${lab.id.slice(0, 8)}.pdf"`)
        .send(pdf as unknown as string);
    },
  );
  r.get(
    '/api/v1/laboratory/reports/turnaround',
    {
      preHandler: app.requirePermission('laboratory:validate', 'laboratory:process'),
      schema: {
        tags,
        summary:
          'Turnaround per test and section (collection and receipt to validation) against the targets, by collection day',
        querystring: LabTurnaroundQuery,
        response: { 200: LabTurnaroundReport, ...errors },
      },
    },
    async (request) => turnaroundReport(request.ctx, request.query),
  );

  r.get(
    '/api/v1/laboratory/collection-list',
    {
      preHandler: collect,
      schema: {
        tags,
        summary: 'Samples awaiting collection, STAT first; by ward or setting (opd, ipd, emergency, walk-in)',
        querystring: CollectionListQuery,
        response: { 200: z.array(LabCollectionItem), ...errors },
      },
    },
    async (request) => collectionList(request.ctx, request.query),
  );
  r.post(
    '/api/v1/laboratory/samples/:id/collect',
    {
      preHandler: collect,
      schema: {
        tags,
        summary: 'Record that the sample was drawn: by whom and when',
        params: IdParams,
        body: CollectSampleBody,
        response: { 200: LabRequest, ...errors },
      },
    },
    async (request) => collectSample(request.ctx, env, request.params.id, request.body),
  );
  r.get(
    '/api/v1/laboratory/samples/:id/label',
    {
      preHandler: collect,
      schema: {
        tags,
        summary:
          'The tube label (PDF, 50.8 x 25.4 mm): Code 128 of the accession, name, MRN, tests, container',
        params: IdParams,
        response: { 200: Binary, ...errors },
      },
    },
    async (request, reply) => {
      const label = await sampleLabelData(request.ctx, request.params.id);
      const pdf = await sampleLabelPdf(label);
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="${label.accession}.pdf"`)
        .send(pdf as unknown as string);
    },
  );
  r.post(
    '/api/v1/laboratory/samples/receive',
    {
      preHandler: processing,
      schema: {
        tags,
        summary: 'Receive a collected sample in the lab by its accession number (scanned)',
        body: ReceiveSampleBody,
        response: { 200: LabRequest, ...errors },
      },
    },
    async (request) => receiveSample(request.ctx, request.body.accession),
  );
  r.get(
    '/api/v1/laboratory/samples/by-accession/:accession',
    {
      preHandler: app.requirePermission('laboratory:process', 'laboratory:read'),
      schema: {
        tags,
        summary:
          'The tube with this accession (scanned), its request and patient, before it is received or rejected',
        params: LabAccessionParams,
        response: { 200: LabSampleLookup, ...errors },
      },
    },
    async (request) => sampleByAccession(request.ctx, request.params.accession),
  );
  r.post(
    '/api/v1/laboratory/samples/:id/reject',
    {
      preHandler: processing,
      schema: {
        tags,
        summary:
          'Reject a sample (haemolysed, clotted, insufficient, mislabelled): a new sample is asked for',
        params: IdParams,
        body: RejectSampleBody,
        response: { 200: LabRequest, ...errors },
      },
    },
    async (request) => rejectSample(request.ctx, request.params.id, request.body),
  );

  r.get(
    '/api/v1/laboratory/worklist',
    {
      preHandler: processing,
      schema: {
        tags,
        summary:
          "A section's received samples with results to enter, STAT first, with TAT target and elapsed",
        querystring: LabWorklistQuery,
        response: { 200: z.array(LabWorklistItem), ...errors },
      },
    },
    async (request) => worklist(request.ctx, request.query),
  );
  r.post(
    '/api/v1/laboratory/requests/:id/results',
    {
      preHandler: processing,
      schema: {
        tags,
        summary: 'Enter results (numbers get the unit, rounding, L/H/LL/HH flag and delta check)',
        params: IdParams,
        body: EnterResultsBody,
        response: { 200: LabRequest, ...errors },
      },
    },
    async (request) => enterResults(request.ctx, request.params.id, request.body),
  );
  r.post(
    '/api/v1/laboratory/requests/:id/validate',
    {
      preHandler: validate,
      schema: {
        tags,
        summary: 'Validate entered results (not by who entered them); the request completes when all are',
        params: IdParams,
        body: ValidateResultsBody,
        response: { 200: LabRequest, ...errors },
      },
    },
    async (request) => validateResults(request.ctx, env, request.params.id, request.body),
  );
  r.get(
    '/api/v1/laboratory/validation-queue',
    {
      preHandler: validate,
      schema: {
        tags,
        summary:
          'Results entered and awaiting validation, by section and priority: STAT first, then the oldest entry',
        querystring: LabValidationQueueQuery,
        response: { 200: z.array(LabValidationQueueItem), ...errors },
      },
    },
    async (request) => validationQueue(request.ctx, request.query),
  );
  r.post(
    '/api/v1/laboratory/results/:id/amend',
    {
      preHandler: validate,
      schema: {
        tags,
        summary: 'Amend a released result with a reason; the previous value is kept',
        params: IdParams,
        body: AmendResultBody,
        response: { 200: LabRequest, ...errors },
      },
    },
    async (request) => amendResult(request.ctx, env, request.params.id, request.body),
  );
  r.get(
    '/api/v1/laboratory/patients/:id/results',
    {
      preHandler: read,
      schema: {
        tags,
        summary: "A patient's released results per test over time (cumulative view)",
        params: IdParams,
        querystring: CumulativeQuery,
        response: { 200: CumulativeResults, ...errors },
      },
    },
    async (request) => cumulativeResults(request.ctx, request.params.id, request.query),
  );
  r.get(
    '/api/v1/laboratory/patients/:id/cumulative.pdf',
    {
      preHandler: read,
      schema: {
        tags,
        summary:
          'The cumulative report (PDF, A4 landscape): tests by section against collection times, latest first, with flags and ranges',
        params: IdParams,
        querystring: CumulativePdfQuery,
        response: { 200: Binary, ...errors },
      },
    },
    async (request, reply) => {
      const { pdf, mrn } = await cumulativeReportPdf(request.ctx, request.params.id, request.query);
      return reply
        .type('application/pdf')
        .header(
          'content-disposition',
          `inline; filename="lab-cumulative-${mrn.replace(/[^A-Za-z0-9-]/g, '')}.pdf"`,
        )
        .send(pdf as unknown as string);
    },
  );

  r.get(
    '/api/v1/laboratory/critical-alerts',
    {
      preHandler: read,
      schema: {
        tags,
        summary:
          'Critical values: mine=true those addressed to me (ordering doctor, or escalated to me); the lab sees all',
        querystring: LabCriticalAlertQuery,
        response: { 200: z.array(LabCriticalAlert), ...errors },
      },
    },
    async (request) => listCriticalAlerts(request.ctx, request.query),
  );
  r.post(
    '/api/v1/laboratory/critical-alerts/:id/acknowledge',
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'Acknowledge a critical value by reading it back (the read-back must contain the value)',
        params: IdParams,
        body: AcknowledgeCriticalBody,
        response: { 200: LabCriticalAlert, ...errors },
      },
    },
    async (request) => acknowledgeCriticalAlert(request.ctx, env.events, request.params.id, request.body),
  );
}
