import type { encounterPermissions, PlatformPermission, patientPermissions } from '@newhms/contracts';
import type { BillingPermission } from '../modules/billing';
import type { DietaryPermission } from '../modules/dietary';
import type { HousekeepingPermission } from '../modules/housekeeping';
import type { InsurancePermission } from '../modules/insurance';
import type { IpdPermission } from '../modules/ipd';
import type { LaboratoryPermission } from '../modules/laboratory';
import type { NursingPermission } from '../modules/nursing';
import type { OpdPermission } from '../modules/opd';
import type { PharmacyPermission } from '../modules/pharmacy';
import type { PrescriptionPermission } from '../modules/prescriptions';
import type { RadiologyPermission } from '../modules/radiology';

/** A permission the web app checks: the platform's and those the modules introduce. */
export type AppPermission =
  | PlatformPermission
  | (typeof patientPermissions)[number]
  | (typeof encounterPermissions)[number]
  | OpdPermission
  | IpdPermission
  | NursingPermission
  | HousekeepingPermission
  | DietaryPermission
  | BillingPermission
  | InsurancePermission
  | PharmacyPermission
  | PrescriptionPermission
  | LaboratoryPermission
  | RadiologyPermission;

export type NavItem = {
  label: string;
  path: string;
  /** Shown only to users who hold this permission (or any of these) in the chosen facility. */
  permission?: AppPermission | readonly AppPermission[];
  description: string;
};

export const navItems: NavItem[] = [
  { label: 'Home', path: '/', description: 'Your overview' },
  {
    label: 'Patients',
    path: '/patients',
    permission: 'patients:read',
    description: 'Find a patient by MRN, phone, ID or name; register new patients',
  },
  {
    label: 'Appointments',
    path: '/opd/appointments',
    permission: 'opd:book',
    description: 'Book OPD appointments by doctor and slot; reschedule, cancel, check in',
  },
  {
    label: 'Check-in & queue',
    path: '/opd/queue',
    permission: 'opd:check-in',
    description: 'Check in appointments and walk-ins, issue tokens, run and transfer the queue',
  },
  {
    label: 'My worklist',
    path: '/opd/worklist',
    permission: 'opd:consult',
    description: "Today's patients, call the next one and consult; notes to sign",
  },
  {
    label: 'Bed board',
    path: '/ipd/beds',
    permission: 'ipd:read',
    description:
      'Every bed by ward, live: who is where, beds being cleaned, occupancy and the admission queue',
  },
  {
    label: 'Admissions',
    path: '/ipd/admissions',
    permission: 'ipd:read',
    description: 'The admission queue, bed reservations, admitting a patient and the in-patients now',
  },
  {
    label: 'Nursing station',
    path: '/ipd/station',
    permission: 'ipd:nursing',
    description: "A ward's patients with NEWS2, open escalations, tasks due, I/O and expected discharges",
  },
  {
    label: 'Housekeeping',
    path: '/housekeeping',
    permission: 'facilities:housekeeping',
    description: 'Beds to clean and other tasks: take, start, finish; assignment and turnaround',
  },
  {
    label: 'Kitchen list',
    path: '/dietary/kitchen',
    permission: 'dietary:read',
    description:
      'Diets per ward and bed for each meal, NPO and allergies, counts per diet; print for the tray line',
  },
  {
    label: 'Pharmacy',
    path: '/pharmacy',
    permission: 'pharmacy:read',
    description: 'Stock by store and batch, first to expire first; reorder flags and the stock card',
  },
  {
    label: 'Dispense',
    path: '/pharmacy/dispense',
    permission: 'pharmacy:dispense',
    description: "The counter: medicines to a patient's visit or stay, returns, the patient's sales",
  },
  {
    label: 'Prescription queue',
    path: '/pharmacy/queue',
    permission: 'pharmacy:dispense',
    description: 'Signed prescriptions to fill: overrides to read first, FEFO, substitution with a note',
  },
  {
    label: 'Goods receipt',
    path: '/pharmacy/receipts/new',
    permission: 'pharmacy:receive',
    description: "A supplier's invoice into a store: batches, expiry, MRP and cost",
  },
  {
    label: 'Purchase orders',
    path: '/pharmacy/purchase-orders',
    permission: 'pharmacy:read',
    description: 'Orders to suppliers from reorder levels or by hand; placed, received, cancelled',
  },
  {
    label: 'Expiry',
    path: '/pharmacy/expiry',
    permission: 'pharmacy:read',
    description: 'Batches expired or expiring within 30, 60 and 90 days; write-offs',
  },
  {
    label: 'Stock adjustments',
    path: '/pharmacy/adjustments',
    permission: 'pharmacy:receive',
    description: 'Corrections of stock asked by one pharmacist and approved by another',
  },
  {
    label: 'Indents',
    path: '/pharmacy/indents',
    permission: 'pharmacy:indent',
    description: 'Stock asked for by a ward or pharmacy from another store; issue and cancel',
  },
  {
    label: 'Controlled register',
    path: '/pharmacy/register',
    permission: 'pharmacy:read',
    description: 'Schedule H1, X and narcotic drugs: movements, running balance, patient and witness',
  },
  {
    label: 'Stores & suppliers',
    path: '/pharmacy/setup',
    permission: 'pharmacy:manage',
    description: 'Stores and suppliers',
  },
  {
    label: 'Sample collection',
    path: '/laboratory/collection',
    permission: 'laboratory:collect',
    description: 'Tubes to draw by ward or setting, STAT first: print the barcode label, mark collected',
  },
  {
    label: 'Sample reception',
    path: '/laboratory/reception',
    permission: 'laboratory:process',
    description:
      'Scan a tube to receive it in the lab; reject a haemolysed or clotted one and ask for a new tube',
  },
  {
    label: 'Lab worklists',
    path: '/laboratory/worklists',
    permission: 'laboratory:process',
    description: "Each section's received samples with the turnaround target and time; enter the results",
  },
  {
    label: 'Lab validation',
    path: '/laboratory/validation',
    permission: 'laboratory:validate',
    description: 'Results awaiting validation by a second person; amend a released result with a reason',
  },
  {
    label: 'Lab walk-in',
    path: '/laboratory/walk-in',
    permission: 'laboratory:order',
    description: 'Tests and panels ordered at the laboratory counter, with the tubes to draw',
  },
  {
    label: 'Lab turnaround',
    path: '/laboratory/turnaround',
    permission: ['laboratory:validate', 'laboratory:process'],
    description: 'Collection and receipt to validation per section and test, against the targets',
  },
  {
    label: 'Critical results',
    path: '/laboratory/critical-alerts',
    permission: 'laboratory:read',
    description: 'Critical values called to you: read them back to acknowledge',
  },
  {
    label: 'Unmatched lab orders',
    path: '/laboratory/unmatched-orders',
    permission: ['laboratory:process', 'laboratory:validate'],
    description: 'Consultation orders that name no test of the catalog: call the doctor, then close them',
  },
  {
    label: 'Radiology scheduling',
    path: '/radiology/scheduling',
    permission: 'radiology:schedule',
    description: "Imaging orders to book, each room's day, preparation slips; move or cancel bookings",
  },
  {
    label: 'Radiology worklist',
    path: '/radiology/worklist',
    permission: 'radiology:perform',
    description: 'The day by modality and room: arrival with the safety checklist, start, complete',
  },
  {
    label: 'Radiology reporting',
    path: '/radiology/reporting',
    permission: 'radiology:report',
    description: 'Completed studies to report, STAT first; drafts, sign-off, addenda and critical findings',
  },
  {
    label: 'Radiology walk-in',
    path: '/radiology/walk-in',
    permission: 'radiology:order',
    description: 'Imaging ordered at the radiology desk: procedure, side, priority and indication',
  },
  {
    label: 'Radiology rooms',
    path: '/radiology/rooms',
    permission: 'radiology:manage',
    description: 'Modality rooms, their working hours and DICOM AE titles',
  },
  {
    label: 'Unmatched imaging orders',
    path: '/radiology/unmatched-orders',
    permission: ['radiology:schedule', 'radiology:perform', 'radiology:report'],
    description:
      'Consultation orders that name no imaging procedure of the catalog: call the doctor, close them',
  },
  {
    label: 'Billing',
    path: '/billing',
    permission: 'billing:read',
    description: "A patient's accounts: charges, discounts, bills, deposits and payments",
  },
  {
    label: 'Cashier',
    path: '/billing/cashier',
    permission: 'billing:collect',
    description: 'Open and close your shift at the counter; receipts and totals by mode; the day-end',
  },
  {
    label: 'Approvals',
    path: '/billing/approvals',
    permission: 'billing:approve',
    description: 'Discounts above the limits and refunds waiting for an approver',
  },
  {
    label: 'Charge master',
    path: '/billing/charge-master',
    permission: 'billing:manage',
    description: 'Services, prices by date and tariff class, GST codes and packages',
  },
  {
    label: 'Billing reports',
    path: '/billing/reports',
    permission: 'billing:reports',
    description: 'Collections, revenue, discounts and refunds for a date range',
  },
  {
    label: 'Insurance desk',
    path: '/insurance/preauths',
    permission: 'billing:insurance',
    description: 'Pre-authorizations by status: requests, payer queries and answers, approvals, enhancements',
  },
  {
    label: 'Claims',
    path: '/insurance/claims',
    permission: 'billing:insurance',
    description:
      'Claims from final bills: queries, approvals, settlement with TDS and disallowances, write-off',
  },
  {
    label: 'Payers & plans',
    path: '/insurance/payers',
    permission: 'billing:insurance',
    description: 'Insurers, TPAs, corporates and schemes; plans with co-pay, room-rent limits, non-payables',
  },
  {
    label: 'Aging',
    path: '/insurance/aging',
    permission: 'billing:reports',
    description: 'What payers owe on claims and patients on bills, by age: 0-30 days to over 180',
  },
  {
    label: 'Duplicate review',
    path: '/patients/duplicates',
    permission: 'patients:merge',
    description: 'Possible duplicate patient records to merge or set apart, and the merge log',
  },
  {
    label: 'Users',
    path: '/admin/users',
    permission: 'auth:manage-users',
    description: 'Staff accounts, roles per facility, locks and passwords',
  },
  {
    label: 'Roles',
    path: '/admin/roles',
    permission: 'access:manage-roles',
    description: 'Roles and the permissions they grant',
  },
  {
    label: 'Facilities & departments',
    path: '/admin/facilities',
    permission: 'organization:read',
    description: 'Hospitals of the group and their departments',
  },
  {
    label: 'OPD schedules',
    path: '/opd/setup',
    permission: 'opd:manage-schedules',
    description: 'Practitioners, clinic rooms and token boards, weekly sessions, leave and holidays',
  },
  {
    label: 'MRN format',
    path: '/admin/mrn-format',
    permission: 'patients:configure',
    description: 'How medical record numbers of this facility are made',
  },
  {
    label: 'Audit log',
    path: '/admin/audit',
    permission: 'audit:read',
    description: 'Who did what, when, and the integrity of the log',
  },
  {
    label: 'Break-glass review',
    path: '/admin/break-glass',
    permission: 'access:review-break-glass',
    description: 'Emergency access to patient records, to review',
  },
];

export function visibleNavItems(can: (permission: string) => boolean): NavItem[] {
  return navItems.filter((item) => {
    const { permission } = item;
    if (!permission) return true;
    return typeof permission === 'string' ? can(permission) : permission.some((p) => can(p));
  });
}

/** The path of the entry the location belongs to: the longest path that is a prefix of it. */
export function activeNavPath(items: NavItem[], pathname: string): string | undefined {
  let best: string | undefined;
  for (const { path } of items) {
    const matches = path === '/' ? pathname === '/' : pathname === path || pathname.startsWith(`${path}/`);
    if (matches && (!best || path.length > best.length)) best = path;
  }
  return best;
}
