import type {
  Administration,
  MarQuery,
  MarView,
  PrnDoseBody,
  RecordDoseBody,
  StrikeDoseBody,
  WardMarQuery,
} from '@newhms/contracts';
import { and, asc, eq, gte, inArray, isNull, lte, ne, or, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { recordAudit, recordAudits } from '../../platform/audit/audit.service';
import { actorId, type Ctx } from '../../platform/context';
import type { DbOrTx } from '../../platform/db/database';
import { Conflict, NotFound, RuleViolation } from '../../platform/http/errors';
import { requireFacility } from '../../platform/organization/facility-context';
import { getAdmissionPlacement, listPlacedInpatients } from '../ipd';
import { getPatient } from '../patients';
import { brands, formularyItems } from './pharmacy.tables';
import { toItem } from './prescriptions.service';
import { administrations, prescriptionItems, prescriptions } from './prescriptions.tables';

// The medication administration record: the scheduled doses of in-patient orders and what the nurse did
// with each. "Given" is accepted only when the wristband scanned is this patient's and the medicine scanned
// is the ordered one (its formulary code or a brand's barcode); held, refused and missed need a reason. A
// dose past its time by more than the grace period is overdue: the ward's list puts it first.

/** A due dose this long past its time is overdue (NABH: doses within 30 minutes either side of the time). */
export const OVERDUE_AFTER_MS = 30 * 60_000;
/** A scheduled dose can be given (or held, refused) from this long before its time; missed only after it. */
export const EARLY_WINDOW_MS = 60 * 60_000;

type DoseRow = typeof administrations.$inferSelect;
type ItemRow = typeof prescriptionItems.$inferSelect;
type ProductRow = typeof formularyItems.$inferSelect;

function toAdministration(d: DoseRow, item: ItemRow, product: ProductRow, now: Date): Administration {
  return {
    id: d.id,
    prescriptionId: d.prescriptionId,
    lineNo: d.lineNo,
    admissionId: d.admissionId,
    patientId: d.patientId,
    genericName: product.genericName,
    strength: product.strength,
    highAlert: product.highAlert,
    sig: toItem(item, product).sig,
    scheduledAt: d.scheduledAt?.toISOString() ?? null,
    status: d.status as Administration['status'],
    overdue:
      d.status === 'due' && !!d.scheduledAt && now.getTime() - d.scheduledAt.getTime() > OVERDUE_AFTER_MS,
    recordedAt: d.recordedAt?.toISOString() ?? null,
    recordedByName: d.recordedByName,
    reason: d.reason,
    prnIndication: d.prnIndication,
    version: d.version,
  };
}

async function dosesWithItems(db: DbOrTx, where: ReturnType<typeof and>) {
  return db
    .select({ dose: administrations, item: prescriptionItems, product: formularyItems })
    .from(administrations)
    .innerJoin(
      prescriptionItems,
      and(
        eq(prescriptionItems.prescriptionId, administrations.prescriptionId),
        eq(prescriptionItems.lineNo, administrations.lineNo),
      ),
    )
    .innerJoin(formularyItems, eq(formularyItems.id, prescriptionItems.formularyItemId))
    .where(where)
    .orderBy(
      asc(sql`coalesce(${administrations.scheduledAt}, ${administrations.recordedAt})`),
      asc(administrations.lineNo),
    );
}

/** An admission's MAR: its active orders and the doses of a window (default: the last and the next 24 hours). */
export async function admissionMar(
  ctx: Ctx,
  admissionId: string,
  query: z.output<typeof MarQuery>,
): Promise<MarView> {
  const facilityId = requireFacility(ctx);
  const placement = await getAdmissionPlacement(ctx.db, facilityId, admissionId);
  if (!placement) throw new NotFound('The admission', 'MAR_ADMISSION_NOT_FOUND');
  const from = query.from ? new Date(query.from) : new Date(ctx.now.getTime() - 24 * 3_600_000);
  const to = query.to ? new Date(query.to) : new Date(ctx.now.getTime() + 24 * 3_600_000);
  const orders = await ctx.db
    .select({ item: prescriptionItems, product: formularyItems })
    .from(prescriptionItems)
    .innerJoin(prescriptions, eq(prescriptions.id, prescriptionItems.prescriptionId))
    .innerJoin(formularyItems, eq(formularyItems.id, prescriptionItems.formularyItemId))
    .where(
      and(
        eq(prescriptions.admissionId, admissionId),
        eq(prescriptions.status, 'active'),
        eq(prescriptionItems.status, 'active'),
      ),
    )
    .orderBy(asc(prescriptions.createdAt), asc(prescriptionItems.lineNo));
  const doses = await dosesWithItems(
    ctx.db,
    and(
      eq(administrations.admissionId, admissionId),
      or(
        and(gte(administrations.scheduledAt, from), lte(administrations.scheduledAt, to)),
        and(
          isNull(administrations.scheduledAt),
          gte(administrations.recordedAt, from),
          lte(administrations.recordedAt, to),
        ),
        // An overdue dose stays on the chart until someone records it, however old.
        and(eq(administrations.status, 'due'), lte(administrations.scheduledAt, to)),
      ),
    ),
  );
  await recordAudit(ctx.db, ctx, {
    action: 'read',
    resourceType: 'MedicationAdministration',
    resourceId: admissionId,
    patientId: placement.patientId,
  });
  return {
    admissionId,
    patientId: placement.patientId,
    orders: orders.map((o) => ({ ...toItem(o.item, o.product), prescriptionId: o.item.prescriptionId })),
    doses: doses.map((d) => toAdministration(d.dose, d.item, d.product, ctx.now)),
  };
}

/** What a ward's nurses must give: every overdue dose and the doses due in the next hours, bed by bed. */
export async function wardMar(ctx: Ctx, query: z.output<typeof WardMarQuery>) {
  const facilityId = requireFacility(ctx);
  const placed = await listPlacedInpatients(ctx.db, facilityId, query.wardId);
  if (placed.length === 0) return [];
  const until = new Date(ctx.now.getTime() + query.hours * 3_600_000);
  const rows = await dosesWithItems(
    ctx.db,
    and(
      inArray(
        administrations.admissionId,
        placed.map((p) => p.admissionId),
      ),
      eq(administrations.status, 'due'),
      lte(administrations.scheduledAt, until),
    ),
  );
  await recordAudits(
    ctx.db,
    ctx,
    [...new Set(rows.map((r) => r.dose.patientId))].map((patientId) => ({
      action: 'read' as const,
      resourceType: 'MedicationAdministration',
      resourceId: patientId,
      patientId,
    })),
  );
  return placed
    .map((p) => {
      const doses = rows
        .filter((r) => r.dose.admissionId === p.admissionId)
        .map((r) => toAdministration(r.dose, r.item, r.product, ctx.now));
      return {
        admissionId: p.admissionId,
        patientId: p.patientId,
        bedCode: p.bed.bedCode,
        wardName: p.bed.wardName,
        overdue: doses.filter((d) => d.overdue).length,
        doses,
      };
    })
    .filter((p) => p.doses.length > 0);
}

/**
 * Whether a scan is the ordered medicine: its formulary code, or the barcode or name of one of its brands.
 * Case and spaces do not matter.
 */
async function medicineMatches(db: DbOrTx, product: ProductRow, scanned: string): Promise<boolean> {
  const norm = (s: string) => s.replace(/\s+/g, '').toUpperCase();
  const code = norm(scanned);
  if (norm(product.code) === code) return true;
  const rows = await db
    .select({ barcode: brands.barcode, name: brands.name })
    .from(brands)
    .where(eq(brands.formularyItemId, product.id));
  return rows.some((b) => (b.barcode && norm(b.barcode) === code) || norm(b.name) === code);
}

async function checkScans(
  ctx: Ctx,
  patientId: string,
  product: ProductRow,
  scans: { wristbandCode?: string | null | undefined; medicineCode?: string | null | undefined },
) {
  const errors: { path: string; message: string }[] = [];
  const patient = await getPatient(ctx.db, patientId, ctx.now);
  const wristband = (scans.wristbandCode ?? '').trim().toUpperCase();
  if (wristband !== patient.mrn.toUpperCase()) {
    errors.push({
      path: 'wristbandCode',
      message: `this wristband is not ${patient.displayName}'s (${patient.mrn})`,
    });
  }
  if (!scans.medicineCode || !(await medicineMatches(ctx.db, product, scans.medicineCode))) {
    errors.push({
      path: 'medicineCode',
      message: `this is not the ordered ${product.genericName} ${product.strength}`,
    });
  }
  if (errors.length > 0) {
    throw new RuleViolation(
      'MAR_SCAN_MISMATCH',
      'Stop: the scan does not match the patient or the order',
      errors,
    );
  }
}

/** Records what happened to a scheduled dose: given (scans matched), held, refused or missed (with a reason). */
export async function recordDose(
  ctx: Ctx,
  doseId: string,
  input: z.output<typeof RecordDoseBody>,
): Promise<Administration> {
  const facilityId = requireFacility(ctx);
  const [found] = await dosesWithItems(
    ctx.db,
    and(eq(administrations.id, doseId), eq(administrations.facilityId, facilityId)),
  );
  if (!found) throw new NotFound('The dose', 'MAR_DOSE_NOT_FOUND');
  const at = found.dose.scheduledAt;
  if (at) {
    const opens = input.status === 'missed' ? at.getTime() : at.getTime() - EARLY_WINDOW_MS;
    if (ctx.now.getTime() < opens) {
      throw new RuleViolation(
        'MAR_DOSE_NOT_DUE',
        input.status === 'missed'
          ? 'A dose is missed only once its time has passed'
          : 'This dose is not due yet: a dose is recorded from an hour before its time',
      );
    }
  }
  if (input.status === 'given') await checkScans(ctx, found.dose.patientId, found.product, input);
  const row = await ctx.db.transaction(async (tx) => {
    const [d] = await tx.select().from(administrations).where(eq(administrations.id, doseId)).for('update');
    if (d!.status !== 'due')
      throw new Conflict('MAR_DOSE_RECORDED', `The dose was recorded already (${d!.status})`);
    if (d!.version !== input.version) {
      throw new Conflict('MAR_DOSE_CHANGED', 'The dose changed meanwhile; reload and try again');
    }
    const [updated] = await tx
      .update(administrations)
      .set({
        status: input.status,
        reason: input.reason ?? null,
        recordedAt: ctx.now,
        recordedById: actorId(ctx.actor),
        recordedByName: ctx.actor.name,
        wristbandScanned: input.status === 'given',
        medicineScanned: input.status === 'given' ? (input.medicineCode ?? null) : null,
        doseGiven: input.doseGiven ?? null,
        version: d!.version + 1,
        updatedAt: ctx.now,
      })
      .where(eq(administrations.id, doseId))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'update',
      resourceType: 'MedicationAdministration',
      resourceId: doseId,
      patientId: d!.patientId,
      detail: { status: input.status, reason: input.reason ?? null },
    });
    return updated!;
  });
  return toAdministration(row, found.item, found.product, ctx.now);
}

/**
 * Gives an as-needed (SOS) dose: the line must be an active PRN order of an open stay, the indication is
 * recorded, the scans must match, and no more than the order's doses a day (in the last 24 hours).
 */
export async function givePrnDose(ctx: Ctx, input: z.output<typeof PrnDoseBody>): Promise<Administration> {
  const facilityId = requireFacility(ctx);
  const [line] = await ctx.db
    .select({ item: prescriptionItems, product: formularyItems, prescription: prescriptions })
    .from(prescriptionItems)
    .innerJoin(prescriptions, eq(prescriptions.id, prescriptionItems.prescriptionId))
    .innerJoin(formularyItems, eq(formularyItems.id, prescriptionItems.formularyItemId))
    .where(
      and(
        eq(prescriptionItems.prescriptionId, input.prescriptionId),
        eq(prescriptionItems.lineNo, input.lineNo),
        eq(prescriptions.facilityId, facilityId),
      ),
    );
  if (!line?.prescription.admissionId) throw new NotFound('The in-patient order', 'MAR_ORDER_NOT_FOUND');
  if (line.item.frequency !== 'SOS') {
    throw new RuleViolation('MAR_NOT_PRN', 'This order has scheduled doses: record the dose on its time');
  }
  if (line.item.status !== 'active' || line.prescription.status !== 'active') {
    throw new Conflict('MAR_ORDER_NOT_ACTIVE', 'The order is not active');
  }
  await checkScans(ctx, line.prescription.patientId, line.product, input);
  const admissionId = line.prescription.admissionId;
  const row = await ctx.db.transaction(async (tx) => {
    // One PRN dose at a time per order: the count and the insert cannot interleave.
    await tx.select().from(prescriptions).where(eq(prescriptions.id, input.prescriptionId)).for('update');
    const [given] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(administrations)
      .where(
        and(
          eq(administrations.prescriptionId, input.prescriptionId),
          eq(administrations.lineNo, input.lineNo),
          eq(administrations.status, 'given'),
          gte(administrations.recordedAt, new Date(ctx.now.getTime() - 24 * 3_600_000)),
        ),
      );
    const max = line.item.maxDosesPerDay;
    if (max !== null && Number(given?.n ?? 0) >= max) {
      throw new Conflict('MAR_PRN_LIMIT', `${max} dose(s) in 24 hours is the most this order allows`);
    }
    const [inserted] = await tx
      .insert(administrations)
      .values({
        facilityId,
        prescriptionId: input.prescriptionId,
        lineNo: input.lineNo,
        admissionId,
        patientId: line.prescription.patientId,
        scheduledAt: null,
        status: 'given',
        recordedAt: ctx.now,
        recordedById: actorId(ctx.actor),
        recordedByName: ctx.actor.name,
        prnIndication: input.prnIndication,
        doseGiven: input.doseGiven ?? null,
        wristbandScanned: true,
        medicineScanned: input.medicineCode,
      })
      .returning();
    await recordAudit(tx, ctx, {
      action: 'create',
      resourceType: 'MedicationAdministration',
      resourceId: inserted!.id,
      patientId: line.prescription.patientId,
      detail: { prn: input.prnIndication },
    });
    return inserted!;
  });
  return toAdministration(row, line.item, line.product, ctx.now);
}

/**
 * Strikes out a dose recorded in error (kept, status 'entered-in-error', with the reason); a scheduled dose
 * becomes due again as a new row, so it can be recorded correctly.
 */
export async function strikeDose(
  ctx: Ctx,
  doseId: string,
  input: z.output<typeof StrikeDoseBody>,
): Promise<Administration> {
  const facilityId = requireFacility(ctx);
  const [found] = await dosesWithItems(
    ctx.db,
    and(eq(administrations.id, doseId), eq(administrations.facilityId, facilityId)),
  );
  if (!found) throw new NotFound('The dose', 'MAR_DOSE_NOT_FOUND');
  const replacement = await ctx.db.transaction(async (tx) => {
    const [d] = await tx.select().from(administrations).where(eq(administrations.id, doseId)).for('update');
    if (['due', 'cancelled', 'entered-in-error'].includes(d!.status)) {
      throw new Conflict('MAR_DOSE_NOT_RECORDED', `There is nothing to strike out (${d!.status})`);
    }
    if (d!.version !== input.version) {
      throw new Conflict('MAR_DOSE_CHANGED', 'The dose changed meanwhile; reload and try again');
    }
    await tx
      .update(administrations)
      .set({ status: 'entered-in-error', reason: input.reason, version: d!.version + 1, updatedAt: ctx.now })
      .where(eq(administrations.id, doseId));
    let again = d!;
    if (d!.scheduledAt) {
      [again] = (await tx
        .insert(administrations)
        .values({
          facilityId,
          prescriptionId: d!.prescriptionId,
          lineNo: d!.lineNo,
          admissionId: d!.admissionId,
          patientId: d!.patientId,
          scheduledAt: d!.scheduledAt,
        })
        .returning()) as [DoseRow];
    }
    await recordAudit(tx, ctx, {
      action: 'update',
      resourceType: 'MedicationAdministration',
      resourceId: doseId,
      patientId: d!.patientId,
      detail: { enteredInError: input.reason },
    });
    return again;
  });
  return toAdministration(replacement, found.item, found.product, ctx.now);
}

/** Doses still due when a stay ends come off the chart (the stay's orders end with it). */
export async function cancelDosesOfAdmission(tx: DbOrTx, admissionId: string, reason: string, now: Date) {
  await tx
    .update(administrations)
    .set({ status: 'cancelled', reason, updatedAt: now })
    .where(and(eq(administrations.admissionId, admissionId), eq(administrations.status, 'due')));
  await tx
    .update(prescriptions)
    .set({ status: 'completed', updatedAt: now })
    .where(
      and(
        eq(prescriptions.admissionId, admissionId),
        eq(prescriptions.status, 'active'),
        ne(prescriptions.setting, 'outpatient'),
      ),
    );
}
