import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FhirResourceCapability } from '../../../platform/fhir/capability-statement';
import { fhirBaseUrl, setResourceHeaders } from '../../../platform/fhir/fhir-http';
import { resourceIdOf, strictHandling, tokenParamAllows } from '../../../platform/fhir/fhir-search';
import type { FhirResourceProvider } from '../../../platform/fhir/resource-providers';
import type { AppDeps } from '../../../platform/module';
import {
  readLabDiagnosticReport,
  readLabObservation,
  readServiceRequestResource,
  readSpecimenResource,
  type SearchOptions,
  searchLabDiagnosticReports,
  searchLabObservations,
  searchServiceRequestResources,
  searchSpecimenResources,
} from './lab-fhir.service';
import {
  DIAGNOSTIC_SERVICE_SECTION,
  type FhirDiagnosticReport,
  type FhirLabObservation,
  OBSERVATION_CATEGORY,
} from './lab-resources';
import {
  diagnosticReportSearchParams,
  labObservationSearchParams,
  serviceRequestSearchParams,
  specimenSearchParams,
} from './lab-search';

const SEARCH_NOTE =
  "Within the actor's facility (X-Facility-Id). Searches are ordered by id and paged with _count (at most " +
  '100) and the _cursor of the next link; unknown parameters are ignored with a warning (Prefer: ' +
  'handling=strict refuses them).';

export const laboratoryCapabilities: FhirResourceCapability[] = [
  {
    type: 'ServiceRequest',
    documentation:
      'Laboratory requests (one per test or panel ordered): intent order, category SNOMED 108252007 ' +
      'Laboratory procedure, LOINC and our test code, priority routine | urgent | stat, status active, ' +
      "completed or revoked (cancelled, the reason in a note); basedOn names the encounter's order by " +
      `identifier. ${SEARCH_NOTE}`,
    interactions: ['read', 'search-type'],
    searchParams: serviceRequestSearchParams,
  },
  {
    type: 'Specimen',
    documentation:
      'Collected laboratory samples: the accession number (accessionIdentifier), specimen kind and tube, ' +
      'collector and collection time, receipt in the lab, the ServiceRequest. A rejected sample is ' +
      `unsatisfactory with the reason as condition and note. ${SEARCH_NOTE}`,
    interactions: ['read', 'search-type'],
    searchParams: specimenSearchParams,
  },
];

/** The laboratory's share of Observation: released results, with laboratory:read. */
export const labResultObservationProvider: FhirResourceProvider<FhirLabObservation> = {
  type: 'Observation',
  label: 'Laboratory results',
  permission: 'laboratory:read',
  capability: {
    documentation:
      "released (validated) results of the actor's facility, category laboratory: final, or amended with " +
      'the reason and the value reported before as notes; LOINC and our test code; UCUM valueQuantity, ' +
      'valueString for text, a culture as the organism with its susceptibilities as components; v3 ' +
      'interpretation; referenceRange; issued when validated; the specimen and the ServiceRequest. Results ' +
      'not yet validated are not served. A search needs patient, subject, encounter or _id.',
    searchParams: labObservationSearchParams,
  },
  searchParamNames: labObservationSearchParams.map((p) => p.name),
  applies: (query) => tokenParamAllows(query, 'category', OBSERVATION_CATEGORY, ['laboratory']),
  read: readLabObservation,
  search: searchLabObservations,
};

/** The laboratory's share of DiagnosticReport: requests with released results, with laboratory:read. */
export const labDiagnosticReportProvider: FhirResourceProvider<FhirDiagnosticReport> = {
  type: 'DiagnosticReport',
  label: 'Laboratory reports',
  permission: 'laboratory:read',
  capability: {
    documentation:
      "one per laboratory request of the actor's facility with released results (its id is the " +
      "ServiceRequest's), category v2-0074 LAB: partial while results are still to come, final, or " +
      'amended; the released Observations, their Specimens, the validators as performer and results ' +
      'interpreter. A search needs patient, subject, encounter or _id.',
    searchParams: diagnosticReportSearchParams,
  },
  searchParamNames: diagnosticReportSearchParams.map((p) => p.name),
  applies: (query) => tokenParamAllows(query, 'category', DIAGNOSTIC_SERVICE_SECTION, ['LAB']),
  read: readLabDiagnosticReport,
  search: searchLabDiagnosticReports,
};

function options(request: FastifyRequest, deps: AppDeps): SearchOptions {
  return { base: fhirBaseUrl(request, deps.config.NEWHMS_PUBLIC_URL), strict: strictHandling(request) };
}

/**
 * ServiceRequest and Specimen of /fhir/R4: read and search, with laboratory:read. Observation and
 * DiagnosticReport are shared types: see the providers above.
 */
export async function laboratoryFhirRoutes(fhir: FastifyInstance, deps: AppDeps): Promise<void> {
  const read = fhir.requirePermission('laboratory:read');
  const hide = { hide: true };
  type ById = { Params: { id: string } };

  fhir.get('/ServiceRequest', { preHandler: read, schema: hide }, async (request) =>
    searchServiceRequestResources(
      request.ctx,
      request.query as Record<string, unknown>,
      options(request, deps),
    ),
  );
  fhir.get<ById>('/ServiceRequest/:id', { preHandler: read, schema: hide }, async (request, reply) => {
    const id = resourceIdOf('ServiceRequest', request.params.id, 'LAB_REQUEST_NOT_FOUND');
    const resource = await readServiceRequestResource(request.ctx, id);
    setResourceHeaders(reply, resource);
    return resource;
  });

  fhir.get('/Specimen', { preHandler: read, schema: hide }, async (request) =>
    searchSpecimenResources(request.ctx, request.query as Record<string, unknown>, options(request, deps)),
  );
  fhir.get<ById>('/Specimen/:id', { preHandler: read, schema: hide }, async (request, reply) => {
    const id = resourceIdOf('Specimen', request.params.id, 'LAB_SAMPLE_NOT_FOUND');
    const resource = await readSpecimenResource(request.ctx, id);
    setResourceHeaders(reply, resource);
    return resource;
  });
}
