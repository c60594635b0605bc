import type { AuditEntry, AuditQuery } from '@newhms/contracts';
import { and, asc, desc, eq, gte, ilike, lte, type SQL, sql } from 'drizzle-orm';
import { actorId, type Ctx } from '../context';
import type { Database, Db, DbOrTx } from '../db/database';
import { newId } from '../db/ids';
import { decodeCursor, encodeCursor } from '../http/pagination';
import { auditEntries, auditPending, auditSeals } from './audit.tables';
import { chainHash, GENESIS_HASH, hashAuditEntry } from './audit-hash';

export type AuditRecord = {
  action: string;
  resourceType: string;
  resourceId?: string | null;
  patientId?: string | null;
  outcome?: 'success' | 'failure' | 'denied';
  breakGlass?: boolean;
  detail?: Record<string, unknown> | null;
};

/**
 * What was searched may carry characters PostgreSQL cannot store (NUL in text or jsonb): the audit keeps
 * them as U+FFFD, so that recording a strange request never fails it.
 */
function storable(value: unknown): unknown {
  if (typeof value === 'string') return value.replaceAll('\u0000', '\uFFFD');
  if (Array.isArray(value)) return value.map(storable);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [storable(k) as string, storable(v)]));
  }
  return value;
}

/** Appends one audit entry in the caller's transaction (all or nothing with the change it records). */
export async function recordAudit(tx: DbOrTx, ctx: Omit<Ctx, 'db'>, record: AuditRecord): Promise<string> {
  const [id] = await recordAudits(tx, ctx, [record]);
  return id!;
}

/**
 * Appends several audit entries of one request in one statement (a list that shows 40 patients is 40 reads,
 * one round trip). Returns their ids in order.
 */
export async function recordAudits(
  tx: DbOrTx,
  ctx: Omit<Ctx, 'db'>,
  records: readonly AuditRecord[],
): Promise<string[]> {
  if (records.length === 0) return [];
  // Millisecond precision, so the hash computed now matches the value read back later.
  const occurredAt = new Date(Math.floor(ctx.now.getTime()));
  const userAgent = ctx.userAgent ? (storable(ctx.userAgent.slice(0, 300)) as string) : null;
  const values = records.map((record) => {
    const row = {
      id: newId(),
      occurredAt,
      actorId: actorId(ctx.actor),
      actorType: ctx.actor.type,
      actorName: ctx.actor.name,
      facilityId: ctx.facilityId,
      action: record.action,
      resourceType: record.resourceType,
      resourceId:
        record.resourceId === undefined || record.resourceId === null
          ? null
          : (storable(record.resourceId) as string),
      patientId: record.patientId ?? null,
      outcome: record.outcome ?? 'success',
      ip: ctx.ip ?? null,
      userAgent,
      requestId: ctx.requestId,
      breakGlass: record.breakGlass ?? false,
      detail: (storable(record.detail ?? null) as Record<string, unknown> | null) ?? null,
    };
    return { row, entryHash: hashAuditEntry(row) };
  });
  const tuples = values.map(
    ({ row, entryHash }) => sql`(${row.id}, ${row.occurredAt.toISOString()}::timestamptz, ${row.actorId},
        ${row.actorType}, ${row.actorName}, ${row.facilityId}, ${row.action}, ${row.resourceType}, ${row.resourceId},
        ${row.patientId}, ${row.outcome}, ${row.ip}, ${row.userAgent}, ${row.requestId}, ${row.breakGlass},
        ${row.detail === null ? null : JSON.stringify(row.detail)}::jsonb, ${entryHash})`,
  );
  // One statement for the entries and their pending marks: atomic even when the caller passes the database
  // rather than a transaction (an audited read), and one commit instead of two.
  await tx.execute(sql`with entry as (
      insert into ${auditEntries} (id, occurred_at, actor_id, actor_type, actor_name, facility_id, action,
        resource_type, resource_id, patient_id, outcome, ip, user_agent, request_id, break_glass, detail, entry_hash)
      values ${sql.join(tuples, sql`, `)}
      returning id)
    insert into ${auditPending} (entry_id) select id from entry`);
  return values.map((v) => v.row.id);
}

const SEAL_LOCK_KEY = 727_002;

/** Seals pending entries into the hash chain. One sealer at a time (advisory lock); returns how many. */
export async function sealAuditChain(database: Database, batch = 2000): Promise<number> {
  return database.withAdvisoryLock(SEAL_LOCK_KEY, (db) =>
    db.transaction(async (tx) => {
      const pending = await tx
        .select({ id: auditEntries.id, entryHash: auditEntries.entryHash })
        .from(auditPending)
        .innerJoin(auditEntries, eq(auditEntries.id, auditPending.entryId))
        .orderBy(asc(auditEntries.id))
        .limit(batch);
      if (pending.length === 0) return 0;
      const [last] = await tx
        .select({ seq: auditSeals.seq, chainHash: auditSeals.chainHash })
        .from(auditSeals)
        .orderBy(desc(auditSeals.seq))
        .limit(1);
      let seq = last?.seq ?? 0;
      let prev = last?.chainHash ?? GENESIS_HASH;
      const seals = pending.map((p) => {
        seq += 1;
        const link = { seq, entryId: p.id, prevHash: prev, chainHash: chainHash(prev, p.entryHash) };
        prev = link.chainHash;
        return link;
      });
      for (let i = 0; i < seals.length; i += 500) await tx.insert(auditSeals).values(seals.slice(i, i + 500));
      await tx.execute(
        sql`delete from audit.pending where entry_id in (select entry_id from audit.seals where seq > ${seals[0]!.seq - 1})`,
      );
      return seals.length;
    }),
  );
}

export type VerifyResult = { valid: boolean; checked: number; firstInvalidId?: string; reason?: string };

/** Walks the whole chain in order: recomputes each entry's hash and each link; names the first break. */
export async function verifyAuditChain(database: Database): Promise<VerifyResult> {
  while ((await sealAuditChain(database)) > 0) {
    // seal everything written so far, then verify it
  }
  const db = database.db;
  let prev = GENESIS_HASH;
  let expectedSeq = 1;
  let checked = 0;
  for (;;) {
    const rows = await db
      .select()
      .from(auditSeals)
      .leftJoin(auditEntries, eq(auditEntries.id, auditSeals.entryId))
      .where(gte(auditSeals.seq, expectedSeq))
      .orderBy(asc(auditSeals.seq))
      .limit(2000);
    if (rows.length === 0) break;
    for (const { seals: s, entries: e } of rows) {
      if (s.seq !== expectedSeq)
        return { valid: false, checked, firstInvalidId: s.entryId, reason: 'gap in chain' };
      if (!e) return { valid: false, checked, firstInvalidId: s.entryId, reason: 'entry missing' };
      if (
        hashAuditEntry(e) !== e.entryHash ||
        s.prevHash !== prev ||
        chainHash(prev, e.entryHash) !== s.chainHash
      ) {
        return { valid: false, checked, firstInvalidId: e.id, reason: 'hash mismatch' };
      }
      prev = s.chainHash;
      expectedSeq += 1;
      checked += 1;
    }
  }
  // An entry that is neither sealed nor pending was slipped in past the service.
  const [orphan] = await db
    .execute<{ id: string }>(
      sql`select e.id from audit.entries e where not exists (select 1 from audit.seals s where s.entry_id = e.id)
        and not exists (select 1 from audit.pending p where p.entry_id = e.id) limit 1`,
    )
    .then((r) => (Array.isArray(r) ? r : (r as { rows: { id: string }[] }).rows));
  if (orphan) return { valid: false, checked, firstInvalidId: orphan.id, reason: 'entry outside the chain' };
  return { valid: true, checked };
}

const sortColumns = {
  occurredAt: auditEntries.occurredAt,
  actorName: auditEntries.actorName,
  action: auditEntries.action,
  resourceType: auditEntries.resourceType,
  outcome: auditEntries.outcome,
  patientId: auditEntries.patientId,
  ip: auditEntries.ip,
} as const;

/** The audit report: filter by any field, sort by any field, keyset-paginated. */
export async function searchAudit(
  db: Db,
  q: AuditQuery,
): Promise<{ items: AuditEntry[]; nextCursor: string | null }> {
  const filters: SQL[] = [];
  if (q.from) filters.push(gte(auditEntries.occurredAt, new Date(q.from)));
  if (q.to) filters.push(lte(auditEntries.occurredAt, new Date(q.to)));
  if (q.actorId) filters.push(eq(auditEntries.actorId, q.actorId));
  if (q.actorName) filters.push(ilike(auditEntries.actorName, `%${escapeLike(q.actorName)}%`));
  if (q.action) filters.push(eq(auditEntries.action, q.action));
  if (q.resourceType) filters.push(eq(auditEntries.resourceType, q.resourceType));
  if (q.resourceId) filters.push(eq(auditEntries.resourceId, q.resourceId));
  if (q.patientId) filters.push(eq(auditEntries.patientId, q.patientId));
  if (q.outcome) filters.push(eq(auditEntries.outcome, q.outcome));
  if (q.ip) filters.push(eq(auditEntries.ip, q.ip));
  if (q.breakGlass) filters.push(eq(auditEntries.breakGlass, q.breakGlass === 'true'));

  const col = sortColumns[q.sort];
  const isTime = q.sort === 'occurredAt';
  const cursor = decodeCursor(q.cursor, 2);
  if (cursor) {
    const [value, id] = cursor as [string | null, string];
    const v = isTime && value !== null ? new Date(value) : value;
    const op = sql.raw(q.order === 'desc' ? '<' : '>');
    // Row comparison (sort value, id) against the cursor, in the sort direction; nulls sort as ''.
    const valueText = v instanceof Date ? v.toISOString() : (v ?? '');
    filters.push(
      isTime
        ? sql`(${col}, ${auditEntries.id}) ${op} (${v}, ${id})`
        : sql`(coalesce(${col}::text, ''), ${auditEntries.id}) ${op} (${valueText}, ${id})`,
    );
  }
  const dir = q.order === 'desc' ? desc : asc;
  const orderExpr = isTime ? col : sql`coalesce(${col}::text, '')`;
  const rows = await db
    .select()
    .from(auditEntries)
    .where(filters.length ? and(...filters) : undefined)
    .orderBy(dir(orderExpr), dir(auditEntries.id))
    .limit(q.limit + 1);
  const items = rows.slice(0, q.limit);
  const last = items[items.length - 1];
  const nextCursor =
    rows.length > q.limit && last
      ? encodeCursor([
          isTime ? last.occurredAt.toISOString() : String((last as Record<string, unknown>)[q.sort] ?? ''),
          last.id,
        ])
      : null;
  return {
    items: items.map((r) => ({
      id: r.id,
      occurredAt: r.occurredAt.toISOString(),
      actorId: r.actorId,
      actorType: r.actorType,
      actorName: r.actorName,
      facilityId: r.facilityId,
      action: r.action,
      resourceType: r.resourceType,
      resourceId: r.resourceId,
      patientId: r.patientId,
      outcome: r.outcome,
      ip: r.ip,
      userAgent: r.userAgent,
      requestId: r.requestId,
      breakGlass: r.breakGlass,
      detail: r.detail ?? null,
    })),
    nextCursor,
  };
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
