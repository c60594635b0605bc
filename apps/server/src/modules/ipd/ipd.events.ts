import {
  type AdmissionEventPayload,
  type BedRef,
  type BedReleasedPayload,
  IPD_EVENTS,
} from '@newhms/contracts';
import { sql } from 'drizzle-orm';
import { actorId, type Ctx } from '../../platform/context';
import type { DbOrTx } from '../../platform/db/database';
import { appendEvent } from '../../platform/events/outbox';
import type { IpdEnv } from './ipd.env';
import type { AdmissionRow, BedInfo } from './ipd-records';

/**
 * NOTIFY channel of bed changes; the payload is the ward id. Sent inside the transaction, so it leaves only
 * on commit (the bed board listens to it).
 */
export const BEDS_CHANNEL = 'ipd_beds';

export async function notifyBeds(tx: DbOrTx, wardId: string): Promise<void> {
  await tx.execute(sql`select pg_notify(${BEDS_CHANNEL}, ${wardId})`);
}

export function bedRefOf(i: BedInfo): BedRef {
  return {
    bedId: i.bed.id,
    bedCode: i.bed.code,
    wardId: i.ward.id,
    wardCode: i.ward.code,
    wardName: i.ward.name,
    tariffClass: i.category.tariffClass,
    isolation: i.bed.isolation,
  };
}

type AdmissionEventType =
  | typeof IPD_EVENTS.admitted
  | typeof IPD_EVENTS.transferred
  | typeof IPD_EVENTS.dischargeInitiated
  | typeof IPD_EVENTS.discharged
  | typeof IPD_EVENTS.cancelled;

export async function emitAdmissionEvent(
  tx: DbOrTx,
  env: Pick<IpdEnv, 'events'>,
  ctx: Pick<Ctx, 'actor'>,
  type: AdmissionEventType,
  a: AdmissionRow,
  beds: { bed: BedRef | null; previousBed: BedRef | null; at: Date },
): Promise<void> {
  const payload: AdmissionEventPayload = {
    admissionId: a.id,
    admissionNumber: a.admissionNumber,
    patientId: a.patientId,
    encounterId: a.encounterId,
    payerCategory: a.payerCategory,
    bed: beds.bed,
    previousBed: beds.previousBed,
    at: beds.at.toISOString(),
    dischargeType: a.dischargeType,
  };
  await appendEvent(tx, env.events, {
    type,
    facilityId: a.facilityId,
    aggregateId: a.id,
    actorId: actorId(ctx.actor),
    payload,
  });
}

export async function emitBedReleased(
  tx: DbOrTx,
  env: Pick<IpdEnv, 'events'>,
  ctx: Pick<Ctx, 'actor'>,
  bed: BedInfo,
  admissionId: string,
  releasedAt: Date,
  cause: BedReleasedPayload['cause'],
): Promise<void> {
  const payload: BedReleasedPayload = {
    bedId: bed.bed.id,
    bedCode: bed.bed.code,
    wardId: bed.ward.id,
    wardCode: bed.ward.code,
    wardName: bed.ward.name,
    isolation: bed.bed.isolation,
    admissionId,
    releasedAt: releasedAt.toISOString(),
    cause,
  };
  await appendEvent(tx, env.events, {
    type: IPD_EVENTS.bedReleased,
    facilityId: bed.bed.facilityId,
    aggregateId: bed.bed.id,
    actorId: actorId(ctx.actor),
    payload,
  });
}
