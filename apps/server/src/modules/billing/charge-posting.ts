import {
  type AdmissionEventPayload,
  BILLING_EVENTS,
  type Charge,
  IPD_EVENTS,
  LABORATORY_EVENTS,
  LabSampleCollectedPayload,
  OPD_EVENTS,
  OrderUnmatchedPayload,
  RADIOLOGY_EVENTS,
  ServiceRenderedPayload,
  ServiceReversedPayload,
  type TokenEventPayload,
} from '@newhms/contracts';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Ctx } from '../../platform/context';
import { systemCtx } from '../../platform/context';
import type { Db, DbOrTx } from '../../platform/db/database';
import type { DomainEvent } from '../../platform/events/outbox';
import { NotFound, RuleViolation } from '../../platform/http/errors';
import type { Jobs } from '../../platform/jobs/jobs';
import type { AppDeps } from '../../platform/module';
import { localDate } from '../../platform/time/facility-time';
import { ENCOUNTER_EVENTS, getEncounter, getOrderForBilling } from '../encounters';
import { type AdmissionForBilling, getAdmissionForBilling, listOpenAdmissionIds } from '../ipd';
import { getTokenConsultation } from '../opd';
import { type AccountRow, accountPayerCategory, ensureAccount } from './accounts.service';
import { bedDaysByCensus } from './bed-day-charges';
import type { BillingEnv } from './billing.env';
import { accounts, charges, servicePrices, services, taxCodes } from './billing.tables';
import { facilityClock, findServiceByCode, requireFacility, type ServiceRow } from './charge-master.service';
import {
  applyPackageCoverage,
  CHARGE_SOURCES,
  type ChargeRow,
  cancelChargesOfSource,
  cancelRows,
  postCharge,
  toChargeView,
} from './charges.service';
import { awaitsCollection, labChargeMomentOf } from './settings.service';

// Charges posted from other modules' events, each idempotent by its source (one event, one charge, whatever
// the retries), and the bed days of in-patients by the midnight census (on every admission event and hourly).

/** The charge master code of the admission (registration) fee, charged once per stay when the hospital has it. */
export const ADMISSION_FEE_CODE = 'IPD-ADMISSION';
/** The consultation services billing keeps for OPD visits (priced by the practitioner's fee). */
export const CONSULTATION_CODES = {
  'first-visit': 'OPD-CONSULT-NEW',
  'follow-up': 'OPD-CONSULT-FU',
} as const;
/** Groups whose services are charged per census day, for each tariff class they have a price of. */
const DAILY_GROUPS = ['room', 'nursing'];
/** Source types billing posts itself: another module's rendered service may not use them. */
const RESERVED_SOURCES = new Set<string>(Object.values(CHARGE_SOURCES));

const NAME = 'billing.charge-posting';
const ctxFor = (tx: DbOrTx, facilityId: string) => systemCtx(tx as Db, NAME, facilityId);

// ---------------------------------------------------------------------------------------------------------
// Accounts of episodes
// ---------------------------------------------------------------------------------------------------------

/** The IPD account of an admission (opened on first use); its tariff class follows the current bed. */
export async function admissionAccount(tx: DbOrTx, ctx: Ctx, adm: AdmissionForBilling): Promise<AccountRow> {
  const current = adm.periods.at(-1)?.tariffClass ?? '*';
  const account = await ensureAccount(tx, ctx, {
    patientId: adm.patientId,
    kind: 'ipd',
    episodeKey: `ipd.admission:${adm.admissionId}`,
    encounterId: adm.encounterId,
    admissionId: adm.admissionId,
    admissionNumber: adm.admissionNumber,
    payerCategory: accountPayerCategory(adm.payerCategory),
    tariffClass: current,
  });
  if (account.tariffClass !== current && adm.status !== 'cancelled') {
    const [updated] = await tx
      .update(accounts)
      .set({ tariffClass: current, version: account.version + 1, updatedAt: ctx.now })
      .where(eq(accounts.id, account.id))
      .returning();
    return updated!;
  }
  return account;
}

/** The account an encounter's services go on: the stay's, the OPD visit's (first token of it), or the encounter's own. */
async function encounterAccount(
  tx: DbOrTx,
  ctx: Ctx,
  e: { encounterId: string; patientId: string; sourceType: string | null; sourceId: string | null },
): Promise<AccountRow | null> {
  if (e.sourceType === 'ipd-admission' && e.sourceId) {
    const adm = await getAdmissionForBilling(tx, e.sourceId);
    return adm ? admissionAccount(tx, ctx, adm) : null;
  }
  if (e.sourceType === 'opd-token' && e.sourceId) {
    const token = await getTokenConsultation(tx, e.sourceId);
    if (token) {
      return ensureAccount(tx, ctx, {
        patientId: e.patientId,
        kind: 'opd',
        episodeKey: `opd.token:${token.visitTokenId}`,
        encounterId: e.encounterId,
      });
    }
  }
  return ensureAccount(tx, ctx, {
    patientId: e.patientId,
    kind: 'opd',
    episodeKey: `encounter:${e.encounterId}`,
    encounterId: e.encounterId,
  });
}

// ---------------------------------------------------------------------------------------------------------
// OPD consultations
// ---------------------------------------------------------------------------------------------------------

async function consultationService(tx: DbOrTx, facilityId: string, feeKind: 'first-visit' | 'follow-up') {
  const code = CONSULTATION_CODES[feeKind];
  const found = await findServiceByCode(tx, facilityId, code);
  if (found) return found;
  await tx
    .insert(services)
    .values({
      facilityId,
      code,
      name: feeKind === 'follow-up' ? 'Consultation (follow-up)' : 'Consultation (first visit)',
      serviceGroup: 'consultation',
      taxCode: 'HEALTHCARE',
    })
    .onConflictDoNothing();
  const [row] = await tx
    .select()
    .from(services)
    .where(and(eq(services.facilityId, facilityId), eq(services.code, code)));
  return row!;
}

/**
 * The pharmacy's sale codes (`PHARMACY-<tax code>`, see pharmacyServiceCode in the contracts) exist in every
 * facility's charge master once the first sale arrives: goods at MRP (the price includes GST), priced by the
 * batch on each event. A hospital may rename them; it cannot lose them.
 */
async function pharmacyService(tx: DbOrTx, facilityId: string, code: string) {
  const found = await findServiceByCode(tx, facilityId, code);
  if (found) return found;
  const taxCode = code.slice('PHARMACY-'.length);
  const [known] = await tx.select({ code: taxCodes.code }).from(taxCodes).where(eq(taxCodes.code, taxCode));
  if (!known) return null;
  await tx
    .insert(services)
    .values({
      facilityId,
      code,
      name: taxCode === 'DEVICE' ? 'Pharmacy: devices and consumables' : 'Pharmacy: medicines',
      serviceGroup: 'pharmacy',
      taxCode,
      priceIncludesTax: true,
    })
    .onConflictDoNothing();
  return findServiceByCode(tx, facilityId, code);
}

/** The consultation charge of a queue token: the practitioner's (or the appointment's) fee, on the visit's account. */
export async function postConsultation(tx: DbOrTx, event: DomainEvent): Promise<ChargeRow | null> {
  const p = event.payload as TokenEventPayload;
  // A transfer issues a new token for the same visit: the visit's first token carries the only charge.
  if (p.kind === 'transfer') return null;
  const token = await getTokenConsultation(tx, p.tokenId);
  if (!token) return null;
  const ctx = ctxFor(tx, token.facilityId);
  const account = await ensureAccount(tx, ctx, {
    patientId: token.patientId,
    kind: 'opd',
    episodeKey: `opd.token:${token.visitTokenId}`,
    encounterId: token.encounterId,
  });
  const service = await consultationService(tx, token.facilityId, token.feeKind);
  const posted = await postCharge(tx, ctx, {
    account,
    serviceId: service.id,
    quantity: 1,
    serviceDate: token.date,
    unitPrice: token.fee,
    departmentId: token.departmentId,
    performerId: token.practitionerId,
    note: `${token.practitionerName}, ${token.feeKind}`,
    source: { type: CHARGE_SOURCES.token, id: token.visitTokenId, eventId: event.id },
  });
  return posted?.charge ?? null;
}

// ---------------------------------------------------------------------------------------------------------
// Orders
// ---------------------------------------------------------------------------------------------------------

/** The active service an order bills: the one whose code is the order's code, else one named as the order is. */
async function serviceOfOrder(
  tx: DbOrTx,
  facilityId: string,
  order: { code: string | null; display: string },
): Promise<ServiceRow | null> {
  if (order.code) {
    const byCode = await findServiceByCode(tx, facilityId, order.code);
    if (byCode) return byCode;
  }
  const [byName] = await tx
    .select()
    .from(services)
    .where(
      and(
        eq(services.facilityId, facilityId),
        eq(services.active, true),
        sql`lower(${services.name}) = lower(${order.display.trim()})`,
      ),
    )
    .limit(1);
  return byName ?? null;
}

/**
 * The charge master code another module's service is billed under, matched as an encounter's order is: the
 * first of its codes that names an active service, else the service named as it is. Null when none matches
 * (billing would then ignore its billing.service.rendered). For modules that publish rendered services.
 */
export async function chargeMasterCodeFor(
  db: DbOrTx,
  facilityId: string,
  service: { codes: readonly string[]; display: string },
): Promise<string | null> {
  for (const code of service.codes) {
    const found = await findServiceByCode(db, facilityId, code);
    if (found) return found.code;
  }
  return (await serviceOfOrder(db, facilityId, { code: null, display: service.display }))?.code ?? null;
}

/**
 * The charge of an order (laboratory, imaging, procedure), or null while its code matches no priced service
 * (the order then shows in the unpriced list). Idempotent by the order: one charge whatever the redeliveries
 * and recollections. A laboratory order of a facility that charges on collection waits for its sample: it is
 * charged from `laboratory.sample.collected` (`collectedAt`, the service date), or by hand once encounters
 * shows it collected.
 */
export async function postOrderCharge(
  tx: DbOrTx,
  ctx: Ctx,
  orderId: string,
  eventId: string | null,
  collectedAt: Date | null = null,
): Promise<ChargeRow | null> {
  const order = await getOrderForBilling(tx, orderId);
  if (!order || !['active', 'in-progress', 'completed'].includes(order.status)) return null;
  // The laboratory or radiology did not take it (no test or procedure of its catalog): nothing is done, so
  // nothing is charged, even when the charge master knows its code.
  if (order.fulfilmentStatus === 'not-matched') return null;
  if (
    !collectedAt &&
    order.category === 'laboratory' &&
    awaitsCollection(order, await labChargeMomentOf(tx, order.facilityId))
  ) {
    return null;
  }
  const service = await serviceOfOrder(tx, order.facilityId, order);
  if (!service) return null;
  const account = await encounterAccount(tx, ctx, {
    encounterId: order.encounterId,
    patientId: order.patientId,
    sourceType: order.encounterSourceType,
    sourceId: order.encounterSourceId,
  });
  if (!account) return null;
  const { timeZone } = await facilityClock(tx, order.facilityId, ctx.now);
  const posted = await postCharge(tx, ctx, {
    account,
    serviceId: service.id,
    quantity: 1,
    serviceDate: localDate(collectedAt ?? order.requestedAt, timeZone),
    performerId: order.encounterPractitionerId,
    note: order.display,
    source: { type: CHARGE_SOURCES.order, id: order.orderId, eventId },
  });
  return posted?.charge ?? null;
}

/** Billing staff post an order's charge once the charge master prices it (422 while it still does not). */
export async function postUnpricedOrder(ctx: Ctx, orderId: string): Promise<Charge> {
  const facilityId = requireFacility(ctx);
  const order = await getOrderForBilling(ctx.db, orderId);
  if (!order || order.facilityId !== facilityId) throw new NotFound('The order', 'BILLING_ORDER_NOT_FOUND');
  if (order.fulfilmentStatus === 'not-matched') {
    throw new RuleViolation(
      'BILLING_ORDER_NOT_TAKEN',
      `The ${order.category === 'laboratory' ? 'laboratory' : 'radiology department'} did not take this order (not in its catalog): nothing was done to charge for`,
    );
  }
  if (awaitsCollection(order, await labChargeMomentOf(ctx.db, facilityId))) {
    throw new RuleViolation(
      'BILLING_ORDER_NOT_COLLECTED',
      'This facility charges laboratory tests on collection: the sample of this order has not been collected',
    );
  }
  const row = await ctx.db.transaction((tx) =>
    postOrderCharge(tx, { ...ctx, db: tx as unknown as Db }, orderId, null),
  );
  if (!row) {
    throw new RuleViolation(
      'BILLING_ORDER_UNPRICED',
      'No active, priced service matches this order (by code or name), or the order is no longer active',
    );
  }
  return toChargeView(ctx.db, row);
}

// ---------------------------------------------------------------------------------------------------------
// In-patient stays: account, admission fee, bed days
// ---------------------------------------------------------------------------------------------------------

/**
 * The bed-day charges of a stay brought in line with its bed history: for each census night, each daily
 * service (room, nursing) priced for the tariff class of the bed held at that midnight. A night whose class
 * changed (a same-day stay that later spanned a midnight) has its old charge cancelled and a new one posted;
 * nights on a final invoice stay. Returns the charges posted.
 */
export async function syncBedDays(
  tx: DbOrTx,
  ctx: Ctx,
  adm: AdmissionForBilling,
  account: AccountRow,
  eventId: string | null = null,
): Promise<number> {
  if (adm.status === 'cancelled') return 0;
  const days = bedDaysByCensus(adm.periods, adm.timeZone, ctx.now);
  const classes = [...new Set(days.map((d) => d.tariffClass))];
  const daily = classes.length
    ? await tx
        .select({
          service: services,
          tariffClass: servicePrices.tariffClass,
          validFrom: servicePrices.validFrom,
          validTo: servicePrices.validTo,
        })
        .from(services)
        .innerJoin(servicePrices, eq(servicePrices.serviceId, services.id))
        .where(
          and(
            eq(services.facilityId, adm.facilityId),
            eq(services.active, true),
            inArray(services.serviceGroup, DAILY_GROUPS),
            inArray(servicePrices.tariffClass, classes),
          ),
        )
    : [];
  const wanted = new Map<string, { day: (typeof days)[number]; service: ServiceRow }>();
  for (const day of days) {
    for (const d of daily) {
      if (d.tariffClass !== day.tariffClass) continue;
      if (d.validFrom > day.censusDate || (d.validTo !== null && day.censusDate >= d.validTo)) continue;
      wanted.set(`${day.censusDate}/${day.tariffClass}/${d.service.code}`, { day, service: d.service });
    }
  }
  const existing = await tx
    .select()
    .from(charges)
    .where(
      and(
        eq(charges.facilityId, adm.facilityId),
        eq(charges.sourceType, CHARGE_SOURCES.bedDay),
        eq(charges.sourceId, adm.admissionId),
      ),
    )
    .for('update');
  const baseOf = (line: string) => line.split('#')[0]!;
  const stale = existing.filter((c) => c.status === 'active' && !wanted.has(baseOf(c.sourceLine)));
  if (stale.length) await cancelRows(tx, ctx, stale, 'The bed census of the stay changed');
  let posted = 0;
  for (const [base, { day, service }] of wanted) {
    const same = existing.filter((c) => baseOf(c.sourceLine) === base);
    if (same.some((c) => c.status === 'active')) continue;
    const line = same.length === 0 ? base : `${base}#${same.length + 1}`;
    const r = await postCharge(tx, ctx, {
      account,
      serviceId: service.id,
      quantity: 1,
      serviceDate: day.censusDate,
      tariffClass: day.tariffClass,
      intensiveCare: day.intensiveCare || service.intensiveCare,
      note: `Bed ${day.bedCode}, day ${day.dayNumber}`,
      source: { type: CHARGE_SOURCES.bedDay, id: adm.admissionId, line, eventId },
      skipCoverage: true,
    });
    if (r?.created) posted++;
  }
  if (account.packageId) await applyPackageCoverage(tx, account);
  return posted;
}

/** An admission event: the IPD account, the admission fee (once), and the bed days so far. */
export async function postStay(tx: DbOrTx, event: DomainEvent): Promise<void> {
  const p = event.payload as AdmissionEventPayload;
  const adm = await getAdmissionForBilling(tx, p.admissionId);
  if (!adm) return;
  const ctx = ctxFor(tx, adm.facilityId);
  if (adm.status === 'cancelled') {
    await cancelStay(tx, ctx, adm);
    return;
  }
  const account = await admissionAccount(tx, ctx, adm);
  const fee = await findServiceByCode(tx, adm.facilityId, ADMISSION_FEE_CODE);
  if (fee) {
    await postCharge(tx, ctx, {
      account,
      serviceId: fee.id,
      quantity: 1,
      serviceDate: localDate(adm.admittedAt, adm.timeZone),
      performerId: adm.attendingPractitionerId,
      source: { type: CHARGE_SOURCES.admissionFee, id: adm.admissionId, eventId: event.id },
    });
  }
  await syncBedDays(tx, ctx, adm, account, event.id);
}

/** An admission entered in error: every charge of the stay is cancelled with the reason. */
async function cancelStay(tx: DbOrTx, ctx: Ctx, adm: AdmissionForBilling): Promise<void> {
  const [account] = await tx
    .select()
    .from(accounts)
    .where(
      and(
        eq(accounts.facilityId, adm.facilityId),
        eq(accounts.episodeKey, `ipd.admission:${adm.admissionId}`),
      ),
    );
  if (!account) return;
  const rows = await tx
    .select()
    .from(charges)
    .where(and(eq(charges.accountId, account.id), eq(charges.status, 'active')))
    .for('update');
  await cancelRows(tx, ctx, rows, `Admission cancelled: ${adm.cancelledReason ?? 'entered in error'}`);
}

/** Brings the bed days of every open stay up to now (each in its own transaction); returns the charges posted. */
export async function syncAllBedDays(db: Db, facilityId?: string): Promise<number> {
  let posted = 0;
  for (const id of await listOpenAdmissionIds(db, facilityId)) {
    posted += await db.transaction(async (tx) => {
      const adm = await getAdmissionForBilling(tx, id);
      if (!adm) return 0;
      const ctx = systemCtx(tx as unknown as Db, 'billing.bed-days', adm.facilityId);
      return syncBedDays(tx, ctx, adm, await admissionAccount(tx, ctx, adm));
    });
  }
  return posted;
}

// ---------------------------------------------------------------------------------------------------------
// Services rendered by other modules (pharmacy, laboratory, radiology)
// ---------------------------------------------------------------------------------------------------------

async function postRendered(tx: DbOrTx, event: DomainEvent): Promise<void> {
  const parsed = ServiceRenderedPayload.safeParse(event.payload);
  if (!parsed.success || !event.facilityId || RESERVED_SOURCES.has(parsed.data.sourceType)) return;
  const p = parsed.data;
  const ctx = ctxFor(tx, event.facilityId);
  let account: AccountRow | null = null;
  if (p.admissionId) {
    const adm = await getAdmissionForBilling(tx, p.admissionId);
    if (adm && adm.facilityId === event.facilityId) account = await admissionAccount(tx, ctx, adm);
  } else if (p.encounterId) {
    const e = await getEncounter(tx, p.encounterId).catch(() => null);
    if (e && e.facilityId === event.facilityId) {
      account = await encounterAccount(tx, ctx, {
        encounterId: e.id,
        patientId: e.patientId,
        sourceType: e.sourceType,
        sourceId: e.sourceId,
      });
    }
  }
  if (!account || account.patientId !== p.patientId) return;
  const service = p.serviceCode.startsWith('PHARMACY-')
    ? await pharmacyService(tx, event.facilityId, p.serviceCode)
    : await findServiceByCode(tx, event.facilityId, p.serviceCode);
  if (!service) return;
  await postCharge(tx, ctx, {
    account,
    serviceId: service.id,
    quantity: p.quantity,
    serviceDate: p.serviceDate,
    unitPrice: p.unitPrice ?? null,
    performerId: p.performerId ?? null,
    source: { type: p.sourceType, id: p.sourceId, line: p.sourceLine, eventId: event.id },
  });
}

/**
 * A laboratory sample drawn: in a facility that charges laboratory tests on collection, the charge of each
 * encounter order it fulfils (one per order, whatever the redeliveries, tubes and recollections: the charge is
 * keyed by the order). Walk-ins are charged by the laboratory itself (billing.service.rendered at collection).
 */
async function postCollectedOrders(tx: DbOrTx, event: DomainEvent): Promise<void> {
  const parsed = LabSampleCollectedPayload.safeParse(event.payload);
  if (!parsed.success || !event.facilityId) return;
  if ((await labChargeMomentOf(tx, event.facilityId)) !== 'collection') return;
  const ctx = ctxFor(tx, event.facilityId);
  for (const r of parsed.data.requests) {
    if (!r.orderId) continue;
    const order = await getOrderForBilling(tx, r.orderId);
    if (!order || order.facilityId !== event.facilityId || order.category !== 'laboratory') continue;
    await postOrderCharge(tx, ctx, r.orderId, event.id, new Date(parsed.data.collectedAt));
  }
}

async function reverseRendered(tx: DbOrTx, event: DomainEvent): Promise<void> {
  const parsed = ServiceReversedPayload.safeParse(event.payload);
  if (!parsed.success || !event.facilityId || RESERVED_SOURCES.has(parsed.data.sourceType)) return;
  const p = parsed.data;
  await cancelChargesOfSource(
    tx,
    ctxFor(tx, event.facilityId),
    event.facilityId,
    { type: p.sourceType, id: p.sourceId, line: p.sourceLine },
    p.reason,
  );
}

// ---------------------------------------------------------------------------------------------------------
// Registration
// ---------------------------------------------------------------------------------------------------------

/** Subscribes billing to the events it posts charges from. Every subscriber is idempotent; the names are stable. */
export function registerChargePosting(deps: AppDeps, _env: BillingEnv): void {
  deps.events.subscribe('billing.consultation', [OPD_EVENTS.tokenIssued], async (event, tx) => {
    await postConsultation(tx, event);
  });
  deps.events.subscribe('billing.order-placed', [ENCOUNTER_EVENTS.orderPlaced], async (event, tx) => {
    if (!event.facilityId) return;
    const p = event.payload as { orderId: string };
    await postOrderCharge(tx, ctxFor(tx, event.facilityId), p.orderId, event.id);
  });
  deps.events.subscribe(
    'billing.sample-collected',
    [LABORATORY_EVENTS.sampleCollected],
    async (event, tx) => {
      await postCollectedOrders(tx, event);
    },
  );
  deps.events.subscribe('billing.order-cancelled', [ENCOUNTER_EVENTS.orderCancelled], async (event, tx) => {
    if (!event.facilityId) return;
    const p = event.payload as { orderId: string; reason: string };
    await cancelChargesOfSource(
      tx,
      ctxFor(tx, event.facilityId),
      event.facilityId,
      { type: CHARGE_SOURCES.order, id: p.orderId },
      `Order cancelled: ${p.reason}`,
    );
  });
  // An order the department did not take is not done: a charge already posted on order is cancelled (one on a
  // final invoice stays, for a credit note, as with a cancelled order).
  deps.events.subscribe(
    'billing.order-not-taken',
    [LABORATORY_EVENTS.orderUnmatched, RADIOLOGY_EVENTS.orderUnmatched],
    async (event, tx) => {
      const parsed = OrderUnmatchedPayload.safeParse(event.payload);
      if (!parsed.success || !event.facilityId) return;
      const department = event.type === LABORATORY_EVENTS.orderUnmatched ? 'laboratory' : 'radiology';
      await cancelChargesOfSource(
        tx,
        ctxFor(tx, event.facilityId),
        event.facilityId,
        { type: CHARGE_SOURCES.order, id: parsed.data.orderId },
        `Not taken by ${department}: ${parsed.data.reason}`,
      );
    },
  );
  deps.events.subscribe(
    'billing.stay',
    [IPD_EVENTS.admitted, IPD_EVENTS.transferred, IPD_EVENTS.discharged, IPD_EVENTS.cancelled],
    async (event, tx) => {
      await postStay(tx, event);
    },
  );
  deps.events.subscribe('billing.service-rendered', [BILLING_EVENTS.serviceRendered], async (event, tx) => {
    await postRendered(tx, event);
  });
  deps.events.subscribe('billing.service-reversed', [BILLING_EVENTS.serviceReversed], async (event, tx) => {
    await reverseRendered(tx, event);
  });
}

/** Every hour: bed days of every open stay up to the last midnight (each facility's midnight, whatever its zone). */
export async function registerBillingJobs(jobs: Jobs, deps: AppDeps): Promise<void> {
  jobs.define(
    'billing.bed-days',
    async () => {
      await syncAllBedDays(deps.database.db);
    },
    { retryLimit: 2, retryDelaySeconds: 300, expireInSeconds: 30 * 60 },
  );
  await jobs.schedule('billing.bed-days', '10 * * * *');
}
