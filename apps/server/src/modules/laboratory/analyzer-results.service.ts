import { and, eq } from 'drizzle-orm';
import { type Ctx, systemCtx } from '../../platform/context';
import type { Db } from '../../platform/db/database';
import { DomainError } from '../../platform/http/errors';
import { getFacility } from '../../platform/organization/organization.service';
import { getPatientSummaries } from '../patients';
import type { AckError } from './hl7/ack';
import type { OruHandlerResult } from './hl7/mllp-listener';
import type { OruMessage, OruObservation } from './hl7/oru';
import type { ResultRow, SampleRow } from './lab-records';
import { analyzerMessages, results, samples } from './laboratory.tables';
import { lockRequest, type ResultEntry, writeResultEntries } from './results.service';

// Analyzer results over HL7 v2 (ORU^R01 through the MLLP listener in hl7/): each OBR names a sample by its
// accession number, each OBX a test of that sample (LOINC when OBX-3 is coded LN, else our test code). The
// values are filed like a technician's entry (rounding, flag, delta check) with source `analyzer`, entered by
// the sending application, and wait for a person to validate them: an analyzer never releases a result.
// A message is filed whole or not at all: AE names every problem. A message already filed (same MSH-3 and
// MSH-10) is acknowledged AA again without filing it twice.

/** OBX-11 statuses filed: final and corrected. Preliminary, pending, cannot-obtain, deleted: not filed. */
const FILED_STATUSES = new Set(['F', 'C']);

type Plan = { sample: SampleRow; entries: ResultEntry[]; accession: string };

const normalUnit = (u: string) => u.trim().toLowerCase().replaceAll(' ', '');

function testOf(rows: readonly ResultRow[], obs: OruObservation): ResultRow | undefined {
  const code = obs.identifier.code.trim();
  if (obs.identifier.system.toUpperCase() === 'LN') return rows.find((r) => r.loincCode === code);
  return rows.find((r) => r.testCode === code.toUpperCase());
}

/** What an OBX value becomes for a test of a given result type, or why it cannot be filed. */
function entryValue(row: ResultRow, obs: OruObservation): Omit<ResultEntry, 'testCode'> | string {
  const v = obs.value!;
  if (row.resultType === 'numeric') {
    if (v.type === 'NM') return { value: v.number };
    if (v.type === 'SN' && ['', '='].includes(v.comparator) && !v.separator && v.number1 !== null) {
      return { value: v.number1 };
    }
    return `${row.testCode} needs a plain number (a value such as "${v.text}" is entered by hand)`;
  }
  if (row.resultType === 'culture') return `${row.testCode} is a culture: enter it by hand`;
  if (v.type === 'CE' || v.type === 'CWE' || v.type === 'CNE') return { text: v.coded.text || v.coded.code };
  return { text: v.text };
}

async function samplesWithAccession(db: Db, message: OruMessage, accession: string): Promise<SampleRow[]> {
  const found = await db
    .select()
    .from(samples)
    // Accessions are issued upper-case (L + digits): an index on the column serves this, where upper(column)
    // read every sample the lab ever received (bench lab-results: 51 ms at 100,000 samples).
    .where(eq(samples.accession, accession.trim().toUpperCase()));
  if (found.length < 2 || !message.receivingFacility) return found;
  // Accession numbers are unique per facility: MSH-6 (our facility code) tells two facilities' apart.
  const codes = await Promise.all(found.map(async (s) => (await getFacility(db, s.facilityId)).code));
  const mine = found.filter((_, i) => codes[i]?.toUpperCase() === message.receivingFacility.toUpperCase());
  return mine.length > 0 ? mine : found;
}

/** Files the results of one ORU^R01 and says what to acknowledge (the MLLP listener's handler). */
export async function fileAnalyzerResults(
  db: Db,
  message: OruMessage,
  now: Date = new Date(),
): Promise<OruHandlerResult> {
  const sender = message.sendingApplication || message.sendingFacility || 'analyzer';
  const filedBefore = await db
    .select({ id: analyzerMessages.id })
    .from(analyzerMessages)
    .where(
      and(eq(analyzerMessages.sendingApplication, sender), eq(analyzerMessages.controlId, message.controlId)),
    );
  if (filedBefore.length > 0) return { code: 'AA', text: 'Already filed (the message was sent again)' };

  const errors: AckError[] = [];
  const plans: Plan[] = [];
  const mrns = message.patientIdentifiers.filter((p) => p.type.toUpperCase() === 'MR').map((p) => p.id);
  let obxSequence = 0;
  for (const order of message.orders) {
    const at = { segment: 'OBR', sequence: order.obrSequence, field: 3 };
    const accession = order.accessionNumber;
    const found = await samplesWithAccession(db, message, accession);
    const firstObx = obxSequence;
    obxSequence += order.observations.length;
    if (found.length === 0) {
      errors.push({ condition: '204', text: `Unknown accession number ${accession}`, location: at });
      continue;
    }
    if (found.length > 1) {
      errors.push({
        condition: '204',
        text: `Accession number ${accession} is in more than one facility: send the facility code in MSH-6`,
        location: at,
      });
      continue;
    }
    const sample = found[0]!;
    if (sample.status !== 'received') {
      errors.push({
        condition: '206',
        text: `Sample ${accession} is ${sample.status}, not received in the laboratory`,
        location: at,
      });
      continue;
    }
    if (mrns.length > 0) {
      // A mislabelled tube: the analyzer's patient is not the accession's patient.
      const [patient] = await getPatientSummaries(db, [sample.patientId], now);
      if (!mrns.includes(patient?.mrn ?? '')) {
        errors.push({
          condition: '204',
          text: `Sample ${accession} belongs to another patient than PID-3 names`,
          location: { segment: 'PID', sequence: 1, field: 3 },
        });
        continue;
      }
    }
    const rows = await db.select().from(results).where(eq(results.sampleId, sample.id));
    const entries: ResultEntry[] = [];
    for (const [i, obs] of order.observations.entries()) {
      const obx = { segment: 'OBX', sequence: firstObx + i + 1 };
      const label = `OBX ${obs.setId || firstObx + i + 1}`;
      if (!FILED_STATUSES.has(obs.resultStatus) || obs.value === null) continue;
      const row = testOf(rows, obs);
      const code = `${obs.identifier.code}${obs.identifier.system ? ` (${obs.identifier.system})` : ''}`;
      if (!row) {
        errors.push({
          condition: '103',
          text: `${label}: test ${code} is not ordered on sample ${accession}`,
          location: { ...obx, field: 3 },
        });
        continue;
      }
      if (entries.some((e) => e.testCode === row.testCode)) {
        errors.push({
          condition: '205',
          text: `${label}: ${row.testCode} is given twice for sample ${accession}`,
          location: { ...obx, field: 3 },
        });
        continue;
      }
      if (row.status !== 'pending' && row.status !== 'entered') {
        errors.push({
          condition: '206',
          text: `${label}: ${row.testCode} of sample ${accession} is ${row.status}; an amendment is made by hand`,
          location: { ...obx, field: 5 },
        });
        continue;
      }
      const units = obs.units ? [obs.units.code, obs.units.text].filter(Boolean) : [];
      if (row.resultType === 'numeric' && row.unit && units.length > 0) {
        if (!units.some((u) => normalUnit(u) === normalUnit(row.unit!))) {
          errors.push({
            condition: '102',
            text: `${label}: ${row.testCode} in ${units[0]}, reported here in ${row.unit}`,
            location: { ...obx, field: 6 },
          });
          continue;
        }
      }
      const value = entryValue(row, obs);
      if (typeof value === 'string') {
        errors.push({ condition: '102', text: `${label}: ${value}`, location: { ...obx, field: 5 } });
        continue;
      }
      const comment = obs.comments.join(' ').trim().slice(0, 500);
      entries.push({ testCode: row.testCode, ...value, ...(comment ? { comment } : {}) });
    }
    plans.push({ sample, entries, accession });
  }
  if (errors.length > 0) return { code: 'AE', errors };

  try {
    return await db.transaction(async (tx) => {
      const facilityId = plans[0]?.sample.facilityId;
      if (!facilityId) return { code: 'AA' as const };
      const [recorded] = await tx
        .insert(analyzerMessages)
        .values({
          facilityId,
          sendingApplication: sender,
          controlId: message.controlId,
          receivedAt: now,
          filed: plans.map((p) => ({
            requestId: p.sample.requestId,
            accession: p.accession,
            testCodes: p.entries.map((e) => e.testCode),
          })),
        })
        .onConflictDoNothing()
        .returning({ id: analyzerMessages.id });
      // The same message, sent again while the first was being filed.
      if (!recorded) return { code: 'AA' as const, text: 'Already filed (the message was sent again)' };
      for (const plan of plans) {
        if (plan.entries.length === 0) continue;
        const ctx: Ctx = {
          ...systemCtx(tx as Db, sender, plan.sample.facilityId),
          requestId: `hl7:${message.controlId}`,
          now,
        };
        const request = await lockRequest(ctx, tx, plan.sample.requestId);
        await writeResultEntries(ctx, tx, request, plan.entries, 'analyzer', {
          controlId: message.controlId,
          sender,
          accession: plan.accession,
        });
      }
      return { code: 'AA' as const };
    });
  } catch (err) {
    // Refused by the laboratory's rules after all (the request was cancelled meanwhile, a value out of
    // bounds): nothing was filed; the reason goes back to the analyzer.
    if (err instanceof DomainError && err.status < 500) {
      return { code: 'AE', errors: [{ condition: '207', text: err.message }] };
    }
    throw err;
  }
}
