import type {
  DrugSchedule,
  Indent,
  PurchaseOrder,
  StockAdjustment,
  StockMovement,
  Store,
} from '@newhms/contracts';

export const scheduleLabels: Record<DrugSchedule, string> = {
  H: 'Schedule H',
  H1: 'Schedule H1',
  X: 'Schedule X',
  G: 'Schedule G',
  OTC: 'OTC',
};

export const storeKindLabels: Record<Store['kind'], string> = {
  main: 'Main store',
  opd: 'OPD pharmacy',
  ip: 'IP pharmacy',
  ward: 'Ward sub-store',
};

export const movementKindLabels: Record<StockMovement['kind'], string> = {
  receipt: 'Goods receipt',
  dispense: 'Sale',
  'patient-return': 'Patient return',
  'transfer-out': 'Transfer out',
  'transfer-in': 'Transfer in',
  adjustment: 'Adjustment',
  'supplier-return': 'Return to supplier',
  'expired-write-off': 'Expired write-off',
};

export const adjustmentKindLabels: Record<StockAdjustment['kind'], string> = {
  adjustment: 'Adjustment',
  'expired-write-off': 'Expired write-off',
};

export const adjustmentStatusLabels: Record<StockAdjustment['status'], string> = {
  pending: 'Pending',
  approved: 'Approved',
  rejected: 'Rejected',
};

export const indentStatusLabels: Record<Indent['status'], string> = {
  requested: 'Requested',
  'partially-issued': 'Partly issued',
  issued: 'Issued',
  cancelled: 'Cancelled',
};

export const purchaseOrderStatusLabels: Record<PurchaseOrder['status'], string> = {
  draft: 'Draft',
  ordered: 'Ordered',
  'partially-received': 'Partially received',
  received: 'Received',
  cancelled: 'Cancelled',
};

/** "+100" or "-3": a movement's units with their sign. */
export function signedUnits(n: number): string {
  return n > 0 ? `+${n}` : String(n);
}
