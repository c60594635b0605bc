// The public face of the nursing module in the web app: the nursing station, the in-patient chart (with the
// discharge summary editor at ?tab=discharge-summary) and what the shell's navigation needs.

export type { NursingPermission } from './nursing-labels';
export { type ChartTab, chartTabs, InpatientChartPage } from './pages/inpatient-chart-page';
export { NursingStationPage, StationPickerPage } from './pages/nursing-station-page';

/** The address of an admission's chart, opened at a tab (e.g. the discharge summary editor). */
export function chartPath(
  admissionId: string,
  tab?: 'discharge-summary' | 'vitals' | 'intake-output' | 'medicines',
): string {
  return `/ipd/admissions/${admissionId}/chart${tab ? `?tab=${tab}` : ''}`;
}
