// The public face of the laboratory module in the web app: its pages, the critical-value indicator of the top bar,
// and the permissions the shell's navigation checks. The patient page and the consultation screen import
// components/patient-lab-record and components/lab-test-picker by file (this index reaches them back through the
// OPD pages, which would make a cycle).

export { CriticalAlertsIndicator } from './components/critical-alerts-indicator';
export type { LaboratoryPermission } from './laboratory-permissions';
export { CollectionPage } from './pages/collection-page';
export { CriticalAlertsPage } from './pages/critical-alerts-page';
export { ReceptionPage } from './pages/reception-page';
export { ResultEntryPage } from './pages/result-entry-page';
export { TurnaroundPage } from './pages/turnaround-page';
export { LabUnmatchedOrdersPage } from './pages/unmatched-orders-page';
export { ValidationPage } from './pages/validation-page';
export { WalkInPage } from './pages/walk-in-page';
export { WorklistsPage } from './pages/worklists-page';
