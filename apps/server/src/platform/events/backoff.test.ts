import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type BackoffPolicy, computeBackoffMs, defaultBackoff } from './backoff';

const policies = fc
  .record({
    baseMs: fc.integer({ min: 1, max: 60_000 }),
    factor: fc.integer({ min: 1, max: 10_000 }),
    jitter: fc.double({ min: 0, max: 0.5, noNaN: true }),
  })
  .map(({ baseMs, factor, jitter }): BackoffPolicy => ({ baseMs, capMs: baseMs * factor, jitter }));
const draws = fc.double({ min: 0, max: 1, noNaN: true });
const failures = fc.integer({ min: 1, max: 200 });

describe('computeBackoffMs', () => {
  it('doubles from one second to the ten-minute cap without jitter', () => {
    const policy = { ...defaultBackoff, jitter: 0 };
    const delays = [1, 2, 3, 4, 10, 11, 50].map((n) => computeBackoffMs(n, policy));
    expect(delays).toEqual([1000, 2000, 4000, 8000, 512_000, 600_000, 600_000]);
  });

  it('always stays within [base, cap]', () => {
    fc.assert(
      fc.property(policies, failures, draws, (policy, n, r) => {
        const delay = computeBackoffMs(n, policy, r);
        expect(delay).toBeGreaterThanOrEqual(policy.baseMs);
        expect(delay).toBeLessThanOrEqual(policy.capMs);
      }),
    );
  });

  it('shortens the nominal delay by at most the jitter fraction', () => {
    fc.assert(
      fc.property(policies, failures, draws, (policy, n, r) => {
        const nominal = computeBackoffMs(n, policy, 0);
        const delay = computeBackoffMs(n, policy, r);
        expect(delay).toBeLessThanOrEqual(nominal);
        expect(delay).toBeGreaterThanOrEqual(
          Math.max(policy.baseMs, Math.floor(nominal * (1 - policy.jitter))),
        );
      }),
    );
  });

  it('never retries sooner after more failures while the doubling is below the cap, whatever the draws', () => {
    fc.assert(
      fc.property(policies, failures, draws, draws, (policy, n, r1, r2) => {
        fc.pre(computeBackoffMs(n + 1, policy, 0) < policy.capMs);
        expect(computeBackoffMs(n + 1, policy, r2)).toBeGreaterThanOrEqual(computeBackoffMs(n, policy, r1));
      }),
    );
  });

  it('is non-decreasing in the number of failures for the same draw, up to and at the cap', () => {
    fc.assert(
      fc.property(policies, failures, draws, (policy, n, r) => {
        expect(computeBackoffMs(n + 1, policy, r)).toBeGreaterThanOrEqual(computeBackoffMs(n, policy, r));
      }),
    );
  });
});
