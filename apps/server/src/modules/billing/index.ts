import type { FastifyInstance } from 'fastify';
import type { AppDeps, ModuleDefinition } from '../../platform/module';
import type { BillingEnv } from './billing.env';
import { seedBillingReference } from './billing-reference';
import { registerBillingJobs, registerChargePosting } from './charge-posting';
import { chargesRoutes } from './charges.routes';
import { seedChargeMasterDemo } from './charges-demo';
import { registerClearanceSubscriptions } from './clearance.service';
import { billingFhirResources, billingFhirRoutes } from './fhir/billing-fhir.routes';
import { insuranceRoutes } from './insurance.routes';
import { seedInsuranceDemo } from './insurance-demo';
import { invoicesRoutes } from './invoices.routes';
import { paymentsRoutes } from './payments.routes';
import { settingsRoutes } from './settings.routes';

/** For the modules that give a charged service (sample collection, imaging, dispensing): is it to be paid first, and paid? */
export { paymentStatusOfSource } from './charge-payment';
/** For the modules that publish billing.service.rendered: the charge master code of their service (as orders are matched). */
export { chargeMasterCodeFor } from './charge-posting';
/** For the laboratory: whether this facility charges laboratory tests on order (default) or on collection. */
export { labChargeMomentOf } from './settings.service';

/**
 * Billing and insurance: the charge master (services, dated prices per tariff class and payer, packages,
 * GST rows), charges posted from other modules' events and by hand, OPD and IPD bills with discounts, tax and
 * the patient/payer split, gapless invoice numbers and credit notes, payments, deposits, refunds and the
 * cashier's day, and insurance (payers, plans, policies, pre-authorizations, claims, settlement, aging).
 */
export const billingModule: ModuleDefinition = {
  name: 'billing',
  permissions: [
    {
      name: 'billing:read',
      description: "See accounts, charges, bills, payments and a patient's balance",
      roles: ['admin', 'billing-clerk', 'insurance-desk', 'accounts-manager', 'front-desk'],
    },
    {
      name: 'billing:charge',
      description: 'Post charges by hand and cancel charges with a reason',
      roles: ['admin', 'billing-clerk', 'accounts-manager'],
    },
    {
      name: 'billing:invoice',
      description: 'Issue OPD, interim and final bills; request discounts',
      roles: ['admin', 'billing-clerk', 'accounts-manager'],
    },
    {
      name: 'billing:collect',
      description: 'Open and close a cashier shift; take payments and deposits; pay out approved refunds',
      roles: ['admin', 'billing-clerk', 'front-desk', 'accounts-manager'],
    },
    {
      name: 'billing:approve',
      description: 'Approve discounts above the limit, refunds, credit notes and claim write-offs',
      roles: ['admin', 'accounts-manager'],
    },
    {
      name: 'billing:manage',
      description: 'Set up the charge master, prices, taxes, packages, counters, payers and plans',
      roles: ['admin', 'accounts-manager'],
    },
    {
      name: 'billing:insurance',
      description: 'Record policies, request pre-authorizations, submit and follow claims',
      roles: ['admin', 'insurance-desk', 'billing-clerk', 'accounts-manager'],
    },
    {
      name: 'billing:reports',
      description: 'Collections, outstanding and aging, discounts and refunds, revenue',
      roles: ['admin', 'accounts-manager', 'auditor'],
    },
  ],
  async plugin(app: FastifyInstance, deps: AppDeps) {
    const env: BillingEnv = { events: deps.events, database: deps.database };
    registerChargePosting(deps, env);
    registerClearanceSubscriptions(deps, env);
    await chargesRoutes(app, env);
    await invoicesRoutes(app, env);
    await paymentsRoutes(app, env);
    await insuranceRoutes(app, env);
    await settingsRoutes(app);
  },
  seedReference: seedBillingReference,
  jobs: registerBillingJobs,
  fhir: { resources: billingFhirResources, routes: billingFhirRoutes },
  // The charge master before OPD and IPD make their demo visits and stays (billingModule loads before them).
  async seedDemo(deps, demo) {
    await seedChargeMasterDemo(deps, demo);
    await seedInsuranceDemo(deps, demo);
  },
};
