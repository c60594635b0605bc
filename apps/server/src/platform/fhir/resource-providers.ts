import { type SQL, sql } from 'drizzle-orm';
import type { Ctx } from '../context';
import type { FhirResourceCapability } from './capability-statement';
import type { Resource } from './fhir-resources';
import type { ParsedSearch } from './fhir-search';

// A FHIR resource type that more than one module serves: Observation (vital signs from encounters,
// results from the laboratory), DiagnosticReport (laboratory and radiology). No module owns the route:
// each contributes a provider, and the platform answers /fhir/R4/<Type> and /<Type>/:id for all of them
// (fhir-api.ts). Ids are UUIDs, unique across modules, so a read asks each provider in turn and a search
// merges the providers' pages by id (keyset paging over the union, one opaque cursor). The routing is in
// shared-resources.ts; README.md says what a provider must do.

export type ProvidedResource = Resource & { id: string };

export type ProviderSearchInput = {
  /** The raw query (control parameters _count, _cursor, _total, _format included: ignore them). */
  query: Record<string, unknown>;
  /** Only resources whose id sorts after this one (ids compare as lower-case UUID text). */
  afterId: string | undefined;
  /** At most this many resources, ordered by id ascending (the platform asks for the page size + 1). */
  limit: number;
  /** Also count every match (the total), ignoring afterId and limit. */
  countTotal: boolean;
};

export type ProviderSearchResult<R extends ProvidedResource> = {
  /** Ordered by id ascending, at most `limit`. */
  resources: R[];
  /** When countTotal was asked. */
  total?: number;
};

/**
 * One module's share of a resource type. The provider parses the query with its own parameter
 * definitions in lenient mode (the platform decides what is unknown to every provider), checks its own
 * preconditions (400 for a malformed value, as parseSearch does), audits what it read (auditFhirRead /
 * auditFhirSearch), and answers only with what the caller may see.
 */
export type FhirResourceProvider<R extends ProvidedResource = ProvidedResource> = {
  type: string;
  /** For logs and the CapabilityStatement's documentation, e.g. "laboratory results". */
  label: string;
  /** The permission that lets a user reach this provider; a user without it gets nothing from it. */
  permission: string;
  /** What this provider adds to the type's capability: documentation and search parameters. */
  capability: Pick<FhirResourceCapability, 'documentation' | 'searchParams'>;
  /** Search parameter names this provider understands (besides _id and the control parameters). */
  searchParamNames: readonly string[];
  /**
   * Whether a search with this query can match anything here, without reading data; e.g. a laboratory
   * provider returns false for `category=vital-signs`. Lets the platform skip providers.
   */
  applies: (query: Record<string, unknown>) => boolean;
  /**
   * The resource with this id (lower-case UUID), or null when this provider has none: the platform then asks
   * the next one. Throw a 404 only when the id is this provider's own but names no resource of its own (the
   * diastolic half of a blood pressure panel), to say which one holds it.
   */
  read: (ctx: Ctx, id: string) => Promise<R | null>;
  search: (ctx: Ctx, input: ProviderSearchInput) => Promise<ProviderSearchResult<R>>;
};

/**
 * A provider's page of a parsed search over one table: its conditions, the ids after `afterId`, at most
 * `limit` rows in id order (none for a limit of 0), and the count of every match when asked. `rows` and
 * `countRows` get the conditions to AND; `resources` turns the page's rows into resources.
 */
export async function providerPage<T extends { id: string }, R extends ProvidedResource>(input: {
  search: ParsedSearch;
  request: ProviderSearchInput;
  /** The id column the keyset compares with (a uuid column). */
  idColumn: SQL;
  rows: (conditions: SQL[], limit: number) => Promise<T[]>;
  countRows: (conditions: SQL[]) => Promise<number>;
  resources: (rows: T[]) => Promise<R[]>;
}): Promise<ProviderSearchResult<R>> {
  const { search, request } = input;
  const after = request.afterId;
  const conditions = [...search.conditions, ...(after ? [sql`${input.idColumn} > ${after}`] : [])];
  const rows = request.limit > 0 ? await input.rows(conditions, request.limit) : [];
  const resources = await input.resources(rows);
  return {
    resources,
    ...(request.countTotal ? { total: await input.countRows(search.conditions) } : {}),
  };
}
