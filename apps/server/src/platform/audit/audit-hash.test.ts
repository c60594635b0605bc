import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, chainHash, GENESIS_HASH, hashAuditEntry } from './audit-hash';

const entry = {
  id: '01900000-0000-7000-8000-000000000001',
  occurredAt: new Date('2026-11-27T09:00:00.000Z'),
  actorId: null,
  actorType: 'system',
  actorName: 'test',
  facilityId: null,
  action: 'read',
  resourceType: 'Patient',
  resourceId: 'p1',
  patientId: null,
  outcome: 'success',
  ip: '10.0.0.1',
  userAgent: null,
  requestId: 'r1',
  breakGlass: false,
  detail: { b: 1, a: [1, { d: 2, c: 3 }] },
};

describe('canonical JSON', () => {
  it('does not depend on key order at any depth (as a jsonb round trip reorders keys)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 })), (obj) => {
        const reversed = Object.fromEntries(Object.entries(obj).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(obj));
        expect(JSON.parse(canonicalJson(obj))).toEqual(JSON.parse(JSON.stringify(obj)));
      }),
    );
  });
});

describe('audit hashes', () => {
  it('changes when any field changes', () => {
    const base = hashAuditEntry(entry);
    expect(hashAuditEntry({ ...entry, detail: { a: [1, { c: 3, d: 2 }], b: 1 } })).toBe(base);
    for (const [k, v] of Object.entries({
      outcome: 'failure',
      ip: '10.0.0.2',
      breakGlass: true,
      actorName: 'x',
      detail: { b: 2 },
    })) {
      expect(hashAuditEntry({ ...entry, [k]: v })).not.toBe(base);
    }
    expect(hashAuditEntry({ ...entry, occurredAt: new Date('2026-11-27T09:00:00.001Z') })).not.toBe(base);
  });

  it('chains: each link depends on the previous one', () => {
    const a = chainHash(GENESIS_HASH, 'a'.repeat(64));
    expect(chainHash(a, 'b'.repeat(64))).not.toBe(chainHash(GENESIS_HASH, 'b'.repeat(64)));
    expect(a).toMatch(/^[0-9a-f]{64}$/);
  });
});
