import type { Role } from '@newhms/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../app/api-client';

export type PermissionInfo = { name: string; module: string };

export const rolesKey = ['access', 'roles'] as const;

export function useRoles(enabled = true) {
  return useQuery({
    queryKey: rolesKey,
    queryFn: ({ signal }) => api.get<{ items: Role[] }>('/access/roles', undefined, signal),
    select: (data) => data.items,
    enabled,
  });
}

export function usePermissions() {
  return useQuery({
    queryKey: ['access', 'permissions'],
    queryFn: ({ signal }) => api.get<{ items: PermissionInfo[] }>('/access/permissions', undefined, signal),
    select: (data) => data.items,
    staleTime: 5 * 60_000,
  });
}

export function useCreateRole() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; description: string; permissions: string[] }) =>
      api.post<Role>('/access/roles', body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: rolesKey }),
  });
}

export function useUpdateRole() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({
      id,
      ...body
    }: {
      id: string;
      description?: string;
      permissions?: string[];
      version: number;
    }) => api.patch<Role>(`/access/roles/${id}`, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: rolesKey }),
  });
}
