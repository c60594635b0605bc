import type { ConsciousnessLevel, News2Parameter, News2Risk } from '@newhms/contracts';

// NEWS2: Royal College of Physicians, National Early Warning Score (NEWS) 2, December 2017, chart 1 (the
// scoring system) and chart 2 (thresholds and triggers) and chart 4 (clinical response). Validated for adults
// (16 years and older); not for pregnancy.

/** One set of observations as NEWS2 reads them; any may be missing (a partial set). */
export type News2Input = {
  respiratoryRate?: number | null | undefined;
  spo2?: number | null | undefined;
  /** Air (false) or supplemental oxygen (true). */
  supplementalOxygen?: boolean | null | undefined;
  systolic?: number | null | undefined;
  heartRate?: number | null | undefined;
  consciousness?: ConsciousnessLevel | null | undefined;
  temperature?: number | null | undefined;
};

export type Spo2Scale = 1 | 2;

export type News2Result = {
  /** The sum of the parameter scores present (with missing parameters: the least the score can be). */
  score: number;
  risk: News2Risk;
  /** Each parameter's score; null when it was not recorded. */
  parameters: Record<News2Parameter, number | null>;
  spo2Scale: Spo2Scale;
  /** Parameters missing from the set: the score is partial and the risk a floor, never an all-clear. */
  missing: News2Parameter[];
  complete: boolean;
  /** A 3 in one parameter (the red score that calls for an urgent ward-based response on its own). */
  redScore: boolean;
  /** Whether the result calls for an escalation: medium or high risk, or a 3 in any single parameter. */
  escalate: boolean;
  /** The minimum frequency of monitoring and the clinical response of chart 4. */
  monitoring: string;
  response: string;
};

export const NEWS2_PARAMETERS: readonly News2Parameter[] = [
  'respiratoryRate',
  'spo2',
  'supplementalOxygen',
  'systolic',
  'heartRate',
  'consciousness',
  'temperature',
];

// Charts are in whole numbers (temperature in tenths): a value is rounded the way it would be written on
// the chart before it is scored, so 11.6 breaths/min scores as 12.
const whole = (x: number) => Math.round(x);
const tenths = (x: number) => Math.round(x * 10) / 10;

/** Respiration rate (per minute): <=8: 3, 9-11: 1, 12-20: 0, 21-24: 2, >=25: 3. */
export function scoreRespiratoryRate(rate: number): number {
  const r = whole(rate);
  if (r <= 8) return 3;
  if (r <= 11) return 1;
  if (r <= 20) return 0;
  if (r <= 24) return 2;
  return 3;
}

/** SpO2 scale 1 (%): <=91: 3, 92-93: 2, 94-95: 1, >=96: 0. */
export function scoreSpo2Scale1(spo2: number): number {
  const s = whole(spo2);
  if (s <= 91) return 3;
  if (s <= 93) return 2;
  if (s <= 95) return 1;
  return 0;
}

/**
 * SpO2 scale 2 (%), for hypercapnic respiratory failure with a prescribed target of 88-92 %: <=83: 3,
 * 84-85: 2, 86-87: 1, 88-92 (or >=93 on air): 0; on oxygen 93-94: 1, 95-96: 2, >=97: 3 (over-oxygenation
 * is the danger). Oxygen unknown above 92 is scored as air (the missing air/oxygen is flagged separately).
 */
export function scoreSpo2Scale2(spo2: number, onOxygen: boolean): number {
  const s = whole(spo2);
  if (s <= 83) return 3;
  if (s <= 85) return 2;
  if (s <= 87) return 1;
  if (s <= 92 || !onOxygen) return 0;
  if (s <= 94) return 1;
  if (s <= 96) return 2;
  return 3;
}

/** Air or oxygen: oxygen 2, air 0. */
export function scoreAirOrOxygen(onOxygen: boolean): number {
  return onOxygen ? 2 : 0;
}

/** Systolic blood pressure (mmHg): <=90: 3, 91-100: 2, 101-110: 1, 111-219: 0, >=220: 3. */
export function scoreSystolic(systolic: number): number {
  const s = whole(systolic);
  if (s <= 90) return 3;
  if (s <= 100) return 2;
  if (s <= 110) return 1;
  if (s <= 219) return 0;
  return 3;
}

/** Pulse (per minute): <=40: 3, 41-50: 1, 51-90: 0, 91-110: 1, 111-130: 2, >=131: 3. */
export function scorePulse(pulse: number): number {
  const p = whole(pulse);
  if (p <= 40) return 3;
  if (p <= 50) return 1;
  if (p <= 90) return 0;
  if (p <= 110) return 1;
  if (p <= 130) return 2;
  return 3;
}

/** Consciousness (ACVPU): alert 0; new confusion, voice, pain or unresponsive 3. */
export function scoreConsciousness(level: ConsciousnessLevel): number {
  return level === 'alert' ? 0 : 3;
}

/** Temperature (°C): <=35.0: 3, 35.1-36.0: 1, 36.1-38.0: 0, 38.1-39.0: 1, >=39.1: 2. */
export function scoreTemperature(celsius: number): number {
  const t = tenths(celsius);
  if (t <= 35.0) return 3;
  if (t <= 36.0) return 1;
  if (t <= 38.0) return 0;
  if (t <= 39.0) return 1;
  return 2;
}

const present = <T>(v: T | null | undefined): v is T => v !== null && v !== undefined;

/** NEWS2 clinical risk from the aggregate and the parameter scores (chart 2). */
export function news2Risk(score: number, parameterScores: readonly (number | null)[]): News2Risk {
  if (score >= 7) return 'high';
  if (score >= 5) return 'medium';
  if (parameterScores.some((s) => s === 3)) return 'low-medium';
  return 'low';
}

const PARAMETER_LABELS: Record<News2Parameter, string> = {
  respiratoryRate: 'respiration rate',
  spo2: 'SpO2',
  supplementalOxygen: 'air or oxygen',
  systolic: 'systolic blood pressure',
  heartRate: 'pulse',
  consciousness: 'consciousness (ACVPU)',
  temperature: 'temperature',
};

/** Chart 4: the minimum monitoring frequency and the response for a score and risk. */
function clinicalResponse(score: number, risk: News2Risk): { monitoring: string; response: string } {
  switch (risk) {
    case 'high':
      return {
        monitoring: 'Continuous monitoring of vital signs',
        response:
          'Emergency response: the registered nurse immediately informs the medical team caring for the ' +
          'patient (at least specialist registrar level); emergency assessment by a team with critical care ' +
          'competencies, including advanced airway management; consider transfer to a level 2 or 3 care facility.',
      };
    case 'medium':
      return {
        monitoring: 'Minimum 1-hourly',
        response:
          'Urgent response: the registered nurse immediately informs the medical team caring for the patient ' +
          'and requests urgent assessment by a clinician or team competent in the care of acutely ill ' +
          'patients; care in an environment with monitoring facilities.',
      };
    case 'low-medium':
      return {
        monitoring: 'Minimum 1-hourly',
        response:
          'Urgent ward-based response: the registered nurse informs the medical team caring for the patient, ' +
          'who reviews and decides whether escalation of care is necessary.',
      };
    default:
      return score === 0
        ? { monitoring: 'Minimum 12-hourly', response: 'Continue routine NEWS monitoring.' }
        : {
            monitoring: 'Minimum 4-6-hourly',
            response:
              'Inform a registered nurse, who must assess the patient and decide whether more frequent ' +
              'monitoring or escalation of care is needed.',
          };
  }
}

/**
 * NEWS2 of one set of observations. A partial set is scored on what is present and flagged with what is
 * missing: its risk is a floor (the missing parameters can only add), so its response says so and never
 * reads as an all-clear.
 */
export function computeNews2(input: News2Input, spo2Scale: Spo2Scale = 1): News2Result {
  const onOxygen = input.supplementalOxygen === true;
  const parameters: Record<News2Parameter, number | null> = {
    respiratoryRate: present(input.respiratoryRate) ? scoreRespiratoryRate(input.respiratoryRate) : null,
    spo2: present(input.spo2)
      ? spo2Scale === 2
        ? scoreSpo2Scale2(input.spo2, onOxygen)
        : scoreSpo2Scale1(input.spo2)
      : null,
    supplementalOxygen: present(input.supplementalOxygen) ? scoreAirOrOxygen(input.supplementalOxygen) : null,
    systolic: present(input.systolic) ? scoreSystolic(input.systolic) : null,
    heartRate: present(input.heartRate) ? scorePulse(input.heartRate) : null,
    consciousness: present(input.consciousness) ? scoreConsciousness(input.consciousness) : null,
    temperature: present(input.temperature) ? scoreTemperature(input.temperature) : null,
  };
  const scores = NEWS2_PARAMETERS.map((p) => parameters[p]);
  const score = scores.reduce<number>((sum, s) => sum + (s ?? 0), 0);
  const missing = NEWS2_PARAMETERS.filter((p) => parameters[p] === null);
  const risk = news2Risk(score, scores);
  const redScore = scores.some((s) => s === 3);
  const { monitoring, response } = clinicalResponse(score, risk);
  const complete = missing.length === 0;
  const partial = complete
    ? ''
    : `Incomplete set: ${missing.map((p) => PARAMETER_LABELS[p]).join(', ')} not recorded; ` +
      `NEWS2 is at least ${score} (${risk} risk or higher). Record the missing observations. `;
  return {
    score,
    risk,
    parameters,
    spo2Scale,
    missing,
    complete,
    redScore,
    escalate: risk !== 'low',
    monitoring,
    response: `${partial}${response}`,
  };
}
