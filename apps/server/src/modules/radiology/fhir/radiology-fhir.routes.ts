import type { FastifyInstance } from 'fastify';
import type { FhirResourceCapability } from '../../../platform/fhir/capability-statement';
import { fhirBaseUrl, setResourceHeaders } from '../../../platform/fhir/fhir-http';
import { parseToken, resourceIdOf, strictHandling } from '../../../platform/fhir/fhir-search';
import type { FhirResourceProvider } from '../../../platform/fhir/resource-providers';
import type { AppDeps } from '../../../platform/module';
import {
  readImagingStudyResource,
  readRadiologyDiagnosticReport,
  searchImagingStudyResources,
  searchRadiologyDiagnosticReports,
} from './radiology-fhir.service';
import type { FhirDiagnosticReport } from './radiology-resources';
import {
  diagnosticReportSearchParams,
  imagingStudySearchParams,
  isRadiologyCategory,
} from './radiology-search';

export const imagingStudyCapability: FhirResourceCapability = {
  type: 'ImagingStudy',
  documentation:
    "Radiology studies of the actor's facility (X-Facility-Id) that have started: registered while in progress, " +
    'available once completed. Identifiers: the accession number (https://newhms.dev/fhir/sid/radiology-accession, ' +
    'type ACSN) and the DICOM Study Instance UID (urn:dicom:uid, urn:oid:...). Modality in DICOM codes (plain ' +
    'radiography is DX); procedureCode in https://newhms.dev/fhir/CodeSystem/radiology-procedure. No series or ' +
    'instances: the images are in the PACS. Searches are ordered by id and paged with _count (at most 100) and ' +
    'the _cursor of the next link; unknown parameters are ignored with a warning (Prefer: handling=strict ' +
    'refuses them).',
  interactions: ['read', 'search-type'],
  searchParams: imagingStudySearchParams,
};

/** ImagingStudy of /fhir/R4: read and search, with radiology:read. */
export async function radiologyFhirRoutes(fhir: FastifyInstance, deps: AppDeps): Promise<void> {
  const read = fhir.requirePermission('radiology:read');
  const hide = { hide: true };
  fhir.get('/ImagingStudy', { preHandler: read, schema: hide }, async (request) =>
    searchImagingStudyResources(request.ctx, request.query as Record<string, unknown>, {
      base: fhirBaseUrl(request, deps.config.NEWHMS_PUBLIC_URL),
      strict: strictHandling(request),
    }),
  );
  fhir.get<{ Params: { id: string } }>(
    '/ImagingStudy/:id',
    { preHandler: read, schema: hide },
    async (request, reply) => {
      const resource = await readImagingStudyResource(
        request.ctx,
        resourceIdOf('ImagingStudy', request.params.id, 'IMAGING_STUDY_NOT_FOUND'),
      );
      setResourceHeaders(reply, resource);
      return resource;
    },
  );
}

/** Whether a query's category (every repetition of it) can name radiology; no category: yes. */
function categoryAllowsRadiology(query: Record<string, unknown>): boolean {
  const raw = query.category;
  if (raw === undefined) return true;
  return (Array.isArray(raw) ? raw : [raw]).map(String).every((value) => {
    // A malformed value is left to the search's parsing (400), not read as "nothing here".
    if (value.trim() === '' || value.length > 500) return true;
    return value
      .split(/(?<!\\),/)
      .some((v) => parseToken(v.trim()).code !== undefined && isRadiologyCategory(v));
  });
}

/**
 * Radiology's share of /fhir/R4/DiagnosticReport (the laboratory serves the other share): signed reports of the
 * actor's facility, with radiology:read. Skipped by a search whose category is not radiology.
 */
export const radiologyDiagnosticReportProvider: FhirResourceProvider<FhirDiagnosticReport> = {
  type: 'DiagnosticReport',
  label: 'Radiology reports',
  permission: 'radiology:read',
  capability: {
    documentation:
      'signed radiology reports: status final, or appended after an addendum (status=amended finds them too); ' +
      'drafts are not served. Category RAD (v2-0074) and LOINC LP29684-5 (Radiology); code is our procedure ' +
      '(https://newhms.dev/fhir/CodeSystem/radiology-procedure); conclusion is the impression; presentedForm ' +
      'the whole text with addenda; imagingStudy links the study.',
    searchParams: diagnosticReportSearchParams,
  },
  searchParamNames: diagnosticReportSearchParams.map((p) => p.name),
  applies: categoryAllowsRadiology,
  read: readRadiologyDiagnosticReport,
  search: searchRadiologyDiagnosticReports,
};
