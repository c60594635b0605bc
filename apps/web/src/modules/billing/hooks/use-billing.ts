import type {
  AccountDetail,
  BillingAccount,
  BillingAccountListItem,
  BillingPackage,
  BillingService,
  BillingSettings,
  CashCounter,
  CashierShift,
  CollectionsReport,
  DayEndReport,
  DepositLedger,
  Discount,
  DiscountListItem,
  DiscountReport,
  DueBeforeServiceItem,
  Invoice,
  InvoicePreview,
  LabChargeMoment,
  Payment,
  PaymentBalance,
  PaymentMode,
  Refund,
  RefundsReport,
  RevenueReport,
  ServiceGroup,
  ServicePrice,
  TaxCode,
} from '@newhms/contracts';
import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { ApiError, api } from '../../../app/api-client';

// Every billing query and mutation of the web app, over the routes in apps/server/src/modules/billing/*.routes.ts.
// Mutations refresh everything billing shows: a payment changes a balance, a bill, a shift and a report at once.

export const billingKey = ['billing'] as const;

type Page<T> = { items: T[]; nextCursor: string | null };
export type InvoiceSummary = Omit<Invoice, 'lines' | 'taxSummary' | 'groups' | 'split' | 'discountsApplied'>;
export type PaymentSummary = Omit<Payment, 'allocations'>;

/** A stale write of a versioned record: offer to reload. Other 409s (business rules) are problems to read. */
export function isStale(err: unknown): boolean {
  return err instanceof ApiError && (err.status === 412 || err.code === 'STALE_VERSION');
}

function useBillingMutation<V, R>(mutationFn: (vars: V) => Promise<R>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSettled: () => queryClient.invalidateQueries({ queryKey: billingKey }),
  });
}

// ---------------------------------------------------------------------------------------------------------
// Accounts and charges
// ---------------------------------------------------------------------------------------------------------

/** A patient's accounts (OPD visits, IPD stays), newest first, each with its balances. */
export function usePatientAccounts(patientId: string | null | undefined) {
  return useQuery({
    queryKey: [...billingKey, 'patient-accounts', patientId],
    queryFn: ({ signal }) =>
      api.get<{ items: BillingAccountListItem[] }>(
        `/billing/patients/${patientId}/accounts`,
        undefined,
        signal,
      ),
    select: (data) => data.items,
    enabled: !!patientId,
  });
}

/** The facility's accounts, newest first (open ones: the desk's worklist), with patient and balances. */
export function useFacilityAccounts(filter: { status?: BillingAccount['status']; kind?: 'opd' | 'ipd' }) {
  return useInfiniteQuery({
    queryKey: [...billingKey, 'accounts', filter],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<BillingAccountListItem>>(
        '/billing/accounts',
        { ...filter, limit: 50, cursor: pageParam },
        signal,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
    refetchInterval: 60_000,
  });
}

/** One account with its charges and running totals. */
export function useAccount(id: string | undefined) {
  return useQuery({
    queryKey: [...billingKey, 'account', id],
    queryFn: ({ signal }) => api.get<AccountDetail>(`/billing/accounts/${id}`, undefined, signal),
    enabled: !!id,
    // Charges arrive from other desks (bed days, orders): keep the account current.
    refetchInterval: 30_000,
  });
}

/** An account's deposit ledger: receipts, allocations and refunds with the running balance. */
export function useAccountLedger(accountId: string | undefined) {
  return useQuery({
    queryKey: [...billingKey, 'ledger', accountId],
    queryFn: ({ signal }) =>
      api.get<DepositLedger>(`/billing/balances/accounts/${accountId}`, undefined, signal),
    enabled: !!accountId,
  });
}

/** A patient's balance over all accounts. */
export function usePatientBalance(patientId: string | null | undefined) {
  return useQuery({
    queryKey: [...billingKey, 'patient-balance', patientId],
    queryFn: ({ signal }) =>
      api.get<PaymentBalance>(`/billing/balances/patients/${patientId}`, undefined, signal),
    enabled: !!patientId,
  });
}

/**
 * OPD charges of services paid before they are given, not paid yet (today's first, then in posting order): the
 * patients the cashier calls first.
 */
export function useDueBeforeService(enabled = true) {
  return useInfiniteQuery({
    queryKey: [...billingKey, 'due-before-service'],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<DueBeforeServiceItem>>(
        '/billing/due-before-service',
        { limit: 50, cursor: pageParam },
        signal,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled,
    // New charges arrive from the OPD desk and the doctors' orders.
    refetchInterval: 30_000,
  });
}

export function useOpenDeskAccount() {
  return useBillingMutation((body: { patientId: string }) =>
    api.post<BillingAccount>('/billing/accounts', body),
  );
}

export function usePostCharge() {
  return useBillingMutation(
    (body: {
      accountId: string;
      serviceId: string;
      quantity: number;
      serviceDate?: string;
      unitPrice?: number;
      note?: string | null;
    }) => api.post('/billing/charges', body),
  );
}

export function useCancelCharge() {
  return useBillingMutation(({ id, ...body }: { id: string; reason: string; version: number }) =>
    api.post(`/billing/charges/${id}/cancel`, body),
  );
}

// ---------------------------------------------------------------------------------------------------------
// Discounts and bills
// ---------------------------------------------------------------------------------------------------------

export function useAccountDiscounts(accountId: string | undefined) {
  return useQuery({
    queryKey: [...billingKey, 'discounts', accountId],
    queryFn: ({ signal }) =>
      api.get<{ items: Discount[] }>(`/billing/accounts/${accountId}/discounts`, undefined, signal),
    select: (data) => data.items,
    enabled: !!accountId,
  });
}

/** The facility's discounts by status, oldest request first (pending: the approvers' queue). */
export function useFacilityDiscounts(status: Discount['status'], enabled = true) {
  return useInfiniteQuery({
    queryKey: [...billingKey, 'discounts', 'facility', status],
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<DiscountListItem>>('/billing/discounts', { status, limit: 50, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled,
  });
}

export type DiscountRequest = {
  accountId: string;
  chargeId?: string;
  reason: Discount['reason'];
  note?: string;
  kind: 'percent' | 'amount';
  value: number;
};

export function useRequestDiscount() {
  return useBillingMutation(({ accountId, ...body }: DiscountRequest) =>
    api.post<Discount>(`/billing/accounts/${accountId}/discounts`, body),
  );
}

export function useWithdrawDiscount() {
  return useBillingMutation(({ id, version }: { id: string; version: number }) =>
    api.post<Discount>(`/billing/discounts/${id}/withdraw`, { version }),
  );
}

export function useDecideDiscount() {
  return useBillingMutation(
    ({ id, action, ...body }: { id: string; action: 'approve' | 'reject'; note?: string; version: number }) =>
      api.post<Discount>(`/billing/discounts/${id}/${action}`, body),
  );
}

export type IssuableKind = 'opd' | 'ipd-interim' | 'ipd-final';

/** What a bill of this kind would be now (computed, not stored); a 422 says there is nothing to bill. */
export function useInvoicePreview(accountId: string | undefined, kind: IssuableKind, enabled = true) {
  return useQuery({
    queryKey: [...billingKey, 'preview', accountId, kind],
    queryFn: ({ signal }) =>
      api.get<InvoicePreview>(`/billing/accounts/${accountId}/invoice-preview`, { kind }, signal),
    enabled: !!accountId && enabled,
    retry: false,
    placeholderData: keepPreviousData,
  });
}

export function useIssueInvoice() {
  return useBillingMutation(
    ({ accountId, ...body }: { accountId: string; kind: IssuableKind; version?: number }) =>
      api.post<Invoice>(`/billing/accounts/${accountId}/invoices`, body),
  );
}

export function useAccountInvoices(accountId: string | undefined) {
  return useQuery({
    queryKey: [...billingKey, 'invoices', accountId],
    queryFn: ({ signal }) =>
      api.get<Page<InvoiceSummary>>('/billing/invoices', { accountId, limit: 100 }, signal),
    select: (data) => data.items,
    enabled: !!accountId,
  });
}

/** Issued invoices are versioned; a credit note cancels one (billing:approve). */
export function useCreditInvoice() {
  return useBillingMutation(({ id, ...body }: { id: string; reason: string; version?: number }) =>
    api.post(`/billing/invoices/${id}/credit-note`, body),
  );
}

// ---------------------------------------------------------------------------------------------------------
// Payments, deposits and refunds
// ---------------------------------------------------------------------------------------------------------

export function useAccountPayments(accountId: string | undefined) {
  return useQuery({
    queryKey: [...billingKey, 'payments', accountId],
    queryFn: ({ signal }) =>
      api.get<Page<PaymentSummary>>('/billing/payments', { accountId, limit: 100 }, signal),
    select: (data) => data.items,
    enabled: !!accountId,
  });
}

export type ReceivePayment = {
  patientId: string;
  accountId?: string;
  kind: 'payment' | 'deposit';
  mode: PaymentMode;
  amount: number;
  reference?: string | null;
  note?: string | null;
  allocations?: { invoiceId: string; amount: number }[];
  autoAllocate?: boolean;
};

export function useReceivePayment() {
  return useBillingMutation((body: ReceivePayment) => api.post<Payment>('/billing/payments', body));
}

/** Applies what a payment (a deposit) still holds to the account's unpaid bills. */
export function useAllocatePayment() {
  return useBillingMutation(
    ({
      id,
      ...body
    }: {
      id: string;
      allocations?: { invoiceId: string; amount: number }[];
      auto?: boolean;
    }) => api.post<Payment>(`/billing/payments/${id}/allocations`, body),
  );
}

export function useRefunds(query: { status?: Refund['status']; patientId?: string }, enabled = true) {
  return useQuery({
    queryKey: [...billingKey, 'refunds', query],
    queryFn: ({ signal }) => api.get<Page<Refund>>('/billing/refunds', { ...query, limit: 100 }, signal),
    select: (data) => data.items,
    enabled,
  });
}

export function useRequestRefund() {
  return useBillingMutation(
    (body: { paymentId: string; amount: number; reason: string; mode: PaymentMode }) =>
      api.post<Refund>('/billing/refunds', body),
  );
}

export function useDecideRefund() {
  return useBillingMutation(
    ({ id, action, ...body }: { id: string; action: 'approve' | 'reject'; note?: string; version: number }) =>
      api.post<Refund>(`/billing/refunds/${id}/${action}`, body),
  );
}

export function usePayRefund() {
  return useBillingMutation(({ id, ...body }: { id: string; reference?: string | null; version: number }) =>
    api.post<Refund>(`/billing/refunds/${id}/pay`, body),
  );
}

// ---------------------------------------------------------------------------------------------------------
// Cashier
// ---------------------------------------------------------------------------------------------------------

export function useCounters() {
  return useQuery({
    queryKey: [...billingKey, 'counters'],
    queryFn: ({ signal }) => api.get<{ items: CashCounter[] }>('/billing/counters', undefined, signal),
    select: (data) => data.items.filter((c) => c.active),
  });
}

/** My open shift, or null when I have none (the API answers 404 BILLING_NO_OPEN_SHIFT). */
export function useCurrentShift(enabled = true) {
  return useQuery({
    queryKey: [...billingKey, 'shift', 'current'],
    queryFn: async ({ signal }) => {
      try {
        return await api.get<CashierShift>('/billing/cashier/shifts/current', undefined, signal);
      } catch (err) {
        if (err instanceof ApiError && err.status === 404) return null;
        throw err;
      }
    },
    enabled,
    refetchInterval: 30_000,
  });
}

export function useShiftPayments(shiftId: string | undefined) {
  return useQuery({
    queryKey: [...billingKey, 'payments', 'shift', shiftId],
    queryFn: ({ signal }) =>
      api.get<Page<PaymentSummary>>('/billing/payments', { sessionId: shiftId, limit: 100 }, signal),
    select: (data) => data.items,
    enabled: !!shiftId,
  });
}

export function useOpenShift() {
  return useBillingMutation((body: { counterId: string; openingFloat: number }) =>
    api.post<CashierShift>('/billing/cashier/shifts', body),
  );
}

export function useCloseShift() {
  return useBillingMutation(
    ({ id, ...body }: { id: string; countedCash: number; note?: string | null; version: number }) =>
      api.post<CashierShift>(`/billing/cashier/shifts/${id}/close`, body),
  );
}

export function useDayEnd(date: string, enabled = true) {
  return useQuery({
    queryKey: [...billingKey, 'day-end', date],
    queryFn: ({ signal }) => api.get<DayEndReport>('/billing/cashier/day-end', { date }, signal),
    enabled: enabled && !!date,
    placeholderData: keepPreviousData,
  });
}

// ---------------------------------------------------------------------------------------------------------
// Charge master
// ---------------------------------------------------------------------------------------------------------

export function useServices(query: {
  q?: string;
  serviceGroup?: ServiceGroup | '';
  active?: 'true' | 'false';
}) {
  return useQuery({
    queryKey: [...billingKey, 'services', query],
    queryFn: ({ signal }) =>
      api.get<Page<BillingService>>('/billing/services', { ...query, limit: 100 }, signal),
    placeholderData: keepPreviousData,
  });
}

export function useServicePrices(serviceId: string | undefined) {
  return useQuery({
    queryKey: [...billingKey, 'prices', serviceId],
    queryFn: ({ signal }) =>
      api.get<{ items: ServicePrice[] }>(`/billing/services/${serviceId}/prices`, undefined, signal),
    select: (data) => data.items,
    enabled: !!serviceId,
  });
}

/** The price that applies to a service today for a tariff class; null when the charge master has none. */
export function usePriceQuote(serviceId: string | undefined, tariffClass: string) {
  return useQuery({
    queryKey: [...billingKey, 'quote', serviceId, tariffClass],
    queryFn: async ({ signal }) => {
      try {
        return await api.get<{ price: number; tariffClass: string }>(
          `/billing/services/${serviceId}/price`,
          { tariffClass },
          signal,
        );
      } catch (err) {
        if (err instanceof ApiError && err.status === 404) return null;
        throw err;
      }
    },
    enabled: !!serviceId,
    retry: false,
  });
}

export type ServiceForm = {
  code: string;
  name: string;
  departmentId: string | null;
  serviceGroup: ServiceGroup;
  taxCode: string;
  payWhen: 'before' | 'after';
  intensiveCare: boolean;
};

export function useCreateService() {
  return useBillingMutation((body: ServiceForm) => api.post<BillingService>('/billing/services', body));
}

export function useUpdateService() {
  return useBillingMutation(
    ({
      id,
      ...body
    }: Partial<Omit<ServiceForm, 'code'>> & { id: string; active?: boolean; version: number }) =>
      api.patch<BillingService>(`/billing/services/${id}`, body),
  );
}

export function useAddPrice() {
  return useBillingMutation(
    ({ serviceId, ...body }: { serviceId: string; tariffClass: string; price: number; validFrom: string }) =>
      api.post<ServicePrice>(`/billing/services/${serviceId}/prices`, body),
  );
}

export function useTaxCodes() {
  return useQuery({
    queryKey: [...billingKey, 'tax-codes'],
    queryFn: ({ signal }) => api.get<{ items: TaxCode[] }>('/billing/tax-codes', undefined, signal),
    select: (data) => data.items,
    staleTime: 5 * 60_000,
  });
}

export function usePackages() {
  return useQuery({
    queryKey: [...billingKey, 'packages'],
    queryFn: ({ signal }) => api.get<{ items: BillingPackage[] }>('/billing/packages', undefined, signal),
    select: (data) => data.items,
  });
}

export function useCreatePackage() {
  return useBillingMutation(
    (body: { serviceId: string; losLimitDays: number | null; beyondLos: 'charge-per-day' | 'absorb' }) =>
      api.post<BillingPackage>('/billing/packages', { ...body, items: [] }),
  );
}

// ---------------------------------------------------------------------------------------------------------
// Approvals and reports
// ---------------------------------------------------------------------------------------------------------

export type Period = { from: string; to: string };

export function useCollectionsReport(period: Period) {
  return useQuery({
    queryKey: [...billingKey, 'reports', 'collections', period],
    queryFn: ({ signal }) => api.get<CollectionsReport>('/billing/reports/collections', period, signal),
    placeholderData: keepPreviousData,
  });
}

export function useRevenueReport(period: Period) {
  return useQuery({
    queryKey: [...billingKey, 'reports', 'revenue', period],
    queryFn: ({ signal }) => api.get<RevenueReport>('/billing/reports/revenue', period, signal),
    placeholderData: keepPreviousData,
  });
}

export function useDiscountReport(period: Period) {
  return useQuery({
    queryKey: [...billingKey, 'reports', 'discounts', period],
    queryFn: ({ signal }) => api.get<DiscountReport>('/billing/reports/discounts', period, signal),
    placeholderData: keepPreviousData,
  });
}

export function useRefundsReport(period: Period) {
  return useQuery({
    queryKey: [...billingKey, 'reports', 'refunds', period],
    queryFn: ({ signal }) => api.get<RefundsReport>('/billing/reports/refunds', period, signal),
    placeholderData: keepPreviousData,
  });
}

export type UnpricedOrder = {
  orderId: string;
  encounterId: string;
  patientId: string;
  category: string;
  code: string | null;
  display: string;
  requestedAt: string;
};

/** Orders of a date range no charge bills yet (their code matches no priced service). */
export function useUnpricedOrders(period: Period, enabled = true) {
  return useQuery({
    queryKey: [...billingKey, 'unpriced-orders', period],
    queryFn: ({ signal }) => api.get<{ items: UnpricedOrder[] }>('/billing/unpriced-orders', period, signal),
    select: (data) => data.items,
    enabled,
  });
}

export function usePostUnpricedOrder() {
  return useBillingMutation((orderId: string) => api.post(`/billing/unpriced-orders/${orderId}/post`, {}));
}

// ---------------------------------------------------------------------------------------------------------
// Settings of the facility's billing
// ---------------------------------------------------------------------------------------------------------

/** The facility's billing settings: when a laboratory test is charged (version 0 while on the defaults). */
export function useBillingSettings() {
  return useQuery({
    queryKey: [...billingKey, 'settings'],
    queryFn: ({ signal }) => api.get<BillingSettings>('/billing/settings', undefined, signal),
  });
}

/** Saves the settings over the version read (409 STALE_VERSION when someone saved in between). */
export function useUpdateBillingSettings() {
  return useBillingMutation((body: { labChargeOn: LabChargeMoment; version: number }) =>
    api.put<BillingSettings>('/billing/settings', body),
  );
}
