import type {
  HousekeepingQueueQuery,
  HousekeepingStaffList,
  HousekeepingTask,
  HousekeepingTaskPage,
  HousekeepingTurnaround,
} from '@newhms/contracts';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../app/api-client';

export const housekeepingKey = ['facilities', 'housekeeping'] as const;

/** Housekeeping phones ask again often: a released bed waits for them. */
const LIVE_MS = 15_000;

export function useHousekeepingQueue(query: HousekeepingQueueQuery) {
  return useQuery({
    queryKey: [...housekeepingKey, 'queue', query],
    queryFn: ({ signal }) =>
      api.get<HousekeepingTaskPage>('/facilities/housekeeping/tasks', { ...query, limit: 200 }, signal),
    select: (data) => data.items,
    refetchInterval: LIVE_MS,
    placeholderData: keepPreviousData,
  });
}

export type TaskAction =
  | { action: 'take' | 'start'; task: HousekeepingTask }
  | { action: 'finish'; task: HousekeepingTask; note?: string | null }
  | { action: 'assign'; task: HousekeepingTask; userId: string }
  | { action: 'cancel'; task: HousekeepingTask; reason: string };

/** One verb on a task, with the version the phone saw (a stale one is 409: somebody else got there first). */
export function useHousekeepingAction() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (a: TaskAction) => {
      const path = `/facilities/housekeeping/tasks/${a.task.id}/${a.action}`;
      const version = a.task.version;
      if (a.action === 'assign') return api.post<HousekeepingTask>(path, { userId: a.userId, version });
      if (a.action === 'cancel') return api.post<HousekeepingTask>(path, { reason: a.reason, version });
      if (a.action === 'finish') return api.post<HousekeepingTask>(path, { version, note: a.note ?? null });
      return api.post<HousekeepingTask>(path, { version });
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: housekeepingKey }),
  });
}

export function useTurnaround(query: { from: string; to: string; wardId?: string }, enabled: boolean) {
  return useQuery({
    queryKey: [...housekeepingKey, 'turnaround', query],
    queryFn: ({ signal }) =>
      api.get<HousekeepingTurnaround>('/facilities/housekeeping/turnaround', query, signal),
    enabled,
    placeholderData: keepPreviousData,
  });
}

/** Staff a supervisor can give a task to: active holders of facilities:housekeeping in this facility. */
export function useAssignableStaff(facilityId: string | null, enabled: boolean) {
  return useQuery({
    queryKey: ['housekeeping', 'staff', facilityId],
    queryFn: ({ signal }) =>
      api.get<HousekeepingStaffList>('/facilities/housekeeping/staff', undefined, signal),
    select: (data) => data.items,
    enabled: enabled && !!facilityId,
    staleTime: 5 * 60_000,
  });
}
