import type { DrugSchedule } from '@newhms/contracts';

// What a sale needs before it goes to the counter, the server's rules (dispensing.service.ts): Schedule H, H1
// and X are sold only on a prescription, so the prescriber is named; controlled drugs (H1, X, narcotics) are
// issued in front of a witness, who is named in the register.

export type DispenseLineItem = { genericName: string; schedule: DrugSchedule; controlled: boolean };

const prescriptionSchedules: readonly DrugSchedule[] = ['H', 'H1', 'X'];

/** True when the schedule needs a prescription (H, H1, X). */
export function needsPrescription(schedule: DrugSchedule): boolean {
  return prescriptionSchedules.includes(schedule);
}

/** Why the prescriber and the witness are required for these lines, or null when they are not. */
export function dispenseRequirements(items: DispenseLineItem[]): {
  prescriber: string | null;
  witness: string | null;
} {
  const scheduled = items.filter((i) => needsPrescription(i.schedule));
  const controlled = items.filter((i) => i.controlled);
  const names = (list: DispenseLineItem[]) => [...new Set(list.map((i) => i.genericName))].join(', ');
  return {
    prescriber: scheduled.length > 0 ? `Required: ${names(scheduled)} need a prescription` : null,
    witness: controlled.length > 0 ? `Required: ${names(controlled)} are controlled drugs` : null,
  };
}

/** Units of a sale's line that can still come back. */
export function returnableUnits(line: { quantity: number; returned: number }): number {
  return Math.max(0, line.quantity - line.returned);
}
