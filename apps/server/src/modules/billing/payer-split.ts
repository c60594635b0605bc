// The split of a bill between the patient and a payer (insurer, TPA, corporate, scheme), by the policy's rules.
// Pure: no I/O. Money is integer paise; ratios are applied with exact integer arithmetic (BigInt), rounded
// half up, and shares that must add up are apportioned by largest remainder so that no paisa is lost.

/** a * b / d rounded half up, exact for any safe integers (a, b >= 0, d > 0). */
export function mulDivHalfUp(a: number, b: number, d: number): number {
  if (d <= 0) throw new RangeError('divisor must be positive');
  const n = BigInt(a) * BigInt(b) * 2n + BigInt(d);
  return Number(n / (2n * BigInt(d)));
}

/**
 * Splits `total` (>= 0) over `weights` (>= 0) in proportion, by largest remainder: the parts add up to
 * `total` exactly, and when total <= sum(weights) no part exceeds its weight. All-zero weights: all to the
 * first slot (there is no proportion to follow).
 */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((s, w) => s + w, 0);
  if (weights.length === 0) return [];
  if (sum === 0) return weights.map((_, i) => (i === 0 ? total : 0));
  const bigTotal = BigInt(total);
  const bigSum = BigInt(sum);
  const parts = weights.map((w) => Number((bigTotal * BigInt(w)) / bigSum));
  const remainders = weights.map((w, i) => ({ i, r: (bigTotal * BigInt(w)) % bigSum }));
  let left = total - parts.reduce((s, p) => s + p, 0);
  remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (const { i } of remainders) {
    if (left <= 0) break;
    parts[i]! += 1;
    left -= 1;
  }
  return parts;
}

/**
 * Service groups whose price follows the room category and so are cut in proportion when the room exceeds the
 * eligible rent (IRDAI: proportionate deduction never applies to pharmacy, consumables, implants and devices,
 * diagnostics, or ICU charges, nor where the hospital does not bill differentially by room). So: consultation,
 * nursing, procedure and other, and only when the charge was priced for a tariff class (not '*').
 */
export const ROOM_LINKED_GROUPS: readonly string[] = ['consultation', 'nursing', 'procedure', 'other'];

/** The rules of a policy (its plan, with the policy's overrides already applied). */
export type SplitRules = {
  payerId: string | null;
  policyId: string | null;
  planCode: string | null;
  copayBp: number;
  /** Eligible room rent per day (paise), resolved from the policy, the plan, or % of the sum insured. */
  roomRentLimitPerDay: number | null;
  proportionateDeduction: boolean;
  nonPayableGroups: readonly string[];
  nonPayableCodes: readonly string[];
  /** Sum of approved pre-authorizations; null when the account has none (only the balance caps). */
  preauthApproved: number | null;
  /** What is left of the sum insured. */
  policyBalance: number;
};

/** What the split needs of an invoice line (after discount and tax). */
export type SplitLine = {
  serviceGroup: string;
  serviceCode: string;
  quantity: number;
  unitPrice: number;
  /** amount - discount + tax: what the line costs. */
  total: number;
  intensiveCare: boolean;
  tariffClass: string;
};

export type SplitNote = 'non-payable' | 'room-rent-limit' | 'room-rent-proportionate' | 'co-pay' | 'cap';

export type SplitExplanation = {
  payerId: string | null;
  policyId: string | null;
  planCode: string | null;
  rules: SplitNote[];
  nonPayable: number;
  roomRent: {
    limitPerDay: number;
    /** Eligible and actual room rent of the stay (non-ICU rooms), in paise; the ratio is eligible / actual. */
    eligible: number;
    actual: number;
    ratio: string;
    /** What the room limit and the proportionate deduction took off the payer's part. */
    deduction: number;
  } | null;
  copay: { bp: number; amount: number } | null;
  cap: { preauthApproved: number | null; policyBalance: number; limit: number; reduction: number } | null;
  payerShare: number;
  patientShare: number;
};

export type SplitResult = {
  lines: { payerShare: number; patientShare: number; note: string | null }[];
  explanation: SplitExplanation;
};

/**
 * Splits each line between payer and patient: non-payable groups and codes are the patient's; a room above the
 * eligible rent is paid up to the limit and room-linked charges in the same proportion (limit / actual);
 * the co-pay is the patient's part of what remains payable; the payer's total is capped by the approved
 * pre-authorizations and the policy's balance. The patient pays the rest. Per line payer + patient = total.
 */
export function splitPayer(lines: readonly SplitLine[], rules: SplitRules): SplitResult {
  const notes = lines.map(() => [] as SplitNote[]);
  const nonPayable = (l: SplitLine) =>
    rules.nonPayableGroups.includes(l.serviceGroup) || rules.nonPayableCodes.includes(l.serviceCode);
  const payable = lines.map((l, i) => {
    if (nonPayable(l)) {
      notes[i]!.push('non-payable');
      return 0;
    }
    return l.total;
  });
  const nonPayableAmount = lines.reduce((s, l, i) => s + (l.total - payable[i]!), 0);

  // Room rent above the eligible limit (non-ICU rooms).
  let roomRent: SplitExplanation['roomRent'] = null;
  const limit = rules.roomRentLimitPerDay;
  if (limit !== null) {
    let eligible = 0;
    let actual = 0;
    for (const l of lines) {
      if (l.serviceGroup !== 'room' || l.intensiveCare || nonPayable(l)) continue;
      actual += l.unitPrice * l.quantity;
      eligible += Math.min(l.unitPrice, limit) * l.quantity;
    }
    if (actual > eligible) {
      let deduction = 0;
      lines.forEach((l, i) => {
        if (payable[i] === 0) return;
        let cut: number | null = null;
        if (l.serviceGroup === 'room' && !l.intensiveCare && l.unitPrice > limit) {
          cut = mulDivHalfUp(payable[i]!, limit, l.unitPrice);
          notes[i]!.push('room-rent-limit');
        } else if (
          rules.proportionateDeduction &&
          ROOM_LINKED_GROUPS.includes(l.serviceGroup) &&
          l.tariffClass !== '*'
        ) {
          cut = mulDivHalfUp(payable[i]!, eligible, actual);
          notes[i]!.push('room-rent-proportionate');
        }
        if (cut !== null) {
          deduction += payable[i]! - cut;
          payable[i] = cut;
        }
      });
      roomRent = { limitPerDay: limit, eligible, actual, ratio: (eligible / actual).toFixed(4), deduction };
    }
  }

  // Co-pay: the patient's share of what is payable.
  let copay: SplitExplanation['copay'] = null;
  if (rules.copayBp > 0) {
    let amount = 0;
    lines.forEach((_, i) => {
      if (payable[i] === 0) return;
      const part = mulDivHalfUp(payable[i]!, rules.copayBp, 10_000);
      if (part > 0) notes[i]!.push('co-pay');
      payable[i]! -= part;
      amount += part;
    });
    copay = { bp: rules.copayBp, amount };
  }

  // Cap: the approved pre-authorizations and the balance of the sum insured.
  const capLimit = Math.max(
    0,
    Math.min(rules.policyBalance, rules.preauthApproved ?? Number.MAX_SAFE_INTEGER),
  );
  const payerTotal = payable.reduce((s, p) => s + p, 0);
  let cap: SplitExplanation['cap'] = null;
  if (payerTotal > capLimit) {
    const capped = apportion(capLimit, payable);
    capped.forEach((c, i) => {
      if (c < payable[i]!) notes[i]!.push('cap');
      payable[i] = c;
    });
    cap = {
      preauthApproved: rules.preauthApproved,
      policyBalance: rules.policyBalance,
      limit: capLimit,
      reduction: payerTotal - capLimit,
    };
  }

  const out = lines.map((l, i) => ({
    payerShare: payable[i]!,
    patientShare: l.total - payable[i]!,
    note: notes[i]!.length > 0 ? notes[i]!.join(', ') : null,
  }));
  const rulesApplied = new Set<SplitNote>(notes.flat());
  return {
    lines: out,
    explanation: {
      payerId: rules.payerId,
      policyId: rules.policyId,
      planCode: rules.planCode,
      rules: (['non-payable', 'room-rent-limit', 'room-rent-proportionate', 'co-pay', 'cap'] as const).filter(
        (r) => rulesApplied.has(r),
      ),
      nonPayable: nonPayableAmount,
      roomRent,
      copay,
      cap,
      payerShare: out.reduce((s, l) => s + l.payerShare, 0),
      patientShare: out.reduce((s, l) => s + l.patientShare, 0),
    },
  };
}

/**
 * The eligible room rent per day: the policy's own limit, else the plan's amount, else the plan's basis points
 * of the sum insured (e.g. 1% of 5 lakh = INR 5,000/day); null when nothing limits it.
 */
export function roomRentLimitOf(
  policy: { roomRentLimit: number | null; sumInsured: number },
  plan: { roomRentLimit: number | null; roomRentLimitBp: number | null } | null,
): number | null {
  if (policy.roomRentLimit !== null) return policy.roomRentLimit;
  if (plan?.roomRentLimit !== null && plan?.roomRentLimit !== undefined) return plan.roomRentLimit;
  if (plan?.roomRentLimitBp !== null && plan?.roomRentLimitBp !== undefined)
    return mulDivHalfUp(policy.sumInsured, plan.roomRentLimitBp, 10_000);
  return null;
}
