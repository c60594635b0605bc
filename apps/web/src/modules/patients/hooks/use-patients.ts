import {
  type AlertInput,
  type AlertUpdate,
  type Allergy,
  type AllergyInput,
  type AllergyUpdate,
  DuplicateCandidate,
  type DuplicateReview,
  type MatchBody,
  type Merge,
  type MergeBody,
  type MrnFormat,
  type MrnFormatBody,
  type Patient,
  type PatientAlert,
  type PatientChange,
  type PatientSearchResult,
  type RegisterPatientBody,
  type RegisterUnknownBody,
  type UpdatePatientBody,
} from '@newhms/contracts';
import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { z } from 'zod';
import { ApiError, api } from '../../../app/api-client';

export type SearchResult = z.infer<typeof PatientSearchResult>;
export type Candidate = DuplicateCandidate;
export type Review = z.infer<typeof DuplicateReview>;
export type MergeEntry = z.infer<typeof Merge>;
export type Change = z.infer<typeof PatientChange>;
export type MrnSettings = z.infer<typeof MrnFormat>;

export const patientsKey = ['patients'] as const;
const patientKey = (id: string) => [...patientsKey, 'one', id] as const;

export type SearchFilters = { q: string; birthYear?: number; sex?: Patient['sex'] };

export function usePatientSearch(filters: SearchFilters) {
  return useQuery<{ items: SearchResult[] }>({
    queryKey: [...patientsKey, 'search', filters],
    queryFn: ({ signal }) =>
      api.get<{ items: SearchResult[] }>(
        '/patients/search',
        { q: filters.q, birthYear: filters.birthYear, sex: filters.sex, limit: 25 },
        signal,
      ),
    enabled: filters.q.length >= 2,
    placeholderData: keepPreviousData,
    staleTime: 10_000,
  });
}

/** One patient record, as the server has it now. */
export function usePatient(id: string | null | undefined) {
  return useQuery({
    queryKey: patientKey(id ?? ''),
    queryFn: ({ signal }) => api.get<Patient>(`/patients/${id}`, undefined, signal),
    enabled: !!id,
  });
}

/** Live duplicate candidates for what is being typed at registration. */
export function usePatientMatches(body: z.input<typeof MatchBody> | null) {
  return useQuery<Candidate[]>({
    queryKey: [...patientsKey, 'match', body],
    queryFn: ({ signal }) =>
      api
        .post<{ candidates: Candidate[] }>('/patients/match', body, { signal })
        .then((res) => res.candidates),
    enabled: body !== null,
    placeholderData: keepPreviousData,
    retry: false,
  });
}

/** The candidates a 409 PATIENT_POSSIBLE_DUPLICATE carries, or null for any other error. */
export function duplicateCandidatesOf(err: unknown): Candidate[] | null {
  if (!(err instanceof ApiError) || err.code !== 'PATIENT_POSSIBLE_DUPLICATE') return null;
  const parsed = z.array(DuplicateCandidate).safeParse(err.problem.candidates);
  return parsed.success ? parsed.data : [];
}

function useStorePatient() {
  const queryClient = useQueryClient();
  return (patient: Patient) => {
    queryClient.setQueryData(patientKey(patient.id), patient);
    return queryClient.invalidateQueries({
      queryKey: patientsKey,
      predicate: (q) => q.queryKey[1] !== 'one' || q.queryKey[2] === patient.id,
    });
  };
}

export function useRegisterPatient() {
  const store = useStorePatient();
  return useMutation({
    mutationFn: (body: RegisterPatientBody) => api.post<Patient>('/patients', body),
    onSuccess: (patient) => store(patient),
  });
}

export function useRegisterUnknownPatient() {
  const store = useStorePatient();
  return useMutation({
    mutationFn: (body: z.input<typeof RegisterUnknownBody>) => api.post<Patient>('/patients/unknown', body),
    onSuccess: (patient) => store(patient),
  });
}

export function useUpdatePatient(id: string) {
  const store = useStorePatient();
  return useMutation({
    mutationFn: (body: UpdatePatientBody) => api.patch<Patient>(`/patients/${id}`, body),
    onSuccess: (patient) => store(patient),
  });
}

/** Reloads one patient (after a change of an allergy, an alert or the photo, or a stale write). */
export function useReloadPatient(id: string) {
  const queryClient = useQueryClient();
  return () =>
    queryClient.invalidateQueries({
      predicate: (q) =>
        q.queryKey[0] === patientsKey[0] &&
        ((q.queryKey[1] === 'one' && q.queryKey[2] === id) || q.queryKey[2] === id),
    });
}

export function usePatientHistory(id: string) {
  return useQuery({
    queryKey: [...patientsKey, 'history', id],
    queryFn: ({ signal }) => api.get<{ items: Change[] }>(`/patients/${id}/history`, undefined, signal),
  });
}

export function useUploadPhoto(id: string) {
  const reload = useReloadPatient(id);
  return useMutation({
    mutationFn: (body: { contentType: 'image/jpeg' | 'image/png'; data: string }) =>
      api.put<void>(`/patients/${id}/photo`, body),
    onSuccess: () => reload(),
  });
}

export function useAddAllergy(id: string) {
  const reload = useReloadPatient(id);
  return useMutation({
    mutationFn: (body: z.input<typeof AllergyInput>) => api.post<Allergy>(`/patients/${id}/allergies`, body),
    onSuccess: () => reload(),
  });
}

export function useChangeAllergy(id: string) {
  const reload = useReloadPatient(id);
  return useMutation({
    mutationFn: ({ allergyId, ...body }: z.input<typeof AllergyUpdate> & { allergyId: string }) =>
      api.patch<Allergy>(`/patients/${id}/allergies/${allergyId}`, body),
    onSuccess: () => reload(),
  });
}

export function useRecordNoKnownAllergies(id: string) {
  const store = useStorePatient();
  return useMutation({
    mutationFn: () => api.post<Patient>(`/patients/${id}/no-known-allergies`, {}),
    onSuccess: (patient) => store(patient),
  });
}

export function useAddAlert(id: string) {
  const reload = useReloadPatient(id);
  return useMutation({
    mutationFn: (body: z.input<typeof AlertInput>) => api.post<PatientAlert>(`/patients/${id}/alerts`, body),
    onSuccess: () => reload(),
  });
}

export function useChangeAlert(id: string) {
  const reload = useReloadPatient(id);
  return useMutation({
    mutationFn: ({ alertId, ...body }: z.input<typeof AlertUpdate> & { alertId: string }) =>
      api.patch<PatientAlert>(`/patients/${id}/alerts/${alertId}`, body),
    onSuccess: () => reload(),
  });
}

export type ReviewStatus = Review['status'];

export function useDuplicateReviews(status: ReviewStatus) {
  return useInfiniteQuery({
    queryKey: [...patientsKey, 'duplicates', status],
    queryFn: ({ pageParam, signal }) =>
      api.get<{ items: Review[]; nextCursor: string | null }>(
        '/patients/duplicates',
        { status, limit: 50, cursor: pageParam },
        signal,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useResolveDuplicate() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ reviewId, note }: { reviewId: string; note: string }) =>
      api.post<Review>(`/patients/duplicates/${reviewId}/resolve`, { status: 'not-duplicate', note }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: [...patientsKey, 'duplicates'] }),
  });
}

export function useMergePatients() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: z.input<typeof MergeBody>) => api.post<MergeEntry>('/patients/merges', body),
    // Both records changed (one is now merged), and so did the worklist and the log.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: patientsKey }),
  });
}

export function useMergeLog() {
  return useInfiniteQuery({
    queryKey: [...patientsKey, 'merges'],
    queryFn: ({ pageParam, signal }) =>
      api.get<{ items: MergeEntry[]; nextCursor: string | null }>(
        '/patients/merges',
        { limit: 50, cursor: pageParam },
        signal,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

const mrnFormatKey = [...patientsKey, 'settings', 'mrn-format'] as const;

export function useMrnFormat() {
  return useQuery({
    queryKey: mrnFormatKey,
    queryFn: ({ signal }) => api.get<MrnSettings>('/patients/settings/mrn-format', undefined, signal),
  });
}

export function useSaveMrnFormat() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: z.input<typeof MrnFormatBody>) =>
      api.put<MrnSettings>('/patients/settings/mrn-format', body),
    onSuccess: (saved) => queryClient.setQueryData(mrnFormatKey, saved),
  });
}
