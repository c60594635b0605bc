import {
  BinaryBitmap,
  Code128Reader,
  DecodeHintType,
  HybridBinarizer,
  RGBLuminanceSource,
} from '@zxing/library';
import { getDocument, ImageKind, OPS } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { describe, expect, it } from 'vitest';
import { type SampleLabel, sampleLabelPdf } from './sample-label';

type PdfImage = { width: number; height: number; kind: number; data: Uint8Array | Uint8ClampedArray };

// The label read back as a person and a scanner see it: page size, text, and the Code 128 decoded by ZXing.
async function readLabel(pdf: Buffer) {
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  const document = await getDocument({ data: new Uint8Array(pdf), verbosity: 0 }).promise;
  try {
    expect(document.numPages).toBe(1);
    const page = await document.getPage(1);
    const [x0, y0, x1, y1] = page.view as [number, number, number, number];
    const content = await page.getTextContent();
    const text = content.items
      .map((item) => ('str' in item ? item.str : ''))
      .join(' ')
      .replace(/\s+/g, ' ');
    const operators = await page.getOperatorList();
    const codes: string[] = [];
    for (const [i, op] of operators.fnArray.entries()) {
      if (op !== OPS.paintImageXObject) continue;
      const name = (operators.argsArray[i] as [string])[0];
      codes.push(scan(await new Promise<PdfImage>((resolve) => page.objs.get(name, resolve))));
    }
    const toMm = (pt: number) => Math.round((pt * 25.4 * 10) / 72) / 10;
    return { widthMm: toMm(x1 - x0), heightMm: toMm(y1 - y0), text, codes };
  } finally {
    await document.destroy();
  }
}

function scan(image: PdfImage): string {
  const channels = image.kind === ImageKind.RGBA_32BPP ? 4 : 3;
  const luminance = new Uint8ClampedArray(image.width * image.height);
  for (let i = 0; i < luminance.length; i++) {
    const alpha = channels === 4 ? image.data[i * 4 + 3]! / 255 : 1;
    const [r, g, b] = [0, 1, 2].map((c) => image.data[i * channels + c]!) as [number, number, number];
    luminance[i] = ((r * 299 + g * 587 + b * 114) / 1000) * alpha + 255 * (1 - alpha);
  }
  const bitmap = new BinaryBitmap(
    new HybridBinarizer(new RGBLuminanceSource(luminance, image.width, image.height)),
  );
  return new Code128Reader().decode(bitmap, new Map([[DecodeHintType.TRY_HARDER, true]])).getText();
}

const label = (overrides: Partial<SampleLabel> = {}): SampleLabel => ({
  accession: 'L2601050042',
  patientName: 'Ananya Raghunathan',
  mrn: 'BLR-2026-000123',
  sex: 'female',
  age: '34 y',
  testCodes: ['HB', 'WBC', 'PLT'],
  container: 'EDTA lavender',
  priority: 'routine',
  ...overrides,
});

describe('sample label', () => {
  it('prints a 2 x 1 inch label whose Code 128 scans as the accession, with name, MRN, tests and tube', async () => {
    const read = await readLabel(await sampleLabelPdf(label()));
    expect([read.widthMm, read.heightMm]).toEqual([50.8, 25.4]);
    expect(read.codes).toEqual(['L2601050042']);
    for (const s of ['Ananya Raghunathan', 'BLR-2026-000123', 'L2601050042', 'HB WBC PLT', 'EDTA lavender']) {
      expect(read.text).toContain(s);
    }
    expect(read.text).not.toContain('STAT');
  });

  it('marks a STAT sample and keeps a long name and a long panel on one page', async () => {
    const read = await readLabel(
      await sampleLabelPdf(
        label({
          priority: 'stat',
          patientName: 'Venkatanarasimharajuvaripeta Subrahmanya Lakshminarayana',
          testCodes: Array.from({ length: 20 }, (_, i) => `TEST${i}`),
        }),
      ),
    );
    expect(read.text).toContain('STAT');
    expect(read.codes).toEqual(['L2601050042']);
  });
});
