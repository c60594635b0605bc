import type {
  Appointment,
  ClinicalNote,
  Diagnosis,
  DiagnosisBody,
  DiagnosisUpdate,
  Encounter,
  EncounterDetail,
  IcdEntry,
  NoteSections,
  Observation,
  Order,
  OrderBody,
  VitalsBody,
} from '@newhms/contracts';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { api } from '../../../app/api-client';
import { awaitsDepartment } from '../order-fulfilment';

export type IcdItem = z.infer<typeof IcdEntry>;

export const encountersKey = ['encounters'] as const;
const encounterKey = (id: string) => [...encountersKey, 'one', id] as const;
const patientRecordKey = (patientId: string) => [...encountersKey, 'patient', patientId] as const;

/** One encounter with its vitals, notes, diagnoses and orders. */
export function useEncounter(id: string | undefined) {
  return useQuery({
    queryKey: encounterKey(id ?? ''),
    queryFn: ({ signal }) => api.get<EncounterDetail>(`/encounters/${id}`, undefined, signal),
    enabled: !!id,
    // The lab and radiology move the orders on by themselves (accepted, collected, resulted, or not taken).
    refetchInterval: (query) => (query.state.data?.orders.some(awaitsDepartment) ? 30_000 : false),
  });
}

/**
 * After any change to an encounter: it, and the patient's record across encounters, are read again. The
 * refresh is not awaited, so the caller's form clears at the server's answer, before the list shows the new
 * entry: a doctor who starts typing the next order as soon as it appears keeps what is typed.
 */
function useEncounterMutation<V, R>(encounterId: string, mutationFn: (vars: V) => Promise<R>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: () => {
      const detail = queryClient.getQueryData<EncounterDetail>(encounterKey(encounterId));
      void queryClient.invalidateQueries({ queryKey: encounterKey(encounterId) });
      if (detail)
        void queryClient.invalidateQueries({ queryKey: patientRecordKey(detail.encounter.patientId) });
    },
  });
}

export function useRecordVitals(encounterId: string) {
  return useEncounterMutation(encounterId, (body: VitalsBody) =>
    api.post<{ items: Observation[] }>(`/encounters/${encounterId}/vitals`, body),
  );
}

/** Draft saves go straight to the API (the editor keeps the version); sign and amend refresh the encounter. */
export const noteApi = {
  create: (encounterId: string, sections: NoteSections) =>
    api.post<ClinicalNote>(`/encounters/${encounterId}/notes`, { kind: 'consultation', sections }),
  save: (encounterId: string, noteId: string, sections: NoteSections, version: number) =>
    api.put<ClinicalNote>(`/encounters/${encounterId}/notes/${noteId}`, { sections, version }),
};

export function useSignNote(encounterId: string) {
  return useEncounterMutation(encounterId, ({ noteId, version }: { noteId: string; version: number }) =>
    api.post<ClinicalNote>(`/encounters/${encounterId}/notes/${noteId}/sign`, { version }),
  );
}

export function useAmendNote(encounterId: string) {
  return useEncounterMutation(
    encounterId,
    ({ noteId, ...body }: { noteId: string; sections: NoteSections; reason: string; version: number }) =>
      api.post<ClinicalNote>(`/encounters/${encounterId}/notes/${noteId}/amend`, body),
  );
}

/** ICD-10 by code or words, as the doctor types. */
export function useIcd10Search(q: string) {
  return useQuery({
    queryKey: ['icd10', q],
    queryFn: ({ signal }) => api.get<{ items: IcdItem[] }>('/icd10', { q, limit: 20 }, signal),
    select: (data) => data.items,
    enabled: q.length >= 2,
    placeholderData: keepPreviousData,
    staleTime: 10 * 60_000,
  });
}

export function useAddDiagnosis(encounterId: string) {
  return useEncounterMutation(encounterId, (body: z.input<typeof DiagnosisBody>) =>
    api.post<Diagnosis>(`/encounters/${encounterId}/diagnoses`, body),
  );
}

export function useUpdateDiagnosis(encounterId: string) {
  return useEncounterMutation(
    encounterId,
    ({ id, ...body }: z.input<typeof DiagnosisUpdate> & { id: string }) =>
      api.patch<Diagnosis>(`/encounters/${encounterId}/diagnoses/${id}`, body),
  );
}

export function usePlaceOrder(encounterId: string) {
  return useEncounterMutation(encounterId, (body: z.input<typeof OrderBody>) =>
    api.post<Order>(`/encounters/${encounterId}/orders`, body),
  );
}

export function useCancelOrder(encounterId: string) {
  return useEncounterMutation(
    encounterId,
    ({ id, ...body }: { id: string; reason: string; version: number }) =>
      api.post<Order>(`/encounters/${encounterId}/orders/${id}/cancel`, body),
  );
}

export type FinishInput = {
  advice: string | null;
  followUpDate: string | null;
  referral: string | null;
  version: number;
};

/**
 * Finishes the consultation. An OPD consultation also completes its queue token, so the doctor's queue
 * moves on (the encounters API does not tell the OPD).
 */
export function useFinishEncounter(encounterId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ input, encounter }: { input: FinishInput; encounter: Encounter }) => {
      const finished = await api.post<Encounter>(`/encounters/${encounterId}/finish`, input);
      if (encounter.sourceType === 'opd-token' && encounter.sourceId) {
        await api.post(`/opd/tokens/${encounter.sourceId}/complete`, {}).catch(() => undefined);
      }
      return finished;
    },
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: encountersKey }),
        queryClient.invalidateQueries({ queryKey: ['opd'] }),
      ]),
  });
}

/** Books the follow-up visit from the consultation: the first free slot of the doctor on that date. */
export function useBookFollowUp() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { encounterId: string; date: string; reason?: string | null }) =>
      api.post<Appointment>('/opd/follow-ups', body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['opd'] }),
  });
}

/** Follow-up appointments already booked from this consultation. */
export function useFollowUps(encounterId: string, patientId: string | undefined) {
  return useQuery({
    queryKey: ['opd', 'visits', 'appointments', { patientId, followUpOf: encounterId }],
    queryFn: ({ signal }) =>
      api.get<{ items: Appointment[] }>('/opd/appointments', { patientId, limit: 50 }, signal),
    select: (data) =>
      data.items.filter((a) => a.followUpOfEncounterId === encounterId && a.status !== 'cancelled'),
    enabled: !!patientId,
    retry: false,
  });
}

export function usePatientEncounters(patientId: string | undefined) {
  return useQuery({
    queryKey: [...patientRecordKey(patientId ?? ''), 'encounters'],
    queryFn: ({ signal }) =>
      api.get<{ items: Encounter[]; nextCursor: string | null }>(
        `/patients/${patientId}/encounters`,
        { limit: 20 },
        signal,
      ),
    select: (data) => data.items,
    enabled: !!patientId,
  });
}

export function usePatientVitals(patientId: string | undefined) {
  return useQuery({
    queryKey: [...patientRecordKey(patientId ?? ''), 'vitals'],
    queryFn: ({ signal }) =>
      api.get<{ items: Observation[] }>(`/patients/${patientId}/vitals`, undefined, signal),
    select: (data) => data.items,
    enabled: !!patientId,
  });
}

export function usePatientProblems(patientId: string | undefined) {
  return useQuery({
    queryKey: [...patientRecordKey(patientId ?? ''), 'problems'],
    queryFn: ({ signal }) =>
      api.get<{ items: Diagnosis[] }>(`/patients/${patientId}/problems`, undefined, signal),
    select: (data) => data.items,
    enabled: !!patientId,
  });
}
