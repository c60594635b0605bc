export type BackoffPolicy = {
  /** Delay after the first failure. */
  baseMs: number;
  /** No delay is ever longer than this. */
  capMs: number;
  /** Fraction (0 to 0.5) by which a delay is randomly shortened, so failed deliveries do not retry in lockstep. */
  jitter: number;
};

export const defaultBackoff: BackoffPolicy = { baseMs: 1000, capMs: 10 * 60_000, jitter: 0.2 };

/**
 * Delay before the next try after `failures` failed ones: base * 2^(failures-1), capped, shortened by up to
 * `jitter` of itself, never below base. Jitter only ever shortens and is at most one half, so while the
 * doubling has not reached the cap a later retry never comes sooner than an earlier one.
 */
export function computeBackoffMs(
  failures: number,
  policy: BackoffPolicy = defaultBackoff,
  random = Math.random(),
): number {
  const exponent = Math.min(Math.max(failures, 1) - 1, 52);
  const nominal = Math.min(policy.capMs, policy.baseMs * 2 ** exponent);
  const jitter = Math.min(Math.max(policy.jitter, 0), 0.5);
  const delay = nominal * (1 - jitter * Math.min(Math.max(random, 0), 1));
  return Math.round(Math.min(policy.capMs, Math.max(policy.baseMs, delay)));
}
