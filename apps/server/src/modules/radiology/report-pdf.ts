import type { RadOrder, RadReport } from '@newhms/contracts';
import { eq } from 'drizzle-orm';
import { recordAudit } from '../../platform/audit/audit.service';
import type { Ctx } from '../../platform/context';
import { fonts, mm, pageSizes, renderPdf } from '../../platform/documents';
import { NotFound } from '../../platform/http/errors';
import { requireFacility } from '../../platform/organization/facility-context';
import { getFacility } from '../../platform/organization/organization.service';
import { orderRowOf } from './orders.service';
import { type RadiologyEnv, readOrderRecords } from './rad-records';
import { reports } from './radiology.tables';
import { readReport } from './reports.service';

// The printed radiology report (A4): the facility, the patient, the study (procedure, side, accession, DICOM
// Study Instance UID, when it was done, who asked and why), then the report's sections (technique, comparison,
// findings, impression), a critical finding and its communication, who signed and when, and every addendum
// with its reason. A draft prints as PRELIMINARY (not signed); an amended report says so in its title.

const LEFT = 14;
const WIDTH = 182;
const BOTTOM = pageSizes.A4.heightMm - 16;

type State = RadReport['status'];

function localDateTime(iso: string | null, timeZone: string): string {
  if (!iso) return '-';
  const parts: Record<string, string> = {};
  const f = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });
  for (const p of f.formatToParts(new Date(iso))) parts[p.type] = p.value;
  return `${parts.day}-${parts.month}-${parts.year} ${parts.hour}:${parts.minute}`;
}

const CATEGORY_TEXT = {
  immediate: 'immediate',
  urgent: 'urgent',
  'significant-unexpected': 'significant, unexpected',
} as const;

/** The report of an order as an A4 PDF: an audited read of the report with the patient. 404 without a report. */
export async function radiologyReportPdf(
  ctx: Ctx,
  env: RadiologyEnv,
  orderId: string,
): Promise<{ pdf: Buffer; order: RadOrder; report: RadReport }> {
  const facilityId = requireFacility(ctx);
  await orderRowOf(ctx.db, facilityId, orderId);
  const [own] = await ctx.db
    .select({ id: reports.id })
    .from(reports)
    .where(eq(reports.radiologyOrderId, orderId));
  if (!own) throw new NotFound('The report of this study', 'RAD_REPORT_NOT_FOUND');
  const report = (await readReport(ctx.db, own.id))!.report;
  const [order] = await readOrderRecords(ctx.db, [orderId], env, ctx.now);
  const facility = await getFacility(ctx.db, facilityId);
  const state: State = report.status;
  await recordAudit(ctx.db, ctx, {
    action: 'read',
    resourceType: 'RadiologyReport',
    resourceId: report.id,
    patientId: report.patientId,
    detail: { document: 'report', state },
  });
  const o = order!;
  const tz = facility.timeZone;
  const at = (iso: string | null) => localDateTime(iso, tz);
  const title = {
    final: 'RADIOLOGY REPORT',
    amended: 'RADIOLOGY REPORT - AMENDED',
    draft: 'RADIOLOGY REPORT - PRELIMINARY',
  }[state];

  const pdf = await renderPdf(
    { size: pageSizes.A4, title: `${title} ${o.accession}`, author: facility.name, createdAt: ctx.now },
    (doc) => {
      let y = 12;
      const continuation = () => {
        doc
          .font(fonts.regular)
          .fontSize(8)
          .fillColor('#555555')
          .text(
            `${facility.name} - ${o.patientName} (MRN ${o.mrn}) - ${o.procedureName} - ${o.accession}${state === 'draft' ? ' - PRELIMINARY' : ''} - continued`,
            mm(LEFT),
            mm(10),
            { width: mm(WIDTH) },
          )
          .fillColor('#000000');
        y = 16;
      };
      const ensure = (h: number) => {
        if (y + h > BOTTOM) {
          doc.addPage();
          continuation();
        }
      };
      const rule = () => {
        doc
          .moveTo(mm(LEFT), mm(y))
          .lineTo(mm(LEFT + WIDTH), mm(y))
          .lineWidth(0.5)
          .stroke();
        y += 1.5;
      };
      const paragraph = (text: string, font: string, size: number, indent = 0, color = '#000000') => {
        doc.font(font).fontSize(size);
        // Paragraph by paragraph, so that a long findings section breaks across pages between its lines.
        for (const line of text.split('\n')) {
          const h = doc.heightOfString(line || ' ', { width: mm(WIDTH - indent) }) / mm(1) + 0.6;
          ensure(h);
          doc
            .fillColor(color)
            .text(line || ' ', mm(LEFT + indent), mm(y), { width: mm(WIDTH - indent) })
            .fillColor('#000000');
          // A line longer than a page flows onto new pages by itself: continue below where it ended.
          y = Math.max(doc.y / mm(1), h > BOTTOM ? 0 : y + h - 0.6) + 0.6;
        }
      };
      const section = (heading: string, text: string) => {
        ensure(12);
        paragraph(heading.toUpperCase(), fonts.bold, 9.5);
        paragraph(text.trim() || '-', fonts.regular, 9.5, 2);
        y += 2;
      };

      doc
        .font(fonts.bold)
        .fontSize(14)
        .text(facility.name, mm(LEFT), mm(y), { width: mm(WIDTH) });
      y += 6;
      const address = [facility.addressLine, facility.city, facility.state, facility.postalCode]
        .filter(Boolean)
        .join(', ');
      const contact = [address, facility.phone ? `Phone ${facility.phone}` : '']
        .filter(Boolean)
        .join('  |  ');
      if (contact) paragraph(contact, fonts.regular, 8);
      y += 1;
      doc
        .font(fonts.bold)
        .fontSize(12)
        .fillColor(state === 'draft' ? '#b00020' : '#000000')
        .text(title, mm(LEFT), mm(y), { width: mm(WIDTH) })
        .fillColor('#000000');
      y += 6;
      rule();

      const meta: [string, string][] = [
        ['Patient', o.patientName],
        ['MRN', o.mrn],
        ['Sex / age', `${o.sex} / ${o.age ?? '-'}`],
        ['Accession', o.accession],
        ['Procedure', `${o.procedureName}${o.laterality ? ` (${o.laterality})` : ''}`],
        ['Modality', o.modality],
        ['Ordered by', o.orderedByName ?? '-'],
        ['Ordered', at(o.orderedAt)],
        ['Performed', at(o.completed?.at ?? o.started?.at ?? null)],
        ['Priority', o.priority.toUpperCase()],
      ];
      meta.forEach(([k, v], i) => {
        const x = i % 2 === 0 ? LEFT : LEFT + 92;
        doc
          .font(fonts.bold)
          .fontSize(9)
          .text(`${k}:`, mm(x), mm(y), { width: mm(24) });
        doc
          .font(fonts.regular)
          .fontSize(9)
          .text(v, mm(x + 24), mm(y), { width: mm(66) });
        if (i % 2 === 1 || i === meta.length - 1) y += 5;
      });
      paragraph(`Study Instance UID: ${o.studyInstanceUid ?? '-'}`, fonts.regular, 8.5);
      paragraph(`Clinical indication: ${o.clinicalIndication ?? '-'}`, fonts.regular, 9);
      y += 1;
      rule();
      y += 1;

      section('Technique', report.technique);
      section('Comparison', report.comparison);
      section('Findings', report.findings);
      section('Impression', report.impression);

      if (report.criticalFinding) {
        ensure(14);
        paragraph(
          `CRITICAL FINDING (${CATEGORY_TEXT[report.criticalFinding.category]}): ${report.criticalFinding.text}`,
          fonts.bold,
          9.5,
          0,
          '#b00020',
        );
        paragraph('Communicated to the ordering doctor, who is asked to read it back.', fonts.italic, 8, 0);
        y += 2;
      }

      ensure(16);
      rule();
      if (report.signedByName && report.signedAt) {
        paragraph(`Reported and signed by ${report.signedByName} on ${at(report.signedAt)}`, fonts.bold, 9.5);
      } else {
        paragraph(
          'PRELIMINARY REPORT: not signed by the radiologist yet. A final report follows.',
          fonts.bold,
          9.5,
          0,
          '#b00020',
        );
      }

      for (const a of report.addenda) {
        y += 2;
        ensure(16);
        paragraph(`ADDENDUM ${at(a.addedAt)} by ${a.addedByName}. Reason: ${a.reason}`, fonts.bold, 9);
        paragraph(a.text, fonts.regular, 9.5, 2);
      }

      y += 3;
      paragraph(
        `Times in ${tz}. Printed ${at(ctx.now.toISOString())}. Computer-generated report; the images are in the PACS under the accession number.`,
        fonts.regular,
        7,
        0,
        '#555555',
      );
    },
  );
  return { pdf, order: o, report };
}
