import { and, eq } from 'drizzle-orm';
import { systemCtx } from '../../platform/context';
import type { AppDeps } from '../../platform/module';
import { listDepartments } from '../../platform/organization/organization.service';
import { services } from './billing.tables';
import { seedBillingReference } from './billing-reference';
import { addPrice, createPackage, createService } from './charge-master.service';

// The demo hospital's charge master: consultations, room rent and nursing per tariff class (the IPD demo's
// general, semi-private, private, ICU and NICU beds; the private room above INR 5,000/day draws 5% GST),
// common laboratory tests by LOINC code and imaging by local code (named as the consultation screen suggests
// them, so typed orders find their price too), procedures, consumables, attendant food and parking, and a
// surgical package. Prices in paise, from the start of financial year 2025-26.

const FROM = '2025-04-01';

type DemoService = {
  code: string;
  name: string;
  group: string;
  dept?: string;
  tax?: string;
  icu?: boolean;
  payWhen?: 'before' | 'after';
  prices: Record<string, number>;
};

const perClass = (general: number, semi: number, priv: number, icu: number, nicu = icu) => ({
  general,
  'semi-private': semi,
  private: priv,
  icu,
  nicu,
});

const catalog: DemoService[] = [
  // Consultations (the OPD consultation itself is charged at the practitioner's fee).
  {
    code: 'OPD-CONSULT-NEW',
    name: 'Consultation (first visit)',
    group: 'consultation',
    dept: 'GMED',
    payWhen: 'before',
    prices: { '*': 50_000 },
  },
  {
    code: 'OPD-CONSULT-FU',
    name: 'Consultation (follow-up)',
    group: 'consultation',
    dept: 'GMED',
    payWhen: 'before',
    prices: { '*': 30_000 },
  },
  {
    code: 'ER-CONSULT',
    name: 'Emergency consultation',
    group: 'consultation',
    dept: 'EMER',
    prices: { '*': 80_000 },
  },
  {
    code: 'IPD-VISIT',
    name: 'Consultant visit (in-patient)',
    group: 'consultation',
    prices: perClass(60_000, 80_000, 120_000, 150_000),
  },
  {
    code: 'IPD-ADMISSION',
    name: 'Admission and registration',
    group: 'other',
    dept: 'BILL',
    prices: { '*': 50_000 },
  },
  // Room rent per tariff class: one service per class, charged per census night.
  {
    code: 'ROOM-GEN',
    name: 'General ward bed (per day)',
    group: 'room',
    dept: 'NURS',
    tax: 'ROOM',
    prices: { general: 150_000 },
  },
  {
    code: 'ROOM-SEMI',
    name: 'Semi-private room (per day)',
    group: 'room',
    dept: 'NURS',
    tax: 'ROOM',
    prices: { 'semi-private': 300_000 },
  },
  {
    code: 'ROOM-PVT',
    name: 'Private room (per day)',
    group: 'room',
    dept: 'NURS',
    tax: 'ROOM',
    prices: { private: 650_000 },
  },
  {
    code: 'ROOM-ICU',
    name: 'ICU bed (per day)',
    group: 'room',
    dept: 'NURS',
    tax: 'ROOM',
    icu: true,
    prices: { icu: 1_200_000 },
  },
  {
    code: 'ROOM-NICU',
    name: 'NICU cot (per day)',
    group: 'room',
    dept: 'NURS',
    tax: 'ROOM',
    icu: true,
    prices: { nicu: 900_000 },
  },
  {
    code: 'NURSING-DAY',
    name: 'Nursing care (per day)',
    group: 'nursing',
    dept: 'NURS',
    prices: perClass(50_000, 70_000, 100_000, 250_000),
  },
  // Laboratory (LOINC codes where the panel is one; local codes otherwise).
  {
    code: '58410-2',
    name: 'Complete blood count (CBC)',
    group: 'investigation',
    dept: 'PATH',
    prices: { '*': 35_000 },
  },
  { code: '4548-4', name: 'HbA1c', group: 'investigation', dept: 'PATH', prices: { '*': 55_000 } },
  {
    code: '1558-6',
    name: 'Fasting blood glucose',
    group: 'investigation',
    dept: 'PATH',
    prices: { '*': 12_000 },
  },
  { code: '57698-3', name: 'Lipid profile', group: 'investigation', dept: 'PATH', prices: { '*': 65_000 } },
  {
    code: '24325-3',
    name: 'Liver function tests',
    group: 'investigation',
    dept: 'PATH',
    prices: { '*': 70_000 },
  },
  {
    code: '24362-6',
    name: 'Kidney function tests',
    group: 'investigation',
    dept: 'PATH',
    prices: { '*': 60_000 },
  },
  {
    code: 'LAB-THYROID',
    name: 'Thyroid profile (TSH, T3, T4)',
    group: 'investigation',
    dept: 'PATH',
    prices: { '*': 60_000 },
  },
  {
    code: '24356-8',
    name: 'Urine routine and microscopy',
    group: 'investigation',
    dept: 'PATH',
    prices: { '*': 15_000 },
  },
  {
    code: '24326-1',
    name: 'Serum electrolytes',
    group: 'investigation',
    dept: 'PATH',
    prices: { '*': 45_000 },
  },
  {
    code: 'LAB-BLDCX',
    name: 'Blood culture and sensitivity',
    group: 'investigation',
    dept: 'PATH',
    prices: { '*': 90_000 },
  },
  {
    code: '24338-6',
    name: 'Arterial blood gas',
    group: 'investigation',
    dept: 'PATH',
    prices: { '*': 120_000 },
  },
  // Imaging and cardiology.
  {
    code: 'RAD-CXR-PA',
    name: 'Chest X-ray PA view',
    group: 'imaging',
    dept: 'RADI',
    prices: { '*': 40_000 },
  },
  {
    code: 'RAD-USG-ABD',
    name: 'Ultrasound abdomen',
    group: 'imaging',
    dept: 'RADI',
    prices: { '*': 120_000 },
  },
  { code: 'RAD-CT-HEAD', name: 'CT head (plain)', group: 'imaging', dept: 'RADI', prices: { '*': 300_000 } },
  { code: 'RAD-MRI-LS', name: 'MRI lumbar spine', group: 'imaging', dept: 'RADI', prices: { '*': 750_000 } },
  { code: 'CARD-ECG', name: 'ECG', group: 'imaging', dept: 'CARD', prices: { '*': 25_000 } },
  // Procedures: ward procedures cost more in private rooms.
  {
    code: 'PROC-DRESS',
    name: 'Dressing',
    group: 'procedure',
    dept: 'GSUR',
    prices: { '*': 30_000, private: 45_000 },
  },
  { code: 'PROC-NEB', name: 'Nebulisation', group: 'procedure', dept: 'GMED', prices: { '*': 20_000 } },
  { code: 'PROC-SUTURE', name: 'Suturing', group: 'procedure', dept: 'GSUR', prices: { '*': 80_000 } },
  { code: 'PROC-INJ-IM', name: 'Injection (IM)', group: 'procedure', dept: 'NURS', prices: { '*': 10_000 } },
  {
    code: 'PROC-CATH',
    name: 'Urinary catheterisation',
    group: 'procedure',
    dept: 'NURS',
    prices: { '*': 50_000 },
  },
  {
    code: 'PROC-CVC',
    name: 'Central line insertion',
    group: 'procedure',
    dept: 'ANAE',
    prices: { '*': 600_000 },
  },
  {
    code: 'OT-MINOR',
    name: 'Minor OT charges',
    group: 'procedure',
    dept: 'GSUR',
    prices: perClass(250_000, 300_000, 400_000, 400_000),
  },
  // Consumables and devices (GST at goods rates for out-patients).
  {
    code: 'CONS-IVSET',
    name: 'IV infusion set',
    group: 'consumable',
    tax: 'DEVICE',
    prices: { '*': 15_000 },
  },
  {
    code: 'CONS-CANNULA',
    name: 'IV cannula 20G',
    group: 'consumable',
    tax: 'DEVICE',
    prices: { '*': 12_000 },
  },
  {
    code: 'CONS-GLOVES',
    name: 'Sterile gloves (pair)',
    group: 'consumable',
    tax: 'DEVICE',
    prices: { '*': 6_000 },
  },
  { code: 'CONS-SYRINGE', name: 'Syringe 5 ml', group: 'consumable', tax: 'DEVICE', prices: { '*': 1_000 } },
  { code: 'CONS-MESH', name: 'Polypropylene mesh implant', group: 'consumable', tax: 'DEVICE', prices: {} },
  // Taxable supplies that are not health care.
  {
    code: 'ATT-MEAL',
    name: 'Attendant meal',
    group: 'other',
    tax: 'FOOD-ATTENDANT',
    prices: { '*': 15_000 },
  },
  {
    code: 'PARKING-DAY',
    name: 'Parking (per day)',
    group: 'other',
    tax: 'GENERAL-18',
    payWhen: 'before',
    prices: { '*': 5_000 },
  },
  // The package's own service.
  {
    code: 'PKG-LAP-CHOLE',
    name: 'Laparoscopic cholecystectomy package',
    group: 'package',
    dept: 'GSUR',
    prices: { general: 8_500_000, 'semi-private': 9_500_000, private: 11_500_000 },
  },
];

/** The demo hospital's charge master and one surgical package. Idempotent: does nothing once the services exist. */
export async function seedChargeMasterDemo(
  deps: AppDeps,
  demo: { facilityId: string; userIds: Record<string, string> },
): Promise<void> {
  const { facilityId } = demo;
  const db = deps.database.db;
  await seedBillingReference(db);
  const [existing] = await db
    .select({ id: services.id })
    .from(services)
    .where(and(eq(services.facilityId, facilityId), eq(services.code, 'PKG-LAP-CHOLE')));
  if (existing) return;
  const ctx = systemCtx(db, 'demo', facilityId);
  const departments = new Map((await listDepartments(ctx, facilityId)).map((d) => [d.code, d.id]));
  const ids = new Map<string, string>();
  for (const s of catalog) {
    const [known] = await db
      .select({ id: services.id })
      .from(services)
      .where(and(eq(services.facilityId, facilityId), eq(services.code, s.code)));
    // Posting a consultation may have created OPD-CONSULT-* already: keep it, add its price.
    const id =
      known?.id ??
      (
        await createService(ctx, {
          code: s.code,
          name: s.name,
          serviceGroup: s.group as 'other',
          departmentId: s.dept ? (departments.get(s.dept) ?? null) : null,
          taxCode: s.tax ?? 'HEALTHCARE',
          payWhen: s.payWhen ?? 'after',
          intensiveCare: s.icu ?? false,
          priceIncludesTax: false,
        })
      ).id;
    ids.set(s.code, id);
    for (const [tariffClass, price] of Object.entries(s.prices)) {
      await addPrice(ctx, id, { tariffClass, price, validFrom: FROM, payerId: null });
    }
  }
  const sid = (code: string) => ids.get(code)!;
  await createPackage(ctx, {
    serviceId: sid('PKG-LAP-CHOLE'),
    losLimitDays: 3,
    beyondLos: 'charge-per-day',
    items: [
      { kind: 'include', serviceGroup: 'room' },
      { kind: 'include', serviceGroup: 'nursing' },
      { kind: 'include', serviceGroup: 'investigation', quantityLimit: 10 },
      { kind: 'include', serviceGroup: 'consumable' },
      { kind: 'include', serviceId: sid('IPD-VISIT'), quantityLimit: 6 },
      { kind: 'include', serviceId: sid('OT-MINOR'), quantityLimit: 1 },
      { kind: 'exclude', serviceId: sid('CONS-MESH') },
      { kind: 'exclude', serviceId: sid('RAD-MRI-LS') },
      { kind: 'exclude', serviceId: sid('RAD-CT-HEAD') },
    ],
  });
}
