import type {
  Admission,
  Dispensation,
  Encounter,
  ExpiringBatch,
  FormularyItem,
  GoodsReceipt,
  Indent,
  PurchaseOrder,
  StockAdjustment,
  StockItem,
  StockMovement,
  Store,
  Supplier,
  SupplierReturn,
} from '@newhms/contracts';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../app/api-client';

// Every pharmacy query and mutation of the web app, over apps/server/src/modules/pharmacy/pharmacy.routes.ts.
// Mutations refresh everything the pharmacy shows: a sale changes stock, the stock card, expiry and the register.

export const pharmacyKey = ['pharmacy'] as const;
const P = '/pharmacy';

function usePharmacyMutation<V, R>(mutationFn: (vars: V) => Promise<R>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSettled: () => queryClient.invalidateQueries({ queryKey: pharmacyKey }),
  });
}

// ---------------------------------------------------------------------------------------------------------
// Formulary, stores, suppliers
// ---------------------------------------------------------------------------------------------------------

/** Formulary items by generic name (typos allowed), code, ingredient or brand. */
export function useFormularySearch(q: string, enabled = true) {
  return useQuery({
    queryKey: [...pharmacyKey, 'formulary', q],
    queryFn: ({ signal }) => api.get<FormularyItem[]>(`${P}/formulary`, { q, limit: 20 }, signal),
    enabled: enabled && q.length >= 2,
    placeholderData: keepPreviousData,
    staleTime: 5 * 60_000,
  });
}

export function useStores() {
  return useQuery({
    queryKey: [...pharmacyKey, 'stores'],
    queryFn: ({ signal }) => api.get<Store[]>(`${P}/stores`, undefined, signal),
    staleTime: 60_000,
  });
}

export function useSuppliers() {
  return useQuery({
    queryKey: [...pharmacyKey, 'suppliers'],
    queryFn: ({ signal }) => api.get<Supplier[]>(`${P}/suppliers`, undefined, signal),
  });
}

export type StoreInput = {
  code: string;
  name: string;
  kind: Store['kind'];
  wardId?: string | null;
  dispenses: boolean;
};

export function useCreateStore() {
  return usePharmacyMutation((body: StoreInput) => api.post<Store>(`${P}/stores`, body));
}

export type SupplierInput = {
  name: string;
  gstin: string | null;
  drugLicenceNo: string | null;
  phone: string | null;
  email: string | null;
  address: string | null;
};

export function useCreateSupplier() {
  return usePharmacyMutation((body: SupplierInput) => api.post<Supplier>(`${P}/suppliers`, body));
}

/** The wards of the facility, for a ward sub-store (read with ipd:read). */
export function useWards(enabled: boolean) {
  return useQuery({
    queryKey: ['ipd', 'wards'],
    queryFn: ({ signal }) =>
      api.get<{ items: { id: string; code: string; name: string }[] }>('/ipd/wards', undefined, signal),
    select: (data) => data.items,
    enabled,
  });
}

// ---------------------------------------------------------------------------------------------------------
// Receipts and stock
// ---------------------------------------------------------------------------------------------------------

export type GoodsReceiptInput = {
  storeId: string;
  supplierId: string;
  /** The purchase order the delivery fills, if any. */
  purchaseOrderId?: string | null;
  supplierInvoiceNo: string;
  supplierInvoiceDate: string;
  notes: string | null;
  lines: {
    formularyItemId: string;
    brandId: string | null;
    batchNo: string;
    expiryDate: string;
    quantity: number;
    freeQuantity: number;
    mrp: number;
    cost: number;
  }[];
};

export function useReceiveGoods() {
  return usePharmacyMutation((body: GoodsReceiptInput) =>
    api.post<GoodsReceipt>(`${P}/goods-receipts`, body),
  );
}

/** A store's stock by item, batches first to expire first, with the reorder flags. */
export function useStoreStock(storeId: string | null, filter: { q?: string; belowReorder?: boolean }) {
  return useQuery({
    queryKey: [...pharmacyKey, 'stock', storeId, filter],
    queryFn: ({ signal }) =>
      api.get<StockItem[]>(
        `${P}/stores/${storeId}/stock`,
        { q: filter.q || undefined, belowReorder: filter.belowReorder ? 'true' : undefined, limit: 200 },
        signal,
      ),
    enabled: !!storeId,
    placeholderData: keepPreviousData,
  });
}

/** The stock card of an item in a store: every movement, newest first. */
export function useStockCard(storeId: string | null, itemId: string | null) {
  return useQuery({
    queryKey: [...pharmacyKey, 'stock-card', storeId, itemId],
    queryFn: ({ signal }) =>
      api.get<StockMovement[]>(`${P}/stores/${storeId}/items/${itemId}/movements`, undefined, signal),
    enabled: !!storeId && !!itemId,
  });
}

export function useSetReorderLevel() {
  return usePharmacyMutation(
    ({
      storeId,
      itemId,
      ...body
    }: {
      storeId: string;
      itemId: string;
      minimum: number;
      reorderQuantity: number;
    }) => api.put<void>(`${P}/stores/${storeId}/items/${itemId}/reorder-level`, body),
  );
}

/** Batches expired or expiring within 90 days, by band, first to expire first. */
export function useExpiringStock(storeId: string | null) {
  return useQuery({
    queryKey: [...pharmacyKey, 'expiry', storeId],
    queryFn: ({ signal }) =>
      api.get<ExpiringBatch[]>(`${P}/expiry`, { storeId: storeId || undefined, withinDays: 90 }, signal),
  });
}

export function useControlledRegister(query: {
  storeId: string | null;
  formularyItemId?: string | null;
  from?: string;
  to?: string;
}) {
  return useQuery({
    queryKey: [...pharmacyKey, 'register', query],
    queryFn: ({ signal }) =>
      api.get<StockMovement[]>(
        `${P}/controlled-register`,
        {
          storeId: query.storeId,
          formularyItemId: query.formularyItemId || undefined,
          from: query.from || undefined,
          to: query.to || undefined,
        },
        signal,
      ),
    enabled: !!query.storeId,
  });
}

// ---------------------------------------------------------------------------------------------------------
// Purchase orders and returns to suppliers
// ---------------------------------------------------------------------------------------------------------

/** Purchase orders, newest first, by status and supplier (the store is filtered on the page). */
export function usePurchaseOrders(filter: { status?: PurchaseOrder['status']; supplierId?: string }) {
  return useQuery({
    queryKey: [...pharmacyKey, 'purchase-orders', filter],
    queryFn: ({ signal }) =>
      api.get<PurchaseOrder[]>(
        `${P}/purchase-orders`,
        { status: filter.status, supplierId: filter.supplierId },
        signal,
      ),
  });
}

export function usePurchaseOrder(id: string | null) {
  return useQuery({
    queryKey: [...pharmacyKey, 'purchase-order', id],
    queryFn: ({ signal }) => api.get<PurchaseOrder>(`${P}/purchase-orders/${id}`, undefined, signal),
    enabled: !!id,
  });
}

export type PurchaseOrderInput = {
  supplierId: string;
  storeId: string;
  expectedDate: string | null;
  notes: string | null;
  lines: { formularyItemId: string; quantity: number; rate: number }[];
};

export function useCreatePurchaseOrder() {
  return usePharmacyMutation((body: PurchaseOrderInput) =>
    api.post<PurchaseOrder>(`${P}/purchase-orders`, body),
  );
}

/** A draft of the store's items at or under their reorder level (422 PHARMACY_NOTHING_TO_ORDER when none). */
export function useSuggestPurchaseOrder() {
  return usePharmacyMutation((body: { supplierId: string; storeId: string }) =>
    api.post<PurchaseOrder>(`${P}/purchase-orders/suggest`, body),
  );
}

export function useChangePurchaseOrder() {
  return usePharmacyMutation(
    ({
      id,
      action,
      ...body
    }: {
      id: string;
      action: 'order' | 'cancel';
      version: number;
      reason: string | null;
    }) => api.post<PurchaseOrder>(`${P}/purchase-orders/${id}/${action}`, body),
  );
}

export function useReturnToSupplier() {
  return usePharmacyMutation(
    (body: {
      storeId: string;
      supplierId: string;
      reason: string;
      lines: { batchId: string; quantity: number }[];
    }) => api.post<SupplierReturn>(`${P}/supplier-returns`, body),
  );
}

/** Formulary items by id (with their brands), read through the query cache: a purchase order's items. */
export function useFetchFormularyItems() {
  const queryClient = useQueryClient();
  return (ids: readonly string[]) =>
    Promise.all(
      ids.map((id) =>
        queryClient.fetchQuery({
          queryKey: [...pharmacyKey, 'formulary-item', id],
          queryFn: ({ signal }) => api.get<FormularyItem>(`${P}/formulary/${id}`, undefined, signal),
          staleTime: 5 * 60_000,
        }),
      ),
    );
}

// ---------------------------------------------------------------------------------------------------------
// Adjustments
// ---------------------------------------------------------------------------------------------------------

export type AdjustmentInput = {
  storeId: string;
  batchId: string;
  quantity: number;
  kind: 'adjustment' | 'expired-write-off';
  reason: string;
};

export function useRequestAdjustment() {
  return usePharmacyMutation((body: AdjustmentInput) => api.post<StockAdjustment>(`${P}/adjustments`, body));
}

export function useAdjustments(status: StockAdjustment['status']) {
  return useQuery({
    queryKey: [...pharmacyKey, 'adjustments', status],
    queryFn: ({ signal }) => api.get<StockAdjustment[]>(`${P}/adjustments`, { status }, signal),
  });
}

export function useDecideAdjustment() {
  return usePharmacyMutation(
    ({
      id,
      ...body
    }: {
      id: string;
      decision: 'approved' | 'rejected';
      note: string | null;
      version: number;
    }) => api.post<StockAdjustment>(`${P}/adjustments/${id}/decision`, body),
  );
}

// ---------------------------------------------------------------------------------------------------------
// Indents
// ---------------------------------------------------------------------------------------------------------

export function useIndents(filter: { storeId?: string; status?: Indent['status'] }) {
  return useQuery({
    queryKey: [...pharmacyKey, 'indents', filter],
    queryFn: ({ signal }) =>
      api.get<Indent[]>(`${P}/indents`, { storeId: filter.storeId, status: filter.status }, signal),
  });
}

export function useCreateIndent() {
  return usePharmacyMutation(
    (body: {
      requestingStoreId: string;
      supplyingStoreId: string;
      note: string | null;
      lines: { formularyItemId: string; quantity: number }[];
    }) => api.post<Indent>(`${P}/indents`, body),
  );
}

export function useIssueIndent() {
  return usePharmacyMutation(
    ({
      id,
      ...body
    }: {
      id: string;
      version: number;
      lines: { formularyItemId: string; quantity: number }[];
    }) => api.post<Indent>(`${P}/indents/${id}/issue`, body),
  );
}

export function useCancelIndent() {
  return usePharmacyMutation(({ id, version }: { id: string; version: number }) =>
    api.post<Indent>(`${P}/indents/${id}/cancel`, { version }),
  );
}

// ---------------------------------------------------------------------------------------------------------
// Sales to patients
// ---------------------------------------------------------------------------------------------------------

export type DispenseInput = {
  storeId: string;
  patientId: string;
  encounterId?: string;
  admissionId?: string;
  prescriberName: string | null;
  witnessName: string | null;
  counsellingNote: string | null;
  lines: { formularyItemId: string; quantity: number; batchId?: string }[];
};

export function useDispense() {
  return usePharmacyMutation((body: DispenseInput) => api.post<Dispensation>(`${P}/dispensations`, body));
}

/** A patient's sales, newest first. */
export function usePatientDispensations(patientId: string | null) {
  return useQuery({
    queryKey: [...pharmacyKey, 'dispensations', patientId],
    queryFn: ({ signal }) => api.get<Dispensation[]>(`${P}/dispensations`, { patientId, limit: 50 }, signal),
    enabled: !!patientId,
  });
}

export function useReturnDispensed() {
  return usePharmacyMutation(
    ({ id, ...body }: { id: string; reason: string; lines: { lineNo: number; quantity: number }[] }) =>
      api.post<Dispensation>(`${P}/dispensations/${id}/returns`, body),
  );
}

// ---------------------------------------------------------------------------------------------------------
// The patient's visits and stays a sale is charged to
// ---------------------------------------------------------------------------------------------------------

/** A patient's encounters, newest first (first page). */
export function usePatientEncounters(patientId: string | null) {
  return useQuery({
    queryKey: ['encounters', 'patient', patientId, 'pharmacy'],
    queryFn: ({ signal }) =>
      api.get<{ items: Encounter[] }>(`/patients/${patientId}/encounters`, { limit: 20 }, signal),
    select: (data) => data.items,
    enabled: !!patientId,
  });
}

/** A patient's admissions in this facility (read with ipd:read). */
export function usePatientAdmissions(patientId: string | null, enabled: boolean) {
  return useQuery({
    queryKey: ['ipd', 'patient-admissions', patientId, 'pharmacy'],
    queryFn: ({ signal }) =>
      api.get<{ items: Admission[] }>(`/ipd/patients/${patientId}/admissions`, undefined, signal),
    select: (data) => data.items,
    enabled: !!patientId && enabled,
  });
}
