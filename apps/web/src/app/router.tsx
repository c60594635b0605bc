import { createBrowserRouter } from 'react-router';
import { ChangePasswordPage } from '../modules/account/pages/change-password-page';
import { MfaSetupPage } from '../modules/account/pages/mfa-setup-page';
import { SessionsPage } from '../modules/account/pages/sessions-page';
import { AuditLogPage } from '../modules/audit/pages/audit-log-page';
import { BedDisplayPage } from '../modules/bed-display';
import {
  AccountPage,
  ApprovalsPage,
  BillingHomePage,
  BillingReportsPage,
  CashierPage,
  ChargeMasterPage,
} from '../modules/billing';
import { BreakGlassReviewPage } from '../modules/break-glass/pages/break-glass-review-page';
import { ConsultationPage } from '../modules/consultation';
import { KitchenListPage } from '../modules/dietary';
import { DisplayBoardPage } from '../modules/display';
import { DepartmentsPage } from '../modules/facilities/pages/departments-page';
import { FacilitiesPage } from '../modules/facilities/pages/facilities-page';
import { HousekeepingPage } from '../modules/housekeeping';
import {
  AgingPage,
  ClaimPage,
  ClaimsPage,
  PayersPage,
  PoliciesPage,
  PreauthPage,
  PreauthsPage,
  RequireAnyInsurancePermission,
} from '../modules/insurance';
import { AdmissionDeskPage, AdmissionPage, BedBoardPage } from '../modules/ipd';
import {
  CollectionPage,
  CriticalAlertsPage,
  LabUnmatchedOrdersPage,
  ReceptionPage,
  ResultEntryPage,
  TurnaroundPage,
  ValidationPage,
  WalkInPage,
  WorklistsPage,
} from '../modules/laboratory';
import { InpatientChartPage, NursingStationPage, StationPickerPage } from '../modules/nursing';
import { AppointmentsPage, OpdSetupPage, QueuePage, WorklistPage } from '../modules/opd';
import {
  DuplicateReviewPage,
  MergeLogPage,
  MrnFormatPage,
  PatientPage,
  PatientSearchPage,
  RegisterPatientPage,
} from '../modules/patients';
import {
  AdjustmentsPage,
  ControlledRegisterPage,
  DispensePage,
  ExpiryPage,
  GoodsReceiptPage,
  IndentsPage,
  PharmacySetupPage,
  PurchaseOrdersPage,
  StockPage,
} from '../modules/pharmacy';
import { PrescriptionQueuePage } from '../modules/prescriptions';
import {
  RadiologyWalkInPage,
  RadiologyWorklistPage,
  RadUnmatchedOrdersPage,
  ReportingPage,
  ReportPage,
  RoomsPage,
  SchedulingPage,
} from '../modules/radiology';
import { RolesPage } from '../modules/roles/pages/roles-page';
import { UserDetailPage } from '../modules/users/pages/user-detail-page';
import { UsersPage } from '../modules/users/pages/users-page';
import { AppShell } from './app-shell';
import { AuthGate } from './auth/auth-gate';
import { RequirePermission } from './auth/require-permission';
import { HomePage } from './home-page';
import { NotFoundPage } from './not-found-page';

export const router = createBrowserRouter([
  // The public token board: a TV in the waiting hall, with no sign-in and no shell.
  { path: 'display/:boardCode', element: <DisplayBoardPage /> },
  // A ward's public bed board (initials and MRN only), likewise.
  { path: 'display/beds/:displayCode', element: <BedDisplayPage /> },
  {
    element: <AuthGate />,
    children: [
      {
        element: <AppShell />,
        children: [
          { index: true, element: <HomePage /> },
          {
            path: 'patients',
            element: <RequirePermission permission="patients:read" />,
            children: [
              { index: true, element: <PatientSearchPage /> },
              {
                path: 'new',
                element: <RequirePermission permission="patients:register" />,
                children: [{ index: true, element: <RegisterPatientPage /> }],
              },
              {
                element: <RequirePermission permission="patients:merge" />,
                children: [
                  { path: 'duplicates', element: <DuplicateReviewPage /> },
                  { path: 'merges', element: <MergeLogPage /> },
                ],
              },
              { path: ':patientId', element: <PatientPage /> },
            ],
          },
          {
            path: 'opd',
            element: <RequirePermission permission="opd:read" />,
            children: [
              { path: 'appointments', element: <AppointmentsPage /> },
              { path: 'queue', element: <QueuePage /> },
              { path: 'worklist', element: <WorklistPage /> },
              {
                path: 'setup',
                element: <RequirePermission permission="opd:manage-schedules" />,
                children: [{ index: true, element: <OpdSetupPage /> }],
              },
            ],
          },
          {
            path: 'ipd',
            element: <RequirePermission permission="ipd:read" />,
            children: [
              { path: 'beds', element: <BedBoardPage /> },
              { path: 'admissions', element: <AdmissionDeskPage /> },
              { path: 'admissions/:admissionId', element: <AdmissionPage /> },
            ],
          },
          // Nursing: the station per ward and the in-patient chart (its discharge summary at ?tab=discharge-summary).
          {
            element: <RequirePermission permission="ipd:read" />,
            children: [
              { path: 'ipd/station', element: <StationPickerPage /> },
              { path: 'ipd/wards/:wardId/station', element: <NursingStationPage /> },
              { path: 'ipd/admissions/:admissionId/chart', element: <InpatientChartPage /> },
            ],
          },
          // The pharmacy: stock, the counter, receipts, purchase orders, expiry, adjustments, indents, the controlled
          // register, setup.
          {
            path: 'pharmacy',
            element: <RequirePermission permission="pharmacy:read" />,
            children: [
              { index: true, element: <StockPage /> },
              { path: 'expiry', element: <ExpiryPage /> },
              { path: 'register', element: <ControlledRegisterPage /> },
              { path: 'purchase-orders', element: <PurchaseOrdersPage /> },
              {
                path: 'queue',
                element: <RequirePermission permission="pharmacy:dispense" />,
                children: [{ index: true, element: <PrescriptionQueuePage /> }],
              },
              {
                path: 'dispense',
                element: <RequirePermission permission="pharmacy:dispense" />,
                children: [{ index: true, element: <DispensePage /> }],
              },
              {
                path: 'receipts/new',
                element: <RequirePermission permission="pharmacy:receive" />,
                children: [{ index: true, element: <GoodsReceiptPage /> }],
              },
              {
                path: 'adjustments',
                element: <RequirePermission permission="pharmacy:receive" />,
                children: [{ index: true, element: <AdjustmentsPage /> }],
              },
              {
                path: 'indents',
                element: <RequirePermission permission="pharmacy:indent" />,
                children: [{ index: true, element: <IndentsPage /> }],
              },
              {
                path: 'setup',
                element: <RequirePermission permission="pharmacy:manage" />,
                children: [{ index: true, element: <PharmacySetupPage /> }],
              },
            ],
          },
          // The laboratory: collection at the bedside, reception, the sections' worklists and result entry,
          // validation, the counter, turnaround, and the doctors' critical-value inbox.
          {
            path: 'laboratory',
            children: [
              {
                path: 'collection',
                element: <RequirePermission permission="laboratory:collect" />,
                children: [{ index: true, element: <CollectionPage /> }],
              },
              {
                element: <RequirePermission permission="laboratory:process" />,
                children: [
                  { path: 'reception', element: <ReceptionPage /> },
                  { path: 'worklists', element: <WorklistsPage /> },
                  { path: 'requests/:requestId/results', element: <ResultEntryPage /> },
                ],
              },
              {
                path: 'validation',
                element: <RequirePermission permission="laboratory:validate" />,
                children: [{ index: true, element: <ValidationPage /> }],
              },
              {
                path: 'walk-in',
                element: <RequirePermission permission="laboratory:order" />,
                children: [{ index: true, element: <WalkInPage /> }],
              },
              {
                path: 'turnaround',
                element: <RequirePermission permission={['laboratory:validate', 'laboratory:process']} />,
                children: [{ index: true, element: <TurnaroundPage /> }],
              },
              {
                path: 'critical-alerts',
                element: <RequirePermission permission="laboratory:read" />,
                children: [{ index: true, element: <CriticalAlertsPage /> }],
              },
              {
                path: 'unmatched-orders',
                element: <RequirePermission permission={['laboratory:process', 'laboratory:validate']} />,
                children: [{ index: true, element: <LabUnmatchedOrdersPage /> }],
              },
            ],
          },
          // Radiology: the desk's scheduling, the technologists' worklist, the radiologists' reporting and report
          // editor, the walk-in counter, the rooms.
          {
            path: 'radiology',
            children: [
              {
                path: 'scheduling',
                element: <RequirePermission permission="radiology:schedule" />,
                children: [{ index: true, element: <SchedulingPage /> }],
              },
              {
                path: 'worklist',
                element: <RequirePermission permission={['radiology:perform', 'radiology:schedule']} />,
                children: [{ index: true, element: <RadiologyWorklistPage /> }],
              },
              {
                element: <RequirePermission permission="radiology:report" />,
                children: [
                  { path: 'reporting', element: <ReportingPage /> },
                  { path: 'orders/:orderId/report', element: <ReportPage /> },
                ],
              },
              {
                path: 'walk-in',
                element: <RequirePermission permission="radiology:order" />,
                children: [{ index: true, element: <RadiologyWalkInPage /> }],
              },
              {
                path: 'rooms',
                element: <RequirePermission permission="radiology:manage" />,
                children: [{ index: true, element: <RoomsPage /> }],
              },
              {
                path: 'unmatched-orders',
                element: (
                  <RequirePermission
                    permission={['radiology:schedule', 'radiology:perform', 'radiology:report']}
                  />
                ),
                children: [{ index: true, element: <RadUnmatchedOrdersPage /> }],
              },
            ],
          },
          {
            path: 'billing',
            element: <RequirePermission permission="billing:read" />,
            children: [
              { index: true, element: <BillingHomePage /> },
              { path: 'accounts/:accountId', element: <AccountPage /> },
              {
                path: 'cashier',
                element: <RequirePermission permission="billing:collect" />,
                children: [{ index: true, element: <CashierPage /> }],
              },
              {
                path: 'approvals',
                element: <RequirePermission permission="billing:approve" />,
                children: [{ index: true, element: <ApprovalsPage /> }],
              },
              {
                path: 'charge-master',
                element: <RequirePermission permission="billing:manage" />,
                children: [{ index: true, element: <ChargeMasterPage /> }],
              },
            ],
          },
          {
            path: 'billing/reports',
            element: <RequirePermission permission="billing:reports" />,
            children: [{ index: true, element: <BillingReportsPage /> }],
          },
          // The insurance / TPA desk: pre-authorizations, claims, policies; payers and plans (read by the desk,
          // edited with billing:manage); aging of receivables (billing:reports).
          {
            path: 'insurance',
            children: [
              {
                element: <RequirePermission permission="billing:insurance" />,
                children: [
                  { path: 'preauths', element: <PreauthsPage /> },
                  { path: 'preauths/:preauthId', element: <PreauthPage /> },
                  { path: 'claims', element: <ClaimsPage /> },
                  { path: 'claims/:claimId', element: <ClaimPage /> },
                  { path: 'policies', element: <PoliciesPage /> },
                ],
              },
              {
                path: 'payers',
                element: (
                  <RequireAnyInsurancePermission permissions={['billing:insurance', 'billing:manage']} />
                ),
                children: [{ index: true, element: <PayersPage /> }],
              },
              {
                path: 'aging',
                element: <RequirePermission permission="billing:reports" />,
                children: [{ index: true, element: <AgingPage /> }],
              },
            ],
          },
          {
            path: 'housekeeping',
            element: <RequirePermission permission="facilities:housekeeping" />,
            children: [{ index: true, element: <HousekeepingPage /> }],
          },
          {
            path: 'dietary/kitchen',
            element: <RequirePermission permission="dietary:read" />,
            children: [{ index: true, element: <KitchenListPage /> }],
          },
          {
            path: 'consultation/:encounterId',
            element: <RequirePermission permission="encounters:read" />,
            children: [{ index: true, element: <ConsultationPage /> }],
          },
          {
            path: 'admin/mrn-format',
            element: <RequirePermission permission="patients:configure" />,
            children: [{ index: true, element: <MrnFormatPage /> }],
          },
          {
            path: 'admin/users',
            element: <RequirePermission permission="auth:manage-users" />,
            children: [
              { index: true, element: <UsersPage /> },
              { path: ':userId', element: <UserDetailPage /> },
            ],
          },
          {
            path: 'admin/roles',
            element: <RequirePermission permission="access:manage-roles" />,
            children: [{ index: true, element: <RolesPage /> }],
          },
          {
            path: 'admin/facilities',
            element: <RequirePermission permission="organization:read" />,
            children: [
              { index: true, element: <FacilitiesPage /> },
              { path: ':facilityId', element: <DepartmentsPage /> },
            ],
          },
          {
            path: 'admin/audit',
            element: <RequirePermission permission="audit:read" />,
            children: [{ index: true, element: <AuditLogPage /> }],
          },
          {
            path: 'admin/break-glass',
            element: <RequirePermission permission="access:review-break-glass" />,
            children: [{ index: true, element: <BreakGlassReviewPage /> }],
          },
          { path: 'account/sessions', element: <SessionsPage /> },
          { path: 'account/mfa', element: <MfaSetupPage /> },
          { path: 'account/password', element: <ChangePasswordPage /> },
          { path: '*', element: <NotFoundPage /> },
        ],
      },
    ],
  },
]);
