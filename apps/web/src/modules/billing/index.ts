// The public face of the billing module in the web app: its pages, the permissions the shell's navigation
// checks, and the billing panel other modules may place (the IPD admission page).

export { formatRupees, parseRupees } from '../../ui/money';
export type { BillingPermission } from './billing-permissions';
/** Deposit, charges so far and what is left to pay for an admission, with a link to its billing account. */
export { AccountSummaryCard } from './components/account-summary-card';
export { AccountPage } from './pages/account-page';
export { ApprovalsPage } from './pages/approvals-page';
export { BillingHomePage } from './pages/billing-home-page';
export { BillingReportsPage } from './pages/billing-reports-page';
export { CashierPage } from './pages/cashier-page';
export { ChargeMasterPage } from './pages/charge-master-page';
