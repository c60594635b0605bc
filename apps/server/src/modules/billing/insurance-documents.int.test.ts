import { createHash } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness';
import { auditEntries } from '../../platform/audit/audit.tables';
import { pageSizes, renderPdf } from '../../platform/documents/pdf';
import { insuranceDocuments } from './billing.tables';
import { createInsuranceWorld, type InsuranceWorld } from './insurance-test-support';

let t: TestApp;
let w: InsuranceWorld;
let episode: Awaited<ReturnType<InsuranceWorld['insuredEpisode']>>;
let preauthId: string;
let claimId: string;
let pdf: Buffer;

/** A 1x1 PNG. */
const png = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

type Doc = {
  id: string;
  patientId: string;
  policyId: string | null;
  preauthId: string | null;
  claimId: string | null;
  name: string;
  kind: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  uploadedBy: string;
};

beforeAll(async () => {
  t = await createTestApp();
  w = await createInsuranceWorld(t);
  episode = await w.insuredEpisode();
  const pa = await w.ok<{ id: string }>('POST', '/api/v1/billing/preauths', w.insuranceDesk.headers, {
    accountId: episode.account.id,
    diagnosis: 'Acute appendicitis',
    plannedTreatment: 'Laparoscopic appendicectomy',
    estimate: 9_000_000,
    requestedAmount: 8_000_000,
  });
  preauthId = pa.id;
  const invoice = await w.finalInvoice(episode.account, { payerId: episode.payer.id });
  const claim = await w.ok<{ id: string }>('POST', '/api/v1/billing/claims', w.insuranceDesk.headers, {
    invoiceId: invoice.id,
  });
  claimId = claim.id;
  pdf = await renderPdf({ size: pageSizes.A4, title: 'Investigation report' }, (doc) => {
    doc.text('USG abdomen: inflamed appendix', 40, 40);
  });
}, 120_000);
afterAll(() => t.close());

function upload(
  target: string,
  id: string,
  body: Record<string, unknown>,
  headers = w.insuranceDesk.headers,
) {
  return w.call('POST', `/api/v1/billing/${target}/${id}/files`, headers, body);
}

async function storedCount() {
  const [row] = await t.database.db
    .select({ n: sql<number>`count(*)::int` })
    .from(insuranceDocuments)
    .where(eq(insuranceDocuments.patientId, episode.patient.id));
  return Number(row!.n);
}

describe('insurance documents (files of policies, pre-authorizations and claims)', () => {
  it('stores a PDF on a pre-authorization and gives back the same bytes, inline, audited', async () => {
    const res = await upload('preauths', preauthId, {
      name: 'USG abdomen report',
      kind: 'investigation-report',
      data: pdf.toString('base64'),
    });
    expect(res.statusCode, res.body).toBe(201);
    const doc = res.json() as Doc;
    expect(doc).toMatchObject({
      patientId: episode.patient.id,
      preauthId,
      policyId: null,
      claimId: null,
      kind: 'investigation-report',
      contentType: 'application/pdf',
      sizeBytes: pdf.length,
      sha256: sha256(pdf),
      uploadedBy: 'Meera (TPA desk)',
    });

    const content = await w.call(
      'GET',
      `/api/v1/billing/insurance-documents/${doc.id}/content`,
      w.insuranceDesk.headers,
    );
    expect(content.statusCode).toBe(200);
    expect(content.headers['content-type']).toBe('application/pdf');
    expect(content.headers['content-disposition']).toContain('inline; filename="USG abdomen report.pdf"');
    expect(sha256(content.rawPayload)).toBe(sha256(pdf));

    const meta = await w.ok<Doc>('GET', `/api/v1/billing/insurance-documents/${doc.id}`, w.admin.headers);
    expect(meta).toEqual(doc);

    const detail = await w.ok<{ files: Doc[]; documents: unknown[] }>(
      'GET',
      `/api/v1/billing/preauths/${preauthId}`,
      w.insuranceDesk.headers,
    );
    expect(detail.files).toEqual([doc]);
    expect(Array.isArray(detail.documents)).toBe(true);

    const audits = await t.database.db
      .select()
      .from(auditEntries)
      .where(and(eq(auditEntries.resourceType, 'InsuranceDocument'), eq(auditEntries.resourceId, doc.id)));
    expect(audits.map((a) => a.action).sort()).toEqual(['create', 'read', 'read']);
    expect(audits.every((a) => a.patientId === episode.patient.id)).toBe(true);
  });

  it('stores a PNG on a policy (listed with the policy and in the list) and a PDF on a claim', async () => {
    const res = await upload('policies', episode.policy.id, {
      name: 'Policy card front.png',
      kind: 'policy-card',
      contentType: 'image/png',
      data: png.toString('base64'),
    });
    expect(res.statusCode, res.body).toBe(201);
    const doc = res.json() as Doc;
    expect(doc).toMatchObject({ policyId: episode.policy.id, contentType: 'image/png', sha256: sha256(png) });

    const content = await w.call(
      'GET',
      `/api/v1/billing/insurance-documents/${doc.id}/content`,
      w.insuranceDesk.headers,
    );
    expect(content.headers['content-type']).toBe('image/png');
    expect(content.rawPayload.equals(png)).toBe(true);

    const policy = await w.ok<{ files: Doc[]; documents: unknown[] }>(
      'GET',
      `/api/v1/billing/policies/${episode.policy.id}`,
      w.insuranceDesk.headers,
    );
    expect(policy.files.map((f) => f.id)).toEqual([doc.id]);
    const list = await w.ok<{ items: { id: string; files: Doc[] }[] }>(
      'GET',
      `/api/v1/billing/policies?patientId=${episode.patient.id}`,
      w.insuranceDesk.headers,
    );
    expect(list.items.find((p) => p.id === episode.policy.id)?.files.map((f) => f.id)).toEqual([doc.id]);
    // The metadata list keeps working beside the files.
    const withMeta = await w.ok<{ documents: { name: string }[]; files: Doc[] }>(
      'POST',
      `/api/v1/billing/policies/${episode.policy.id}/documents`,
      w.insuranceDesk.headers,
      { name: 'Aadhaar (seen)' },
    );
    expect(withMeta.documents.map((d) => d.name)).toContain('Aadhaar (seen)');
    expect(withMeta.files).toHaveLength(1);

    const claimDoc = await upload('claims', claimId, {
      name: 'Discharge summary',
      kind: 'discharge-summary',
      data: pdf.toString('base64'),
    });
    expect(claimDoc.statusCode, claimDoc.body).toBe(201);
    const claim = await w.ok<{ files: Doc[] }>(
      'GET',
      `/api/v1/billing/claims/${claimId}`,
      w.insuranceDesk.headers,
    );
    expect(claim.files.map((f) => f.kind)).toEqual(['discharge-summary']);
  });

  it('refuses text, a type that does not match the bytes, and bad base64, storing nothing', async () => {
    const before = await storedCount();
    const text = await upload('preauths', preauthId, {
      name: 'notes.pdf',
      kind: 'other',
      data: Buffer.from('Just some text, not a PDF at all').toString('base64'),
    });
    expect(text.statusCode).toBe(422);
    expect(text.headers['content-type']).toContain('application/problem+json');
    expect(text.json().code).toBe('BILLING_DOCUMENT_TYPE');

    const mismatch = await upload('preauths', preauthId, {
      name: 'card.pdf',
      kind: 'policy-card',
      contentType: 'application/pdf',
      data: png.toString('base64'),
    });
    expect(mismatch.statusCode).toBe(422);
    expect(mismatch.headers['content-type']).toContain('application/problem+json');
    expect(mismatch.json().code).toBe('BILLING_DOCUMENT_TYPE_MISMATCH');

    const notBase64 = await upload('preauths', preauthId, {
      name: 'x',
      kind: 'other',
      data: '%%%not base64',
    });
    expect(notBase64.statusCode).toBe(400);
    const badKind = await upload('preauths', preauthId, {
      name: 'x',
      kind: 'selfie',
      data: png.toString('base64'),
    });
    expect(badKind.statusCode).toBe(400);
    const missing = await upload('preauths', crypto.randomUUID(), {
      name: 'x',
      kind: 'other',
      data: png.toString('base64'),
    });
    expect(missing.statusCode).toBe(404);
    expect(await storedCount()).toBe(before);
  });

  it('refuses a file over 5 MB (422) and a body over the limit (413)', async () => {
    const before = await storedCount();
    const big = Buffer.alloc(5 * 1024 * 1024 + 1, 0x20);
    pdf.copy(big);
    const tooBig = await upload('preauths', preauthId, {
      name: 'huge.pdf',
      kind: 'bill',
      data: big.toString('base64'),
    });
    expect(tooBig.statusCode).toBe(422);
    expect(tooBig.json().code).toBe('BILLING_DOCUMENT_TOO_LARGE');
    const huge = await upload('preauths', preauthId, {
      name: 'huger.pdf',
      kind: 'bill',
      data: Buffer.alloc(6 * 1024 * 1024, 0x20).toString('base64'),
    });
    expect(huge.statusCode).toBe(413);
    expect(huge.headers['content-type']).toContain('application/problem+json');
    expect(await storedCount()).toBe(before);

    // Just under the limit is fine (about 6.7 MB of base64: over the app's default 2 MB body limit).
    const nearly = Buffer.alloc(5 * 1024 * 1024, 0x20);
    pdf.copy(nearly);
    const ok = await upload('preauths', preauthId, {
      name: 'scan.pdf',
      kind: 'bill',
      data: nearly.toString('base64'),
    });
    expect(ok.statusCode, ok.body).toBe(201);
    expect((ok.json() as Doc).sizeBytes).toBe(nearly.length);
  });

  it('is for the insurance desk: 403 for a nurse, upload and read', async () => {
    const res = await upload(
      'preauths',
      preauthId,
      { name: 'x', kind: 'other', data: png.toString('base64') },
      w.nurse.headers,
    );
    expect(res.statusCode).toBe(403);
    const [any] = await t.database.db
      .select({ id: insuranceDocuments.id })
      .from(insuranceDocuments)
      .where(eq(insuranceDocuments.preauthId, preauthId));
    for (const url of [
      `/api/v1/billing/insurance-documents/${any!.id}`,
      `/api/v1/billing/insurance-documents/${any!.id}/content`,
    ]) {
      const read = await w.call('GET', url, w.nurse.headers);
      expect(read.statusCode).toBe(403);
      expect(read.headers['content-type']).toContain('application/problem+json');
    }
    const unknown = await w.call(
      'GET',
      `/api/v1/billing/insurance-documents/${crypto.randomUUID()}/content`,
      w.insuranceDesk.headers,
    );
    expect(unknown.statusCode).toBe(404);
  });

  it('is never deleted, and keeps exactly one target', async () => {
    const [row] = await t.database.db
      .select({ id: insuranceDocuments.id })
      .from(insuranceDocuments)
      .where(eq(insuranceDocuments.preauthId, preauthId))
      .limit(1);
    await expect(
      t.database.query('delete from billing.insurance_documents where id = $1', [row!.id]),
    ).rejects.toThrow();
    await expect(
      t.database.query('update billing.insurance_documents set claim_id = $2 where id = $1', [
        row!.id,
        claimId,
      ]),
    ).rejects.toThrow();
    expect(await storedCount()).toBeGreaterThan(0);
  });
});
