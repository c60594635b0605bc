import type { Resource } from './fhir-resources';

type FhirInteraction =
  | 'read'
  | 'vread'
  | 'update'
  | 'patch'
  | 'delete'
  | 'history-instance'
  | 'history-type'
  | 'create'
  | 'search-type';

export type FhirSearchParam = {
  name: string;
  type: 'number' | 'date' | 'string' | 'token' | 'reference' | 'composite' | 'quantity' | 'uri' | 'special';
  /** Canonical URL of the SearchParameter, e.g. http://hl7.org/fhir/SearchParameter/individual-family. */
  definition?: string;
  documentation?: string;
};

/** What a module serves of one resource type; the CapabilityStatement lists every module's. */
export type FhirResourceCapability = {
  type: string;
  documentation?: string;
  interactions: readonly FhirInteraction[];
  /** Update needs If-Match with the current version (412 when stale). */
  versionedUpdate?: boolean;
  conditionalCreate?: boolean;
  searchParams: readonly FhirSearchParam[];
};

type CapabilityStatement = Resource & Record<string, unknown>;

/** Parameters every search accepts, whatever the resource. */
const commonSearchParams: FhirSearchParam[] = [
  {
    name: '_id',
    type: 'token',
    definition: 'http://hl7.org/fhir/SearchParameter/Resource-id',
    documentation: 'Logical id; several separated by commas',
  },
];

/** The server's CapabilityStatement (kind instance) from what the modules registered. */
export function capabilityStatement(
  resources: readonly FhirResourceCapability[],
  options: { baseUrl: string; date: string },
): CapabilityStatement {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: options.date,
    publisher: 'Newhms',
    kind: 'instance',
    software: { name: 'Newhms' },
    implementation: { description: 'Newhms hospital management system, FHIR R4 API', url: options.baseUrl },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    rest: [
      {
        mode: 'server',
        documentation:
          'Errors are OperationOutcome resources. Searches page with _count and an opaque _cursor in the next link.',
        security: {
          description:
            'Every request except this one needs "Authorization: Bearer <access token>" from POST ' +
            '/api/v1/auth/login; X-Facility-Id chooses the facility. Permissions are those of the REST API.',
        },
        resource: [...resources]
          .sort((a, b) => a.type.localeCompare(b.type))
          .map((r) => ({
            type: r.type,
            ...(r.documentation ? { documentation: r.documentation } : {}),
            interaction: r.interactions.map((code) => ({ code })),
            versioning: r.versionedUpdate ? 'versioned-update' : 'versioned',
            readHistory: r.interactions.includes('vread'),
            updateCreate: false,
            conditionalCreate: r.conditionalCreate ?? false,
            conditionalRead: 'not-supported',
            conditionalUpdate: false,
            conditionalDelete: 'not-supported',
            searchParam: [...commonSearchParams, ...r.searchParams].map((p) => ({
              name: p.name,
              ...(p.definition ? { definition: p.definition } : {}),
              type: p.type,
              ...(p.documentation ? { documentation: p.documentation } : {}),
            })),
          })),
      },
    ],
  };
}
