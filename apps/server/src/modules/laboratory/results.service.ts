import {
  type AmendResultBody,
  type CultureResult,
  type CumulativeQuery,
  type CumulativeResults,
  type EnterResultsBody,
  LABORATORY_EVENTS,
  type LabRequest,
  type LabResultAmendedPayload,
  type LabResultFinalizedPayload,
  type ValidateResultsBody,
} from '@newhms/contracts';
import { and, asc, desc, eq, inArray, lte, ne, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { recordAudit } from '../../platform/audit/audit.service';
import { actorId, type Ctx } from '../../platform/context';
import { withConstraintErrors } from '../../platform/db/constraint-errors';
import type { DbOrTx } from '../../platform/db/database';
import { appendEvent } from '../../platform/events/outbox';
import { Conflict, Forbidden, NotFound, RuleViolation, StaleVersion } from '../../platform/http/errors';
import { facilityToday, requireFacility } from '../../platform/organization/facility-context';
import { localDate } from '../../platform/time/facility-time';
import { getPatient, getPatientSummaries } from '../patients';
import { deltaCheck, type PatientSex } from './catalog/interpret';
import { deltaRulesOf, rangesOf } from './catalog.service';
import { raiseCriticalAlerts } from './critical-alerts.service';
import { type RequestRow, type ResultRow, readRequestRecords } from './lab-records';
import { requests, resultRevisions, results, samples, tests } from './laboratory.tables';
import type { LaboratoryEnv } from './requests.service';
import { ageInDays, type InterpretedEntry, interpretEntry } from './result-values';

// Results: a technician enters them (numbers in the test's unit and decimals, flagged against the range for
// the patient's sex and age at collection, delta-checked against the patient's previous validated value of
// the same test); another person validates them (the pathologist; a CHECK refuses the same person); once
// every result of a request is validated the request is complete and `laboratory.result.finalized` goes out
// (with the critical values, for notification). A released result is changed only by an amendment with a
// reason; what it said before is kept in result_revisions.

const RELEASED = ['validated', 'amended'] as const;

const secondPerson = () =>
  new Forbidden('LAB_SECOND_PERSON_REQUIRED', 'A result is validated by someone other than who entered it');

/** Locks a request of the context's facility for a change (404 when it is another facility's). */
export async function lockRequest(ctx: Ctx, tx: DbOrTx, id: string): Promise<RequestRow> {
  const facilityId = requireFacility(ctx);
  const [row] = await tx.select().from(requests).where(eq(requests.id, id)).for('update');
  if (!row || row.facilityId !== facilityId)
    throw new NotFound('The laboratory request', 'LAB_REQUEST_NOT_FOUND');
  return row;
}

async function patientFacts(ctx: Ctx, tx: DbOrTx, patientId: string) {
  const patient = await getPatient(tx, patientId, ctx.now);
  return { sex: patient.sex as PatientSex, birthDate: patient.birthDate };
}

type Interpreter = (
  result: ResultRow,
  input: { value?: number | null; text?: string | null; culture?: CultureResult | null },
  path: string,
) => Promise<InterpretedEntry & { delta: DeltaColumns }>;
type DeltaColumns = {
  deltaFlagged: boolean | null;
  deltaPreviousValue: number | null;
  deltaPreviousAt: Date | null;
};

/** Interprets entries of one request's results: catalog, ranges, the patient, the sample's collection time. */
async function interpreter(ctx: Ctx, tx: DbOrTx, request: RequestRow, codes: string[]): Promise<Interpreter> {
  const facts = await patientFacts(ctx, tx, request.patientId);
  const { timeZone } = await facilityToday(tx, request.facilityId, ctx.now);
  const testRows = await tx.select().from(tests).where(inArray(tests.code, codes));
  const ranges = await rangesOf(tx, codes);
  const rules = await deltaRulesOf(tx, codes);
  const sampleRows = await tx.select().from(samples).where(eq(samples.requestId, request.id));
  return async (result, input, path) => {
    const test = testRows.find((t) => t.code === result.testCode)!;
    const sample = sampleRows.find((s) => s.id === result.sampleId);
    const collectedAt = sample?.collectedAt ?? ctx.now;
    const ageDays = ageInDays(facts.birthDate, localDate(collectedAt, timeZone));
    const entry = interpretEntry(test, input, ranges, { sex: facts.sex, ageDays });
    if ('problem' in entry) {
      throw new RuleViolation('LAB_RESULT_INVALID', entry.problem, [{ path, message: entry.problem }]);
    }
    const delta: DeltaColumns = { deltaFlagged: null, deltaPreviousValue: null, deltaPreviousAt: null };
    const rule = rules.find((r) => r.testCode === result.testCode);
    if (rule && entry.numericValue !== null) {
      const [previous] = await tx
        .select({ value: results.numericValue, at: samples.collectedAt })
        .from(results)
        .innerJoin(samples, eq(samples.id, results.sampleId))
        .where(
          and(
            eq(results.patientId, request.patientId),
            eq(results.testCode, result.testCode),
            inArray(results.status, [...RELEASED]),
            ne(results.requestId, request.id),
            lte(samples.collectedAt, collectedAt),
          ),
        )
        .orderBy(desc(samples.collectedAt))
        .limit(1);
      if (previous?.value !== null && previous?.value !== undefined && previous.at) {
        const check = deltaCheck(
          { value: entry.numericValue, at: collectedAt },
          { value: previous.value, at: previous.at },
          {
            mode: rule.mode as 'absolute' | 'percent',
            threshold: rule.threshold,
            windowDays: rule.windowDays,
          },
        );
        if (check.withinWindow) {
          delta.deltaFlagged = check.flagged;
          delta.deltaPreviousValue = previous.value;
          delta.deltaPreviousAt = previous.at;
        }
      }
    }
    return { ...entry, delta };
  };
}

/** One value to file for a test of a request (from the technician's form or an analyzer's OBX). */
export type ResultEntry = {
  testCode: string;
  value?: number | null | undefined;
  text?: string | null | undefined;
  culture?: CultureResult | null | undefined;
  comment?: string | null | undefined;
};

/**
 * Files entered values on a locked request, in the caller's transaction: each test must be in the request,
 * not yet released, its sample received; numbers are rounded, flagged and delta-checked. `ctx.actor` is who
 * entered them (an analyzer is a system actor named after its sending application). Audited.
 */
export async function writeResultEntries(
  ctx: Ctx,
  tx: DbOrTx,
  request: RequestRow,
  entries: readonly ResultEntry[],
  source: 'manual' | 'analyzer',
  detail: Record<string, unknown> = {},
): Promise<void> {
  if (request.status === 'cancelled' || request.status === 'completed') {
    throw new Conflict('LAB_REQUEST_CLOSED', `The request is ${request.status}`);
  }
  const rows = await tx.select().from(results).where(eq(results.requestId, request.id)).for('update');
  const sampleRows = await tx.select().from(samples).where(eq(samples.requestId, request.id));
  const seen = new Set<string>();
  const errors: { path: string; message: string }[] = [];
  for (const [i, item] of entries.entries()) {
    const row = rows.find((r) => r.testCode === item.testCode);
    if (!row)
      errors.push({ path: `results.${i}.testCode`, message: `${item.testCode} is not in this request` });
    else if (seen.has(item.testCode)) errors.push({ path: `results.${i}.testCode`, message: 'given twice' });
    seen.add(item.testCode);
  }
  if (errors.length > 0)
    throw new RuleViolation('LAB_RESULT_INVALID', 'Results that do not fit the request', errors);
  const interpret = await interpreter(ctx, tx, request, [...seen]);
  for (const [i, item] of entries.entries()) {
    const row = rows.find((r) => r.testCode === item.testCode)!;
    if (row.status !== 'pending' && row.status !== 'entered') {
      throw new Conflict('LAB_RESULT_RELEASED', `${row.testCode} is ${row.status}: amend it instead`);
    }
    const sample = sampleRows.find((s) => s.id === row.sampleId);
    if (sample?.status !== 'received') {
      throw new RuleViolation(
        'LAB_SAMPLE_NOT_RECEIVED',
        `The sample for ${row.testCode} has not been received`,
        [{ path: `results.${i}.testCode`, message: 'its sample is not in the lab' }],
      );
    }
    const v = await interpret(row, item, `results.${i}`);
    await tx
      .update(results)
      .set({
        status: 'entered',
        numericValue: v.numericValue,
        textValue: v.textValue,
        culture: v.culture,
        unit: v.unit,
        flag: v.flag,
        critical: v.critical,
        referenceRange: v.referenceRange,
        ...v.delta,
        comment: item.comment ?? null,
        source,
        enteredById: actorId(ctx.actor),
        enteredByName: ctx.actor.name,
        enteredAt: ctx.now,
        version: row.version + 1,
        updatedAt: ctx.now,
      })
      .where(eq(results.id, row.id));
  }
  await recordAudit(tx, ctx, {
    action: 'update',
    resourceType: 'LabResult',
    resourceId: request.id,
    patientId: request.patientId,
    detail: { entered: [...seen], ...(source === 'manual' ? {} : { source }), ...detail },
  });
}

/** The technician enters (or corrects, before validation) results of a received sample. */
export async function enterResults(
  ctx: Ctx,
  requestId: string,
  input: z.output<typeof EnterResultsBody>,
): Promise<LabRequest> {
  await ctx.db.transaction(async (tx) => {
    const request = await lockRequest(ctx, tx, requestId);
    await writeResultEntries(ctx, tx, request, input.results, 'manual');
  });
  const [request] = await readRequestRecords(ctx.db, [requestId]);
  return request!;
}

/**
 * The pathologist validates entered results (all, or those named). Someone other than who entered them
 * (403). When none is left to validate the request completes and `laboratory.result.finalized` is published.
 */
export async function validateResults(
  ctx: Ctx,
  env: LaboratoryEnv,
  requestId: string,
  input: z.output<typeof ValidateResultsBody>,
): Promise<LabRequest> {
  const me = actorId(ctx.actor);
  await withConstraintErrors(
    () =>
      ctx.db.transaction(async (tx) => {
        const request = await lockRequest(ctx, tx, requestId);
        if (request.status === 'cancelled' || request.status === 'completed') {
          throw new Conflict('LAB_REQUEST_CLOSED', `The request is ${request.status}`);
        }
        const rows = await tx.select().from(results).where(eq(results.requestId, requestId)).for('update');
        const named = input.resultIds ? new Set(input.resultIds) : null;
        if (named) {
          for (const id of named) {
            const row = rows.find((r) => r.id === id);
            if (!row) throw new NotFound('The result', 'LAB_RESULT_NOT_FOUND');
            if (row.status !== 'entered') {
              throw new Conflict('LAB_RESULT_NOT_ENTERED', `${row.testCode} is ${row.status}`);
            }
          }
        }
        const targets = rows.filter((r) => r.status === 'entered' && (!named || named.has(r.id)));
        if (targets.length === 0) {
          throw new RuleViolation('LAB_NOTHING_TO_VALIDATE', 'No entered result to validate');
        }
        if (targets.some((r) => r.enteredById !== null && r.enteredById === me)) throw secondPerson();
        await tx
          .update(results)
          .set({
            status: 'validated',
            validatedById: me,
            validatedByName: ctx.actor.name,
            validatedAt: ctx.now,
            version: sql`${results.version} + 1`,
            updatedAt: ctx.now,
          })
          .where(
            inArray(
              results.id,
              targets.map((r) => r.id),
            ),
          );
        await recordAudit(tx, ctx, {
          action: 'update',
          resourceType: 'LabResult',
          resourceId: requestId,
          patientId: request.patientId,
          detail: { validated: targets.map((r) => r.testCode) },
        });
        await raiseCriticalAlerts(
          tx,
          ctx,
          env.events,
          request,
          targets.map((r) => ({ ...r, revisionNo: 0 })),
        );
        const validatedIds = new Set(targets.map((r) => r.id));
        const open = rows.filter(
          (r) =>
            !validatedIds.has(r.id) &&
            !(RELEASED as readonly string[]).includes(r.status) &&
            r.status !== 'cancelled',
        );
        if (open.length > 0) return;
        await tx
          .update(requests)
          .set({
            status: 'completed',
            completedAt: ctx.now,
            version: request.version + 1,
            updatedAt: ctx.now,
          })
          .where(eq(requests.id, requestId));
        const criticalResults = rows
          .filter((r) => r.critical && r.numericValue !== null && (r.flag === 'LL' || r.flag === 'HH'))
          .map((r) => ({
            resultId: r.id,
            testCode: r.testCode,
            testName: r.testName,
            value: r.numericValue!,
            unit: r.unit,
            flag: r.flag as 'LL' | 'HH',
          }));
        await appendEvent<LabResultFinalizedPayload>(tx, env.events, {
          type: LABORATORY_EVENTS.resultFinalized,
          facilityId: request.facilityId,
          aggregateId: requestId,
          actorId: me,
          payload: {
            requestId,
            orderId: request.orderId,
            patientId: request.patientId,
            encounterId: request.encounterId,
            code: request.code,
            critical: criticalResults.length > 0,
            criticalResults,
          },
        });
      }),
    { results_second_person_ck: secondPerson },
  );
  const [request] = await readRequestRecords(ctx.db, [requestId]);
  return request!;
}

/**
 * Amends a released result: the new value (interpreted like an entry), a reason, and the previous value,
 * flag, validator and time kept as a revision. By a validator other than who entered the result.
 */
export async function amendResult(
  ctx: Ctx,
  env: LaboratoryEnv,
  resultId: string,
  input: z.output<typeof AmendResultBody>,
): Promise<LabRequest> {
  const me = actorId(ctx.actor);
  const facilityId = requireFacility(ctx);
  const requestId = await withConstraintErrors(
    () =>
      ctx.db.transaction(async (tx) => {
        const [current] = await tx.select().from(results).where(eq(results.id, resultId)).for('update');
        if (!current || current.facilityId !== facilityId)
          throw new NotFound('The result', 'LAB_RESULT_NOT_FOUND');
        const request = await lockRequest(ctx, tx, current.requestId);
        if (!(RELEASED as readonly string[]).includes(current.status)) {
          throw new Conflict(
            'LAB_RESULT_NOT_RELEASED',
            `${current.testCode} is ${current.status}: enter it instead`,
          );
        }
        if (current.version !== input.version) throw new StaleVersion('The result');
        if (current.enteredById !== null && current.enteredById === me) throw secondPerson();
        const interpret = await interpreter(ctx, tx, request, [current.testCode]);
        const v = await interpret(current, input, '');
        const [last] = await tx
          .select({ n: sql<number>`coalesce(max(${resultRevisions.revisionNo}), 0)::int` })
          .from(resultRevisions)
          .where(eq(resultRevisions.resultId, resultId));
        const revisionNo = Number(last?.n ?? 0) + 1;
        await tx.insert(resultRevisions).values({
          resultId,
          revisionNo,
          previousValue: current.numericValue,
          previousText: current.textValue,
          previousCulture: current.culture,
          previousFlag: current.flag,
          previousValidatedByName: current.validatedByName,
          previousValidatedAt: current.validatedAt,
          reason: input.reason,
          amendedById: me,
          amendedByName: ctx.actor.name,
          amendedAt: ctx.now,
        });
        await tx
          .update(results)
          .set({
            status: 'amended',
            numericValue: v.numericValue,
            textValue: v.textValue,
            culture: v.culture,
            unit: v.unit,
            flag: v.flag,
            critical: v.critical,
            referenceRange: v.referenceRange,
            ...v.delta,
            validatedById: me,
            validatedByName: ctx.actor.name,
            validatedAt: ctx.now,
            version: current.version + 1,
            updatedAt: ctx.now,
          })
          .where(eq(results.id, resultId));
        await recordAudit(tx, ctx, {
          action: 'update',
          resourceType: 'LabResult',
          resourceId: resultId,
          patientId: current.patientId,
          detail: { amended: current.testCode, revisionNo, reason: input.reason },
        });
        // Still critical after the amendment: the new value is called through like the first.
        await raiseCriticalAlerts(tx, ctx, env.events, request, [
          {
            ...current,
            numericValue: v.numericValue,
            unit: v.unit,
            flag: v.flag,
            critical: v.critical,
            revisionNo,
          },
        ]);
        await appendEvent<LabResultAmendedPayload>(tx, env.events, {
          type: LABORATORY_EVENTS.resultAmended,
          facilityId: request.facilityId,
          aggregateId: request.id,
          actorId: me,
          payload: {
            requestId: request.id,
            resultId,
            orderId: request.orderId,
            patientId: request.patientId,
            encounterId: request.encounterId,
            testCode: current.testCode,
            revisionNo,
            reason: input.reason,
            critical: v.critical,
          },
        });
        return request.id;
      }),
    {
      results_second_person_ck: secondPerson,
      result_revisions_uq: () => new StaleVersion('The result'),
    },
  );
  const [request] = await readRequestRecords(ctx.db, [requestId]);
  return request!;
}

/** A patient's released results per test over time (oldest first), with their flags. */
export async function cumulativeResults(
  ctx: Ctx,
  patientId: string,
  query: z.output<typeof CumulativeQuery>,
): Promise<z.output<typeof CumulativeResults>> {
  const facilityId = requireFacility(ctx);
  const [patient] = await getPatientSummaries(ctx.db, [patientId], ctx.now);
  if (!patient) throw new NotFound('The patient', 'LAB_PATIENT_NOT_FOUND');
  const rows = await ctx.db
    .select({ result: results, collectedAt: samples.collectedAt })
    .from(results)
    .innerJoin(samples, eq(samples.id, results.sampleId))
    .where(
      and(
        eq(results.patientId, patientId),
        eq(results.facilityId, facilityId),
        inArray(results.status, [...RELEASED]),
        query.code ? eq(results.testCode, query.code) : undefined,
      ),
    )
    .orderBy(desc(samples.collectedAt), asc(results.position))
    .limit(query.limit);
  await recordAudit(ctx.db, ctx, {
    action: 'read',
    resourceType: 'LabResult',
    patientId,
    detail: { view: 'cumulative', code: query.code ?? null, count: rows.length },
  });
  const byTest = new Map<string, typeof rows>();
  for (const r of [...rows].reverse()) {
    byTest.set(r.result.testCode, [...(byTest.get(r.result.testCode) ?? []), r]);
  }
  const decimals = new Map(
    byTest.size === 0
      ? []
      : (
          await ctx.db
            .select({ code: tests.code, decimals: tests.decimals })
            .from(tests)
            .where(inArray(tests.code, [...byTest.keys()]))
        ).map((t) => [t.code, t.decimals]),
  );
  return {
    patientId,
    tests: [...byTest.entries()].map(([code, list]) => ({
      code,
      name: list[0]!.result.testName,
      unit: list[0]!.result.unit,
      decimals: list[0]!.result.resultType === 'numeric' ? (decimals.get(code) ?? null) : null,
      values: list.map(({ result: r, collectedAt }) => ({
        resultId: r.id,
        requestId: r.requestId,
        collectedAt: collectedAt?.toISOString() ?? null,
        validatedAt: r.validatedAt?.toISOString() ?? null,
        value: r.numericValue,
        text: r.textValue,
        culture: (r.culture as CultureResult | null) ?? null,
        flag: r.flag as 'LL' | 'L' | 'N' | 'H' | 'HH' | null,
        amended: r.status === 'amended',
      })),
    })),
  };
}
