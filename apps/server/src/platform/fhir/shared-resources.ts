import type { FastifyInstance } from 'fastify';
import type { Ctx } from '../context';
import type { AppDeps, ModuleDefinition } from '../module';
import { encodeCursor, fhirUrl, pageSize, readCursor, searchsetBundle } from './bundles';
import type { FhirResourceCapability, FhirSearchParam } from './capability-statement';
import { fhirBaseUrl, setResourceHeaders } from './fhir-http';
import type { Bundle, OperationOutcomeIssue } from './fhir-resources';
import { CONTROL_PARAMS, resourceIdOf, strictHandling } from './fhir-search';
import { FhirError, issueAt, operationOutcome } from './operation-outcome';
import type { FhirResourceProvider, ProvidedResource } from './resource-providers';

// The routes of resource types that several modules serve (resource-providers.ts): GET /<Type>/:id asks the
// providers the user may use in turn; GET /<Type> asks those that may hold matches and merges their pages by
// id under one opaque cursor. See README.md.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TYPE_NAME = /^[A-Z][A-Za-z]{1,63}$/;

/** A provided resource type with its providers, in module load order. */
export type ProvidedType = {
  type: string;
  providers: readonly { module: string; provider: FhirResourceProvider }[];
};

/**
 * The provided types of the modules. Fails at startup when a type is both provided and a module's plain
 * route, when two modules register the same plain type, or when a provider is malformed (its capability
 * names a parameter it does not understand), so that no two routes ever claim one path.
 */
export function providedTypesOf(modules: readonly ModuleDefinition[]): ProvidedType[] {
  const byType = new Map<string, { module: string; provider: FhirResourceProvider }[]>();
  for (const m of modules) {
    for (const provider of m.fhir?.providers ?? []) {
      if (!TYPE_NAME.test(provider.type)) {
        throw new Error(
          `FHIR provider "${provider.label}" of module ${m.name}: "${provider.type}" is no type`,
        );
      }
      const undeclared = provider.capability.searchParams
        .map((p) => p.name)
        .filter((n) => n !== '_id' && !provider.searchParamNames.includes(n));
      if (undeclared.length > 0) {
        throw new Error(
          `FHIR provider "${provider.label}" of module ${m.name} lists search parameters it does not understand: ${undeclared.join(', ')}`,
        );
      }
      const list = byType.get(provider.type) ?? [];
      if (list.some((p) => p.module === m.name)) {
        throw new Error(`Module ${m.name} has two FHIR providers of ${provider.type}: give it one`);
      }
      byType.set(provider.type, [...list, { module: m.name, provider }]);
    }
  }
  const plain = new Map<string, string>();
  for (const m of modules) {
    for (const r of m.fhir?.resources ?? []) {
      const providers = byType.get(r.type);
      if (providers) {
        throw new Error(
          `FHIR ${r.type} is served by providers (${providers.map((p) => p.module).join(', ')}); ` +
            `module ${m.name} also registers it as a plain route. Contribute a provider to fhir.providers instead.`,
        );
      }
      const other = plain.get(r.type);
      if (other) {
        throw new Error(
          `FHIR ${r.type} is registered as a plain route by both ${other} and ${m.name}: ` +
            'make it a provided type (fhir.providers) of both.',
        );
      }
      plain.set(r.type, m.name);
    }
  }
  return [...byType.entries()].map(([type, providers]) => ({ type, providers }));
}

const SEARCH_NOTE =
  "Searches ask every provider the user's permissions reach and merge their results ordered by id, paged " +
  'with _count (at most 100) and the _cursor of the next link; unknown parameters are ignored with a ' +
  'warning (Prefer: handling=strict refuses them).';

/** The type once in the CapabilityStatement: the providers' documentation joined, their parameters united. */
export function providedCapability(t: ProvidedType): FhirResourceCapability {
  const params = new Map<string, FhirSearchParam>();
  for (const { provider } of t.providers) {
    for (const p of provider.capability.searchParams) if (!params.has(p.name)) params.set(p.name, p);
  }
  const docs = t.providers.map(
    ({ module, provider }) =>
      `${provider.label} (${module}, ${provider.permission})${provider.capability.documentation ? `: ${provider.capability.documentation}` : '.'}`,
  );
  return {
    type: t.type,
    documentation: `${docs.join(' ')} ${SEARCH_NOTE}`,
    interactions: ['read', 'search-type'],
    searchParams: [...params.values()],
  };
}

/** The providers whose permission the actor holds (a system actor may use all). */
function usable(ctx: Ctx, t: ProvidedType): FhirResourceProvider[] {
  const actor = ctx.actor;
  return t.providers
    .map((p) => p.provider)
    .filter((p) => actor.type !== 'user' || actor.permissions.has(p.permission));
}

const notFoundCode = (type: string) => `${type.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()}_NOT_FOUND`;

/** read: the first provider the user may use that has the id; 404 when none has it. */
export async function readProvidedResource(
  ctx: Ctx,
  t: ProvidedType,
  rawId: string,
): Promise<ProvidedResource> {
  const id = resourceIdOf(t.type, rawId, notFoundCode(t.type));
  for (const provider of usable(ctx, t)) {
    const resource = await provider.read(ctx, id);
    if (resource) return resource;
  }
  throw new FhirError(
    404,
    [{ severity: 'error', code: 'not-found', details: { text: `${t.type}/${id} is not known here` } }],
    notFoundCode(t.type),
  );
}

/**
 * search-type over the providers: the query is checked once here (control parameters, parameters no provider
 * knows), each provider that the user may use, that may hold matches (applies) and that understands every
 * filter given is asked for the page size + 1 after the cursor, and the answers are merged by id. A provider's
 * error (its 400 for a malformed value or a search that names no patient) is the answer.
 */
export async function searchProvidedType(
  ctx: Ctx,
  t: ProvidedType,
  query: Record<string, unknown>,
  options: { base: string; strict: boolean },
): Promise<Bundle> {
  const known = new Set(['_id', ...t.providers.flatMap((p) => p.provider.searchParamNames)]);
  const issues: OperationOutcomeIssue[] = [];
  const control: Record<string, string> = {};
  const filters: [string, string][] = [];
  const ignored: string[] = [];
  for (const [key, raw] of Object.entries(query)) {
    const values = (Array.isArray(raw) ? raw : [raw]).map(String);
    if (CONTROL_PARAMS.has(key)) {
      if (values.length > 1) issues.push(issueAt(key, `${key} may be given once`, 'invalid'));
      control[key] = values[0]!;
      continue;
    }
    if (!known.has(key.split(':')[0] ?? '')) {
      ignored.push(key);
      continue;
    }
    for (const value of values) filters.push([key, value]);
  }
  if (options.strict) {
    issues.push(
      ...ignored.map((k) =>
        issueAt(k, `${k.slice(0, 60)} is not a search parameter of ${t.type} here`, 'not-supported'),
      ),
    );
  }
  const totalMode = control._total ?? 'none';
  if (!['none', 'estimate', 'accurate'].includes(totalMode)) {
    issues.push(issueAt('_total', '_total is none, estimate or accurate', 'invalid'));
  }
  if (issues.length > 0) throw new FhirError(400, issues, 'FHIR_SEARCH_INVALID');
  const count = pageSize(control._count);
  const cursor = readCursor(control._cursor, 1, ([v]) => typeof v === 'string' && UUID.test(v))?.[0] as
    | string
    | undefined;
  const accurate = totalMode === 'accurate';
  const wantTotal = accurate || count === 0;

  // A provider that cannot apply a filter given would answer with more than matches: it is not asked.
  const names = new Set(filters.map(([k]) => k.split(':')[0] ?? '').filter((n) => n !== '_id'));
  const asked = usable(ctx, t).filter(
    (p) => [...names].every((n) => p.searchParamNames.includes(n)) && p.applies(query),
  );
  const answers = [];
  for (const provider of asked) {
    answers.push(
      await provider.search(ctx, {
        query,
        afterId: cursor,
        limit: count > 0 ? count + 1 : 0,
        countTotal: wantTotal,
      }),
    );
  }
  // Ids are unique across modules; one seen twice is shown once.
  const byId = new Map<string, ProvidedResource>();
  for (const r of answers.flatMap((a) => a.resources)) {
    if ((cursor === undefined || r.id > cursor) && !byId.has(r.id)) byId.set(r.id, r);
  }
  const merged = [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const page = merged.slice(0, count);
  const more = merged.length > count;
  let total: number | undefined;
  if (wantTotal) total = answers.reduce((n, a) => n + (a.total ?? 0), 0);
  else if (cursor === undefined && !more) total = merged.length;

  const keep: [string, string][] = [
    ...filters,
    ...(accurate ? [['_total', 'accurate'] as [string, string]] : []),
  ];
  const last = page[page.length - 1];
  const warnings: OperationOutcomeIssue[] = ignored.map((k) => ({
    severity: 'warning',
    code: 'not-supported',
    details: { text: `The parameter ${k.slice(0, 60)} is not supported and was ignored` },
  }));
  return searchsetBundle({
    base: options.base,
    self: fhirUrl(options.base, t.type, [
      ...keep,
      ...(control._count !== undefined ? [['_count', String(count)] as [string, string]] : []),
      ...(control._cursor !== undefined ? [['_cursor', control._cursor] as [string, string]] : []),
    ]),
    next:
      more && last
        ? fhirUrl(options.base, t.type, [
            ...keep,
            ['_count', String(count)],
            ['_cursor', encodeCursor([last.id])],
          ])
        : null,
    ...(total !== undefined ? { total } : {}),
    resources: page,
    ...(warnings.length > 0 ? { outcome: operationOutcome(warnings) } : {}),
    now: ctx.now,
  });
}

/**
 * GET /<Type>/:id and GET /<Type> of each provided type, inside the /fhir/R4 context: the user needs at
 * least one provider's permission (403 otherwise).
 */
export async function registerProvidedTypes(
  fhir: FastifyInstance,
  deps: AppDeps,
  types: readonly ProvidedType[],
): Promise<void> {
  const hide = { hide: true };
  for (const t of types) {
    const [first, ...others] = [...new Set(t.providers.map((p) => p.provider.permission))];
    const guard = fhir.requirePermission(first!, ...others);
    fhir.get<{ Params: { id: string } }>(
      `/${t.type}/:id`,
      { preHandler: guard, schema: hide },
      async (request, reply) => {
        const resource = await readProvidedResource(request.ctx, t, request.params.id);
        setResourceHeaders(reply, resource);
        return resource;
      },
    );
    fhir.get(`/${t.type}`, { preHandler: guard, schema: hide }, async (request) =>
      searchProvidedType(request.ctx, t, request.query as Record<string, unknown>, {
        base: fhirBaseUrl(request, deps.config.NEWHMS_PUBLIC_URL),
        strict: strictHandling(request),
      }),
    );
  }
}
