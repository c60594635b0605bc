import {
  type KitchenLine,
  type KitchenList,
  type KitchenListQuery,
  MEAL_TIMES,
  type TubeFeed,
} from '@newhms/contracts';
import { and, eq, inArray } from 'drizzle-orm';
import type { z } from 'zod';
import { recordAudits } from '../../platform/audit/audit.service';
import type { Ctx } from '../../platform/context';
import { fonts, mm, type PdfDocument, pageSizes, renderPdf } from '../../platform/documents';
import { RuleViolation } from '../../platform/http/errors';
import { getFacility } from '../../platform/organization/organization.service';
import { addDays, localDate } from '../../platform/time/facility-time';
import { listPlacedInpatients } from '../ipd';
import { getPatientSummaries } from '../patients';
import { requireFacility, toDietOrder } from './diet-orders.service';
import { dietOrders } from './dietary.tables';
import { countKey, mealInstant, serveAtMeal } from './dietary-rules';

// The kitchen's list for one meal: every patient in a bed now, by ward and bed, with the active diet order,
// what to serve at the meal's time, instructions and allergies; tube feeds apart; counts per diet.

/**
 * The list for a meal of yesterday, today or tomorrow (facility time). It shows who lies where now and the
 * orders active now; the meal's time decides only whether an NPO window covers it. Each patient listed is an
 * audited read.
 */
export async function kitchenList(ctx: Ctx, q: z.output<typeof KitchenListQuery>): Promise<KitchenList> {
  const facilityId = requireFacility(ctx);
  const facility = await getFacility(ctx.db, facilityId);
  const today = localDate(ctx.now, facility.timeZone);
  const date = q.date ?? today;
  if (date < addDays(today, -1) || date > addDays(today, 1)) {
    throw new RuleViolation(
      'DIETARY_DATE_OUT_OF_RANGE',
      'Kitchen lists are for yesterday, today or tomorrow',
      [{ path: 'date', message: `between ${addDays(today, -1)} and ${addDays(today, 1)}` }],
    );
  }
  const mealAt = mealInstant(date, q.meal, facility.timeZone);
  const inpatients = await listPlacedInpatients(ctx.db, facilityId, q.wardId);
  const orders =
    inpatients.length === 0
      ? []
      : await ctx.db
          .select()
          .from(dietOrders)
          .where(
            and(
              eq(dietOrders.facilityId, facilityId),
              eq(dietOrders.status, 'active'),
              inArray(
                dietOrders.admissionId,
                inpatients.map((p) => p.admissionId),
              ),
            ),
          );
  const orderOf = new Map(orders.map((o) => [o.admissionId, toDietOrder(o)]));
  const patientIds = [...new Set(inpatients.map((p) => p.patientId))];
  const patients = new Map((await getPatientSummaries(ctx.db, patientIds, ctx.now)).map((p) => [p.id, p]));
  await recordAudits(
    ctx.db,
    ctx,
    patientIds.map((id) => ({
      action: 'read',
      resourceType: 'Patient',
      resourceId: id,
      patientId: id,
      detail: { purpose: 'kitchen-list', meal: q.meal, date },
    })),
  );

  const wards: KitchenList['wards'] = [];
  const tubeFeeds: KitchenList['tubeFeeds'] = [];
  const totals: Record<string, number> = {};
  for (const p of inpatients) {
    let ward = wards[wards.length - 1];
    if (!ward || ward.wardId !== p.bed.wardId) {
      ward = {
        wardId: p.bed.wardId,
        wardCode: p.bed.wardCode,
        wardName: p.bed.wardName,
        lines: [],
        counts: {},
      };
      wards.push(ward);
    }
    const order = orderOf.get(p.admissionId) ?? null;
    const patient = patients.get(p.patientId);
    const serve = serveAtMeal(
      order && {
        diet: order.diet,
        npoFrom: order.npoFrom ? new Date(order.npoFrom) : null,
        npoUntil: order.npoUntil ? new Date(order.npoUntil) : null,
      },
      mealAt,
    );
    const line: KitchenLine = {
      admissionId: p.admissionId,
      bedId: p.bed.bedId,
      bedCode: p.bed.bedCode,
      patientId: p.patientId,
      patientName: patient?.displayName ?? '',
      mrn: patient?.mrn ?? '',
      orderId: order?.id ?? null,
      diet: order?.diet ?? null,
      serve,
      instructions: order?.instructions ?? null,
      allergies: order?.allergies ?? [],
      allergyState: order?.allergyState ?? null,
      npoUntil: serve === 'npo' ? (order?.npoUntil ?? null) : null,
      tubeFeed: order?.tubeFeed ?? null,
    };
    ward.lines.push(line);
    const key = countKey(order, serve);
    ward.counts[key] = (ward.counts[key] ?? 0) + 1;
    totals[key] = (totals[key] ?? 0) + 1;
    if (serve === 'tube-feed') tubeFeeds.push({ ...line, wardName: p.bed.wardName });
  }
  return {
    facilityId,
    date,
    meal: q.meal,
    mealAt: mealAt.toISOString(),
    wards,
    tubeFeeds,
    totals,
    generatedAt: ctx.now.toISOString(),
  };
}

const SERVE_LABEL: Record<KitchenLine['serve'], string> = {
  meal: '',
  npo: 'NPO - nothing to serve',
  'tube-feed': 'Tube feed (see below)',
  'ask-ward': 'No diet for this meal - ask the ward',
};

const tubeFeedText = (f: TubeFeed) => `${f.formula}, ${f.volumeMl} ml x ${f.timesPerDay}/day`;

function allergyText(line: KitchenLine): string {
  if (line.allergies.length > 0) return line.allergies.join('; ');
  if (line.allergyState === 'none-known') return 'NKA';
  return line.orderId ? 'Not recorded' : '-';
}

/** The kitchen list as an A4 PDF for the tray line (the same reads, the same audit). */
export async function kitchenListPdf(ctx: Ctx, q: z.output<typeof KitchenListQuery>): Promise<Buffer> {
  const list = await kitchenList(ctx, q);
  const facility = await getFacility(ctx.db, list.facilityId);
  const title = `Kitchen list: ${q.meal} ${MEAL_TIMES[q.meal]}, ${list.date}`;
  const columns = [
    { title: 'Bed', width: 18 },
    { title: 'Patient (MRN)', width: 45 },
    { title: 'Diet', width: 32 },
    { title: 'Instructions', width: 45 },
    { title: 'Allergies', width: 40 },
  ];
  const left = 10;
  const bottom = pageSizes.A4.heightMm - 15;
  return renderPdf({ size: pageSizes.A4, title, author: facility.name, createdAt: ctx.now }, (doc) => {
    let y = 12;
    const ensure = (heightMm: number) => {
      if (y + heightMm > bottom) {
        doc.addPage();
        y = 12;
      }
    };
    const row = (cells: string[], font: string) => {
      doc.font(font).fontSize(8);
      const heights = cells.map((c, i) => doc.heightOfString(c, { width: mm(columns[i]!.width - 2) }));
      const h = Math.max(...heights) / mm(1) + 2;
      ensure(h);
      let x = left;
      cells.forEach((c, i) => {
        doc.text(c, mm(x), mm(y), { width: mm(columns[i]!.width - 2) });
        x += columns[i]!.width;
      });
      y += h;
    };
    heading(doc, facility.name, title, list.generatedAt);
    y = 30;
    for (const ward of list.wards) {
      ensure(16);
      doc.font(fonts.bold).fontSize(11).text(`${ward.wardName} (${ward.wardCode})`, mm(left), mm(y));
      y += 6;
      row(
        columns.map((c) => c.title),
        fonts.bold,
      );
      for (const line of ward.lines) {
        row(
          [
            line.bedCode,
            `${line.patientName} (${line.mrn})`,
            line.serve === 'meal' ? (line.diet ?? '') : SERVE_LABEL[line.serve],
            line.instructions ?? '',
            allergyText(line),
          ],
          fonts.regular,
        );
      }
      ensure(8);
      doc
        .font(fonts.italic)
        .fontSize(8)
        .text(
          Object.entries(ward.counts)
            .map(([k, n]) => `${k}: ${n}`)
            .join('   '),
          mm(left),
          mm(y),
        );
      y += 8;
    }
    if (list.tubeFeeds.length > 0) {
      ensure(16);
      doc.font(fonts.bold).fontSize(11).text('Tube feeds', mm(left), mm(y));
      y += 6;
      for (const f of list.tubeFeeds) {
        row(
          [
            f.bedCode,
            `${f.patientName} (${f.mrn})`,
            f.wardName,
            f.tubeFeed ? tubeFeedText(f.tubeFeed) : '',
            allergyText(f),
          ],
          fonts.regular,
        );
      }
    }
    if (list.wards.length === 0)
      doc.font(fonts.regular).fontSize(10).text('No patients in beds.', mm(left), mm(y));
  });
}

function heading(doc: PdfDocument, facilityName: string, title: string, generatedAt: string) {
  doc.font(fonts.bold).fontSize(14).text(facilityName, mm(10), mm(10));
  doc.font(fonts.regular).fontSize(11).text(title, mm(10), mm(17));
  doc.fontSize(7).fillColor('#555555').text(`Printed ${generatedAt}`, mm(10), mm(23)).fillColor('#000000');
}
