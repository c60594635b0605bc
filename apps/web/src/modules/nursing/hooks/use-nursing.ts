import type {
  AdmissionDetail,
  CarePlanItem,
  ChartedVitals,
  ClinicalNote,
  DischargeSummaryPrefill,
  EncounterDetail,
  FlowSheet,
  IntakeOutputChart,
  IntakeOutputEntry,
  News2Score,
  NoteSections,
  NursingNote,
  NursingNoteBody,
  NursingTask,
  NursingTaskBody,
  VitalsBody,
  Ward,
  WardStation,
} from '@newhms/contracts';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { api } from '../../../app/api-client';

// Everything of the in-patient chart sits under ['ipd', ...]: a change anywhere refreshes the admission's chart
// and the nursing station (the other web module's ipd queries share the prefix, so a transfer shows here too).
export const ipdKey = ['ipd'] as const;
const admissionKey = (id: string) => [...ipdKey, 'admission', id] as const;
const chartKey = (id: string, part: string) => [...ipdKey, 'chart', id, part] as const;

/** How often ward screens ask again: vitals and tasks change while nobody at this screen touches them. */
const LIVE_MS = 15_000;

export function useWards() {
  return useQuery({
    queryKey: [...ipdKey, 'wards'],
    queryFn: ({ signal }) => api.get<{ items: Ward[] }>('/ipd/wards', { active: true }, signal),
    select: (data) => data.items,
    staleTime: 5 * 60_000,
  });
}

export function useWardStation(wardId: string | undefined) {
  return useQuery({
    queryKey: [...ipdKey, 'station', wardId ?? ''],
    queryFn: ({ signal }) => api.get<WardStation>(`/ipd/wards/${wardId}/station`, undefined, signal),
    enabled: !!wardId,
    refetchInterval: LIVE_MS,
    placeholderData: keepPreviousData,
  });
}

export function useAdmission(id: string | undefined) {
  return useQuery({
    queryKey: admissionKey(id ?? ''),
    queryFn: ({ signal }) => api.get<AdmissionDetail>(`/ipd/admissions/${id}`, undefined, signal),
    enabled: !!id,
  });
}

/** A mutation of the chart: on success the admission's chart parts and the ward station are read again. */
function useChartMutation<V, R>(mutationFn: (vars: V) => Promise<R>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ipdKey }),
  });
}

// Vitals and NEWS2 ---------------------------------------------------------------------------------------------

export function useFlowSheet(admissionId: string, range: { from?: string; to?: string } = {}) {
  return useQuery({
    queryKey: [...chartKey(admissionId, 'flow-sheet'), range],
    queryFn: ({ signal }) =>
      api.get<FlowSheet>(`/ipd/admissions/${admissionId}/vitals/flow-sheet`, range, signal),
    refetchInterval: LIVE_MS,
    placeholderData: keepPreviousData,
  });
}

/** The NEWS2 alerts still awaiting a response, newest first. */
export function useOpenEscalations(admissionId: string) {
  return useQuery({
    queryKey: chartKey(admissionId, 'escalations'),
    queryFn: ({ signal }) =>
      api.get<{ items: News2Score[] }>(
        `/ipd/admissions/${admissionId}/early-warnings`,
        { open: 'true' },
        signal,
      ),
    select: (data) => data.items,
    refetchInterval: LIVE_MS,
  });
}

/** The newest NEWS2 of the admission, whatever its escalation. */
export function useLatestNews2(admissionId: string) {
  return useQuery({
    queryKey: chartKey(admissionId, 'news2'),
    queryFn: ({ signal }) =>
      api.get<{ items: News2Score[] }>(`/ipd/admissions/${admissionId}/early-warnings`, undefined, signal),
    select: (data) => data.items[0] ?? null,
    refetchInterval: LIVE_MS,
  });
}

export function useChartVitals(admissionId: string) {
  return useChartMutation((body: VitalsBody) =>
    api.post<ChartedVitals>(`/ipd/admissions/${admissionId}/vitals`, body),
  );
}

export function useAcknowledgeEscalation() {
  return useChartMutation(({ id, response }: { id: string; response: string }) =>
    api.post<News2Score>(`/ipd/early-warnings/${id}/acknowledge`, { response }),
  );
}

// Intake and output ---------------------------------------------------------------------------------------------

export function useIntakeOutput(admissionId: string, date: string | undefined) {
  return useQuery({
    queryKey: [...chartKey(admissionId, 'io'), date ?? 'now'],
    queryFn: ({ signal }) =>
      api.get<IntakeOutputChart>(`/ipd/admissions/${admissionId}/intake-output`, { date }, signal),
    placeholderData: keepPreviousData,
    refetchInterval: LIVE_MS,
  });
}

export type IntakeOutputInput = {
  direction: 'intake' | 'output';
  route: string;
  volumeMl: number;
  note?: string | null;
  effectiveAt?: string;
};

export function useRecordIntakeOutput(admissionId: string) {
  return useChartMutation((body: IntakeOutputInput) =>
    api.post<IntakeOutputEntry>(`/ipd/admissions/${admissionId}/intake-output`, body),
  );
}

export function useIntakeOutputInError() {
  return useChartMutation(({ id, reason }: { id: string; reason: string }) =>
    api.post<IntakeOutputEntry>(`/ipd/intake-output/${id}/entered-in-error`, { reason }),
  );
}

// Nursing notes and handovers -----------------------------------------------------------------------------------

export function useNursingNotes(admissionId: string, kind: 'note' | 'handover') {
  return useQuery({
    queryKey: [...chartKey(admissionId, 'nursing-notes'), kind],
    queryFn: ({ signal }) =>
      api.get<{ items: NursingNote[]; nextCursor: string | null }>(
        `/ipd/admissions/${admissionId}/nursing-notes`,
        { kind, limit: 100 },
        signal,
      ),
    select: (data) => data.items,
  });
}

export function useAddNursingNote(admissionId: string) {
  return useChartMutation((body: z.input<typeof NursingNoteBody>) =>
    api.post<NursingNote>(`/ipd/admissions/${admissionId}/nursing-notes`, body),
  );
}

export function useNursingNoteInError() {
  return useChartMutation(({ id, reason }: { id: string; reason: string }) =>
    api.post<NursingNote>(`/ipd/nursing-notes/${id}/entered-in-error`, { reason }),
  );
}

// Care plan ---------------------------------------------------------------------------------------------------

export function useCarePlan(admissionId: string) {
  return useQuery({
    queryKey: chartKey(admissionId, 'care-plan'),
    queryFn: ({ signal }) =>
      api.get<{ items: CarePlanItem[] }>(`/ipd/admissions/${admissionId}/care-plan`, undefined, signal),
    select: (data) => data.items,
  });
}

export function useAddCarePlanItem(admissionId: string) {
  return useChartMutation((body: { problem: string; goal: string; interventions: string[] }) =>
    api.post<CarePlanItem>(`/ipd/admissions/${admissionId}/care-plan`, body),
  );
}

export type CarePlanChange =
  | {
      kind: 'update';
      id: string;
      body: { goal?: string; interventions?: string[]; evaluation?: string; version: number };
    }
  | { kind: 'resolve'; id: string; body: { evaluation: string; version: number } }
  | { kind: 'error'; id: string; body: { reason: string; version: number } };

export function useChangeCarePlanItem() {
  return useChartMutation((change: CarePlanChange) => {
    if (change.kind === 'update')
      return api.patch<CarePlanItem>(`/ipd/care-plan-items/${change.id}`, change.body);
    const action = change.kind === 'resolve' ? 'resolve' : 'entered-in-error';
    return api.post<CarePlanItem>(`/ipd/care-plan-items/${change.id}/${action}`, change.body);
  });
}

// Tasks ---------------------------------------------------------------------------------------------------------

export function useNursingTasks(admissionId: string) {
  return useQuery({
    queryKey: chartKey(admissionId, 'tasks'),
    queryFn: ({ signal }) =>
      api.get<{ items: NursingTask[] }>(`/ipd/admissions/${admissionId}/tasks`, undefined, signal),
    select: (data) => data.items,
    refetchInterval: LIVE_MS,
  });
}

export function useAddNursingTask(admissionId: string) {
  return useChartMutation((body: z.input<typeof NursingTaskBody>) =>
    api.post<NursingTask>(`/ipd/admissions/${admissionId}/tasks`, body),
  );
}

export function useCloseNursingTask() {
  return useChartMutation(
    ({
      id,
      action,
      text,
      version,
    }: {
      id: string;
      action: 'complete' | 'cancel';
      text: string;
      version: number;
    }) =>
      api.post<NursingTask>(
        `/ipd/tasks/${id}/${action}`,
        action === 'complete' ? { outcome: text, version } : { reason: text, version },
      ),
  );
}

// The clinical record of the stay (progress notes) ----------------------------------------------------------------

const encounterKey = (encounterId: string) => ['encounters', 'one', encounterId] as const;

/** The inpatient encounter with its notes: the doctors' progress notes live in the shared record. */
export function useInpatientEncounter(encounterId: string | undefined) {
  return useQuery({
    queryKey: encounterKey(encounterId ?? ''),
    queryFn: ({ signal }) => api.get<EncounterDetail>(`/encounters/${encounterId}`, undefined, signal),
    enabled: !!encounterId,
  });
}

function useEncounterMutation<V, R>(encounterId: string, mutationFn: (vars: V) => Promise<R>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: encounterKey(encounterId) }),
        queryClient.invalidateQueries({ queryKey: [...ipdKey, 'discharge-summary'] }),
      ]),
  });
}

export function useWriteProgressNote(encounterId: string) {
  return useEncounterMutation(encounterId, async ({ text, sign }: { text: string; sign: boolean }) => {
    const note = await api.post<ClinicalNote>(`/encounters/${encounterId}/notes`, {
      kind: 'progress',
      sections: { text },
    });
    if (!sign) return note;
    return api.post<ClinicalNote>(`/encounters/${encounterId}/notes/${note.id}/sign`, {
      version: note.version,
    });
  });
}

export function useSignClinicalNote(encounterId: string) {
  return useEncounterMutation(encounterId, ({ noteId, version }: { noteId: string; version: number }) =>
    api.post<ClinicalNote>(`/encounters/${encounterId}/notes/${noteId}/sign`, { version }),
  );
}

export function useSaveClinicalNote(encounterId: string) {
  return useEncounterMutation(
    encounterId,
    ({ noteId, sections, version }: { noteId: string; sections: NoteSections; version: number }) =>
      api.put<ClinicalNote>(`/encounters/${encounterId}/notes/${noteId}`, { sections, version }),
  );
}

export function useAmendClinicalNote(encounterId: string) {
  return useEncounterMutation(
    encounterId,
    ({ noteId, ...body }: { noteId: string; sections: NoteSections; reason: string; version: number }) =>
      api.post<ClinicalNote>(`/encounters/${encounterId}/notes/${noteId}/amend`, body),
  );
}

// Discharge summary -----------------------------------------------------------------------------------------------

export type DischargeSummaryState = {
  note: ClinicalNote | null;
  prefill: z.infer<typeof DischargeSummaryPrefill>;
};

export function useDischargeSummary(admissionId: string) {
  return useQuery({
    queryKey: [...ipdKey, 'discharge-summary', admissionId],
    queryFn: ({ signal }) =>
      api.get<DischargeSummaryState>(`/ipd/admissions/${admissionId}/discharge-summary`, undefined, signal),
  });
}

export function useStartDischargeSummary(admissionId: string) {
  return useChartMutation(() =>
    api.post<ClinicalNote>(`/ipd/admissions/${admissionId}/discharge-summary`, {}),
  );
}
