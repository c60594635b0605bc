// Pure: minutes as people at the bench say them.

/** 45 -> "45 min", 125 -> "2 h 05 min", 120 -> "2 h"; null -> "—". */
export function formatMinutes(minutes: number | null | undefined): string {
  if (minutes === null || minutes === undefined || !Number.isFinite(minutes)) return '—';
  const whole = Math.round(minutes);
  if (Math.abs(whole) < 60) return `${whole} min`;
  const h = Math.floor(whole / 60);
  const m = whole % 60;
  return m === 0 ? `${h} h` : `${h} h ${String(m).padStart(2, '0')} min`;
}

/** How a bench item stands against its turnaround target: "Late by 20 min" or "35 min left". */
export function tatStanding(elapsed: number, target: number): { late: boolean; text: string } {
  if (elapsed > target) return { late: true, text: `Late by ${formatMinutes(elapsed - target)}` };
  return { late: false, text: `${formatMinutes(target - elapsed)} left` };
}
