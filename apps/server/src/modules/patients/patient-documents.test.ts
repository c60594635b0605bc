import {
  BinaryBitmap,
  Code128Reader,
  DecodeHintType,
  HybridBinarizer,
  QRCodeReader,
  RGBLuminanceSource,
} from '@zxing/library';
import { getDocument, ImageKind, OPS } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { describe, expect, it } from 'vitest';
import {
  allergyFlag,
  type CardData,
  registrationCardPdf,
  type WristbandData,
  wristbandPdf,
} from './patient-documents';

type PdfImage = { width: number; height: number; kind: number; data: Uint8Array | Uint8ClampedArray };

// Opens the PDF with pdf.js and returns what a reader and a scanner see: page size in mm, the text items, and
// what the barcodes drawn on the page decode to (ZXing on the image pixels as pdf.js decoded them).
async function readPdf(pdf: Buffer) {
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  const document = await getDocument({ data: new Uint8Array(pdf), verbosity: 0 }).promise;
  try {
    expect(document.numPages).toBe(1);
    const page = await document.getPage(1);
    const [x0, y0, x1, y1] = page.view as [number, number, number, number];
    const content = await page.getTextContent();
    const text = content.items.map((item) => ('str' in item ? item.str : '')).filter((s) => s !== '');
    const operators = await page.getOperatorList();
    const barcodes: { code128: string[]; qr: string[] } = { code128: [], qr: [] };
    for (const [i, op] of operators.fnArray.entries()) {
      if (op !== OPS.paintImageXObject) continue;
      const name = (operators.argsArray[i] as [string])[0];
      const image = await new Promise<PdfImage>((resolve) => page.objs.get(name, resolve));
      const decoded = scan(image);
      barcodes[decoded.symbology].push(decoded.text);
    }
    const toMm = (pt: number) => Math.round((pt * 25.4 * 10) / 72) / 10;
    // All the text as one line: pdf.js splits a line at wide gaps and a wrapped one at its breaks.
    const allText = text.join(' ').replace(/\s+/g, ' ');
    return { widthMm: toMm(x1 - x0), heightMm: toMm(y1 - y0), text, allText, barcodes };
  } finally {
    await document.destroy();
  }
}

function scan(image: PdfImage): { symbology: 'code128' | 'qr'; text: string } {
  const channels = image.kind === ImageKind.RGBA_32BPP ? 4 : 3;
  expect([ImageKind.RGB_24BPP, ImageKind.RGBA_32BPP]).toContain(image.kind);
  const luminance = new Uint8ClampedArray(image.width * image.height);
  for (let i = 0; i < luminance.length; i++) {
    const alpha = channels === 4 ? image.data[i * 4 + 3]! / 255 : 1;
    const [r, g, b] = [0, 1, 2].map((c) => image.data[i * channels + c]!) as [number, number, number];
    luminance[i] = ((r * 299 + g * 587 + b * 114) / 1000) * alpha + 255 * (1 - alpha);
  }
  const bitmap = () =>
    new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(luminance, image.width, image.height)));
  // A square image is the QR (read as a pure, upright symbol); anything else must be the Code 128.
  if (image.width === image.height) {
    const result = new QRCodeReader().decode(bitmap(), new Map([[DecodeHintType.PURE_BARCODE, true]]));
    return { symbology: 'qr', text: result.getText() };
  }
  const result = new Code128Reader().decode(bitmap(), new Map([[DecodeHintType.TRY_HARDER, true]]));
  return { symbology: 'code128', text: result.getText() };
}

function cardData(overrides: Partial<CardData> = {}): CardData {
  return {
    facilityName: 'City Hospital, Bengaluru',
    mrn: 'BLR-2026-000123',
    displayName: 'Ananya Raghunathan',
    sex: 'female',
    age: '34 y',
    birthDate: '1991-03-12',
    birthDateEstimated: false,
    bloodGroup: 'B+',
    phone: '+91 98450 12345',
    // 01:30 on 27 November in Bengaluru, still the 26th in UTC.
    registeredAt: new Date('2026-11-26T20:00:00Z'),
    emergencyContact: 'Ravi Kumar (husband) +91 98450 54321',
    ...overrides,
  };
}

function wristbandData(overrides: Partial<WristbandData> = {}): WristbandData {
  return {
    facilityName: 'City Hospital, Bengaluru',
    mrn: 'BLR-2026-000123',
    displayName: 'Ananya Raghunathan',
    sex: 'female',
    age: '34 y',
    birthDate: '1991-03-12',
    birthDateEstimated: false,
    allergies: 'Penicillin, Peanut',
    ...overrides,
  };
}

describe('registrationCardPdf', () => {
  it('prints a CR80 card with the facility, the name, the MRN and the registration details', async () => {
    const card = await readPdf(await registrationCardPdf(cardData()));

    expect([card.widthMm, card.heightMm]).toEqual([85.6, 54]);
    expect(card.text).toEqual(
      expect.arrayContaining([
        'City Hospital, Bengaluru',
        'Ananya Raghunathan',
        'BLR-2026-000123',
        '34 y / Female',
        '12 Mar 1991',
        'B+',
        '+91 98450 12345',
        '27 Nov 2026',
        'Emergency',
        'Ravi Kumar (husband) +91 98450 54321',
      ]),
    );
  });

  it.each(['BLR-2026-000123', 'MYS-2026-004711', 'BLR-2027-100000'])(
    'carries a Code 128 that scans as the MRN %s',
    async (mrn) => {
      const card = await readPdf(await registrationCardPdf(cardData({ mrn })));
      expect(card.barcodes).toEqual({ code128: [mrn], qr: [] });
      expect(card.text).toContain(mrn);
    },
  );

  it('marks an estimated date of birth as approximate', async () => {
    const card = await readPdf(await registrationCardPdf(cardData({ birthDateEstimated: true })));
    expect(card.text).toContain('12 Mar 1991 (approx.)');
  });

  it('prints dashes for what is not known and leaves out the emergency line when there is none', async () => {
    const card = await readPdf(
      await registrationCardPdf(
        cardData({ age: null, birthDate: null, bloodGroup: null, phone: null, emergencyContact: null }),
      ),
    );
    expect(card.text).toContain('- / Female');
    expect(card.text.filter((line) => line === '-')).toHaveLength(3);
    expect(card.text).not.toContain('Emergency');
    expect(card.allText).not.toMatch(/B\+|98450|1991/);
  });

  it('prints the registration date in the facility time zone', async () => {
    const card = await readPdf(await registrationCardPdf(cardData({ timeZone: 'UTC' })));
    expect(card.text).toContain('26 Nov 2026');
  });

  it('keeps a long name on the card, on one page', async () => {
    const displayName = 'Venkata Satya Naga Lakshmi Durga Prasad Rao Chowdary Yarlagadda';
    const card = await readPdf(await registrationCardPdf(cardData({ displayName })));
    expect(card.text.some((line) => line.startsWith('Venkata Satya Naga'))).toBe(true);
  });
});

describe('wristbandPdf', () => {
  it('prints a 250 x 25 mm band with the name, MRN, date of birth, age/sex and the allergies', async () => {
    const band = await readPdf(await wristbandPdf(wristbandData()));

    expect([band.widthMm, band.heightMm]).toEqual([250, 25]);
    expect(band.text).toEqual(
      expect.arrayContaining(['Ananya Raghunathan', 'MRN BLR-2026-000123', 'City Hospital, Bengaluru']),
    );
    expect(band.allText).toContain('DOB 12 Mar 1991 34 y / Female');
    expect(band.allText).toContain('ALLERGIES: Penicillin, Peanut');
  });

  it.each(['BLR-2026-000123', 'MYS-2026-004711', 'BLR-2027-100000'])(
    'carries a Code 128 and a QR that both scan as the MRN %s',
    async (mrn) => {
      const band = await readPdf(await wristbandPdf(wristbandData({ mrn })));
      expect(band.barcodes).toEqual({ code128: [mrn], qr: [mrn] });
    },
  );

  it('says NKA, not an allergy alert, when the patient has no known allergies', async () => {
    const band = await readPdf(
      await wristbandPdf(wristbandData({ allergies: 'NKA', birthDateEstimated: true })),
    );
    expect(band.text).toContain('NKA');
    expect(band.allText).not.toContain('ALLERGIES');
    expect(band.allText).toContain('DOB 12 Mar 1991 (approx.) 34 y / Female');
  });
});

describe('allergyFlag', () => {
  it.each([
    ['Penicillin, Peanut', { text: 'ALLERGIES: Penicillin, Peanut', alert: true }],
    ['  Sulfa  drugs ', { text: 'ALLERGIES: Sulfa drugs', alert: true }],
    ['Allergies: Latex', { text: 'Allergies: Latex', alert: true }],
    ['NKA', { text: 'NKA', alert: false }],
    ['NKA (no known allergies)', { text: 'NKA (no known allergies)', alert: false }],
    ['NKDA', { text: 'NKDA', alert: false }],
    ['No known drug allergies', { text: 'No known drug allergies', alert: false }],
    ['Allergies not recorded', { text: 'Allergies not recorded', alert: false }],
    ['', { text: 'Allergies not recorded', alert: false }],
  ])('shows %j as %j', (allergies, expected) => {
    expect(allergyFlag(allergies)).toEqual(expected);
  });
});
