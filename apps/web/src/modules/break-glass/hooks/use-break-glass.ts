import type { BreakGlassGrant } from '@newhms/contracts';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { api } from '../../../app/api-client';

export type Grant = z.infer<typeof BreakGlassGrant>;
type GrantPage = { items: Grant[]; nextCursor: string | null };
const key = ['access', 'break-glass'] as const;

export function useBreakGlassGrants(status: 'unreviewed' | 'all') {
  return useInfiniteQuery({
    queryKey: [...key, status],
    queryFn: ({ pageParam, signal }) =>
      api.get<GrantPage>('/access/break-glass', { status, limit: 50, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useReviewBreakGlass() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, note }: { id: string; note: string }) =>
      api.post<Grant>(`/access/break-glass/${id}/review`, { note }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: key }),
  });
}
