import type { Department, Facility } from '@newhms/contracts';
import { and, asc, eq } from 'drizzle-orm';
import { recordAudit } from '../audit/audit.service';
import type { Ctx } from '../context';
import type { Db, DbOrTx } from '../db/database';
import { NotFound, RuleViolation, StaleVersion } from '../http/errors';
import { departments, facilities } from './organization.tables';

type FacilityRow = typeof facilities.$inferSelect;
type DepartmentRow = typeof departments.$inferSelect;

function toFacility(r: FacilityRow): Facility {
  return { ...r, createdAt: r.createdAt.toISOString() };
}
function toDepartment(r: DepartmentRow): Department {
  return {
    id: r.id,
    facilityId: r.facilityId,
    code: r.code,
    name: r.name,
    kind: r.kind as Department['kind'],
    parentId: r.parentId,
    active: r.active,
    version: r.version,
  };
}

export async function listFacilities(ctx: Ctx): Promise<Facility[]> {
  return (await ctx.db.select().from(facilities).orderBy(asc(facilities.name))).map(toFacility);
}

export async function getFacility(db: DbOrTx, id: string): Promise<Facility> {
  const [row] = await db.select().from(facilities).where(eq(facilities.id, id));
  if (!row) throw new NotFound('The facility');
  return toFacility(row);
}

type FacilityInput = Partial<Omit<FacilityRow, 'id' | 'version' | 'createdAt' | 'updatedAt'>>;

export async function createFacility(
  ctx: Ctx,
  input: FacilityInput & { code: string; name: string },
): Promise<Facility> {
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.insert(facilities).values(input).returning();
    await recordAudit(
      tx,
      { ...ctx, facilityId: row!.id },
      { action: 'create', resourceType: 'Facility', resourceId: row!.id, detail: input },
    );
    return toFacility(row!);
  });
}

export async function updateFacility(
  ctx: Ctx,
  id: string,
  input: FacilityInput & { version: number },
): Promise<Facility> {
  return ctx.db.transaction(async (tx) => {
    const [current] = await tx.select().from(facilities).where(eq(facilities.id, id)).for('update');
    if (!current) throw new NotFound('The facility');
    if (current.version !== input.version) throw new StaleVersion('The facility');
    const { version, ...changes } = input;
    const [row] = await tx
      .update(facilities)
      .set({ ...changes, version: version + 1, updatedAt: ctx.now })
      .where(eq(facilities.id, id))
      .returning();
    await recordAudit(
      tx,
      { ...ctx, facilityId: id },
      { action: 'update', resourceType: 'Facility', resourceId: id, detail: changes },
    );
    return toFacility(row!);
  });
}

export async function listDepartments(ctx: Ctx, facilityId: string): Promise<Department[]> {
  await getFacility(ctx.db, facilityId);
  return (
    await ctx.db
      .select()
      .from(departments)
      .where(eq(departments.facilityId, facilityId))
      .orderBy(asc(departments.name))
  ).map(toDepartment);
}

async function assertParent(
  ctx: Ctx,
  facilityId: string,
  parentId: string | null | undefined,
  selfId?: string,
) {
  if (!parentId) return;
  if (parentId === selfId)
    throw new RuleViolation('ORGANIZATION_PARENT_CYCLE', 'A department cannot be its own parent');
  const [parent] = await ctx.db
    .select({ id: departments.id })
    .from(departments)
    .where(and(eq(departments.id, parentId), eq(departments.facilityId, facilityId)));
  if (!parent) {
    throw new RuleViolation(
      'ORGANIZATION_PARENT_NOT_FOUND',
      'The parent department is not in this facility',
      [{ path: 'body.parentId', message: 'not found in this facility' }],
    );
  }
}

export async function createDepartment(
  ctx: Ctx,
  facilityId: string,
  input: { code: string; name: string; kind: string; parentId?: string | null | undefined },
): Promise<Department> {
  await getFacility(ctx.db, facilityId);
  await assertParent(ctx, facilityId, input.parentId);
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(departments)
      .values({ ...input, parentId: input.parentId ?? null, facilityId })
      .returning();
    await recordAudit(
      tx,
      { ...ctx, facilityId },
      { action: 'create', resourceType: 'Department', resourceId: row!.id, detail: input },
    );
    return toDepartment(row!);
  });
}

export async function updateDepartment(
  ctx: Ctx,
  facilityId: string,
  id: string,
  input: {
    name?: string | undefined;
    kind?: string | undefined;
    parentId?: string | null | undefined;
    active?: boolean | undefined;
    version: number;
  },
): Promise<Department> {
  await assertParent(ctx, facilityId, input.parentId, id);
  return ctx.db.transaction(async (tx) => {
    const [current] = await tx
      .select()
      .from(departments)
      .where(and(eq(departments.id, id), eq(departments.facilityId, facilityId)))
      .for('update');
    if (!current) throw new NotFound('The department');
    if (current.version !== input.version) throw new StaleVersion('The department');
    const { version, ...changes } = input;
    const [row] = await tx
      .update(departments)
      .set({ ...changes, version: version + 1, updatedAt: ctx.now })
      .where(eq(departments.id, id))
      .returning();
    await recordAudit(
      tx,
      { ...ctx, facilityId },
      { action: 'update', resourceType: 'Department', resourceId: id, detail: changes },
    );
    return toDepartment(row!);
  });
}

/** The first facility, created on an empty database so that the first administrator has a home. */
export async function ensureDefaultFacility(db: Db): Promise<string> {
  const [first] = await db
    .select({ id: facilities.id })
    .from(facilities)
    .orderBy(asc(facilities.createdAt))
    .limit(1);
  if (first) return first.id;
  const [row] = await db
    .insert(facilities)
    .values({ code: 'MAIN', name: 'Main Hospital' })
    .onConflictDoNothing()
    .returning({ id: facilities.id });
  if (row) return row.id;
  const [again] = await db.select({ id: facilities.id }).from(facilities).where(eq(facilities.code, 'MAIN'));
  return again!.id;
}
