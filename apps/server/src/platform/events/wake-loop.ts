import type { Logger } from 'pino';
import type { Database } from '../db/database';

export type WakeLoop = {
  /** Asks for a pass; wakes that arrive during a pass cause exactly one more. */
  wake(): void;
  /** Runs fn when no pass is running in this process (drain in tests, and the passes themselves). */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  stop(): Promise<void>;
};

/**
 * Runs `pass` on every NOTIFY of `channel` and every `pollMs`, one pass at a time. A failed pass is
 * logged and left to the next poll, so a database outage does not spin.
 */
export function startWakeLoop(options: {
  database: Database;
  channel: string;
  pollMs: number;
  log: Logger;
  pass: () => Promise<unknown>;
}): WakeLoop {
  const { database, channel, pollMs, log, pass } = options;
  let chain: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = chain.then(fn);
    chain = run.catch(() => {});
    return run;
  };

  let stopped = false;
  let wakePending = false;
  let looping: Promise<void> | undefined;

  async function runLoop(): Promise<void> {
    while (wakePending && !stopped) {
      wakePending = false;
      try {
        await exclusive(pass);
      } catch (error) {
        log.error({ err: error }, 'pass failed; trying again at the next poll');
        return;
      }
    }
  }

  function wake(): void {
    if (stopped) return;
    wakePending = true;
    looping ??= runLoop().finally(() => {
      looping = undefined;
    });
  }

  const timer = setInterval(wake, pollMs);
  timer.unref();
  let unlisten: (() => Promise<void>) | undefined;
  const listening = database
    .listen(channel, wake)
    .then((fn) => {
      unlisten = fn;
    })
    .catch((error: unknown) => log.warn({ err: error, channel }, 'cannot LISTEN; relying on polling'));
  wake();

  return {
    wake,
    exclusive,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await listening;
      await unlisten?.().catch(() => {});
      await looping;
      await chain;
    },
  };
}
