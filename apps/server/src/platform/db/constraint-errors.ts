import { DomainError } from '../http/errors';

/** The PostgreSQL constraint an error names, whichever driver raised it (pg, PGlite, wrapped by Drizzle). */
export function violatedConstraint(err: unknown): string | undefined {
  let e: unknown = err;
  for (let i = 0; i < 4 && e && typeof e === 'object'; i++) {
    const c = (e as { constraint?: unknown }).constraint;
    if (typeof c === 'string' && c) return c;
    const message = (e as { message?: unknown }).message;
    if (typeof message === 'string') {
      const m = /constraint "([a-z0-9_]+)"/.exec(message);
      if (m) return m[1];
    }
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * Runs a write and turns a module's own constraint violations into the domain errors they mean (by
 * constraint name); any other error passes through to the problem handler.
 */
export async function withConstraintErrors<T>(
  run: () => Promise<T>,
  meanings: Record<string, () => DomainError>,
): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof DomainError) throw err;
    const name = violatedConstraint(err);
    const meaning = name ? meanings[name] : undefined;
    if (meaning) throw meaning();
    throw err;
  }
}
