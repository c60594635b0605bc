import type { CodeableConcept, Meta, Reference, Resource } from '../../../platform/fhir/fhir-resources';
import type { appointments } from '../opd.tables';

type AppointmentRow = typeof appointments.$inferSelect;

const V2_APPOINTMENT_TYPE = 'http://terminology.hl7.org/CodeSystem/v2-0276';
const V3_PARTICIPATION_TYPE = 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType';

type Participant = {
  type?: CodeableConcept[];
  actor: Reference;
  required: 'required' | 'optional' | 'information-only';
  status: 'accepted' | 'declined' | 'tentative' | 'needs-action';
};

export type FhirAppointment = Resource & {
  resourceType: 'Appointment';
  id: string;
  meta: Meta;
  status: FhirAppointmentStatus;
  cancelationReason?: CodeableConcept;
  appointmentType: CodeableConcept;
  specialty?: CodeableConcept[];
  reasonCode?: CodeableConcept[];
  supportingInformation?: Reference[];
  start: string;
  end: string;
  minutesDuration: number;
  created: string;
  participant: Participant[];
};

/** Our appointment statuses as http://hl7.org/fhir/appointmentstatus. */
export const appointmentStatusCodes = {
  booked: 'booked',
  arrived: 'arrived',
  completed: 'fulfilled',
  cancelled: 'cancelled',
  'no-show': 'noshow',
} as const;
type FhirAppointmentStatus = (typeof appointmentStatusCodes)[keyof typeof appointmentStatusCodes];

const appointmentTypes = {
  'first-visit': { system: V2_APPOINTMENT_TYPE, code: 'ROUTINE', display: 'Routine appointment' },
  'follow-up': {
    system: V2_APPOINTMENT_TYPE,
    code: 'FOLLOWUP',
    display: 'A follow up visit from a previous appointment',
  },
} as const;

/** What the Appointment names of its practitioner. */
export type AppointmentPractitioner = { displayName: string; specialty: string };

/**
 * An OPD appointment as a FHIR R4 Appointment: the patient and the practitioner (a Practitioner reference
 * with the name as display; Practitioner itself is not served yet) as participants, the slot's start and
 * end, first visit or follow-up as a v2-0276 type, and for a follow-up the consultation it follows as
 * supportingInformation. A cancellation reason is shown only on a cancelled appointment (invariant app-4).
 */
export function toFhirAppointment(
  r: AppointmentRow,
  practitioner: AppointmentPractitioner | null,
): FhirAppointment {
  const status = appointmentStatusCodes[r.status as keyof typeof appointmentStatusCodes];
  return {
    resourceType: 'Appointment',
    id: r.id,
    meta: { versionId: String(r.version), lastUpdated: r.updatedAt.toISOString() },
    status,
    ...(status === 'cancelled' && r.cancelReason?.trim()
      ? { cancelationReason: { text: r.cancelReason } }
      : {}),
    appointmentType: {
      coding: [{ ...appointmentTypes[r.feeKind as keyof typeof appointmentTypes] }],
    },
    ...(practitioner?.specialty ? { specialty: [{ text: practitioner.specialty }] } : {}),
    ...(r.reason?.trim() ? { reasonCode: [{ text: r.reason }] } : {}),
    ...(r.followUpOfEncounterId
      ? { supportingInformation: [{ reference: `Encounter/${r.followUpOfEncounterId}` }] }
      : {}),
    start: r.startsAt.toISOString(),
    end: r.endsAt.toISOString(),
    minutesDuration: Math.max(1, Math.round((r.endsAt.getTime() - r.startsAt.getTime()) / 60_000)),
    created: r.createdAt.toISOString(),
    participant: [
      { actor: { reference: `Patient/${r.patientId}` }, required: 'required', status: 'accepted' },
      {
        type: [{ coding: [{ system: V3_PARTICIPATION_TYPE, code: 'PPRF', display: 'primary performer' }] }],
        actor: {
          reference: `Practitioner/${r.practitionerId}`,
          ...(practitioner?.displayName ? { display: practitioner.displayName } : {}),
        },
        required: 'required',
        status: 'accepted',
      },
    ],
  };
}
