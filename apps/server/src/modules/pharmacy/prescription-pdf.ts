import type { Prescription } from '@newhms/contracts';
import type { Ctx } from '../../platform/context';
import { code128, fonts, mm, type PdfDocument, pageSizes, renderPdf } from '../../platform/documents';
import { getFacility } from '../../platform/organization/organization.service';
import { getPatient } from '../patients';
import { getPrescription } from './prescriptions.service';

// The printed prescription (A5): the facility, the doctor's name, qualifications and registration number
// (the Indian Medical Council regulations ask for them), the patient, each medicine by generic name in capitals
// with strength, form and the instructions as the patient reads them, the quantity, and a barcode of the
// prescription number for the pharmacy counter.

const WIDTH = pageSizes.A5.widthMm;

function line(doc: PdfDocument, yMm: number) {
  doc
    .moveTo(mm(10), mm(yMm))
    .lineTo(mm(WIDTH - 10), mm(yMm))
    .stroke();
}

export async function prescriptionPdf(
  ctx: Ctx,
  id: string,
): Promise<{ pdf: Buffer; prescription: Prescription }> {
  const p = await getPrescription(ctx, id);
  const facility = await getFacility(ctx.db, ctx.facilityId!);
  const patient = await getPatient(ctx.db, p.patientId, ctx.now);
  const barcode = await code128(p.number, { heightMm: 8 });
  const pdf = await renderPdf(
    {
      size: pageSizes.A5,
      title: `Prescription ${p.number}`,
      author: facility.name,
      createdAt: new Date(p.createdAt),
    },
    (doc) => {
      doc
        .font(fonts.bold)
        .fontSize(13)
        .text(facility.name, mm(10), mm(10), { width: mm(WIDTH - 20) });
      doc
        .font(fonts.bold)
        .fontSize(11)
        .text(p.prescriberName, mm(10), mm(18), { width: mm(90) });
      const credentials = [
        p.prescriberQualification,
        p.prescriberRegistration && `Reg. No. ${p.prescriberRegistration}`,
      ]
        .filter(Boolean)
        .join(' | ');
      doc
        .font(fonts.regular)
        .fontSize(8)
        .text(credentials || ' ', mm(10), mm(23), { width: mm(90) });
      doc.image(barcode.png, mm(WIDTH - 55), mm(16), { width: mm(45), height: mm(10) });
      doc
        .font(fonts.regular)
        .fontSize(7)
        .text(p.number, mm(WIDTH - 55), mm(27), { width: mm(45), align: 'center' });
      line(doc, 31);
      doc
        .font(fonts.regular)
        .fontSize(9)
        .text(
          `${patient.displayName}   MRN ${patient.mrn}   ${patient.sex}${patient.birthDate ? `   born ${patient.birthDate}` : ''}`,
          mm(10),
          mm(33),
          { width: mm(WIDTH - 20) },
        );
      const allergies =
        p.allergyState === 'not-recorded'
          ? 'Allergies: NOT RECORDED'
          : patient.allergies.filter((a) => a.status === 'active').length === 0
            ? 'Allergies: none known'
            : `Allergies: ${patient.allergies
                .filter((a) => a.status === 'active')
                .map((a) => a.substance)
                .join(', ')}`;
      doc
        .font(fonts.bold)
        .fontSize(8)
        .text(allergies, mm(10), mm(38), { width: mm(WIDTH - 20) });
      doc
        .font(fonts.regular)
        .fontSize(8)
        .text(`Date: ${p.createdAt.slice(0, 10)}`, mm(10), mm(42), { width: mm(WIDTH - 20) });
      line(doc, 47);
      doc.font(fonts.bold).fontSize(16).text('Rx', mm(10), mm(49));
      let y = 57;
      for (const item of p.items) {
        if (y > pageSizes.A5.heightMm - 35) {
          doc.addPage();
          y = 15;
        }
        const struck = item.status === 'stopped' ? ' (STOPPED)' : '';
        doc
          .font(fonts.bold)
          .fontSize(10)
          .text(
            `${item.lineNo}. ${item.genericName.toUpperCase()} ${item.strength} ${item.doseForm}${struck}`,
            mm(10),
            mm(y),
            {
              width: mm(WIDTH - 45),
            },
          );
        doc
          .font(fonts.regular)
          .fontSize(9)
          .text(`Qty ${item.quantity}`, mm(WIDTH - 35), mm(y), { width: mm(25), align: 'right' });
        y += doc.heightOfString(item.genericName, { width: mm(WIDTH - 45) }) / mm(1) + 1;
        const sig = item.note ? `${item.sig}. ${item.note}` : item.sig;
        doc
          .font(fonts.regular)
          .fontSize(9)
          .text(sig, mm(14), mm(y), { width: mm(WIDTH - 28) });
        y += doc.heightOfString(sig, { width: mm(WIDTH - 28) }) / mm(1) + 3;
      }
      if (p.notes) {
        doc
          .font(fonts.italic)
          .fontSize(9)
          .text(p.notes, mm(10), mm(y + 2), { width: mm(WIDTH - 20) });
      }
      const footY = pageSizes.A5.heightMm - 22;
      line(doc, footY);
      doc
        .font(fonts.regular)
        .fontSize(8)
        .text(
          `Signed electronically by ${p.prescriberName} on ${p.createdAt.slice(0, 16).replace('T', ' ')} UTC`,
          mm(10),
          mm(footY + 2),
          {
            width: mm(WIDTH - 20),
          },
        );
      if (p.status === 'cancelled') {
        doc
          .font(fonts.bold)
          .fontSize(28)
          .fillColor('#b00020')
          .text('CANCELLED', mm(10), mm(90), { width: mm(WIDTH - 20), align: 'center' });
      }
    },
  );
  return { pdf, prescription: p };
}
