import { AllergyInput, RegisterPatientBody } from '@newhms/contracts';
import { and, count, eq, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Actor, Ctx } from '../../platform/context';
import { loadFieldCipher } from '../../platform/crypto/field-cipher';
import type { Db } from '../../platform/db/database';
import { DomainError } from '../../platform/http/errors';
import type { AppDeps } from '../../platform/module';
import { registerPatient } from './duplicates';
import {
  addAlert,
  addAllergy,
  type PatientsEnv,
  recordNoKnownAllergies,
  registerUnknown,
} from './patients.service';
import { patients } from './patients.tables';
import { createRandom, type Random } from './synthetic/random';
import { otherSpellings, withTypo } from './synthetic/spelling';
import { type SyntheticPatient, syntheticPatients, toRegisterBody } from './synthetic/synthetic-patients';

export type PatientsDemoOptions = {
  /** Registered patients in all, near-duplicates and unknown patients included. */
  patients?: number;
  /** Pairs registered twice with a different spelling, left open in the duplicate review worklist. */
  nearDuplicatePairs?: number;
  seed?: number;
};

export type PatientsDemoSummary = {
  skipped: boolean;
  registered: number;
  nearDuplicatePairs: number;
  withAllergies: number;
  noKnownAllergies: number;
  alerts: number;
  unknown: number;
  /** Generated patients left out because registration found a look-alike (not one of the planned pairs). */
  leftOutAsLookAlikes: number;
  milliseconds: number;
};

type Allergy = z.input<typeof AllergyInput>;

const allergyChoices: readonly Allergy[] = [
  { category: 'drug', substance: 'Penicillin', reaction: 'Urticaria', severity: 'moderate' },
  { category: 'drug', substance: 'Penicillin', reaction: 'Anaphylaxis', severity: 'severe' },
  { category: 'drug', substance: 'Sulfonamides', reaction: 'Maculopapular rash', severity: 'moderate' },
  { category: 'drug', substance: 'Aspirin', reaction: 'Bronchospasm', severity: 'severe' },
  { category: 'drug', substance: 'NSAIDs', reaction: 'Angioedema', severity: 'severe' },
  { category: 'drug', substance: 'NSAIDs', reaction: 'Gastritis', severity: 'mild' },
  {
    category: 'drug',
    substance: 'Iodinated contrast',
    reaction: 'Urticaria and itching',
    severity: 'moderate',
  },
  { category: 'food', substance: 'Peanut', reaction: 'Anaphylaxis', severity: 'severe' },
  { category: 'food', substance: 'Shellfish', reaction: 'Urticaria', severity: 'moderate' },
  { category: 'food', substance: 'Egg', reaction: 'Vomiting and rash', severity: 'mild' },
  { category: 'environment', substance: 'Dust mite', reaction: 'Allergic rhinitis', severity: 'mild' },
  { category: 'environment', substance: 'Pollen', reaction: 'Sneezing and watery eyes', severity: 'mild' },
];

const duplicateReasons = [
  'Patient says this is the first visit; name spelt differently on the old card',
  'Could not confirm the old record with the attendant; registering now, records to review',
  'Old record found but the spelling differs from the Aadhaar card; MRD to decide',
] as const;

/**
 * The demo hospital's patients, registered through the real services (MRNs, versions, audit, events) as a
 * front desk would: a Bengaluru catchment with patients from all over India, about 10 near-duplicate pairs
 * waiting in the duplicate review worklist, allergies on about 15%, "no known allergies" on about 40%,
 * a few alerts and two unknown emergency patients. Skips when the facility already has most of them.
 */
export async function seedPatientsDemo(
  deps: AppDeps,
  demo: { facilityId: string; userIds: Record<string, string> },
  options: PatientsDemoOptions = {},
): Promise<PatientsDemoSummary> {
  const started = performance.now();
  const total = options.patients ?? 500;
  const pairs = Math.min(options.nearDuplicatePairs ?? 10, Math.floor(total / 10));
  const db = deps.database.db;
  const summary: PatientsDemoSummary = {
    skipped: false,
    registered: 0,
    nearDuplicatePairs: 0,
    withAllergies: 0,
    noKnownAllergies: 0,
    alerts: 0,
    unknown: 0,
    leftOutAsLookAlikes: 0,
    milliseconds: 0,
  };
  const [existing] = await db
    .select({ n: count() })
    .from(patients)
    .where(and(eq(patients.facilityId, demo.facilityId), sql`${patients.status} <> 'merged'`));
  if ((existing?.n ?? 0) >= Math.ceil(total * 0.8)) {
    return { ...summary, skipped: true, milliseconds: Math.round(performance.now() - started) };
  }

  const env: PatientsEnv = { cipher: await loadFieldCipher(db, deps.config), events: deps.events };
  const now = new Date();
  const random = createRandom((options.seed ?? 2026) + 1);
  const people = syntheticPatients({ seed: options.seed ?? 2026, catchment: 'bengaluru', now });
  const unknownCount = total >= 50 ? 2 : 0;
  const regular = total - unknownCount - pairs;
  // Every n-th registration is the first of a planned pair, so that the pairs are spread over the list.
  const twinEvery = pairs > 0 ? Math.max(1, Math.floor(regular / pairs)) : Number.POSITIVE_INFINITY;
  const twinSources: { id: string; person: SyntheticPatient }[] = [];

  // Batches in one transaction each (the services' own transactions become savepoints): on PGlite with a
  // data directory every commit is written through, and one commit per patient doubles the time.
  const batchSize = 25;
  while (summary.registered < regular) {
    await db.transaction(async (tx) => {
      const desk = demoCtx(tx as unknown as Db, demo, 'front-desk', now);
      const nurse = demoCtx(tx as unknown as Db, demo, 'nurse', now);
      const batchEnd = Math.min(regular, summary.registered + batchSize);
      while (summary.registered < batchEnd) {
        const person = people.next().value as SyntheticPatient;
        let id: string;
        try {
          id = (await registerPatient(desk, env, RegisterPatientBody.parse(toRegisterBody(person)))).id;
        } catch (e) {
          // Two generated people can look alike (same common name and birth year); the desk would stop
          // and check. The demo leaves the second one out so that the worklist holds only the planned pairs.
          if (e instanceof DomainError && e.code === 'PATIENT_POSSIBLE_DUPLICATE') {
            summary.leftOutAsLookAlikes += 1;
            continue;
          }
          throw e;
        }
        summary.registered += 1;
        const due =
          twinSources.length < pairs && summary.registered >= (twinSources.length + 0.5) * twinEvery;
        if (due && canBeTwinned(person)) twinSources.push({ id, person });
        await recordClinicalFacts(nurse, env, random, id, person, summary);
      }
    });
  }

  const desk = demoCtx(db, demo, 'front-desk', now);
  for (const [n, source] of twinSources.entries()) {
    // Every other pair differs by another spelling where the name has one (Laxmi / Lakshmi), the rest by a
    // typing slip.
    const twin = respelt(source.person, random, n % 2 === 0);
    await registerPatient(desk, env, {
      ...RegisterPatientBody.parse(toRegisterBody(twin)),
      duplicateOverride: {
        reason: duplicateReasons[n % duplicateReasons.length]!,
        candidateIds: [source.id],
      },
    });
    summary.registered += 1;
    summary.nearDuplicatePairs += 1;
  }
  // Sources too few to twin (a tiny demo): the rest of the planned count as ordinary patients.
  while (summary.registered < total - unknownCount) {
    const person = people.next().value as SyntheticPatient;
    try {
      await registerPatient(desk, env, RegisterPatientBody.parse(toRegisterBody(person)));
      summary.registered += 1;
    } catch (e) {
      if (!(e instanceof DomainError && e.code === 'PATIENT_POSSIBLE_DUPLICATE')) throw e;
      summary.leftOutAsLookAlikes += 1;
    }
  }

  if (unknownCount > 0) {
    await registerUnknown(desk, env, {
      sex: 'male',
      approximateAge: 40,
      note: 'Brought by ambulance after a road traffic accident on Hosur Road; no documents',
    });
    await registerUnknown(desk, env, {
      sex: 'female',
      approximateAge: 70,
      note: 'Found unresponsive at the Majestic bus stand; brought by police',
    });
    summary.unknown = unknownCount;
    summary.registered += unknownCount;
  }
  summary.milliseconds = Math.round(performance.now() - started);
  return summary;
}

function demoCtx(
  db: Db,
  demo: { facilityId: string; userIds: Record<string, string> },
  role: string,
  now: Date,
): Ctx {
  const userId = demo.userIds[role];
  // The demo users' display names, as platform/demo.ts creates them ("Demo Front Desk").
  const name = `Demo ${role.replace('-', ' ').replace(/\b\w/g, (c) => c.toUpperCase())}`;
  const actor: Actor = userId
    ? {
        type: 'user',
        userId,
        name,
        sessionId: '',
        facilityId: demo.facilityId,
        roles: [role],
        permissions: new Set(),
      }
    : { type: 'system', name: 'demo data' };
  return {
    db,
    actor,
    facilityId: demo.facilityId,
    requestId: `demo:patients:${role}`,
    now,
  };
}

/** A good near-duplicate: a known date of birth and a phone, so the desk's check has something to match. */
function canBeTwinned(p: SyntheticPatient): boolean {
  return !!p.birth && 'birthDate' in p.birth && p.phones.length > 0 && p.age >= 1;
}

/** The same person registered again: a name part spelt another way or mistyped, and no national ids. */
function respelt(p: SyntheticPatient, random: Random, preferVariant: boolean): SyntheticPatient {
  const parts = (['given', 'middle', 'family'] as const).filter((k) => {
    const v = p.name[k];
    return v && !v.includes('.') && v.length >= 4;
  });
  const withVariant = preferVariant ? parts.find((k) => otherSpellings(p.name[k]!).length > 0) : undefined;
  const name = { ...p.name };
  if (withVariant) name[withVariant] = random.pick(otherSpellings(p.name[withVariant]!));
  else {
    const k = parts.length > 0 ? random.pick(parts) : 'given';
    const typo = withTypo(p.name[k] ?? 'patient', random);
    name[k] = typo[0]!.toUpperCase() + typo.slice(1);
  }
  return {
    ...p,
    name,
    aadhaar: null,
    abhaNumber: null,
    abhaAddress: null,
    email: null,
    phones: p.phones.slice(0, 1),
    consents: [],
  };
}

async function recordClinicalFacts(
  nurse: Ctx,
  env: PatientsEnv,
  random: Random,
  patientId: string,
  person: SyntheticPatient,
  summary: PatientsDemoSummary,
) {
  const draw = random.next();
  if (draw < 0.15) {
    const first = random.pick(allergyChoices);
    await addAllergy(nurse, env, patientId, AllergyInput.parse(first));
    if (random.chance(0.2)) {
      const second = random.pick(allergyChoices.filter((a) => a.substance !== first.substance));
      await addAllergy(nurse, env, patientId, AllergyInput.parse(second));
    }
    summary.withAllergies += 1;
  } else if (draw < 0.55) {
    await recordNoKnownAllergies(nurse, env, patientId);
    summary.noKnownAllergies += 1;
  }
  if (person.age >= 75 && random.chance(0.3)) {
    await addAlert(nurse, patientId, {
      kind: 'fall-risk',
      text: 'High fall risk (Morse score 55): bed rails up, assist when walking',
      severity: 'high',
    });
    summary.alerts += 1;
  } else if (random.chance(0.012)) {
    await addAlert(nurse, patientId, {
      kind: 'infection-control',
      text: 'MRSA colonised: contact precautions, single room where possible',
      severity: 'high',
    });
    summary.alerts += 1;
  }
}
