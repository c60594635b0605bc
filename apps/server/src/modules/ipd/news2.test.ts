import { consciousnessLevels } from '@newhms/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  computeNews2,
  NEWS2_PARAMETERS,
  type News2Input,
  news2Risk,
  scoreAirOrOxygen,
  scoreConsciousness,
  scorePulse,
  scoreRespiratoryRate,
  scoreSpo2Scale1,
  scoreSpo2Scale2,
  scoreSystolic,
  scoreTemperature,
} from './news2';

// Every band edge of RCP NEWS2 chart 1, both sides of each boundary.

describe('NEWS2 parameter bands (RCP 2017 chart 1)', () => {
  it.each([
    [0, 3],
    [8, 3],
    [9, 1],
    [11, 1],
    [12, 0],
    [20, 0],
    [21, 2],
    [24, 2],
    [25, 3],
    [60, 3],
  ])('respiration rate %d scores %d', (rate, score) => {
    expect(scoreRespiratoryRate(rate)).toBe(score);
  });

  it.each([
    [50, 3],
    [91, 3],
    [92, 2],
    [93, 2],
    [94, 1],
    [95, 1],
    [96, 0],
    [100, 0],
  ])('SpO2 scale 1: %d%% scores %d', (spo2, score) => {
    expect(scoreSpo2Scale1(spo2)).toBe(score);
  });

  it.each([
    [70, false, 3],
    [83, false, 3],
    [84, false, 2],
    [85, true, 2],
    [86, false, 1],
    [87, true, 1],
    [88, true, 0],
    [92, true, 0],
    [88, false, 0],
    [92, false, 0],
    [93, false, 0],
    [100, false, 0],
    [93, true, 1],
    [94, true, 1],
    [95, true, 2],
    [96, true, 2],
    [97, true, 3],
    [100, true, 3],
  ])('SpO2 scale 2: %d%% (on oxygen: %s) scores %d', (spo2, onOxygen, score) => {
    expect(scoreSpo2Scale2(spo2, onOxygen)).toBe(score);
  });

  it('air scores 0, oxygen 2', () => {
    expect(scoreAirOrOxygen(false)).toBe(0);
    expect(scoreAirOrOxygen(true)).toBe(2);
  });

  it.each([
    [40, 3],
    [90, 3],
    [91, 2],
    [100, 2],
    [101, 1],
    [110, 1],
    [111, 0],
    [219, 0],
    [220, 3],
    [280, 3],
  ])('systolic %d mmHg scores %d', (sbp, score) => {
    expect(scoreSystolic(sbp)).toBe(score);
  });

  it.each([
    [20, 3],
    [40, 3],
    [41, 1],
    [50, 1],
    [51, 0],
    [90, 0],
    [91, 1],
    [110, 1],
    [111, 2],
    [130, 2],
    [131, 3],
    [250, 3],
  ])('pulse %d scores %d', (pulse, score) => {
    expect(scorePulse(pulse)).toBe(score);
  });

  it.each([
    ['alert', 0],
    ['new-confusion', 3],
    ['voice', 3],
    ['pain', 3],
    ['unresponsive', 3],
  ] as const)('consciousness %s scores %d', (level, score) => {
    expect(scoreConsciousness(level)).toBe(score);
  });

  it.each([
    [30, 3],
    [35.0, 3],
    [35.1, 1],
    [36.0, 1],
    [36.1, 0],
    [38.0, 0],
    [38.1, 1],
    [39.0, 1],
    [39.1, 2],
    [42, 2],
  ])('temperature %f °C scores %d', (t, score) => {
    expect(scoreTemperature(t)).toBe(score);
  });

  it('scores a value as written on the chart: whole numbers, temperature in tenths', () => {
    expect(scoreRespiratoryRate(11.4)).toBe(1);
    expect(scoreRespiratoryRate(11.6)).toBe(0);
    expect(scoreTemperature(35.04)).toBe(3);
    expect(scoreTemperature(35.06)).toBe(1);
    expect(scoreSystolic(219.4)).toBe(0);
    expect(scoreSystolic(219.5)).toBe(3);
  });
});

const normal: Required<News2Input> = {
  respiratoryRate: 16,
  spo2: 97,
  supplementalOxygen: false,
  systolic: 120,
  heartRate: 72,
  consciousness: 'alert',
  temperature: 37,
};

describe('NEWS2 aggregate, risk and response (charts 2 and 4)', () => {
  it('a normal full set is 0, low, complete, routine monitoring', () => {
    const r = computeNews2(normal);
    expect(r).toMatchObject({ score: 0, risk: 'low', complete: true, missing: [], escalate: false });
    expect(r.monitoring).toBe('Minimum 12-hourly');
    expect(r.response).toBe('Continue routine NEWS monitoring.');
  });

  it.each([
    [{ heartRate: 95 }, 1, 'low', false],
    [{ heartRate: 95, temperature: 38.5, respiratoryRate: 22 }, 4, 'low', false],
    // A single 3 with a low total: urgent ward-based response.
    [{ consciousness: 'voice' as const }, 3, 'low-medium', true],
    [{ systolic: 90, heartRate: 95 }, 4, 'low-medium', true],
    [{ supplementalOxygen: true, respiratoryRate: 22, heartRate: 95 }, 5, 'medium', true],
    [{ supplementalOxygen: true, respiratoryRate: 22, heartRate: 115 }, 6, 'medium', true],
    [{ supplementalOxygen: true, respiratoryRate: 22, heartRate: 115, temperature: 38.5 }, 7, 'high', true],
    [
      {
        respiratoryRate: 30,
        spo2: 88,
        supplementalOxygen: true,
        systolic: 85,
        heartRate: 140,
        consciousness: 'unresponsive' as const,
        temperature: 34,
      },
      20,
      'high',
      true,
    ],
  ])('%o scores %d, %s risk (escalate %s)', (change, score, risk, escalate) => {
    const r = computeNews2({ ...normal, ...change });
    expect(r.score).toBe(score);
    expect(r.risk).toBe(risk);
    expect(r.escalate).toBe(escalate);
  });

  it('gives each band its clinical response', () => {
    expect(computeNews2({ ...normal, heartRate: 95 }).monitoring).toBe('Minimum 4-6-hourly');
    expect(computeNews2({ ...normal, consciousness: 'pain' }).response).toMatch(
      /^Urgent ward-based response/,
    );
    expect(
      computeNews2({ ...normal, supplementalOxygen: true, systolic: 95, heartRate: 95 }).response,
    ).toMatch(/^Urgent response/);
    const high = computeNews2({
      ...normal,
      supplementalOxygen: true,
      systolic: 95,
      heartRate: 115,
      spo2: 93,
    });
    expect(high.response).toMatch(/^Emergency response/);
    expect(high.monitoring).toBe('Continuous monitoring of vital signs');
  });

  it('scores SpO2 on scale 2 only when asked, where 97 % on oxygen is a 3 and 88 % is 0', () => {
    const onOxygen = { ...normal, spo2: 97, supplementalOxygen: true };
    expect(computeNews2(onOxygen, 1).parameters.spo2).toBe(0);
    expect(computeNews2(onOxygen, 2).parameters.spo2).toBe(3);
    expect(computeNews2({ ...normal, spo2: 88 }, 1).parameters.spo2).toBe(3);
    expect(computeNews2({ ...normal, spo2: 88 }, 2).parameters.spo2).toBe(0);
    expect(computeNews2(onOxygen, 2).spo2Scale).toBe(2);
  });

  it('flags a partial set with what is missing and never calls it an all-clear', () => {
    const r = computeNews2({ heartRate: 72, temperature: 37 });
    expect(r.complete).toBe(false);
    expect(r.missing).toEqual(['respiratoryRate', 'spo2', 'supplementalOxygen', 'systolic', 'consciousness']);
    expect(r.score).toBe(0);
    expect(r.risk).toBe('low');
    expect(r.response).toMatch(
      /^Incomplete set: respiration rate, SpO2, air or oxygen, systolic blood pressure/,
    );
    expect(r.response).toContain('at least 0');
    expect(r.response).not.toMatch(/^Continue routine/);
    // A partial set that already reaches a threshold still escalates.
    const partialHigh = computeNews2({ respiratoryRate: 30, heartRate: 140, consciousness: 'voice' });
    expect(partialHigh).toMatchObject({ score: 9, risk: 'high', escalate: true, complete: false });
  });

  it('risk thresholds: 7 high, 5 medium, a red 3 low-medium, else low', () => {
    expect(news2Risk(7, [])).toBe('high');
    expect(news2Risk(6, [3])).toBe('medium');
    expect(news2Risk(5, [])).toBe('medium');
    expect(news2Risk(4, [3, 1])).toBe('low-medium');
    expect(news2Risk(4, [2, 2])).toBe('low');
    expect(news2Risk(0, [null])).toBe('low');
  });
});

// Properties over the whole input space.

const partialSet = fc.record(
  {
    respiratoryRate: fc.integer({ min: 4, max: 80 }),
    spo2: fc.integer({ min: 50, max: 100 }),
    supplementalOxygen: fc.boolean(),
    systolic: fc.integer({ min: 40, max: 300 }),
    heartRate: fc.integer({ min: 20, max: 300 }),
    consciousness: fc.constantFrom(...consciousnessLevels),
    temperature: fc.integer({ min: 300, max: 450 }).map((t) => t / 10),
  },
  { requiredKeys: [] },
);
const scale = fc.constantFrom(1 as const, 2 as const);
const rank = { low: 0, 'low-medium': 1, medium: 2, high: 3 } as const;

describe('NEWS2 properties', () => {
  it('the total is the sum of the parameter scores, and missing lists exactly the absent parameters', () => {
    fc.assert(
      fc.property(partialSet, scale, (input, s) => {
        const r = computeNews2(input, s);
        const sum = Object.values(r.parameters).reduce<number>((a, b) => a + (b ?? 0), 0);
        expect(r.score).toBe(sum);
        expect(r.missing).toEqual(NEWS2_PARAMETERS.filter((p) => input[p] === undefined));
        expect(r.complete).toBe(r.missing.length === 0);
        for (const v of Object.values(r.parameters)) expect(v === null || (v >= 0 && v <= 3)).toBe(true);
        expect(r.escalate).toBe(r.score >= 5 || Object.values(r.parameters).includes(3));
      }),
    );
  });

  it('is monotonic in each danger direction: worse values never lower the score or the risk', () => {
    // Moving a value away from the normal band, in either direction, never lowers its score.
    const away = (score: (x: number) => number, low: number, high: number, normalPoint: number) =>
      fc.property(fc.integer({ min: low, max: high }), fc.integer({ min: low, max: high }), (a, b) => {
        const [near, far] = Math.abs(a - normalPoint) <= Math.abs(b - normalPoint) ? [a, b] : [b, a];
        if (Math.sign(near - normalPoint) * Math.sign(far - normalPoint) < 0) return;
        expect(score(far)).toBeGreaterThanOrEqual(score(near));
      });
    fc.assert(away(scoreRespiratoryRate, 4, 80, 16));
    fc.assert(away(scoreSystolic, 40, 300, 150));
    fc.assert(away(scorePulse, 20, 300, 70));
    fc.assert(away((t) => scoreTemperature(t / 10), 300, 450, 370));
    // SpO2: lower is worse on scale 1 and on scale 2 below the target; on oxygen above it, higher is worse.
    fc.assert(away(scoreSpo2Scale1, 50, 100, 100));
    fc.assert(away((s) => scoreSpo2Scale2(s, false), 50, 100, 90));
    fc.assert(away((s) => scoreSpo2Scale2(s, true), 50, 100, 90));
  });

  it('adding a parameter to a partial set never lowers the score or the risk', () => {
    fc.assert(
      fc.property(partialSet, partialSet, scale, (a, b, s) => {
        const more = { ...b, ...a };
        const before = computeNews2(a, s);
        const after = computeNews2(more, s);
        // Scale 2 reads the oxygen flag, so adding it may re-score SpO2 from "air" to "oxygen": upwards only.
        expect(after.score).toBeGreaterThanOrEqual(before.score);
        expect(rank[after.risk]).toBeGreaterThanOrEqual(rank[before.risk]);
      }),
    );
  });
});
