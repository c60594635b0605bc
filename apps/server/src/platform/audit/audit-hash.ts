import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every depth, so that a jsonb round trip hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export type HashedAuditFields = {
  id: string;
  occurredAt: Date;
  actorId: string | null;
  actorType: string;
  actorName: string | null;
  facilityId: string | null;
  action: string;
  resourceType: string;
  resourceId: string | null;
  patientId: string | null;
  outcome: string;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  breakGlass: boolean;
  detail: unknown;
};

/** SHA-256 over an entry's content in a fixed field order. */
export function hashAuditEntry(e: HashedAuditFields): string {
  const content = canonicalJson([
    e.id,
    e.occurredAt.toISOString(),
    e.actorId,
    e.actorType,
    e.actorName,
    e.facilityId,
    e.action,
    e.resourceType,
    e.resourceId,
    e.patientId,
    e.outcome,
    e.ip,
    e.userAgent,
    e.requestId,
    e.breakGlass,
    e.detail ?? null,
  ]);
  return createHash('sha256').update(content).digest('hex');
}

export const GENESIS_HASH = '0'.repeat(64);

/** The next link of the chain: sha256(previous chain hash || this entry's hash). */
export function chainHash(prevHash: string, entryHash: string): string {
  return createHash('sha256').update(prevHash).update(entryHash).digest('hex');
}
