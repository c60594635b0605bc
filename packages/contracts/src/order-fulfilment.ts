import { z } from 'zod';
import { IsoDateTime, Text, Uuid } from './common';

// An encounter's order (service request) on its way through the department that fulfils it. The doctor places
// it in the encounter (`encounters.order.placed`); the laboratory or radiology answers with events: accepted
// (its request or order exists), not matched (no test or procedure of its catalog is the one ordered), the
// sample collected or the study started and done, the results released or the report signed. Encounters
// follows these events into the order's fulfilment status; it never imports the departments' code.

/**
 * Where the department is with an order. `pending`: placed, no answer yet (procedures stay here: no department
 * fulfils them yet). `not-matched`: the department's catalog has no such test or procedure, the order was NOT
 * taken (the note says why). `accepted`: the department's request or order exists. `collected`: a sample was
 * drawn (laboratory). `in-progress`: the study started (radiology). `performed`: the images are taken, the
 * report is awaited (radiology). `resulted`: all results released (laboratory) or the report signed
 * (radiology).
 */
export const orderFulfilmentStatuses = [
  'pending',
  'not-matched',
  'accepted',
  'collected',
  'in-progress',
  'performed',
  'resulted',
] as const;
export const OrderFulfilmentStatus = z.enum(orderFulfilmentStatuses);
export type OrderFulfilmentStatus = z.infer<typeof OrderFulfilmentStatus>;

/**
 * The order of the fulfilment statuses: an order only moves to a higher rank, so a late or repeated event
 * never takes it back (a sample collected after the results were released leaves it `resulted`). `collected`
 * and `in-progress` are one step (one is the laboratory's, the other radiology's). `not-matched` ranks below
 * `accepted`: a department that takes the order after all is believed.
 */
export const orderFulfilmentRank: Record<OrderFulfilmentStatus, number> = {
  pending: 0,
  'not-matched': 1,
  accepted: 2,
  collected: 3,
  'in-progress': 3,
  performed: 4,
  resulted: 5,
};

// ---------------------------------------------------------------------------------------------------------
// Orders a department could not match
// ---------------------------------------------------------------------------------------------------------

/** no-code: the order carries no code; not-in-catalog: its code (or name) names nothing in the catalog. */
export const unmatchedReasonCodes = ['no-code', 'not-in-catalog'] as const;
export const UnmatchedReasonCode = z.enum(unmatchedReasonCodes);

/** `laboratory.order.unmatched` and `radiology.order.unmatched`: the order was not taken, and why. */
export const OrderUnmatchedPayload = z.object({
  unmatchedId: Uuid,
  orderId: Uuid,
  encounterId: Uuid,
  patientId: Uuid,
  category: z.string(),
  code: z.string().nullable(),
  system: z.string().nullable(),
  display: z.string(),
  reasonCode: UnmatchedReasonCode,
  reason: z.string(),
});
export type OrderUnmatchedPayload = z.infer<typeof OrderUnmatchedPayload>;

/**
 * An encounter order the department could not match, for its staff to call the ordering doctor. Open until
 * the doctor cancels the order or the department closes it with a note (what was agreed).
 */
export const UnmatchedOrder = z
  .object({
    id: Uuid,
    orderId: Uuid,
    encounterId: Uuid,
    patientId: Uuid,
    patientName: z.string(),
    mrn: z.string(),
    code: z.string().nullable(),
    system: z.string().nullable(),
    display: z.string(),
    priority: z.enum(['routine', 'urgent', 'stat']),
    reasonCode: UnmatchedReasonCode,
    reason: z.string(),
    /** The ordering doctor (the user who placed the order), to call. */
    requestedById: Uuid.nullable(),
    requestedByName: z.string().nullable(),
    requestedAt: IsoDateTime,
    receivedAt: IsoDateTime,
    status: z.enum(['open', 'closed']),
    closedAt: IsoDateTime.nullable(),
    closedByName: z.string().nullable(),
    closeNote: z.string().nullable(),
    version: z.number().int(),
  })
  .meta({ id: 'UnmatchedOrder' });
export type UnmatchedOrder = z.infer<typeof UnmatchedOrder>;

export const UnmatchedOrderQuery = z.object({
  status: z.enum(['open', 'closed', 'all']).default('open'),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});

/** Closing an unmatched order: what was done about it (the doctor was called and re-ordered, ...). */
export const CloseUnmatchedOrderBody = z.object({ note: Text(500), version: z.number().int().min(1) });

// ---------------------------------------------------------------------------------------------------------
// Laboratory
// ---------------------------------------------------------------------------------------------------------

/** `laboratory.order.accepted`: the request of an encounter order exists, with its tubes' accession numbers. */
export const LabOrderAcceptedPayload = z.object({
  orderId: Uuid,
  requestId: Uuid,
  encounterId: Uuid,
  patientId: Uuid,
  code: z.string(),
  display: z.string(),
  accessions: z.array(z.string()),
});
export type LabOrderAcceptedPayload = z.infer<typeof LabOrderAcceptedPayload>;

/**
 * `laboratory.sample.collected`: a tube was drawn. `requests` are the requests (test or panel, with the
 * encounter order each fulfils; null for a walk-in) whose tests are on the tube; `tests` the tests on it.
 * A recollection after a rejection is collected again under its own accession (`recollectionOf`).
 */
export const LabSampleCollectedPayload = z.object({
  sampleId: Uuid,
  accession: z.string(),
  facilityId: Uuid,
  patientId: Uuid,
  encounterId: Uuid.nullable(),
  admissionId: Uuid.nullable(),
  specimen: z.string(),
  container: z.string(),
  recollectionOf: Uuid.nullable(),
  requests: z.array(
    z.object({
      requestId: Uuid,
      orderId: Uuid.nullable(),
      code: z.string(),
      display: z.string(),
      kind: z.enum(['test', 'panel']),
    }),
  ),
  tests: z.array(z.object({ code: z.string(), name: z.string(), loincCode: z.string().nullable() })),
  collectedAt: IsoDateTime,
  collectedById: Uuid.nullable(),
  collectedByName: z.string().nullable(),
});
export type LabSampleCollectedPayload = z.infer<typeof LabSampleCollectedPayload>;

// ---------------------------------------------------------------------------------------------------------
// Radiology
// ---------------------------------------------------------------------------------------------------------

/** `radiology.order.accepted`: the radiology order of an encounter order exists, with its accession number. */
export const RadOrderAcceptedPayload = z.object({
  orderId: Uuid,
  radiologyOrderId: Uuid,
  encounterId: Uuid,
  patientId: Uuid,
  accession: z.string(),
  procedureCode: z.string(),
  procedureName: z.string(),
});
export type RadOrderAcceptedPayload = z.infer<typeof RadOrderAcceptedPayload>;

/** `radiology.study.started`: the patient is on the table (the safety checklist passed). */
export const RadStudyStartedPayload = z.object({
  radiologyOrderId: Uuid,
  orderId: Uuid.nullable(),
  patientId: Uuid,
  encounterId: Uuid.nullable(),
  accession: z.string(),
  procedureCode: z.string(),
  startedAt: IsoDateTime,
});
export type RadStudyStartedPayload = z.infer<typeof RadStudyStartedPayload>;
