import { ApiError } from '../app/api-client';

/** A stale write of a versioned record (optimistic concurrency): someone else changed it first. */
export function isConflict(err: unknown): boolean {
  return err instanceof ApiError && (err.status === 409 || err.status === 412);
}

export const CONFLICT_MESSAGE =
  'This record was changed by someone else. Reload it to see their change, then try again.';
