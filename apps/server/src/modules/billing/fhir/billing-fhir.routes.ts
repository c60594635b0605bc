import type { FastifyInstance } from 'fastify';
import type { FhirResourceCapability } from '../../../platform/fhir/capability-statement';
import { setResourceHeaders } from '../../../platform/fhir/fhir-http';
import { resourceIdOf } from '../../../platform/fhir/fhir-search';
import type { AppDeps } from '../../../platform/module';
import { readClaimResource, readCoverageResource } from './claim-fhir.service';

export const claimCapability: FhirResourceCapability = {
  type: 'Claim',
  documentation:
    'Claims to insurers and TPAs from final in-patient bills (institutional, use claim): insurance points to the ' +
    "Coverage (the patient's policy) with the pre-authorization number as preAuthRef; items are the bill's lines " +
    'the payer is asked to pay (productOrService in https://newhms.example/fhir/CodeSystem/billing-service, net = ' +
    "the payer's part in INR); total is the amount claimed. GET /api/v1/billing/claims/{id}/fhir returns the " +
    'Claim with its Coverage as a collection Bundle for an exchange. Needs billing:insurance.',
  interactions: ['read'],
  searchParams: [],
};

export const coverageCapability: FhirResourceCapability = {
  type: 'Coverage',
  documentation:
    "A patient's insurance policy, corporate or government scheme eligibility: subscriberId is the member id, " +
    'payor the insurer (then the TPA) by payer code, class plan the payer plan, period the validity. Needs ' +
    'billing:insurance.',
  interactions: ['read'],
  searchParams: [],
};

/** The FHIR resources of billing, listed in the CapabilityStatement. */
export const billingFhirResources: readonly FhirResourceCapability[] = [claimCapability, coverageCapability];

/** Claim and Coverage of /fhir/R4: read, with billing:insurance; each read is audited. */
export async function billingFhirRoutes(fhir: FastifyInstance, _deps: AppDeps): Promise<void> {
  const read = fhir.requirePermission('billing:insurance');
  const hide = { hide: true };

  fhir.get<{ Params: { id: string } }>(
    '/Claim/:id',
    { preHandler: read, schema: hide },
    async (request, reply) => {
      const id = resourceIdOf('Claim', request.params.id, 'BILLING_FHIR_NOT_FOUND');
      const resource = await readClaimResource(request.ctx, id);
      setResourceHeaders(reply, resource);
      return resource;
    },
  );
  fhir.get<{ Params: { id: string } }>(
    '/Coverage/:id',
    { preHandler: read, schema: hide },
    async (request, reply) => {
      const id = resourceIdOf('Coverage', request.params.id, 'BILLING_FHIR_NOT_FOUND');
      const resource = await readCoverageResource(request.ctx, id);
      setResourceHeaders(reply, resource);
      return resource;
    },
  );
}
