// The public face of the housekeeping module in the web app: the phone screen of the housekeeping staff and
// their supervisor (queue, take / start / finish, assignment, turnaround).

export type { HousekeepingPermission } from './housekeeping-labels';
export { HousekeepingPage } from './pages/housekeeping-page';
