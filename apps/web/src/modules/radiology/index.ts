// The public face of the radiology module in the web app: its pages and the permissions the shell's navigation
// checks. The patient page and the consultation screen import components/patient-imaging-record by file, and the
// laboratory's critical-results inbox imports components/radiology-critical-findings by file (this index reaches
// them back through the OPD pages, which would make a cycle).

export { ReportPage } from './pages/report-page';
export { ReportingPage } from './pages/reporting-page';
export { RoomsPage } from './pages/rooms-page';
export { SchedulingPage } from './pages/scheduling-page';
export { RadUnmatchedOrdersPage } from './pages/unmatched-orders-page';
export { RadiologyWalkInPage } from './pages/walk-in-page';
export { RadiologyWorklistPage } from './pages/worklist-page';
export type { RadiologyPermission } from './radiology-permissions';
