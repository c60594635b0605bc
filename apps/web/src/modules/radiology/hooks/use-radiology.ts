import type {
  RadAddendumBody,
  RadChecklist,
  RadCriticalAlert,
  RadDose,
  RadLaterality,
  RadModality,
  RadOrder,
  RadOrderStatus,
  RadPatientStudy,
  RadPriority,
  RadProcedure,
  RadReport,
  RadRoom,
  RadRoomSchedule,
  UnmatchedOrder,
} from '@newhms/contracts';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { api } from '../../../app/api-client';

// Every radiology query and mutation of the web app, over apps/server/src/modules/radiology/radiology.routes.ts.
// All sit under ['radiology', ...]: a booking, an arrival, a completed study or a signed report changes the
// scheduling lists, the worklists, the patient's imaging and the critical findings, so any change reads them again.

export const radiologyKey = ['radiology'] as const;
const R = '/radiology';

/** How often the worklists and the critical findings ask again: patients arrive and studies finish by themselves. */
export const LIVE_MS = 30_000;

function useRadiologyMutation<V, R>(mutationFn: (vars: V) => Promise<R>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSettled: () => queryClient.invalidateQueries({ queryKey: radiologyKey }),
  });
}

// Catalog and rooms -----------------------------------------------------------------------------------------------

/** Procedures by code, name or body part (and modality), as one types. */
export function useRadCatalog(q: string, modality?: RadModality | '', enabled = true) {
  return useQuery({
    queryKey: [...radiologyKey, 'catalog', q, modality ?? ''],
    queryFn: ({ signal }) =>
      api.get<RadProcedure[]>(`${R}/catalog`, { q, modality: modality || undefined, limit: 30 }, signal),
    enabled: enabled && q.length >= 2,
    placeholderData: keepPreviousData,
    staleTime: 10 * 60_000,
  });
}

/** The catalog entry of one procedure code (the side and contrast rules of an order's procedure). */
export function useRadProcedure(code: string | null | undefined) {
  return useQuery({
    queryKey: [...radiologyKey, 'catalog', 'code', code],
    queryFn: ({ signal }) => api.get<RadProcedure[]>(`${R}/catalog`, { q: code, limit: 50 }, signal),
    select: (list) => list.find((p) => p.code === code) ?? null,
    enabled: !!code,
    staleTime: 10 * 60_000,
  });
}

/** The catalog lookup as a one-off read through the cache (an order form resolves a typed name on submit). */
export function useFetchRadCatalog() {
  const queryClient = useQueryClient();
  return (q: string) =>
    queryClient.fetchQuery({
      queryKey: [...radiologyKey, 'catalog', q, ''],
      queryFn: ({ signal }) => api.get<RadProcedure[]>(`${R}/catalog`, { q, limit: 30 }, signal),
      staleTime: 10 * 60_000,
    });
}

export function useRadRooms(filter: { modality?: RadModality | ''; includeInactive?: boolean } = {}) {
  return useQuery({
    queryKey: [...radiologyKey, 'rooms', filter],
    queryFn: ({ signal }) =>
      api.get<RadRoom[]>(
        `${R}/rooms`,
        {
          modality: filter.modality || undefined,
          includeInactive: filter.includeInactive ? 'true' : undefined,
        },
        signal,
      ),
    staleTime: 60_000,
  });
}

export type RoomInput = {
  code: string;
  name: string;
  modality: RadModality;
  opensAt: string | null;
  closesAt: string | null;
  aeTitle: string | null;
};

export function useCreateRoom() {
  return useRadiologyMutation((body: RoomInput) => api.post<RadRoom>(`${R}/rooms`, body));
}

export type RoomChange = {
  name?: string;
  opensAt?: string | null;
  closesAt?: string | null;
  aeTitle?: string | null;
  active?: boolean;
  version: number;
};

export function useUpdateRoom() {
  return useRadiologyMutation(({ id, ...body }: RoomChange & { id: string }) =>
    api.patch<RadRoom>(`${R}/rooms/${id}`, body),
  );
}

/** A room's bookings on a day of the facility's calendar. */
export function useRoomSchedule(roomId: string | null | undefined, date: string) {
  return useQuery({
    queryKey: [...radiologyKey, 'schedule', roomId, date],
    queryFn: ({ signal }) => api.get<RadRoomSchedule>(`${R}/rooms/${roomId}/schedule`, { date }, signal),
    enabled: !!roomId && !!date,
    refetchInterval: LIVE_MS,
  });
}

// Orders and bookings ---------------------------------------------------------------------------------------------

export type WorklistFilter = {
  modality?: RadModality | '';
  roomId?: string;
  date?: string;
  status?: RadOrderStatus | '';
  reportStatus?: 'none' | 'draft' | 'final' | 'amended';
};

/** Orders by modality, room, day and state, STAT first (reportStatus=none: completed studies to report). */
export function useRadWorklist(filter: WorklistFilter, enabled = true) {
  return useQuery({
    queryKey: [...radiologyKey, 'worklist', filter],
    queryFn: ({ signal }) =>
      api.get<RadOrder[]>(
        `${R}/worklist`,
        {
          modality: filter.modality || undefined,
          roomId: filter.roomId || undefined,
          date: filter.date || undefined,
          status: filter.status || undefined,
          reportStatus: filter.reportStatus,
          limit: 200,
        },
        signal,
      ),
    refetchInterval: LIVE_MS,
    enabled,
  });
}

export function useRadOrder(id: string | null | undefined) {
  return useQuery({
    queryKey: [...radiologyKey, 'order', id],
    queryFn: ({ signal }) => api.get<RadOrder>(`${R}/orders/${id}`, undefined, signal),
    enabled: !!id,
  });
}

export type WalkInInput = {
  patientId: string;
  encounterId: string | null;
  procedureCode: string;
  priority: RadPriority;
  clinicalIndication: string;
  laterality: RadLaterality | null;
  note: string | null;
};

export function usePlaceImagingOrder() {
  return useRadiologyMutation((body: WalkInInput) => api.post<RadOrder>(`${R}/orders`, body));
}

export function useCancelImagingOrder() {
  return useRadiologyMutation(({ id, ...body }: { id: string; reason: string; version: number }) =>
    api.post<RadOrder>(`${R}/orders/${id}/cancel`, body),
  );
}

export type BookingInput = { roomId: string; startsAt: string; endsAt?: string; version: number };

/** Books an ordered study, or moves its booking; 409 when the room is taken then. */
export function useBookStudy() {
  return useRadiologyMutation(
    ({ id, reschedule, ...body }: BookingInput & { id: string; reschedule: boolean }) =>
      api.post<RadOrder>(`${R}/orders/${id}/booking${reschedule ? '/reschedule' : ''}`, body),
  );
}

export function useCancelBooking() {
  return useRadiologyMutation(({ id, ...body }: { id: string; reason: string; version: number }) =>
    api.post<RadOrder>(`${R}/orders/${id}/booking/cancel`, body),
  );
}

// The study ---------------------------------------------------------------------------------------------------------

type StepInput = { id: string; checklist?: RadChecklist; laterality?: RadLaterality; version: number };

export function useArrive() {
  return useRadiologyMutation(({ id, ...body }: StepInput) =>
    api.post<RadOrder>(`${R}/orders/${id}/arrive`, body),
  );
}

/** Starts the study; 422 names each checklist field still missing. */
export function useStartStudy() {
  return useRadiologyMutation(({ id, ...body }: StepInput & { roomId?: string }) =>
    api.post<RadOrder>(`${R}/orders/${id}/start`, body),
  );
}

export type CompleteInput = {
  id: string;
  studyInstanceUid?: string;
  numberOfImages: number | null;
  dose: RadDose | null;
  note: string | null;
  version: number;
};

export function useCompleteStudy() {
  return useRadiologyMutation(({ id, ...body }: CompleteInput) =>
    api.post<RadOrder>(`${R}/orders/${id}/complete`, body),
  );
}

// Reports -----------------------------------------------------------------------------------------------------------

/** The report of a study; null while it has none (the server's 404). */
export function useReportOfOrder(orderId: string | null | undefined) {
  return useQuery({
    queryKey: [...radiologyKey, 'report-of', orderId],
    queryFn: async ({ signal }) => {
      try {
        return await api.get<RadReport>(`${R}/orders/${orderId}/report`, undefined, signal);
      } catch (err) {
        if ((err as { status?: number }).status === 404) return null;
        throw err;
      }
    },
    enabled: !!orderId,
  });
}

/** Opens the study's report as a draft from its template. */
export function useOpenReport() {
  return useRadiologyMutation((orderId: string) => api.post<RadReport>(`${R}/orders/${orderId}/report`));
}

export type ReportText = { technique: string; comparison: string; findings: string; impression: string };

export function useSaveReport() {
  return useRadiologyMutation(({ id, ...body }: ReportText & { id: string; version: number }) =>
    api.put<RadReport>(`${R}/reports/${id}`, body),
  );
}

export function useSignReport() {
  return useRadiologyMutation(
    ({
      id,
      ...body
    }: ReportText & {
      id: string;
      version: number;
      criticalFinding: { text: string; category: RadCriticalAlert['category'] } | null;
    }) => api.post<RadReport>(`${R}/reports/${id}/sign`, body),
  );
}

export function useAddAddendum() {
  return useRadiologyMutation(({ id, ...body }: z.input<typeof RadAddendumBody> & { id: string }) =>
    api.post<RadReport>(`${R}/reports/${id}/addenda`, body),
  );
}

// The patient's imaging and critical findings ---------------------------------------------------------------------

/** A patient's studies, newest first; with an encounter, only those ordered in it (the consultation). */
export function usePatientStudies(patientId: string | null | undefined, encounterId?: string | null) {
  return useQuery({
    queryKey: [...radiologyKey, 'patient-studies', patientId, encounterId ?? null],
    queryFn: ({ signal }) =>
      api.get<RadPatientStudy[]>(
        `${R}/patients/${patientId}/studies`,
        { limit: 100, encounterId: encounterId ?? undefined },
        signal,
      ),
    enabled: !!patientId,
    refetchInterval: LIVE_MS,
  });
}

export type CriticalFilter = { mine: boolean; status: 'open' | 'acknowledged' | 'all' };

export function useRadCriticalAlerts(filter: CriticalFilter, enabled = true) {
  return useQuery({
    queryKey: [...radiologyKey, 'critical-alerts', filter],
    queryFn: ({ signal }) =>
      api.get<RadCriticalAlert[]>(
        `${R}/critical-alerts`,
        { mine: String(filter.mine), status: filter.status, limit: 200 },
        signal,
      ),
    refetchInterval: LIVE_MS,
    enabled,
  });
}

export function useAcknowledgeRadCritical() {
  return useRadiologyMutation(({ id, readBack }: { id: string; readBack: string }) =>
    api.post<RadCriticalAlert>(`${R}/critical-alerts/${id}/acknowledge`, { readBack }),
  );
}

// Orders radiology could not match -------------------------------------------------------------------------------

/** Encounter orders no procedure of the catalog matched, for radiology to call the ordering doctor. */
export function useRadUnmatchedOrders(status: 'open' | 'closed' | 'all') {
  return useQuery({
    queryKey: [...radiologyKey, 'unmatched-orders', status],
    queryFn: ({ signal }) =>
      api.get<UnmatchedOrder[]>(`${R}/unmatched-orders`, { status, limit: 200 }, signal),
    refetchInterval: LIVE_MS,
  });
}

/** Closes an unmatched order with what was done about it (409 when someone closed or changed it first). */
export function useCloseRadUnmatchedOrder() {
  return useRadiologyMutation(({ id, ...body }: { id: string; note: string; version: number }) =>
    api.post<UnmatchedOrder>(`${R}/unmatched-orders/${id}/close`, body),
  );
}
