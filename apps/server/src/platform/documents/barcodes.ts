import {
  code128 as encodeCode128,
  datamatrix as encodeDataMatrix,
  qrcode as encodeQr,
  type RenderOptions,
} from 'bwip-js/node';

/**
 * A barcode as a PNG, black on white with its quiet zone, and its natural print size: a linear code's narrowest
 * bar is then 1 pt (0.353 mm), which every hand scanner reads, so shrink it only down to about 70%; a 2D code's
 * square is 2 pt (0.71 mm), so it may be drawn down to about 40% (0.28 mm squares, for a 300 dpi printer).
 * Draw it with `doc.image(png, x, y, { width: mm(widthMm) })`.
 */
export type BarcodeImage = {
  readonly png: Buffer;
  readonly widthMm: number;
  readonly heightMm: number;
};

// PNG pixels per point (4 per linear module, 8 per 2D module): enough that a printer's resampling moves a bar
// edge by a fraction of a module.
const pixelsPerPoint = 4;
const mmPerPoint = 25.4 / 72;

function imageOf(png: Buffer): BarcodeImage {
  // PNG: 8-byte signature, then the IHDR chunk whose data starts with width and height (big-endian uint32).
  const widthPx = png.readUInt32BE(16);
  const heightPx = png.readUInt32BE(20);
  return {
    png,
    widthMm: (widthPx / pixelsPerPoint) * mmPerPoint,
    heightMm: (heightPx / pixelsPerPoint) * mmPerPoint,
  };
}

const common = { scale: pixelsPerPoint, backgroundcolor: 'FFFFFF', barcolor: '000000' } as const;

export type Code128Options = {
  /** Bar height. Default 10 mm; GS1 asks at least 15% of the symbol's width for hand scanning. */
  heightMm?: number;
  /** Print the text under the bars. Default false (labels print the text larger themselves). */
  includeText?: boolean;
};

/** Code 128 (ISO/IEC 15417) of any printable ASCII text: MRNs, sample accessions, invoice numbers. */
export async function code128(text: string, options: Code128Options = {}): Promise<BarcodeImage> {
  if (!/^[\x20-\x7e]+$/.test(text)) throw new RangeError('Code 128 encodes printable ASCII only');
  const png = await encodeCode128({
    ...common,
    bcid: 'code128',
    text,
    height: options.heightMm ?? 10,
    includetext: options.includeText ?? false,
    textxalign: 'center',
    textsize: 9,
    // Quiet zone of 10 modules each side (ISO/IEC 15417 minimum); without it scanners miss the start bar.
    paddingwidth: 10,
    paddingheight: 1,
  });
  return imageOf(png);
}

export type QrOptions = {
  /** Error correction: M (15%, default) suits paper; H (30%) survives a crumpled or wet wristband. */
  errorCorrection?: 'L' | 'M' | 'Q' | 'H';
};

/** QR code (ISO/IEC 18004) of any text, UTF-8. */
export async function qr(text: string, options: QrOptions = {}): Promise<BarcodeImage> {
  // eclevel is a BWIPP option that bwip-js's types do not list.
  const render: RenderOptions & { eclevel: string } = {
    ...common,
    bcid: 'qrcode',
    text,
    eclevel: options.errorCorrection ?? 'M',
    // Quiet zone of 4 modules (ISO/IEC 18004); bwip-js pads in points and a 2D module is 2 pt.
    padding: 8,
  };
  return imageOf(await encodeQr(render));
}

/** Data Matrix ECC 200 (ISO/IEC 16022): the square code on small tube and vial labels. */
export async function dataMatrix(text: string): Promise<BarcodeImage> {
  const png = await encodeDataMatrix({
    ...common,
    bcid: 'datamatrix',
    text,
    // Quiet zone of 1 module is the minimum; 2 (4 pt) is kinder to phone cameras.
    padding: 4,
  });
  return imageOf(png);
}
