import type { AuditEntry } from '@newhms/contracts';
import { keepPreviousData, useInfiniteQuery, useMutation } from '@tanstack/react-query';
import { api } from '../../../app/api-client';

export type AuditFilters = {
  from?: string;
  to?: string;
  actorName?: string;
  action?: string;
  resourceType?: string;
  resourceId?: string;
  patientId?: string;
  outcome?: 'success' | 'failure' | 'denied';
  ip?: string;
  breakGlass?: 'true' | 'false';
};
export type AuditSort = { sort: string; order: 'asc' | 'desc' };
type AuditPage = { items: AuditEntry[]; nextCursor: string | null };
export type AuditVerifyResult = { valid: boolean; checked: number; firstInvalidId?: string; reason?: string };

export function useAuditEntries(filters: AuditFilters, sort: AuditSort) {
  return useInfiniteQuery({
    queryKey: ['audit', 'entries', filters, sort],
    queryFn: ({ pageParam, signal }) =>
      api.get<AuditPage>('/audit/entries', { ...filters, ...sort, limit: 100, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

export function useVerifyAuditChain() {
  return useMutation({ mutationFn: () => api.get<AuditVerifyResult>('/audit/verify') });
}
