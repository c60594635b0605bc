import type { CultureResult, LabResult } from '@newhms/contracts';
import { fonts, mm, type PdfDocument } from '../../platform/documents';

// What the laboratory's printed documents share (the report of a request, the cumulative report): the
// facility's letterhead with the document's title, the patient block, the running head of continuation
// pages, the sections in print order, and how times, values and cultures read on paper.

export const SECTION_TITLES: Record<LabResult['section'], string> = {
  haematology: 'Haematology',
  biochemistry: 'Biochemistry',
  microbiology: 'Microbiology',
  serology: 'Serology',
  'clinical-pathology': 'Clinical pathology',
  immunology: 'Immunology',
};
export const SECTION_ORDER = Object.keys(SECTION_TITLES) as LabResult['section'][];

/** DD-MM-YYYY hh:mm in the facility's zone; '-' for no time. */
export function localDateTime(iso: string | null, timeZone: string): string {
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

// The standard fonts have no ≤ and ≥ (WinAnsi): spell them.
export const printable = (text: string) => text.replaceAll('≤', '<=').replaceAll('≥', '>=');

export function numberText(value: number | null, decimals: number | null | undefined): string {
  if (value === null) return '';
  return decimals === null || decimals === undefined ? String(value) : value.toFixed(decimals);
}

export function cultureSummary(c: CultureResult | null): string {
  if (!c) return '';
  const growth = c.growth ? ` (${c.growth})` : '';
  return c.organism ? `${c.organism}${growth}` : `No growth${growth}`;
}

/** A result's value as printed: the number in the test's decimals, the text, or the culture's summary. */
export function valueText(
  r: { value: number | null; text: string | null; culture: CultureResult | null },
  decimals?: number | null,
) {
  if (r.value !== null) return numberText(r.value, decimals);
  if (r.text !== null) return r.text;
  return cultureSummary(r.culture);
}

type Facility = {
  name: string;
  addressLine?: string | null;
  city?: string | null;
  state?: string | null;
  postalCode?: string | null;
  phone?: string | null;
};

/**
 * The letterhead: the facility's name, address and phone, and the document's title (in red when it is not
 * final), from `top` (mm). Returns where the page goes on (mm), below a rule.
 */
export function drawLetterhead(
  doc: PdfDocument,
  input: { facility: Facility; title: string; alert: boolean; left: number; width: number; top: number },
): number {
  const { facility, left, width } = input;
  let y = input.top;
  doc
    .font(fonts.bold)
    .fontSize(14)
    .text(facility.name, mm(left), mm(y), { width: mm(width) });
  y += 6;
  const address = [facility.addressLine, facility.city, facility.state, facility.postalCode]
    .filter(Boolean)
    .join(', ');
  const contact = [address, facility.phone ? `Phone ${facility.phone}` : ''].filter(Boolean).join('  |  ');
  if (contact) {
    doc.font(fonts.regular).fontSize(8);
    const h = doc.heightOfString(contact, { width: mm(width) }) / mm(1) + 0.8;
    doc.text(contact, mm(left), mm(y), { width: mm(width) });
    y += h;
  }
  y += 1;
  doc
    .font(fonts.bold)
    .fontSize(12)
    .fillColor(input.alert ? '#b00020' : '#000000')
    .text(input.title, mm(left), mm(y), { width: mm(width) })
    .fillColor('#000000');
  y += 6;
  drawRule(doc, left, width, y);
  return y + 1.2;
}

/** A thin rule across the text width at y (mm). */
export function drawRule(doc: PdfDocument, left: number, width: number, y: number): void {
  doc
    .moveTo(mm(left), mm(y))
    .lineTo(mm(left + width), mm(y))
    .lineWidth(0.5)
    .stroke();
}

/**
 * Label: value pairs in `columns` columns of `columnWidth` mm (the label takes 24 mm), a row every 5 mm.
 * Returns the y (mm) below the block.
 */
export function drawFacts(
  doc: PdfDocument,
  facts: readonly [string, string][],
  input: { left: number; top: number; columns: number; columnWidth: number },
): number {
  let y = input.top;
  facts.forEach(([k, v], i) => {
    const column = i % input.columns;
    const x = input.left + column * input.columnWidth;
    doc
      .font(fonts.bold)
      .fontSize(9)
      .text(`${k}:`, mm(x), mm(y), { width: mm(24) });
    doc
      .font(fonts.regular)
      .fontSize(9)
      .text(v, mm(x + 24), mm(y), { width: mm(input.columnWidth - 27) });
    if (column === input.columns - 1 || i === facts.length - 1) y += 5;
  });
  return y;
}

/** The running head of a continuation page (grey, small), at 10 mm from the top. */
export function drawRunningHead(doc: PdfDocument, text: string, left: number, width: number): void {
  doc
    .font(fonts.regular)
    .fontSize(8)
    .fillColor('#555555')
    .text(text, mm(left), mm(10), { width: mm(width) })
    .fillColor('#000000');
}
