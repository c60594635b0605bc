import type { DuplicateCandidate, MatchBody, Patient } from '@newhms/contracts';
import { and, asc, desc, eq, gt, inArray, lt, or, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { recordAudit } from '../../platform/audit/audit.service';
import { actorId, type Ctx } from '../../platform/context';
import type { DbOrTx, Tx } from '../../platform/db/database';
import { rowsOf } from '../../platform/db/raw-rows';
import { appendEvent } from '../../platform/events/outbox';
import { Conflict, NotFound, RuleViolation } from '../../platform/http/errors';
import { decodeCursor, toPage } from '../../platform/http/pagination';
import { CANDIDATE_THRESHOLD, matchScore } from './match-score';
import { displayNameOf, normalizeName, phoneticKeys } from './names';
import { assemblePatient, loadPatientRow, loadSummaries } from './patient-records';
import {
  actorName,
  birthOf,
  type Fields,
  identifierLabel,
  insertPatient,
  PATIENT_EVENTS,
  type PatientsEnv,
  type RegisterInput,
  writeVersion,
} from './patients.service';
import {
  alerts,
  allergies,
  duplicateReviews,
  merges,
  patientConsents,
  patientContacts,
  patientIdentifiers,
  patientPhones,
  patients,
} from './patients.tables';

type MatchInput = z.output<typeof MatchBody>;

/**
 * Records that may be the person being registered: same identifier, same phone, or a similar name,
 * scored by match-score.ts; only candidates above the threshold, best first.
 */
export async function findCandidates(
  db: DbOrTx,
  env: PatientsEnv,
  input: MatchInput | Fields,
  now: Date,
  excludeId?: string,
): Promise<DuplicateCandidate[]> {
  const fullName = normalizeName(displayNameOf(input.name));
  const keys = phoneticKeys(fullName);
  const phones = (input.phones ?? []).map((p) => p.number.replace(/\D/g, '').slice(-10));
  const hashes = (input.identifiers ?? []).flatMap((i) =>
    'type' in i ? [env.cipher.lookupHash(i.type, i.value)] : [],
  );
  if (!fullName && phones.length === 0 && hashes.length === 0) return [];
  const text = (list: string[]) =>
    list.length > 0
      ? sql`array[${sql.join(
          list.map((v) => sql`${v}`),
          sql`, `,
        )}]::text[]`
      : sql`array[]::text[]`;
  const rows = await rowsOf<Record<string, unknown>>(
    db,
    sql`
    select p.id, p.sex, p.birth_date::text as birth_date, p.birth_date_estimated,
      similarity(p.search_name, ${fullName})::float8 as name_similarity,
      (p.phonetic_keys @> ${text(keys)} or ${text(keys)} @> p.phonetic_keys) as phonetic,
      exists (select 1 from patients.phones ph where ph.patient_id = p.id) as has_phone,
      exists (select 1 from patients.phones ph where ph.patient_id = p.id and ph.last_digits = any(${text(phones)})) as same_phone,
      coalesce((select array_agg(distinct pi.type) from patients.identifiers pi
        where pi.patient_id = p.id and pi.value_hash = any(${text(hashes)})), array[]::text[]) as same_ids
    from patients.patients p
    where p.status = 'active' ${excludeId ? sql`and p.id <> ${excludeId}` : sql``}
      and (${fullName ? sql`p.search_name % ${fullName} or (cardinality(${text(keys)}) > 0 and p.phonetic_keys @> ${text(keys)})` : sql`false`}
        or p.id in (select patient_id from patients.phones where last_digits = any(${text(phones)}))
        or p.id in (select patient_id from patients.identifiers where value_hash = any(${text(hashes)})))
    limit 100`,
  );
  const birth = birthOf(input.birth ?? null, now);
  const scored = rows
    .map((r) => {
      const sameIds = Array.isArray(r.same_ids)
        ? (r.same_ids as string[])
        : String(r.same_ids ?? '')
            .replace(/[{}]/g, '')
            .split(',')
            .filter(Boolean);
      const { score, reasons } = matchScore({
        nameSimilarity: Number(r.name_similarity),
        phoneticMatch: keys.length > 0 && r.phonetic === true,
        birth: {
          a: birth.birthDate,
          aEstimated: birth.birthDateEstimated,
          b: (r.birth_date as string | null) ?? null,
          bEstimated: r.birth_date_estimated === true,
        },
        sex: { a: input.sex ?? 'unknown', b: String(r.sex) },
        samePhone: phones.length === 0 || r.has_phone !== true ? null : r.same_phone === true,
        sameIdentifiers: sameIds.map(identifierLabel),
      });
      return { id: String(r.id), score, reasons };
    })
    .filter((c) => c.score >= CANDIDATE_THRESHOLD)
    .sort((a, b) => b.score - a.score)
    .slice(0, 10);
  const summaries = await loadSummaries(
    db,
    scored.map((c) => c.id),
    now,
  );
  return summaries.map((s, i) => ({ ...s, score: scored[i]!.score, reasons: scored[i]!.reasons }));
}

/** The live duplicate check while registering: shows other patients' summaries, so it is audited as a search. */
export async function matchCandidates(ctx: Ctx, env: PatientsEnv, input: MatchInput) {
  const candidates = await findCandidates(ctx.db, env, input, ctx.now);
  await recordAudit(ctx.db, ctx, {
    action: 'search',
    resourceType: 'Patient',
    detail: {
      purpose: 'duplicate-check',
      results: candidates.length,
      candidateIds: candidates.map((c) => c.id),
    },
  });
  return candidates;
}

function orderedPair(a: string, b: string): [string, string] {
  return a < b ? [a, b] : [b, a];
}

async function openReview(
  tx: Tx,
  a: string,
  b: string,
  score: number,
  reasons: string[],
  source: 'registration-override' | 'scan' | 'manual',
) {
  const [patientA, patientB] = orderedPair(a, b);
  await tx
    .insert(duplicateReviews)
    .values({ patientA, patientB, score, reasons, source })
    .onConflictDoNothing({ target: [duplicateReviews.patientA, duplicateReviews.patientB] });
}

/**
 * Registers a patient. Possible duplicates stop the registration (409 with the candidates) unless the
 * clerk registers anyway with a reason; then the reason is kept and each candidate pair goes to review.
 */
export async function registerPatient(ctx: Ctx, env: PatientsEnv, input: RegisterInput): Promise<Patient> {
  const candidates = await findCandidates(ctx.db, env, input, ctx.now);
  const override = input.duplicateOverride;
  if (candidates.length > 0 && !override) {
    await recordAudit(ctx.db, ctx, {
      action: 'search',
      resourceType: 'Patient',
      detail: {
        purpose: 'duplicate-check',
        results: candidates.length,
        candidateIds: candidates.map((c) => c.id),
      },
    });
    throw new Conflict(
      'PATIENT_POSSIBLE_DUPLICATE',
      `${candidates.length} existing record(s) may be this patient; open one, or register anyway with a reason`,
      { candidates },
    );
  }
  return ctx.db.transaction(async (tx) => {
    const patient = await insertPatient(
      ctx,
      env,
      { ...input, duplicateReason: candidates.length > 0 ? (override?.reason ?? null) : null },
      tx,
    );
    for (const c of candidates)
      await openReview(tx, patient.id, c.id, c.score, c.reasons, 'registration-override');
    return patient;
  });
}

/** Asks someone to look at two records (from the patient page: "these may be one person"). */
export async function flagDuplicate(ctx: Ctx, env: PatientsEnv, a: string, b: string) {
  if (a === b) throw new RuleViolation('PATIENT_SAME_RECORD', 'Choose two different records');
  const [pa, pb] = [await loadPatientRow(ctx.db, a), await loadPatientRow(ctx.db, b)];
  const candidate = (
    await findCandidates(ctx.db, env, await assemblePatientInput(ctx.db, pa.id, ctx.now), ctx.now, a)
  ).find((c) => c.id === pb.id);
  await ctx.db.transaction(async (tx) => {
    await openReview(tx, a, b, candidate?.score ?? 0, candidate?.reasons ?? ['flagged by staff'], 'manual');
    await recordAudit(tx, ctx, {
      action: 'create',
      resourceType: 'DuplicateReview',
      patientId: a,
      detail: { patients: [a, b] },
    });
  });
}

async function assemblePatientInput(db: DbOrTx, id: string, now: Date): Promise<MatchInput> {
  const p = await assemblePatient(db, await loadPatientRow(db, id), now);
  return {
    name: p.name,
    sex: p.sex,
    birth: p.birthDate ? { birthDate: p.birthDate } : null,
    phones: p.phones,
  } as MatchInput;
}

export async function listReviews(
  ctx: Ctx,
  query: { status: 'open' | 'merged' | 'not-duplicate'; limit: number; cursor?: string | undefined },
) {
  const after = decodeCursor(query.cursor, 2);
  const rows = await ctx.db
    .select()
    .from(duplicateReviews)
    .where(
      and(
        eq(duplicateReviews.status, query.status),
        after
          ? or(
              lt(duplicateReviews.score, Number(after[0])),
              and(eq(duplicateReviews.score, Number(after[0])), gt(duplicateReviews.id, String(after[1]))),
            )
          : undefined,
      ),
    )
    .orderBy(desc(duplicateReviews.score), asc(duplicateReviews.id))
    .limit(query.limit + 1);
  const items = await presentReviews(ctx.db, rows, ctx.now);
  return toPage(items, query.limit, (r) => [r.score, r.id]);
}

/** Reviews as the worklist shows them, with both patients' summaries (two queries for the lot). */
async function presentReviews(db: DbOrTx, rows: (typeof duplicateReviews.$inferSelect)[], now: Date) {
  const summaries = await loadSummaries(
    db,
    rows.flatMap((r) => [r.patientA, r.patientB]),
    now,
  );
  const byId = new Map(summaries.map((s) => [s.id, s]));
  return rows.map((r) => ({
    id: r.id,
    patientA: byId.get(r.patientA)!,
    patientB: byId.get(r.patientB)!,
    score: r.score,
    reasons: r.reasons,
    source: r.source as 'registration-override' | 'scan' | 'manual',
    status: r.status as 'open' | 'merged' | 'not-duplicate',
    note: r.note,
    createdAt: r.createdAt.toISOString(),
    resolvedAt: r.resolvedAt?.toISOString() ?? null,
    resolvedBy: r.resolvedByName,
  }));
}

export async function resolveReview(ctx: Ctx, id: string, note: string) {
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.select().from(duplicateReviews).where(eq(duplicateReviews.id, id)).for('update');
    if (!row) throw new NotFound('The duplicate review');
    if (row.status !== 'open')
      throw new Conflict('DUPLICATE_REVIEW_CLOSED', 'This review was already decided');
    await tx
      .update(duplicateReviews)
      .set({ status: 'not-duplicate', note, resolvedAt: ctx.now, resolvedByName: actorName(ctx) })
      .where(eq(duplicateReviews.id, id));
    await recordAudit(tx, ctx, {
      action: 'update',
      resourceType: 'DuplicateReview',
      resourceId: id,
      patientId: row.patientA,
      detail: { status: 'not-duplicate', note, patients: [row.patientA, row.patientB] },
    });
    const [updated] = await tx.select().from(duplicateReviews).where(eq(duplicateReviews.id, id));
    return (await presentReviews(tx, [updated!], ctx.now))[0]!;
  });
}

/**
 * Merges one record into another. Everything the merged record held (identifiers, phones, contacts,
 * consents, allergies, alerts) moves to the survivor; the merged record stays with status 'merged' and
 * points to the survivor (as do records merged into it before); both versions, an audit entry, a merge
 * row with snapshots of both records, and the `patients.patient.merged` event that other modules follow.
 */
export async function mergePatients(
  ctx: Ctx,
  env: PatientsEnv,
  input: { survivorId: string; mergedId: string; reason: string; reviewId?: string | undefined },
) {
  if (input.survivorId === input.mergedId) {
    throw new RuleViolation('PATIENT_SAME_RECORD', 'A record cannot be merged into itself', [
      { path: 'body.mergedId', message: 'same as survivorId' },
    ]);
  }
  return ctx.db.transaction(async (tx) => {
    // Lock both rows in id order so that two merges of the same pair cannot deadlock or interleave.
    const locked = await tx
      .select()
      .from(patients)
      .where(inArray(patients.id, [input.survivorId, input.mergedId]))
      .orderBy(asc(patients.id))
      .for('update');
    const survivorRow = locked.find((r) => r.id === input.survivorId);
    const mergedRow = locked.find((r) => r.id === input.mergedId);
    if (!survivorRow || !mergedRow) throw new NotFound('The patient', 'PATIENT_NOT_FOUND');
    if (survivorRow.status !== 'active' || mergedRow.status !== 'active') {
      throw new Conflict(
        'PATIENT_ALREADY_MERGED',
        'Both records must be active; one of them was merged already',
      );
    }
    const survivorBefore = await assemblePatient(tx, survivorRow, ctx.now);
    const mergedBefore = await assemblePatient(tx, mergedRow, ctx.now);

    const moved: Record<string, number> = {};
    const move = async (
      name: string,
      table: typeof allergies | typeof alerts | typeof patientConsents | typeof patientContacts,
    ) => {
      const rows = await tx
        .update(table)
        .set({ patientId: survivorRow.id } as never)
        .where(eq(table.patientId, mergedRow.id))
        .returning({ id: table.id });
      moved[name] = rows.length;
    };
    await move('allergies', allergies);
    await move('alerts', alerts);
    await move('consents', patientConsents);
    await move('contacts', patientContacts);
    // Identifiers and phones the survivor already has are not copied twice.
    const survivorHashes = new Set(
      survivorBefore.identifiers.length > 0
        ? (
            await tx
              .select({ h: patientIdentifiers.valueHash })
              .from(patientIdentifiers)
              .where(eq(patientIdentifiers.patientId, survivorRow.id))
          ).map((r) => r.h)
        : [],
    );
    const mergedIds = await tx
      .select()
      .from(patientIdentifiers)
      .where(eq(patientIdentifiers.patientId, mergedRow.id));
    const idsToMove = mergedIds.filter((i) => !survivorHashes.has(i.valueHash)).map((i) => i.id);
    if (idsToMove.length > 0) {
      await tx
        .update(patientIdentifiers)
        .set({ patientId: survivorRow.id })
        .where(inArray(patientIdentifiers.id, idsToMove));
    }
    moved.identifiers = idsToMove.length;
    const survivorPhones = new Set(survivorBefore.phones.map((p) => p.number));
    const mergedPhones = await tx
      .select()
      .from(patientPhones)
      .where(eq(patientPhones.patientId, mergedRow.id));
    const phonesToMove = mergedPhones.filter((p) => !survivorPhones.has(p.number));
    for (const [n, p] of phonesToMove.entries()) {
      await tx
        .update(patientPhones)
        .set({ patientId: survivorRow.id, position: survivorBefore.phones.length + n })
        .where(eq(patientPhones.id, p.id));
    }
    moved.phones = phonesToMove.length;

    // Demographics the survivor lacks are filled from the merged record; the survivor's own values win.
    const fill: Partial<typeof survivorRow> = {};
    for (const key of [
      'birthDate',
      'email',
      'addressLine',
      'locality',
      'district',
      'state',
      'postalCode',
      'country',
      'preferredLanguage',
      'maritalStatus',
      'occupation',
      'bloodGroup',
    ] as const) {
      if (survivorRow[key] == null && mergedRow[key] != null)
        (fill as Record<string, unknown>)[key] = mergedRow[key];
    }
    if (fill.birthDate) {
      fill.birthDateEstimated = mergedRow.birthDateEstimated;
      fill.birthYear = mergedRow.birthYear;
    }
    if (!survivorRow.noKnownAllergiesAt && mergedRow.noKnownAllergiesAt && (moved.allergies ?? 0) === 0) {
      fill.noKnownAllergiesAt = mergedRow.noKnownAllergiesAt;
      fill.noKnownAllergiesBy = mergedRow.noKnownAllergiesBy;
    }
    if ((moved.allergies ?? 0) > 0) {
      fill.noKnownAllergiesAt = null;
      fill.noKnownAllergiesBy = null;
    }
    const lastVisit = [survivorRow.lastVisitAt, mergedRow.lastVisitAt]
      .filter(Boolean)
      .sort((a, b) => b!.getTime() - a!.getTime())[0];
    const [survivorUpdated] = await tx
      .update(patients)
      .set({ ...fill, lastVisitAt: lastVisit ?? null, version: survivorRow.version + 1, updatedAt: ctx.now })
      .where(eq(patients.id, survivorRow.id))
      .returning();
    const [mergedUpdated] = await tx
      .update(patients)
      .set({
        status: 'merged',
        mergedIntoId: survivorRow.id,
        version: mergedRow.version + 1,
        updatedAt: ctx.now,
      })
      .where(eq(patients.id, mergedRow.id))
      .returning();
    // Records merged earlier into the merged one now point straight at the survivor.
    await tx
      .update(patients)
      .set({ mergedIntoId: survivorRow.id })
      .where(eq(patients.mergedIntoId, mergedRow.id));

    const survivorAfter = await assemblePatient(tx, survivorUpdated!, ctx.now);
    const mergedAfter = await assemblePatient(tx, mergedUpdated!, ctx.now);
    await writeVersion(tx, ctx, survivorAfter, 'merge-survivor', survivorBefore, input.reason);
    await writeVersion(tx, ctx, mergedAfter, 'merged', mergedBefore, input.reason);
    const [mergeRow] = await tx
      .insert(merges)
      .values({
        survivorId: survivorRow.id,
        mergedId: mergedRow.id,
        reason: input.reason,
        moved,
        survivorSnapshot: survivorBefore,
        mergedSnapshot: mergedBefore,
        mergedById: actorId(ctx.actor),
        mergedByName: actorName(ctx),
        mergedAt: ctx.now,
      })
      .returning();
    const [a, b] = orderedPair(survivorRow.id, mergedRow.id);
    await tx
      .update(duplicateReviews)
      .set({ status: 'merged', note: input.reason, resolvedAt: ctx.now, resolvedByName: actorName(ctx) })
      .where(
        and(
          eq(duplicateReviews.status, 'open'),
          or(
            and(eq(duplicateReviews.patientA, a), eq(duplicateReviews.patientB, b)),
            input.reviewId ? eq(duplicateReviews.id, input.reviewId) : sql`false`,
          ),
        ),
      );
    await recordAudit(tx, ctx, {
      action: 'merge',
      resourceType: 'Patient',
      resourceId: survivorRow.id,
      patientId: survivorRow.id,
      detail: { mergedId: mergedRow.id, mergedMrn: mergedRow.mrn, reason: input.reason, moved },
    });
    await recordAudit(tx, ctx, {
      action: 'merge',
      resourceType: 'Patient',
      resourceId: mergedRow.id,
      patientId: mergedRow.id,
      detail: { survivorId: survivorRow.id, survivorMrn: survivorRow.mrn },
    });
    await appendEvent(tx, env.events, {
      type: PATIENT_EVENTS.merged,
      facilityId: survivorRow.facilityId,
      aggregateId: survivorRow.id,
      actorId: actorId(ctx.actor),
      payload: {
        survivorId: survivorRow.id,
        survivorMrn: survivorRow.mrn,
        mergedId: mergedRow.id,
        mergedMrn: mergedRow.mrn,
        mergeId: mergeRow!.id,
      },
    });
    const [summaries] = [await loadSummaries(tx, [survivorRow.id, mergedRow.id], ctx.now)];
    return {
      id: mergeRow!.id,
      survivor: summaries[0]!,
      merged: summaries[1]!,
      reason: input.reason,
      mergedBy: mergeRow!.mergedByName,
      mergedAt: mergeRow!.mergedAt.toISOString(),
      moved,
    };
  });
}

export async function listMerges(ctx: Ctx, query: { limit: number; cursor?: string | undefined }) {
  const after = decodeCursor(query.cursor, 1);
  const rows = await ctx.db
    .select()
    .from(merges)
    .where(after ? lt(merges.id, String(after[0])) : undefined)
    .orderBy(desc(merges.id))
    .limit(query.limit + 1);
  const summaries = await loadSummaries(
    ctx.db,
    rows.flatMap((r) => [r.survivorId, r.mergedId]),
    ctx.now,
  );
  const byId = new Map(summaries.map((s) => [s.id, s]));
  const items = rows.map((r) => ({
    id: r.id,
    survivor: byId.get(r.survivorId)!,
    merged: byId.get(r.mergedId)!,
    reason: r.reason,
    mergedBy: r.mergedByName,
    mergedAt: r.mergedAt.toISOString(),
    moved: r.moved as Record<string, number>,
  }));
  return toPage(items, query.limit, (r) => [r.id]);
}

/** Follows merges: the id of the record that now stands for this one (itself when not merged). */
export async function survivorOf(db: DbOrTx, id: string): Promise<string> {
  const [row] = await db
    .select({ status: patients.status, mergedIntoId: patients.mergedIntoId })
    .from(patients)
    .where(eq(patients.id, id));
  if (!row) throw new NotFound('The patient', 'PATIENT_NOT_FOUND');
  return row.mergedIntoId ?? id;
}
