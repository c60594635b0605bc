import { and, eq } from 'drizzle-orm';
import type { AppDeps } from '../../platform/module';
import { housekeepingTasks } from './facilities.tables';
import { DUE_MINUTES } from './housekeeping-rules';

// The demo hospital's housekeeping queue: a spill nobody has taken yet, a routine round assigned to the
// demo housekeeper and one under way. Bed cleaning appears by itself when a demo patient is discharged.

const DEMO_CREATOR = 'Demo housekeeping supervisor';

export async function seedFacilitiesDemo(
  deps: AppDeps,
  demo: { facilityId: string; userIds: Record<string, string> },
): Promise<void> {
  const db = deps.database.db;
  const { facilityId } = demo;
  const [existing] = await db
    .select({ id: housekeepingTasks.id })
    .from(housekeepingTasks)
    .where(
      and(eq(housekeepingTasks.facilityId, facilityId), eq(housekeepingTasks.createdByName, DEMO_CREATOR)),
    )
    .limit(1);
  if (existing) return;
  const now = Date.now();
  const minutesAgo = (m: number) => new Date(now - m * 60_000);
  const housekeeperId = demo.userIds.housekeeping ?? null;
  const housekeeper = housekeeperId ? 'Demo Housekeeping' : null;
  const task = (kind: 'spill' | 'routine', requestedMinutesAgo: number) => ({
    facilityId,
    kind,
    priority: kind === 'spill' ? 'urgent' : 'routine',
    requestedAt: minutesAgo(requestedMinutesAgo),
    dueAt: new Date(now - requestedMinutesAgo * 60_000 + DUE_MINUTES[kind] * 60_000),
    createdByName: DEMO_CREATOR,
  });
  await db.insert(housekeepingTasks).values([
    { ...task('spill', 10), location: 'OPD waiting hall, near counter 3', note: 'Spilled tea' },
    {
      ...task('routine', 40),
      location: 'Ground floor washrooms',
      status: housekeeperId ? 'assigned' : 'open',
      assignedToId: housekeeperId,
      assignedToName: housekeeper,
      assignedAt: housekeeperId ? minutesAgo(35) : null,
    },
    {
      ...task('routine', 150),
      location: 'Radiology corridor',
      status: housekeeperId ? 'in-progress' : 'open',
      assignedToId: housekeeperId,
      assignedToName: housekeeper,
      assignedAt: housekeeperId ? minutesAgo(140) : null,
      startedAt: housekeeperId ? minutesAgo(20) : null,
    },
  ]);
}
