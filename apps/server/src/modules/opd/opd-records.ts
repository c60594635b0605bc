import type {
  Appointment,
  ClinicRoom,
  FeeKind,
  OpdSession,
  PatientSummary,
  Practitioner,
  PriorityKind,
  QueueToken,
  ScheduleException,
  ScheduleTemplate,
  Slot,
} from '@newhms/contracts';
import type { Ctx } from '../../platform/context';
import { RuleViolation } from '../../platform/http/errors';
import { hhmm } from '../../platform/time/facility-time';
import type {
  appointments,
  practitioners,
  rooms,
  scheduleExceptions,
  scheduleTemplates,
  sessions,
  slots,
  tokens,
} from './opd.tables';

// Row -> API shape, and the small things every OPD service needs.

export type PractitionerRow = typeof practitioners.$inferSelect;
export type RoomRow = typeof rooms.$inferSelect;
export type TemplateRow = typeof scheduleTemplates.$inferSelect;
export type ExceptionRow = typeof scheduleExceptions.$inferSelect;
export type SessionRow = typeof sessions.$inferSelect;
export type SlotRow = typeof slots.$inferSelect;
export type AppointmentRow = typeof appointments.$inferSelect;
export type TokenRow = typeof tokens.$inferSelect;

export function requireFacility(ctx: Ctx): string {
  if (!ctx.facilityId) throw new RuleViolation('FACILITY_REQUIRED', 'Choose a facility first');
  return ctx.facilityId;
}

export function toPractitioner(r: PractitionerRow, currency: string): Practitioner {
  return {
    id: r.id,
    facilityId: r.facilityId,
    userId: r.userId,
    displayName: r.displayName,
    departmentId: r.departmentId,
    specialty: r.specialty,
    registrationCouncil: r.registrationCouncil,
    registrationNumber: r.registrationNumber,
    qualifications: r.qualifications,
    languages: r.languages,
    firstVisitFee: r.firstVisitFee,
    followUpFee: r.followUpFee,
    followUpWithinDays: r.followUpWithinDays,
    currency,
    tokenPrefix: r.tokenPrefix,
    active: r.active,
    version: r.version,
  };
}

export function toRoom(r: RoomRow): ClinicRoom {
  return {
    id: r.id,
    facilityId: r.facilityId,
    departmentId: r.departmentId,
    name: r.name,
    boardCode: r.boardCode,
    showInitials: r.showInitials,
    active: r.active,
    version: r.version,
  };
}

export function toTemplate(r: TemplateRow): ScheduleTemplate {
  return {
    id: r.id,
    practitionerId: r.practitionerId,
    roomId: r.roomId,
    weekday: r.weekday,
    startTime: hhmm(r.startTime),
    endTime: hhmm(r.endTime),
    slotMinutes: r.slotMinutes,
    patientsPerSlot: r.patientsPerSlot,
    walkInQuota: r.walkInQuota,
    validFrom: r.validFrom,
    validTo: r.validTo,
    active: r.active,
    version: r.version,
  };
}

export function toException(r: ExceptionRow): ScheduleException {
  return {
    id: r.id,
    practitionerId: r.practitionerId,
    kind: r.kind as ScheduleException['kind'],
    dateFrom: r.dateFrom,
    dateTo: r.dateTo,
    reason: r.reason,
    session:
      r.kind === 'extra-session'
        ? {
            roomId: r.roomId!,
            startTime: hhmm(r.startTime!),
            endTime: hhmm(r.endTime!),
            slotMinutes: r.slotMinutes!,
            patientsPerSlot: r.patientsPerSlot!,
            walkInQuota: r.walkInQuota ?? 0,
          }
        : null,
    status: r.status as ScheduleException['status'],
    createdAt: r.createdAt.toISOString(),
  };
}

export function toSession(r: SessionRow): OpdSession {
  return {
    id: r.id,
    practitionerId: r.practitionerId,
    roomId: r.roomId,
    date: r.date,
    startsAt: r.startsAt.toISOString(),
    endsAt: r.endsAt.toISOString(),
    slotMinutes: r.slotMinutes,
    patientsPerSlot: r.patientsPerSlot,
    walkInQuota: r.walkInQuota,
    status: r.status as OpdSession['status'],
    cancelReason: r.cancelReason,
    scheduleId: r.scheduleId,
    exceptionId: r.exceptionId,
  };
}

export function toSlot(r: SlotRow): Slot {
  return {
    id: r.id,
    sessionId: r.sessionId,
    practitionerId: r.practitionerId,
    roomId: r.roomId,
    date: r.date,
    startsAt: r.startsAt.toISOString(),
    endsAt: r.endsAt.toISOString(),
    capacity: r.capacity,
    booked: r.booked,
    free: r.status === 'open' ? Math.max(0, r.capacity - r.booked) : 0,
    status: r.status as Slot['status'],
  };
}

export function toAppointment(
  r: AppointmentRow,
  practitionerName: string,
  patient: PatientSummary | null,
): Appointment {
  return {
    id: r.id,
    facilityId: r.facilityId,
    patientId: r.patientId,
    patient,
    practitionerId: r.practitionerId,
    practitionerName,
    slotId: r.slotId,
    sessionId: r.sessionId,
    roomId: r.roomId,
    date: r.date,
    startsAt: r.startsAt.toISOString(),
    endsAt: r.endsAt.toISOString(),
    status: r.status as Appointment['status'],
    source: r.source as Appointment['source'],
    reason: r.reason,
    feeKind: r.feeKind as FeeKind,
    fee: r.fee,
    currency: r.currency,
    followUpOfEncounterId: r.followUpOfEncounterId,
    cancelReason: r.cancelReason,
    cancelledBySession: r.cancelledBySession,
    tokenId: r.tokenId,
    bookedAt: r.createdAt.toISOString(),
    arrivedAt: r.arrivedAt?.toISOString() ?? null,
    version: r.version,
  };
}

export function toToken(r: TokenRow, practitionerName: string, patient: PatientSummary | null): QueueToken {
  return {
    id: r.id,
    label: r.label,
    number: r.number,
    date: r.date,
    practitionerId: r.practitionerId,
    practitionerName,
    roomId: r.roomId,
    patientId: r.patientId,
    patient,
    appointmentId: r.appointmentId,
    kind: r.kind as QueueToken['kind'],
    priorities: r.priorities as PriorityKind[],
    priorityRank: r.priorityRank,
    status: r.status as QueueToken['status'],
    arrivedAt: r.arrivedAt.toISOString(),
    queuedAt: r.queuedAt.toISOString(),
    appointmentAt: r.appointmentAt?.toISOString() ?? null,
    calledAt: r.calledAt?.toISOString() ?? null,
    callCount: r.callCount,
    consultationStartedAt: r.consultationStartedAt?.toISOString() ?? null,
    completedAt: r.completedAt?.toISOString() ?? null,
    transferredToTokenId: r.transferredToTokenId,
    transferredFromTokenId: r.transferredFromTokenId,
    encounterId: r.encounterId,
    feeKind: r.feeKind as FeeKind,
    version: r.version,
  };
}

export { violatedConstraint, withConstraintErrors } from '../../platform/db/constraint-errors';
export { readPatientSummaries as readPatients } from '../patients';
