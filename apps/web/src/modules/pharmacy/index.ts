// The public face of the pharmacy module in the web app: its pages and the permissions the shell's navigation
// checks.

export { AdjustmentsPage } from './pages/adjustments-page';
export { ControlledRegisterPage } from './pages/controlled-register-page';
export { DispensePage } from './pages/dispense-page';
export { ExpiryPage } from './pages/expiry-page';
export { GoodsReceiptPage } from './pages/goods-receipt-page';
export { IndentsPage } from './pages/indents-page';
export { PharmacySetupPage } from './pages/pharmacy-setup-page';
export { PurchaseOrdersPage } from './pages/purchase-orders-page';
export { StockPage } from './pages/stock-page';
export type { PharmacyPermission } from './pharmacy-permissions';
