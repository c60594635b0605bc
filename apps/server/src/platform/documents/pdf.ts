import PDFDocument from 'pdfkit';
import { toStandardFontText } from './standard-font-text';

export type PdfDocument = PDFKit.PDFDocument;

/** A page size in millimetres, as it is printed (width across, height down). */
export type PageSize = { readonly widthMm: number; readonly heightMm: number };

const pointsPerMm = 72 / 25.4;

/** Millimetres to PDF points (1 pt = 1/72 inch), the unit of every pdfkit coordinate. */
export function mm(millimetres: number): number {
  return millimetres * pointsPerMm;
}

/** Page and label sizes the hospital prints on. */
export const pageSizes = {
  A4: { widthMm: 210, heightMm: 297 },
  A5: { widthMm: 148, heightMm: 210 },
  // ISO/IEC 7810 ID-1, the bank-card size that card printers and wallets take.
  CR80: { widthMm: 85.6, heightMm: 54 },
  // Printable face of a common adult thermal wristband (about 1 x 10 inches), printed lengthwise.
  adultWristband: { widthMm: 250, heightMm: 25 },
  // Sample tube label, 2 x 1 inch on a 203/300 dpi label printer.
  sampleLabel: { widthMm: 50.8, heightMm: 25.4 },
} as const satisfies Record<string, PageSize>;

/** The standard fonts a document may use without embedding a font file (Latin script only). */
export const fonts = {
  regular: 'Helvetica',
  bold: 'Helvetica-Bold',
  italic: 'Helvetica-Oblique',
  mono: 'Courier',
} as const;

export type PdfOptions = {
  size: PageSize;
  title: string;
  /** Margin on every side, for text that flows (doc.text without coordinates). Default 0. */
  marginMm?: number;
  /** The issuing facility, written as the PDF's author. */
  author?: string;
  /** Written as the PDF's creation date; default now. Fix it to make output byte-for-byte repeatable. */
  createdAt?: Date;
};

/**
 * Builds a PDF into a Buffer. `draw` paints the first page (and may add more with `doc.addPage()`), in points
 * from the top-left corner; use `mm()` to place things. All text goes through `toStandardFontText`.
 */
export function renderPdf(
  options: PdfOptions,
  draw: (doc: PdfDocument) => void | Promise<void>,
): Promise<Buffer> {
  const doc = new PDFDocument({
    size: [mm(options.size.widthMm), mm(options.size.heightMm)],
    margin: mm(options.marginMm ?? 0),
    font: fonts.regular,
    info: {
      Title: options.title,
      Author: options.author ?? 'Newhms',
      Creator: 'Newhms',
      CreationDate: options.createdAt ?? new Date(),
    },
    displayTitle: true,
  });
  foldTextForStandardFonts(doc);

  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    Promise.resolve()
      .then(() => draw(doc))
      .then(() => doc.end(), reject);
  });
}

// Every way text enters a pdfkit document (and is measured) goes through these three methods; folding here
// means no module can print a garbled name by forgetting to call toStandardFontText itself.
function foldTextForStandardFonts(doc: PdfDocument): void {
  const text = doc.text.bind(doc) as (text: string, ...rest: unknown[]) => PdfDocument;
  const widthOfString = doc.widthOfString.bind(doc);
  const heightOfString = doc.heightOfString.bind(doc);
  doc.text = ((value: string, ...rest: unknown[]) =>
    text(toStandardFontText(String(value)), ...rest)) as PdfDocument['text'];
  doc.widthOfString = (value, textOptions) => widthOfString(toStandardFontText(String(value)), textOptions);
  doc.heightOfString = (value, textOptions) => heightOfString(toStandardFontText(String(value)), textOptions);
}

export type FitTextOptions = {
  /** The width the line must fit in, in points. */
  width: number;
  font?: string;
  /** Largest font size to try, in points. */
  size: number;
  /** Smallest size before the text is cut with an ellipsis. Default 60% of `size`. */
  minSize?: number;
  align?: 'left' | 'center' | 'right';
};

/**
 * Writes one line at (x, y) in the largest font size from `size` down to `minSize` that fits `width`; text
 * still too long at `minSize` is cut with an ellipsis. Returns the size used. For names on labels, which must
 * never wrap onto a second line or spill onto a second page.
 */
export function fitText(
  doc: PdfDocument,
  text: string,
  x: number,
  y: number,
  options: FitTextOptions,
): number {
  const minSize = options.minSize ?? options.size * 0.6;
  doc.font(options.font ?? fonts.regular);
  let size = options.size;
  while (size > minSize && doc.fontSize(size).widthOfString(text) > options.width) size -= 0.25;
  size = Math.max(size, minSize);
  doc.fontSize(size).text(text, x, y, {
    width: options.width,
    // One line high, so pdfkit cuts with the ellipsis instead of wrapping or adding a page.
    height: size * 1.2,
    ellipsis: true,
    align: options.align ?? 'left',
  });
  return size;
}
