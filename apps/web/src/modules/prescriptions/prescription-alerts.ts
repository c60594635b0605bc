import type { PrescriptionAlert } from '@newhms/contracts';
import { ApiError } from '../../app/api-client';

// The checker's alerts as the prescriber and the pharmacist read them: most serious first, in three tiers of
// colour, and the alerts a refused signature names.

export type Severity = PrescriptionAlert['severity'];

const RANK: Record<Severity, number> = { contraindicated: 0, major: 1, moderate: 2, minor: 3 };

export const severityLabels: Record<Severity, string> = {
  contraindicated: 'Contraindicated',
  major: 'Major',
  moderate: 'Moderate',
  minor: 'Minor',
};

export const alertKindLabels: Record<PrescriptionAlert['kind'], string> = {
  interaction: 'Interaction',
  allergy: 'Allergy',
  'duplicate-therapy': 'Duplicate therapy',
  'dose-range': 'Dose',
};

/** Red for contraindicated and major (a reason is needed), amber for moderate, grey for minor. */
export function severityTier(severity: Severity): 'red' | 'amber' | 'grey' {
  if (severity === 'contraindicated' || severity === 'major') return 'red';
  return severity === 'moderate' ? 'amber' : 'grey';
}

/** Most serious first; within a tier, allergies before interactions before the rest, then by line. */
export function sortAlerts<A extends Pick<PrescriptionAlert, 'severity' | 'kind' | 'lineNos' | 'message'>>(
  alerts: readonly A[],
): A[] {
  const kindRank: Record<PrescriptionAlert['kind'], number> = {
    allergy: 0,
    interaction: 1,
    'duplicate-therapy': 2,
    'dose-range': 3,
  };
  return [...alerts].sort(
    (a, b) =>
      RANK[a.severity] - RANK[b.severity] ||
      kindRank[a.kind] - kindRank[b.kind] ||
      (a.lineNos[0] ?? 0) - (b.lineNos[0] ?? 0) ||
      a.message.localeCompare(b.message),
  );
}

/** Alerts a prescriber went ahead against: those with an override reason. */
export function overriddenAlerts<A extends Pick<PrescriptionAlert, 'overrideReason'>>(
  alerts: readonly A[],
): A[] {
  return alerts.filter((a) => !!a.overrideReason);
}

/** The alert keys a 422 PRESCRIPTION_ALERTS_NEED_OVERRIDE names (its errors' paths are `overrides.<key>`). */
export function alertKeysNeedingReason(err: unknown): string[] {
  if (!(err instanceof ApiError) || err.code !== 'PRESCRIPTION_ALERTS_NEED_OVERRIDE') return [];
  return (err.problem.errors ?? [])
    .map((e) => e.path.replace(/^(body[./])?overrides[./]/, ''))
    .filter((key) => key !== '');
}
