import type { PatientSummary, WardKind } from '@newhms/contracts';
import { eq } from 'drizzle-orm';
import { systemCtx } from '../../platform/context';
import { DomainError } from '../../platform/http/errors';
import type { AppDeps } from '../../platform/module';
import { listDepartments } from '../../platform/organization/organization.service';
import { listPractitioners } from '../opd';
import { getPatientSummaries, registeredPatientIds } from '../patients';
import { admitPatient, transferPatient, wardRestrictionsUnmet } from './admissions.service';
import { setExpectedDischarge } from './discharge.service';
import { wards as wardsTable } from './ipd.tables';
import { facilityToday } from './ipd-records';
import { createRequest } from './requests.service';
import { createBed, createCategory, createRoom, createWard, setBedStatus } from './wards.service';

// The demo hospital's wards: General Male, General Female, Private, ICU (with an isolation bed) and NICU,
// 62 beds; a dozen demo patients admitted, one moved to ICU (their old bed is being cleaned), one bed
// blocked, one discharge expected today, and a request waiting in the queue.

const categories = [
  { code: 'GEN', name: 'General ward bed', tariffClass: 'general', intensiveCare: false },
  { code: 'SEMI', name: 'Semi-private bed', tariffClass: 'semi-private', intensiveCare: false },
  { code: 'PVT', name: 'Private room', tariffClass: 'private', intensiveCare: false },
  { code: 'ICU', name: 'ICU bed', tariffClass: 'icu', intensiveCare: true },
  { code: 'NICU', name: 'NICU cot', tariffClass: 'nicu', intensiveCare: true },
] as const;

type DemoWard = {
  code: string;
  name: string;
  kind: WardKind;
  floor: string;
  dept: string;
  gender: 'any' | 'male' | 'female';
  minAge?: number;
  maxAge?: number;
  rooms: number;
  bedsPerRoom: number;
  category: string;
  extraCategory?: string;
};

const demoWards: DemoWard[] = [
  {
    code: 'GMW',
    name: 'General Ward (Male)',
    kind: 'general',
    floor: '2',
    dept: 'GMED',
    gender: 'male',
    minAge: 13,
    rooms: 4,
    bedsPerRoom: 5,
    category: 'GEN',
  },
  {
    code: 'GFW',
    name: 'General Ward (Female)',
    kind: 'general',
    floor: '2',
    dept: 'GMED',
    gender: 'female',
    minAge: 13,
    rooms: 4,
    bedsPerRoom: 5,
    category: 'GEN',
  },
  {
    code: 'PVT',
    name: 'Private Rooms',
    kind: 'private',
    floor: '3',
    dept: 'GMED',
    gender: 'any',
    rooms: 6,
    bedsPerRoom: 1,
    category: 'PVT',
  },
  {
    code: 'SPW',
    name: 'Semi-Private Ward',
    kind: 'semi-private',
    floor: '3',
    dept: 'GSUR',
    gender: 'any',
    rooms: 2,
    bedsPerRoom: 2,
    category: 'SEMI',
  },
  {
    code: 'ICU',
    name: 'Intensive Care Unit',
    kind: 'icu',
    floor: '1',
    dept: 'ANAE',
    gender: 'any',
    rooms: 1,
    bedsPerRoom: 8,
    category: 'ICU',
  },
  {
    code: 'NICU',
    name: 'Neonatal ICU',
    kind: 'nicu',
    floor: '1',
    dept: 'PAED',
    gender: 'any',
    maxAge: 0,
    rooms: 1,
    bedsPerRoom: 4,
    category: 'NICU',
  },
];

async function attempt<T>(run: () => Promise<T>): Promise<T | undefined> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof DomainError) return undefined;
    throw err;
  }
}

export async function seedIpdDemo(
  deps: AppDeps,
  demo: { facilityId: string; userIds: Record<string, string> },
): Promise<void> {
  const { facilityId } = demo;
  const env = { events: deps.events };
  const ctx = systemCtx(deps.database.db, 'demo', facilityId);
  const [existing] = await ctx.db
    .select({ id: wardsTable.id })
    .from(wardsTable)
    .where(eq(wardsTable.facilityId, facilityId))
    .limit(1);
  if (existing) return;
  const departments = new Map((await listDepartments(ctx, facilityId)).map((d) => [d.code, d.id]));
  const categoryIds = new Map<string, string>();
  for (const c of categories) categoryIds.set(c.code, (await createCategory(ctx, c)).id);

  /** Beds by ward code, in order. */
  const bedsOf = new Map<string, { id: string; code: string; version: number }[]>();
  for (const w of demoWards) {
    const ward = await createWard(ctx, {
      code: w.code,
      name: w.name,
      building: 'Main Block',
      floor: w.floor,
      kind: w.kind,
      departmentId: departments.get(w.dept) ?? null,
      genderRestriction: w.gender,
      minAgeYears: w.minAge ?? null,
      maxAgeYears: w.maxAge ?? null,
      displayCode: `BEDS-${w.code}`,
    });
    const list: { id: string; code: string; version: number }[] = [];
    for (let r = 1; r <= w.rooms; r++) {
      const room = await createRoom(ctx, {
        wardId: ward.id,
        code: `${w.code}-R${r}`,
        name: w.rooms === 1 ? w.name : `Room ${w.floor}${String(r).padStart(2, '0')}`,
      });
      for (let b = 1; b <= w.bedsPerRoom; b++) {
        const n = list.length + 1;
        const bed = await createBed(ctx, {
          roomId: room.id,
          categoryId: categoryIds.get(w.category)!,
          code: `${w.code}-${String(n).padStart(2, '0')}`,
          // The last ICU bed is the isolation bed (terminal cleaning when released).
          isolation: w.code === 'ICU' && b === w.bedsPerRoom,
          sortOrder: n,
        });
        list.push({ id: bed.id, code: bed.code, version: bed.version });
      }
    }
    bedsOf.set(w.code, list);
  }

  // One bed out of use.
  const blocked = bedsOf.get('GMW')!.at(-1)!;
  await setBedStatus(ctx, blocked.id, {
    status: 'blocked',
    reason: 'Broken bed rail; awaiting biomedical engineering',
    version: blocked.version,
  });

  const practitioners = (await listPractitioners(ctx, {})).filter((p) => p.active);
  const ids = await registeredPatientIds(deps.database.db, facilityId, 60);
  if (practitioners.length === 0 || ids.length === 0) return;
  const patients = await getPatientSummaries(deps.database.db, ids, ctx.now);
  const { today } = await facilityToday(ctx.db, facilityId, ctx.now);
  const adult = (p: PatientSummary, sex: string) =>
    p.status === 'active' &&
    p.sex === sex &&
    wardRestrictionsUnmet({ name: '', genderRestriction: sex, minAgeYears: 13, maxAgeYears: null }, p, today)
      .length === 0;
  const used = new Set<string>();
  const pick = (test: (p: PatientSummary) => boolean, n: number) => {
    const chosen = patients.filter((p) => !used.has(p.id) && test(p)).slice(0, n);
    for (const p of chosen) used.add(p.id);
    return chosen;
  };
  // Kept aside first: a patient waiting in emergency for a bed.
  const [waiting] = pick((p) => p.status === 'active', 1);
  const plan: { ward: string; patients: PatientSummary[] }[] = [
    { ward: 'GMW', patients: pick((p) => adult(p, 'male'), 5) },
    { ward: 'GFW', patients: pick((p) => adult(p, 'female'), 5) },
    { ward: 'PVT', patients: pick((p) => p.status === 'active', 2) },
    { ward: 'ICU', patients: pick((p) => p.status === 'active', 1) },
  ];
  const payers = ['cash', 'insurance', 'cash', 'government-scheme', 'corporate'] as const;
  const admitted: { id: string; version: number; ward: string }[] = [];
  let i = 0;
  for (const { ward, patients: group } of plan) {
    for (const [k, patient] of group.entries()) {
      const doctor = practitioners[i % practitioners.length]!;
      const payerCategory = payers[i % payers.length]!;
      i += 1;
      const a = await attempt(() =>
        admitPatient(ctx, env, {
          patientId: patient.id,
          source: i % 3 === 0 ? 'emergency' : 'direct',
          bedId: bedsOf.get(ward)![k]!.id,
          admittingPractitionerId: doctor.id,
          attendingPractitionerId: doctor.id,
          departmentId: doctor.departmentId,
          reason: [
            'Community-acquired pneumonia',
            'Uncontrolled diabetes',
            'Acute gastroenteritis',
            'Cellulitis of leg',
            'Chest pain for evaluation',
          ][i % 5]!,
          provisionalDiagnosis: { text: 'Under evaluation', code: null },
          expectedLengthOfStayDays: 2 + (i % 4),
          attendant: { name: 'Family member', relationship: 'Spouse', phone: '+91 98450 00000' },
          consent: { signedBy: patient.displayName, relationship: 'Self' },
          payerCategory,
          payerDetails:
            payerCategory === 'cash'
              ? null
              : {
                  payerName:
                    payerCategory === 'insurance'
                      ? 'Star Health'
                      : payerCategory === 'corporate'
                        ? 'Infosys Ltd'
                        : 'Ayushman Bharat PM-JAY',
                  memberId: `M-${100_000 + i}`,
                },
          restrictionOverride: null,
        }),
      );
      if (a) admitted.push({ id: a.id, version: a.version, ward });
    }
  }

  // A patient who worsened on the general ward went to ICU: their old bed is being cleaned.
  const mover = admitted.find((a) => a.ward === 'GMW');
  if (mover) {
    const moved = await attempt(() =>
      transferPatient(ctx, env, mover.id, {
        bedId: bedsOf.get('ICU')![1]!.id,
        reason: 'Falling saturation on oxygen; NEWS2 7',
        restrictionOverride: null,
        version: mover.version,
      }),
    );
    if (moved) mover.version = moved.version;
  }
  // One discharge expected today.
  const leaving = admitted.find((a) => a.ward === 'GFW');
  if (leaving) {
    await attempt(() =>
      setExpectedDischarge(ctx, leaving.id, { expectedDischargeDate: today, version: leaving.version }),
    );
  }
  if (waiting) {
    await attempt(() =>
      createRequest(ctx, {
        patientId: waiting.id,
        source: 'emergency',
        priority: 'urgent',
        wardKind: 'general',
        reason: 'Acute exacerbation of COPD; needs admission',
      }),
    );
  }
}
