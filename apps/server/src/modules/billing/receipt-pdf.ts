import type { CashierShift, Payment, Refund } from '@newhms/contracts';
import type { Ctx } from '../../platform/context';
import { code128, fonts, mm, type PdfDocument, pageSizes, renderPdf } from '../../platform/documents';
import { getFacility } from '../../platform/organization/organization.service';
import { getShift, requireFacility } from './cashier.service';
import { getPayment } from './payments.service';
import { getRefund } from './refunds.service';

// Receipts, refund vouchers and the cashier's shift summary, as A5 (receipts) and A4 (shift) PDFs.

/** Paise as rupees with Indian digit grouping: 123456789 -> "Rs. 12,34,567.89". */
export function formatInr(paise: number): string {
  const sign = paise < 0 ? '-' : '';
  const abs = Math.abs(paise);
  const rupees = Math.floor(abs / 100).toLocaleString('en-IN');
  return `${sign}Rs. ${rupees}.${String(abs % 100).padStart(2, '0')}`;
}

const MODE_LABEL: Record<string, string> = {
  cash: 'Cash',
  card: 'Card',
  upi: 'UPI',
  'bank-transfer': 'Bank transfer',
  cheque: 'Cheque',
};

function header(doc: PdfDocument, facility: string, title: string, widthMm: number) {
  doc
    .font(fonts.bold)
    .fontSize(13)
    .text(facility, mm(10), mm(10), { width: mm(widthMm - 20) });
  doc
    .font(fonts.bold)
    .fontSize(11)
    .text(title, mm(10), mm(18), { width: mm(widthMm - 20) });
  doc
    .moveTo(mm(10), mm(25))
    .lineTo(mm(widthMm - 10), mm(25))
    .stroke();
}

function rows(doc: PdfDocument, items: [string, string][], startMm: number, widthMm: number): number {
  let y = startMm;
  for (const [label, value] of items) {
    doc
      .font(fonts.bold)
      .fontSize(9)
      .text(label, mm(10), mm(y), { width: mm(40) });
    doc
      .font(fonts.regular)
      .fontSize(9)
      .text(value, mm(52), mm(y), { width: mm(widthMm - 62) });
    y += Math.max(6, doc.heightOfString(value, { width: mm(widthMm - 62) }) / mm(1) + 1.5);
  }
  return y;
}

/** A payment's receipt (A5): number, patient, amount, mode and reference, and the bills it paid. */
export async function receiptPdf(ctx: Ctx, id: string): Promise<{ pdf: Buffer; payment: Payment }> {
  const payment = await getPayment(ctx, id);
  const facility = await getFacility(ctx.db, requireFacility(ctx));
  const barcode = await code128(payment.receiptNumber.replaceAll('/', '-'), { heightMm: 8 });
  const size = pageSizes.A5;
  const pdf = await renderPdf(
    { size, title: `Receipt ${payment.receiptNumber}`, author: facility.name, createdAt: ctx.now },
    (doc) => {
      header(
        doc,
        facility.name,
        payment.kind === 'deposit' ? 'Deposit receipt' : 'Payment receipt',
        size.widthMm,
      );
      let y = rows(
        doc,
        [
          ['Receipt no.', payment.receiptNumber],
          ['Date', payment.receivedAt.replace('T', ' ').slice(0, 16)],
          ['Patient', `${payment.patientName} (${payment.mrn})`],
          ['Amount', formatInr(payment.amount)],
          ['Mode', `${MODE_LABEL[payment.mode]}${payment.reference ? `, ref. ${payment.reference}` : ''}`],
          ['Received by', payment.receivedByName],
          ...(payment.note ? ([['Note', payment.note]] as [string, string][]) : []),
        ],
        30,
        size.widthMm,
      );
      const live = payment.allocations.filter((a) => !a.reversedAt);
      if (live.length > 0) {
        y += 2;
        doc.font(fonts.bold).fontSize(9).text('Applied to', mm(10), mm(y));
        y += 6;
        for (const a of live) {
          doc
            .font(fonts.regular)
            .fontSize(9)
            .text(`Bill ${a.invoiceNumber ?? a.invoiceId}`, mm(14), mm(y));
          doc.text(formatInr(a.amount), mm(90), mm(y), { width: mm(48), align: 'right' });
          y += 5;
        }
      }
      y += 2;
      doc
        .font(fonts.regular)
        .fontSize(9)
        .text(`Unallocated (held as advance): ${formatInr(payment.available)}`, mm(10), mm(y));
      doc.image(barcode.png, mm(10), mm(size.heightMm - 25), { width: mm(Math.min(barcode.widthMm, 80)) });
      doc
        .fontSize(7)
        .fillColor('#555555')
        .text('Computer-generated receipt; no signature required.', mm(10), mm(size.heightMm - 12))
        .fillColor('#000000');
    },
  );
  return { pdf, payment };
}

/** A paid refund's voucher (A5), or an approved or requested one marked as not yet paid. */
export async function refundPdf(ctx: Ctx, id: string): Promise<{ pdf: Buffer; refund: Refund }> {
  const refund = await getRefund(ctx, id);
  const facility = await getFacility(ctx.db, requireFacility(ctx));
  const size = pageSizes.A5;
  const pdf = await renderPdf(
    { size, title: `Refund ${refund.refundNumber ?? refund.id}`, author: facility.name, createdAt: ctx.now },
    (doc) => {
      header(
        doc,
        facility.name,
        refund.status === 'paid' ? 'Refund voucher' : `Refund (${refund.status})`,
        size.widthMm,
      );
      const y = rows(
        doc,
        [
          ['Refund no.', refund.refundNumber ?? 'not paid yet'],
          ['Against receipt', refund.receiptNumber],
          ['Patient', `${refund.patientName} (${refund.mrn})`],
          ['Amount', formatInr(refund.amount)],
          ['Mode', `${MODE_LABEL[refund.mode]}${refund.reference ? `, ref. ${refund.reference}` : ''}`],
          ['Reason', refund.reason],
          ['Requested by', `${refund.requestedByName}, ${refund.requestedAt.slice(0, 10)}`],
          [
            'Approved by',
            refund.decidedByName ? `${refund.decidedByName}, ${refund.decidedAt?.slice(0, 10)}` : '-',
          ],
          [
            'Paid by',
            refund.paidByName
              ? `${refund.paidByName}, ${refund.paidAt?.slice(0, 16).replace('T', ' ')}`
              : '-',
          ],
        ],
        30,
        size.widthMm,
      );
      doc
        .font(fonts.regular)
        .fontSize(9)
        .text('Received by (signature): ______________________', mm(10), mm(y + 12));
    },
  );
  return { pdf, refund };
}

/** A shift's summary (A4): float, totals by mode, refunds, expected and counted cash, difference. */
export async function shiftSummaryPdf(ctx: Ctx, id: string): Promise<{ pdf: Buffer; shift: CashierShift }> {
  const shift = await getShift(ctx, id);
  const facility = await getFacility(ctx.db, requireFacility(ctx));
  const size = pageSizes.A4;
  const pdf = await renderPdf(
    {
      size,
      title: `Shift ${shift.counterCode} ${shift.businessDate}`,
      author: facility.name,
      createdAt: ctx.now,
    },
    (doc) => {
      header(
        doc,
        facility.name,
        `Cashier shift summary: ${shift.cashierName}, ${shift.counterName}`,
        size.widthMm,
      );
      let y = rows(
        doc,
        [
          ['Business date', shift.businessDate],
          ['Status', shift.status === 'open' ? 'OPEN (figures so far)' : 'Closed'],
          ['Opened', shift.openedAt.replace('T', ' ').slice(0, 16)],
          ['Closed', shift.closedAt ? shift.closedAt.replace('T', ' ').slice(0, 16) : '-'],
          ['Receipts', String(shift.receiptsCount)],
          ['Refunds paid', String(shift.refundsCount)],
        ],
        30,
        size.widthMm,
      );
      y += 4;
      doc.font(fonts.bold).fontSize(10).text('Mode', mm(10), mm(y));
      doc.text('Received', mm(70), mm(y), { width: mm(40), align: 'right' });
      doc.text('Refunded', mm(115), mm(y), { width: mm(40), align: 'right' });
      y += 7;
      for (const mode of Object.keys(shift.totals) as (keyof CashierShift['totals'])[]) {
        doc
          .font(fonts.regular)
          .fontSize(10)
          .text(MODE_LABEL[mode] ?? mode, mm(10), mm(y));
        doc.text(formatInr(shift.totals[mode]), mm(70), mm(y), { width: mm(40), align: 'right' });
        doc.text(formatInr(shift.refundTotals[mode]), mm(115), mm(y), { width: mm(40), align: 'right' });
        y += 6;
      }
      y += 4;
      rows(
        doc,
        [
          ['Opening float', formatInr(shift.openingFloat)],
          ['Expected cash', formatInr(shift.expectedCash)],
          ['Counted cash', shift.countedCash === null ? '-' : formatInr(shift.countedCash)],
          [
            'Difference',
            shift.difference === null
              ? '-'
              : `${formatInr(shift.difference)}${shift.difference < 0 ? ' (short)' : shift.difference > 0 ? ' (over)' : ''}`,
          ],
          ...(shift.closingNote ? ([['Note', shift.closingNote]] as [string, string][]) : []),
        ],
        y,
        size.widthMm,
      );
    },
  );
  return { pdf, shift };
}
