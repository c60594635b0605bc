import type { PublicBoard } from '@newhms/contracts';
import { and, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/database';
import { NotFound } from '../../platform/http/errors';
import { getPatientSummaries } from '../patients';
import { rooms, tokens } from './opd.tables';
import { facilityClock } from './opd-lookups';
import type { RoomRow } from './opd-records';
import { compareQueue, initialsOf } from './queue-rules';

// The public token board of a clinic room: token labels and their state, nothing else (initials only when
// the room's setting allows them). No sign-in, so nothing here may identify a patient by default.

const SHOWN = 10;

async function boardOf(db: DbOrTx, room: RoomRow, now: Date): Promise<PublicBoard> {
  const { today } = await facilityClock(db, room.facilityId, now);
  const rows = await db
    .select()
    .from(tokens)
    .where(
      and(
        eq(tokens.roomId, room.id),
        eq(tokens.date, today),
        inArray(tokens.status, ['waiting', 'called', 'in-consultation']),
      ),
    )
    .limit(1000);
  const serving = rows
    .filter((r) => r.status !== 'waiting')
    .sort((a, b) => (b.calledAt?.getTime() ?? 0) - (a.calledAt?.getTime() ?? 0))
    .slice(0, SHOWN);
  const waiting = rows
    .filter((r) => r.status === 'waiting')
    .sort(compareQueue)
    .slice(0, SHOWN);
  let initials = new Map<string, string>();
  if (room.showInitials) {
    const summaries = await getPatientSummaries(
      db,
      [...serving, ...waiting].map((r) => r.patientId),
      now,
    );
    initials = new Map(summaries.map((s) => [s.id, initialsOf(s.displayName)]));
  }
  const view = (r: (typeof rows)[number]) => ({
    label: r.label,
    status: r.status as PublicBoard['nowServing'][number]['status'],
    calledAt: r.calledAt?.toISOString() ?? null,
    initials: room.showInitials ? (initials.get(r.patientId) ?? null) : null,
  });
  return {
    boardCode: room.boardCode,
    roomName: room.name,
    date: today,
    nowServing: serving.map(view),
    waiting: waiting.map(view),
    updatedAt: now.toISOString(),
  };
}

/** The board of a board code (case-insensitive), and its room id (for the live feed). */
export async function loadBoard(
  db: DbOrTx,
  boardCode: string,
  now: Date,
): Promise<{ roomId: string; board: PublicBoard }> {
  const [room] = await db.select().from(rooms).where(eq(rooms.boardCode, boardCode.trim().toUpperCase()));
  if (!room?.active) throw new NotFound('The board', 'OPD_BOARD_NOT_FOUND');
  return { roomId: room.id, board: await boardOf(db, room, now) };
}

export async function loadBoardOfRoom(
  db: DbOrTx,
  roomId: string,
  now: Date,
): Promise<PublicBoard | undefined> {
  const [room] = await db.select().from(rooms).where(eq(rooms.id, roomId));
  return room?.active ? boardOf(db, room, now) : undefined;
}
