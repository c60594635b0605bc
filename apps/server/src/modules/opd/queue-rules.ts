import type { FeeKind, PriorityKind, TokenStatus } from '@newhms/contracts';
import { ageInYears } from '../../platform/time/facility-time';

/**
 * The priorities a token gets: what the desk declared (emergency, pregnant, disabled, elderly), kept only when
 * the facility honours that kind, plus "elderly" worked out from the birth date.
 */
export function effectivePriorities(input: {
  declared: readonly PriorityKind[];
  enabled: readonly PriorityKind[];
  birthDate: string | null;
  onDate: string;
  elderlyAge: number;
}): PriorityKind[] {
  const kinds = new Set(input.declared);
  if (input.birthDate && ageInYears(input.birthDate, input.onDate) >= input.elderlyAge) kinds.add('elderly');
  const order: readonly PriorityKind[] = ['emergency', 'elderly', 'pregnant', 'disabled'];
  return order.filter((k) => kinds.has(k) && input.enabled.includes(k));
}

/** 0: an emergency goes first; 1: elderly, pregnant or disabled; 2: everyone else. */
export function priorityRank(kinds: readonly PriorityKind[]): 0 | 1 | 2 {
  if (kinds.includes('emergency')) return 0;
  return kinds.length > 0 ? 1 : 2;
}

/**
 * The time a token queues by. A walk-in queues from arrival. An appointment queues from its slot time, or
 * from arrival when the patient comes late: arriving early does not jump the walk-ins who came before the
 * slot, arriving on time is not overtaken by walk-ins who came later, and arriving late loses the slot's
 * advantage. A transferred token keeps the time it queued by in the first queue.
 */
export function queueTime(arrivedAt: Date, appointmentAt: Date | null): Date {
  if (!appointmentAt) return arrivedAt;
  return appointmentAt > arrivedAt ? appointmentAt : arrivedAt;
}

type Ordered = { priorityRank: number; queuedAt: Date; number: number };

/** Queue order: priority rank, then queue time, then token number. */
export function compareQueue(a: Ordered, b: Ordered): number {
  return (
    a.priorityRank - b.priorityRank || a.queuedAt.getTime() - b.queuedAt.getTime() || a.number - b.number
  );
}

/** "A-012" when the practitioner has a prefix (doctors sharing a board), otherwise "12". */
export function tokenLabel(prefix: string | null, number: number): string {
  return prefix ? `${prefix}-${String(number).padStart(3, '0')}` : String(number);
}

/**
 * First visit or follow-up: a follow-up when the patient was last seen by the same doctor (a consultation
 * started) within the doctor's follow-up window before this visit.
 */
export function feeKindFor(lastSeenAt: Date | null, visitAt: Date, withinDays: number): FeeKind {
  if (!lastSeenAt || lastSeenAt > visitAt) return 'first-visit';
  return visitAt.getTime() - lastSeenAt.getTime() <= withinDays * 86_400_000 ? 'follow-up' : 'first-visit';
}

export const tokenActions = ['call', 'start', 'complete', 'skip', 'recall', 'transfer'] as const;
export type TokenAction = (typeof tokenActions)[number];

/** The queue's state machine: from which states each action may be taken. */
export const tokenTransitions: Record<TokenAction, { from: readonly TokenStatus[]; to: TokenStatus }> = {
  // Calling again a called patient announces them once more.
  call: { from: ['waiting', 'called', 'skipped'], to: 'called' },
  start: { from: ['waiting', 'called', 'skipped'], to: 'in-consultation' },
  complete: { from: ['in-consultation'], to: 'completed' },
  skip: { from: ['called', 'waiting'], to: 'skipped' },
  // A skipped patient who turns up goes back to waiting, keeping the place their queue time gives them.
  recall: { from: ['skipped'], to: 'waiting' },
  transfer: { from: ['waiting', 'called', 'skipped', 'in-consultation'], to: 'transferred' },
};

export function canTransition(action: TokenAction, from: TokenStatus): boolean {
  return tokenTransitions[action].from.includes(from);
}

/** "Lakshmi Devi Narayanan" -> "L N": first and last word, for boards that allow initials. */
export function initialsOf(displayName: string): string {
  const words = displayName.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return '';
  const first = words[0]!.charAt(0).toUpperCase();
  if (words.length === 1) return first;
  return `${first} ${words[words.length - 1]!.charAt(0).toUpperCase()}`;
}
