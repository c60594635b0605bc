import type { ServerResponse } from 'node:http';
import type { PublicBoard } from '@newhms/contracts';
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../../platform/db/database';
import { LiveHub, sseFrame } from '../../platform/live/live-hub';
import { loadBoardOfRoom } from './board';
import { BOARD_CHANNEL } from './opd.events';

export { sseFrame };

/**
 * The live feed of the token boards in one server process (platform/live): every queue change NOTIFYs
 * opd_board with the room id inside its transaction; each process reads the room's board at most once per
 * 100 ms (a lone change at once, a burst folded) and writes it to its own SSE clients of that room.
 */
export class BoardHub extends LiveHub<PublicBoard> {
  constructor(database: Database, log: FastifyBaseLogger, foldMs = 100) {
    super({
      database,
      log,
      channel: BOARD_CHANNEL,
      load: (roomId) => loadBoardOfRoom(database.db, roomId, new Date()),
      unavailableCode: 'OPD_BOARD_UNAVAILABLE',
      foldMs,
    });
  }

  /** Adds a stream of a room's board: a "board" frame after every change, "closed" when it is switched off. */
  attachStream(roomId: string, res: ServerResponse): () => void {
    const client = {
      res,
      deliver: (board: PublicBoard | undefined) => {
        res.write(board ? sseFrame('board', board) : sseFrame('closed', { reason: 'board-inactive' }));
      },
    };
    return this.attach(roomId, client);
  }
}
