import type {
  AccountPolicy,
  BillingAccountListItem,
  ClaimApproveBody,
  ClaimBody,
  ClaimSettleBody,
  ClaimStatus,
  InsuranceClaimDetail,
  InsuranceClaimListItem,
  InsuranceDocument,
  InsuranceDocumentUploadBody,
  InsurancePolicy,
  InvoiceSummary,
  PatientDuesReport,
  Payer,
  PayerAgingReport,
  PayerBody,
  PayerKind,
  PayerPlan,
  PayerPlanBody,
  PolicyBody,
  PolicyDocumentBody,
  PreauthApproveBody,
  PreauthBody,
  PreauthDetail,
  PreauthEnhanceBody,
  PreauthListItem,
  PreauthStatus,
  UpdatePayerBody,
  UpdatePayerPlanBody,
  UpdatePolicyBody,
} from '@newhms/contracts';
import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import type { z } from 'zod';
import { ApiError, api } from '../../../app/api-client';

export const insuranceKey = ['insurance'] as const;
// The billing screens cache accounts and invoices under ['billing']: a policy attached or a claim settled
// changes what they show.
const billingKey = ['billing'] as const;
const BASE = '/billing';

type Page<T> = { items: T[]; nextCursor: string | null };
type InvoiceRow = z.infer<typeof InvoiceSummary>;

/** A stale write of a versioned record: offer to reload. Other 409s (a transition not allowed) are problems to read. */
export function isStale(err: unknown): boolean {
  return err instanceof ApiError && (err.status === 412 || err.code === 'STALE_VERSION');
}

/** Worklists are asked again now and then: payers answer by e-mail and portal, and the desk is shared. */
const LIVE_MS = 30_000;

function useInsuranceMutation<V, R>(mutationFn: (vars: V) => Promise<R>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSettled: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: insuranceKey }),
        queryClient.invalidateQueries({ queryKey: billingKey }),
      ]);
    },
  });
}

// ---------------------------------------------------------------------------------------------------------
// Payers and plans
// ---------------------------------------------------------------------------------------------------------

export function usePayers(filter: { kind?: PayerKind; active?: boolean } = {}) {
  return useQuery({
    queryKey: [...insuranceKey, 'payers', filter],
    queryFn: ({ signal }) =>
      api.get<{ items: Payer[] }>(
        `${BASE}/payers`,
        { kind: filter.kind, active: filter.active === undefined ? undefined : String(filter.active) },
        signal,
      ),
    select: (data) => data.items,
    staleTime: 60_000,
  });
}

export function usePlans(payerId: string | null | undefined) {
  return useQuery({
    queryKey: [...insuranceKey, 'plans', payerId],
    queryFn: ({ signal }) =>
      api.get<{ items: PayerPlan[] }>(`${BASE}/payers/${payerId}/plans`, undefined, signal),
    select: (data) => data.items,
    enabled: !!payerId,
  });
}

export function useCreatePayer() {
  return useInsuranceMutation((body: z.input<typeof PayerBody>) => api.post<Payer>(`${BASE}/payers`, body));
}

export function useUpdatePayer() {
  return useInsuranceMutation(({ id, body }: { id: string; body: z.input<typeof UpdatePayerBody> }) =>
    api.patch<Payer>(`${BASE}/payers/${id}`, body),
  );
}

export function useCreatePlan() {
  return useInsuranceMutation(({ payerId, body }: { payerId: string; body: z.input<typeof PayerPlanBody> }) =>
    api.post<PayerPlan>(`${BASE}/payers/${payerId}/plans`, body),
  );
}

export function useUpdatePlan() {
  return useInsuranceMutation(({ id, body }: { id: string; body: z.input<typeof UpdatePayerPlanBody> }) =>
    api.patch<PayerPlan>(`${BASE}/plans/${id}`, body),
  );
}

// ---------------------------------------------------------------------------------------------------------
// Policies and accounts
// ---------------------------------------------------------------------------------------------------------

export function usePatientPolicies(patientId: string | null | undefined) {
  return useQuery({
    queryKey: [...insuranceKey, 'policies', 'patient', patientId],
    queryFn: ({ signal }) =>
      api.get<Page<InsurancePolicy>>(`${BASE}/policies`, { patientId, limit: 100 }, signal),
    select: (data) => data.items,
    enabled: !!patientId,
  });
}

export function usePolicy(id: string | null | undefined) {
  return useQuery({
    queryKey: [...insuranceKey, 'policies', 'one', id],
    queryFn: ({ signal }) => api.get<InsurancePolicy>(`${BASE}/policies/${id}`, undefined, signal),
    enabled: !!id,
  });
}

export function useCreatePolicy() {
  return useInsuranceMutation((body: z.input<typeof PolicyBody>) =>
    api.post<InsurancePolicy>(`${BASE}/policies`, body),
  );
}

export function useUpdatePolicy() {
  return useInsuranceMutation(({ id, body }: { id: string; body: z.input<typeof UpdatePolicyBody> }) =>
    api.patch<InsurancePolicy>(`${BASE}/policies/${id}`, body),
  );
}

export function useAddPolicyDocument() {
  return useInsuranceMutation(({ id, body }: { id: string; body: z.input<typeof PolicyDocumentBody> }) =>
    api.post<InsurancePolicy>(`${BASE}/policies/${id}/documents`, body),
  );
}

/** A patient's billing accounts, newest first (the insurance desk attaches policies to the open ones). */
export function usePatientAccounts(patientId: string | null | undefined) {
  return useQuery({
    queryKey: [...billingKey, 'patient-accounts', patientId],
    queryFn: ({ signal }) =>
      api.get<{ items: BillingAccountListItem[] }>(
        `${BASE}/patients/${patientId}/accounts`,
        undefined,
        signal,
      ),
    select: (data) => data.items,
    enabled: !!patientId,
  });
}

export function useAttachPolicy() {
  return useInsuranceMutation(
    ({ accountId, policyId, version }: { accountId: string; policyId: string | null; version?: number }) =>
      api.put<AccountPolicy>(`${BASE}/accounts/${accountId}/policy`, { policyId, version }),
  );
}

/** A patient's final IPD bills (the claims are made from those with a payer share). */
export function usePatientFinalBills(patientId: string | null | undefined) {
  return useQuery({
    queryKey: [...billingKey, 'final-bills', patientId],
    queryFn: ({ signal }) =>
      api.get<Page<InvoiceRow>>(
        `${BASE}/invoices`,
        { patientId, kind: 'ipd-final', status: 'final', limit: 50 },
        signal,
      ),
    select: (data) => data.items,
    enabled: !!patientId,
  });
}

// ---------------------------------------------------------------------------------------------------------
// Pre-authorizations
// ---------------------------------------------------------------------------------------------------------

export function usePreauths(filter: { status?: PreauthStatus; patientId?: string; accountId?: string }) {
  return useInfiniteQuery({
    queryKey: [...insuranceKey, 'preauths', filter],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<PreauthListItem>>(`${BASE}/preauths`, { ...filter, limit: 50, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    refetchInterval: LIVE_MS,
  });
}

export function usePreauth(id: string | undefined) {
  return useQuery({
    queryKey: [...insuranceKey, 'preauths', 'one', id],
    queryFn: ({ signal }) => api.get<PreauthDetail>(`${BASE}/preauths/${id}`, undefined, signal),
    enabled: !!id,
  });
}

export function useRequestPreauth() {
  return useInsuranceMutation((body: z.input<typeof PreauthBody>) =>
    api.post<PreauthDetail>(`${BASE}/preauths`, body),
  );
}

export type PreauthStep =
  | { action: 'query' | 'answer' | 'deny' | 'cancel'; body: { note: string; version: number } }
  | { action: 'approve'; body: z.input<typeof PreauthApproveBody> }
  | { action: 'enhance'; body: z.input<typeof PreauthEnhanceBody> };

export function usePreauthStep(id: string) {
  return useInsuranceMutation((step: PreauthStep) =>
    api.post<PreauthDetail>(`${BASE}/preauths/${id}/${step.action}`, step.body),
  );
}

// ---------------------------------------------------------------------------------------------------------
// Claims
// ---------------------------------------------------------------------------------------------------------

export function useClaims(filter: { status?: ClaimStatus; payerId?: string; patientId?: string }) {
  return useInfiniteQuery({
    queryKey: [...insuranceKey, 'claims', filter],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<InsuranceClaimListItem>>(
        `${BASE}/claims`,
        { ...filter, limit: 50, cursor: pageParam },
        signal,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    refetchInterval: LIVE_MS,
  });
}

export function useClaim(id: string | undefined) {
  return useQuery({
    queryKey: [...insuranceKey, 'claims', 'one', id],
    queryFn: ({ signal }) => api.get<InsuranceClaimDetail>(`${BASE}/claims/${id}`, undefined, signal),
    enabled: !!id,
  });
}

export function useSubmitClaim() {
  return useInsuranceMutation((body: z.input<typeof ClaimBody>) =>
    api.post<InsuranceClaimDetail>(`${BASE}/claims`, body),
  );
}

export type ClaimStep =
  | { action: 'query' | 'answer' | 'deny'; body: { note: string; version: number } }
  | { action: 'write-off' | 'cancel'; body: { reason: string; version: number } }
  | { action: 'approve'; body: z.input<typeof ClaimApproveBody> }
  | { action: 'settle'; body: z.input<typeof ClaimSettleBody> };

export function useClaimStep(id: string) {
  return useInsuranceMutation((step: ClaimStep) =>
    api.post<InsuranceClaimDetail>(`${BASE}/claims/${id}/${step.action}`, step.body),
  );
}

/** The claim as a FHIR R4 Bundle (Claim + Coverage), saved as a JSON file for an exchange. */
export function useDownloadClaimBundle() {
  return useMutation({
    mutationFn: async ({ id, number }: { id: string; number: string }) => {
      const blob = await api.blob(`${BASE}/claims/${id}/fhir`, 'application/fhir+json, application/json');
      const url = URL.createObjectURL(new Blob([await blob.text()], { type: 'application/fhir+json' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = `claim-${number.replace(/[^A-Za-z0-9-]+/g, '-')}.fhir.json`;
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    },
  });
}

// ---------------------------------------------------------------------------------------------------------
// Aging
// ---------------------------------------------------------------------------------------------------------

export function usePayerAging(asOf: string | undefined) {
  return useQuery({
    queryKey: [...insuranceKey, 'aging', 'payers', asOf ?? 'today'],
    queryFn: ({ signal }) => api.get<PayerAgingReport>(`${BASE}/aging/payers`, { asOf }, signal),
    placeholderData: keepPreviousData,
  });
}

export function usePatientDues(asOf: string | undefined) {
  return useQuery({
    queryKey: [...insuranceKey, 'aging', 'patients', asOf ?? 'today'],
    queryFn: ({ signal }) => api.get<PatientDuesReport>(`${BASE}/aging/patients`, { asOf }, signal),
    placeholderData: keepPreviousData,
  });
}

// ---------------------------------------------------------------------------------------------------------
// Files of policies, pre-authorizations and claims
// ---------------------------------------------------------------------------------------------------------

export type InsuranceFileTarget = 'policies' | 'preauths' | 'claims';

/** Uploads a file (base64 in the JSON body); the record's detail then lists it. */
export function useUploadInsuranceFile() {
  return useInsuranceMutation(
    ({
      target,
      id,
      body,
    }: {
      target: InsuranceFileTarget;
      id: string;
      body: z.input<typeof InsuranceDocumentUploadBody>;
    }) => api.post<InsuranceDocument>(`${BASE}/${target}/${id}/files`, body),
  );
}

/** The API path of an uploaded file's bytes (open it with useOpenPdf and the file's content type). */
export function insuranceFileContentPath(id: string): string {
  return `${BASE}/insurance-documents/${id}/content`;
}
