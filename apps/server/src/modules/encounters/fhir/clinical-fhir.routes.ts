import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FhirResourceCapability } from '../../../platform/fhir/capability-statement';
import { fhirBaseUrl, setResourceHeaders } from '../../../platform/fhir/fhir-http';
import { resourceIdOf, strictHandling } from '../../../platform/fhir/fhir-search';
import type { AppDeps } from '../../../platform/module';
import {
  readConditionResource,
  readEncounterResource,
  type SearchOptions,
  searchConditionResources,
  searchEncounterResources,
} from './clinical-fhir.service';
import { conditionSearchParams, encounterSearchParams } from './clinical-search';

const SEARCH_NOTE =
  'Searches are ordered by id and paged with _count (at most 100) and the _cursor of the next link; ' +
  'unknown parameters are ignored with a warning (Prefer: handling=strict refuses them).';

export const clinicalCapabilities: FhirResourceCapability[] = [
  {
    type: 'Encounter',
    documentation:
      'OPD visits (class AMB), IPD stays (IMP) and ER visits (EMER). The practitioner is a participant ' +
      'Practitioner/<id> (PPRF) with the name as display; diagnosis lists the Conditions, the primary one ' +
      `rank 1. ${SEARCH_NOTE}`,
    interactions: ['read', 'search-type'],
    searchParams: encounterSearchParams,
  },
  {
    type: 'Condition',
    documentation:
      'Encounter diagnoses coded in ICD-10-CM: verificationStatus provisional or confirmed (final), ' +
      'clinicalStatus active or resolved; entered-in-error ones keep that verificationStatus and no clinical ' +
      `status. A search needs patient, subject, encounter or _id. ${SEARCH_NOTE}`,
    interactions: ['read', 'search-type'],
    searchParams: conditionSearchParams,
  },
];

function options(request: FastifyRequest, deps: AppDeps): SearchOptions {
  return { base: fhirBaseUrl(request, deps.config.NEWHMS_PUBLIC_URL), strict: strictHandling(request) };
}

/**
 * Encounter and Condition of /fhir/R4: read and search, with encounters:read. Observation is a type several
 * modules serve: the encounters' share is vitalSignsObservationProvider (observation-provider.ts).
 */
export async function clinicalFhirRoutes(fhir: FastifyInstance, deps: AppDeps): Promise<void> {
  const read = fhir.requirePermission('encounters:read');
  const hide = { hide: true };
  type ById = { Params: { id: string } };

  fhir.get('/Encounter', { preHandler: read, schema: hide }, async (request) =>
    searchEncounterResources(request.ctx, request.query as Record<string, unknown>, options(request, deps)),
  );
  fhir.get<ById>('/Encounter/:id', { preHandler: read, schema: hide }, async (request, reply) => {
    const id = resourceIdOf('Encounter', request.params.id, 'ENCOUNTER_NOT_FOUND');
    const resource = await readEncounterResource(request.ctx, id);
    setResourceHeaders(reply, resource);
    return resource;
  });

  fhir.get('/Condition', { preHandler: read, schema: hide }, async (request) =>
    searchConditionResources(request.ctx, request.query as Record<string, unknown>, options(request, deps)),
  );
  fhir.get<ById>('/Condition/:id', { preHandler: read, schema: hide }, async (request, reply) => {
    const resource = await readConditionResource(
      request.ctx,
      resourceIdOf('Condition', request.params.id, 'DIAGNOSIS_NOT_FOUND'),
    );
    setResourceHeaders(reply, resource);
    return resource;
  });
}
