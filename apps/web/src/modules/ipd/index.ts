// The public face of the IPD module in the web app: its pages, and what the shell's navigation needs. The OPD
// consultation's "Admit" action is imported from components/admit-from-opd-button directly (the consultation
// is reached from the OPD pages this module's pages use, so going through this file would make a cycle).

export type { IpdPermission } from './ipd-permissions';
export { AdmissionDeskPage } from './pages/admission-desk-page';
export { AdmissionPage } from './pages/admission-page';
export { BedBoardPage } from './pages/bed-board-page';
