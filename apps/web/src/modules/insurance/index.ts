// The public face of the insurance desk in the web app: its pages, the patient record's policies panel, and what
// the shell's navigation and routes need.

export { PatientPoliciesPanel } from './components/patient-policies-panel';
export { RequireAnyPermission as RequireAnyInsurancePermission } from './components/require-any-permission';
export type { InsurancePermission } from './insurance-labels';
export { AgingPage } from './pages/aging-page';
export { ClaimPage } from './pages/claim-page';
export { ClaimsPage } from './pages/claims-page';
export { PayersPage } from './pages/payers-page';
export { PoliciesPage } from './pages/policies-page';
export { PreauthPage } from './pages/preauth-page';
export { PreauthsPage } from './pages/preauths-page';
