// The public face of prescribing in the web app: the prescriber's Medicines panel (consultation and stay), the
// pharmacy's prescription queue, and the MAR the nursing screens embed.

export { MarPanel } from './components/mar-panel';
export { MedicinesPanel } from './components/medicines-panel';
export { WardDosesDue } from './components/ward-doses-due';
export { PrescriptionQueuePage } from './pages/prescription-queue-page';
export type { PrescriptionPermission } from './prescription-permissions';
