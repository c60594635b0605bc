import type { CultureResult, LabRequest, LabResult } from '@newhms/contracts';
import { eq, inArray } from 'drizzle-orm';
import { recordAudit } from '../../platform/audit/audit.service';
import { getUser } from '../../platform/auth/users.service';
import type { Ctx } from '../../platform/context';
import { fonts, mm, pageSizes, renderPdf } from '../../platform/documents';
import { NotFound } from '../../platform/http/errors';
import { requireFacility } from '../../platform/organization/facility-context';
import { getFacility } from '../../platform/organization/organization.service';
import { getEncounter } from '../encounters';
import { getPatientSummaries } from '../patients';
import { formatRange } from './catalog/interpret';
import {
  cultureSummary,
  drawFacts,
  drawLetterhead,
  drawRule,
  drawRunningHead,
  localDateTime,
  numberText,
  printable,
  SECTION_ORDER,
  SECTION_TITLES,
  valueText,
} from './lab-pdf';
import { readRequestRecords } from './lab-records';
import { requests, tests } from './laboratory.tables';

// The printed laboratory report (A4): the facility, the patient, who ordered it, the accession numbers with
// collection and receipt, then the results by section with the flag beside the value (critical values in
// bold), the range each result was judged against, delta-check and amendment notes, cultures with their
// susceptibility table, and the validators at the foot. Only validated results are final: a report with a
// result entered but not validated, or still pending, is PRELIMINARY and says which ones (ISO 15189 7.4.1.6:
// a report issued before all results are final is identified as such); an amended result says AMENDED with
// the reason and what was reported before.

const LEFT = 12;
const WIDTH = 186;
const BOTTOM = pageSizes.A4.heightMm - 16;

const INTERPRETATIONS = { S: 'Sensitive', I: 'Intermediate', R: 'Resistant' } as const;

const COLUMNS = [
  { title: 'Test', width: 58, align: 'left' as const },
  { title: 'Result', width: 26, align: 'right' as const },
  { title: 'Flag', width: 11, align: 'left' as const },
  { title: 'Unit', width: 22, align: 'left' as const },
  { title: 'Reference range', width: 41, align: 'left' as const },
  { title: 'Status', width: 28, align: 'left' as const },
];

type LabReportState = 'final' | 'amended' | 'preliminary';

const RELEASED = new Set<LabResult['status']>(['validated', 'amended']);

/** Final when every result (not cancelled) is validated; amended when one of them was amended since. */
function reportStateOf(results: readonly LabResult[]): LabReportState {
  const live = results.filter((r) => r.status !== 'cancelled');
  if (live.some((r) => !RELEASED.has(r.status))) return 'preliminary';
  return live.some((r) => r.status === 'amended') ? 'amended' : 'final';
}

/**
 * The report of a request as an A4 PDF: an audited read of the request with the patient. 404 for another
 * facility's request.
 */
export async function labReportPdf(
  ctx: Ctx,
  requestId: string,
): Promise<{ pdf: Buffer; request: LabRequest; state: LabReportState }> {
  const facilityId = requireFacility(ctx);
  const [request] = await readRequestRecords(ctx.db, [requestId]);
  if (!request || request.facilityId !== facilityId)
    throw new NotFound('The laboratory request', 'LAB_REQUEST_NOT_FOUND');
  const [patient] = await getPatientSummaries(ctx.db, [request.patientId], ctx.now);
  const facility = await getFacility(ctx.db, facilityId);
  const encounter = request.encounterId
    ? await getEncounter(ctx.db, request.encounterId).catch(() => null)
    : null;
  // An encounter order keeps who placed it by id only: the report names the ordering doctor.
  const [own] = await ctx.db
    .select({ requestedById: requests.requestedById })
    .from(requests)
    .where(eq(requests.id, request.id));
  const orderedBy =
    request.requestedByName ??
    (own?.requestedById ? await getUser(ctx, own.requestedById).catch(() => null) : null)?.displayName ??
    encounter?.practitionerName ??
    null;
  const codes = [...new Set(request.results.map((r) => r.testCode))];
  const decimalRows =
    codes.length === 0
      ? []
      : await ctx.db
          .select({ code: tests.code, decimals: tests.decimals })
          .from(tests)
          .where(inArray(tests.code, codes));
  const decimalsOf = new Map(decimalRows.map((d) => [d.code, d.decimals]));
  const state = reportStateOf(request.results);
  await recordAudit(ctx.db, ctx, {
    action: 'read',
    resourceType: 'LabRequest',
    resourceId: request.id,
    patientId: request.patientId,
    detail: { document: 'report', state },
  });
  const tz = facility.timeZone;
  const at = (iso: string | null) => localDateTime(iso, tz);
  const title = {
    final: 'LABORATORY REPORT',
    amended: 'LABORATORY REPORT - AMENDED',
    preliminary: 'LABORATORY REPORT - PRELIMINARY',
  }[state];

  const pdf = await renderPdf(
    {
      size: pageSizes.A4,
      title: `${title} ${request.display}`,
      author: facility.name,
      createdAt: ctx.now,
    },
    (doc) => {
      let y = 12;
      const continuation = () => {
        drawRunningHead(
          doc,
          `${facility.name} - ${patient?.displayName ?? ''} (MRN ${patient?.mrn ?? '-'}) - ${request.display} - ${state === 'preliminary' ? 'PRELIMINARY, ' : ''}continued`,
          LEFT,
          WIDTH,
        );
        y = 16;
      };
      const ensure = (h: number) => {
        if (y + h > BOTTOM) {
          doc.addPage();
          continuation();
        }
      };
      const rule = () => {
        drawRule(doc, LEFT, WIDTH, y);
        y += 1.2;
      };
      const paragraph = (text: string, font: string, size: number, indent = 0, color = '#000000') => {
        doc.font(font).fontSize(size);
        const h = doc.heightOfString(text, { width: mm(WIDTH - indent) }) / mm(1) + 0.8;
        ensure(h);
        doc
          .fillColor(color)
          .text(text, mm(LEFT + indent), mm(y), { width: mm(WIDTH - indent) })
          .fillColor('#000000');
        y += h;
      };
      const cells = (values: string[], fontsOf: string[], size = 8.5) => {
        const heights = values.map((v, i) => {
          doc.font(fontsOf[i]!).fontSize(size);
          return doc.heightOfString(v || ' ', { width: mm(COLUMNS[i]!.width - 1.5) });
        });
        const h = Math.max(...heights) / mm(1) + 1.2;
        ensure(h);
        let x = LEFT;
        values.forEach((v, i) => {
          doc
            .font(fontsOf[i]!)
            .fontSize(size)
            .text(v, mm(x), mm(y), { width: mm(COLUMNS[i]!.width - 1.5), align: COLUMNS[i]!.align });
          x += COLUMNS[i]!.width;
        });
        y += h;
      };
      const columnHeads = () => {
        ensure(10);
        cells(
          COLUMNS.map((c) => c.title),
          COLUMNS.map(() => fonts.bold),
        );
        rule();
      };

      // The facility and the report's state.
      y = drawLetterhead(doc, {
        facility,
        title,
        alert: state === 'preliminary',
        left: LEFT,
        width: WIDTH,
        top: y,
      });

      // Who, and who asked.
      const ordering = orderedBy ?? '-';
      const visit = encounter
        ? `${encounter.class} visit of ${at(encounter.startedAt).slice(0, 10)}`
        : request.setting === 'walk-in'
          ? 'Walk-in'
          : '-';
      const meta: [string, string][] = [
        ['Patient', patient?.displayName ?? '-'],
        ['MRN', patient?.mrn ?? '-'],
        ['Sex / age', `${patient?.sex ?? '-'} / ${patient?.age ?? '-'}`],
        ['Requested', at(request.requestedAt)],
        ['Ordered by', ordering],
        ['Encounter', visit],
        ['Request', `${request.display} (${request.code})`],
        ['Priority', request.priority.toUpperCase()],
      ];
      y = drawFacts(doc, meta, { left: LEFT, top: y, columns: 2, columnWidth: 95 }) + 1;

      // The samples.
      paragraph('Samples', fonts.bold, 9);
      for (const s of request.samples) {
        const rejected =
          s.status === 'rejected'
            ? `  REJECTED (${s.rejectionReason}${s.rejectionNote ? `: ${s.rejectionNote}` : ''})`
            : '';
        paragraph(
          `Accession ${s.accession}   ${s.specimen}, ${s.container}   collected ${at(s.collectedAt)}   received ${at(s.receivedAt)}${rejected}`,
          fonts.regular,
          8.5,
          2,
        );
      }
      y += 2;

      // The results by section.
      columnHeads();
      const sections = SECTION_ORDER.filter((s) => request.results.some((r) => r.section === s));
      for (const section of sections) {
        ensure(12);
        paragraph(SECTION_TITLES[section].toUpperCase(), fonts.bold, 9.5);
        for (const r of request.results.filter((x) => x.section === section)) {
          printResult(r);
        }
        y += 1.5;
      }

      function printResult(r: LabResult) {
        const decimals = decimalsOf.get(r.testCode);
        const released = RELEASED.has(r.status);
        const status =
          r.status === 'amended'
            ? 'AMENDED'
            : r.status === 'validated'
              ? 'Final'
              : r.status === 'entered'
                ? 'PRELIMINARY (not validated)'
                : r.status === 'cancelled'
                  ? 'Cancelled'
                  : 'Pending';
        const shown = released || r.status === 'entered';
        const flag = r.flag && r.flag !== 'N' ? r.flag : '';
        const strong = r.critical ? fonts.bold : fonts.regular;
        const range = r.referenceRange ? printable(formatRange(r.referenceRange, null, decimals)) : '';
        if (r.resultType === 'culture') {
          cells(
            [r.testName, '', '', '', '', status],
            [fonts.regular, strong, strong, fonts.regular, fonts.regular, fonts.bold],
          );
          if (shown && r.culture) printCulture(r.culture);
        } else if (r.resultType === 'numeric' || !shown) {
          cells(
            [r.testName, shown ? valueText(r, decimals) : '', shown ? flag : '', r.unit ?? '', range, status],
            [
              fonts.regular,
              strong,
              strong,
              fonts.regular,
              fonts.regular,
              released ? fonts.regular : fonts.bold,
            ],
          );
        } else {
          cells(
            [r.testName, '', '', '', '', status],
            [
              fonts.regular,
              fonts.regular,
              fonts.regular,
              fonts.regular,
              fonts.regular,
              released ? fonts.regular : fonts.bold,
            ],
          );
          paragraph(r.text ?? '', fonts.regular, 8.5, 6);
        }
        if (shown && r.critical) {
          paragraph('Critical value: telephoned to the ordering doctor.', fonts.bold, 7.5, 6);
        }
        if (shown && r.delta?.flagged) {
          const sign = r.delta.change > 0 ? '+' : '';
          paragraph(
            `Delta check: ${sign}${numberText(r.delta.change, decimals)} ${r.unit ?? ''} since ${numberText(r.delta.previousValue, decimals)} on ${at(r.delta.previousAt)}.`,
            fonts.italic,
            7.5,
            6,
          );
        }
        if (shown && r.comment) paragraph(`Comment: ${r.comment}`, fonts.italic, 7.5, 6);
        if (r.status === 'amended') {
          for (const v of r.revisions) {
            const before = valueText(
              { value: v.previousValue, text: v.previousText, culture: v.previousCulture },
              decimals,
            );
            const beforeFlag = v.previousFlag && v.previousFlag !== 'N' ? ` ${v.previousFlag}` : '';
            paragraph(
              `AMENDED ${at(v.amendedAt)} by ${v.amendedByName}. Reason: ${v.reason}. Previously reported: ${before}${beforeFlag}${r.unit && v.previousValue !== null ? ` ${r.unit}` : ''}.`,
              fonts.bold,
              7.5,
              6,
            );
          }
        }
      }

      function printCulture(c: CultureResult) {
        paragraph(
          c.organism
            ? `Organism isolated: ${c.organism}${c.growth ? ` (${c.growth})` : ''}`
            : cultureSummary(c),
          fonts.bold,
          8.5,
          6,
        );
        if (c.antibiotics.length === 0) return;
        const cols = [70, 25, 40];
        const row = (values: string[], font: string) => {
          ensure(4.5);
          let x = LEFT + 6;
          values.forEach((v, i) => {
            doc
              .font(font)
              .fontSize(8)
              .text(v, mm(x), mm(y), { width: mm(cols[i]! - 1.5) });
            x += cols[i]!;
          });
          y += 4.2;
        };
        row(['Antibiotic', 'MIC', 'Interpretation'], fonts.bold);
        for (const a of c.antibiotics) {
          row(
            [a.antibiotic, a.mic ?? '', `${a.interpretation} (${INTERPRETATIONS[a.interpretation]})`],
            fonts.regular,
          );
        }
      }

      // The foot: who validated, and what is not final yet.
      y += 2;
      ensure(20);
      rule();
      const validators = new Map<string, string>();
      for (const r of request.results) {
        if (!RELEASED.has(r.status) || !r.validatedByName || !r.validatedAt) continue;
        const last = validators.get(r.validatedByName);
        if (!last || last < r.validatedAt) validators.set(r.validatedByName, r.validatedAt);
      }
      for (const [name, when] of validators) paragraph(`Validated by ${name} on ${at(when)}`, fonts.bold, 9);
      const notFinal = request.results.filter((r) => r.status === 'entered' || r.status === 'pending');
      if (notFinal.length > 0) {
        paragraph(
          `PRELIMINARY REPORT: not validated yet: ${notFinal.map((r) => `${r.testName} (${r.status === 'entered' ? 'entered' : 'pending'})`).join(', ')}. A final report follows.`,
          fonts.bold,
          8.5,
          0,
          '#b00020',
        );
      }
      paragraph(
        `Flags: L / H below / above the reference range; LL / HH critical (in bold). Ranges are those each result was judged against, for the patient's sex and age at collection. Times in ${tz}. Printed ${at(ctx.now.toISOString())}. Computer-generated report.`,
        fonts.regular,
        7,
        0,
        '#555555',
      );
    },
  );
  return { pdf, request, state };
}
