import type { FastifyInstance } from 'fastify';
import type { FhirResourceCapability } from '../../../platform/fhir/capability-statement';
import { fhirBaseUrl, setResourceHeaders } from '../../../platform/fhir/fhir-http';
import { strictHandling } from '../../../platform/fhir/fhir-search';
import type { AppDeps } from '../../../platform/module';
import {
  readMedicationRequestResource,
  searchMedicationRequestResources,
} from './medication-request-fhir.service';
import { medicationRequestSearchParams } from './medication-request-search';

export const medicationRequestCapability: FhirResourceCapability = {
  type: 'MedicationRequest',
  documentation:
    "Prescription lines of the actor's facility (X-Facility-Id), one MedicationRequest per line with the id " +
    '<prescription id>-<line number>; the lines of one prescription share its number as groupIdentifier. ' +
    'Intent order; category outpatient or inpatient; the medication is our formulary code with its ATC code; ' +
    'the requester is the prescriber by name (display). Statuses active, completed, stopped (with the reason), ' +
    'cancelled. Searches are ordered by id and paged with _count (at most 100) and the _cursor of the next ' +
    'link; unknown parameters are ignored with a warning (Prefer: handling=strict refuses them).',
  interactions: ['read', 'search-type'],
  searchParams: medicationRequestSearchParams,
};

/** MedicationRequest of /fhir/R4: read and search, with pharmacy:read. */
export async function medicationRequestFhirRoutes(fhir: FastifyInstance, deps: AppDeps): Promise<void> {
  const read = fhir.requirePermission('pharmacy:read');
  const hide = { hide: true };

  fhir.get('/MedicationRequest', { preHandler: read, schema: hide }, async (request) =>
    searchMedicationRequestResources(request.ctx, request.query as Record<string, unknown>, {
      base: fhirBaseUrl(request, deps.config.NEWHMS_PUBLIC_URL),
      strict: strictHandling(request),
    }),
  );
  fhir.get<{ Params: { id: string } }>(
    '/MedicationRequest/:id',
    { preHandler: read, schema: hide },
    async (request, reply) => {
      const resource = await readMedicationRequestResource(request.ctx, request.params.id);
      setResourceHeaders(reply, resource);
      return resource;
    },
  );
}
