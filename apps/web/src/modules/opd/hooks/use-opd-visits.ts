import type {
  Appointment,
  AppointmentStatus,
  BookAppointmentBody,
  CheckInBody,
  PriorityKind,
  Queue,
  QueueToken,
  Slot,
  WaitingTimes,
  Worklist,
} from '@newhms/contracts';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../app/api-client';
import { visitsKey } from './use-opd-setup';

/** What starting a consultation answers: the token, the patient and the encounter opened. */
type ConsultationStart = { token: QueueToken; encounterId: string };

export type CheckInResult = { token: QueueToken; appointment: Appointment | null };
type AppointmentPage = { items: Appointment[]; nextCursor: string | null };

/** How often a desk screen asks again: the queue moves while nobody at this desk touches it. */
const LIVE_MS = 10_000;

/** The slot picker: a doctor's slots of a day with their free capacity now. */
export function useSlots(practitionerId: string | null, date: string) {
  return useQuery({
    queryKey: [...visitsKey, 'slots', practitionerId, date],
    queryFn: ({ signal }) =>
      api.get<{ items: Slot[] }>('/opd/slots', { practitionerId, from: date, to: date }, signal),
    select: (data) => data.items,
    enabled: !!practitionerId && /^\d{4}-\d{2}-\d{2}$/.test(date),
    refetchInterval: 30_000,
  });
}

export function useAppointments(
  filter: {
    date?: string;
    practitionerId?: string | null;
    patientId?: string;
    status?: AppointmentStatus;
  },
  enabled = true,
) {
  return useQuery({
    queryKey: [...visitsKey, 'appointments', filter],
    queryFn: ({ signal }) =>
      api.get<AppointmentPage>(
        '/opd/appointments',
        { ...filter, practitionerId: filter.practitionerId ?? undefined, limit: 200 },
        signal,
      ),
    select: (data) => data.items,
    enabled,
    placeholderData: keepPreviousData,
    refetchInterval: LIVE_MS,
  });
}

/** Patients of cancelled sessions still to be rebooked. */
export function useRescheduleList() {
  return useQuery({
    queryKey: [...visitsKey, 'reschedule-list'],
    queryFn: ({ signal }) => api.get<AppointmentPage>('/opd/reschedule-list', { limit: 100 }, signal),
    select: (data) => data.items,
  });
}

function useVisitMutation<V, R>(mutationFn: (vars: V) => Promise<R>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSettled: () => queryClient.invalidateQueries({ queryKey: visitsKey }),
  });
}

export function useBookAppointment() {
  return useVisitMutation((body: BookAppointmentBody) => api.post<Appointment>('/opd/appointments', body));
}

export function useRescheduleAppointment() {
  return useVisitMutation(
    ({ id, ...body }: { id: string; slotId: string; reason?: string | null; version?: number }) =>
      api.post<Appointment>(`/opd/appointments/${id}/reschedule`, body),
  );
}

export function useCancelAppointment() {
  return useVisitMutation(({ id, ...body }: { id: string; reason: string; version?: number }) =>
    api.post<Appointment>(`/opd/appointments/${id}/cancel`, body),
  );
}

export function useMarkNoShow() {
  return useVisitMutation(({ id, version }: { id: string; version?: number }) =>
    api.post<Appointment>(`/opd/appointments/${id}/no-show`, { version }),
  );
}

/** Checks in an appointment's patient: arrived, with a token in the doctor's queue. */
export function useArriveAppointment() {
  return useVisitMutation(({ id, ...body }: { id: string; priorities: PriorityKind[]; version?: number }) =>
    api.post<CheckInResult>(`/opd/appointments/${id}/arrive`, body),
  );
}

export function useCheckInWalkIn() {
  return useVisitMutation((body: CheckInBody) => api.post<CheckInResult>('/opd/queue/check-in', body));
}

export function useQueue(practitionerId: string | null, date?: string) {
  return useQuery({
    queryKey: [...visitsKey, 'queue', practitionerId, date ?? 'today'],
    queryFn: ({ signal }) => api.get<Queue>('/opd/queue', { practitionerId, date }, signal),
    enabled: !!practitionerId,
    placeholderData: keepPreviousData,
    refetchInterval: LIVE_MS,
  });
}

export type TokenAction = 'call' | 'complete' | 'skip' | 'recall';

export function useTokenAction() {
  return useVisitMutation(({ id, action, version }: { id: string; action: TokenAction; version?: number }) =>
    api.post<QueueToken>(`/opd/tokens/${id}/${action}`, { version }),
  );
}

export function useCallNext() {
  return useVisitMutation((practitionerId: string) =>
    api.post<QueueToken>('/opd/queue/call-next', { practitionerId }),
  );
}

export function useTransferToken() {
  return useVisitMutation(
    ({ id, ...body }: { id: string; toPractitionerId: string; reason: string; version?: number }) =>
      api.post<{ from: QueueToken; to: QueueToken }>(`/opd/tokens/${id}/transfer`, body),
  );
}

/** The doctor's day; without a practitioner, the signed-in doctor's own. */
export function useWorklist(practitionerId: string | null, enabled = true) {
  return useQuery({
    queryKey: [...visitsKey, 'worklist', practitionerId ?? 'own'],
    queryFn: ({ signal }) =>
      api.get<Worklist>('/opd/worklist', { practitionerId: practitionerId ?? undefined }, signal),
    enabled,
    retry: false,
    placeholderData: keepPreviousData,
    refetchInterval: LIVE_MS,
  });
}

/** "Call next" of the doctor: calls the next patient and opens their consultation. */
export function useCallNextAndStart() {
  return useVisitMutation((practitionerId: string | undefined) =>
    api.post<ConsultationStart>('/opd/worklist/call-next', { practitionerId }),
  );
}

/** Starts (or reopens) the consultation of a token: its encounter. */
export function useStartConsultation() {
  return useVisitMutation(({ id, version }: { id: string; version?: number }) =>
    api.post<ConsultationStart>(`/opd/tokens/${id}/start`, { version }),
  );
}

export function useWaitingTimes(filter: { from: string; to: string; practitionerId?: string | null }) {
  return useQuery({
    queryKey: [...visitsKey, 'waiting-times', filter],
    queryFn: ({ signal }) =>
      api.get<WaitingTimes>(
        '/opd/waiting-times',
        { ...filter, practitionerId: filter.practitionerId ?? undefined },
        signal,
      ),
    select: (data) => data.items,
    enabled: !!filter.practitionerId,
    refetchInterval: 60_000,
  });
}
