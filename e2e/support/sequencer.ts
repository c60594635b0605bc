import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

// The order of the files, and how many servers the pool (support/server-pool.ts) should start for them. The
// sequencer is loaded with the config and the pool by the global setup, both in the main vitest process but as
// separate module instances: they meet on globalThis.
const PLAN = Symbol.for('newhms.e2e.plan');
type Plan = { servers?: number; onPlanned?: () => void };

function plan(): Plan {
  const g = globalThis as { [PLAN]?: Plan };
  g[PLAN] ??= {};
  return g[PLAN];
}

/** How many files of this run take a server with the default options; Infinity until the files are sorted. */
export function plannedServers(): number {
  return plan().servers ?? Number.POSITIVE_INFINITY;
}

/** Calls back once the files of the run are known (at once if they already are). */
export function whenPlanned(callback: () => void): void {
  if (plan().servers !== undefined) callback();
  else plan().onPlanned = callback;
}

// About how long each file takes (seconds, measured with 2 workers; a file that starts its own server, with
// options, counts the ~20 s of that start). The longest go first so that no long file starts last and runs alone
// at the end. A file not listed counts by its size (~1 s per kB).
const ESTIMATES: Record<string, number> = {
  'laboratory.e2e.ts': 95,
  'radiology.e2e.ts': 70,
  'ipd.e2e.ts': 50,
  'opd.e2e.ts': 48,
  'accessibility-billing-pharmacy.e2e.ts': 48,
  'patients.e2e.ts': 40,
  'billing.e2e.ts': 38,
  'accessibility-radiology.e2e.ts': 37,
  'accessibility-laboratory.e2e.ts': 30,
  'accessibility-ipd-nursing.e2e.ts': 29,
  'prescribing.e2e.ts': 28,
  'consultation.e2e.ts': 27,
  'mfa.e2e.ts': 26,
  'nursing.e2e.ts': 20,
  'purchasing.e2e.ts': 18,
  'accessibility-registration.e2e.ts': 17,
  'accessibility-opd.e2e.ts': 17,
  'users.e2e.ts': 17,
  'pharmacy.e2e.ts': 17,
  'housekeeping.e2e.ts': 16,
  'insurance.e2e.ts': 14,
  'roles.e2e.ts': 10,
  'audit.e2e.ts': 9,
  'responsive.e2e.ts': 9,
  'facilities.e2e.ts': 8,
};

function estimate(file: TestSpecification): number {
  const known = ESTIMATES[basename(file.moduleId)];
  if (known !== undefined) return known;
  try {
    return statSync(file.moduleId).size / 1000;
  } catch {
    return 0;
  }
}

function usesDefaultServer(file: TestSpecification): boolean {
  try {
    return /startServer\(\)/.test(readFileSync(file.moduleId, 'utf8'));
  } catch {
    return true;
  }
}

export default class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const p = plan();
    p.servers = files.filter(usesDefaultServer).length;
    p.onPlanned?.();
    return [...files].sort((a, b) => estimate(b) - estimate(a));
  }
}
