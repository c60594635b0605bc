import { decodeCursor, encodeCursor } from '../http/pagination';
import type { Bundle, BundleEntry, OperationOutcome, Resource } from './fhir-resources';
import { FhirError, issueAt } from './operation-outcome';

const DEFAULT_COUNT = 20;
const MAX_COUNT = 100;

/** A search or history URL: the base, the path, and the parameters in the order given. */
export function fhirUrl(base: string, path: string, params: readonly (readonly [string, string])[]): string {
  const query = params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  return `${base}/${path}${query ? `?${query}` : ''}`;
}

/** _count: 0 (only the total) to MAX_COUNT; DEFAULT_COUNT when absent. */
export function pageSize(raw: string | undefined, expression = '_count'): number {
  if (raw === undefined) return DEFAULT_COUNT;
  if (!/^\d{1,6}$/.test(raw) || Number(raw) > MAX_COUNT) {
    throw new FhirError(400, [
      issueAt(expression, `_count is a whole number from 0 to ${MAX_COUNT}`, 'invalid'),
    ]);
  }
  return Number(raw);
}

/**
 * The keyset position carried by _cursor (opaque to clients): 400 when it was not made by this server for
 * this kind of list.
 */
export function readCursor(
  raw: string | undefined,
  length: number,
  valid: (key: (string | number | null)[]) => boolean = () => true,
): (string | number | null)[] | undefined {
  let key: (string | number | null)[] | undefined;
  try {
    key = decodeCursor(raw, length);
  } catch {
    key = [];
  }
  if (key === undefined) return undefined;
  if (key.length !== length || !valid(key)) {
    throw new FhirError(400, [
      issueAt('_cursor', 'The paging cursor is not valid; start the search again', 'invalid'),
    ]);
  }
  return key;
}

export { encodeCursor };

/** A searchset: entries with fullUrl and search mode, self and next links, the total where known. */
export function searchsetBundle(input: {
  base: string;
  self: string;
  next?: string | null;
  total?: number;
  resources: readonly (Resource & { id: string })[];
  outcome?: OperationOutcome;
  now: Date;
}): Bundle {
  const entries: BundleEntry[] = input.resources.map((r) => ({
    fullUrl: `${input.base}/${r.resourceType}/${r.id}`,
    resource: r,
    search: { mode: 'match' },
  }));
  if (input.outcome) entries.push({ resource: input.outcome, search: { mode: 'outcome' } });
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    timestamp: input.now.toISOString(),
    ...(input.total !== undefined ? { total: input.total } : {}),
    link: [
      { relation: 'self', url: input.self },
      ...(input.next ? [{ relation: 'next', url: input.next }] : []),
    ],
    ...(entries.length > 0 ? { entry: entries } : {}),
  };
}

/** One version of a resource as a history entry. The first version was a create, later ones updates. */
export type HistoryVersion = { resource: Resource & { id: string }; version: number; at: Date };

/** A history bundle, newest version first. */
export function historyBundle(input: {
  base: string;
  self: string;
  next?: string | null;
  total: number;
  versions: readonly HistoryVersion[];
  now: Date;
}): Bundle {
  return {
    resourceType: 'Bundle',
    type: 'history',
    timestamp: input.now.toISOString(),
    total: input.total,
    link: [
      { relation: 'self', url: input.self },
      ...(input.next ? [{ relation: 'next', url: input.next }] : []),
    ],
    ...(input.versions.length > 0
      ? {
          entry: input.versions.map((v) => {
            const url = `${v.resource.resourceType}/${v.resource.id}`;
            return {
              fullUrl: `${input.base}/${url}`,
              resource: v.resource,
              request:
                v.version === 1
                  ? { method: 'POST' as const, url: v.resource.resourceType }
                  : { method: 'PUT' as const, url },
              response: {
                status: v.version === 1 ? '201' : '200',
                etag: `W/"${v.version}"`,
                lastModified: v.at.toISOString(),
              },
            };
          }),
        }
      : {}),
  };
}
