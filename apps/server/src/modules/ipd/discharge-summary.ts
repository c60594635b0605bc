import type { ClinicalNote, DischargeSummaryPrefill, EncounterDetail, NoteSections } from '@newhms/contracts';
import { asc, desc, eq } from 'drizzle-orm';
import type { z } from 'zod';
import { recordAudit } from '../../platform/audit/audit.service';
import type { Ctx } from '../../platform/context';
import type { DbOrTx } from '../../platform/db/database';
import { fonts, mm, type PdfDocument, pageSizes, renderPdf } from '../../platform/documents';
import { getFacility } from '../../platform/organization/organization.service';
import { createNote, getEncounterDetail } from '../encounters';
import { getPatient } from '../patients';
import { type admissions, bedOccupancies, beds, earlyWarningScores, rooms, wards } from './ipd.tables';
import { loadAdmission } from './nursing.service';

// The discharge summary is a clinical note of kind 'discharge-summary' in the inpatient encounter, so it
// follows the record's lifecycle (draft -> signed -> amended with the signed text kept). IPD pre-fills it
// from the record and prints it.

type AdmissionRow = typeof admissions.$inferSelect;
type Prefill = z.infer<typeof DischargeSummaryPrefill>;

export const DISCHARGE_SUMMARY_SECTIONS: [keyof NoteSections, string][] = [
  ['diagnoses', 'Diagnoses'],
  ['procedures', 'Procedures'],
  ['hospitalCourse', 'Course in hospital'],
  ['conditionAtDischarge', 'Condition at discharge'],
  ['medications', 'Medications'],
  ['advice', 'Advice'],
  ['followUp', 'Follow-up'],
];

export type BedPeriod = {
  ward: string;
  room: string;
  bed: string;
  from: string;
  to: string | null;
  reason: string;
};

async function bedHistoryOf(db: DbOrTx, admissionId: string): Promise<BedPeriod[]> {
  const rows = await db
    .select({
      ward: wards.name,
      room: rooms.code,
      bed: beds.code,
      startedAt: bedOccupancies.startedAt,
      endedAt: bedOccupancies.endedAt,
      reason: bedOccupancies.startReason,
    })
    .from(bedOccupancies)
    .innerJoin(beds, eq(beds.id, bedOccupancies.bedId))
    .innerJoin(rooms, eq(rooms.id, beds.roomId))
    .innerJoin(wards, eq(wards.id, bedOccupancies.wardId))
    .where(eq(bedOccupancies.admissionId, admissionId))
    .orderBy(asc(bedOccupancies.startedAt));
  return rows.map((r) => ({
    ward: r.ward,
    room: r.room,
    bed: r.bed,
    from: r.startedAt.toISOString(),
    to: r.endedAt?.toISOString() ?? null,
    reason: r.reason,
  }));
}

function day(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-IN', { timeZone, dateStyle: 'medium' }).format(new Date(iso));
}
function when(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-IN', { timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(
    new Date(iso),
  );
}

/** What the record already says, as the sections of a new discharge summary. */
async function prefillOf(
  ctx: Ctx,
  a: AdmissionRow,
  detail: EncounterDetail,
  timeZone: string,
): Promise<Prefill> {
  const dx = detail.diagnoses.filter((d) => d.status !== 'entered-in-error');
  const diagnoses =
    dx.length > 0
      ? dx
          .sort((x, y) => (x.rank === 'primary' ? -1 : y.rank === 'primary' ? 1 : 0))
          .map((d) => `${d.code} ${d.display} (${d.kind}${d.rank === 'primary' ? ', primary' : ''})`)
          .join('\n')
      : a.provisionalDiagnosis
        ? `${a.provisionalDiagnosisCode ? `${a.provisionalDiagnosisCode} ` : ''}${a.provisionalDiagnosis} (provisional)`
        : '';
  const procedures = detail.orders
    .filter((o) => o.category === 'procedure' && o.status !== 'cancelled' && o.status !== 'entered-in-error')
    .map((o) => `${o.display} (${day(o.requestedAt, timeZone)})`)
    .join('\n');
  const history = await bedHistoryOf(ctx.db, a.id);
  const moves = history
    .slice(1)
    .map((b) => `transferred to ${b.ward}, bed ${b.bed} on ${day(b.from, timeZone)}`);
  const hospitalCourse = [
    `Admitted on ${day(a.admittedAt.toISOString(), timeZone)} under ${a.attendingPractitionerName} for ${a.reason}.`,
    moves.length > 0 ? `${moves.join('; ')}.` : '',
  ]
    .filter(Boolean)
    .join(' ');
  const [last] = await ctx.db
    .select()
    .from(earlyWarningScores)
    .where(eq(earlyWarningScores.admissionId, a.id))
    .orderBy(desc(earlyWarningScores.effectiveAt))
    .limit(1);
  const vitals = detail.vitals.filter((v) => v.status !== 'entered-in-error');
  const latest = new Map<string, (typeof vitals)[number]>();
  for (const v of vitals) latest.set(v.code, v);
  const conditionAtDischarge = [
    latest.size > 0
      ? `Last observations: ${[...latest.values()]
          .map(
            (v) =>
              `${v.display} ${v.value ?? v.valueText ?? ''}${v.unit && v.value !== null ? ` ${v.unit}` : ''}`,
          )
          .join(', ')}.`
      : '',
    last
      ? `Last NEWS2 ${last.score} (${last.risk} risk) on ${when(last.effectiveAt.toISOString(), timeZone)}.`
      : '',
  ]
    .filter(Boolean)
    .join(' ');
  const e = detail.encounter;
  return {
    diagnoses,
    procedures,
    hospitalCourse,
    conditionAtDischarge,
    medications: '',
    advice: e.advice ?? '',
    followUp: e.followUpDate ? `Review on ${day(`${e.followUpDate}T12:00:00Z`, 'UTC')}` : '',
  };
}

const isSummary = (n: ClinicalNote) => n.kind === 'discharge-summary' && n.status !== 'entered-in-error';

/** The admission's discharge summary note (latest), if one was started, and what the record would pre-fill. */
export async function getDischargeSummary(
  ctx: Ctx,
  admissionId: string,
): Promise<{ note: ClinicalNote | null; prefill: Prefill }> {
  const a = await loadAdmission(ctx.db, ctx, admissionId);
  const detail = await getEncounterDetail(ctx, a.encounterId);
  const timeZone = (await getFacility(ctx.db, a.facilityId)).timeZone;
  const note = detail.notes.filter(isSummary).at(-1) ?? null;
  return { note, prefill: await prefillOf(ctx, a, detail, timeZone) };
}

/**
 * Starts the discharge summary: a draft note pre-filled from the record (diagnoses, procedures, the stay,
 * the last observations and NEWS2, advice and follow-up of the encounter). Once started, the same note is
 * given back (created: false); it is edited, signed and amended through the encounter's notes.
 */
export async function startDischargeSummary(
  ctx: Ctx,
  admissionId: string,
): Promise<{ note: ClinicalNote; created: boolean }> {
  const { note, prefill } = await getDischargeSummary(ctx, admissionId);
  if (note) return { note, created: false };
  const a = await loadAdmission(ctx.db, ctx, admissionId);
  const sections = Object.fromEntries(Object.entries(prefill).filter(([, v]) => v !== '')) as NoteSections;
  return {
    note: await createNote(ctx, a.encounterId, { kind: 'discharge-summary', sections }),
    created: true,
  };
}

/** The printable discharge summary of an admission (signed or amended notes print as such; a draft says DRAFT). */
export async function dischargeSummaryPdf(
  ctx: Ctx,
  admissionId: string,
): Promise<{ pdf: Buffer; mrn: string }> {
  const a = await loadAdmission(ctx.db, ctx, admissionId);
  const detail = await getEncounterDetail(ctx, a.encounterId);
  const note = detail.notes.filter(isSummary).at(-1) ?? null;
  const facility = await getFacility(ctx.db, a.facilityId);
  const patient = await getPatient(ctx.db, a.patientId, ctx.now);
  const history = await bedHistoryOf(ctx.db, a.id);
  const prefill = note ? null : await prefillOf(ctx, a, detail, facility.timeZone);
  await recordAudit(ctx.db, ctx, {
    action: 'read',
    resourceType: 'DischargeSummary',
    resourceId: a.id,
    patientId: a.patientId,
    detail: {
      document: 'discharge-summary.pdf',
      noteId: note?.id ?? null,
      status: note?.status ?? 'not-started',
    },
  });
  const active = patient.allergies.filter((x) => x.status === 'active').map((x) => x.substance);
  const pdf = await renderDischargeSummary({
    facilityName: facility.name,
    facilityAddress:
      [facility.addressLine, facility.city, facility.state, facility.phone].filter(Boolean).join(', ') ||
      null,
    timeZone: facility.timeZone,
    patient: {
      displayName: patient.displayName,
      mrn: patient.mrn,
      age: patient.age,
      sex: patient.sex,
    },
    allergies:
      patient.allergyState === 'recorded'
        ? active.join(', ')
        : patient.allergyState === 'none-known'
          ? 'No known allergies'
          : 'Not recorded',
    admission: {
      number: a.admissionNumber,
      admittedAt: a.admittedAt.toISOString(),
      dischargedAt: a.dischargedAt?.toISOString() ?? null,
      dischargeType: a.dischargeType,
      attending: a.attendingPractitionerName,
      reason: a.reason,
    },
    beds: history,
    note,
    sections: note ? note.sections : (prefill as NoteSections),
  });
  return { pdf, mrn: patient.mrn };
}

export type DischargeSummaryDocument = {
  facilityName: string;
  facilityAddress: string | null;
  timeZone: string;
  patient: { displayName: string; mrn: string; age: string | null; sex: string };
  allergies: string;
  admission: {
    number: string;
    admittedAt: string;
    dischargedAt: string | null;
    dischargeType: string | null;
    attending: string;
    reason: string;
  };
  beds: BedPeriod[];
  note: ClinicalNote | null;
  sections: NoteSections;
};

/** Draws the discharge summary: hospital header, patient, stay dates, bed history and the sections. */
export function renderDischargeSummary(d: DischargeSummaryDocument): Promise<Buffer> {
  const tz = d.timeZone;
  return renderPdf(
    {
      size: pageSizes.A4,
      title: `Discharge summary ${d.patient.mrn} ${d.admission.number}`,
      marginMm: 15,
      author: d.facilityName,
    },
    (doc: PdfDocument) => {
      const left = mm(15);
      const width = mm(180);
      doc.font(fonts.bold).fontSize(14).text(d.facilityName, left, mm(15), { width });
      if (d.facilityAddress) doc.font(fonts.regular).fontSize(8).text(d.facilityAddress, { width });
      const status = !d.note
        ? 'NOT STARTED - pre-filled from the record'
        : d.note.status === 'draft'
          ? 'DRAFT - not signed'
          : null;
      doc
        .moveDown(0.5)
        .font(fonts.bold)
        .fontSize(12)
        .text(`Discharge summary${status ? ` (${status})` : ''}`, { width });
      doc
        .moveTo(left, doc.y + 2)
        .lineTo(left + width, doc.y + 2)
        .stroke();
      doc.moveDown(0.6);

      const p = d.patient;
      doc.font(fonts.bold).fontSize(10).text(p.displayName, { continued: true });
      doc.font(fonts.regular).text(`   MRN ${p.mrn}   ${[p.age, p.sex].filter(Boolean).join(' / ')}`);
      doc.text(`Admission ${d.admission.number}   Consultant: ${d.admission.attending}`, { width });
      doc.text(
        `Admitted: ${when(d.admission.admittedAt, tz)}   Discharged: ${
          d.admission.dischargedAt ? when(d.admission.dischargedAt, tz) : 'not yet discharged'
        }${d.admission.dischargeType ? ` (${d.admission.dischargeType})` : ''}`,
        { width },
      );
      doc.text(`Reason for admission: ${d.admission.reason}`, { width });
      doc.font(fonts.bold).text(`Allergies: ${d.allergies}`, { width });

      const heading = (title: string) => {
        doc.moveDown(0.4).font(fonts.bold).fontSize(10).text(title, left, doc.y, { width });
        doc.font(fonts.regular).fontSize(9);
      };
      if (d.beds.length > 0) {
        heading('Bed history');
        for (const b of d.beds) {
          doc.text(
            `${b.ward}, room ${b.room}, bed ${b.bed}: ${when(b.from, tz)} to ${b.to ? when(b.to, tz) : 'now'}`,
            { width },
          );
        }
      }
      for (const [key, title] of DISCHARGE_SUMMARY_SECTIONS) {
        const text = d.sections[key]?.trim();
        heading(title);
        doc.text(text || '-', { width });
      }
      if (d.note && (d.note.status === 'signed' || d.note.status === 'amended')) {
        doc
          .moveDown(1.5)
          .font(fonts.regular)
          .fontSize(9)
          .text(
            `Signed by ${d.note.signedBy ?? d.note.authorName} on ${d.note.signedAt ? when(d.note.signedAt, tz) : '-'}${
              d.note.status === 'amended' ? ` (amended: ${d.note.amendmentReason})` : ''
            }`,
            left,
            doc.y,
            { width, align: 'right' },
          );
      }
      doc
        .fontSize(7)
        .text(
          'This summary was printed from the hospital record; the record is the reference.',
          left,
          doc.y + 4,
          {
            width,
            align: 'right',
          },
        );
    },
  );
}
