import type { ServerResponse } from 'node:http';
import {
  BedBoard,
  BedBoardDisplayParams,
  BedBoardEventsQuery,
  BedBoardQuery,
  LiveTicket,
  Problem,
  PublicBedBoard,
} from '@newhms/contracts';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from '../../platform/config/config';
import type { Ctx } from '../../platform/context';
import { RuleViolation, Unauthorized } from '../../platform/http/errors';
import { sseFrame, startSseStream } from '../../platform/live/live-hub';
import { LiveTickets } from '../../platform/live/live-tickets';
import {
  auditBoardRead,
  type BedBoardDisplay,
  boardOfWard,
  findDisplay,
  loadBedBoard,
  patientsOn,
  publicBoardOf,
} from './bed-board';
import { BedBoardHub } from './bed-board-hub';
import type { IpdEnv } from './ipd.env';

const tags = ['ipd-bed-board'];
const SCOPE = 'ipd.bed-board';
const READ = 'ipd:read';

function requireFacility(ctx: Ctx): string {
  if (!ctx.facilityId) throw new RuleViolation('FACILITY_REQUIRED', 'Choose a facility first');
  return ctx.facilityId;
}

/**
 * The bed board: the staff board (ipd:read) as JSON and as server-sent events, and the public board of a
 * ward's display code (no sign-in, initials and MRN only). Live across server processes through
 * `notifyBedBoard` (LISTEN/NOTIFY on ipd_beds).
 */
export async function bedBoardRoutes(app: FastifyInstance, env: IpdEnv, config: Config): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const hub = new BedBoardHub(env.database, app.log);
  const tickets = new LiveTickets(env.database.db, config);
  // Before the HTTP server closes: end the live streams, which would otherwise hold it open.
  app.addHook('preClose', async () => hub.close());
  const read = app.requirePermission(READ);

  r.get(
    '/api/v1/ipd/bed-board',
    {
      preHandler: read,
      schema: {
        tags,
        summary: "Every bed of the facility (or one ward) with status, patient and the ward's figures",
        querystring: BedBoardQuery,
        response: { 200: BedBoard, 400: Problem, 401: Problem, 403: Problem, 422: Problem },
      },
    },
    async (request, reply) => {
      const ctx = request.ctx;
      const facilityId = requireFacility(ctx);
      const board = boardOfWard(await loadBedBoard(ctx.db, facilityId, ctx.now), request.query.wardId);
      await auditBoardRead(ctx, request.query.wardId ?? facilityId, patientsOn(board), { via: 'bed-board' });
      reply.header('cache-control', 'no-store');
      return board;
    },
  );

  r.post(
    '/api/v1/ipd/bed-board/tickets',
    {
      preHandler: read,
      schema: {
        tags,
        summary:
          'A one-minute ticket to open /api/v1/ipd/bed-board/events?ticket=... from an EventSource (which ' +
          'cannot send the Authorization header)',
        response: { 201: LiveTicket, 401: Problem, 403: Problem, 422: Problem },
      },
    },
    async (request, reply) => {
      requireFacility(request.ctx);
      reply.status(201).header('cache-control', 'no-store');
      return tickets.issue(request.ctx.actor, SCOPE, request.ctx.now);
    },
  );

  r.get(
    '/api/v1/ipd/bed-board/events',
    {
      // Authenticated here rather than by the platform hook: a bearer token (fetch-based clients) or a
      // ticket (EventSource).
      config: { public: true },
      schema: {
        tags,
        summary:
          'Server-sent events: "board" with the staff board now and after every change from any server ' +
          'process; "expired" when the stream reached its time limit (get a new ticket)',
        querystring: BedBoardEventsQuery,
        response: { 400: Problem, 401: Problem, 403: Problem, 422: Problem, 503: Problem },
      },
    },
    async (request, reply) => {
      let ctx = request.ctx;
      if (request.actor?.type === 'user') {
        await read.call(app, request, reply, () => {});
      } else if (request.query.ticket) {
        const actor = await tickets.redeem(request.query.ticket, SCOPE, READ, new Date());
        ctx = { ...ctx, actor, facilityId: actor.facilityId };
      } else {
        throw new Unauthorized('LIVE_TICKET_REQUIRED', 'Sign in, or open the stream with a ticket');
      }
      const facilityId = requireFacility(ctx);
      const { wardId } = request.query;
      await hub.ready();
      const res = startSseStream(reply);
      const shown = new Set<string>();
      const client = {
        res,
        deliver: async (board: BedBoard | undefined) => {
          if (!board) return void res.write(sseFrame('closed', { reason: 'facility-unknown' }));
          const view = boardOfWard(board, wardId);
          // Every patient a stream shows is audited once: when it first shows them.
          const fresh = patientsOn(view).filter((id) => !shown.has(id));
          await auditBoardRead({ ...ctx, now: new Date() }, wardId ?? facilityId, fresh, {
            via: 'bed-board-events',
          });
          for (const id of fresh) shown.add(id);
          res.write(sseFrame('board', view));
        },
      };
      const limit = setTimeout(() => {
        res.write(sseFrame('expired', { reason: 'time-limit' }));
        res.end();
      }, tickets.maxStreamSeconds * 1000).unref();
      res.on('close', () => clearTimeout(limit));
      await openStream(
        request.log,
        hub.attach(facilityId, client),
        () => hub.sendCurrent(facilityId, client),
        res,
      );
    },
  );

  r.get(
    '/api/public/bed-board/:displayCode',
    {
      config: { public: true },
      schema: {
        tags,
        summary: "A ward's public bed board: statuses, initials and MRN (no names), the ward's figures",
        params: BedBoardDisplayParams,
        response: { 200: PublicBedBoard, 400: Problem, 404: Problem },
      },
    },
    async (request, reply) => {
      const ctx = request.ctx;
      const display = await findDisplay(ctx.db, request.params.displayCode);
      const staff = await loadBedBoard(ctx.db, display.facilityId, ctx.now);
      await auditPublic(ctx, display, staff);
      reply.header('cache-control', 'no-store');
      return publicBoardOf(staff, display);
    },
  );

  r.get(
    '/api/public/bed-board/:displayCode/events',
    {
      config: { public: true },
      schema: {
        tags,
        summary:
          'Server-sent events: "board" with the public board now and after every change from any server process',
        params: BedBoardDisplayParams,
        response: { 400: Problem, 404: Problem, 503: Problem },
      },
    },
    async (request, reply) => {
      // Unknown displays are a plain 404 before the stream starts.
      const display = await findDisplay(request.ctx.db, request.params.displayCode);
      await hub.ready();
      const res = startSseStream(reply);
      const shown = new Set<string>();
      const client = {
        res,
        deliver: async (board: BedBoard | undefined) => {
          if (!board) return void res.write(sseFrame('closed', { reason: 'facility-unknown' }));
          const ward = boardOfWard(board, display.wardId);
          const fresh = patientsOn(ward).filter((id) => !shown.has(id));
          await auditPublic({ ...request.ctx, now: new Date() }, display, ward, fresh);
          for (const id of fresh) shown.add(id);
          res.write(sseFrame('board', publicBoardOf(board, display)));
        },
      };
      await openStream(
        request.log,
        hub.attach(display.facilityId, client),
        () => hub.sendCurrent(display.facilityId, client),
        res,
      );
    },
  );
}

/** Sends a stream's first frame; a failure ends the stream (the client reconnects). */
async function openStream(
  log: FastifyBaseLogger,
  detach: () => void,
  first: () => Promise<void>,
  res: ServerResponse,
): Promise<void> {
  try {
    await first();
  } catch (err) {
    log.warn({ err }, 'cannot send the first bed board');
    detach();
    res.end();
  }
}

/** A public display read is audited as an anonymous read of the patients it showed (initials and MRN). */
async function auditPublic(ctx: Ctx, display: BedBoardDisplay, board: BedBoard, patientIds?: string[]) {
  await auditBoardRead(
    { ...ctx, facilityId: display.facilityId },
    display.wardId,
    patientIds ?? patientsOn(boardOfWard(board, display.wardId)),
    { via: 'public-display', displayCode: display.displayCode },
  );
}
