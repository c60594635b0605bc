import type { BedBoard } from '@newhms/contracts';
import { useEffect, useState } from 'react';
import { api } from '../../../app/api-client';
import { useAuth } from '../../../app/auth/auth-context';

type LiveTicket = { ticket: string; expiresAt: string };

export type FeedState = 'connecting' | 'live' | 'reconnecting' | 'closed';

const MAX_BACKOFF_MS = 30_000;

/**
 * The staff bed board of the facility, live: the snapshot at once, then every change pushed over server-sent
 * events. An EventSource cannot send the bearer token, so each connection opens with a one-minute ticket
 * (POST /ipd/bed-board/tickets). When the stream ends (its time limit, a restart, a dropped network) this asks
 * for a new ticket and reconnects with a growing pause; each new stream starts with the whole board, so
 * nothing is missed.
 */
export function useBedBoardFeed(): { board: BedBoard | null; state: FeedState; error: unknown } {
  const { facilityId } = useAuth();
  const [board, setBoard] = useState<BedBoard | null>(null);
  const [state, setState] = useState<FeedState>('connecting');
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    if (!facilityId) return;
    let source: EventSource | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let attempt = 0;
    let stopped = false;
    setBoard(null);
    setState('connecting');

    const retryLater = (immediately = false) => {
      if (stopped) return;
      source?.close();
      source = null;
      setState('reconnecting');
      const delay = immediately ? 0 : Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(attempt, 5));
      attempt += 1;
      timer = setTimeout(() => void connect(), delay);
    };

    const connect = async () => {
      if (stopped) return;
      let ticket: LiveTicket;
      try {
        // The snapshot first: the board shows at once even if the stream is slow to open.
        const [snapshot, issued] = await Promise.all([
          api.get<BedBoard>('/ipd/bed-board'),
          api.post<LiveTicket>('/ipd/bed-board/tickets'),
        ]);
        if (stopped) return;
        setBoard(snapshot);
        setError(null);
        ticket = issued;
      } catch (err) {
        if (stopped) return;
        setError(err);
        retryLater();
        return;
      }
      source = new EventSource(`/api/v1/ipd/bed-board/events?ticket=${encodeURIComponent(ticket.ticket)}`);
      source.addEventListener('open', () => {
        attempt = 0;
        setState('live');
      });
      source.addEventListener('board', (e) => {
        try {
          setBoard(JSON.parse((e as MessageEvent<string>).data) as BedBoard);
          setState('live');
        } catch {
          // a malformed frame: the next one replaces it
        }
      });
      // The stream reached its time limit: a new ticket, at once.
      source.addEventListener('expired', () => retryLater(true));
      source.addEventListener('closed', () => {
        source?.close();
        setState('closed');
      });
      // A ticket is good for one connection, so the browser's own retry would be refused: start again here.
      source.addEventListener('error', () => retryLater());
    };

    void connect();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      source?.close();
    };
  }, [facilityId]);

  return { board, state, error };
}

/** A clock for "minutes in cleaning" between two board frames. */
export function useNow(intervalMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(t);
  }, [intervalMs]);
  return now;
}
