import type { FastifyInstance } from 'fastify';
import type { FhirResourceCapability } from '../../../platform/fhir/capability-statement';
import { fhirBaseUrl, setResourceHeaders } from '../../../platform/fhir/fhir-http';
import { resourceIdOf, strictHandling } from '../../../platform/fhir/fhir-search';
import type { AppDeps } from '../../../platform/module';
import { readLocationResource, searchLocationResources } from './location-fhir.service';
import { locationSearchParams } from './location-search';

export const locationCapability: FhirResourceCapability = {
  type: 'Location',
  documentation:
    "In-patient beds, rooms and wards of the actor's facility (X-Facility-Id): physicalType bd / ro / wa, partOf " +
    'bed -> room -> ward, status active / inactive; beds carry operationalStatus (v2-0116: O occupied, U ' +
    'unoccupied or reserved, H housekeeping, K contaminated = an isolation bed being cleaned, I isolated = an ' +
    'occupied isolation bed, C closed = blocked or under maintenance). Searches are ordered by id and paged ' +
    'with _count (at most 100) and the _cursor of the next link; unknown parameters are ignored with a ' +
    'warning (Prefer: handling=strict refuses them).',
  interactions: ['read', 'search-type'],
  searchParams: locationSearchParams,
};

/** Location of /fhir/R4: read and search, with ipd:read. */
export async function ipdFhirRoutes(fhir: FastifyInstance, deps: AppDeps): Promise<void> {
  const read = fhir.requirePermission('ipd:read');
  const hide = { hide: true };

  fhir.get('/Location', { preHandler: read, schema: hide }, async (request) =>
    searchLocationResources(request.ctx, request.query as Record<string, unknown>, {
      base: fhirBaseUrl(request, deps.config.NEWHMS_PUBLIC_URL),
      strict: strictHandling(request),
    }),
  );
  fhir.get<{ Params: { id: string } }>(
    '/Location/:id',
    { preHandler: read, schema: hide },
    async (request, reply) => {
      const id = resourceIdOf('Location', request.params.id, 'IPD_LOCATION_NOT_FOUND');
      const resource = await readLocationResource(request.ctx, id);
      setResourceHeaders(reply, resource);
      return resource;
    },
  );
}
