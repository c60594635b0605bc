import type { Invoice } from '@newhms/contracts';
import type { Ctx } from '../../platform/context';
import { fonts, mm, pageSizes, renderPdf } from '../../platform/documents';
import { getFacility } from '../../platform/organization/organization.service';
import { INVOICE_GROUPS } from './invoice-calc';
import { getInvoice } from './invoices.service';

// The printed bill: an OPD bill, an IPD final bill, an interim statement or a credit note, on A4. Lines are
// grouped by service group with subtotals, then discounts, the GST summary by HSN/SAC and rate, the
// round-off, the total in figures and in words (Indian numbering), the patient's and the payer's shares,
// what was paid and the balance. A cancelled bill carries a CANCELLED stamp.

const ones = [
  '',
  'One',
  'Two',
  'Three',
  'Four',
  'Five',
  'Six',
  'Seven',
  'Eight',
  'Nine',
  'Ten',
  'Eleven',
  'Twelve',
  'Thirteen',
  'Fourteen',
  'Fifteen',
  'Sixteen',
  'Seventeen',
  'Eighteen',
  'Nineteen',
];
const tens = ['', '', 'Twenty', 'Thirty', 'Forty', 'Fifty', 'Sixty', 'Seventy', 'Eighty', 'Ninety'];

function belowHundred(n: number): string {
  if (n < 20) return ones[n]!;
  return `${tens[Math.floor(n / 10)]}${n % 10 ? ` ${ones[n % 10]}` : ''}`;
}

function belowThousand(n: number): string {
  const h = Math.floor(n / 100);
  const r = n % 100;
  return [h ? `${ones[h]} Hundred` : '', r ? belowHundred(r) : ''].filter(Boolean).join(' ');
}

/** A whole number in words with Indian grouping: thousand, lakh (1,00,000), crore (1,00,00,000). */
export function numberInIndianWords(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError('a non-negative whole number');
  if (n === 0) return 'Zero';
  const crore = Math.floor(n / 10_000_000);
  const lakh = Math.floor((n % 10_000_000) / 100_000);
  const thousand = Math.floor((n % 100_000) / 1000);
  const rest = n % 1000;
  return [
    crore ? `${numberInIndianWords(crore)} Crore` : '',
    lakh ? `${belowHundred(lakh)} Lakh` : '',
    thousand ? `${belowHundred(thousand)} Thousand` : '',
    rest ? belowThousand(rest) : '',
  ]
    .filter(Boolean)
    .join(' ');
}

/** An amount of paise in words as printed on Indian bills: "Rupees One Lakh Five and Fifty Paise Only". */
export function amountInWords(paise: number): string {
  const minus = paise < 0 ? 'Minus ' : '';
  const abs = Math.abs(paise);
  const rupees = Math.floor(abs / 100);
  const p = abs % 100;
  return `${minus}Rupees ${numberInIndianWords(rupees)}${p ? ` and ${belowHundred(p)} Paise` : ''} Only`;
}

/** Paise as rupees with Indian digit grouping: 12345678 -> "1,23,456.78". */
export function formatInr(paise: number): string {
  const minus = paise < 0 ? '-' : '';
  const abs = Math.abs(paise);
  const rupees = String(Math.floor(abs / 100));
  const last3 = rupees.slice(-3);
  const head = rupees.slice(0, -3).replace(/\B(?=(\d{2})+(?!\d))/g, ',');
  return `${minus}${head ? `${head},` : ''}${last3}.${String(abs % 100).padStart(2, '0')}`;
}

const bp = (n: number) => `${(n / 100).toFixed(n % 100 === 0 ? 0 : 2)}%`;

const GROUP_TITLES: Record<string, string> = {
  consultation: 'Consultation',
  room: 'Room rent',
  nursing: 'Nursing',
  investigation: 'Investigations',
  imaging: 'Imaging',
  procedure: 'Procedures',
  pharmacy: 'Pharmacy',
  consumable: 'Consumables',
  package: 'Packages',
  other: 'Other services',
};

function titleOf(invoice: Invoice): { title: string; subtitle: string } {
  const taxed = invoice.tax !== 0;
  switch (invoice.kind) {
    case 'opd':
      return { title: 'OPD Bill', subtitle: taxed ? 'Tax invoice' : 'Bill of supply' };
    case 'ipd-final':
      return { title: 'Final Bill', subtitle: taxed ? 'Tax invoice' : 'Bill of supply' };
    case 'ipd-interim':
      return { title: 'Interim Bill', subtitle: 'Statement of charges so far - not a tax invoice' };
    default:
      return { title: 'Credit Note', subtitle: 'Cancels the invoice named below' };
  }
}

/** The invoice, credit note or interim statement as an A4 PDF (an audited read of the invoice). */
export async function invoicePdf(ctx: Ctx, id: string): Promise<{ pdf: Buffer; invoice: Invoice }> {
  const invoice = await getInvoice(ctx, id, 'print');
  const facility = await getFacility(ctx.db, invoice.facilityId);
  const creditOf = invoice.creditOfId ? await getInvoice(ctx, invoice.creditOfId, 'print-credit-note') : null;
  const { title, subtitle } = titleOf(invoice);
  const left = 12;
  const width = 186;
  const bottom = pageSizes.A4.heightMm - 18;
  const columns = [
    { title: 'Date', width: 18, align: 'left' as const },
    { title: 'Description', width: 56, align: 'left' as const },
    { title: 'Qty', width: 9, align: 'right' as const },
    { title: 'Rate', width: 19, align: 'right' as const },
    { title: 'Amount', width: 20, align: 'right' as const },
    { title: 'Discount', width: 17, align: 'right' as const },
    { title: 'GST %', width: 12, align: 'right' as const },
    { title: 'GST', width: 15, align: 'right' as const },
    { title: 'Total', width: 20, align: 'right' as const },
  ];
  const pdf = await renderPdf(
    {
      size: pageSizes.A4,
      title: `${title} ${invoice.number ?? ''}`.trim(),
      author: facility.name,
      createdAt: invoice.issuedAt ? new Date(invoice.issuedAt) : ctx.now,
    },
    (doc) => {
      let y = 12;
      const stamp = () => {
        if (invoice.status !== 'cancelled') return;
        doc.save();
        doc.rotate(-30, { origin: [mm(105), mm(150)] });
        doc.font(fonts.bold).fontSize(72).fillColor('#cc0000').opacity(0.35);
        doc.text('CANCELLED', mm(30), mm(140), { width: mm(150), align: 'center', lineBreak: false });
        doc.restore();
        doc.fillColor('#000000').opacity(1);
      };
      const ensure = (h: number) => {
        if (y + h > bottom) {
          doc.addPage();
          stamp();
          y = 12;
        }
      };
      const row = (cells: string[], font: string, size = 8) => {
        doc.font(font).fontSize(size);
        const heights = cells.map((c, i) => doc.heightOfString(c, { width: mm(columns[i]!.width - 1.5) }));
        const h = Math.max(...heights) / mm(1) + 1.2;
        ensure(h);
        let x = left;
        cells.forEach((c, i) => {
          doc.text(c, mm(x), mm(y), { width: mm(columns[i]!.width - 1.5), align: columns[i]!.align });
          x += columns[i]!.width;
        });
        y += h;
      };
      const pair = (label: string, value: string, font: string = fonts.regular) => {
        ensure(5);
        doc.font(font).fontSize(9);
        doc.text(label, mm(left + 100), mm(y), { width: mm(50) });
        doc.text(value, mm(left + 150), mm(y), { width: mm(36), align: 'right' });
        y += 4.6;
      };

      stamp();
      // Header: the hospital.
      doc
        .font(fonts.bold)
        .fontSize(14)
        .text(facility.name, mm(left), mm(y), { width: mm(width) });
      y += 6;
      const address = [facility.addressLine, facility.city, facility.state, facility.postalCode]
        .filter(Boolean)
        .join(', ');
      doc.font(fonts.regular).fontSize(8);
      const contact = [address, facility.phone ? `Phone ${facility.phone}` : '', facility.email ?? '']
        .filter(Boolean)
        .join('  |  ');
      if (contact) {
        doc.text(contact, mm(left), mm(y), { width: mm(width) });
        y += 4;
      }
      const ids = [
        facility.gstin ? `GSTIN ${facility.gstin}` : '',
        facility.registrationNumber ? `Reg. No. ${facility.registrationNumber}` : '',
      ]
        .filter(Boolean)
        .join('  |  ');
      if (ids) {
        doc.text(ids, mm(left), mm(y), { width: mm(width) });
        y += 4;
      }
      y += 2;
      doc.font(fonts.bold).fontSize(13).text(title, mm(left), mm(y));
      doc
        .font(fonts.regular)
        .fontSize(8)
        .text(subtitle, mm(left + 45), mm(y + 1.5));
      y += 8;

      // Who and which bill.
      const meta: [string, string][] = [
        ['Patient', invoice.patientName],
        ['MRN', invoice.mrn],
        ['Admission no.', invoice.admissionNumber ?? '-'],
        ['Number', invoice.number ?? 'DRAFT'],
        ['Date', invoice.issuedAt ? invoice.issuedAt.slice(0, 10) : '-'],
        ['Status', invoice.status.toUpperCase()],
      ];
      if (creditOf) meta.push(['Against invoice', creditOf.number ?? '']);
      if (invoice.reissueOfId) meta.push(['Reissue', 'replaces a cancelled bill']);
      if (invoice.cancelReason) meta.push(['Cancelled because', invoice.cancelReason]);
      doc.fontSize(9);
      meta.forEach(([k, v], i) => {
        const x = i % 2 === 0 ? left : left + 95;
        doc.font(fonts.bold).text(`${k}:`, mm(x), mm(y), { width: mm(30) });
        doc.font(fonts.regular).text(v, mm(x + 30), mm(y), { width: mm(60) });
        if (i % 2 === 1 || i === meta.length - 1) y += 5;
      });
      y += 3;

      // Lines by service group.
      row(
        columns.map((c) => c.title),
        fonts.bold,
      );
      doc
        .moveTo(mm(left), mm(y))
        .lineTo(mm(left + width), mm(y))
        .stroke();
      y += 1;
      const order = [...INVOICE_GROUPS, ...new Set(invoice.lines.map((l) => l.serviceGroup))];
      for (const group of [...new Set(order)]) {
        const lines = invoice.lines.filter((l) => l.serviceGroup === group);
        if (lines.length === 0) continue;
        ensure(10);
        doc
          .font(fonts.bold)
          .fontSize(9)
          .text(GROUP_TITLES[group] ?? group, mm(left), mm(y));
        y += 4.5;
        for (const l of lines) {
          row(
            [
              l.serviceDate ?? '',
              `${l.description}${l.hsnSac ? ` [${l.hsnSac}]` : ''}${l.splitNote ? ` (${l.splitNote})` : ''}`,
              String(l.quantity),
              formatInr(l.unitPrice),
              formatInr(l.amount),
              l.discount ? formatInr(l.discount) : '',
              bp(l.taxRateBp),
              l.tax ? formatInr(l.tax) : '',
              formatInr(l.total),
            ],
            fonts.regular,
          );
        }
        const sum = (f: (l: (typeof lines)[number]) => number) => lines.reduce((s, l) => s + f(l), 0);
        row(
          [
            '',
            `Subtotal ${GROUP_TITLES[group] ?? group}`,
            '',
            '',
            formatInr(sum((l) => l.amount)),
            formatInr(sum((l) => l.discount)),
            '',
            formatInr(sum((l) => l.tax)),
            formatInr(sum((l) => l.total)),
          ],
          fonts.italic,
        );
        y += 1;
      }
      y += 2;

      // Totals.
      pair('Gross amount', formatInr(invoice.gross));
      pair('Discount', formatInr(-invoice.discount));
      pair('GST', formatInr(invoice.tax));
      pair('Round off', formatInr(invoice.roundOff));
      pair('Total (INR)', formatInr(invoice.total), fonts.bold);
      ensure(8);
      doc
        .font(fonts.italic)
        .fontSize(9)
        .text(amountInWords(invoice.total), mm(left), mm(y), { width: mm(width) });
      y += 6;
      if (invoice.payerShare !== 0 || invoice.split) pair('Payer share', formatInr(invoice.payerShare));
      pair('Patient share', formatInr(invoice.patientShare));
      if (invoice.kind !== 'credit-note') {
        pair('Paid', formatInr(invoice.paid));
        pair('Balance due', formatInr(invoice.balance), fonts.bold);
      }
      y += 3;

      // GST summary by HSN/SAC and rate.
      ensure(14);
      doc.font(fonts.bold).fontSize(9).text('GST summary', mm(left), mm(y));
      y += 4.5;
      const taxCols = [40, 40, 20, 40, 40];
      const taxRow = (cells: string[], font: string) => {
        ensure(4.5);
        doc.font(font).fontSize(8);
        let x = left;
        cells.forEach((c, i) => {
          doc.text(c, mm(x), mm(y), { width: mm(taxCols[i]! - 2), align: i >= 2 ? 'right' : 'left' });
          x += taxCols[i]!;
        });
        y += 4.2;
      };
      taxRow(['HSN/SAC', 'Tax code', 'Rate', 'Taxable value', 'GST'], fonts.bold);
      for (const t of invoice.taxSummary) {
        taxRow(
          [t.hsnSac ?? '-', t.taxCode, bp(t.rateBp), formatInr(t.taxable), formatInr(t.tax)],
          fonts.regular,
        );
      }

      // How the payer's share came about.
      if (invoice.split) {
        y += 3;
        ensure(14);
        doc.font(fonts.bold).fontSize(9).text('Payer split', mm(left), mm(y));
        y += 4.5;
        const s = invoice.split;
        const notes = [
          s.rules.length ? `Rules applied: ${s.rules.join(', ')}` : 'No deduction',
          s.nonPayable ? `Non-payable items: INR ${formatInr(s.nonPayable)}` : '',
          s.roomRent
            ? `Room rent limit INR ${formatInr(s.roomRent.limitPerDay)}/day; eligible ${formatInr(s.roomRent.eligible)} of ${formatInr(s.roomRent.actual)} (ratio ${s.roomRent.ratio}); deduction INR ${formatInr(s.roomRent.deduction)}`
            : '',
          s.copay ? `Co-pay ${bp(s.copay.bp)}: INR ${formatInr(s.copay.amount)}` : '',
          s.cap ? `Capped at INR ${formatInr(s.cap.limit)} (approved and policy balance)` : '',
        ].filter(Boolean);
        for (const n of notes) {
          ensure(4.5);
          doc
            .font(fonts.regular)
            .fontSize(8)
            .text(n, mm(left), mm(y), { width: mm(width) });
          y += 4.2;
        }
      } else if (invoice.splitSkipped) {
        ensure(5);
        doc
          .font(fonts.italic)
          .fontSize(8)
          .text(invoice.splitSkipped, mm(left), mm(y), { width: mm(width) });
        y += 4.2;
      }

      ensure(10);
      y += 4;
      doc
        .font(fonts.regular)
        .fontSize(7)
        .fillColor('#555555')
        .text(
          `Issued by ${invoice.issuedByName ?? '-'}. Printed ${ctx.now.toISOString()}. Computer-generated document.`,
          mm(left),
          mm(y),
          { width: mm(width) },
        )
        .fillColor('#000000');
    },
  );
  return { pdf, invoice };
}
