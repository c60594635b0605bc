import type { Department, Facility } from '@newhms/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../app/api-client';

export const facilitiesKey = ['organization', 'facilities'] as const;
const departmentsKey = (facilityId: string) => ['organization', 'departments', facilityId] as const;

export type FacilityInput = {
  name: string;
  timeZone: string;
  currency: string;
  addressLine: string | null;
  city: string | null;
  state: string | null;
  postalCode: string | null;
  country: string;
  phone: string | null;
  email: string | null;
  registrationNumber: string | null;
  gstin: string | null;
};

export function useFacilities(enabled = true) {
  return useQuery({
    queryKey: facilitiesKey,
    queryFn: ({ signal }) => api.get<{ items: Facility[] }>('/organization/facilities', undefined, signal),
    select: (data) => data.items,
    enabled,
  });
}

export function useFacility(facilityId: string) {
  return useQuery({
    queryKey: [...facilitiesKey, facilityId],
    queryFn: ({ signal }) => api.get<Facility>(`/organization/facilities/${facilityId}`, undefined, signal),
  });
}

export function useCreateFacility() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: FacilityInput & { code: string }) =>
      api.post<Facility>('/organization/facilities', body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: facilitiesKey }),
  });
}

export function useUpdateFacility() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({
      id,
      ...body
    }: Partial<FacilityInput> & { id: string; active?: boolean; version: number }) =>
      api.patch<Facility>(`/organization/facilities/${id}`, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: facilitiesKey }),
  });
}

export function useDepartments(facilityId: string) {
  return useQuery({
    queryKey: departmentsKey(facilityId),
    queryFn: ({ signal }) =>
      api.get<{ items: Department[] }>(
        `/organization/facilities/${facilityId}/departments`,
        undefined,
        signal,
      ),
    select: (data) => data.items,
  });
}

export type DepartmentInput = { code: string; name: string; kind: Department['kind'] };

export function useCreateDepartment(facilityId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: DepartmentInput) =>
      api.post<Department>(`/organization/facilities/${facilityId}/departments`, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: departmentsKey(facilityId) }),
  });
}

export function useUpdateDepartment(facilityId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({
      id,
      ...body
    }: {
      id: string;
      name?: string;
      kind?: Department['kind'];
      active?: boolean;
      version: number;
    }) => api.patch<Department>(`/organization/facilities/${facilityId}/departments/${id}`, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: departmentsKey(facilityId) }),
  });
}
