// The public face of the patients module in the web app: what OPD, IPD, the laboratory and others may use.

export { PatientBanner, toBannerPatient, usePatientInContext } from './components/patient-banner';
export { usePatientPhoto } from './hooks/use-patient-files';
/** One patient record by id (GET /patients/:id), cached and shared by every page that shows the patient. */
export { usePatient, usePatientSearch } from './hooks/use-patients';
export { DuplicateReviewPage } from './pages/duplicate-review-page';
export { MergeLogPage } from './pages/merge-log-page';
export { MrnFormatPage } from './pages/mrn-format-page';
export { PatientPage } from './pages/patient-page';
export { PatientSearchPage } from './pages/patient-search-page';
export { RegisterPatientPage } from './pages/register-patient-page';
