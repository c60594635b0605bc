// The public face of the consultation module in the web app: the consultation screen, and the patient summary
// the OPD worklist opens.

export { PatientSummaryDialog } from './components/patient-summary-dialog';
export { ConsultationPage } from './pages/consultation-page';
