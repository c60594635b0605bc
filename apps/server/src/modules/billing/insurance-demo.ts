import { and, eq } from 'drizzle-orm';
import { systemCtx } from '../../platform/context';
import type { AppDeps } from '../../platform/module';
import { payers } from './billing.tables';
import { createPayer, createPlan } from './payers.service';

// The demo hospital's payers: fictional insurers, TPAs, a corporate and a government scheme, with plans
// that exercise the payer split (co-pay, room-rent limits in paise and as a share of the sum insured,
// non-payable consumables).

type DemoPayer = {
  code: string;
  name: string;
  kind: 'insurer' | 'tpa' | 'corporate' | 'government';
  registrationNumber?: string;
  creditDays: number;
  plans: {
    code: string;
    name: string;
    copayBp: number;
    roomRentLimit?: number;
    roomRentLimitBp?: number;
    proportionateDeduction?: boolean;
    nonPayableGroups?: string[];
    nonPayableCodes?: string[];
  }[];
};

export const demoPayers: readonly DemoPayer[] = [
  {
    code: 'ARANYA',
    name: 'Aranya Health Assurance (demo)',
    kind: 'insurer',
    registrationNumber: 'DEMO-INS-901',
    creditDays: 30,
    plans: [
      {
        code: 'SILVER',
        name: 'Silver Individual',
        copayBp: 1000,
        roomRentLimitBp: 100,
        nonPayableGroups: ['consumable'],
      },
      {
        code: 'GOLD',
        name: 'Gold Family Floater',
        copayBp: 0,
        roomRentLimit: 500_000,
        nonPayableGroups: ['consumable'],
      },
    ],
  },
  {
    code: 'NILGIRI',
    name: 'Nilgiri General Insurance (demo)',
    kind: 'insurer',
    registrationNumber: 'DEMO-INS-902',
    creditDays: 45,
    plans: [
      {
        code: 'SENIOR',
        name: 'Senior Citizen Care',
        copayBp: 2000,
        roomRentLimit: 300_000,
        nonPayableGroups: ['consumable'],
        nonPayableCodes: ['ADM-KIT'],
      },
    ],
  },
  { code: 'CAREBRIDGE', name: 'CareBridge TPA (demo)', kind: 'tpa', creditDays: 30, plans: [] },
  { code: 'MEDILINK', name: 'Medilink Health TPA (demo)', kind: 'tpa', creditDays: 30, plans: [] },
  {
    code: 'VEDANTA-TEX',
    name: 'Vedanta Textiles Ltd, staff health (demo)',
    kind: 'corporate',
    creditDays: 60,
    plans: [{ code: 'STAFF', name: 'Employees and dependants', copayBp: 0, proportionateDeduction: false }],
  },
  {
    code: 'JAN-AROGYA',
    name: 'Jan Arogya State Scheme (demo)',
    kind: 'government',
    registrationNumber: 'DEMO-SCHEME-01',
    creditDays: 90,
    plans: [{ code: 'GENERAL-WARD', name: 'General ward packages', copayBp: 0, roomRentLimit: 150_000 }],
  },
];

/** Adds the demo payers and plans to a facility; idempotent (a payer whose code exists is left alone). */
export async function seedInsuranceDemo(
  deps: AppDeps,
  demo: { facilityId: string; userIds: Record<string, string> },
): Promise<void> {
  const ctx = systemCtx(deps.database.db, 'demo', demo.facilityId);
  for (const p of demoPayers) {
    const [existing] = await deps.database.db
      .select({ id: payers.id })
      .from(payers)
      .where(and(eq(payers.facilityId, demo.facilityId), eq(payers.code, p.code)));
    if (existing) continue;
    const payer = await createPayer(ctx, {
      code: p.code,
      name: p.name,
      kind: p.kind,
      registrationNumber: p.registrationNumber ?? null,
      creditDays: p.creditDays,
    });
    for (const plan of p.plans) await createPlan(ctx, payer.id, plan);
  }
}
