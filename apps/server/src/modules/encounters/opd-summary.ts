import type { EncounterDetail } from '@newhms/contracts';
import { fonts, mm, type PdfDocument, pageSizes, renderPdf } from '../../platform/documents';

export type SummaryHeader = {
  facilityName: string;
  facilityAddress: string | null;
  timeZone: string;
  patient: { displayName: string; mrn: string; age: string | null; sex: string; phone: string | null };
  allergies: string;
};

const sectionTitles: [keyof NonNullable<EncounterDetail['notes'][number]['sections']>, string][] = [
  ['chiefComplaint', 'Chief complaint'],
  ['history', 'History'],
  ['examination', 'Examination'],
  ['assessment', 'Assessment'],
  ['plan', 'Plan'],
  ['advice', 'Advice'],
  ['text', 'Notes'],
];

function when(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-IN', { timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(
    new Date(iso),
  );
}

/**
 * The printable OPD summary a patient takes home: who, when, by whom, vitals, the signed note, diagnoses,
 * orders, advice, follow-up and referral. Only signed or amended notes are printed; a draft is not a
 * record yet.
 */
export async function opdSummaryPdf(header: SummaryHeader, detail: EncounterDetail): Promise<Buffer> {
  const e = detail.encounter;
  return renderPdf(
    { size: pageSizes.A4, title: `OPD summary ${header.patient.mrn}`, marginMm: 15 },
    (doc: PdfDocument) => {
      const left = mm(15);
      const width = mm(180);
      doc.font(fonts.bold).fontSize(14).text(header.facilityName, left, mm(15), { width });
      if (header.facilityAddress) doc.font(fonts.regular).fontSize(8).text(header.facilityAddress, { width });
      doc.moveDown(0.5).font(fonts.bold).fontSize(12).text('OPD consultation summary', { width });
      doc
        .moveTo(left, doc.y + 2)
        .lineTo(left + width, doc.y + 2)
        .stroke();
      doc.moveDown(0.6);

      const p = header.patient;
      doc.font(fonts.bold).fontSize(10).text(`${p.displayName}`, { continued: true });
      doc
        .font(fonts.regular)
        .text(
          `   MRN ${p.mrn}   ${[p.age, p.sex].filter(Boolean).join(' / ')}${p.phone ? `   ${p.phone}` : ''}`,
        );
      doc.text(`Date: ${when(e.startedAt, header.timeZone)}   Doctor: ${e.practitionerName ?? '-'}`);
      doc.font(fonts.bold).text(`Allergies: ${header.allergies}`);
      doc.moveDown(0.5);

      const heading = (title: string) => {
        doc.moveDown(0.4).font(fonts.bold).fontSize(10).text(title, left, doc.y, { width });
        doc.font(fonts.regular).fontSize(9);
      };

      const vitals = detail.vitals.filter((v) => v.status !== 'entered-in-error');
      if (vitals.length > 0) {
        heading('Vitals');
        const latest = new Map<string, (typeof vitals)[number]>();
        for (const v of vitals) latest.set(v.code, v);
        doc.text(
          [...latest.values()]
            .map((v) =>
              `${v.display}: ${v.value ?? v.valueText} ${v.unit ?? ''}${v.interpretation && v.interpretation !== 'N' ? ` (${v.interpretation})` : ''}`.trim(),
            )
            .join('   '),
          { width },
        );
      }

      for (const note of detail.notes.filter((n) => n.status === 'signed' || n.status === 'amended')) {
        for (const [key, title] of sectionTitles) {
          const text = note.sections[key];
          if (text?.trim()) {
            heading(title);
            doc.text(text.trim(), { width });
          }
        }
        doc
          .moveDown(0.2)
          .fontSize(7)
          .text(
            `Signed by ${note.signedBy ?? note.authorName} on ${note.signedAt ? when(note.signedAt, header.timeZone) : '-'}${note.status === 'amended' ? ` (amended: ${note.amendmentReason})` : ''}`,
            { width },
          );
      }

      const dx = detail.diagnoses.filter((d) => d.status !== 'entered-in-error');
      if (dx.length > 0) {
        heading('Diagnosis');
        for (const d of dx)
          doc.text(`${d.code}  ${d.display}  (${d.kind}${d.rank === 'primary' ? ', primary' : ''})`, {
            width,
          });
      }
      const orders = detail.orders.filter((o) => o.status !== 'cancelled' && o.status !== 'entered-in-error');
      if (orders.length > 0) {
        heading('Investigations and procedures ordered');
        for (const o of orders)
          doc.text(`${o.display}${o.priority !== 'routine' ? ` (${o.priority.toUpperCase()})` : ''}`, {
            width,
          });
      }
      if (e.advice) {
        heading('Advice');
        doc.text(e.advice, { width });
      }
      if (e.followUpDate) {
        heading('Follow-up');
        doc.text(
          new Intl.DateTimeFormat('en-IN', { dateStyle: 'medium', timeZone: 'UTC' }).format(
            new Date(`${e.followUpDate}T00:00:00Z`),
          ),
          { width },
        );
      }
      if (e.referral) {
        heading('Referral');
        doc.text(e.referral, { width });
      }
      doc
        .moveDown(2)
        .font(fonts.regular)
        .fontSize(9)
        .text(`${e.practitionerName ?? ''}`, left, doc.y, { width, align: 'right' });
      doc
        .fontSize(7)
        .text(
          'This summary was printed from the hospital record; the record is the reference.',
          left,
          doc.y + 4,
          { width, align: 'right' },
        );
    },
  );
}
