import { describe, expect, it } from 'vitest';
import { ApiError } from '../../app/api-client';
import { alertKeysNeedingReason, severityTier, sortAlerts } from './prescription-alerts';

type A = Parameters<typeof sortAlerts>[0][number];
const alert = (severity: A['severity'], kind: A['kind'], lineNos: number[], message = 'm'): A => ({
  severity,
  kind,
  lineNos,
  message,
});

describe('alert tiers', () => {
  it('puts the most serious first, allergies before interactions within a severity', () => {
    const sorted = sortAlerts([
      alert('minor', 'interaction', [1]),
      alert('moderate', 'dose-range', [2]),
      alert('major', 'interaction', [1, 2]),
      alert('major', 'allergy', [3]),
      alert('contraindicated', 'duplicate-therapy', [4]),
    ]);
    expect(sorted.map((a) => `${a.severity}/${a.kind}`)).toEqual([
      'contraindicated/duplicate-therapy',
      'major/allergy',
      'major/interaction',
      'moderate/dose-range',
      'minor/interaction',
    ]);
  });

  it('colours contraindicated and major red, moderate amber, minor grey', () => {
    expect(
      ['contraindicated', 'major', 'moderate', 'minor'].map((s) => severityTier(s as A['severity'])),
    ).toEqual(['red', 'red', 'amber', 'grey']);
  });

  it("reads the alert keys out of the server's refusal to sign", () => {
    const refused = new ApiError({
      type: 'about:blank',
      title: 'Unprocessable',
      status: 422,
      code: 'PRESCRIPTION_ALERTS_NEED_OVERRIDE',
      errors: [
        { path: 'overrides.interaction:INT-1:p0|p1', message: 'x' },
        { path: 'overrides.allergy:ALLERGY-SUBSTANCE:a0:p2', message: 'y' },
      ],
    });
    expect(alertKeysNeedingReason(refused)).toEqual([
      'interaction:INT-1:p0|p1',
      'allergy:ALLERGY-SUBSTANCE:a0:p2',
    ]);
    expect(alertKeysNeedingReason(new Error('network'))).toEqual([]);
  });
});
