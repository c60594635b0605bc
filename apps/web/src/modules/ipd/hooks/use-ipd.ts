import type {
  Admission,
  AdmissionDetail,
  AdmissionRequest,
  AdmissionRequestBody,
  AdmitBody,
  Bed,
  BedReservation,
  ClinicalNote,
  DischargeClearanceItem,
  DischargeSummaryPrefill,
  InitiateDischargeBody,
  ReserveBedBody,
} from '@newhms/contracts';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { ApiError, api } from '../../../app/api-client';

export const ipdKey = ['ipd'] as const;
const requestsKey = [...ipdKey, 'requests'] as const;
const admissionsKey = [...ipdKey, 'admissions'] as const;
const admissionKey = (id: string) => [...admissionsKey, 'one', id] as const;
// The same key as the nursing chart's summary tab: one cache for one note.
const summaryKey = (id: string) => [...ipdKey, 'discharge-summary', id] as const;

/**
 * A stale write of a versioned record (someone else changed it first): offer to reload. Other 409s (a bed taken
 * a moment ago, a discharge not yet cleared) are problems to read, not to reload.
 */
export function isStale(err: unknown): boolean {
  return err instanceof ApiError && (err.status === 412 || err.code === 'STALE_VERSION');
}

type Page<T> = { items: T[]; nextCursor: string | null };

/** Desk screens ask again now and then: requests and beds change while nobody at this desk touches them. */
const LIVE_MS = 15_000;

/** The active beds with their status now (for the bed pickers). */
export function useBeds(filter: { wardId?: string; status?: Bed['status'] } = {}, enabled = true) {
  return useQuery({
    queryKey: [...ipdKey, 'beds', filter],
    queryFn: ({ signal }) => api.get<{ items: Bed[] }>('/ipd/beds', { ...filter, active: 'true' }, signal),
    select: (data) => data.items,
    enabled,
    refetchInterval: LIVE_MS,
  });
}

/** The admission queue (waiting and reserved, most urgent first), or the requests of one status. */
export function useAdmissionRequests(status?: AdmissionRequest['status']) {
  return useQuery({
    queryKey: [...requestsKey, status ?? 'queue'],
    queryFn: ({ signal }) =>
      api.get<Page<AdmissionRequest>>('/ipd/admission-requests', { status, limit: 100 }, signal),
    placeholderData: keepPreviousData,
    refetchInterval: LIVE_MS,
  });
}

/** A patient's requests still in the queue (waiting or reserved). */
export function usePatientRequests(patientId: string | null) {
  return useQuery({
    queryKey: [...requestsKey, 'patient', patientId],
    queryFn: ({ signal }) =>
      api.get<Page<AdmissionRequest>>('/ipd/admission-requests', { patientId, limit: 20 }, signal),
    select: (data) => data.items,
    enabled: !!patientId,
  });
}

/** The in-patients now (admitted and discharge-initiated), newest first. */
export function useOpenAdmissions(wardId?: string) {
  return useQuery({
    queryKey: [...admissionsKey, 'open', wardId ?? 'all'],
    queryFn: ({ signal }) => api.get<Page<Admission>>('/ipd/admissions', { wardId, limit: 200 }, signal),
    placeholderData: keepPreviousData,
    refetchInterval: LIVE_MS,
  });
}

/** A patient's admissions in this facility, newest first (the OPD's "Admit" action looks for an open one). */
export function usePatientAdmissions(patientId: string | null | undefined) {
  return useQuery({
    queryKey: [...admissionsKey, 'patient', patientId],
    queryFn: ({ signal }) =>
      api.get<{ items: Admission[] }>(`/ipd/patients/${patientId}/admissions`, undefined, signal),
    select: (data) => data.items,
    enabled: !!patientId,
  });
}

/** One admission with its bed now, bed history and discharge checklist; read again while a discharge is open. */
export function useAdmission(id: string | undefined) {
  return useQuery({
    queryKey: admissionKey(id ?? ''),
    queryFn: ({ signal }) => api.get<AdmissionDetail>(`/ipd/admissions/${id}`, undefined, signal),
    enabled: !!id,
    // The checklist clears from other modules' events (billing, the signed summary): keep it current.
    refetchInterval: (query) => (query.state.data?.status === 'discharge-initiated' ? 5_000 : 30_000),
  });
}

function useIpdMutation<V, R>(mutationFn: (vars: V) => Promise<R>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSettled: () => queryClient.invalidateQueries({ queryKey: ipdKey }),
  });
}

export function useCreateAdmissionRequest() {
  return useIpdMutation((body: AdmissionRequestBody) =>
    api.post<AdmissionRequest>('/ipd/admission-requests', body),
  );
}

export function useCancelAdmissionRequest() {
  return useIpdMutation(({ id, ...body }: { id: string; reason: string; version: number }) =>
    api.post<AdmissionRequest>(`/ipd/admission-requests/${id}/cancel`, body),
  );
}

export function useReserveBed() {
  return useIpdMutation((body: ReserveBedBody) => api.post<BedReservation>('/ipd/reservations', body));
}

export function useReleaseReservation() {
  return useIpdMutation(({ id, ...body }: { id: string; reason: string | null; version: number }) =>
    api.post<BedReservation>(`/ipd/reservations/${id}/release`, body),
  );
}

export function useAdmitPatient() {
  return useIpdMutation((body: AdmitBody) => api.post<Admission>('/ipd/admissions', body));
}

export function useTransferPatient() {
  return useIpdMutation(
    ({
      id,
      ...body
    }: {
      id: string;
      bedId: string;
      reason: string;
      version: number;
      restrictionOverride?: { reason: string } | null;
    }) => api.post<Admission>(`/ipd/admissions/${id}/transfer`, body),
  );
}

export function useSetExpectedDischarge() {
  return useIpdMutation(({ id, ...body }: { id: string; expectedDischargeDate: string; version: number }) =>
    api.put<Admission>(`/ipd/admissions/${id}/expected-discharge`, body),
  );
}

export function useInitiateDischarge() {
  return useIpdMutation(({ id, body }: { id: string; body: InitiateDischargeBody }) =>
    api.post<Admission>(`/ipd/admissions/${id}/discharge/initiate`, body),
  );
}

export function useClearItem() {
  return useIpdMutation(
    ({
      admissionId,
      clearanceId,
      ...body
    }: {
      admissionId: string;
      clearanceId: string;
      action: 'clear' | 'waive';
      note: string;
      version: number;
    }) => api.post<DischargeClearanceItem>(`/ipd/admissions/${admissionId}/clearances/${clearanceId}`, body),
  );
}

export function useCompleteDischarge() {
  return useIpdMutation(({ id, version }: { id: string; version: number }) =>
    api.post<Admission>(`/ipd/admissions/${id}/discharge/complete`, { version }),
  );
}

export function useCancelAdmission() {
  return useIpdMutation(({ id, ...body }: { id: string; reason: string; version: number }) =>
    api.post<Admission>(`/ipd/admissions/${id}/cancel`, body),
  );
}

// ---------------------------------------------------------------------------------------------------------
// The discharge summary: a clinical note of kind 'discharge-summary' in the stay's encounter
// ---------------------------------------------------------------------------------------------------------

type Prefill = z.infer<typeof DischargeSummaryPrefill>;
export type DischargeSummaryState = { note: ClinicalNote | null; prefill: Prefill };

/** The summary's state for the discharge panel (the nursing chart's tab writes and signs it). */
export function useDischargeSummary(admissionId: string, enabled = true) {
  return useQuery({
    queryKey: summaryKey(admissionId),
    queryFn: ({ signal }) =>
      api.get<DischargeSummaryState>(`/ipd/admissions/${admissionId}/discharge-summary`, undefined, signal),
    enabled,
  });
}
