import type {
  Administration,
  Dispensation,
  Favourite,
  FormularyItem,
  MarView,
  Prescription,
  PrescriptionCheck,
  QueuedPrescription,
  Store,
} from '@newhms/contracts';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../app/api-client';
import type { favouriteItems } from '../favourites';
import type { buildFillBody } from '../fill-prescription';
import type { buildCheckBody, buildPrescriptionBody } from '../prescription-draft';

// Every query of prescribing, the pharmacy's queue and the MAR sits under ['prescriptions', ...]: any change
// (a signature, a fill, a dose recorded) reads them all again, so the screens never disagree.
export const prescriptionsKey = ['prescriptions'] as const;

/** How often the ward's and the pharmacy's lists ask again: doses fall due and prescriptions arrive by themselves. */
const LIVE_MS = 30_000;

export type WardDoses = {
  admissionId: string;
  patientId: string;
  bedCode: string;
  wardName: string;
  overdue: number;
  doses: Administration[];
};

function useInvalidatingMutation<V, R>(mutationFn: (vars: V) => Promise<R>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: prescriptionsKey }),
  });
}

// Prescribing ----------------------------------------------------------------------------------------------------

/** The formulary by generic name, code, ingredient or brand (typos allowed). */
export function useFormularySearch(q: string, limit = 20) {
  return useQuery({
    queryKey: [...prescriptionsKey, 'formulary', q, limit],
    queryFn: ({ signal }) => api.get<FormularyItem[]>('/pharmacy/formulary', { q, limit }, signal),
    enabled: q.length >= 2,
    placeholderData: keepPreviousData,
    staleTime: 5 * 60_000,
  });
}

/** The checker on the draft as it stands (the caller debounces the body); nothing is written. */
export function usePrescriptionCheck(body: NonNullable<ReturnType<typeof buildCheckBody>> | null) {
  return useQuery({
    queryKey: [...prescriptionsKey, 'check', body],
    queryFn: ({ signal }) => api.post<PrescriptionCheck>('/prescriptions/check', body, { signal }),
    enabled: body !== null,
    placeholderData: keepPreviousData,
    staleTime: 0,
    retry: false,
  });
}

export function useSignPrescription() {
  return useInvalidatingMutation((body: ReturnType<typeof buildPrescriptionBody>) =>
    api.post<Prescription>('/prescriptions', body),
  );
}

/** A patient's prescriptions, newest first (optionally those of one encounter). */
export function usePatientPrescriptions(patientId: string | undefined, encounterId?: string) {
  return useQuery({
    queryKey: [...prescriptionsKey, 'patient', patientId ?? ''],
    queryFn: ({ signal }) =>
      api.get<Prescription[]>(`/patients/${patientId}/prescriptions`, undefined, signal),
    select: (rows) => (encounterId ? rows.filter((p) => p.encounterId === encounterId) : rows),
    enabled: !!patientId,
  });
}

export function useStopLine() {
  return useInvalidatingMutation(({ id, lineNo, reason }: { id: string; lineNo: number; reason: string }) =>
    api.post<Prescription>(`/prescriptions/${id}/lines/${lineNo}/stop`, { reason }),
  );
}

export function useCancelPrescription() {
  return useInvalidatingMutation(({ id, reason, version }: { id: string; reason: string; version: number }) =>
    api.post<Prescription>(`/prescriptions/${id}/cancel`, { reason, version }),
  );
}

// The signed-in doctor's favourites and order sets ---------------------------------------------------------------

export function useFavourites() {
  return useQuery({
    queryKey: [...prescriptionsKey, 'favourites'],
    queryFn: ({ signal }) => api.get<Favourite[]>('/prescriptions/favourites', undefined, signal),
    staleTime: 60_000,
  });
}

export function useSaveFavourite() {
  return useInvalidatingMutation((body: { name: string; items: ReturnType<typeof favouriteItems> }) =>
    api.post<Favourite>('/prescriptions/favourites', body),
  );
}

export function useRemoveFavourite() {
  return useInvalidatingMutation((id: string) => api.post<void>(`/prescriptions/favourites/${id}/remove`));
}

/** Formulary items by id, read through the query cache (a favourite's medicines); those not found are left out. */
export function useFetchFormularyItems() {
  const queryClient = useQueryClient();
  return async (ids: readonly string[]): Promise<FormularyItem[]> => {
    const found = await Promise.allSettled(
      ids.map((id) =>
        queryClient.fetchQuery({
          queryKey: [...prescriptionsKey, 'formulary-item', id],
          queryFn: ({ signal }) => api.get<FormularyItem>(`/pharmacy/formulary/${id}`, undefined, signal),
          staleTime: 10 * 60_000,
        }),
      ),
    );
    return found.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  };
}

// The pharmacy's queue ------------------------------------------------------------------------------------------

export function usePrescriptionQueue(setting: 'outpatient' | 'inpatient' | '') {
  return useQuery({
    queryKey: [...prescriptionsKey, 'queue', setting],
    queryFn: ({ signal }) =>
      api.get<QueuedPrescription[]>('/pharmacy/prescription-queue', { setting, limit: 100 }, signal),
    refetchInterval: LIVE_MS,
    placeholderData: keepPreviousData,
  });
}

/** The stores that hand medicines to patients. */
export function useDispensingStores() {
  return useQuery({
    queryKey: [...prescriptionsKey, 'stores'],
    queryFn: ({ signal }) => api.get<Store[]>('/pharmacy/stores', undefined, signal),
    select: (stores) => stores.filter((s) => s.dispenses && s.active),
    staleTime: 5 * 60_000,
  });
}

/** A formulary item (its ingredients, to find products that may stand in for it). */
export function useFormularyItem(id: string | undefined) {
  return useQuery({
    queryKey: [...prescriptionsKey, 'formulary-item', id ?? ''],
    queryFn: ({ signal }) => api.get<FormularyItem>(`/pharmacy/formulary/${id}`, undefined, signal),
    enabled: !!id,
    staleTime: 10 * 60_000,
  });
}

export function useFillPrescription() {
  return useInvalidatingMutation(
    ({ id, body }: { id: string; body: Extract<ReturnType<typeof buildFillBody>, { ok: true }>['body'] }) =>
      api.post<Dispensation>(`/prescriptions/${id}/dispense`, body),
  );
}

// The MAR --------------------------------------------------------------------------------------------------------

export function useAdmissionMar(admissionId: string | undefined) {
  return useQuery({
    queryKey: [...prescriptionsKey, 'mar', admissionId ?? ''],
    queryFn: ({ signal }) => api.get<MarView>(`/admissions/${admissionId}/mar`, undefined, signal),
    enabled: !!admissionId,
    refetchInterval: LIVE_MS,
  });
}

export function useWardDosesDue(wardId: string | undefined, hours = 4) {
  return useQuery({
    queryKey: [...prescriptionsKey, 'ward-mar', wardId ?? '', hours],
    queryFn: ({ signal }) => api.get<WardDoses[]>('/pharmacy/mar/ward', { wardId, hours }, signal),
    enabled: !!wardId,
    refetchInterval: LIVE_MS,
    placeholderData: keepPreviousData,
  });
}

export type RecordDoseInput = {
  id: string;
  status: 'given' | 'held' | 'refused' | 'missed';
  reason?: string | null;
  wristbandCode?: string | null;
  medicineCode?: string | null;
  version: number;
};

export function useRecordDose() {
  return useInvalidatingMutation(({ id, ...body }: RecordDoseInput) =>
    api.post<Administration>(`/mar/doses/${id}/record`, body),
  );
}

export function useGivePrnDose() {
  return useInvalidatingMutation(
    (body: {
      prescriptionId: string;
      lineNo: number;
      prnIndication: string;
      wristbandCode: string;
      medicineCode: string;
    }) => api.post<Administration>('/mar/prn-doses', body),
  );
}

export function useStrikeDose() {
  return useInvalidatingMutation(({ id, reason, version }: { id: string; reason: string; version: number }) =>
    api.post<Administration>(`/mar/doses/${id}/strike`, { reason, version }),
  );
}
