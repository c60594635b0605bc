import { createHash } from 'node:crypto';
import {
  INSURANCE_DOCUMENT_MAX_BYTES,
  type InsuranceDocument,
  type InsuranceDocumentUploadBody,
} from '@newhms/contracts';
import { and, eq } from 'drizzle-orm';
import type { z } from 'zod';
import { recordAudit } from '../../platform/audit/audit.service';
import { actorId, type Ctx } from '../../platform/context';
import { NotFound, RuleViolation } from '../../platform/http/errors';
import { claims, insuranceDocuments, policies, preauths } from './billing.tables';
import { insuranceDocumentMeta, requireFacility, toInsuranceDocument } from './insurance-records';

// Files of policies, pre-authorizations and claims: the policy card, ID proof, prescriptions, reports, the
// discharge summary, bills. PDF, JPEG or PNG only, decided by the bytes (never by the name or the sender's
// word); at most 5 MB; kept with their SHA-256 and never deleted. Files are patient data: every upload and
// every read is audited with the patient.

export type DocumentTarget = 'policy' | 'preauth' | 'claim';
type ContentType = InsuranceDocument['contentType'];

const MAGIC: [ContentType, Buffer][] = [
  ['application/pdf', Buffer.from('%PDF-', 'latin1')],
  ['image/png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])],
  ['image/jpeg', Buffer.from([0xff, 0xd8, 0xff])],
];

/** What the bytes are (PDF, PNG, JPEG), or null for anything else. */
export function sniffContentType(data: Buffer): ContentType | null {
  for (const [type, magic] of MAGIC) {
    if (data.length > magic.length && data.subarray(0, magic.length).equals(magic)) return type;
  }
  return null;
}

/** The base64 decoded, refused when empty or larger than 5 MB. */
export function decodeUpload(base64: string): Buffer {
  // 4 base64 characters are 3 bytes: refuse before decoding what is plainly too large.
  if (Math.floor((base64.length * 3) / 4) - 2 > INSURANCE_DOCUMENT_MAX_BYTES) throw tooLarge();
  const data = Buffer.from(base64, 'base64');
  if (data.length > INSURANCE_DOCUMENT_MAX_BYTES) throw tooLarge();
  if (data.length === 0) {
    throw new RuleViolation('BILLING_DOCUMENT_EMPTY', 'The file is empty', [
      { path: 'body.data', message: 'empty' },
    ]);
  }
  return data;
}

function tooLarge() {
  return new RuleViolation('BILLING_DOCUMENT_TOO_LARGE', 'The file must be at most 5 MB', [
    { path: 'body.data', message: 'at most 5 MB' },
  ]);
}

async function targetOf(ctx: Ctx, facilityId: string, target: DocumentTarget, id: string) {
  const table = target === 'policy' ? policies : target === 'preauth' ? preauths : claims;
  const [row] = await ctx.db
    .select({ id: table.id, patientId: table.patientId })
    .from(table)
    .where(and(eq(table.id, id), eq(table.facilityId, facilityId)));
  if (!row) {
    const what = { policy: 'The policy', preauth: 'The pre-authorization', claim: 'The claim' }[target];
    throw new NotFound(what, `BILLING_${target.toUpperCase()}_NOT_FOUND`);
  }
  return row;
}

/** Stores a file for a policy, a pre-authorization or a claim (audited with the patient). */
export async function uploadDocument(
  ctx: Ctx,
  target: DocumentTarget,
  targetId: string,
  input: z.output<typeof InsuranceDocumentUploadBody>,
): Promise<InsuranceDocument> {
  const facilityId = requireFacility(ctx);
  const owner = await targetOf(ctx, facilityId, target, targetId);
  const data = decodeUpload(input.data);
  const contentType = sniffContentType(data);
  if (!contentType) {
    throw new RuleViolation(
      'BILLING_DOCUMENT_TYPE',
      'Only PDF, JPEG and PNG files are kept (the file is none of these)',
      [{ path: 'body.data', message: 'not a PDF, JPEG or PNG file' }],
    );
  }
  if (input.contentType && input.contentType !== contentType) {
    throw new RuleViolation(
      'BILLING_DOCUMENT_TYPE_MISMATCH',
      `The file is ${contentType}, not ${input.contentType}`,
      [{ path: 'body.contentType', message: `the bytes are ${contentType}` }],
    );
  }
  const sha256 = createHash('sha256').update(data).digest('hex');
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(insuranceDocuments)
      .values({
        facilityId,
        patientId: owner.patientId,
        policyId: target === 'policy' ? targetId : null,
        preauthId: target === 'preauth' ? targetId : null,
        claimId: target === 'claim' ? targetId : null,
        name: input.name,
        kind: input.kind,
        contentType,
        sizeBytes: data.length,
        sha256,
        content: data,
        uploadedById: actorId(ctx.actor),
        uploadedByName: ctx.actor.name,
        uploadedAt: ctx.now,
      })
      .returning(insuranceDocumentMeta);
    await recordAudit(tx, ctx, {
      action: 'create',
      resourceType: 'InsuranceDocument',
      resourceId: row!.id,
      patientId: owner.patientId,
      detail: { [`${target}Id`]: targetId, kind: input.kind, contentType, sizeBytes: data.length, sha256 },
    });
    return toInsuranceDocument(row!);
  });
}

async function loadMeta(ctx: Ctx, id: string) {
  const facilityId = requireFacility(ctx);
  const [row] = await ctx.db
    .select(insuranceDocumentMeta)
    .from(insuranceDocuments)
    .where(and(eq(insuranceDocuments.id, id), eq(insuranceDocuments.facilityId, facilityId)));
  if (!row) throw new NotFound('The document', 'BILLING_DOCUMENT_NOT_FOUND');
  return row;
}

/** A file's metadata (an audited read). */
export async function getDocument(ctx: Ctx, id: string): Promise<InsuranceDocument> {
  const row = await loadMeta(ctx, id);
  await recordAudit(ctx.db, ctx, {
    action: 'read',
    resourceType: 'InsuranceDocument',
    resourceId: id,
    patientId: row.patientId,
  });
  return toInsuranceDocument(row);
}

/** A file's bytes with its metadata (an audited read). */
export async function getDocumentContent(
  ctx: Ctx,
  id: string,
): Promise<{ document: InsuranceDocument; content: Buffer }> {
  const row = await loadMeta(ctx, id);
  const [bytes] = await ctx.db
    .select({ content: insuranceDocuments.content })
    .from(insuranceDocuments)
    .where(eq(insuranceDocuments.id, id));
  await recordAudit(ctx.db, ctx, {
    action: 'read',
    resourceType: 'InsuranceDocument',
    resourceId: id,
    patientId: row.patientId,
    detail: { content: true, sha256: row.sha256 },
  });
  return { document: toInsuranceDocument(row), content: bytes!.content };
}

const EXTENSIONS: Record<ContentType, string[]> = {
  'application/pdf': ['.pdf'],
  'image/png': ['.png'],
  'image/jpeg': ['.jpg', '.jpeg'],
};

/**
 * `inline; filename=...` (with the type's extension when the name lacks it), an ASCII fallback and the
 * UTF-8 name (RFC 6266 / 5987).
 */
export function inlineDisposition(name: string, contentType: ContentType): string {
  const extensions = EXTENSIONS[contentType];
  const file = extensions.some((e) => name.toLowerCase().endsWith(e)) ? name : `${name}${extensions[0]}`;
  const ascii = file.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `inline; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}
