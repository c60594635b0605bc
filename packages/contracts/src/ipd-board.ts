import { z } from 'zod';
import { IsoDateTime, IsoDay, Uuid } from './common';
import { Sex } from './patients';

// The bed board: every bed of a facility (or one ward) with its status, who is in it, what it is held for,
// and per ward the figures the bed manager watches. The staff board (ipd:read) names the patients; the
// public board of a ward's display (/display/beds/<code>) shows initials and MRN only.

export const bedBoardStatuses = [
  'available',
  'reserved',
  'occupied',
  'cleaning',
  'maintenance',
  'blocked',
] as const;
export const BedBoardStatus = z.enum(bedBoardStatuses);
export type BedBoardStatus = z.infer<typeof BedBoardStatus>;

/** The colour class of each status, the same on every screen (the web app maps it to its palette). */
export const bedBoardColours = {
  available: 'green',
  reserved: 'blue',
  occupied: 'red',
  cleaning: 'amber',
  maintenance: 'grey',
  blocked: 'black',
} as const satisfies Record<BedBoardStatus, string>;
export const BedBoardColour = z.enum(['green', 'blue', 'red', 'amber', 'grey', 'black']);

const IsoDate = IsoDay;

/** The patient in a bed as the public display shows it. */
export const BedBoardPublicOccupant = z.object({
  initials: z.string(),
  mrn: z.string(),
  admissionNumber: z.string(),
  attendingDoctor: z.string(),
});

/** The patient in a bed as staff see it. */
export const BedBoardOccupant = BedBoardPublicOccupant.extend({
  patientId: Uuid,
  name: z.string(),
  /** "34 y", "8 mo" (null when no birth date is known). */
  age: z.string().nullable(),
  sex: Sex,
  admissionId: Uuid,
  encounterId: Uuid,
  admittedAt: IsoDateTime,
  /** In this bed since (a transfer starts a new period). */
  inBedSince: IsoDateTime,
  expectedDischargeDate: IsoDate.nullable(),
  dischargeInitiated: z.boolean(),
});
export type BedBoardOccupant = z.infer<typeof BedBoardOccupant>;

/** What a reserved bed is held for: the reservation and its admission request. */
export const BedBoardReservation = z.object({
  reservationId: Uuid,
  requestId: Uuid.nullable(),
  patientId: Uuid,
  initials: z.string(),
  mrn: z.string(),
  priority: z.string().nullable(),
  source: z.string().nullable(),
  fromAt: IsoDateTime,
  untilAt: IsoDateTime,
});

const bedFields = {
  bedId: Uuid,
  code: z.string(),
  roomCode: z.string(),
  roomName: z.string(),
  category: z.string(),
  isolation: z.boolean(),
  status: BedBoardStatus,
  colour: BedBoardColour,
  since: IsoDateTime,
  /** Whole minutes in this status (how long a bed has been in cleaning). */
  minutesInStatus: z.number().int(),
};

export const BedBoardBed = z.object({
  ...bedFields,
  wardId: Uuid,
  statusReason: z.string().nullable(),
  occupant: BedBoardOccupant.nullable(),
  reservedFor: BedBoardReservation.nullable(),
});
export type BedBoardBed = z.infer<typeof BedBoardBed>;

export const PublicBedBoardBed = z.object({ ...bedFields, occupant: BedBoardPublicOccupant.nullable() });
export type PublicBedBoardBed = z.infer<typeof PublicBedBoardBed>;

/** Admission requests waiting (status waiting) and how long the oldest has waited. */
export const BedBoardQueue = z.object({
  waiting: z.number().int(),
  oldestWaitMinutes: z.number().int().nullable(),
});

/** The figures of a ward. */
export const BedBoardWardSummary = z.object({
  /** Active beds by status (every status present, 0 when none). */
  counts: z.record(BedBoardStatus, z.number().int()),
  total: z.number().int(),
  /**
   * occupied / (active beds - blocked - maintenance), in percent with one decimal; null when no bed is in
   * service. Reserved and cleaning beds are in service (they count in the denominator, not the numerator).
   */
  occupancyPercent: z.number().nullable(),
  /** Patients in this ward whose expected discharge date is today (facility's time zone). */
  expectedDischargesToday: z.number().int(),
  /** Beds in cleaning, the longest first, with how long. */
  cleaning: z.array(z.object({ bedId: Uuid, code: z.string(), minutes: z.number().int() })),
  /** Requests waiting for a bed of this ward's kind. */
  requests: BedBoardQueue,
});

const wardFields = {
  wardId: Uuid,
  code: z.string(),
  name: z.string(),
  kind: z.string(),
  building: z.string().nullable(),
  floor: z.string().nullable(),
  summary: BedBoardWardSummary,
};

export const BedBoardWard = z.object({
  ...wardFields,
  displayCode: z.string().nullable(),
  beds: z.array(BedBoardBed),
});
export type BedBoardWard = z.infer<typeof BedBoardWard>;

/** The staff bed board of a facility (or of one ward with ?wardId=). */
export const BedBoard = z
  .object({
    facilityId: Uuid,
    /** Today in the facility's time zone (what "expected today" means). */
    date: IsoDate,
    wards: z.array(BedBoardWard),
    /** Every admission request waiting in the facility (whatever ward kind it asks for). */
    requests: BedBoardQueue.extend({ byPriority: z.record(z.string(), z.number().int()) }),
    updatedAt: IsoDateTime,
  })
  .meta({ id: 'BedBoard' });
export type BedBoard = z.infer<typeof BedBoard>;

/** The public board of one ward's display: no names, initials and MRN only. */
export const PublicBedBoard = z
  .object({
    displayCode: z.string(),
    date: IsoDate,
    ward: z.object({ ...wardFields, beds: z.array(PublicBedBoardBed) }),
    updatedAt: IsoDateTime,
  })
  .meta({ id: 'PublicBedBoard' });
export type PublicBedBoard = z.infer<typeof PublicBedBoard>;

export const BedBoardQuery = z.object({ wardId: Uuid.optional() });

export const BedBoardEventsQuery = z.object({
  wardId: Uuid.optional(),
  /** The ticket from POST /api/v1/ipd/bed-board/tickets (an EventSource cannot send an Authorization header). */
  ticket: z.string().min(10).max(2000).optional(),
});

/** A short-lived, single-purpose ticket for opening the staff board's event stream. */
export const LiveTicket = z.object({ ticket: z.string(), expiresAt: IsoDateTime });

export const BedBoardDisplayParams = z.object({ displayCode: z.string().min(1).max(40) });
