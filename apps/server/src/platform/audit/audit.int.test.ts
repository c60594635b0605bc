import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, createTestUser, signIn, type TestApp } from '../../../test/harness';
import { recordAudit, recordAudits, sealAuditChain, verifyAuditChain } from './audit.service';
import { auditEntries } from './audit.tables';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const ctxFor = (patientId: string | null = null) => ({
  actor: { type: 'system' as const, name: 'test' },
  facilityId: t.facilityId,
  requestId: randomUUID(),
  now: new Date(),
  ...(patientId ? {} : {}),
});

describe('the audit log', () => {
  it('refuses UPDATE and DELETE at the database', async () => {
    const id = await recordAudit(t.database.db, ctxFor(), { action: 'read', resourceType: 'Patient' });
    await expect(
      t.database.db.update(auditEntries).set({ action: 'update' }).where(eq(auditEntries.id, id)),
    ).rejects.toThrow();
    await expect(t.database.db.delete(auditEntries).where(eq(auditEntries.id, id))).rejects.toThrow();
    await expect(t.database.query('truncate audit.entries')).rejects.toThrow();
    const [row] = await t.database.db.select().from(auditEntries).where(eq(auditEntries.id, id));
    expect(row?.action).toBe('read');
  });

  it('verifies an untouched chain through the API', async () => {
    for (let i = 0; i < 30; i++) {
      await recordAudit(t.database.db, ctxFor(), {
        action: 'read',
        resourceType: 'Patient',
        resourceId: String(i),
      });
    }
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/audit/verify',
      headers: bearer(t.admin.token),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().valid).toBe(true);
    expect(res.json().checked).toBeGreaterThanOrEqual(30);
  });

  it('writes a batch of entries in one statement, each its own entry in the chain', async () => {
    const patientIds = [randomUUID(), randomUUID(), randomUUID()];
    const ids = await recordAudits(
      t.database.db,
      ctxFor(),
      patientIds.map((p, i) => ({
        action: 'read',
        resourceType: 'Patient',
        resourceId: p,
        patientId: p,
        detail: { i },
      })),
    );
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(3);
    const rows = await t.database.db
      .select()
      .from(auditEntries)
      .where(eq(auditEntries.resourceType, 'Patient'));
    for (const [i, id] of ids.entries()) {
      const row = rows.find((r) => r.id === id);
      expect(row).toMatchObject({ patientId: patientIds[i], resourceId: patientIds[i], detail: { i } });
    }
    expect(await recordAudits(t.database.db, ctxFor(), [])).toEqual([]);
    await sealAuditChain(t.database);
    expect((await verifyAuditChain(t.database)).valid).toBe(true);
  });

  it('names the first altered entry when someone edits the table behind the software', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push(
        await recordAudit(t.database.db, ctxFor(), {
          action: 'read',
          resourceType: 'Tamper',
          resourceId: String(i),
        }),
      );
    }
    await sealAuditChain(t.database);
    // A superuser disables the trigger and rewrites history.
    await t.database.query('alter table audit.entries disable trigger entries_append_only');
    await t.database.query(`update audit.entries set outcome = 'failure' where id = $1`, [ids[2]]);
    await t.database.query('alter table audit.entries enable trigger entries_append_only');
    const result = await verifyAuditChain(t.database);
    expect(result).toMatchObject({ valid: false, firstInvalidId: ids[2], reason: 'hash mismatch' });
    // Put it back so later tests see a valid chain.
    await t.database.query('alter table audit.entries disable trigger entries_append_only');
    await t.database.query(`update audit.entries set outcome = 'success' where id = $1`, [ids[2]]);
    await t.database.query('alter table audit.entries enable trigger entries_append_only');
    expect((await verifyAuditChain(t.database)).valid).toBe(true);
  });

  it('notices a deleted entry', async () => {
    const id = await recordAudit(t.database.db, ctxFor(), { action: 'read', resourceType: 'Gone' });
    await sealAuditChain(t.database);
    const [saved] = await t.database.db.select().from(auditEntries).where(eq(auditEntries.id, id));
    await t.database.query('alter table audit.entries disable trigger entries_append_only');
    await t.database.query('delete from audit.entries where id = $1', [id]);
    await t.database.query('alter table audit.entries enable trigger entries_append_only');
    const result = await verifyAuditChain(t.database);
    expect(result).toMatchObject({ valid: false, firstInvalidId: id, reason: 'entry missing' });
    // Restore it (the database may be shared with other test files).
    await t.database.db.insert(auditEntries).values(saved!);
    expect((await verifyAuditChain(t.database)).valid).toBe(true);
  });
});

describe('the audit report', () => {
  it('filters by each field, sorts, pages with a cursor, and audits its own reading', async () => {
    const auditor = await createTestUser(t.database, { roles: ['auditor'], facilityId: t.facilityId });
    const token = await signIn(t.app, auditor.email);
    const patientId = randomUUID();
    for (let i = 0; i < 7; i++) {
      await recordAudit(
        t.database.db,
        { ...ctxFor(), ip: i % 2 ? '10.1.1.1' : '10.2.2.2' },
        {
          action: i < 5 ? 'read' : 'update',
          resourceType: 'Patient',
          resourceId: patientId,
          patientId,
        },
      );
    }
    const q = (s: string) =>
      t.app.inject({
        method: 'GET',
        url: `/api/v1/audit/entries?patientId=${patientId}&${s}`,
        headers: bearer(token),
      });
    const all = await q('limit=100');
    expect(all.json().items).toHaveLength(7);
    expect((await q('action=update')).json().items).toHaveLength(2);
    expect((await q('ip=10.1.1.1')).json().items).toHaveLength(3);
    const page1 = await q('limit=4&sort=action&order=asc');
    expect(page1.json().items.map((e: { action: string }) => e.action)).toEqual([
      'read',
      'read',
      'read',
      'read',
    ]);
    const page2 = await q(`limit=4&sort=action&order=asc&cursor=${page1.json().nextCursor}`);
    expect(page2.json().items.map((e: { action: string }) => e.action)).toEqual(['read', 'update', 'update']);
    expect(page2.json().nextCursor).toBeNull();
    const ids = new Set([...page1.json().items, ...page2.json().items].map((e: { id: string }) => e.id));
    expect(ids.size).toBe(7);
    const byTime = await q('limit=3&order=desc');
    const next = await q(`limit=3&order=desc&cursor=${byTime.json().nextCursor}`);
    const times = [...byTime.json().items, ...next.json().items].map(
      (e: { occurredAt: string }) => e.occurredAt,
    );
    expect([...times].sort().reverse()).toEqual(times);
    const reads = await t.database.db
      .select()
      .from(auditEntries)
      .where(eq(auditEntries.resourceType, 'AuditLog'));
    expect(reads.some((r) => r.actorId === auditor.id)).toBe(true);
  });

  it('rejects a bad cursor and a bad filter with 400', async () => {
    const bad = await t.app.inject({
      method: 'GET',
      url: '/api/v1/audit/entries?cursor=nonsense&sort=occurredAt',
      headers: bearer(t.admin.token),
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('INVALID_CURSOR');
    const badSort = await t.app.inject({
      method: 'GET',
      url: '/api/v1/audit/entries?sort=password',
      headers: bearer(t.admin.token),
    });
    expect(badSort.statusCode).toBe(400);
    expect(badSort.json().errors[0].path).toContain('sort');
  });
});
