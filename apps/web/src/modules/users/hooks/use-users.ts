import type { User } from '@newhms/contracts';
import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { api } from '../../../app/api-client';

type UserPage = { items: User[]; nextCursor: string | null };
export type RoleAssignment = { facilityId: string; roleId: string };

const usersKey = ['auth', 'users'] as const;

export function useUserList(q: string) {
  return useInfiniteQuery({
    queryKey: [...usersKey, 'list', q],
    queryFn: ({ pageParam, signal }) =>
      api.get<UserPage>('/auth/users', { q: q || undefined, limit: 50, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

export function useUser(id: string) {
  return useQuery({
    queryKey: [...usersKey, 'one', id],
    queryFn: ({ signal }) => api.get<User>(`/auth/users/${id}`, undefined, signal),
  });
}

/** Every change to a user answers with the user as it now is: keep the cache in step. */
function useUserMutation<V, R>(mutationFn: (vars: V) => Promise<R>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: (result) => {
      const user = result as unknown as Partial<User> | undefined;
      if (user && typeof user === 'object' && 'id' in user && typeof user.id === 'string') {
        queryClient.setQueryData([...usersKey, 'one', user.id], user);
      }
      return queryClient.invalidateQueries({ queryKey: usersKey });
    },
  });
}

export function useCreateUser() {
  return useUserMutation(
    (body: { email: string; displayName: string; password?: string; roles: RoleAssignment[] }) =>
      api.post<{ user: User; temporaryPassword?: string }>('/auth/users', body),
  );
}

export function useUpdateUser(id: string) {
  return useUserMutation((body: { displayName?: string; status?: User['status']; version: number }) =>
    api.patch<User>(`/auth/users/${id}`, body),
  );
}

export function useSetUserRoles(id: string) {
  return useUserMutation((body: { roles: RoleAssignment[]; version: number }) =>
    api.put<User>(`/auth/users/${id}/roles`, body),
  );
}

export function useLockUser(id: string) {
  return useUserMutation((lock: boolean) =>
    api.post<User>(`/auth/users/${id}/${lock ? 'lock' : 'unlock'}`, {}),
  );
}

export function useResetPassword(id: string) {
  return useUserMutation(() =>
    api.post<{ temporaryPassword: string }>(`/auth/users/${id}/reset-password`, {}),
  );
}

export function useRevokeUserSessions(id: string) {
  return useUserMutation(() => api.post<void>(`/auth/users/${id}/revoke-sessions`, {}));
}
