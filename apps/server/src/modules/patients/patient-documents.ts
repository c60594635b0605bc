import {
  code128,
  fitText,
  fonts,
  mm,
  type PdfDocument,
  pageSizes,
  qr,
  renderPdf,
} from '../../platform/documents';

export type CardData = {
  facilityName: string;
  mrn: string;
  displayName: string;
  sex: string;
  /** Already formatted, e.g. "34 y" or "8 m". */
  age: string | null;
  /** ISO date, YYYY-MM-DD. */
  birthDate: string | null;
  birthDateEstimated: boolean;
  bloodGroup: string | null;
  phone: string | null;
  registeredAt: Date;
  /** E.g. "Ravi Kumar (husband) +91 98450 54321". */
  emergencyContact?: string | null;
  /** IANA time zone of the facility, for the registration date. Default Asia/Kolkata. */
  timeZone?: string;
};

export type WristbandData = {
  facilityName: string;
  mrn: string;
  displayName: string;
  sex: string;
  age: string | null;
  birthDate: string | null;
  birthDateEstimated: boolean;
  /** 'NKA', 'Allergies not recorded', or the allergens, e.g. 'Penicillin, Peanut'. */
  allergies: string;
};

const grey = '#555555';
const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

// Dates are printed as "12 Mar 1991": 03/12 and 12/03 mean different days to different readers.
function formatBirthDate(birthDate: string | null, estimated: boolean): string {
  if (birthDate === null) return '-';
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthDate);
  const month = match ? months[Number(match[2]) - 1] : undefined;
  const date = match && month ? `${match[3]} ${month} ${match[1]}` : birthDate;
  return estimated ? `${date} (approx.)` : date;
}

function formatDate(date: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    day: '2-digit',
    month: 'short',
    year: 'numeric',
    timeZone,
  }).format(date);
}

function formatAgeSex(age: string | null, sex: string): string {
  const shownSex = sex.length > 0 ? sex[0]!.toUpperCase() + sex.slice(1) : '-';
  return `${age ?? '-'} / ${shownSex}`;
}

/**
 * How the wristband shows an allergy status: a known allergy list is an alert ("ALLERGIES: ..." in reverse
 * print); NKA and "not recorded" are plain text.
 */
export function allergyFlag(allergies: string): { text: string; alert: boolean } {
  const text = allergies.trim().replace(/\s+/g, ' ');
  if (text === '') return { text: 'Allergies not recorded', alert: false };
  if (/^nk(d)?a\b/i.test(text) || /\bno known\b/i.test(text)) return { text, alert: false };
  if (/not recorded|not known|unknown/i.test(text)) return { text, alert: false };
  if (/^allerg(y|ies)\s*:/i.test(text)) return { text, alert: true };
  return { text: `ALLERGIES: ${text}`, alert: true };
}

/** A small grey label and its value on one baseline. */
function field(doc: PdfDocument, label: string, value: string, x: number, y: number, width: number): void {
  const labelSize = 5.5;
  const valueSize = 7;
  const labelWidth = mm(13);
  // pdfkit places text by the top of its line box; drop the smaller label so the baselines meet.
  const baselineShift = 0.718 * (valueSize - labelSize);
  doc.fillColor(grey);
  fitText(doc, label, x, y + baselineShift, { width: labelWidth, size: labelSize });
  doc.fillColor('black');
  fitText(doc, value, x + labelWidth, y, { width: width - labelWidth, size: valueSize, font: fonts.bold });
}

/**
 * The patient's wallet card (CR80, 85.6 x 54 mm): facility, name, MRN in large type with its Code 128, age/sex,
 * date of birth, blood group, phone, registration date and the emergency contact.
 */
export async function registrationCardPdf(data: CardData): Promise<Buffer> {
  const barcode = await code128(data.mrn, { heightMm: 9 });
  const { widthMm, heightMm } = pageSizes.CR80;
  const margin = mm(3.5);
  const inner = mm(widthMm) - 2 * margin;

  return renderPdf(
    { size: pageSizes.CR80, title: `Registration card ${data.mrn}`, author: data.facilityName },
    (doc) => {
      fitText(doc, data.facilityName, margin, mm(3), { width: inner, size: 8.5, font: fonts.bold });
      doc.fillColor(grey);
      fitText(doc, 'PATIENT REGISTRATION CARD', margin, mm(6.6), { width: inner, size: 5 });
      doc.fillColor('black');
      doc
        .moveTo(margin, mm(8.9))
        .lineTo(mm(widthMm) - margin, mm(8.9))
        .lineWidth(0.4)
        .stroke();

      fitText(doc, data.displayName, margin, mm(10.2), { width: inner, size: 11, font: fonts.bold });

      const leftWidth = mm(41);
      doc.fillColor(grey);
      fitText(doc, 'MRN', margin, mm(15.2), { width: leftWidth, size: 5.5 });
      doc.fillColor('black');
      fitText(doc, data.mrn, margin, mm(17.3), { width: leftWidth, size: 14, minSize: 9, font: fonts.bold });
      field(doc, 'Age / Sex', formatAgeSex(data.age, data.sex), margin, mm(23.2), leftWidth);
      field(
        doc,
        'DOB',
        formatBirthDate(data.birthDate, data.birthDateEstimated),
        margin,
        mm(26.4),
        leftWidth,
      );

      const rightX = margin + leftWidth + mm(2);
      const rightWidth = mm(widthMm) - margin - rightX;
      const timeZone = data.timeZone ?? 'Asia/Kolkata';
      field(doc, 'Blood group', data.bloodGroup ?? '-', rightX, mm(16.1), rightWidth);
      field(doc, 'Phone', data.phone ?? '-', rightX, mm(19.3), rightWidth);
      field(doc, 'Registered', formatDate(data.registeredAt, timeZone), rightX, mm(22.5), rightWidth);

      // Natural size (0.35 mm bars) when it fits; a long MRN shrinks to the card's width.
      const barcodeWidth = Math.min(mm(barcode.widthMm), inner);
      const barcodeHeight = (barcodeWidth / mm(barcode.widthMm)) * mm(barcode.heightMm);
      doc.image(barcode.png, (mm(widthMm) - barcodeWidth) / 2, mm(30.2), {
        width: barcodeWidth,
        height: barcodeHeight,
      });

      if (data.emergencyContact) {
        field(doc, 'Emergency', data.emergencyContact, margin, mm(42.2), inner);
      }
      doc.fillColor(grey);
      fitText(doc, 'Please bring this card on every visit.', margin, mm(heightMm - 6.5), {
        width: inner,
        size: 5,
        align: 'center',
      });
    },
  );
}

/**
 * An adult wristband, printed lengthwise on a 250 x 25 mm band: QR of the MRN at the start, name, MRN, date of
 * birth, age/sex and facility, a Code 128 of the MRN, and the allergy status at the end.
 */
export async function wristbandPdf(data: WristbandData): Promise<Buffer> {
  // H: a band gets wet, scratched and bent; the QR must still read.
  const [qrCode, barcode] = await Promise.all([
    qr(data.mrn, { errorCorrection: 'H' }),
    code128(data.mrn, { heightMm: 13 }),
  ]);
  const { heightMm } = pageSizes.adultWristband;
  const allergy = allergyFlag(data.allergies);

  return renderPdf(
    { size: pageSizes.adultWristband, title: `Wristband ${data.mrn}`, author: data.facilityName },
    (doc) => {
      const qrSize = mm(20);
      doc.image(qrCode.png, mm(4), (mm(heightMm) - qrSize) / 2, { width: qrSize, height: qrSize });

      const textX = mm(26);
      const textWidth = mm(94);
      fitText(doc, data.displayName, textX, mm(2.4), {
        width: textWidth,
        size: 13,
        minSize: 8,
        font: fonts.bold,
      });
      fitText(doc, `MRN ${data.mrn}`, textX, mm(8.2), { width: textWidth, size: 11, font: fonts.bold });
      const dob = formatBirthDate(data.birthDate, data.birthDateEstimated);
      fitText(doc, `DOB ${dob}    ${formatAgeSex(data.age, data.sex)}`, textX, mm(13.4), {
        width: textWidth,
        size: 9,
      });
      doc.fillColor(grey);
      fitText(doc, data.facilityName, textX, mm(18.6), { width: textWidth, size: 7 });
      doc.fillColor('black');

      // Natural size: 0.35 mm bars, about 70 mm for a 15-character MRN.
      const barcodeWidth = Math.min(mm(barcode.widthMm), mm(74));
      const barcodeHeight = (barcodeWidth / mm(barcode.widthMm)) * mm(barcode.heightMm);
      doc.image(barcode.png, mm(122), (mm(heightMm) - barcodeHeight) / 2, {
        width: barcodeWidth,
        height: barcodeHeight,
      });

      const boxX = mm(199);
      const boxY = mm(2.5);
      const boxWidth = mm(47);
      const boxHeight = mm(heightMm - 5);
      const padding = mm(1.5);
      if (allergy.alert) {
        doc.rect(boxX, boxY, boxWidth, boxHeight).fill('black');
        doc.fillColor('white');
      } else {
        doc.rect(boxX, boxY, boxWidth, boxHeight).lineWidth(0.8).stroke('black');
        doc.fillColor('black');
      }
      // The largest size at which the whole list fits the box; a list too long even at 6 pt ends in an ellipsis.
      const textBox = { width: boxWidth - 2 * padding, height: boxHeight - 2 * padding };
      doc.font(fonts.bold);
      let size = 11;
      while (
        size > 6 &&
        doc.fontSize(size).heightOfString(allergy.text, { width: textBox.width }) > textBox.height
      ) {
        size -= 0.5;
      }
      const used = Math.min(doc.heightOfString(allergy.text, { width: textBox.width }), textBox.height);
      doc.text(allergy.text, boxX + padding, boxY + padding + (textBox.height - used) / 2, {
        ...textBox,
        ellipsis: true,
      });
      doc.fillColor('black');
    },
  );
}
