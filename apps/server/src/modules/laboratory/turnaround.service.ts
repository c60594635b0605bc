import type { LabSection, LabTurnaroundQuery, LabTurnaroundReport } from '@newhms/contracts';
import { and, eq, gte, inArray, isNotNull, lt } from 'drizzle-orm';
import type { z } from 'zod';
import type { Ctx } from '../../platform/context';
import { facilityToday, requireFacility } from '../../platform/organization/facility-context';
import { addDays, zonedInstant } from '../../platform/time/facility-time';
import { requests, resultRevisions, results, samples, tests } from './laboratory.tables';

// Turnaround time: for released results whose sample was collected in the period (facility calendar days),
// the minutes from collection to the first validation and from receipt to it, per test and per section,
// against the test's target for the request's priority (STAT target for STAT requests, routine otherwise, as
// the worklist shows them). An amendment re-stamps `validated_at`; the time of the first release is kept in
// the first revision, and that is what the clinician waited for.

type Figures = Omit<LabTurnaroundReport['sections'][number], 'section'>;
type Measure = { collection: number; receipt: number | null; over: boolean; stat: boolean };

const MINUTE = 60_000;

/** The median (mean of the two middle values for an even count); null for none. */
function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const m = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return Math.round(m * 10) / 10;
}

/** The 90th percentile by nearest rank (the smallest value with at least 90% of values at or below it). */
function percentile90(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil(0.9 * sorted.length);
  return Math.round(sorted[rank - 1]! * 10) / 10;
}

function figuresOf(list: readonly Measure[]): Figures {
  const collection = list.map((m) => m.collection);
  const receipt = list.flatMap((m) => (m.receipt === null ? [] : [m.receipt]));
  const over = list.filter((m) => m.over).length;
  return {
    count: list.length,
    collectionToValidation: { median: median(collection), p90: percentile90(collection) },
    receiptToValidation: { median: median(receipt), p90: percentile90(receipt) },
    overTarget: over,
    withinTarget: list.length - over,
  };
}

/** Turnaround per test and per section for samples collected from `from` to `to` (facility calendar). */
export async function turnaroundReport(
  ctx: Ctx,
  query: z.output<typeof LabTurnaroundQuery>,
): Promise<LabTurnaroundReport> {
  const facilityId = requireFacility(ctx);
  const { timeZone } = await facilityToday(ctx.db, facilityId, ctx.now);
  const start = zonedInstant(query.from, '00:00', timeZone);
  const end = zonedInstant(addDays(query.to, 1), '00:00', timeZone);
  const rows = await ctx.db
    .select({
      testCode: results.testCode,
      testName: results.testName,
      section: results.section,
      validatedAt: results.validatedAt,
      firstValidatedAt: resultRevisions.previousValidatedAt,
      collectedAt: samples.collectedAt,
      receivedAt: samples.receivedAt,
      priority: requests.priority,
      tatRoutine: tests.tatMinutesRoutine,
      tatStat: tests.tatMinutesStat,
    })
    .from(results)
    .innerJoin(samples, eq(samples.id, results.sampleId))
    .innerJoin(requests, eq(requests.id, results.requestId))
    .innerJoin(tests, eq(tests.code, results.testCode))
    .leftJoin(
      resultRevisions,
      and(eq(resultRevisions.resultId, results.id), eq(resultRevisions.revisionNo, 1)),
    )
    .where(
      and(
        eq(results.facilityId, facilityId),
        inArray(results.status, ['validated', 'amended']),
        isNotNull(samples.collectedAt),
        gte(samples.collectedAt, start),
        lt(samples.collectedAt, end),
        query.section ? eq(results.section, query.section) : undefined,
      ),
    );
  const byTest = new Map<string, { row: (typeof rows)[number]; measures: Measure[] }>();
  const bySection = new Map<LabSection, Measure[]>();
  for (const row of rows) {
    const validated = row.firstValidatedAt ?? row.validatedAt;
    if (!validated || !row.collectedAt) continue;
    const stat = row.priority === 'stat';
    const target = stat ? (row.tatStat ?? row.tatRoutine) : row.tatRoutine;
    const collection = (validated.getTime() - row.collectedAt.getTime()) / MINUTE;
    const measure: Measure = {
      collection,
      receipt: row.receivedAt ? (validated.getTime() - row.receivedAt.getTime()) / MINUTE : null,
      over: collection > target,
      stat,
    };
    const entry = byTest.get(row.testCode) ?? { row, measures: [] };
    entry.measures.push(measure);
    byTest.set(row.testCode, entry);
    const section = row.section as LabSection;
    bySection.set(section, [...(bySection.get(section) ?? []), measure]);
  }
  return {
    from: query.from,
    to: query.to,
    timeZone,
    section: query.section ?? null,
    tests: [...byTest.values()]
      .sort(
        (a, b) => a.row.section.localeCompare(b.row.section) || a.row.testCode.localeCompare(b.row.testCode),
      )
      .map(({ row, measures }) => ({
        testCode: row.testCode,
        testName: row.testName,
        section: row.section as LabSection,
        targetRoutineMinutes: row.tatRoutine,
        targetStatMinutes: row.tatStat ?? row.tatRoutine,
        stat: measures.filter((m) => m.stat).length,
        ...figuresOf(measures),
      })),
    sections: [...bySection.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([section, measures]) => ({ section, ...figuresOf(measures) })),
  };
}
