import { Counter, type Registry } from 'prom-client';

/** What the job runner reports; a no-op stands in where no registry is wired. */
export type JobMetrics = {
  recordFailure(job: string): void;
  recordCompletion(job: string): void;
};

export const noJobMetrics: JobMetrics = { recordFailure() {}, recordCompletion() {} };

/** Registers the job counters on a registry. */
export function registerJobMetrics(registry: Registry): JobMetrics {
  const failures = new Counter({
    name: 'newhms_job_failures_total',
    help: 'Job runs that threw, by job (each failed attempt counts, including those retried later).',
    labelNames: ['job'] as const,
    registers: [registry],
  });
  const completions = new Counter({
    name: 'newhms_job_completions_total',
    help: 'Job runs that completed, by job.',
    labelNames: ['job'] as const,
    registers: [registry],
  });
  return {
    recordFailure: (job) => failures.inc({ job }),
    recordCompletion: (job) => completions.inc({ job }),
  };
}
