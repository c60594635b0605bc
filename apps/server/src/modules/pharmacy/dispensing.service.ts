import {
  BILLING_EVENTS,
  type Dispensation,
  type DispensationQuery,
  type DispensationReturnBody,
  type DispenseBody,
  type DispensePrescriptionBody,
  PHARMACY_EVENTS,
  pharmacyServiceCode,
  type ServiceRenderedPayload,
  type ServiceReversedPayload,
} from '@newhms/contracts';
import { and, asc, desc, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { recordAudit, recordAudits } from '../../platform/audit/audit.service';
import { actorId, type Ctx } from '../../platform/context';
import { withConstraintErrors } from '../../platform/db/constraint-errors';
import { nextCounterValue } from '../../platform/db/counters';
import type { DbOrTx } from '../../platform/db/database';
import { newId } from '../../platform/db/ids';
import { appendEvent, type EventRegistry } from '../../platform/events/outbox';
import { Conflict, NotFound, RuleViolation } from '../../platform/http/errors';
import { facilityToday, requireFacility } from '../../platform/organization/facility-context';
import { getEncounter } from '../encounters';
import { ADMISSION_SOURCE_TYPE, getAdmissionPlacement } from '../ipd';
import { getPatient } from '../patients';
import { batches, dispensationLines, dispensations, formularyItems } from './pharmacy.tables';
import { prescriptionAlerts, prescriptionItems, prescriptions } from './prescriptions.tables';
import { applyMovements, isControlled, pickFefo } from './stock-ledger';
import { getStore } from './stores.service';

// Handing medicines to a patient: every line picked first-expiry-first-out (or from the batch the pharmacist
// scanned), stock and the ledger moved, and one billing event per batch line, all in one transaction: a sale
// is whole or not at all, and the last strip goes to one patient only. Returns put units back on their batch
// and reverse the charge of what came back.

export type PharmacyEnv = { events: EventRegistry };

const SOURCE_TYPE = 'pharmacy.dispensation';

/**
 * Where a sale is charged: an open stay (an in-patient's encounter stands for its stay), or an out-patient
 * visit of the same patient in this facility.
 */
async function chargedTo(
  ctx: Ctx,
  facilityId: string,
  input: { patientId: string; encounterId?: string | null; admissionId?: string | null },
): Promise<{ encounterId: string | null; admissionId: string | null }> {
  if (!input.admissionId && input.encounterId) {
    const encounter = await getEncounter(ctx.db, input.encounterId).catch(() => null);
    if (
      encounter?.class === 'inpatient' &&
      encounter.sourceType === ADMISSION_SOURCE_TYPE &&
      encounter.sourceId
    ) {
      return chargedTo(ctx, facilityId, { patientId: input.patientId, admissionId: encounter.sourceId });
    }
  }
  if (input.admissionId) {
    const placement = await getAdmissionPlacement(ctx.db, facilityId, input.admissionId);
    if (!placement || placement.patientId !== input.patientId) {
      throw new NotFound("The patient's admission", 'PHARMACY_ADMISSION_NOT_FOUND');
    }
    if (!placement.open) {
      throw new Conflict(
        'PHARMACY_ADMISSION_CLOSED',
        `The admission is ${placement.status}: nothing more can be issued to it`,
      );
    }
    return { encounterId: null, admissionId: input.admissionId };
  }
  if (input.encounterId) {
    const encounter = await getEncounter(ctx.db, input.encounterId).catch(() => null);
    if (!encounter || encounter.facilityId !== facilityId || encounter.patientId !== input.patientId) {
      throw new NotFound("The patient's visit", 'PHARMACY_ENCOUNTER_NOT_FOUND');
    }
    return { encounterId: encounter.id, admissionId: null };
  }
  throw new RuleViolation(
    'PHARMACY_CHARGE_TO_REQUIRED',
    'Name the visit or the stay the medicines are charged to',
  );
}

/**
 * Dispenses from a dispensing store. Schedule H, H1 and X medicines need the prescriber's name; controlled
 * ones (H1, X, narcotics) also a witness. Expired batches are never picked. Not enough stock is a 409 that
 * names what is available, and nothing moves.
 */
export async function dispense(
  ctx: Ctx,
  env: PharmacyEnv,
  input: z.output<typeof DispenseBody>,
  /** A sale against a prescription: its id, and the prescription line each input line fills. */
  against?: { prescriptionId: string; lineNos: number[]; acknowledgeAlerts: boolean },
): Promise<Dispensation> {
  const facilityId = requireFacility(ctx);
  const store = await getStore(ctx, input.storeId);
  if (!store.dispenses || !store.active) {
    throw new RuleViolation(
      'PHARMACY_STORE_DOES_NOT_DISPENSE',
      `${store.name} does not dispense to patients`,
    );
  }
  await getPatient(ctx.db, input.patientId, ctx.now).catch(() => {
    throw new NotFound('The patient', 'PHARMACY_PATIENT_NOT_FOUND');
  });
  const target = await chargedTo(ctx, facilityId, input);
  const itemIds = [...new Set(input.lines.map((l) => l.formularyItemId))];
  const items = await ctx.db.select().from(formularyItems).where(inArray(formularyItems.id, itemIds));
  const byId = new Map(items.map((i) => [i.id, i]));
  const errors: { path: string; message: string }[] = [];
  input.lines.forEach((l, i) => {
    const item = byId.get(l.formularyItemId);
    if (!item) {
      errors.push({ path: `lines.${i}.formularyItemId`, message: 'not in the formulary' });
      return;
    }
    if (['H', 'H1', 'X'].includes(item.schedule) && !input.prescriberName) {
      errors.push({
        path: 'prescriberName',
        message: `${item.genericName} is Schedule ${item.schedule}: name the prescriber`,
      });
    }
    if (isControlled(item) && !input.witnessName) {
      errors.push({
        path: 'witnessName',
        message: `${item.genericName} is a controlled drug: a witness signs the issue`,
      });
    }
  });
  if (errors.length > 0)
    throw new RuleViolation('PHARMACY_DISPENSE_INVALID', 'The medicines cannot be issued', errors);
  const { today } = await facilityToday(ctx.db, facilityId, ctx.now);

  const dispensationId = newId();
  await ctx.db.transaction(async (tx) => {
    const lines: (typeof dispensationLines.$inferInsert)[] = [];
    const picksByLine: {
      lineNo: number;
      formularyItemId: string;
      batchId: string;
      quantity: number;
      mrp: number;
    }[] = [];
    // The same item twice in one sale takes from what the first line left.
    for (const [i, l] of input.lines.entries()) {
      const picks = await pickFefo(tx, {
        storeId: store.id,
        formularyItemId: l.formularyItemId,
        quantity: l.quantity,
        today,
        ...(l.batchId ? { batchId: l.batchId } : {}),
      }).catch((err) => {
        if (err instanceof Conflict) {
          throw new Conflict(err.code, `${byId.get(l.formularyItemId)!.genericName}: ${err.message}`, {
            ...err.extensions,
            line: i,
          });
        }
        throw err;
      });
      for (const p of picks) {
        const lineNo = lines.length + 1;
        lines.push({
          dispensationId,
          lineNo,
          formularyItemId: l.formularyItemId,
          batchId: p.batchId,
          quantity: p.quantity,
          unitPrice: p.mrp,
          substitutionNote: l.substitutionNote ?? null,
          prescriptionLineNo: against?.lineNos[i] ?? null,
        });
        picksByLine.push({
          lineNo,
          formularyItemId: l.formularyItemId,
          batchId: p.batchId,
          quantity: p.quantity,
          mrp: p.mrp,
        });
      }
      // Taken now, so that a second line of the same item sees the reduced stock.
      await applyMovements(
        tx,
        ctx,
        facilityId,
        picks.map((p) => ({
          storeId: store.id,
          batchId: p.batchId,
          formularyItemId: l.formularyItemId,
          quantity: -p.quantity,
          kind: 'dispense' as const,
          referenceType: 'dispensation',
          referenceId: dispensationId,
          patientId: input.patientId,
          prescriberName: input.prescriberName ?? null,
          witness: input.witnessName ? { id: null, name: input.witnessName } : null,
        })),
      );
    }
    const value = await nextCounterValue(tx, facilityId, 'pharmacy.dispensation');
    const total = lines.reduce((s, l) => s + (l.unitPrice ?? 0) * (l.quantity ?? 0), 0);
    const [d] = await tx
      .insert(dispensations)
      .values({
        id: dispensationId,
        facilityId,
        number: `PH-${String(value).padStart(7, '0')}`,
        storeId: store.id,
        patientId: input.patientId,
        encounterId: target.encounterId,
        admissionId: target.admissionId,
        prescriptionId: against?.prescriptionId ?? null,
        prescriberName: input.prescriberName ?? null,
        counsellingNote: input.counsellingNote ?? null,
        total,
        dispensedById: actorId(ctx.actor),
        dispensedByName: ctx.actor.name,
        dispensedAt: ctx.now,
      })
      .returning();
    await tx.insert(dispensationLines).values(lines);
    if (against) await fillPrescription(tx, ctx, against, input.lines);
    for (const p of picksByLine) {
      const item = byId.get(p.formularyItemId)!;
      const payload: ServiceRenderedPayload = {
        sourceType: SOURCE_TYPE,
        sourceId: d!.id,
        sourceLine: String(p.lineNo),
        patientId: input.patientId,
        admissionId: target.admissionId,
        encounterId: target.encounterId,
        serviceCode: pharmacyServiceCode(item.taxCode),
        quantity: p.quantity,
        serviceDate: today,
        unitPrice: p.mrp,
      };
      await appendEvent(tx, env.events, {
        type: BILLING_EVENTS.serviceRendered,
        facilityId,
        aggregateId: d!.id,
        actorId: actorId(ctx.actor),
        payload,
      });
    }
    await appendEvent(tx, env.events, {
      type: PHARMACY_EVENTS.dispensed,
      facilityId,
      aggregateId: d!.id,
      actorId: actorId(ctx.actor),
      payload: { dispensationId: d!.id, patientId: input.patientId, storeId: store.id, total },
    });
    await recordAudit(tx, ctx, {
      action: 'create',
      resourceType: 'Dispensation',
      resourceId: d!.id,
      patientId: input.patientId,
    });
  });
  return readDispensation(ctx, dispensationId, false);
}

async function readDispensation(ctx: Ctx, id: string, audit = true): Promise<Dispensation> {
  const facilityId = requireFacility(ctx);
  const [d] = await ctx.db
    .select()
    .from(dispensations)
    .where(and(eq(dispensations.id, id), eq(dispensations.facilityId, facilityId)));
  if (!d) throw new NotFound('The dispensation', 'PHARMACY_DISPENSATION_NOT_FOUND');
  const [result] = await withLines(ctx, [d]);
  if (audit) {
    await recordAudit(ctx.db, ctx, {
      action: 'read',
      resourceType: 'Dispensation',
      resourceId: id,
      patientId: d.patientId,
    });
  }
  return result!;
}

export const getDispensation = (ctx: Ctx, id: string) => readDispensation(ctx, id);

async function withLines(ctx: Ctx, rows: (typeof dispensations.$inferSelect)[]): Promise<Dispensation[]> {
  if (rows.length === 0) return [];
  const lines = await ctx.db
    .select({ line: dispensationLines, item: formularyItems, batch: batches })
    .from(dispensationLines)
    .innerJoin(formularyItems, eq(formularyItems.id, dispensationLines.formularyItemId))
    .innerJoin(batches, eq(batches.id, dispensationLines.batchId))
    .where(
      inArray(
        dispensationLines.dispensationId,
        rows.map((r) => r.id),
      ),
    )
    .orderBy(asc(dispensationLines.lineNo));
  return rows.map((d) => ({
    id: d.id,
    number: d.number,
    storeId: d.storeId,
    patientId: d.patientId,
    encounterId: d.encounterId,
    admissionId: d.admissionId,
    prescriptionId: d.prescriptionId,
    prescriberName: d.prescriberName,
    counsellingNote: d.counsellingNote,
    total: d.total,
    dispensedByName: d.dispensedByName,
    dispensedAt: d.dispensedAt.toISOString(),
    lines: lines
      .filter((l) => l.line.dispensationId === d.id)
      .map(({ line, item, batch }) => ({
        lineNo: line.lineNo,
        formularyItemId: item.id,
        genericName: item.genericName,
        strength: item.strength,
        batchId: batch.id,
        batchNo: batch.batchNo,
        expiryDate: batch.expiryDate,
        quantity: line.quantity,
        returned: line.returned,
        unitPrice: line.unitPrice,
        substitutionNote: line.substitutionNote,
      })),
  }));
}

export async function listDispensations(
  ctx: Ctx,
  query: z.output<typeof DispensationQuery>,
): Promise<Dispensation[]> {
  const facilityId = requireFacility(ctx);
  const rows = await ctx.db
    .select()
    .from(dispensations)
    .where(
      and(
        eq(dispensations.facilityId, facilityId),
        query.patientId ? eq(dispensations.patientId, query.patientId) : undefined,
        query.storeId ? eq(dispensations.storeId, query.storeId) : undefined,
      ),
    )
    .orderBy(desc(dispensations.dispensedAt))
    .limit(query.limit);
  const result = await withLines(ctx, rows);
  await recordAudits(
    ctx.db,
    ctx,
    rows.map((r) => ({
      action: 'read' as const,
      resourceType: 'Dispensation',
      resourceId: r.id,
      patientId: r.patientId,
    })),
  );
  return result;
}

/**
 * Takes medicines back from a patient onto the batches they came from (only a dispensing store's own sale,
 * never more than was sold and not yet returned, never an expired batch), reverses the charge of each line
 * and posts the units kept again, in one transaction.
 */
export async function returnDispensed(
  ctx: Ctx,
  env: PharmacyEnv,
  id: string,
  input: z.output<typeof DispensationReturnBody>,
): Promise<Dispensation> {
  const facilityId = requireFacility(ctx);
  const { today } = await facilityToday(ctx.db, facilityId, ctx.now);
  await ctx.db.transaction(async (tx) => {
    const [d] = await tx
      .select()
      .from(dispensations)
      .where(and(eq(dispensations.id, id), eq(dispensations.facilityId, facilityId)))
      .for('update');
    if (!d) throw new NotFound('The dispensation', 'PHARMACY_DISPENSATION_NOT_FOUND');
    const lines = await tx
      .select({ line: dispensationLines, batch: batches, item: formularyItems })
      .from(dispensationLines)
      .innerJoin(batches, eq(batches.id, dispensationLines.batchId))
      .innerJoin(formularyItems, eq(formularyItems.id, dispensationLines.formularyItemId))
      .where(eq(dispensationLines.dispensationId, id));
    const errors: { path: string; message: string }[] = [];
    const wanted = new Map<number, number>();
    for (const r of input.lines) wanted.set(r.lineNo, (wanted.get(r.lineNo) ?? 0) + r.quantity);
    for (const [lineNo, quantity] of wanted) {
      const l = lines.find((x) => x.line.lineNo === lineNo);
      if (!l) errors.push({ path: 'lines', message: `there is no line ${lineNo}` });
      else if (quantity > l.line.quantity - l.line.returned) {
        errors.push({
          path: 'lines',
          message: `line ${lineNo}: only ${l.line.quantity - l.line.returned} can come back`,
        });
      } else if (l.batch.expiryDate <= today) {
        errors.push({
          path: 'lines',
          message: `line ${lineNo}: batch ${l.batch.batchNo} has expired, it cannot go back on the shelf`,
        });
      }
    }
    if (errors.length > 0)
      throw new RuleViolation('PHARMACY_RETURN_INVALID', 'The return cannot be taken', errors);
    for (const [lineNo, quantity] of wanted) {
      const l = lines.find((x) => x.line.lineNo === lineNo)!;
      const returned = l.line.returned + quantity;
      await tx
        .update(dispensationLines)
        .set({ returned })
        .where(and(eq(dispensationLines.dispensationId, id), eq(dispensationLines.lineNo, lineNo)));
      await applyMovements(tx, ctx, facilityId, [
        {
          storeId: d.storeId,
          batchId: l.batch.id,
          formularyItemId: l.item.id,
          quantity,
          kind: 'patient-return',
          referenceType: 'dispensation',
          referenceId: d.id,
          reason: input.reason,
          patientId: d.patientId,
        },
      ]);
      // The line's charge is reversed whole, and what the patient keeps is charged again as a new line.
      const sourceLine = returned === quantity ? String(lineNo) : `${lineNo}.${l.line.returned}`;
      const reversed: ServiceReversedPayload = {
        sourceType: SOURCE_TYPE,
        sourceId: d.id,
        sourceLine,
        reason: `Returned to the pharmacy: ${input.reason}`,
      };
      await appendEvent(tx, env.events, {
        type: BILLING_EVENTS.serviceReversed,
        facilityId,
        aggregateId: d.id,
        actorId: actorId(ctx.actor),
        payload: reversed,
      });
      const kept = l.line.quantity - returned;
      if (kept > 0) {
        const rendered: ServiceRenderedPayload = {
          sourceType: SOURCE_TYPE,
          sourceId: d.id,
          sourceLine: `${lineNo}.${returned}`,
          patientId: d.patientId,
          admissionId: d.admissionId,
          encounterId: d.encounterId,
          serviceCode: pharmacyServiceCode(l.item.taxCode),
          quantity: kept,
          serviceDate: today,
          unitPrice: l.line.unitPrice,
        };
        await appendEvent(tx, env.events, {
          type: BILLING_EVENTS.serviceRendered,
          facilityId,
          aggregateId: d.id,
          actorId: actorId(ctx.actor),
          payload: rendered,
        });
      }
    }
    await appendEvent(tx, env.events, {
      type: PHARMACY_EVENTS.returned,
      facilityId,
      aggregateId: d.id,
      actorId: actorId(ctx.actor),
      payload: {
        dispensationId: d.id,
        patientId: d.patientId,
        lines: [...wanted].map(([lineNo, quantity]) => ({ lineNo, quantity })),
      },
    });
    await recordAudit(tx, ctx, {
      action: 'update',
      resourceType: 'Dispensation',
      resourceId: d.id,
      patientId: d.patientId,
      detail: { returned: [...wanted] },
    });
  });
  return readDispensation(ctx, id, false);
}

/**
 * Counts what a sale handed over against its prescription lines (never beyond the prescribed quantity: a
 * CHECK on the line, so two counters filling the same prescription at once cannot both complete it), and
 * records that the pharmacist read the prescriber's overridden alerts.
 */
async function fillPrescription(
  tx: DbOrTx,
  ctx: Ctx,
  against: { prescriptionId: string; lineNos: number[]; acknowledgeAlerts: boolean },
  lines: { quantity: number }[],
): Promise<void> {
  for (const [i, l] of lines.entries()) {
    const lineNo = against.lineNos[i]!;
    await withConstraintErrors(
      () =>
        tx
          .update(prescriptionItems)
          .set({ dispensed: sql`${prescriptionItems.dispensed} + ${l.quantity}` })
          .where(
            and(
              eq(prescriptionItems.prescriptionId, against.prescriptionId),
              eq(prescriptionItems.lineNo, lineNo),
            ),
          ),
      {
        prescription_items_quantity_ck: () =>
          new Conflict(
            'PRESCRIPTION_LINE_FILLED',
            `Line ${lineNo} of the prescription has been handed over already`,
          ),
      },
    );
  }
  if (against.acknowledgeAlerts) {
    await tx
      .update(prescriptionAlerts)
      .set({ acknowledgedByName: ctx.actor.name, acknowledgedAt: ctx.now })
      .where(
        and(
          eq(prescriptionAlerts.prescriptionId, against.prescriptionId),
          isNull(prescriptionAlerts.acknowledgedAt),
          isNotNull(prescriptionAlerts.overrideReason),
        ),
      );
  }
}

/**
 * Fills a prescription at the counter (or an in-patient order at the IP pharmacy): each line up to what is
 * still to hand over, FEFO; another brand of the same item is automatic (the batch names its brand); another
 * formulary item needs the same ingredients and strength and a substitution note. When the prescriber
 * overrode alerts, the pharmacist must have read them (`alertsAcknowledged`).
 */
export async function dispensePrescription(
  ctx: Ctx,
  env: PharmacyEnv,
  prescriptionId: string,
  input: z.output<typeof DispensePrescriptionBody>,
): Promise<Dispensation> {
  const facilityId = requireFacility(ctx);
  const [p] = await ctx.db
    .select()
    .from(prescriptions)
    .where(and(eq(prescriptions.id, prescriptionId), eq(prescriptions.facilityId, facilityId)));
  if (!p) throw new NotFound('The prescription', 'PRESCRIPTION_NOT_FOUND');
  if (p.status !== 'active') throw new Conflict('PRESCRIPTION_NOT_ACTIVE', `The prescription is ${p.status}`);
  const items = await ctx.db
    .select({ item: prescriptionItems, product: formularyItems })
    .from(prescriptionItems)
    .innerJoin(formularyItems, eq(formularyItems.id, prescriptionItems.formularyItemId))
    .where(eq(prescriptionItems.prescriptionId, prescriptionId));
  const overridden = await ctx.db
    .select({ key: prescriptionAlerts.alertKey })
    .from(prescriptionAlerts)
    .where(
      and(
        eq(prescriptionAlerts.prescriptionId, prescriptionId),
        isNotNull(prescriptionAlerts.overrideReason),
      ),
    );
  if (overridden.length > 0 && !input.alertsAcknowledged) {
    throw new RuleViolation(
      'PRESCRIPTION_ALERTS_NOT_ACKNOWLEDGED',
      `The prescriber overrode ${overridden.length} alert(s): read them before dispensing`,
      [{ path: 'alertsAcknowledged', message: 'confirm that you have read the overridden alerts' }],
    );
  }
  const errors: { path: string; message: string }[] = [];
  const substitutes = input.lines.flatMap((l) =>
    l.substituteFormularyItemId ? [l.substituteFormularyItemId] : [],
  );
  const substituteRows = substitutes.length
    ? await ctx.db.select().from(formularyItems).where(inArray(formularyItems.id, substitutes))
    : [];
  const lines = input.lines.map((l, n) => {
    const found = items.find((x) => x.item.lineNo === l.lineNo);
    if (!found) {
      errors.push({ path: `lines.${n}.lineNo`, message: `the prescription has no line ${l.lineNo}` });
      return null;
    }
    if (found.item.status !== 'active') {
      errors.push({ path: `lines.${n}.lineNo`, message: `line ${l.lineNo} is ${found.item.status}` });
    } else if (l.quantity > found.item.quantity - found.item.dispensed) {
      errors.push({
        path: `lines.${n}.quantity`,
        message: `only ${found.item.quantity - found.item.dispensed} left to hand over on line ${l.lineNo}`,
      });
    }
    let formularyItemId = found.item.formularyItemId;
    if (l.substituteFormularyItemId && l.substituteFormularyItemId !== formularyItemId) {
      const sub = substituteRows.find((r) => r.id === l.substituteFormularyItemId);
      const same =
        sub &&
        [...sub.ingredients].sort().join('+') === [...found.product.ingredients].sort().join('+') &&
        sub.strength.replace(/\s+/g, '').toLowerCase() ===
          found.product.strength.replace(/\s+/g, '').toLowerCase();
      if (!same) {
        errors.push({
          path: `lines.${n}.substituteFormularyItemId`,
          message: 'not the same medicine and strength',
        });
      } else if (!l.substitutionNote) {
        errors.push({
          path: `lines.${n}.substitutionNote`,
          message: 'say why another product is handed over',
        });
      }
      formularyItemId = l.substituteFormularyItemId;
    }
    return {
      formularyItemId,
      quantity: l.quantity,
      ...(l.batchId ? { batchId: l.batchId } : {}),
      substitutionNote: l.substitutionNote ?? null,
    };
  });
  if (errors.length > 0)
    throw new RuleViolation('PHARMACY_DISPENSE_INVALID', 'The prescription cannot be filled so', errors);
  return dispense(
    ctx,
    env,
    {
      storeId: input.storeId,
      patientId: p.patientId,
      encounterId: p.admissionId ? null : p.encounterId,
      admissionId: p.admissionId,
      prescriberName: p.prescriberName,
      counsellingNote: input.counsellingNote ?? null,
      witnessName: input.witnessName ?? null,
      lines: lines.map((l) => l!),
    },
    {
      prescriptionId,
      lineNos: input.lines.map((l) => l.lineNo),
      acknowledgeAlerts: input.alertsAcknowledged,
    },
  );
}
