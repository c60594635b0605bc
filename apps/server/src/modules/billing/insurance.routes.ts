import {
  AccountPolicy,
  AgingQuery,
  AttachPolicyBody,
  ClaimApproveBody,
  ClaimBody,
  ClaimCancelBody,
  ClaimFhirBundle,
  ClaimQuery,
  ClaimSettleBody,
  ClaimWriteOffBody,
  IdParams,
  INSURANCE_DOCUMENT_BODY_LIMIT,
  InsuranceClaimDetail,
  InsuranceClaimPage,
  InsuranceDocument,
  InsuranceDocumentUploadBody,
  InsuranceNoteBody,
  InsurancePolicy,
  InsurancePolicyPage,
  PatientDuesReport,
  Payer,
  PayerAgingReport,
  PayerBody,
  PayerList,
  PayerPlan,
  PayerPlanBody,
  PayerPlanList,
  PayerQuery,
  PolicyBody,
  PolicyDocumentBody,
  PolicyQuery,
  PreauthApproveBody,
  PreauthBody,
  PreauthDetail,
  PreauthEnhanceBody,
  PreauthPage,
  PreauthQuery,
  Problem,
  UpdatePayerBody,
  UpdatePayerPlanBody,
  UpdatePolicyBody,
} from '@newhms/contracts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { fhirBaseUrl } from '../../platform/fhir/fhir-http';
import { expectedVersion, setEtag } from '../../platform/http/etag';
import type { AppDeps } from '../../platform/module';
import * as aging from './aging.service';
import type { BillingEnv } from './billing.env';
import * as claims from './claims.service';
import { claimBundle } from './fhir/claim-fhir';
import { readClaimWithCoverage } from './fhir/claim-fhir.service';
import * as documents from './insurance-documents.service';
import * as payers from './payers.service';
import * as policies from './policies.service';
import * as preauths from './preauths.service';

const errors = {
  400: Problem,
  401: Problem,
  403: Problem,
  404: Problem,
  409: Problem,
  412: Problem,
  422: Problem,
};
const tags = ['billing-insurance'];
/** A binary body (PDF, image); Fastify sends Buffers as they are, the schema only documents it. */
const Binary = z.string().meta({ format: 'binary' });
const binary = (b: Buffer) => b as unknown as string;
const base = '/api/v1/billing';

/** The version a write expects: If-Match wins over the body's (a mismatch of the two is 412). */
function versionOf<T extends { version: number }>(request: FastifyRequest, body: T): T {
  return { ...body, version: expectedVersion(request, body.version) ?? body.version };
}

function withEtag<T extends { version: number }>(reply: FastifyReply, value: T): T {
  setEtag(reply, value.version);
  return value;
}

/** Payers and plans, policies, pre-authorizations, claims and settlement, aging of receivables. */
export async function insuranceRoutes(app: FastifyInstance, env: BillingEnv): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const read = app.requirePermission('billing:read', 'billing:insurance');
  const manage = app.requirePermission('billing:manage');
  const insurance = app.requirePermission('billing:insurance');
  const approve = app.requirePermission('billing:approve');
  const reports = app.requirePermission('billing:reports');
  // The app decorates itself with its deps (app.ts); the bundle's fullUrls start at the public URL.
  const publicUrl = (app as unknown as { deps?: AppDeps }).deps?.config.NEWHMS_PUBLIC_URL;

  // ---------------------------------------------------------------------------------------------------
  // Payers and plans
  // ---------------------------------------------------------------------------------------------------

  r.get(
    `${base}/payers`,
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'Payers of this facility',
        querystring: PayerQuery,
        response: { 200: PayerList, ...errors },
      },
    },
    async (request) => ({ items: await payers.listPayers(request.ctx, request.query) }),
  );
  r.post(
    `${base}/payers`,
    {
      preHandler: manage,
      config: { idempotent: true },
      schema: {
        tags,
        summary: 'Add a payer (insurer, TPA, corporate, government scheme)',
        body: PayerBody,
        response: { 201: Payer, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(withEtag(reply, await payers.createPayer(request.ctx, request.body))),
  );
  r.get(
    `${base}/payers/:id`,
    {
      preHandler: read,
      schema: { tags, summary: 'A payer', params: IdParams, response: { 200: Payer, ...errors } },
    },
    async (request, reply) => withEtag(reply, await payers.getPayer(request.ctx, request.params.id)),
  );
  r.patch(
    `${base}/payers/:id`,
    {
      preHandler: manage,
      schema: {
        tags,
        summary: 'Edit or deactivate a payer (version or If-Match)',
        params: IdParams,
        body: UpdatePayerBody,
        response: { 200: Payer, ...errors },
      },
    },
    async (request, reply) =>
      withEtag(
        reply,
        await payers.updatePayer(request.ctx, request.params.id, versionOf(request, request.body)),
      ),
  );
  r.get(
    `${base}/payers/:id/plans`,
    {
      preHandler: read,
      schema: {
        tags,
        summary: "A payer's plans",
        params: IdParams,
        response: { 200: PayerPlanList, ...errors },
      },
    },
    async (request) => ({ items: await payers.listPlans(request.ctx, request.params.id) }),
  );
  r.post(
    `${base}/payers/:id/plans`,
    {
      preHandler: manage,
      config: { idempotent: true },
      schema: {
        tags,
        summary: 'Add a plan to a payer (co-pay, room-rent limit, non-payable groups and codes)',
        params: IdParams,
        body: PayerPlanBody,
        response: { 201: PayerPlan, ...errors },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(withEtag(reply, await payers.createPlan(request.ctx, request.params.id, request.body))),
  );
  r.get(
    `${base}/plans/:id`,
    {
      preHandler: read,
      schema: { tags, summary: 'A payer plan', params: IdParams, response: { 200: PayerPlan, ...errors } },
    },
    async (request, reply) => withEtag(reply, await payers.getPlan(request.ctx, request.params.id)),
  );
  r.patch(
    `${base}/plans/:id`,
    {
      preHandler: manage,
      schema: {
        tags,
        summary: 'Edit or deactivate a payer plan (version or If-Match)',
        params: IdParams,
        body: UpdatePayerPlanBody,
        response: { 200: PayerPlan, ...errors },
      },
    },
    async (request, reply) =>
      withEtag(
        reply,
        await payers.updatePlan(request.ctx, request.params.id, versionOf(request, request.body)),
      ),
  );

  // ---------------------------------------------------------------------------------------------------
  // Policies
  // ---------------------------------------------------------------------------------------------------

  r.get(
    `${base}/policies`,
    {
      preHandler: insurance,
      schema: {
        tags,
        summary: "Patients' policies (by patient, payer, status)",
        querystring: PolicyQuery,
        response: { 200: InsurancePolicyPage, ...errors },
      },
    },
    async (request) => policies.listPolicies(request.ctx, request.query),
  );
  r.post(
    `${base}/policies`,
    {
      preHandler: insurance,
      config: { idempotent: true },
      schema: {
        tags,
        summary: "Record a patient's policy (or corporate / scheme eligibility)",
        body: PolicyBody,
        response: { 201: InsurancePolicy, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(withEtag(reply, await policies.createPolicy(request.ctx, request.body))),
  );
  r.get(
    `${base}/policies/:id`,
    {
      preHandler: insurance,
      schema: {
        tags,
        summary: 'A policy with its balance',
        params: IdParams,
        response: { 200: InsurancePolicy, ...errors },
      },
    },
    async (request, reply) => withEtag(reply, await policies.getPolicy(request.ctx, request.params.id)),
  );
  r.patch(
    `${base}/policies/:id`,
    {
      preHandler: insurance,
      schema: {
        tags,
        summary: 'Edit a policy (version or If-Match); the sum insured never drops below what is used',
        params: IdParams,
        body: UpdatePolicyBody,
        response: { 200: InsurancePolicy, ...errors },
      },
    },
    async (request, reply) =>
      withEtag(
        reply,
        await policies.updatePolicy(request.ctx, request.params.id, versionOf(request, request.body)),
      ),
  );
  r.post(
    `${base}/policies/:id/documents`,
    {
      preHandler: insurance,
      schema: {
        tags,
        summary: 'Add a document (card, ID proof, letter) to a policy',
        params: IdParams,
        body: PolicyDocumentBody,
        response: { 200: InsurancePolicy, ...errors },
      },
    },
    async (request, reply) =>
      withEtag(reply, await policies.addPolicyDocument(request.ctx, request.params.id, request.body)),
  );
  r.put(
    `${base}/accounts/:id/policy`,
    {
      preHandler: insurance,
      schema: {
        tags,
        summary: 'Bill an account to a policy valid on the service date (null: back to cash)',
        params: IdParams,
        body: AttachPolicyBody,
        response: { 200: AccountPolicy, ...errors },
      },
    },
    async (request, reply) => {
      const version = expectedVersion(request, request.body.version);
      return withEtag(
        reply,
        await policies.attachPolicy(request.ctx, request.params.id, { ...request.body, version }),
      );
    },
  );

  // ---------------------------------------------------------------------------------------------------
  // Pre-authorizations
  // ---------------------------------------------------------------------------------------------------

  r.get(
    `${base}/preauths`,
    {
      preHandler: insurance,
      schema: {
        tags,
        summary: 'Pre-authorizations (by account, patient, status)',
        querystring: PreauthQuery,
        response: { 200: PreauthPage, ...errors },
      },
    },
    async (request) => preauths.listPreauths(request.ctx, request.query),
  );
  r.post(
    `${base}/preauths`,
    {
      preHandler: insurance,
      config: { idempotent: true },
      schema: {
        tags,
        summary: 'Request a pre-authorization for an account (numbered PA/<year>/nnnnn)',
        body: PreauthBody,
        response: { 201: PreauthDetail, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(withEtag(reply, await preauths.requestPreauth(request.ctx, env, request.body))),
  );
  r.get(
    `${base}/preauths/:id`,
    {
      preHandler: insurance,
      schema: {
        tags,
        summary: 'A pre-authorization with its history',
        params: IdParams,
        response: { 200: PreauthDetail, ...errors },
      },
    },
    async (request, reply) => withEtag(reply, await preauths.getPreauth(request.ctx, request.params.id)),
  );
  const preauthSteps: [string, string, z.ZodType, typeof preauths.approvePreauth][] = [
    ['query', 'Record a query from the payer', InsuranceNoteBody, preauths.raisePreauthQuery],
    [
      'answer',
      "Record the hospital's answer to the query (back to submitted)",
      InsuranceNoteBody,
      preauths.answerPreauthQuery,
    ],
    [
      'approve',
      'Record the approval (all or part of the request; the new total for an enhancement)',
      PreauthApproveBody,
      preauths.approvePreauth,
    ],
    [
      'deny',
      'Record a denial (an enhancement denied keeps the earlier approval)',
      InsuranceNoteBody,
      preauths.denyPreauth,
    ],
    [
      'enhance',
      'Ask for more than was approved (an enhancement)',
      PreauthEnhanceBody,
      preauths.enhancePreauth,
    ],
    ['cancel', 'Cancel the pre-authorization', InsuranceNoteBody, preauths.cancelPreauth],
  ] as unknown as [string, string, z.ZodType, typeof preauths.approvePreauth][];
  for (const [step, summary, body, run] of preauthSteps) {
    r.post(
      `${base}/preauths/:id/${step}`,
      {
        preHandler: insurance,
        schema: {
          tags,
          summary: `${summary} (version or If-Match)`,
          params: IdParams,
          body,
          response: { 200: PreauthDetail, ...errors },
        },
      },
      async (request, reply) =>
        withEtag(
          reply,
          await run(
            request.ctx,
            env,
            request.params.id,
            versionOf(request, request.body as z.output<typeof PreauthApproveBody>),
          ),
        ),
    );
  }

  // ---------------------------------------------------------------------------------------------------
  // Claims
  // ---------------------------------------------------------------------------------------------------

  r.get(
    `${base}/claims`,
    {
      preHandler: insurance,
      schema: {
        tags,
        summary: 'Claims (by payer, patient, status)',
        querystring: ClaimQuery,
        response: { 200: InsuranceClaimPage, ...errors },
      },
    },
    async (request) => claims.listClaims(request.ctx, request.query),
  );
  r.post(
    `${base}/claims`,
    {
      preHandler: insurance,
      config: { idempotent: true },
      schema: {
        tags,
        summary: "Submit a claim for a final IPD bill's payer share (numbered CL/<year>/nnnnn)",
        body: ClaimBody,
        response: { 201: InsuranceClaimDetail, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(withEtag(reply, await claims.submitClaim(request.ctx, env, request.body))),
  );
  r.get(
    `${base}/claims/:id`,
    {
      preHandler: insurance,
      schema: {
        tags,
        summary: 'A claim with its settlement and history',
        params: IdParams,
        response: { 200: InsuranceClaimDetail, ...errors },
      },
    },
    async (request, reply) => withEtag(reply, await claims.getClaim(request.ctx, request.params.id)),
  );
  r.get(
    `${base}/claims/:id/fhir`,
    {
      preHandler: insurance,
      schema: {
        tags,
        summary: 'The claim as a FHIR R4 Claim with its Coverage (a collection Bundle for an exchange)',
        params: IdParams,
        response: { 200: ClaimFhirBundle, ...errors },
      },
    },
    async (request) => {
      const { claim, coverage } = await readClaimWithCoverage(request.ctx, request.params.id);
      const fhirBase = fhirBaseUrl(request, publicUrl);
      return claimBundle(fhirBase, claim, coverage, request.ctx.now);
    },
  );
  const claimSteps = [
    ['query', 'Record a query from the payer', InsuranceNoteBody, insurance, claims.raiseClaimQuery],
    [
      'answer',
      "Record the hospital's answer (back to submitted)",
      InsuranceNoteBody,
      insurance,
      claims.answerClaimQuery,
    ],
    [
      'approve',
      "Record the payer's approval (all: approved; less: partially approved)",
      ClaimApproveBody,
      insurance,
      claims.approveClaim,
    ],
    ['deny', 'Record a denial', InsuranceNoteBody, insurance, claims.denyClaim],
    [
      'settle',
      'Record the settlement: money received (UTR), TDS, disallowances; issues the receipt',
      ClaimSettleBody,
      insurance,
      claims.settleClaim,
    ],
    [
      'write-off',
      'Write off what remains (billing:approve, not the submitter); closes the claim',
      ClaimWriteOffBody,
      approve,
      claims.writeOffClaim,
    ],
    ['cancel', 'Cancel a claim not yet decided', ClaimCancelBody, insurance, claims.cancelClaim],
  ] as unknown as [string, string, z.ZodType, typeof insurance, typeof claims.approveClaim][];
  for (const [step, summary, body, permission, run] of claimSteps) {
    r.post(
      `${base}/claims/:id/${step}`,
      {
        preHandler: permission,
        schema: {
          tags,
          summary: `${summary} (version or If-Match)`,
          params: IdParams,
          body,
          response: { 200: InsuranceClaimDetail, ...errors },
        },
      },
      async (request, reply) =>
        withEtag(
          reply,
          await run(
            request.ctx,
            env,
            request.params.id,
            versionOf(request, request.body as z.output<typeof ClaimApproveBody>),
          ),
        ),
    );
  }

  // ---------------------------------------------------------------------------------------------------
  // Files of policies, pre-authorizations and claims (PDF, JPEG, PNG; at most 5 MB; never deleted)
  // ---------------------------------------------------------------------------------------------------

  for (const [segment, target, what] of [
    ['policies', 'policy', 'a policy (card, ID proof)'],
    ['preauths', 'preauth', 'a pre-authorization (prescription, reports, estimate)'],
    ['claims', 'claim', 'a claim (discharge summary, bills, reports)'],
  ] as const) {
    r.post(
      `${base}/${segment}/:id/files`,
      {
        preHandler: insurance,
        bodyLimit: INSURANCE_DOCUMENT_BODY_LIMIT,
        config: { idempotent: true },
        schema: {
          tags,
          summary: `Upload a file to ${what}: PDF, JPEG or PNG (by its bytes), base64, at most 5 MB`,
          params: IdParams,
          body: InsuranceDocumentUploadBody,
          response: { 201: InsuranceDocument, 413: Problem, ...errors },
        },
      },
      async (request, reply) =>
        reply
          .status(201)
          .send(await documents.uploadDocument(request.ctx, target, request.params.id, request.body)),
    );
  }
  r.get(
    `${base}/insurance-documents/:id`,
    {
      preHandler: insurance,
      schema: {
        tags,
        summary: "An uploaded file's metadata (name, kind, type, size, SHA-256, who uploaded it)",
        params: IdParams,
        response: { 200: InsuranceDocument, ...errors },
      },
    },
    async (request) => documents.getDocument(request.ctx, request.params.id),
  );
  r.get(
    `${base}/insurance-documents/:id/content`,
    {
      preHandler: insurance,
      schema: {
        tags,
        summary: 'The bytes of an uploaded file, with their content type (shown inline)',
        params: IdParams,
        response: { 200: Binary, ...errors },
      },
    },
    async (request, reply) => {
      const { document, content } = await documents.getDocumentContent(request.ctx, request.params.id);
      return reply
        .header('content-type', document.contentType)
        .header('content-disposition', documents.inlineDisposition(document.name, document.contentType))
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        .send(binary(content));
    },
  );

  // ---------------------------------------------------------------------------------------------------
  // Aging
  // ---------------------------------------------------------------------------------------------------

  r.get(
    `${base}/aging/payers`,
    {
      preHandler: reports,
      schema: {
        tags,
        summary: 'What payers owe on open claims, by days since submission (0-30 ... over 180)',
        querystring: AgingQuery,
        response: { 200: PayerAgingReport, ...errors },
      },
    },
    async (request) => aging.payerAging(request.ctx, request.query),
  );
  r.get(
    `${base}/aging/patients`,
    {
      preHandler: reports,
      schema: {
        tags,
        summary: "Patients' dues on final bills, by days since the bill was issued",
        querystring: AgingQuery,
        response: { 200: PatientDuesReport, ...errors },
      },
    },
    async (request) => aging.patientDues(request.ctx, request.query),
  );
}
