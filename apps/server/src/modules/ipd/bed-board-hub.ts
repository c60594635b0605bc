import type { BedBoard } from '@newhms/contracts';
import { sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../../platform/db/database';
import { rowsOf } from '../../platform/db/raw-rows';
import { LiveHub } from '../../platform/live/live-hub';
import { BED_BOARD_CHANNEL, loadBedBoard } from './bed-board';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The live bed boards of one server process. Bed changes NOTIFY ipd_beds inside their transaction with the
 * facility id (`notifyBedBoard`) or the ward id (the IPD services' `notifyBeds`); a ward id is mapped to its
 * facility (wards never change facility, so the map is cached). This process then reads that facility's
 * board at most once per 100 ms (a lone change at once) and hands it to its own clients of the facility, each of which renders its
 * view (staff: all wards or one; public: one ward, initials and MRN only) and audits the patients it shows.
 */
export class BedBoardHub extends LiveHub<BedBoard> {
  private readonly facilityOfWard = new Map<string, string>();

  constructor(database: Database, log: FastifyBaseLogger, foldMs = 100) {
    super({
      database,
      log,
      channel: BED_BOARD_CHANNEL,
      resolveKey: async (payload, hasClients) => {
        if (this.clientCount === 0) return undefined;
        if (hasClients(payload)) return payload;
        const known = this.facilityOfWard.get(payload);
        if (known) return known;
        if (!UUID.test(payload)) return undefined;
        const [ward] = await rowsOf<{ facility_id: string }>(
          database.db,
          sql`select facility_id from ipd.wards where id = ${payload}`,
        );
        if (ward) this.facilityOfWard.set(payload, ward.facility_id);
        return ward?.facility_id ?? payload;
      },
      load: async (facilityId) => {
        const board = await loadBedBoard(database.db, facilityId, new Date());
        for (const w of board.wards) this.facilityOfWard.set(w.wardId, facilityId);
        return board;
      },
      unavailableCode: 'IPD_BED_BOARD_UNAVAILABLE',
      foldMs,
    });
  }
}
