import type {
  AffectedAppointment,
  ClinicRoom,
  ClinicRoomFields,
  CreateExceptionBody,
  CreatePractitionerBody,
  CreateScheduleBody,
  Department,
  OpdSession,
  OpdSettings,
  OpdSettingsBody,
  Practitioner,
  ScheduleException,
  ScheduleTemplate,
  UpdateClinicRoomBody,
  UpdatePractitionerBody,
  UpdateScheduleBody,
  User,
} from '@newhms/contracts';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { api } from '../../../app/api-client';
import { useAuth } from '../../../app/auth/auth-context';

const opdKey = ['opd'] as const;
const setupKey = [...opdKey, 'setup'] as const;
/** Appointments, slots, queues and worklists: what a booking or a queue action changes. */
export const visitsKey = [...opdKey, 'visits'] as const;

export type ScheduleChange = {
  template?: ScheduleTemplate;
  exception?: ScheduleException;
  affected: AffectedAppointment[];
};

export function useOpdSettings() {
  return useQuery({
    queryKey: [...setupKey, 'settings'],
    queryFn: ({ signal }) => api.get<OpdSettings>('/opd/settings', undefined, signal),
    staleTime: 5 * 60_000,
  });
}

export function useSaveOpdSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: z.input<typeof OpdSettingsBody>) => api.put<OpdSettings>('/opd/settings', body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: opdKey }),
  });
}

/** The practitioners of the facility (the active ones unless all are asked for). */
export function usePractitioners(options: { includeInactive?: boolean } = {}) {
  return useQuery({
    queryKey: [...setupKey, 'practitioners', options.includeInactive ?? false],
    queryFn: ({ signal }) =>
      api.get<{ items: Practitioner[] }>(
        '/opd/practitioners',
        { active: options.includeInactive ? undefined : 'true' },
        signal,
      ),
    select: (data) => data.items,
    staleTime: 60_000,
  });
}

/** The practitioner profile of the signed-in user in this facility, if they have one. */
export function useOwnPractitioner() {
  const { me } = useAuth();
  const practitioners = usePractitioners({ includeInactive: true });
  return {
    ...practitioners,
    data: practitioners.data?.find((p) => p.userId === me?.id) ?? null,
  };
}

export function useCreatePractitioner() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CreatePractitionerBody) => api.post<Practitioner>('/opd/practitioners', body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: setupKey }),
  });
}

export function useUpdatePractitioner() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: z.input<typeof UpdatePractitionerBody> & { id: string }) =>
      api.patch<Practitioner>(`/opd/practitioners/${id}`, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: opdKey }),
  });
}

export function useRooms() {
  return useQuery({
    queryKey: [...setupKey, 'rooms'],
    queryFn: ({ signal }) => api.get<{ items: ClinicRoom[] }>('/opd/rooms', undefined, signal),
    select: (data) => data.items,
    staleTime: 60_000,
  });
}

export function useCreateRoom() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: z.input<typeof ClinicRoomFields>) => api.post<ClinicRoom>('/opd/rooms', body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: setupKey }),
  });
}

export function useUpdateRoom() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: z.input<typeof UpdateClinicRoomBody> & { id: string }) =>
      api.patch<ClinicRoom>(`/opd/rooms/${id}`, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: setupKey }),
  });
}

/** The departments of the facility being worked in (to pick a doctor by department). */
export function useDepartments() {
  const { facilityId } = useAuth();
  return useQuery({
    queryKey: ['organization', 'departments', facilityId ?? ''],
    queryFn: ({ signal }) =>
      api.get<{ items: Department[] }>(
        `/organization/facilities/${facilityId}/departments`,
        undefined,
        signal,
      ),
    select: (data) => data.items,
    enabled: !!facilityId,
    staleTime: 5 * 60_000,
  });
}

export function useScheduleTemplates(practitionerId: string | null) {
  return useQuery({
    queryKey: [...setupKey, 'schedules', practitionerId],
    queryFn: ({ signal }) =>
      api.get<{ items: ScheduleTemplate[] }>(
        '/opd/schedules',
        { practitionerId: practitionerId ?? undefined },
        signal,
      ),
    select: (data) => data.items,
  });
}

function useScheduleMutation<V>(mutationFn: (vars: V) => Promise<ScheduleChange>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    // A schedule change re-makes sessions and slots, and may cancel bookings.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: opdKey }),
  });
}

export function useCreateSchedule() {
  return useScheduleMutation((body: CreateScheduleBody) => api.post<ScheduleChange>('/opd/schedules', body));
}

export function useUpdateSchedule() {
  return useScheduleMutation(({ id, ...body }: z.input<typeof UpdateScheduleBody> & { id: string }) =>
    api.patch<ScheduleChange>(`/opd/schedules/${id}`, body),
  );
}

export function useScheduleExceptions(filter: { practitionerId?: string; from?: string; to?: string }) {
  return useQuery({
    queryKey: [...setupKey, 'exceptions', filter],
    queryFn: ({ signal }) => api.get<{ items: ScheduleException[] }>('/opd/exceptions', filter, signal),
    select: (data) => data.items,
  });
}

export function useCreateException() {
  return useScheduleMutation((body: CreateExceptionBody) =>
    api.post<ScheduleChange>('/opd/exceptions', body),
  );
}

export function useWithdrawException() {
  return useScheduleMutation((id: string) => api.post<ScheduleChange>(`/opd/exceptions/${id}/withdraw`));
}

export function useSessions(filter: { practitionerId?: string; from: string; to: string }) {
  return useQuery({
    queryKey: [...visitsKey, 'sessions', filter],
    queryFn: ({ signal }) => api.get<{ items: OpdSession[] }>('/opd/sessions', filter, signal),
    select: (data) => data.items,
    placeholderData: keepPreviousData,
  });
}

export function useCancelSession() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, reason }: { id: string; reason: string }) =>
      api.post<{ session: OpdSession; affected: AffectedAppointment[] }>(`/opd/sessions/${id}/cancel`, {
        reason,
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: opdKey }),
  });
}

/** Staff users, to link a practitioner profile to (administrators only). */
export function useStaffUsers(q: string, enabled: boolean) {
  return useQuery({
    queryKey: ['auth', 'users', 'list-for-practitioner', q],
    queryFn: ({ signal }) =>
      api.get<{ items: User[] }>('/auth/users', { q: q || undefined, limit: 50 }, signal),
    select: (data) => data.items,
    enabled,
    placeholderData: keepPreviousData,
  });
}
