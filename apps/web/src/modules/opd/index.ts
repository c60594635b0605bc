// The public face of the OPD module in the web app: its pages, and what the shell's navigation needs.

export { PatientPicker } from './components/patient-picker';
export { PractitionerPicker } from './components/practitioner-picker';
/** The departments of the facility (shared with the IPD admission form). */
export { useDepartments } from './hooks/use-opd-setup';
export type { OpdPermission } from './opd-permissions';
export { AppointmentsPage } from './pages/appointments-page';
export { OpdSetupPage } from './pages/opd-setup-page';
export { QueuePage } from './pages/queue-page';
export { WorklistPage } from './pages/worklist-page';
