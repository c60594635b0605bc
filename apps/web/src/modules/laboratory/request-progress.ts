import type { LabRequest } from '@newhms/contracts';
import { rejectionReasonLabels, requestStatusLabels } from './laboratory-labels';
import { isAbnormalFlag, isCriticalFlag } from './result-flags';

// Pure: where a request stands, in the words a ward nurse or a doctor asks it ("collected?", "is it back?").

const isReleased = (status: string) => status === 'validated' || status === 'amended';

/** "Awaiting collection", "In the lab · 3 of 20 released · 2 awaiting validation", "Completed". */
export function requestProgress(r: LabRequest): string {
  if (r.status === 'cancelled') return r.cancelReason ? `Cancelled: ${r.cancelReason}` : 'Cancelled';
  if (r.status === 'completed') return requestStatusLabels.completed;
  const parts: string[] = [];
  const active = r.samples.filter((s) => s.status !== 'rejected' && s.status !== 'cancelled');
  const rejected = r.samples.filter((s) => s.status === 'rejected');
  if (active.some((s) => s.status === 'awaiting-collection')) {
    const last = rejected.at(-1);
    parts.push(
      last?.rejectionReason
        ? `Recollection asked (${rejectionReasonLabels[last.rejectionReason].toLowerCase()})`
        : 'Awaiting collection',
    );
  } else if (active.some((s) => s.status === 'collected')) parts.push('Collected');
  else if (active.some((s) => s.status === 'received')) parts.push('In the lab');
  const results = r.results.filter((x) => x.status !== 'cancelled');
  const released = results.filter((x) => isReleased(x.status)).length;
  const entered = results.filter((x) => x.status === 'entered').length;
  if (released > 0) parts.push(`${released} of ${results.length} released`);
  if (entered > 0) parts.push(`${entered} awaiting validation`);
  return parts.join(' · ') || requestStatusLabels[r.status];
}

/** Released results outside the range and the critical ones among them. */
export function releasedFindings(r: LabRequest) {
  const released = r.results.filter((x) => isReleased(x.status));
  return {
    released,
    abnormal: released.filter((x) => isAbnormalFlag(x.flag)),
    critical: released.filter((x) => isCriticalFlag(x.flag)),
  };
}
