import { code128, fitText, fonts, mm, pageSizes, renderPdf } from '../../platform/documents';

// The tube label, 2 x 1 inch on a label printer: the patient's name and MRN, the accession as a Code 128
// the analyzers and the receiving desk scan, the tests and the container, and STAT in reverse when it is.

export type SampleLabel = {
  accession: string;
  patientName: string;
  mrn: string;
  sex: string | null;
  age: string | null;
  testCodes: readonly string[];
  container: string;
  priority: string;
};

const WIDTH = pageSizes.sampleLabel.widthMm;
const MARGIN = 1.5;

/** A one-label PDF sized `pageSizes.sampleLabel`. */
export async function sampleLabelPdf(label: SampleLabel, createdAt = new Date()): Promise<Buffer> {
  const barcode = await code128(label.accession, { heightMm: 7 });
  const inner = WIDTH - 2 * MARGIN;
  return renderPdf({ size: pageSizes.sampleLabel, title: `Sample ${label.accession}`, createdAt }, (doc) => {
    const stat = label.priority === 'stat';
    const nameWidth = stat ? inner - 9 : inner;
    fitText(doc, label.patientName, mm(MARGIN), mm(1), { width: mm(nameWidth), size: 8, font: fonts.bold });
    if (stat) {
      doc.rect(mm(WIDTH - MARGIN - 8), mm(0.8), mm(8), mm(3.4)).fill('#000000');
      doc.fillColor('#FFFFFF');
      fitText(doc, 'STAT', mm(WIDTH - MARGIN - 8), mm(1.2), {
        width: mm(8),
        size: 7,
        font: fonts.bold,
        align: 'center',
      });
      doc.fillColor('#000000');
    }
    const who = [label.mrn, label.sex ? label.sex.charAt(0).toUpperCase() : null, label.age]
      .filter(Boolean)
      .join('  ');
    fitText(doc, who, mm(MARGIN), mm(4.5), { width: mm(inner), size: 6.5 });
    const barWidth = Math.min(barcode.widthMm, inner);
    doc.image(barcode.png, mm(MARGIN + (inner - barWidth) / 2), mm(7.6), {
      width: mm(barWidth),
      height: mm(7),
    });
    fitText(doc, label.accession, mm(MARGIN), mm(15), {
      width: mm(inner),
      size: 7,
      font: fonts.mono,
      align: 'center',
    });
    fitText(doc, label.testCodes.join(' '), mm(MARGIN), mm(18.2), {
      width: mm(inner),
      size: 6,
      minSize: 4.5,
    });
    fitText(doc, label.container, mm(MARGIN), mm(21.4), { width: mm(inner), size: 6 });
  });
}
