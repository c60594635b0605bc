import {
  type AppointmentEventPayload,
  OPD_EVENTS,
  type SessionCancelledPayload,
  type TokenEventPayload,
} from '@newhms/contracts';
import { sql } from 'drizzle-orm';
import { actorId, type Ctx } from '../../platform/context';
import type { DbOrTx } from '../../platform/db/database';
import { appendEvent, type EventRegistry } from '../../platform/events/outbox';
import type { AppointmentRow, TokenRow } from './opd-records';

/** What the OPD services need besides the context. */
export type OpdEnv = { events: EventRegistry };

/** NOTIFY channel of the token boards; the payload is a room id. Sent inside the transaction (after commit). */
export const BOARD_CHANNEL = 'opd_board';

export async function notifyBoard(tx: DbOrTx, roomId: string): Promise<void> {
  await tx.execute(sql`select pg_notify(${BOARD_CHANNEL}, ${roomId})`);
}

type AppointmentEventType =
  | typeof OPD_EVENTS.appointmentBooked
  | typeof OPD_EVENTS.appointmentRescheduled
  | typeof OPD_EVENTS.appointmentCancelled
  | typeof OPD_EVENTS.appointmentArrived
  | typeof OPD_EVENTS.appointmentNoShow;

export async function emitAppointmentEvent(
  tx: DbOrTx,
  env: OpdEnv,
  ctx: Pick<Ctx, 'actor'>,
  type: AppointmentEventType,
  a: AppointmentRow,
  extra: Pick<AppointmentEventPayload, 'previous' | 'cause' | 'tokenId'> = {},
): Promise<void> {
  const payload: AppointmentEventPayload = {
    appointmentId: a.id,
    patientId: a.patientId,
    practitionerId: a.practitionerId,
    slotId: a.slotId,
    startsAt: a.startsAt.toISOString(),
    endsAt: a.endsAt.toISOString(),
    source: a.source as AppointmentEventPayload['source'],
    feeKind: a.feeKind as AppointmentEventPayload['feeKind'],
    fee: a.fee,
    currency: a.currency,
    ...extra,
  };
  await appendEvent(tx, env.events, {
    type,
    facilityId: a.facilityId,
    aggregateId: a.id,
    actorId: actorId(ctx.actor),
    payload,
  });
}

export async function emitSessionCancelled(
  tx: DbOrTx,
  env: OpdEnv,
  ctx: Pick<Ctx, 'actor'>,
  facilityId: string,
  payload: SessionCancelledPayload,
): Promise<void> {
  await appendEvent(tx, env.events, {
    type: OPD_EVENTS.sessionCancelled,
    facilityId,
    aggregateId: payload.sessionId,
    actorId: actorId(ctx.actor),
    payload,
  });
}

type TokenEventType =
  | typeof OPD_EVENTS.tokenIssued
  | typeof OPD_EVENTS.tokenCalled
  | typeof OPD_EVENTS.tokenCompleted
  | typeof OPD_EVENTS.tokenTransferred;

export async function emitTokenEvent(
  tx: DbOrTx,
  env: OpdEnv,
  ctx: Pick<Ctx, 'actor'>,
  type: TokenEventType,
  t: TokenRow,
): Promise<void> {
  const payload: TokenEventPayload = {
    tokenId: t.id,
    patientId: t.patientId,
    practitionerId: t.practitionerId,
    roomId: t.roomId,
    date: t.date,
    number: t.number,
    status: t.status as TokenEventPayload['status'],
    appointmentId: t.appointmentId,
    kind: t.kind as TokenEventPayload['kind'],
    feeKind: t.feeKind as TokenEventPayload['feeKind'],
    ...(t.transferredToTokenId ? { transferredToTokenId: t.transferredToTokenId } : {}),
  };
  await appendEvent(tx, env.events, {
    type,
    facilityId: t.facilityId,
    aggregateId: t.id,
    actorId: actorId(ctx.actor),
    payload,
  });
}
