import {
  BinaryBitmap,
  Code128Reader,
  DataMatrixReader,
  DecodeHintType,
  HybridBinarizer,
  QRCodeReader,
  RGBLuminanceSource,
} from '@zxing/library';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { code128, dataMatrix, qr } from './barcodes';

const readers = { code128: Code128Reader, qr: QRCodeReader, dataMatrix: DataMatrixReader };

// Reads a barcode back from the PNG's pixels with ZXing's decoders (sampling, Reed-Solomon, data modes). A 2D
// image is read as a "pure" barcode (upright, with its quiet zone), which it is: ZXing-js's finder, made for
// camera frames, rejects some of these perfectly regular symbols that other readers (zbar) take.
function scan(png: Buffer, symbology: keyof typeof readers): string {
  const { width, height, data } = PNG.sync.read(png);
  const luminance = new Uint8ClampedArray(width * height);
  for (let i = 0; i < width * height; i++) {
    const alpha = data[i * 4 + 3]! / 255;
    const grey = (data[i * 4]! * 299 + data[i * 4 + 1]! * 587 + data[i * 4 + 2]! * 114) / 1000;
    luminance[i] = grey * alpha + 255 * (1 - alpha);
  }
  const bitmap = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(luminance, width, height)));
  const hints = new Map([
    [symbology === 'code128' ? DecodeHintType.TRY_HARDER : DecodeHintType.PURE_BARCODE, true],
  ]);
  return new readers[symbology]().decode(bitmap, hints).getText();
}

const mrns = ['BLR-2026-000123', 'MUM-2025-999999', 'DEL-2026-000001', 'CHN-2030-4071'];

describe('code128', () => {
  it.each(mrns)('encodes the MRN %s so that a scanner reads it back', async (mrn) => {
    const barcode = await code128(mrn);
    expect(scan(barcode.png, 'code128')).toBe(mrn);
  });

  it('reads back a different MRN as that MRN, not the first', async () => {
    const [a, b] = await Promise.all([code128('BLR-2026-000123'), code128('BLR-2026-000124')]);
    expect(scan(a.png, 'code128')).toBe('BLR-2026-000123');
    expect(scan(b.png, 'code128')).toBe('BLR-2026-000124');
  });

  it('is drawn at 1 pt per bar module with a 10-module quiet zone, at the height asked for', async () => {
    const barcode = await code128('BLR-2026-000123', { heightMm: 15 });
    // Code 128 is 11 modules per symbol character (start, data, check) plus a 13-module stop.
    const modules = barcode.widthMm / (25.4 / 72);
    expect(modules).toBeCloseTo(Math.round(modules), 6);
    expect((Math.round(modules) - 2 * 10 - 13) % 11).toBe(0);
    expect(barcode.heightMm).toBeGreaterThanOrEqual(15);
    expect(barcode.heightMm).toBeLessThan(16);

    const { width, height, data } = PNG.sync.read(barcode.png);
    const pixelsPerModule = width / Math.round(modules);
    const row = Math.floor(height / 2);
    const darkAt = (x: number) => data[(row * width + x) * 4]! < 128;
    const firstBar = Array.from({ length: width }, (_, x) => x).find(darkAt);
    expect(firstBar).toBe(10 * pixelsPerModule);
  });

  it('adds the human-readable text under the bars only when asked', async () => {
    const plain = await code128('BLR-2026-000123', { heightMm: 10 });
    const withText = await code128('BLR-2026-000123', { heightMm: 10, includeText: true });
    expect(withText.heightMm).toBeGreaterThan(plain.heightMm + 2);
    expect(scan(withText.png, 'code128')).toBe('BLR-2026-000123');
  });

  it('refuses text that Code 128 cannot carry', async () => {
    await expect(code128('Śrīnivās')).rejects.toThrow(RangeError);
    await expect(code128('')).rejects.toThrow(RangeError);
  });
});

describe('qr', () => {
  it.each(mrns)('encodes %s so that a scanner reads it back', async (mrn) => {
    const code = await qr(mrn, { errorCorrection: 'H' });
    expect(scan(code.png, 'qr')).toBe(mrn);
  });

  it('is square, and grows with the error correction level', async () => {
    const m = await qr('BLR-2026-000123');
    const h = await qr('BLR-2026-000123', { errorCorrection: 'H' });
    expect(m.widthMm).toBeCloseTo(m.heightMm, 6);
    expect(h.widthMm).toBeGreaterThan(m.widthMm);
  });
});

describe('dataMatrix', () => {
  it.each(mrns)('encodes %s so that a scanner reads it back', async (mrn) => {
    const code = await dataMatrix(mrn);
    expect(scan(code.png, 'dataMatrix')).toBe(mrn);
  });
});
