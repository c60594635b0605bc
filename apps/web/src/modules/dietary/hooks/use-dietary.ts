import type {
  AdmissionDiet,
  DietOrder,
  DietOrderBody,
  KitchenList,
  KitchenListQuery,
} from '@newhms/contracts';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../app/api-client';

export const dietaryKey = ['dietary'] as const;

/** An admission's diet: where the patient lies, the active order and the history. */
export function useAdmissionDiet(admissionId: string) {
  return useQuery({
    queryKey: [...dietaryKey, 'admission', admissionId],
    queryFn: ({ signal }) => api.get<AdmissionDiet>(`/dietary/admissions/${admissionId}`, undefined, signal),
  });
}

function useDietMutation<V, R>(mutationFn: (vars: V) => Promise<R>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: dietaryKey }),
  });
}

export function useOrderDiet(admissionId: string) {
  return useDietMutation((body: DietOrderBody) =>
    api.post<DietOrder>(`/dietary/admissions/${admissionId}/orders`, body),
  );
}

export function useStopDietOrder() {
  return useDietMutation(({ id, reason, version }: { id: string; reason: string; version: number }) =>
    api.post<DietOrder>(`/dietary/orders/${id}/stop`, { reason, version }),
  );
}

/** The kitchen's list of one meal: it changes as the wards order, so it is asked again every minute. */
export function useKitchenList(query: KitchenListQuery, enabled = true) {
  return useQuery({
    queryKey: [...dietaryKey, 'kitchen', query],
    queryFn: ({ signal }) => api.get<KitchenList>('/dietary/kitchen-list', query, signal),
    enabled,
    placeholderData: keepPreviousData,
    refetchInterval: 60_000,
  });
}
