import type { Indent, IndentBody, IndentIssueBody, IndentQuery } from '@newhms/contracts';
import { and, asc, desc, eq, inArray, or } from 'drizzle-orm';
import type { z } from 'zod';
import { recordAudit } from '../../platform/audit/audit.service';
import { actorId, type Ctx } from '../../platform/context';
import { nextCounterValue } from '../../platform/db/counters';
import { Conflict, NotFound, RuleViolation } from '../../platform/http/errors';
import { facilityToday, requireFacility } from '../../platform/organization/facility-context';
import { formularyItems, indentLines, indents, stores } from './pharmacy.tables';
import { applyMovements, pickFefo } from './stock-ledger';
import { getStore } from './stores.service';

// Indents: a store asks another for stock (a ward sub-store the IP pharmacy, the IP pharmacy the main store);
// the supplying store issues all or part of it, first expiry first out, and the units move from one store to
// the other in one transaction (transfer-out and transfer-in in the ledger, same batch).

type IndentRow = typeof indents.$inferSelect;

async function toIndents(ctx: Ctx, rows: IndentRow[]): Promise<Indent[]> {
  if (rows.length === 0) return [];
  const lines = await ctx.db
    .select({ line: indentLines, genericName: formularyItems.genericName, strength: formularyItems.strength })
    .from(indentLines)
    .innerJoin(formularyItems, eq(formularyItems.id, indentLines.formularyItemId))
    .where(
      inArray(
        indentLines.indentId,
        rows.map((r) => r.id),
      ),
    )
    .orderBy(asc(formularyItems.genericName));
  const storeIds = [...new Set(rows.flatMap((r) => [r.requestingStoreId, r.supplyingStoreId]))];
  const names = new Map(
    (
      await ctx.db
        .select({ id: stores.id, name: stores.name })
        .from(stores)
        .where(inArray(stores.id, storeIds))
    ).map((s) => [s.id, s.name]),
  );
  return rows.map((r) => ({
    id: r.id,
    number: r.number,
    requestingStoreId: r.requestingStoreId,
    requestingStoreName: names.get(r.requestingStoreId) ?? '',
    supplyingStoreId: r.supplyingStoreId,
    supplyingStoreName: names.get(r.supplyingStoreId) ?? '',
    status: r.status as Indent['status'],
    requestedByName: r.requestedByName,
    requestedAt: r.requestedAt.toISOString(),
    note: r.note,
    lines: lines
      .filter((l) => l.line.indentId === r.id)
      .map((l) => ({
        formularyItemId: l.line.formularyItemId,
        genericName: l.genericName,
        strength: l.strength,
        requested: l.line.requested,
        issued: l.line.issued,
      })),
    version: r.version,
  }));
}

export async function createIndent(ctx: Ctx, input: z.output<typeof IndentBody>): Promise<Indent> {
  const facilityId = requireFacility(ctx);
  if (input.requestingStoreId === input.supplyingStoreId) {
    throw new RuleViolation('PHARMACY_INDENT_SAME_STORE', 'A store cannot indent from itself');
  }
  await getStore(ctx, input.requestingStoreId);
  await getStore(ctx, input.supplyingStoreId);
  const itemIds = [...new Set(input.lines.map((l) => l.formularyItemId))];
  if (itemIds.length !== input.lines.length) {
    throw new RuleViolation('PHARMACY_INDENT_DUPLICATE_ITEM', 'Each item once per indent');
  }
  const known = await ctx.db
    .select({ id: formularyItems.id })
    .from(formularyItems)
    .where(inArray(formularyItems.id, itemIds));
  if (known.length !== itemIds.length) throw new NotFound('A formulary item', 'PHARMACY_ITEM_NOT_FOUND');
  const row = await ctx.db.transaction(async (tx) => {
    const value = await nextCounterValue(tx, facilityId, 'pharmacy.indent');
    const [r] = await tx
      .insert(indents)
      .values({
        facilityId,
        number: `IND-${String(value).padStart(6, '0')}`,
        requestingStoreId: input.requestingStoreId,
        supplyingStoreId: input.supplyingStoreId,
        requestedById: actorId(ctx.actor),
        requestedByName: ctx.actor.name,
        requestedAt: ctx.now,
        note: input.note ?? null,
      })
      .returning();
    await tx.insert(indentLines).values(
      input.lines.map((l) => ({
        indentId: r!.id,
        formularyItemId: l.formularyItemId,
        requested: l.quantity,
      })),
    );
    await recordAudit(tx, ctx, { action: 'create', resourceType: 'Indent', resourceId: r!.id });
    return r!;
  });
  return (await toIndents(ctx, [row]))[0]!;
}

export async function listIndents(ctx: Ctx, query: z.output<typeof IndentQuery>): Promise<Indent[]> {
  const facilityId = requireFacility(ctx);
  const rows = await ctx.db
    .select()
    .from(indents)
    .where(
      and(
        eq(indents.facilityId, facilityId),
        query.storeId
          ? or(eq(indents.requestingStoreId, query.storeId), eq(indents.supplyingStoreId, query.storeId))
          : undefined,
        query.status ? eq(indents.status, query.status) : undefined,
      ),
    )
    .orderBy(desc(indents.requestedAt))
    .limit(200);
  return toIndents(ctx, rows);
}

/**
 * The supplying store issues against an indent: per item up to what is still outstanding, FEFO from its
 * unexpired batches (not enough stock is a 409 and nothing moves). The indent becomes partially issued or
 * issued.
 */
export async function issueIndent(
  ctx: Ctx,
  id: string,
  input: z.output<typeof IndentIssueBody>,
): Promise<Indent> {
  const facilityId = requireFacility(ctx);
  const { today } = await facilityToday(ctx.db, facilityId, ctx.now);
  const row = await ctx.db.transaction(async (tx) => {
    const [indent] = await tx
      .select()
      .from(indents)
      .where(and(eq(indents.id, id), eq(indents.facilityId, facilityId)))
      .for('update');
    if (!indent) throw new NotFound('The indent', 'PHARMACY_INDENT_NOT_FOUND');
    if (indent.status === 'issued' || indent.status === 'cancelled') {
      throw new Conflict('PHARMACY_INDENT_CLOSED', `The indent is ${indent.status}`);
    }
    if (indent.version !== input.version) {
      throw new Conflict('PHARMACY_INDENT_CHANGED', 'The indent changed meanwhile; reload and try again');
    }
    const lines = await tx.select().from(indentLines).where(eq(indentLines.indentId, id));
    const errors: { path: string; message: string }[] = [];
    input.lines.forEach((l, i) => {
      const line = lines.find((x) => x.formularyItemId === l.formularyItemId);
      if (!line) errors.push({ path: `lines.${i}.formularyItemId`, message: 'not on this indent' });
      else if (l.quantity > line.requested - line.issued) {
        errors.push({
          path: `lines.${i}.quantity`,
          message: `only ${line.requested - line.issued} outstanding`,
        });
      }
    });
    if (errors.length > 0)
      throw new RuleViolation('PHARMACY_ISSUE_INVALID', 'The indent cannot be issued so', errors);
    for (const l of input.lines) {
      if (l.quantity === 0) continue;
      const picks = await pickFefo(tx, {
        storeId: indent.supplyingStoreId,
        formularyItemId: l.formularyItemId,
        quantity: l.quantity,
        today,
      });
      await applyMovements(
        tx,
        ctx,
        facilityId,
        picks.flatMap((p) => [
          {
            storeId: indent.supplyingStoreId,
            batchId: p.batchId,
            formularyItemId: l.formularyItemId,
            quantity: -p.quantity,
            kind: 'transfer-out' as const,
            referenceType: 'indent',
            referenceId: indent.id,
          },
          {
            storeId: indent.requestingStoreId,
            batchId: p.batchId,
            formularyItemId: l.formularyItemId,
            quantity: p.quantity,
            kind: 'transfer-in' as const,
            referenceType: 'indent',
            referenceId: indent.id,
          },
        ]),
      );
      const line = lines.find((x) => x.formularyItemId === l.formularyItemId)!;
      line.issued += l.quantity;
      await tx
        .update(indentLines)
        .set({ issued: line.issued })
        .where(and(eq(indentLines.indentId, id), eq(indentLines.formularyItemId, l.formularyItemId)));
    }
    const complete = lines.every((l) => l.issued >= l.requested);
    const anything = lines.some((l) => l.issued > 0);
    const [updated] = await tx
      .update(indents)
      .set({
        status: complete ? 'issued' : anything ? 'partially-issued' : indent.status,
        closedAt: complete ? ctx.now : null,
        version: indent.version + 1,
      })
      .where(eq(indents.id, id))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'update',
      resourceType: 'Indent',
      resourceId: id,
      detail: { issued: input.lines },
    });
    return updated!;
  });
  return (await toIndents(ctx, [row]))[0]!;
}

export async function cancelIndent(ctx: Ctx, id: string, version: number): Promise<Indent> {
  const facilityId = requireFacility(ctx);
  const row = await ctx.db.transaction(async (tx) => {
    const [indent] = await tx
      .select()
      .from(indents)
      .where(and(eq(indents.id, id), eq(indents.facilityId, facilityId)))
      .for('update');
    if (!indent) throw new NotFound('The indent', 'PHARMACY_INDENT_NOT_FOUND');
    if (indent.status !== 'requested') {
      throw new Conflict(
        'PHARMACY_INDENT_NOT_CANCELLABLE',
        `The indent is ${indent.status}: it cannot be cancelled`,
      );
    }
    if (indent.version !== version) {
      throw new Conflict('PHARMACY_INDENT_CHANGED', 'The indent changed meanwhile; reload and try again');
    }
    const [updated] = await tx
      .update(indents)
      .set({ status: 'cancelled', closedAt: ctx.now, version: indent.version + 1 })
      .where(eq(indents.id, id))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'update',
      resourceType: 'Indent',
      resourceId: id,
      detail: { cancelled: true },
    });
    return updated!;
  });
  return (await toIndents(ctx, [row]))[0]!;
}
