import type {
  CancelPrescriptionBody,
  Prescription,
  PrescriptionAlert,
  PrescriptionBody,
  PrescriptionCheck,
  PrescriptionCheckBody,
  PrescriptionItem,
  PrescriptionQueueQuery,
  QueuedPrescription,
} from '@newhms/contracts';
import { and, asc, desc, eq, gt, inArray, ne, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { recordAudit, recordAudits } from '../../platform/audit/audit.service';
import { actorId, type Ctx } from '../../platform/context';
import { nextCounterValue } from '../../platform/db/counters';
import { newId } from '../../platform/db/ids';
import { appendEvent } from '../../platform/events/outbox';
import { Conflict, NotFound, RuleViolation } from '../../platform/http/errors';
import { facilityToday, requireFacility } from '../../platform/organization/facility-context';
import { addDays, ageInYears } from '../../platform/time/facility-time';
import { encounterVitals, getEncounter } from '../encounters';
import { ADMISSION_SOURCE_TYPE, getAdmissionPlacement } from '../ipd';
import { practitionerCredentials } from '../opd';
import { getPatient, getPatientSummaries } from '../patients';
import { type CheckAlert, checkPrescription, type MedicationItem } from './checker/checker';
import type { PharmacyEnv } from './dispensing.service';
import { formularyItems } from './pharmacy.tables';
import { checkerItemOf, computeQuantity, doseSchedule, sigOf, timesOf } from './prescribing';
import {
  administrations,
  prescriptionAlerts,
  prescriptionItems,
  prescriptions,
} from './prescriptions.tables';

// Writing a prescription: structured lines checked at the moment of prescribing against each other, the
// patient's current medicines, allergies, age and weight; contraindicated and major alerts need the
// prescriber's reason, kept with the prescription for the pharmacist. An in-patient prescription's lines
// are medication orders: their doses are scheduled on the MAR when it is signed.

export const PRESCRIPTION_EVENTS = {
  created: 'pharmacy.prescription.created',
  cancelled: 'pharmacy.prescription.cancelled',
} as const;

type ItemRow = typeof prescriptionItems.$inferSelect;
type FormularyRow = typeof formularyItems.$inferSelect;
type BodyItem = z.output<typeof PrescriptionCheckBody>['items'][number];

type PatientContext = {
  facilityId: string;
  timeZone: string;
  today: string;
  patientId: string;
  encounterId: string;
  admissionId: string | null;
  allergyState: PrescriptionCheck['allergyState'];
  allergies: { substance: string; criticality: 'low' | 'high' | 'unable-to-assess' }[];
  ageYears: number | null;
  weightKg: number | null;
};

async function patientContext(ctx: Ctx, encounterId: string): Promise<PatientContext> {
  const facilityId = requireFacility(ctx);
  const encounter = await getEncounter(ctx.db, encounterId).catch(() => null);
  if (!encounter || encounter.facilityId !== facilityId) {
    throw new NotFound('The encounter', 'PRESCRIPTION_ENCOUNTER_NOT_FOUND');
  }
  if (
    ['finished', 'cancelled', 'entered-in-error'].includes(encounter.status) &&
    encounter.class !== 'ambulatory'
  ) {
    throw new Conflict('PRESCRIPTION_ENCOUNTER_CLOSED', `The encounter is ${encounter.status}`);
  }
  if (encounter.status === 'cancelled' || encounter.status === 'entered-in-error') {
    throw new Conflict('PRESCRIPTION_ENCOUNTER_CLOSED', `The encounter is ${encounter.status}`);
  }
  let admissionId: string | null = null;
  if (
    encounter.class === 'inpatient' &&
    encounter.sourceType === ADMISSION_SOURCE_TYPE &&
    encounter.sourceId
  ) {
    const placement = await getAdmissionPlacement(ctx.db, facilityId, encounter.sourceId);
    if (!placement?.open) {
      throw new Conflict('PRESCRIPTION_ADMISSION_CLOSED', 'The stay has ended: no new medication orders');
    }
    admissionId = encounter.sourceId;
  }
  const { timeZone, today } = await facilityToday(ctx.db, facilityId, ctx.now);
  const patient = await getPatient(ctx.db, encounter.patientId, ctx.now);
  const vitals = await encounterVitals(ctx.db, encounter.id, {
    from: new Date(ctx.now.getTime() - 30 * 86_400_000),
    to: ctx.now,
    limit: 200,
  });
  const weight = vitals
    .filter((o) => o.code === '29463-7' && o.status !== 'entered-in-error' && o.value !== null)
    .sort((a, b) => b.effectiveAt.localeCompare(a.effectiveAt))[0];
  return {
    facilityId,
    timeZone,
    today,
    patientId: patient.id,
    encounterId: encounter.id,
    admissionId,
    allergyState: patient.allergyState,
    allergies: patient.allergies
      .filter((a) => a.status === 'active')
      .map((a) => ({
        substance: a.code ?? a.substance,
        criticality: a.severity === 'severe' ? 'high' : a.severity === 'mild' ? 'low' : 'unable-to-assess',
      })),
    ageYears: patient.birthDate ? ageInYears(patient.birthDate, today) : null,
    weightKg: weight?.value ?? null,
  };
}

/** The patient's medicines now: active lines of active prescriptions whose course has not ended. */
async function currentMedicines(ctx: Ctx, patientId: string, today: string) {
  return ctx.db
    .select({ item: prescriptionItems, product: formularyItems })
    .from(prescriptionItems)
    .innerJoin(prescriptions, eq(prescriptions.id, prescriptionItems.prescriptionId))
    .innerJoin(formularyItems, eq(formularyItems.id, prescriptionItems.formularyItemId))
    .where(
      and(
        eq(prescriptions.patientId, patientId),
        eq(prescriptions.status, 'active'),
        eq(prescriptionItems.status, 'active'),
        gt(sql`${prescriptionItems.startDate} + ${prescriptionItems.durationDays}`, sql`${today}::date`),
      ),
    )
    .orderBy(asc(prescriptionItems.startDate));
}

function lineOf(
  item: Pick<
    ItemRow,
    | 'doseAmount'
    | 'doseUnit'
    | 'route'
    | 'frequency'
    | 'times'
    | 'prnIndication'
    | 'maxDosesPerDay'
    | 'durationDays'
    | 'instructions'
  >,
) {
  return {
    dose: { amount: item.doseAmount, unit: item.doseUnit },
    route: item.route,
    frequency: item.frequency as PrescriptionItem['frequency'],
    times: item.times,
    prnIndication: item.prnIndication,
    maxDosesPerDay: item.maxDosesPerDay,
    durationDays: item.durationDays,
    instructions: item.instructions,
  };
}

type CheckedLines = {
  context: PatientContext;
  products: FormularyRow[];
  quantities: (number | null)[];
  alerts: PrescriptionAlert[];
};

async function checkLines(ctx: Ctx, encounterId: string, items: BodyItem[]): Promise<CheckedLines> {
  const context = await patientContext(ctx, encounterId);
  const ids = [...new Set(items.map((i) => i.formularyItemId))];
  const rows = await ctx.db.select().from(formularyItems).where(inArray(formularyItems.id, ids));
  const errors: { path: string; message: string }[] = [];
  const products = items.map((i, n) => {
    const p = rows.find((r) => r.id === i.formularyItemId);
    if (!p?.active) errors.push({ path: `items.${n}.formularyItemId`, message: 'not in the formulary' });
    return p!;
  });
  if (errors.length > 0)
    throw new RuleViolation('PRESCRIPTION_INVALID', 'The prescription cannot be written', errors);
  const quantities = items.map((i, n) => computeQuantity(i, products[n]!));
  const current = await currentMedicines(ctx, context.patientId, context.today);
  const currentItems: MedicationItem[] = current.map((c) => checkerItemOf(lineOf(c.item), c.product));
  const proposed = items.map((i, n) => checkerItemOf(i, products[n]!));
  const raw = checkPrescription({
    proposed,
    current: currentItems,
    allergies: context.allergies,
    ...(context.ageYears !== null ? { ageYears: context.ageYears } : {}),
    ...(context.weightKg !== null ? { weightKg: context.weightKg } : {}),
  });
  const alerts = raw.map((a) =>
    toAlert(
      a,
      current.map((c) => c.product.genericName),
    ),
  );
  return { context, products, quantities, alerts };
}

function toAlert(a: CheckAlert, currentNames: string[]): PrescriptionAlert {
  return {
    key: a.key,
    kind: a.kind,
    severity: a.severity,
    ruleId: a.ruleId,
    lineNos: a.items.filter((i) => i.list === 'proposed').map((i) => i.index + 1),
    currentMedicines: a.items.filter((i) => i.list === 'current').map((i) => currentNames[i.index] ?? ''),
    message: a.message,
    mechanism: a.mechanism,
    management: a.management,
    citation: a.citation,
    requiresOverrideReason: a.requiresOverrideReason,
    overrideReason: null,
    overriddenByName: null,
    acknowledgedByName: null,
  };
}

/** The checker on a draft: what the doctor sees while typing (nothing is written; the read is audited). */
export async function checkDraft(
  ctx: Ctx,
  input: z.output<typeof PrescriptionCheckBody>,
): Promise<PrescriptionCheck> {
  const { context, quantities, alerts } = await checkLines(ctx, input.encounterId, input.items);
  await recordAudit(ctx.db, ctx, {
    action: 'read',
    resourceType: 'MedicationCheck',
    resourceId: context.encounterId,
    patientId: context.patientId,
    detail: { alerts: alerts.length },
  });
  return {
    alerts,
    allergyState: context.allergyState,
    weightKg: context.weightKg,
    ageYears: context.ageYears,
    quantities,
  };
}

/**
 * Signs a prescription. The checker runs again on the server (what the client saw is not trusted); every
 * contraindicated or major alert needs a reason in `overrides` (422 listing the alerts otherwise, nothing
 * written). Lines whose quantity cannot be computed need one. In-patient lines get their MAR schedule.
 */
export async function createPrescription(
  ctx: Ctx,
  env: PharmacyEnv,
  input: z.output<typeof PrescriptionBody>,
): Promise<Prescription> {
  const { context, products, quantities, alerts } = await checkLines(ctx, input.encounterId, input.items);
  const errors: { path: string; message: string }[] = [];
  input.items.forEach((item, n) => {
    if (item.quantity === undefined && quantities[n] === null) {
      errors.push({
        path: `items.${n}.quantity`,
        message: 'give the quantity to hand over (it cannot be computed)',
      });
    }
    if (item.frequency === 'STAT' && !context.admissionId) {
      errors.push({ path: `items.${n}.frequency`, message: 'a STAT dose is an in-patient order' });
    }
  });
  if (errors.length > 0)
    throw new RuleViolation('PRESCRIPTION_INVALID', 'The prescription cannot be written', errors);
  const reasons = new Map(input.overrides.map((o) => [o.alertKey, o.reason]));
  const missing = alerts.filter((a) => a.requiresOverrideReason && !reasons.get(a.key));
  if (missing.length > 0) {
    throw new RuleViolation(
      'PRESCRIPTION_ALERTS_NEED_OVERRIDE',
      `${missing.length} serious alert(s) need a reason to go ahead: ${missing.map((a) => a.message).join('; ')}`,
      missing.map((a) => ({ path: `overrides.${a.key}`, message: a.message })),
    );
  }
  const credentials =
    ctx.actor.type === 'user'
      ? await practitionerCredentials(ctx.db, context.facilityId, ctx.actor.userId)
      : null;
  const id = newId();
  await ctx.db.transaction(async (tx) => {
    const value = await nextCounterValue(tx, context.facilityId, 'pharmacy.prescription');
    await tx.insert(prescriptions).values({
      id,
      facilityId: context.facilityId,
      number: `RX-${String(value).padStart(7, '0')}`,
      patientId: context.patientId,
      encounterId: context.encounterId,
      admissionId: context.admissionId,
      setting: context.admissionId ? 'inpatient' : 'outpatient',
      prescriberId: actorId(ctx.actor),
      prescriberName: ctx.actor.name,
      prescriberQualification: credentials?.qualifications.join(', ') || null,
      prescriberRegistration: credentials?.registration ?? null,
      notes: input.notes ?? null,
      allergyState: context.allergyState,
      createdAt: ctx.now,
      updatedAt: ctx.now,
    });
    const lines = input.items.map((item, n) => ({
      prescriptionId: id,
      lineNo: n + 1,
      formularyItemId: item.formularyItemId,
      brandId: item.brandId ?? null,
      ingredients: products[n]!.ingredients,
      doseAmount: item.dose.amount,
      doseUnit: item.dose.unit,
      route: item.route,
      frequency: item.frequency,
      times: timesOf(item.frequency, item.times),
      prnIndication: item.prnIndication ?? null,
      maxDosesPerDay: item.maxDosesPerDay ?? null,
      durationDays: item.frequency === 'STAT' ? 1 : item.durationDays,
      startDate: item.startDate ?? context.today,
      quantity: item.quantity ?? quantities[n]!,
      instructions: item.instructions,
      note: item.note ?? null,
    }));
    await tx.insert(prescriptionItems).values(lines);
    if (alerts.length > 0) {
      await tx.insert(prescriptionAlerts).values(
        alerts.map((a) => ({
          prescriptionId: id,
          alertKey: a.key,
          kind: a.kind,
          severity: a.severity,
          ruleId: a.ruleId,
          lineNos: a.lineNos,
          message: a.message,
          detail: {
            mechanism: a.mechanism,
            management: a.management,
            citation: a.citation,
            currentMedicines: a.currentMedicines,
            requiresOverrideReason: a.requiresOverrideReason,
          },
          overrideReason: reasons.get(a.key) ?? null,
          overriddenByName: reasons.has(a.key) ? ctx.actor.name : null,
        })),
      );
    }
    if (context.admissionId) {
      const doses = lines.flatMap((l) =>
        doseSchedule(l, l.startDate, ctx.now, context.timeZone).map((at) => ({
          facilityId: context.facilityId,
          prescriptionId: id,
          lineNo: l.lineNo,
          admissionId: context.admissionId!,
          patientId: context.patientId,
          scheduledAt: at,
        })),
      );
      for (let start = 0; start < doses.length; start += 500) {
        await tx.insert(administrations).values(doses.slice(start, start + 500));
      }
    }
    await appendEvent(tx, env.events, {
      type: PRESCRIPTION_EVENTS.created,
      facilityId: context.facilityId,
      aggregateId: id,
      actorId: actorId(ctx.actor),
      payload: {
        prescriptionId: id,
        patientId: context.patientId,
        encounterId: context.encounterId,
        admissionId: context.admissionId,
        lines: lines.length,
      },
    });
    const overridden = alerts.filter((a) => reasons.has(a.key));
    await recordAudit(tx, ctx, {
      action: 'create',
      resourceType: 'MedicationRequest',
      resourceId: id,
      patientId: context.patientId,
      detail: {
        lines: lines.length,
        alerts: alerts.length,
        overrides: overridden.map((a) => ({
          rule: a.ruleId,
          severity: a.severity,
          reason: reasons.get(a.key),
        })),
      },
    });
  });
  return readPrescriptions(ctx, [id], false).then((r) => r[0]!);
}

// ---------------------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------------------

export async function readPrescriptions(ctx: Ctx, ids: string[], audit = true): Promise<Prescription[]> {
  if (ids.length === 0) return [];
  const facilityId = requireFacility(ctx);
  const rows = await ctx.db
    .select()
    .from(prescriptions)
    .where(and(inArray(prescriptions.id, ids), eq(prescriptions.facilityId, facilityId)));
  const items = await ctx.db
    .select({ item: prescriptionItems, product: formularyItems })
    .from(prescriptionItems)
    .innerJoin(formularyItems, eq(formularyItems.id, prescriptionItems.formularyItemId))
    .where(inArray(prescriptionItems.prescriptionId, ids))
    .orderBy(asc(prescriptionItems.lineNo));
  const alerts = await ctx.db
    .select()
    .from(prescriptionAlerts)
    .where(inArray(prescriptionAlerts.prescriptionId, ids));
  if (audit) {
    await recordAudits(
      ctx.db,
      ctx,
      rows.map((r) => ({
        action: 'read' as const,
        resourceType: 'MedicationRequest',
        resourceId: r.id,
        patientId: r.patientId,
      })),
    );
  }
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    if (!r) return [];
    return [
      {
        id: r.id,
        number: r.number,
        patientId: r.patientId,
        encounterId: r.encounterId,
        admissionId: r.admissionId,
        setting: r.setting as Prescription['setting'],
        status: r.status as Prescription['status'],
        prescriberName: r.prescriberName,
        prescriberQualification: r.prescriberQualification,
        prescriberRegistration: r.prescriberRegistration,
        notes: r.notes,
        allergyState: r.allergyState as Prescription['allergyState'],
        createdAt: r.createdAt.toISOString(),
        cancelReason: r.cancelReason,
        items: items.filter((i) => i.item.prescriptionId === id).map((i) => toItem(i.item, i.product)),
        alerts: alerts
          .filter((a) => a.prescriptionId === id)
          .map((a) => {
            const d = a.detail as {
              mechanism: string | null;
              management: string | null;
              citation: string | null;
              currentMedicines: string[];
              requiresOverrideReason: boolean;
            };
            return {
              key: a.alertKey,
              kind: a.kind as PrescriptionAlert['kind'],
              severity: a.severity as PrescriptionAlert['severity'],
              ruleId: a.ruleId,
              lineNos: a.lineNos,
              currentMedicines: d.currentMedicines,
              message: a.message,
              mechanism: d.mechanism,
              management: d.management,
              citation: d.citation,
              requiresOverrideReason: d.requiresOverrideReason,
              overrideReason: a.overrideReason,
              overriddenByName: a.overriddenByName,
              acknowledgedByName: a.acknowledgedByName,
            };
          })
          .sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]),
        version: r.version,
      },
    ];
  });
}

const SEVERITY_ORDER = { contraindicated: 0, major: 1, moderate: 2, minor: 3 } as const;

export function toItem(item: ItemRow, product: FormularyRow): PrescriptionItem {
  const line = lineOf(item);
  return {
    lineNo: item.lineNo,
    formularyItemId: product.id,
    code: product.code,
    genericName: product.genericName,
    strength: product.strength,
    doseForm: product.doseForm,
    unitOfIssue: product.unitOfIssue,
    schedule: product.schedule,
    highAlert: product.highAlert,
    brandId: item.brandId,
    dose: line.dose,
    route: item.route,
    frequency: line.frequency,
    times: item.times,
    prnIndication: item.prnIndication,
    maxDosesPerDay: item.maxDosesPerDay,
    durationDays: item.durationDays,
    startDate: item.startDate,
    quantity: item.quantity,
    dispensed: item.dispensed,
    instructions: item.instructions as PrescriptionItem['instructions'],
    note: item.note,
    status: item.status as PrescriptionItem['status'],
    stoppedAt: item.stoppedAt?.toISOString() ?? null,
    stopReason: item.stopReason,
    sig: sigOf(line, product),
  };
}

export async function getPrescription(ctx: Ctx, id: string): Promise<Prescription> {
  const [p] = await readPrescriptions(ctx, [id]);
  if (!p) throw new NotFound('The prescription', 'PRESCRIPTION_NOT_FOUND');
  return p;
}

export async function patientPrescriptions(ctx: Ctx, patientId: string): Promise<Prescription[]> {
  const facilityId = requireFacility(ctx);
  const rows = await ctx.db
    .select({ id: prescriptions.id })
    .from(prescriptions)
    .where(and(eq(prescriptions.patientId, patientId), eq(prescriptions.facilityId, facilityId)))
    .orderBy(desc(prescriptions.createdAt))
    .limit(50);
  return readPrescriptions(
    ctx,
    rows.map((r) => r.id),
  );
}

/**
 * The pharmacy's queue: active prescriptions with lines still to hand over, oldest first, each with the
 * patient's name and MRN and how many alerts the prescriber overrode (the pharmacist reads them first).
 */
export async function prescriptionQueue(
  ctx: Ctx,
  query: z.output<typeof PrescriptionQueueQuery>,
): Promise<QueuedPrescription[]> {
  const facilityId = requireFacility(ctx);
  const rows = await ctx.db
    .select({ id: prescriptions.id, patientId: prescriptions.patientId })
    .from(prescriptions)
    .where(
      and(
        eq(prescriptions.facilityId, facilityId),
        eq(prescriptions.status, 'active'),
        query.setting ? eq(prescriptions.setting, query.setting) : undefined,
        sql`exists (select 1 from ${prescriptionItems} where ${prescriptionItems.prescriptionId} = ${prescriptions.id}
          and ${prescriptionItems.status} = 'active' and ${prescriptionItems.dispensed} < ${prescriptionItems.quantity})`,
      ),
    )
    .orderBy(asc(prescriptions.createdAt))
    .limit(query.limit);
  const list = await readPrescriptions(
    ctx,
    rows.map((r) => r.id),
  );
  const summaries = new Map(
    (await getPatientSummaries(ctx.db, [...new Set(rows.map((r) => r.patientId))], ctx.now)).map((s) => [
      s.id,
      s,
    ]),
  );
  return list.map((p) => {
    const s = summaries.get(p.patientId);
    return {
      prescription: p,
      patientName: s?.displayName ?? '',
      patientMrn: s?.mrn ?? '',
      outstandingLines: p.items.filter((i) => i.status === 'active' && i.dispensed < i.quantity).length,
      overriddenAlerts: p.alerts.filter((a) => a.overrideReason).length,
    };
  });
}

// ---------------------------------------------------------------------------------------------------------
// Stopping and cancelling
// ---------------------------------------------------------------------------------------------------------

/** Stops a line (a doctor changes the treatment): its doses not yet given come off the MAR. */
export async function stopItem(ctx: Ctx, id: string, lineNo: number, reason: string): Promise<Prescription> {
  const facilityId = requireFacility(ctx);
  await ctx.db.transaction(async (tx) => {
    const [p] = await tx
      .select()
      .from(prescriptions)
      .where(and(eq(prescriptions.id, id), eq(prescriptions.facilityId, facilityId)))
      .for('update');
    if (!p) throw new NotFound('The prescription', 'PRESCRIPTION_NOT_FOUND');
    const [item] = await tx
      .select()
      .from(prescriptionItems)
      .where(and(eq(prescriptionItems.prescriptionId, id), eq(prescriptionItems.lineNo, lineNo)));
    if (!item) throw new NotFound('The prescription line', 'PRESCRIPTION_LINE_NOT_FOUND');
    if (item.status !== 'active')
      throw new Conflict('PRESCRIPTION_LINE_NOT_ACTIVE', `The line is ${item.status}`);
    await tx
      .update(prescriptionItems)
      .set({ status: 'stopped', stoppedAt: ctx.now, stopReason: reason, stoppedByName: ctx.actor.name })
      .where(and(eq(prescriptionItems.prescriptionId, id), eq(prescriptionItems.lineNo, lineNo)));
    await tx
      .update(administrations)
      .set({ status: 'cancelled', reason: `Order stopped: ${reason}`, updatedAt: ctx.now })
      .where(
        and(
          eq(administrations.prescriptionId, id),
          eq(administrations.lineNo, lineNo),
          eq(administrations.status, 'due'),
        ),
      );
    const [left] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(prescriptionItems)
      .where(and(eq(prescriptionItems.prescriptionId, id), eq(prescriptionItems.status, 'active')));
    await tx
      .update(prescriptions)
      .set({
        status: Number(left?.n ?? 0) === 0 ? 'completed' : p.status,
        version: p.version + 1,
        updatedAt: ctx.now,
      })
      .where(eq(prescriptions.id, id));
    await recordAudit(tx, ctx, {
      action: 'update',
      resourceType: 'MedicationRequest',
      resourceId: id,
      patientId: p.patientId,
      detail: { stopped: lineNo, reason },
    });
  });
  return getPrescriptionUnaudited(ctx, id);
}

async function getPrescriptionUnaudited(ctx: Ctx, id: string): Promise<Prescription> {
  const [p] = await readPrescriptions(ctx, [id], false);
  if (!p) throw new NotFound('The prescription', 'PRESCRIPTION_NOT_FOUND');
  return p;
}

/** Cancels a prescription written in error, if nothing of it has been handed over or given. */
export async function cancelPrescription(
  ctx: Ctx,
  env: PharmacyEnv,
  id: string,
  input: z.output<typeof CancelPrescriptionBody>,
): Promise<Prescription> {
  const facilityId = requireFacility(ctx);
  await ctx.db.transaction(async (tx) => {
    const [p] = await tx
      .select()
      .from(prescriptions)
      .where(and(eq(prescriptions.id, id), eq(prescriptions.facilityId, facilityId)))
      .for('update');
    if (!p) throw new NotFound('The prescription', 'PRESCRIPTION_NOT_FOUND');
    if (p.status !== 'active')
      throw new Conflict('PRESCRIPTION_NOT_ACTIVE', `The prescription is ${p.status}`);
    if (p.version !== input.version) {
      throw new Conflict('PRESCRIPTION_CHANGED', 'The prescription changed meanwhile; reload and try again');
    }
    const [dispensed] = await tx
      .select({ n: sql<number>`coalesce(sum(${prescriptionItems.dispensed}), 0)::int` })
      .from(prescriptionItems)
      .where(eq(prescriptionItems.prescriptionId, id));
    const [given] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(administrations)
      .where(
        and(
          eq(administrations.prescriptionId, id),
          ne(administrations.status, 'due'),
          ne(administrations.status, 'cancelled'),
        ),
      );
    if (Number(dispensed?.n ?? 0) > 0 || Number(given?.n ?? 0) > 0) {
      throw new Conflict(
        'PRESCRIPTION_IN_USE',
        'Medicines of this prescription were handed over or given: stop its lines instead',
      );
    }
    await tx
      .update(prescriptions)
      .set({
        status: 'cancelled',
        cancelledAt: ctx.now,
        cancelReason: input.reason,
        version: p.version + 1,
        updatedAt: ctx.now,
      })
      .where(eq(prescriptions.id, id));
    await tx
      .update(administrations)
      .set({ status: 'cancelled', reason: `Prescription cancelled: ${input.reason}`, updatedAt: ctx.now })
      .where(and(eq(administrations.prescriptionId, id), eq(administrations.status, 'due')));
    await appendEvent(tx, env.events, {
      type: PRESCRIPTION_EVENTS.cancelled,
      facilityId,
      aggregateId: id,
      actorId: actorId(ctx.actor),
      payload: { prescriptionId: id, patientId: p.patientId, reason: input.reason },
    });
    await recordAudit(tx, ctx, {
      action: 'update',
      resourceType: 'MedicationRequest',
      resourceId: id,
      patientId: p.patientId,
      detail: { cancelled: input.reason },
    });
  });
  return getPrescriptionUnaudited(ctx, id);
}

/** The last day of a line's course (its start plus its days, exclusive). */
export function courseEnd(item: Pick<ItemRow, 'startDate' | 'durationDays'>): string {
  return addDays(item.startDate, item.durationDays);
}
