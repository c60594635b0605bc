import { OPD_EVENTS } from '@newhms/contracts';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/database';
import type { EventRegistry } from '../../platform/events/outbox';
import { emitAppointmentEvent } from './opd.events';
import { appointments, tokens } from './opd.tables';

/**
 * Re-points the OPD's rows of a merged patient record to the survivor (patients.patient.merged). Where both
 * records hold an active appointment with one doctor on one day (or a live token in one queue), the merged
 * record's one is closed first, so that the one-per-day rules keep holding. Idempotent.
 */
export async function followMerge(
  tx: DbOrTx,
  events: EventRegistry,
  survivorId: string,
  mergedId: string,
): Promise<void> {
  const clashes = await tx
    .update(appointments)
    .set({
      status: 'cancelled',
      cancelReason: 'Duplicate patient record merged; the other appointment stands',
      cancelledAt: sql`now()`,
      version: sql`${appointments.version} + 1`,
      updatedAt: sql`now()`,
    })
    .where(
      and(
        eq(appointments.patientId, mergedId),
        inArray(appointments.status, ['booked', 'arrived']),
        sql`exists (select 1 from opd.appointments s where s.patient_id = ${survivorId}
              and s.practitioner_id = ${appointments.practitionerId} and s.date = ${appointments.date}
              and s.status in ('booked', 'arrived'))`,
      ),
    )
    .returning();
  const ctx = { actor: { type: 'system' as const, name: 'opd.follow-merge' } };
  for (const a of clashes) {
    await emitAppointmentEvent(tx, { events }, ctx, OPD_EVENTS.appointmentCancelled, a, { cause: 'merged' });
  }
  await tx
    .update(tokens)
    .set({
      status: 'transferred',
      transferReason: 'Duplicate patient record merged',
      transferredToTokenId: sql`(select s.id from opd.tokens s where s.patient_id = ${survivorId}
        and s.practitioner_id = ${tokens.practitionerId} and s.date = ${tokens.date}
        and s.status in ('waiting', 'called', 'in-consultation', 'skipped') limit 1)`,
      version: sql`${tokens.version} + 1`,
      updatedAt: sql`now()`,
    })
    .where(
      and(
        eq(tokens.patientId, mergedId),
        inArray(tokens.status, ['waiting', 'called', 'in-consultation', 'skipped']),
        sql`exists (select 1 from opd.tokens s where s.patient_id = ${survivorId}
              and s.practitioner_id = ${tokens.practitionerId} and s.date = ${tokens.date}
              and s.status in ('waiting', 'called', 'in-consultation', 'skipped'))`,
      ),
    );
  await tx.update(appointments).set({ patientId: survivorId }).where(eq(appointments.patientId, mergedId));
  await tx.update(tokens).set({ patientId: survivorId }).where(eq(tokens.patientId, mergedId));
}
