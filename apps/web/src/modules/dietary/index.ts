// The public face of the dietary module in the web app: the diet order panel (the in-patient chart's Diet tab)
// and the kitchen's list.

export { DietOrderPanel } from './components/diet-order-panel';
export type { DietaryPermission } from './diet-labels';
export { KitchenListPage } from './pages/kitchen-list-page';
