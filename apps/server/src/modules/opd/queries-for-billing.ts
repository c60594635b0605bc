import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/database';
import { appointments, practitioners, tokens } from './opd.tables';

// Read-only questions billing asks about OPD visits. OPD owns these tables; billing gets only this shape.

/** What a queue token bills: the consultation fee, who gave it and in which department. */
export type TokenConsultation = {
  tokenId: string;
  facilityId: string;
  patientId: string;
  date: string;
  kind: string;
  feeKind: 'first-visit' | 'follow-up';
  /** The appointment's booked fee, else the practitioner's first-visit or follow-up fee (paise). */
  fee: number;
  practitionerId: string;
  practitionerName: string;
  departmentId: string;
  appointmentId: string | null;
  encounterId: string | null;
  /** The first token of the visit: a transferred patient's chain of tokens ends here (itself if none). */
  visitTokenId: string;
};

/** The consultation a token bills, or null when there is no such token. */
export async function getTokenConsultation(db: DbOrTx, tokenId: string): Promise<TokenConsultation | null> {
  const [row] = await db
    .select({
      token: tokens,
      practitionerName: practitioners.displayName,
      departmentId: practitioners.departmentId,
      firstVisitFee: practitioners.firstVisitFee,
      followUpFee: practitioners.followUpFee,
      appointmentFee: appointments.fee,
    })
    .from(tokens)
    .innerJoin(practitioners, eq(practitioners.id, tokens.practitionerId))
    .leftJoin(appointments, eq(appointments.id, tokens.appointmentId))
    .where(eq(tokens.id, tokenId));
  if (!row) return null;
  const t = row.token;
  const feeKind = t.feeKind === 'follow-up' ? 'follow-up' : 'first-visit';
  const fee = row.appointmentFee ?? (feeKind === 'follow-up' ? row.followUpFee : row.firstVisitFee);
  // A transfer issues a new token linked to the one it came from; the visit is the first of the chain.
  let visitTokenId = t.id;
  let from = t.transferredFromTokenId;
  for (let hops = 0; from && hops < 20; hops++) {
    visitTokenId = from;
    const [prev] = await db
      .select({ from: tokens.transferredFromTokenId })
      .from(tokens)
      .where(eq(tokens.id, from));
    from = prev?.from ?? null;
  }
  return {
    tokenId: t.id,
    facilityId: t.facilityId,
    patientId: t.patientId,
    date: t.date,
    kind: t.kind,
    feeKind,
    fee,
    practitionerId: t.practitionerId,
    practitionerName: row.practitionerName,
    departmentId: row.departmentId,
    appointmentId: t.appointmentId,
    encounterId: t.encounterId,
    visitTokenId,
  };
}
