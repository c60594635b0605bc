import { and, asc, eq } from 'drizzle-orm';
import type { Ctx } from '../../../platform/context';
import type { DbOrTx } from '../../../platform/db/database';
import { auditFhirRead } from '../../../platform/fhir/fhir-audit';
import { FhirError } from '../../../platform/fhir/operation-outcome';
import { NotFound } from '../../../platform/http/errors';
import { getFacility } from '../../../platform/organization/organization.service';
import { claims, invoiceLines, payers, preauths } from '../billing.tables';
import { requireFacility } from '../insurance-records';
import { loadPolicy } from '../policies.service';
import { type FhirClaim, type FhirCoverage, type PayerRef, toFhirClaim, toFhirCoverage } from './claim-fhir';

// Loads a claim or a policy of the actor's facility and renders it as FHIR; each read is audited as the REST
// read of the same record is.

const notFound = (type: string, id: string) =>
  new FhirError(
    404,
    [{ severity: 'error', code: 'not-found', details: { text: `${type}/${id} is not known here` } }],
    'BILLING_FHIR_NOT_FOUND',
  );

const payerRef = (p: typeof payers.$inferSelect): PayerRef => ({
  id: p.id,
  code: p.code,
  name: p.name,
  kind: p.kind,
});

async function coverageOf(db: DbOrTx, facilityId: string, policyId: string): Promise<FhirCoverage> {
  const j = await loadPolicy(db, facilityId, policyId);
  const p = j.policy;
  return toFhirCoverage({
    id: p.id,
    version: p.version,
    updatedAt: p.updatedAt,
    patientId: p.patientId,
    policyNumber: p.policyNumber,
    memberId: p.memberId,
    relationToHolder: p.relationToHolder,
    validFrom: p.validFrom,
    validTo: p.validTo,
    status: p.status,
    copayBp: p.copayBp,
    payer: payerRef(j.payer),
    tpa: j.tpa ? payerRef(j.tpa) : null,
    plan: j.plan ? { code: j.plan.code, name: j.plan.name, copayBp: j.plan.copayBp } : null,
  });
}

export async function readCoverageResource(ctx: Ctx, id: string): Promise<FhirCoverage> {
  const facilityId = requireFacility(ctx);
  let coverage: FhirCoverage;
  try {
    coverage = await coverageOf(ctx.db, facilityId, id);
  } catch (err) {
    if (err instanceof NotFound) throw notFound('Coverage', id);
    throw err;
  }
  await auditFhirRead(ctx, 'InsurancePolicy', id, coverage.beneficiary.reference!.slice('Patient/'.length));
  return coverage;
}

async function claimOf(db: DbOrTx, facilityId: string, id: string): Promise<FhirClaim | null> {
  const [row] = await db
    .select({ claim: claims, payer: payers })
    .from(claims)
    .innerJoin(payers, eq(payers.id, claims.payerId))
    .where(and(eq(claims.id, id), eq(claims.facilityId, facilityId)));
  if (!row) return null;
  const c = row.claim;
  const [preauth] = c.preauthId
    ? await db
        .select({ number: preauths.number, diagnosis: preauths.diagnosis })
        .from(preauths)
        .where(eq(preauths.id, c.preauthId))
    : [];
  const lines = await db
    .select()
    .from(invoiceLines)
    .where(eq(invoiceLines.invoiceId, c.invoiceId))
    .orderBy(asc(invoiceLines.position));
  const facility = await getFacility(db, facilityId);
  return toFhirClaim({
    id: c.id,
    version: c.version,
    updatedAt: c.updatedAt,
    number: c.number,
    status: c.status,
    submittedAt: c.submittedAt,
    patientId: c.patientId,
    claimedAmount: c.claimedAmount,
    policyId: c.policyId,
    payer: payerRef(row.payer),
    facility: { id: facility.id, name: facility.name },
    preauthNumber: preauth?.number ?? null,
    diagnosis: preauth?.diagnosis ?? null,
    lines: lines.map((l) => ({
      serviceCode: l.serviceCode,
      description: l.description,
      serviceDate: l.serviceDate,
      quantity: l.quantity,
      unitPrice: l.unitPrice,
      payerShare: l.payerShare,
    })),
  });
}

export async function readClaimResource(ctx: Ctx, id: string): Promise<FhirClaim> {
  const facilityId = requireFacility(ctx);
  const claim = await claimOf(ctx.db, facilityId, id);
  if (!claim) throw notFound('Claim', id);
  await auditFhirRead(ctx, 'InsuranceClaim', id, claim.patient.reference!.slice('Patient/'.length));
  return claim;
}

/** A claim and its coverage, both audited, for the exchange bundle (REST: a missing claim is a 404 problem). */
export async function readClaimWithCoverage(
  ctx: Ctx,
  id: string,
): Promise<{ claim: FhirClaim; coverage: FhirCoverage }> {
  const facilityId = requireFacility(ctx);
  const claim = await claimOf(ctx.db, facilityId, id);
  if (!claim) throw new NotFound('The claim', 'BILLING_CLAIM_NOT_FOUND');
  const patientId = claim.patient.reference!.slice('Patient/'.length);
  await auditFhirRead(ctx, 'InsuranceClaim', id, patientId);
  const policyId = claim.insurance[0]!.coverage.reference!.slice('Coverage/'.length);
  const coverage = await coverageOf(ctx.db, facilityId, policyId);
  await auditFhirRead(ctx, 'InsurancePolicy', policyId, patientId);
  return { claim, coverage };
}
