import type {
  CultureResult,
  CumulativeResults,
  LabCatalogSearch,
  LabCollectionItem,
  LabCriticalAlert,
  LabPriority,
  LabRequest,
  LabSampleLookup,
  LabSection,
  LabTurnaroundReport,
  LabValidationQueueItem,
  LabWorklistItem,
  sampleRejectionReasons,
  UnmatchedOrder,
} from '@newhms/contracts';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { api } from '../../../app/api-client';
import type { EntryResult } from '../result-entry';

// Every laboratory query and mutation of the web app, over apps/server/src/modules/laboratory/laboratory.routes.ts.
// All sit under ['laboratory', ...]: a collection, a receipt, a result or a validation changes the lists, the
// patient's record and the critical-value inbox, so any change reads them all again.

const laboratoryKey = ['laboratory'] as const;
const L = '/laboratory';

/** How often the bench lists and the critical-value inbox ask again: samples and values arrive by themselves. */
const LIVE_MS = 30_000;

type Catalog = z.infer<typeof LabCatalogSearch>;
type CollectionItem = z.infer<typeof LabCollectionItem>;
type WorklistItem = z.infer<typeof LabWorklistItem>;
export type Cumulative = z.infer<typeof CumulativeResults>;
export type RejectionReason = (typeof sampleRejectionReasons)[number];
export type { CollectionItem, WorklistItem };

function useLabMutation<V, R>(mutationFn: (vars: V) => Promise<R>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSettled: () => queryClient.invalidateQueries({ queryKey: laboratoryKey }),
  });
}

// Catalog and requests ------------------------------------------------------------------------------------------

/** Tests and panels by code, name or LOINC code, as the doctor or the counter types. */
export function useLabCatalogSearch(q: string, enabled = true) {
  return useQuery({
    queryKey: [...laboratoryKey, 'catalog', q],
    queryFn: ({ signal }) => api.get<Catalog>(`${L}/catalog`, { q, limit: 20 }, signal),
    enabled: enabled && q.length >= 2,
    placeholderData: keepPreviousData,
    staleTime: 10 * 60_000,
  });
}

/** The catalog lookup as a one-off read through the cache (the order form resolves typed names on submit). */
export function useFetchLabCatalog() {
  const queryClient = useQueryClient();
  return (q: string) =>
    queryClient.fetchQuery({
      queryKey: [...laboratoryKey, 'catalog', q],
      queryFn: ({ signal }) => api.get<Catalog>(`${L}/catalog`, { q, limit: 20 }, signal),
      staleTime: 10 * 60_000,
    });
}

/** A patient's or an encounter's requests, newest first (asked again as tubes and results move on). */
export function useLabRequests(filter: { patientId?: string | null; encounterId?: string | null }) {
  const enabled = !!filter.patientId || !!filter.encounterId;
  return useQuery({
    queryKey: [...laboratoryKey, 'requests', filter],
    queryFn: ({ signal }) =>
      api.get<LabRequest[]>(
        `${L}/requests`,
        { patientId: filter.patientId, encounterId: filter.encounterId, limit: 50 },
        signal,
      ),
    enabled,
    refetchInterval: LIVE_MS,
  });
}

export function useLabRequest(id: string | null | undefined) {
  return useQuery({
    queryKey: [...laboratoryKey, 'request', id],
    queryFn: ({ signal }) => api.get<LabRequest>(`${L}/requests/${id}`, undefined, signal),
    enabled: !!id,
  });
}

export type WalkInInput = {
  patientId: string;
  encounterId: string | null;
  tests: string[];
  priority: LabPriority;
  note: string | null;
};

export function usePlaceWalkIn() {
  return useLabMutation((body: WalkInInput) => api.post<LabRequest[]>(`${L}/requests`, body));
}

/** A patient's released results per test over time. */
export function useCumulativeResults(patientId: string | null | undefined) {
  return useQuery({
    queryKey: [...laboratoryKey, 'cumulative', patientId],
    queryFn: ({ signal }) => api.get<Cumulative>(`${L}/patients/${patientId}/results`, undefined, signal),
    enabled: !!patientId,
  });
}

// Samples --------------------------------------------------------------------------------------------------------

export function useCollectionList(filter: { setting?: string; wardId?: string }) {
  return useQuery({
    queryKey: [...laboratoryKey, 'collection', filter],
    queryFn: ({ signal }) =>
      api.get<CollectionItem[]>(
        `${L}/collection-list`,
        { setting: filter.setting || undefined, wardId: filter.wardId || undefined, limit: 200 },
        signal,
      ),
    refetchInterval: LIVE_MS,
  });
}

export function useCollectSample() {
  return useLabMutation(
    ({ sampleId, ...body }: { sampleId: string; collectedAt?: string; collectorName?: string }) =>
      api.post<LabRequest>(`${L}/samples/${sampleId}/collect`, body),
  );
}

/**
 * The tube behind a scanned accession, before it is received or rejected (an audited read). Asked once per
 * scan; a receipt or rejection reads it again with the rest of the laboratory's queries.
 */
export function useSampleByAccession(accession: string | null) {
  return useQuery({
    queryKey: [...laboratoryKey, 'sample-by-accession', accession],
    queryFn: ({ signal }) =>
      api.get<LabSampleLookup>(
        `${L}/samples/by-accession/${encodeURIComponent(accession ?? '')}`,
        undefined,
        signal,
      ),
    enabled: !!accession,
    retry: false,
  });
}

export function useReceiveSample() {
  return useLabMutation((accession: string) => api.post<LabRequest>(`${L}/samples/receive`, { accession }));
}

export function useRejectSample() {
  return useLabMutation(
    ({ sampleId, ...body }: { sampleId: string; reason: RejectionReason; note: string | null }) =>
      api.post<LabRequest>(`${L}/samples/${sampleId}/reject`, body),
  );
}

/** The wards of the facility, for the collection list (read with ipd:read). */
export function useWards(enabled: boolean) {
  return useQuery({
    queryKey: ['ipd', 'wards'],
    queryFn: ({ signal }) =>
      api.get<{ items: { id: string; code: string; name: string }[] }>('/ipd/wards', undefined, signal),
    select: (data) => data.items,
    enabled,
    staleTime: 5 * 60_000,
  });
}

// Results --------------------------------------------------------------------------------------------------------

export function useWorklist(section: LabSection) {
  return useQuery({
    queryKey: [...laboratoryKey, 'worklist', section],
    queryFn: ({ signal }) => api.get<WorklistItem[]>(`${L}/worklist`, { section, limit: 200 }, signal),
    refetchInterval: LIVE_MS,
  });
}

export function useEnterResults() {
  return useLabMutation(({ requestId, results }: { requestId: string; results: EntryResult[] }) =>
    api.post<LabRequest>(`${L}/requests/${requestId}/results`, { results }),
  );
}

type ValidationQueueFilter = { section: LabSection | ''; priority: LabPriority | '' };

/** Results entered and awaiting validation in the facility, STAT first, then the oldest entry. */
export function useValidationQueue(filter: ValidationQueueFilter) {
  return useQuery({
    queryKey: [...laboratoryKey, 'validation-queue', filter],
    queryFn: ({ signal }) =>
      api.get<LabValidationQueueItem[]>(
        `${L}/validation-queue`,
        { section: filter.section || undefined, priority: filter.priority || undefined, limit: 200 },
        signal,
      ),
    refetchInterval: LIVE_MS,
    placeholderData: keepPreviousData,
  });
}

export function useValidateResults() {
  return useLabMutation(({ requestId, resultIds }: { requestId: string; resultIds?: string[] }) =>
    api.post<LabRequest>(`${L}/requests/${requestId}/validate`, resultIds ? { resultIds } : {}),
  );
}

export type AmendInput = {
  resultId: string;
  value?: number;
  text?: string;
  culture?: CultureResult;
  reason: string;
  version: number;
};

export function useAmendResult() {
  return useLabMutation(({ resultId, ...body }: AmendInput) =>
    api.post<LabRequest>(`${L}/results/${resultId}/amend`, body),
  );
}

// Critical values --------------------------------------------------------------------------------------------

export type CriticalFilter = { mine: boolean; status: 'open' | 'acknowledged' | 'all' };

export function useCriticalAlerts(filter: CriticalFilter, enabled = true) {
  return useQuery({
    queryKey: [...laboratoryKey, 'critical-alerts', filter],
    queryFn: ({ signal }) =>
      api.get<LabCriticalAlert[]>(
        `${L}/critical-alerts`,
        { mine: String(filter.mine), status: filter.status, limit: 200 },
        signal,
      ),
    refetchInterval: LIVE_MS,
    enabled,
  });
}

export function useAcknowledgeCritical() {
  return useLabMutation(({ id, readBack }: { id: string; readBack: string }) =>
    api.post<LabCriticalAlert>(`${L}/critical-alerts/${id}/acknowledge`, { readBack }),
  );
}

// Reports ----------------------------------------------------------------------------------------------------

export function useTurnaroundReport(query: { from: string; to: string; section: LabSection | '' }) {
  return useQuery({
    queryKey: [...laboratoryKey, 'turnaround', query],
    queryFn: ({ signal }) =>
      api.get<LabTurnaroundReport>(
        `${L}/reports/turnaround`,
        { from: query.from, to: query.to, section: query.section || undefined },
        signal,
      ),
    enabled: !!query.from && !!query.to && query.from <= query.to,
    placeholderData: keepPreviousData,
  });
}

// Orders the laboratory could not match ------------------------------------------------------------------------

/** Encounter orders no test or panel of the catalog matched, for the lab to call the ordering doctor. */
export function useLabUnmatchedOrders(status: 'open' | 'closed' | 'all') {
  return useQuery({
    queryKey: [...laboratoryKey, 'unmatched-orders', status],
    queryFn: ({ signal }) =>
      api.get<UnmatchedOrder[]>('/laboratory/unmatched-orders', { status, limit: 200 }, signal),
    refetchInterval: LIVE_MS,
  });
}

/** Closes an unmatched order with what was done about it (409 when someone closed or changed it first). */
export function useCloseLabUnmatchedOrder() {
  return useLabMutation(({ id, ...body }: { id: string; note: string; version: number }) =>
    api.post<UnmatchedOrder>(`/laboratory/unmatched-orders/${id}/close`, body),
  );
}
