import { z } from 'zod';
import { IsoDateTime, Uuid } from './common';

// Events between IPD and the modules around it (housekeeping, dietary, billing, notifications). The names and
// payloads are the contract; each module reads only these fields.

export const IPD_EVENTS = {
  /** A patient took a bed: a new admission. */
  admitted: 'ipd.admission.admitted',
  /** The patient moved to another bed (ward, ICU). The previous occupancy period is closed. */
  transferred: 'ipd.admission.transferred',
  /** Discharge started: modules with something to settle hold it with `discharge-clearance.held`. */
  dischargeInitiated: 'ipd.discharge.initiated',
  /** The patient left (any discharge type). */
  discharged: 'ipd.admission.discharged',
  /** An admission entered in error was cancelled (its bed days are void). */
  cancelled: 'ipd.admission.cancelled',
  /** A bed was vacated (discharge, transfer or cancellation) and needs cleaning before the next patient. */
  bedReleased: 'ipd.bed.released',
  /** A NEWS2 score reached a threshold that needs a response (medium or high risk, or a 3 in one parameter). */
  earlyWarning: 'ipd.early-warning.raised',
} as const;

/** The bed part of an admission event: enough for billing (tariff class) and housekeeping (where). */
export const BedRef = z.object({
  bedId: Uuid,
  bedCode: z.string(),
  wardId: Uuid,
  wardCode: z.string(),
  wardName: z.string(),
  tariffClass: z.string(),
  isolation: z.boolean(),
});
export type BedRef = z.infer<typeof BedRef>;

export const AdmissionEventPayload = z.object({
  admissionId: Uuid,
  admissionNumber: z.string(),
  patientId: Uuid,
  encounterId: Uuid,
  payerCategory: z.string(),
  /** The bed now (null once discharged or cancelled). */
  bed: BedRef.nullable(),
  /** The bed left, for transfers, discharges and cancellations. */
  previousBed: BedRef.nullable(),
  at: IsoDateTime,
  dischargeType: z.string().nullable(),
});
export type AdmissionEventPayload = z.infer<typeof AdmissionEventPayload>;

export const BedReleasedPayload = z.object({
  bedId: Uuid,
  bedCode: z.string(),
  wardId: Uuid,
  wardCode: z.string(),
  wardName: z.string(),
  isolation: z.boolean(),
  admissionId: Uuid,
  releasedAt: IsoDateTime,
  cause: z.enum(['discharge', 'transfer', 'cancelled']),
});
export type BedReleasedPayload = z.infer<typeof BedReleasedPayload>;

export const EarlyWarningPayload = z.object({
  admissionId: Uuid,
  patientId: Uuid,
  wardId: Uuid,
  bedCode: z.string().nullable(),
  score: z.number().int(),
  risk: z.enum(['low', 'low-medium', 'medium', 'high']),
  scoreId: Uuid,
});
export type EarlyWarningPayload = z.infer<typeof EarlyWarningPayload>;

/**
 * Any module can hold a discharge: publish `discharge-clearance.held` (billing: "bill not settled") and
 * later `discharge-clearance.released`. IPD keeps one checklist row per (admission, item); the discharge
 * completes only when none is pending. The event type is shared; `heldBy` names the publishing module.
 */
export const DISCHARGE_CLEARANCE_EVENTS = {
  held: 'discharge-clearance.held',
  released: 'discharge-clearance.released',
} as const;

export const DischargeClearancePayload = z.object({
  admissionId: Uuid,
  /** Stable key of the item within the admission, e.g. 'billing.final-bill'. */
  item: z.string().min(1).max(80),
  label: z.string().min(1).max(200),
  heldBy: z.string().min(1).max(40),
  detail: z.string().max(500).nullable(),
});
export type DischargeClearancePayload = z.infer<typeof DischargeClearancePayload>;

/** Housekeeping finished cleaning a bed: IPD makes it available. */
export const FACILITIES_EVENTS = {
  bedCleaned: 'facilities.housekeeping.bed-cleaned',
  taskOverdue: 'facilities.housekeeping.task-overdue',
} as const;

export const BedCleanedPayload = z.object({
  taskId: Uuid,
  bedId: Uuid,
  finishedAt: IsoDateTime,
  turnaroundMinutes: z.number().int().nonnegative(),
  kind: z.enum(['bed-cleaning', 'terminal-cleaning']),
});
export type BedCleanedPayload = z.infer<typeof BedCleanedPayload>;
