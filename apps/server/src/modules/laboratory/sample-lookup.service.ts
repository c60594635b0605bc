import type { LabSampleLookup } from '@newhms/contracts';
import { and, eq } from 'drizzle-orm';
import { recordAudit } from '../../platform/audit/audit.service';
import type { Ctx } from '../../platform/context';
import { NotFound } from '../../platform/http/errors';
import { requireFacility } from '../../platform/organization/facility-context';
import { getPatientSummaries } from '../patients';
import { readRequestRecords, toSample } from './lab-records';
import { samples } from './laboratory.tables';

// Reception scans a tube and sees what it is before deciding: receive it, or reject it unreceived
// (haemolysed, clotted, insufficient, mislabelled: a mislabelled tube must never enter the lab's records as
// received). The lookup shows the patient's name and tests, so it is an audited read of patient data.

/** The tube with this accession in the context's facility, its request and patient (404 when none). */
export async function sampleByAccession(ctx: Ctx, accession: string): Promise<LabSampleLookup> {
  const facilityId = requireFacility(ctx);
  const [sample] = await ctx.db
    .select()
    .from(samples)
    .where(and(eq(samples.facilityId, facilityId), eq(samples.accession, accession)));
  if (!sample) throw new NotFound(`The sample ${accession}`, 'LAB_SAMPLE_NOT_FOUND');
  const [request] = await readRequestRecords(ctx.db, [sample.requestId]);
  const [patient] = await getPatientSummaries(ctx.db, [sample.patientId], ctx.now);
  await recordAudit(ctx.db, ctx, {
    action: 'read',
    resourceType: 'LabSample',
    resourceId: sample.id,
    patientId: sample.patientId,
    detail: { lookup: 'accession', accession, status: sample.status },
  });
  return {
    sample: toSample(sample),
    request: request!,
    patientId: sample.patientId,
    patientName: patient?.displayName ?? '',
    mrn: patient?.mrn ?? '',
    sex: patient?.sex ?? 'unknown',
    age: patient?.age ?? null,
  };
}
