import type { FastifyInstance } from 'fastify';
import type { FhirResourceCapability } from '../../../platform/fhir/capability-statement';
import { fhirBaseUrl, setResourceHeaders } from '../../../platform/fhir/fhir-http';
import { resourceIdOf, strictHandling } from '../../../platform/fhir/fhir-search';
import type { AppDeps } from '../../../platform/module';
import { readAppointmentResource, searchAppointmentResources } from './appointment-fhir.service';
import { appointmentSearchParams } from './appointment-search';

export const appointmentCapability: FhirResourceCapability = {
  type: 'Appointment',
  documentation:
    "OPD appointments of the actor's facility (X-Facility-Id). Participants: the Patient and the " +
    'Practitioner/<id> (PPRF, the name as display); appointmentType v2-0276 ROUTINE (first visit) or FOLLOWUP, ' +
    'a follow-up naming the consultation it follows in supportingInformation. Statuses booked, arrived, ' +
    'fulfilled, cancelled, noshow. Searches are ordered by id and paged with _count (at most 100) and the ' +
    '_cursor of the next link; unknown parameters are ignored with a warning (Prefer: handling=strict refuses them).',
  interactions: ['read', 'search-type'],
  searchParams: appointmentSearchParams,
};

/** Appointment of /fhir/R4: read and search, with opd:read. */
export async function appointmentFhirRoutes(fhir: FastifyInstance, deps: AppDeps): Promise<void> {
  const read = fhir.requirePermission('opd:read');
  const hide = { hide: true };

  fhir.get('/Appointment', { preHandler: read, schema: hide }, async (request) =>
    searchAppointmentResources(request.ctx, request.query as Record<string, unknown>, {
      base: fhirBaseUrl(request, deps.config.NEWHMS_PUBLIC_URL),
      strict: strictHandling(request),
    }),
  );
  fhir.get<{ Params: { id: string } }>(
    '/Appointment/:id',
    { preHandler: read, schema: hide },
    async (request, reply) => {
      const id = resourceIdOf('Appointment', request.params.id, 'OPD_APPOINTMENT_NOT_FOUND');
      const resource = await readAppointmentResource(request.ctx, id);
      setResourceHeaders(reply, resource);
      return resource;
    },
  );
}
