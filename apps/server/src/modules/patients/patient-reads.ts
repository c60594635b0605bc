import type { PatientSummary } from '@newhms/contracts';
import { recordAudits } from '../../platform/audit/audit.service';
import type { Ctx } from '../../platform/context';
import type { DbOrTx } from '../../platform/db/database';
import { loadSummaries } from './patient-records';

/**
 * Summaries of the patients another module's screen shows (a worklist, a ward), by id. Every patient shown
 * is an audited read with the screen's purpose.
 */
export async function readPatientSummaries(
  db: DbOrTx,
  ctx: Ctx,
  patientIds: readonly string[],
  purpose: string,
): Promise<Map<string, PatientSummary>> {
  const ids = [...new Set(patientIds)];
  const summaries = await loadSummaries(db, ids, ctx.now);
  await recordAudits(
    db,
    ctx,
    ids.map((id) => ({
      action: 'read',
      resourceType: 'Patient',
      resourceId: id,
      patientId: id,
      detail: { purpose },
    })),
  );
  return new Map(summaries.map((s) => [s.id, s]));
}
