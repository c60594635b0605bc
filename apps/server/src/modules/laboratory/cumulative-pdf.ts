import type { CultureResult, CumulativePdfQuery, LabResult } from '@newhms/contracts';
import { and, asc, desc, eq, gte, inArray, isNotNull, lt } from 'drizzle-orm';
import type { z } from 'zod';
import { recordAudit } from '../../platform/audit/audit.service';
import type { Ctx } from '../../platform/context';
import { fitText, fonts, mm, type PdfDocument, renderPdf } from '../../platform/documents';
import { NotFound } from '../../platform/http/errors';
import { requireFacility } from '../../platform/organization/facility-context';
import { getFacility } from '../../platform/organization/organization.service';
import { addDays, zonedInstant } from '../../platform/time/facility-time';
import { getPatientSummaries } from '../patients';
import { formatRange } from './catalog/interpret';
import {
  drawFacts,
  drawLetterhead,
  drawRule,
  drawRunningHead,
  localDateTime,
  printable,
  SECTION_ORDER,
  SECTION_TITLES,
  valueText,
} from './lab-pdf';
import { results, samples, tests } from './laboratory.tables';

// The cumulative report (A4 landscape): a patient's released results over a period, one row per test grouped
// by section, one column per collection time (latest first), the flag beside each value (critical in bold,
// an amended value marked *), the unit and the reference range of the latest value. When there are more
// collection times than fit across a page, the next ones continue on the following pages, every page with
// its heads. At most MAX_RESULTS results are read (the latest); the report says when it stops there.

const PAGE = { widthMm: 297, heightMm: 210 } as const;
const LEFT = 10;
const WIDTH = PAGE.widthMm - 2 * LEFT;
const BOTTOM = PAGE.heightMm - 14;
const TEST_W = 60;
const UNIT_W = 18;
const RANGE_W = 31;
const VALUE_W = 21;
/** Collection times across one page. */
export const COLUMNS_PER_PAGE = Math.floor((WIDTH - TEST_W - UNIT_W - RANGE_W) / VALUE_W);
const ROW_H = 5;
export const MAX_RESULTS = 2000;

const RELEASED = ['validated', 'amended'];

type Cell = { text: string; flag: string | null; critical: boolean; amended: boolean };
type TestRow = {
  code: string;
  name: string;
  section: LabResult['section'];
  unit: string | null;
  range: string;
  /** Its first position in a request: the order of the catalog's panels. */
  position: number;
  cells: Map<number, Cell[]>;
};

function cellText(cells: readonly Cell[]): string {
  return cells
    .map((c) => `${c.text}${c.flag && c.flag !== 'N' ? ` ${c.flag}` : ''}${c.amended ? ' *' : ''}`)
    .join(' / ');
}

/**
 * The cumulative report of a patient as a PDF: released results of the context's facility whose sample was
 * collected in the period (facility calendar), optionally of one section. An audited read of the patient's
 * results. 404 for an unknown patient.
 */
export async function cumulativeReportPdf(
  ctx: Ctx,
  patientId: string,
  query: z.output<typeof CumulativePdfQuery>,
): Promise<{ pdf: Buffer; mrn: string; results: number; columns: number }> {
  const facilityId = requireFacility(ctx);
  const [patient] = await getPatientSummaries(ctx.db, [patientId], ctx.now);
  if (!patient) throw new NotFound('The patient', 'LAB_PATIENT_NOT_FOUND');
  const facility = await getFacility(ctx.db, facilityId);
  const tz = facility.timeZone;
  const rows = await ctx.db
    .select({ result: results, collectedAt: samples.collectedAt, decimals: tests.decimals })
    .from(results)
    .innerJoin(samples, eq(samples.id, results.sampleId))
    .innerJoin(tests, eq(tests.code, results.testCode))
    .where(
      and(
        eq(results.patientId, patientId),
        eq(results.facilityId, facilityId),
        inArray(results.status, RELEASED),
        isNotNull(samples.collectedAt),
        query.from ? gte(samples.collectedAt, zonedInstant(query.from, '00:00', tz)) : undefined,
        query.to ? lt(samples.collectedAt, zonedInstant(addDays(query.to, 1), '00:00', tz)) : undefined,
        query.section ? eq(results.section, query.section) : undefined,
      ),
    )
    .orderBy(desc(samples.collectedAt), asc(results.position), asc(results.id))
    .limit(MAX_RESULTS + 1);
  const truncated = rows.length > MAX_RESULTS;
  const shown = rows.slice(0, MAX_RESULTS);
  await recordAudit(ctx.db, ctx, {
    action: 'read',
    resourceType: 'LabResult',
    patientId,
    detail: {
      document: 'cumulative',
      from: query.from ?? null,
      to: query.to ?? null,
      section: query.section ?? null,
      count: shown.length,
    },
  });

  // Columns: the collection times, latest first. Rows: the tests, each with its latest range.
  const times = [...new Set(shown.map((r) => r.collectedAt!.getTime()))].sort((a, b) => b - a);
  const column = new Map(times.map((t, i) => [t, i]));
  const byTest = new Map<string, TestRow>();
  for (const { result: r, collectedAt, decimals } of shown) {
    let row = byTest.get(r.testCode);
    if (!row) {
      // The first seen is the latest: its unit and range head the row.
      const range = r.referenceRange as LabResult['referenceRange'];
      row = {
        code: r.testCode,
        name: r.testName,
        section: r.section as LabResult['section'],
        unit: r.unit,
        range: range ? printable(formatRange(range, null, decimals)) : '',
        position: r.position,
        cells: new Map(),
      };
      byTest.set(r.testCode, row);
    }
    row.position = Math.min(row.position, r.position);
    const i = column.get(collectedAt!.getTime())!;
    const value = valueText(
      { value: r.numericValue, text: r.textValue, culture: r.culture as CultureResult | null },
      decimals,
    );
    row.cells.set(i, [
      ...(row.cells.get(i) ?? []),
      { text: value, flag: r.flag, critical: r.critical, amended: r.status === 'amended' },
    ]);
  }
  const sections = SECTION_ORDER.map((section) => ({
    section,
    rows: [...byTest.values()]
      .filter((t) => t.section === section)
      .sort((a, b) => a.position - b.position || a.name.localeCompare(b.name)),
  })).filter((s) => s.rows.length > 0);

  const at = (t: number) => localDateTime(new Date(t).toISOString(), tz);
  const period =
    query.from || query.to
      ? `${query.from ?? 'first'} to ${query.to ?? 'today'}`
      : times.length > 0
        ? `${at(times.at(-1)!).slice(0, 10)} to ${at(times[0]!).slice(0, 10)}`
        : 'all';
  const title = 'CUMULATIVE LABORATORY REPORT';
  const pdf = await renderPdf(
    {
      size: PAGE,
      title: `${title} ${patient.displayName}`,
      author: facility.name,
      createdAt: ctx.now,
    },
    (doc) => {
      let y = drawLetterhead(doc, { facility, title, alert: false, left: LEFT, width: WIDTH, top: 10 });
      y = drawFacts(
        doc,
        [
          ['Patient', patient.displayName],
          ['MRN', patient.mrn],
          ['Sex / age', `${patient.sex} / ${patient.age ?? '-'}`],
          ['Period', period],
          ['Section', query.section ? SECTION_TITLES[query.section] : 'All'],
          ['Printed', at(ctx.now.getTime())],
        ],
        { left: LEFT, top: y, columns: 3, columnWidth: WIDTH / 3 },
      );
      y += 2;
      const runningHead = (part: string) => {
        doc.addPage();
        drawRunningHead(
          doc,
          `${facility.name} - ${title} - ${patient.displayName} (MRN ${patient.mrn}) - ${part}, continued`,
          LEFT,
          WIDTH,
        );
        y = 16;
      };
      if (times.length === 0) {
        doc
          .font(fonts.regular)
          .fontSize(10)
          .text('No released results in this period.', mm(LEFT), mm(y + 4), { width: mm(WIDTH) });
        y += 12;
      }
      const chunks: number[][] = [];
      for (let i = 0; i < times.length; i += COLUMNS_PER_PAGE) {
        chunks.push(times.slice(i, i + COLUMNS_PER_PAGE).map((_, k) => i + k));
      }
      chunks.forEach((columns, c) => {
        const part =
          chunks.length > 1
            ? `collection times ${columns[0]! + 1}-${columns.at(-1)! + 1} of ${times.length} (latest first)`
            : `${times.length} collection time${times.length === 1 ? '' : 's'} (latest first)`;
        if (c > 0) runningHead(part);
        drawPart(doc, part);
        drawHeads(doc, columns);
        for (const { section, rows: testRows } of sections) {
          const present = testRows.filter((t) => columns.some((i) => t.cells.has(i)));
          if (present.length === 0) continue;
          if (y + 2 * ROW_H > BOTTOM) {
            runningHead(part);
            drawHeads(doc, columns);
          }
          doc
            .font(fonts.bold)
            .fontSize(8.5)
            .text(SECTION_TITLES[section].toUpperCase(), mm(LEFT), mm(y + 1), { width: mm(WIDTH) });
          y += ROW_H + 0.5;
          for (const t of present) {
            if (y + ROW_H > BOTTOM) {
              runningHead(part);
              drawHeads(doc, columns);
            }
            drawRow(doc, t, columns);
          }
        }
      });
      // The foot, on the last page.
      if (y + 16 > BOTTOM) runningHead('notes');
      y += 2;
      drawRule(doc, LEFT, WIDTH, y);
      y += 1.5;
      const notes = [
        ...(truncated
          ? [`Only the latest ${MAX_RESULTS} results are shown: choose a shorter period for earlier ones.`]
          : []),
        'Flags: L / H below / above the reference range; LL / HH critical (in bold). * amended after release: ' +
          'the report of the request gives the reason and the value first reported. The range is the one the ' +
          `latest value was judged against (sex and age at collection). Columns are collection times in ${tz}. ` +
          'Validated results only. Computer-generated report.',
      ];
      for (const note of notes) {
        doc.font(fonts.regular).fontSize(7).fillColor('#555555');
        const h = doc.heightOfString(note, { width: mm(WIDTH) }) / mm(1) + 0.8;
        doc.text(note, mm(LEFT), mm(y), { width: mm(WIDTH) }).fillColor('#000000');
        y += h;
      }

      function drawPart(d: PdfDocument, part: string) {
        d.font(fonts.italic)
          .fontSize(8)
          .text(part.charAt(0).toUpperCase() + part.slice(1), mm(LEFT), mm(y), { width: mm(WIDTH) });
        y += 4.5;
      }

      function drawHeads(d: PdfDocument, columns: number[]) {
        d.font(fonts.bold).fontSize(8);
        d.text('Test', mm(LEFT), mm(y + 3), { width: mm(TEST_W - 1.5) });
        d.text('Unit', mm(LEFT + TEST_W), mm(y + 3), { width: mm(UNIT_W - 1.5) });
        d.text('Reference range', mm(LEFT + TEST_W + UNIT_W), mm(y + 3), { width: mm(RANGE_W - 1.5) });
        columns.forEach((i, k) => {
          const x = LEFT + TEST_W + UNIT_W + RANGE_W + k * VALUE_W;
          const [day = '', time = ''] = at(times[i]!).split(' ');
          d.font(fonts.bold)
            .fontSize(7.5)
            .text(day, mm(x), mm(y), { width: mm(VALUE_W - 1), align: 'right' });
          d.font(fonts.regular)
            .fontSize(7.5)
            .text(time, mm(x), mm(y + 3.3), { width: mm(VALUE_W - 1), align: 'right' });
        });
        y += 7.5;
        drawRule(d, LEFT, WIDTH, y);
        y += 1;
      }

      function drawRow(d: PdfDocument, t: TestRow, columns: number[]) {
        fitText(d, t.name, mm(LEFT), mm(y), { width: mm(TEST_W - 1.5), size: 8, minSize: 6 });
        fitText(d, t.unit ?? '', mm(LEFT + TEST_W), mm(y), { width: mm(UNIT_W - 1.5), size: 8, minSize: 6 });
        fitText(d, t.range, mm(LEFT + TEST_W + UNIT_W), mm(y), {
          width: mm(RANGE_W - 1.5),
          size: 8,
          minSize: 6,
        });
        columns.forEach((i, k) => {
          const cells = t.cells.get(i);
          if (!cells) return;
          const x = LEFT + TEST_W + UNIT_W + RANGE_W + k * VALUE_W;
          fitText(d, cellText(cells), mm(x), mm(y), {
            width: mm(VALUE_W - 1),
            size: 8,
            minSize: 5.5,
            font: cells.some((c) => c.critical) ? fonts.bold : fonts.regular,
            align: 'right',
          });
        });
        y += ROW_H;
      }
    },
  );
  return { pdf, mrn: patient.mrn, results: shown.length, columns: times.length };
}
