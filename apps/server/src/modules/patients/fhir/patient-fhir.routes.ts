import type { FastifyInstance, FastifyRequest } from 'fastify';
import { loadFieldCipher } from '../../../platform/crypto/field-cipher';
import type { FhirResourceCapability } from '../../../platform/fhir/capability-statement';
import { fhirBaseUrl, requireIfMatch, setResourceHeaders } from '../../../platform/fhir/fhir-http';
import { FhirError, issueAt } from '../../../platform/fhir/operation-outcome';
import type { AppDeps } from '../../../platform/module';
import type { PatientsEnv } from '../patients.service';
import {
  createPatientFromFhir,
  patientHistoryBundle,
  patientIdOf,
  readPatientResource,
  readPatientVersion,
  searchPatientResources,
  updatePatientFromFhir,
} from './patient-fhir.service';
import { type FhirPatient, toFhirPatient } from './patient-resource';
import { patientSearchParams } from './patient-search';

export const patientCapability: FhirResourceCapability = {
  type: 'Patient',
  documentation:
    'The master patient index. Identifier systems: MRN https://newhms.dev/fhir/sid/mrn (read-only), ABHA number ' +
    'https://healthid.ndhm.gov.in, ABHA address https://healthid.abdm.gov.in/abha-address, Aadhaar ' +
    'https://uidai.gov.in/aadhaar, passport, voter id, driving licence, insurance member and temporary under ' +
    'https://newhms.dev/fhir/sid/. National ids are returned masked (meta.security MASKED); send the masked ' +
    'value back to keep one. Create answers 409 with the candidate records when the patient may already be ' +
    'registered, unless X-Duplicate-Override-Reason is sent. Update needs If-Match (428 without, 412 when stale). ' +
    'Merged records are inactive with link replaced-by.',
  interactions: ['read', 'vread', 'update', 'history-instance', 'create', 'search-type'],
  versionedUpdate: true,
  conditionalCreate: true,
  searchParams: patientSearchParams,
};

const VERSION = /^\d{1,9}$/;

function single(request: FastifyRequest, header: string): string | undefined {
  const v = request.headers[header];
  return Array.isArray(v) ? v[0] : v;
}

/** The Patient endpoints of /fhir/R4, with the permissions of the REST API. */
export async function patientFhirRoutes(fhir: FastifyInstance, deps: AppDeps): Promise<void> {
  const env: PatientsEnv = {
    cipher: await loadFieldCipher(deps.database.db, deps.config),
    events: deps.events,
  };
  const read = fhir.requirePermission('patients:read');
  const register = fhir.requirePermission('patients:register');
  const update = fhir.requirePermission('patients:update');
  const base = (request: FastifyRequest) => fhirBaseUrl(request, deps.config.NEWHMS_PUBLIC_URL);
  const hide = { hide: true };
  const locationOf = (request: FastifyRequest, p: FhirPatient) =>
    `${base(request)}/Patient/${p.id}/_history/${p.meta.versionId}`;

  fhir.get('/Patient', { preHandler: read, schema: hide }, async (request) =>
    searchPatientResources(request.ctx, env, request.query as Record<string, unknown>, {
      base: base(request),
      strict: /\bhandling\s*=\s*strict\b/i.test(single(request, 'prefer') ?? ''),
    }),
  );

  fhir.get<{ Params: { id: string } }>(
    '/Patient/:id',
    { preHandler: read, schema: hide },
    async (request, reply) => {
      const resource = await readPatientResource(request.ctx, patientIdOf(request.params.id));
      setResourceHeaders(reply, resource);
      return resource;
    },
  );

  fhir.get<{ Params: { id: string } }>(
    '/Patient/:id/_history',
    { preHandler: read, schema: hide },
    async (request) =>
      patientHistoryBundle(
        request.ctx,
        patientIdOf(request.params.id),
        request.query as Record<string, unknown>,
        base(request),
      ),
  );

  fhir.get<{ Params: { id: string; vid: string } }>(
    '/Patient/:id/_history/:vid',
    { preHandler: read, schema: hide },
    async (request, reply) => {
      const id = patientIdOf(request.params.id);
      if (!VERSION.test(request.params.vid)) {
        throw new FhirError(404, [
          {
            severity: 'error',
            code: 'not-found',
            details: { text: `Patient/${id} has no version ${request.params.vid.slice(0, 20)}` },
          },
        ]);
      }
      const resource = await readPatientVersion(request.ctx, id, Number(request.params.vid));
      setResourceHeaders(reply, resource);
      return resource;
    },
  );

  fhir.post(
    '/Patient',
    { preHandler: register, schema: hide, config: { idempotent: true } },
    async (request, reply) => {
      const reason = single(request, 'x-duplicate-override-reason')?.trim();
      if (reason !== undefined && (reason.length < 3 || reason.length > 300)) {
        throw new FhirError(400, [
          issueAt('X-Duplicate-Override-Reason', 'the reason is 3 to 300 characters', 'invalid'),
        ]);
      }
      const result = await createPatientFromFhir(request.ctx, env, request.body, {
        overrideReason: reason,
        ifNoneExist: single(request, 'if-none-exist'),
      });
      setResourceHeaders(
        reply,
        result.resource,
        result.created ? locationOf(request, result.resource) : undefined,
      );
      return reply.status(result.created ? 201 : 200).send(result.resource);
    },
  );

  fhir.put<{ Params: { id: string } }>(
    '/Patient/:id',
    { preHandler: update, schema: hide },
    async (request, reply) => {
      const id = patientIdOf(request.params.id);
      const version = requireIfMatch(request);
      const patient = await updatePatientFromFhir(request.ctx, env, id, request.body, version);
      const resource = toFhirPatient(patient);
      setResourceHeaders(reply, resource, locationOf(request, resource));
      return resource;
    },
  );
}
