import type { InsuranceDocument, InsuranceEvent, PolicyDocument } from '@newhms/contracts';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { actorId, type Ctx } from '../../platform/context';
import type { DbOrTx } from '../../platform/db/database';
import { BadRequest, RuleViolation } from '../../platform/http/errors';
import { decodeCursor } from '../../platform/http/pagination';
import { getFacility } from '../../platform/organization/organization.service';
import { localDate } from '../../platform/time/facility-time';
import { insuranceDocuments, insuranceEvents } from './billing.tables';

// What the insurance services share: the facility and its local date, the financial year, documents and the
// history rows of pre-authorizations and claims.

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const badCursor = () => new BadRequest('INVALID_CURSOR', 'The cursor is not valid for this list');

/** The keyset (created at, id) of a list's cursor, newest first. */
export function createdCursor(cursor: string | undefined): { at: Date; id: string } | undefined {
  const key = decodeCursor(cursor, 2);
  if (!key) return undefined;
  const [at, id] = key;
  const d = typeof at === 'string' ? new Date(at) : new Date(Number.NaN);
  if (Number.isNaN(d.getTime()) || typeof id !== 'string' || !UUID.test(id)) throw badCursor();
  return { at: d, id };
}

export function requireFacility(ctx: Ctx): string {
  if (!ctx.facilityId) throw new RuleViolation('FACILITY_REQUIRED', 'Choose a facility first');
  return ctx.facilityId;
}

/** The facility's time zone and today's date there. */
export async function facilityToday(
  db: DbOrTx,
  facilityId: string,
  now: Date,
): Promise<{ timeZone: string; today: string; facilityName: string }> {
  const f = await getFacility(db, facilityId);
  return { timeZone: f.timeZone, today: localDate(now, f.timeZone), facilityName: f.name };
}

/** India's financial year (April to March): one rule for every billing series. */
export { financialYearOf } from './invoice-calc';

/** A numbered document of a series: PA/2026-27/00001. */
export function documentNumber(prefix: string, financialYear: string, value: number): string {
  return `${prefix}/${financialYear}/${String(value).padStart(5, '0')}`;
}

/** Document metadata as stored (receivedAt defaults to now). */
export function storedDocuments(
  documents: readonly { name: string; documentId?: string | null; receivedAt?: string }[] | undefined,
  now: Date,
): PolicyDocument[] {
  return (documents ?? []).map((d) => ({
    name: d.name,
    documentId: d.documentId ?? null,
    receivedAt: d.receivedAt ? new Date(d.receivedAt).toISOString() : now.toISOString(),
  }));
}

export function documentsOf(value: unknown): PolicyDocument[] {
  if (!Array.isArray(value)) return [];
  return value.map((d: { name?: unknown; documentId?: unknown; receivedAt?: unknown }) => ({
    name: String(d.name ?? ''),
    documentId: typeof d.documentId === 'string' ? d.documentId : null,
    receivedAt: typeof d.receivedAt === 'string' ? d.receivedAt : new Date(0).toISOString(),
  }));
}

type EventRow = typeof insuranceEvents.$inferSelect;

export function toInsuranceEvent(r: EventRow): InsuranceEvent {
  return {
    id: r.id,
    kind: r.kind,
    status: r.status,
    amount: r.amount,
    note: r.note,
    recordedById: r.recordedById,
    recordedBy: r.recordedByName,
    recordedAt: r.recordedAt.toISOString(),
  };
}

/** Appends a history row of a pre-authorization or a claim. */
export async function recordInsuranceEvent(
  tx: DbOrTx,
  ctx: Ctx,
  facilityId: string,
  target: { preauthId: string } | { claimId: string },
  event: { kind: string; status: string; amount?: number | null; note?: string | null },
): Promise<void> {
  await tx.insert(insuranceEvents).values({
    facilityId,
    preauthId: 'preauthId' in target ? target.preauthId : null,
    claimId: 'claimId' in target ? target.claimId : null,
    kind: event.kind,
    status: event.status,
    amount: event.amount ?? null,
    note: event.note ?? null,
    recordedById: actorId(ctx.actor),
    recordedByName: ctx.actor.name,
    recordedAt: ctx.now,
  });
}

export async function historyOf(
  db: DbOrTx,
  target: { preauthId: string } | { claimId: string },
): Promise<InsuranceEvent[]> {
  const rows = await db
    .select()
    .from(insuranceEvents)
    .where(
      'preauthId' in target
        ? eq(insuranceEvents.preauthId, target.preauthId)
        : and(eq(insuranceEvents.claimId, target.claimId)),
    )
    .orderBy(asc(insuranceEvents.recordedAt), asc(insuranceEvents.id));
  return rows.map(toInsuranceEvent);
}

// ---------------------------------------------------------------------------------------------------------
// Uploaded files (metadata only here; the bytes are read one file at a time by insurance-documents.service)
// ---------------------------------------------------------------------------------------------------------

/** The columns of a stored file but its bytes. */
export const insuranceDocumentMeta = {
  id: insuranceDocuments.id,
  facilityId: insuranceDocuments.facilityId,
  patientId: insuranceDocuments.patientId,
  policyId: insuranceDocuments.policyId,
  preauthId: insuranceDocuments.preauthId,
  claimId: insuranceDocuments.claimId,
  name: insuranceDocuments.name,
  kind: insuranceDocuments.kind,
  contentType: insuranceDocuments.contentType,
  sizeBytes: insuranceDocuments.sizeBytes,
  sha256: insuranceDocuments.sha256,
  uploadedById: insuranceDocuments.uploadedById,
  uploadedByName: insuranceDocuments.uploadedByName,
  uploadedAt: insuranceDocuments.uploadedAt,
};
type DocumentMetaRow = Omit<typeof insuranceDocuments.$inferSelect, 'content'>;

export function toInsuranceDocument(r: DocumentMetaRow): InsuranceDocument {
  return {
    id: r.id,
    facilityId: r.facilityId,
    patientId: r.patientId,
    policyId: r.policyId,
    preauthId: r.preauthId,
    claimId: r.claimId,
    name: r.name,
    kind: r.kind as InsuranceDocument['kind'],
    contentType: r.contentType as InsuranceDocument['contentType'],
    sizeBytes: r.sizeBytes,
    sha256: r.sha256,
    uploadedById: r.uploadedById,
    uploadedBy: r.uploadedByName,
    uploadedAt: r.uploadedAt.toISOString(),
  };
}

/** The files uploaded to a policy, a pre-authorization or a claim, oldest first. */
export async function filesOf(
  db: DbOrTx,
  target: { policyId: string } | { preauthId: string } | { claimId: string },
): Promise<InsuranceDocument[]> {
  const where =
    'policyId' in target
      ? eq(insuranceDocuments.policyId, target.policyId)
      : 'preauthId' in target
        ? eq(insuranceDocuments.preauthId, target.preauthId)
        : eq(insuranceDocuments.claimId, target.claimId);
  const rows = await db
    .select(insuranceDocumentMeta)
    .from(insuranceDocuments)
    .where(where)
    .orderBy(asc(insuranceDocuments.uploadedAt), asc(insuranceDocuments.id));
  return rows.map(toInsuranceDocument);
}

/** The files of several policies (a page of them), by policy id. */
export async function filesOfPolicies(
  db: DbOrTx,
  policyIds: readonly string[],
): Promise<Map<string, InsuranceDocument[]>> {
  const byPolicy = new Map<string, InsuranceDocument[]>();
  if (policyIds.length === 0) return byPolicy;
  const rows = await db
    .select(insuranceDocumentMeta)
    .from(insuranceDocuments)
    .where(inArray(insuranceDocuments.policyId, [...policyIds]))
    .orderBy(asc(insuranceDocuments.uploadedAt), asc(insuranceDocuments.id));
  for (const r of rows) {
    const list = byPolicy.get(r.policyId!) ?? [];
    list.push(toInsuranceDocument(r));
    byPolicy.set(r.policyId!, list);
  }
  return byPolicy;
}
