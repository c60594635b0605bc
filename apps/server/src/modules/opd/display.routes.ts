import { BoardParams, Problem, PublicBoard } from '@newhms/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Database } from '../../platform/db/database';
import { startSseStream } from '../../platform/live/live-hub';
import { loadBoard } from './board';
import { type BoardHub, sseFrame } from './board-hub';

const tags = ['opd-display'];

/**
 * The public token board of a clinic room (no sign-in: /api/public is outside the authenticated paths).
 * The web app serves the page at /display/<boardCode>; these are its data and its live feed.
 */
export async function displayRoutes(app: FastifyInstance, database: Database, hub: BoardHub): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/public/display/:boardCode',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'A room board: tokens now serving and waiting (no names unless the board allows initials)',
        params: BoardParams,
        response: { 200: PublicBoard, 400: Problem, 404: Problem },
      },
    },
    async (request, reply) => {
      const { board } = await loadBoard(database.db, request.params.boardCode, new Date());
      reply.header('cache-control', 'no-store');
      return board;
    },
  );

  r.get(
    '/api/public/display/:boardCode/events',
    {
      config: { public: true },
      schema: {
        tags,
        summary:
          'Server-sent events: "board" with the whole board now and after every change, from any server process',
        params: BoardParams,
        response: { 400: Problem, 404: Problem, 503: Problem },
      },
    },
    async (request, reply) => {
      // Unknown boards are a plain 404 before the stream starts.
      const { roomId } = await loadBoard(database.db, request.params.boardCode, new Date());
      await hub.ready();
      const res = startSseStream(reply);
      // Attach first, then send the snapshot: a change in between is pushed after it, never lost.
      const detach = hub.attachStream(roomId, res);
      try {
        const { board } = await loadBoard(database.db, request.params.boardCode, new Date());
        res.write(sseFrame('board', board));
      } catch {
        detach();
        res.end();
      }
    },
  );
}
