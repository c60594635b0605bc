import { useEffect, useState } from 'react';

export type FeedState = 'connecting' | 'live' | 'reconnecting' | 'not-found' | 'closed';

const MAX_BACKOFF_MS = 30_000;

/**
 * A public live board (no sign-in): the snapshot from `url` at once, then every change pushed as a `board`
 * server-sent event from `${url}/events` (a `closed` event ends it). EventSource reconnects by itself after a
 * dropped connection; when it gives up (the server answered an error, or restarted) this reconnects with a
 * growing pause, and reads the snapshot again so nothing is missed. A 404 or 400 snapshot is 'not-found'.
 */
export function usePublicBoardFeed<B>(url: string): { board: B | null; state: FeedState } {
  const [board, setBoard] = useState<B | null>(null);
  const [state, setState] = useState<FeedState>('connecting');

  useEffect(() => {
    let source: EventSource | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let attempt = 0;
    let stopped = false;

    const snapshot = async (): Promise<boolean> => {
      try {
        const res = await fetch(url, { headers: { Accept: 'application/json' } });
        if (res.status === 404 || res.status === 400) {
          setState('not-found');
          return false;
        }
        if (res.ok) setBoard((await res.json()) as B);
      } catch {
        // offline: the stream's retries take over
      }
      return true;
    };

    const retryLater = () => {
      if (stopped) return;
      setState('reconnecting');
      const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(attempt, 5));
      attempt += 1;
      timer = setTimeout(() => void connect(), delay);
    };

    const connect = async () => {
      if (stopped) return;
      if (!(await snapshot()) || stopped) return;
      source = new EventSource(`${url}/events`);
      source.addEventListener('open', () => {
        attempt = 0;
        setState('live');
      });
      source.addEventListener('board', (e) => {
        try {
          setBoard(JSON.parse((e as MessageEvent<string>).data) as B);
          setState('live');
        } catch {
          // a malformed frame: the next one replaces it
        }
      });
      source.addEventListener('closed', () => {
        source?.close();
        setState('closed');
      });
      source.addEventListener('error', () => {
        // CONNECTING: the browser retries on its own (the server asks for 3 s); CLOSED: it gave up.
        if (source?.readyState === EventSource.CLOSED) {
          source.close();
          source = null;
          retryLater();
        } else {
          setState('reconnecting');
        }
      });
    };

    void connect();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      source?.close();
    };
  }, [url]);

  return { board, state };
}
