import type {
  BillingPackage,
  BillingPackageBody,
  BillingService,
  BillingServiceBody,
  BillingServiceQuery,
  PriceQuoteQuery,
  ServicePrice,
  ServicePriceBody,
  TaxCode,
  TaxCodeBody,
  TaxRate,
  TaxRateBody,
  UpdateBillingPackageBody,
  UpdateBillingServiceBody,
} from '@newhms/contracts';
import { and, asc, desc, eq, gt, ilike, inArray, isNull, lte, or, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { recordAudit } from '../../platform/audit/audit.service';
import { actorId, type Ctx } from '../../platform/context';
import { withConstraintErrors } from '../../platform/db/constraint-errors';
import type { DbOrTx } from '../../platform/db/database';
import { Conflict, NotFound, RuleViolation, StaleVersion } from '../../platform/http/errors';
import { decodeCursor, toPage } from '../../platform/http/pagination';
import { getFacility, listDepartments } from '../../platform/organization/organization.service';
import { localDate } from '../../platform/time/facility-time';
import { packageItems, packages, servicePrices, services, taxCodes, taxRates } from './billing.tables';
import type { TaxRateRow, TaxSetting } from './tax-rates';

// The charge master: tax codes with dated GST rows, services, dated prices per tariff class and payer, and
// packages. Prices are looked up by date; a charge copies its price, so editing prices never alters it.

export type ServiceRow = typeof services.$inferSelect;
type PriceRow = typeof servicePrices.$inferSelect;
type PackageRow = typeof packages.$inferSelect;
type TaxRateDbRow = typeof taxRates.$inferSelect;

export function requireFacility(ctx: Ctx): string {
  if (!ctx.facilityId) throw new RuleViolation('FACILITY_REQUIRED', 'Choose a facility first');
  return ctx.facilityId;
}

/** The facility's time zone and today's date there (service dates are local dates). */
export async function facilityClock(
  db: DbOrTx,
  facilityId: string,
  now: Date,
): Promise<{ timeZone: string; today: string }> {
  const f = await getFacility(db, facilityId);
  return { timeZone: f.timeZone, today: localDate(now, f.timeZone) };
}

function checkVersion(row: { version: number }, version: number | undefined, what: string) {
  if (version !== undefined && row.version !== version) throw new StaleVersion(what);
}

async function audit(
  tx: DbOrTx,
  ctx: Ctx,
  action: 'create' | 'update',
  resourceType: string,
  resourceId: string,
  detail: Record<string, unknown>,
) {
  await recordAudit(tx, ctx, { action, resourceType, resourceId, detail });
}

// ---------------------------------------------------------------------------------------------------------
// Taxes
// ---------------------------------------------------------------------------------------------------------

function toTaxRate(r: TaxRateDbRow): TaxRate {
  return {
    id: r.id,
    taxCode: r.taxCode,
    setting: r.setting as TaxRate['setting'],
    rateBp: r.rateBp,
    minUnitPrice: r.minUnitPrice,
    inputCredit: r.inputCredit,
    validFrom: r.validFrom,
    validTo: r.validTo,
    notification: r.notification,
  };
}

/** Every dated tax row, in the shape `taxRateFor` takes (the invoice uses it for GST per line). */
export async function loadTaxRateRows(db: DbOrTx, codes?: readonly string[]): Promise<TaxRateRow[]> {
  const rows = await db
    .select()
    .from(taxRates)
    .where(codes ? inArray(taxRates.taxCode, codes.length ? [...codes] : ['']) : undefined)
    .orderBy(asc(taxRates.taxCode), asc(taxRates.validFrom));
  return rows.map((r) => ({ ...toTaxRate(r), setting: r.setting as TaxSetting }));
}

export async function listTaxCodes(ctx: Ctx): Promise<TaxCode[]> {
  const codes = await ctx.db.select().from(taxCodes).orderBy(asc(taxCodes.code));
  const rates = await ctx.db
    .select()
    .from(taxRates)
    .orderBy(asc(taxRates.taxCode), asc(taxRates.setting), asc(taxRates.validFrom));
  return codes.map((c) => ({
    code: c.code,
    name: c.name,
    hsnSac: c.hsnSac,
    description: c.description,
    rates: rates.filter((r) => r.taxCode === c.code).map(toTaxRate),
  }));
}

export async function createTaxCode(ctx: Ctx, input: z.output<typeof TaxCodeBody>): Promise<TaxCode> {
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(taxCodes)
      .values({
        code: input.code,
        name: input.name,
        hsnSac: input.hsnSac ?? null,
        description: input.description ?? null,
      })
      .onConflictDoNothing()
      .returning();
    if (!row) throw new Conflict('BILLING_TAX_CODE_TAKEN', `Tax code ${input.code} exists already`);
    await audit(tx, ctx, 'create', 'TaxCode', row.code, { name: row.name, hsnSac: row.hsnSac });
    return { ...row, rates: [] };
  });
}

/**
 * Adds a dated row to a tax code. The open row of the same setting and threshold that began earlier ends the
 * day the new one starts; any other overlap is refused (the database's exclusion constraint decides).
 */
export async function addTaxRate(
  ctx: Ctx,
  code: string,
  input: z.output<typeof TaxRateBody>,
): Promise<TaxRate> {
  const minUnitPrice = input.minUnitPrice ?? null;
  return withConstraintErrors(
    () =>
      ctx.db.transaction(async (tx) => {
        const [taxCode] = await tx.select().from(taxCodes).where(eq(taxCodes.code, code));
        if (!taxCode) throw new NotFound('The tax code', 'BILLING_TAX_CODE_NOT_FOUND');
        const sameKey = and(
          eq(taxRates.taxCode, code),
          eq(taxRates.setting, input.setting),
          sql`coalesce(${taxRates.minUnitPrice}, -1) = ${minUnitPrice ?? -1}`,
        );
        const [open] = await tx
          .select()
          .from(taxRates)
          .where(and(sameKey, isNull(taxRates.validTo)))
          .for('update');
        if (open && open.validFrom < input.validFrom) {
          await tx.update(taxRates).set({ validTo: input.validFrom }).where(eq(taxRates.id, open.id));
        }
        const [row] = await tx
          .insert(taxRates)
          .values({
            taxCode: code,
            setting: input.setting,
            rateBp: input.rateBp,
            minUnitPrice,
            inputCredit: input.inputCredit,
            validFrom: input.validFrom,
            validTo: null,
            notification: input.notification ?? null,
          })
          .returning();
        await audit(tx, ctx, 'create', 'TaxRate', row!.id, {
          taxCode: code,
          setting: input.setting,
          rateBp: input.rateBp,
          minUnitPrice,
          validFrom: input.validFrom,
          closed: open && open.validFrom < input.validFrom ? open.id : null,
        });
        return toTaxRate(row!);
      }),
    {
      tax_rates_no_overlap: () =>
        new Conflict(
          'BILLING_TAX_RATE_OVERLAP',
          'A row of this tax code, setting and threshold already covers that date; date the new row after it',
        ),
    },
  );
}

// ---------------------------------------------------------------------------------------------------------
// Services and prices
// ---------------------------------------------------------------------------------------------------------

export function toService(r: ServiceRow): BillingService {
  return {
    id: r.id,
    facilityId: r.facilityId,
    code: r.code,
    name: r.name,
    departmentId: r.departmentId,
    serviceGroup: r.serviceGroup as BillingService['serviceGroup'],
    taxCode: r.taxCode,
    payWhen: r.payWhen as BillingService['payWhen'],
    intensiveCare: r.intensiveCare,
    priceIncludesTax: r.priceIncludesTax,
    active: r.active,
    version: r.version,
  };
}

function toPrice(r: PriceRow): ServicePrice {
  return {
    id: r.id,
    serviceId: r.serviceId,
    tariffClass: r.tariffClass,
    payerId: r.payerId,
    price: r.price,
    currency: 'INR',
    validFrom: r.validFrom,
    validTo: r.validTo,
  };
}

const serviceConstraints = {
  services_code_uq: () => new Conflict('BILLING_SERVICE_CODE_TAKEN', 'Another service has this code'),
  services_tax_code_tax_codes_code_fk: () => unknownTaxCode(),
};
function unknownTaxCode() {
  return new RuleViolation('BILLING_TAX_CODE_UNKNOWN', 'There is no such tax code', [
    { path: 'body.taxCode', message: 'unknown tax code' },
  ]);
}

async function assertTaxCode(db: DbOrTx, code: string | undefined) {
  if (code === undefined) return;
  const [row] = await db.select({ code: taxCodes.code }).from(taxCodes).where(eq(taxCodes.code, code));
  if (!row) throw unknownTaxCode();
}

async function assertDepartment(ctx: Ctx, facilityId: string, departmentId: string | null | undefined) {
  if (!departmentId) return;
  const known = (await listDepartments(ctx, facilityId)).some((d) => d.id === departmentId);
  if (!known) {
    throw new RuleViolation('BILLING_DEPARTMENT_UNKNOWN', 'There is no such department in this facility', [
      { path: 'body.departmentId', message: 'unknown department' },
    ]);
  }
}

export async function loadService(db: DbOrTx, facilityId: string, id: string, lock = false) {
  const q = db
    .select()
    .from(services)
    .where(and(eq(services.id, id), eq(services.facilityId, facilityId)));
  const [row] = lock ? await q.for('update') : await q;
  if (!row) throw new NotFound('The service', 'BILLING_SERVICE_NOT_FOUND');
  return row;
}

/** The active service of a facility with this code, or null. */
export async function findServiceByCode(
  db: DbOrTx,
  facilityId: string,
  code: string,
): Promise<ServiceRow | null> {
  const [row] = await db
    .select()
    .from(services)
    .where(and(eq(services.facilityId, facilityId), eq(services.code, code), eq(services.active, true)));
  return row ?? null;
}

export async function listServices(
  ctx: Ctx,
  query: z.output<typeof BillingServiceQuery>,
): Promise<{ items: BillingService[]; nextCursor: string | null }> {
  const facilityId = requireFacility(ctx);
  const after = decodeCursor(query.cursor, 1);
  const q = query.q?.replace(/[\\%_]/g, (c) => `\\${c}`);
  const rows = await ctx.db
    .select()
    .from(services)
    .where(
      and(
        eq(services.facilityId, facilityId),
        q ? or(ilike(services.code, `%${q}%`), ilike(services.name, `%${q}%`)) : undefined,
        query.serviceGroup ? eq(services.serviceGroup, query.serviceGroup) : undefined,
        query.active ? eq(services.active, query.active === 'true') : undefined,
        after ? gt(services.code, String(after[0])) : undefined,
      ),
    )
    .orderBy(asc(services.code))
    .limit(query.limit + 1);
  return toPage(rows.map(toService), query.limit, (s) => [s.code]);
}

export async function getService(ctx: Ctx, id: string): Promise<BillingService & { prices: ServicePrice[] }> {
  const facilityId = requireFacility(ctx);
  const row = await loadService(ctx.db, facilityId, id);
  return { ...toService(row), prices: await listPrices(ctx, id) };
}

export async function createService(
  ctx: Ctx,
  input: z.output<typeof BillingServiceBody>,
): Promise<BillingService> {
  const facilityId = requireFacility(ctx);
  await assertTaxCode(ctx.db, input.taxCode);
  await assertDepartment(ctx, facilityId, input.departmentId);
  return withConstraintErrors(
    () =>
      ctx.db.transaction(async (tx) => {
        const [row] = await tx
          .insert(services)
          .values({ facilityId, ...input, departmentId: input.departmentId ?? null, updatedAt: ctx.now })
          .returning();
        await audit(tx, ctx, 'create', 'BillingService', row!.id, { code: row!.code, name: row!.name });
        return toService(row!);
      }),
    serviceConstraints,
  );
}

export async function updateService(
  ctx: Ctx,
  id: string,
  input: z.output<typeof UpdateBillingServiceBody>,
): Promise<BillingService> {
  const facilityId = requireFacility(ctx);
  const { version, ...changes } = input;
  await assertTaxCode(ctx.db, changes.taxCode);
  await assertDepartment(ctx, facilityId, changes.departmentId);
  return withConstraintErrors(
    () =>
      ctx.db.transaction(async (tx) => {
        const row = await loadService(tx, facilityId, id, true);
        checkVersion(row, version, 'The service');
        const [updated] = await tx
          .update(services)
          .set({ ...changes, version: row.version + 1, updatedAt: ctx.now })
          .where(eq(services.id, id))
          .returning();
        await audit(tx, ctx, 'update', 'BillingService', id, changes);
        return toService(updated!);
      }),
    serviceConstraints,
  );
}

export async function listPrices(ctx: Ctx, serviceId: string): Promise<ServicePrice[]> {
  const facilityId = requireFacility(ctx);
  await loadService(ctx.db, facilityId, serviceId);
  const rows = await ctx.db
    .select()
    .from(servicePrices)
    .where(eq(servicePrices.serviceId, serviceId))
    .orderBy(asc(servicePrices.tariffClass), asc(servicePrices.payerId), desc(servicePrices.validFrom))
    .limit(1000);
  return rows.map(toPrice);
}

/**
 * Adds a dated price for a tariff class and payer. The open price of the same class and payer that began
 * earlier ends the day the new one starts; any other overlap is 409 (the database refuses it).
 */
export async function addPrice(
  ctx: Ctx,
  serviceId: string,
  input: z.output<typeof ServicePriceBody>,
): Promise<ServicePrice> {
  const facilityId = requireFacility(ctx);
  const payerId = input.payerId ?? null;
  return withConstraintErrors(
    () =>
      ctx.db.transaction(async (tx) => {
        await loadService(tx, facilityId, serviceId, true);
        const [open] = await tx
          .select()
          .from(servicePrices)
          .where(
            and(
              eq(servicePrices.serviceId, serviceId),
              eq(servicePrices.tariffClass, input.tariffClass),
              payerId ? eq(servicePrices.payerId, payerId) : isNull(servicePrices.payerId),
              isNull(servicePrices.validTo),
            ),
          );
        const closes = open && open.validFrom < input.validFrom ? open : null;
        if (closes) {
          await tx
            .update(servicePrices)
            .set({ validTo: input.validFrom, updatedAt: ctx.now })
            .where(eq(servicePrices.id, closes.id));
        }
        const [row] = await tx
          .insert(servicePrices)
          .values({
            serviceId,
            tariffClass: input.tariffClass,
            payerId,
            price: input.price,
            validFrom: input.validFrom,
            createdById: actorId(ctx.actor),
            updatedAt: ctx.now,
          })
          .returning();
        await audit(tx, ctx, 'create', 'ServicePrice', row!.id, {
          serviceId,
          tariffClass: input.tariffClass,
          payerId,
          price: input.price,
          validFrom: input.validFrom,
          closed: closes?.id ?? null,
        });
        return toPrice(row!);
      }),
    {
      service_prices_no_overlap: () =>
        new Conflict(
          'BILLING_PRICE_OVERLAP',
          'A price of this service, tariff class and payer already covers that date; date the new price after it',
        ),
    },
  );
}

export type PriceFound = { priceId: string; price: number; tariffClass: string; payerId: string | null };

/**
 * The price of a service on a date: the payer's rate for the tariff class, else the payer's rate for any
 * class ('*'), else the hospital's rate for the class, else the hospital's rate for any class; null if none.
 */
export async function priceOf(
  tx: DbOrTx,
  q: { serviceId: string; tariffClass: string; payerId: string | null; date: string },
): Promise<PriceFound | null> {
  const classes = q.tariffClass === '*' ? ['*'] : [q.tariffClass, '*'];
  const rows = await tx
    .select()
    .from(servicePrices)
    .where(
      and(
        eq(servicePrices.serviceId, q.serviceId),
        inArray(servicePrices.tariffClass, classes),
        q.payerId
          ? or(isNull(servicePrices.payerId), eq(servicePrices.payerId, q.payerId))
          : isNull(servicePrices.payerId),
        lte(servicePrices.validFrom, q.date),
        or(isNull(servicePrices.validTo), gt(servicePrices.validTo, q.date)) as SQL,
      ),
    );
  const rank = (r: PriceRow) => (r.payerId ? 0 : 2) + (r.tariffClass === '*' ? 1 : 0);
  const best = rows.sort((a, b) => rank(a) - rank(b))[0];
  return best
    ? { priceId: best.id, price: best.price, tariffClass: best.tariffClass, payerId: best.payerId }
    : null;
}

export async function quotePrice(ctx: Ctx, serviceId: string, query: z.output<typeof PriceQuoteQuery>) {
  const facilityId = requireFacility(ctx);
  await loadService(ctx.db, facilityId, serviceId);
  const date = query.date ?? (await facilityClock(ctx.db, facilityId, ctx.now)).today;
  const found = await priceOf(ctx.db, {
    serviceId,
    tariffClass: query.tariffClass,
    payerId: query.payerId ?? null,
    date,
  });
  if (!found) {
    throw new NotFound(`A price of this service on ${date}`, 'BILLING_PRICE_NOT_FOUND');
  }
  return { serviceId, ...found, currency: 'INR' as const, date };
}

// ---------------------------------------------------------------------------------------------------------
// Packages
// ---------------------------------------------------------------------------------------------------------

export type PackageRules = PackageRow & {
  items: {
    kind: string;
    serviceId: string | null;
    serviceGroup: string | null;
    quantityLimit: number | null;
  }[];
};

export async function loadPackage(db: DbOrTx, facilityId: string, id: string): Promise<PackageRules> {
  const [row] = await db
    .select()
    .from(packages)
    .where(and(eq(packages.id, id), eq(packages.facilityId, facilityId)));
  if (!row) throw new NotFound('The package', 'BILLING_PACKAGE_NOT_FOUND');
  const items = await db
    .select()
    .from(packageItems)
    .where(eq(packageItems.packageId, id))
    .orderBy(asc(packageItems.id));
  return { ...row, items };
}

async function toPackages(db: DbOrTx, rows: PackageRow[]): Promise<BillingPackage[]> {
  if (rows.length === 0) return [];
  const items = await db
    .select({
      packageId: packageItems.packageId,
      kind: packageItems.kind,
      serviceId: packageItems.serviceId,
      serviceCode: services.code,
      serviceGroup: packageItems.serviceGroup,
      quantityLimit: packageItems.quantityLimit,
    })
    .from(packageItems)
    .leftJoin(services, eq(services.id, packageItems.serviceId))
    .where(
      inArray(
        packageItems.packageId,
        rows.map((r) => r.id),
      ),
    )
    .orderBy(asc(packageItems.id));
  const own = await db
    .select({ id: services.id, code: services.code, name: services.name })
    .from(services)
    .where(
      inArray(
        services.id,
        rows.map((r) => r.serviceId),
      ),
    );
  const byId = new Map(own.map((s) => [s.id, s]));
  return rows.map((r) => ({
    id: r.id,
    facilityId: r.facilityId,
    serviceId: r.serviceId,
    serviceCode: byId.get(r.serviceId)?.code ?? '',
    serviceName: byId.get(r.serviceId)?.name ?? '',
    losLimitDays: r.losLimitDays,
    beyondLos: r.beyondLos as BillingPackage['beyondLos'],
    active: r.active,
    version: r.version,
    items: items
      .filter((i) => i.packageId === r.id)
      .map((i) => ({
        kind: i.kind as 'include' | 'exclude',
        serviceId: i.serviceId,
        serviceCode: i.serviceCode,
        serviceGroup: i.serviceGroup as BillingPackage['items'][number]['serviceGroup'],
        quantityLimit: i.quantityLimit,
      })),
  }));
}

export async function listPackages(ctx: Ctx): Promise<BillingPackage[]> {
  const facilityId = requireFacility(ctx);
  const rows = await ctx.db
    .select()
    .from(packages)
    .where(eq(packages.facilityId, facilityId))
    .orderBy(asc(packages.createdAt))
    .limit(500);
  return toPackages(ctx.db, rows);
}

export async function getPackage(ctx: Ctx, id: string): Promise<BillingPackage> {
  const facilityId = requireFacility(ctx);
  const row = await loadPackage(ctx.db, facilityId, id);
  return (await toPackages(ctx.db, [row]))[0]!;
}

type ItemInput = z.output<typeof BillingPackageBody>['items'][number];

async function writeItems(tx: DbOrTx, facilityId: string, packageId: string, items: ItemInput[]) {
  const serviceIds = items.flatMap((i) => (i.serviceId ? [i.serviceId] : []));
  if (serviceIds.length) {
    const found = await tx
      .select({ id: services.id })
      .from(services)
      .where(and(eq(services.facilityId, facilityId), inArray(services.id, serviceIds)));
    const known = new Set(found.map((f) => f.id));
    const missing = items.findIndex((i) => i.serviceId && !known.has(i.serviceId));
    if (missing >= 0) {
      throw new RuleViolation('BILLING_SERVICE_UNKNOWN', 'A package item names an unknown service', [
        { path: `body.items.${missing}.serviceId`, message: 'unknown service' },
      ]);
    }
  }
  if (items.length) {
    await tx.insert(packageItems).values(
      items.map((i) => ({
        packageId,
        kind: i.kind,
        serviceId: i.serviceId ?? null,
        serviceGroup: i.serviceId ? null : (i.serviceGroup ?? null),
        quantityLimit: i.quantityLimit ?? null,
      })),
    );
  }
}

export async function createPackage(
  ctx: Ctx,
  input: z.output<typeof BillingPackageBody>,
): Promise<BillingPackage> {
  const facilityId = requireFacility(ctx);
  return withConstraintErrors(
    () =>
      ctx.db.transaction(async (tx) => {
        const service = await loadService(tx, facilityId, input.serviceId);
        if (service.serviceGroup !== 'package') {
          throw new RuleViolation(
            'BILLING_NOT_A_PACKAGE_SERVICE',
            "A package is priced by a service of group 'package'",
            [{ path: 'body.serviceId', message: `the service is in group ${service.serviceGroup}` }],
          );
        }
        const [row] = await tx
          .insert(packages)
          .values({
            facilityId,
            serviceId: input.serviceId,
            losLimitDays: input.losLimitDays ?? null,
            beyondLos: input.beyondLos,
            updatedAt: ctx.now,
          })
          .returning();
        await writeItems(tx, facilityId, row!.id, input.items);
        await audit(tx, ctx, 'create', 'BillingPackage', row!.id, {
          serviceId: input.serviceId,
          losLimitDays: input.losLimitDays ?? null,
          items: input.items.length,
        });
        return (await toPackages(tx, [row!]))[0]!;
      }),
    {
      packages_service_uq: () =>
        new Conflict('BILLING_PACKAGE_EXISTS', 'This service already prices a package; edit that one'),
    },
  );
}

export async function updatePackage(
  ctx: Ctx,
  id: string,
  input: z.output<typeof UpdateBillingPackageBody>,
): Promise<BillingPackage> {
  const facilityId = requireFacility(ctx);
  const { version, items, ...changes } = input;
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(packages)
      .where(and(eq(packages.id, id), eq(packages.facilityId, facilityId)))
      .for('update');
    if (!row) throw new NotFound('The package', 'BILLING_PACKAGE_NOT_FOUND');
    checkVersion(row, version, 'The package');
    const [updated] = await tx
      .update(packages)
      .set({ ...changes, version: row.version + 1, updatedAt: ctx.now })
      .where(eq(packages.id, id))
      .returning();
    if (items) {
      // The items have no history of their own: the package's version and the audit entry keep it.
      await tx.delete(packageItems).where(eq(packageItems.packageId, id));
      await writeItems(tx, facilityId, id, items);
    }
    await audit(tx, ctx, 'update', 'BillingPackage', id, { ...changes, items: items?.length ?? null });
    return (await toPackages(tx, [updated!]))[0]!;
  });
}
