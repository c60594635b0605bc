import type { LabResult } from '@newhms/contracts';
import { inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/database';
import { getFacility } from '../../platform/organization/organization.service';
import { localDate } from '../../platform/time/facility-time';
import { getPatientSummaries } from '../patients';
import { formatRange, type PatientSex, rangeFor } from './catalog/interpret';
import { rangesOf } from './catalog.service';
import type { requests, results, samples } from './laboratory.tables';
import { tests } from './laboratory.tables';
import { ageInDays } from './result-values';

// What the catalog adds to results as they are shown: the test's display precision (decimals), and for a
// result not yet entered the reference range that will apply to this patient (sex, age in days at collection,
// or at the request while the tube is not drawn), so the bench sees it before typing. An entered result keeps
// the range it was flagged against (stored on the row); nothing here is written.

type RequestRow = typeof requests.$inferSelect;
type SampleRow = typeof samples.$inferSelect;
type ResultRow = typeof results.$inferSelect;

type ResultCatalogFacts = {
  decimals: Map<string, number | null>;
  /** Result id -> the applicable range, for pending numeric results only. */
  pendingRanges: Map<string, NonNullable<LabResult['referenceRange']>>;
};

/** Decimals of the tests on these results, and the applicable range of each pending numeric result. */
export async function resultCatalogFacts(
  db: DbOrTx,
  requestRows: readonly RequestRow[],
  sampleRows: readonly SampleRow[],
  resultRows: readonly ResultRow[],
): Promise<ResultCatalogFacts> {
  const codes = [...new Set(resultRows.map((r) => r.testCode))];
  const decimals = new Map<string, number | null>();
  const pendingRanges: ResultCatalogFacts['pendingRanges'] = new Map();
  if (codes.length === 0) return { decimals, pendingRanges };
  const testRows = await db
    .select({ code: tests.code, decimals: tests.decimals, unit: tests.unit })
    .from(tests)
    .where(inArray(tests.code, codes));
  for (const t of testRows) decimals.set(t.code, t.decimals);
  const pending = resultRows.filter((r) => r.status === 'pending' && r.resultType === 'numeric');
  if (pending.length === 0) return { decimals, pendingRanges };

  const requestsById = new Map(requestRows.map((r) => [r.id, r]));
  const samplesById = new Map(sampleRows.map((s) => [s.id, s]));
  const patientIds = [...new Set(pending.map((r) => r.patientId))];
  const facilityIds = [...new Set(pending.map((r) => r.facilityId))];
  // In turn, not at once: the caller may pass a transaction (one connection).
  const ranges = await rangesOf(db, [...new Set(pending.map((r) => r.testCode))]);
  const patients = await getPatientSummaries(db, patientIds, new Date());
  const patientsById = new Map(patients.map((p) => [p.id, p]));
  const timeZones = new Map<string, string>();
  for (const id of facilityIds) timeZones.set(id, (await getFacility(db, id)).timeZone);
  const unitOf = new Map(testRows.map((t) => [t.code, t.unit]));
  for (const r of pending) {
    const patient = patientsById.get(r.patientId);
    const at = samplesById.get(r.sampleId)?.collectedAt ?? requestsById.get(r.requestId)?.requestedAt;
    const timeZone = timeZones.get(r.facilityId);
    if (!patient || !at || !timeZone) continue;
    const ageDays = ageInDays(patient.birthDate, localDate(at, timeZone));
    const range = rangeFor(r.testCode, ranges, { sex: patient.sex as PatientSex, ageDays });
    if (!range) continue;
    pendingRanges.set(r.id, {
      low: range.low,
      high: range.high,
      criticalLow: range.criticalLow,
      criticalHigh: range.criticalHigh,
      text: formatRange(range, unitOf.get(r.testCode) ?? r.unit, decimals.get(r.testCode) ?? null),
    });
  }
  return { decimals, pendingRanges };
}
