import {
  type BedCleanedPayload,
  DISCHARGE_CLEARANCE_EVENTS,
  type DischargeClearancePayload,
  FACILITIES_EVENTS,
} from '@newhms/contracts';
import { systemCtx } from '../../platform/context';
import type { Db } from '../../platform/db/database';
import type { Jobs } from '../../platform/jobs/jobs';
import type { AppDeps } from '../../platform/module';
import { ENCOUNTER_EVENTS } from '../encounters';
import { PATIENT_EVENTS } from '../patients';
import { followMerge } from './admissions.service';
import { applyClearanceEvent, onNoteSigned } from './discharge.service';
import { refreshReservations } from './requests.service';
import { markBedCleaned } from './wards.service';

// The IPD core's event subscribers and background job. Every subscriber is idempotent (redelivery changes
// nothing); the names are stable.

export function subscribeIpdCore(deps: AppDeps): void {
  deps.events.subscribe(
    'ipd.discharge-clearances',
    [DISCHARGE_CLEARANCE_EVENTS.held, DISCHARGE_CLEARANCE_EVENTS.released],
    async (event, tx) => {
      const kind = event.type === DISCHARGE_CLEARANCE_EVENTS.held ? 'held' : 'released';
      await applyClearanceEvent(
        tx,
        kind,
        event.payload as DischargeClearancePayload,
        new Date(),
        event.occurredAt,
      );
    },
  );
  deps.events.subscribe('ipd.bed-cleaned', [FACILITIES_EVENTS.bedCleaned], async (event, tx) => {
    const p = event.payload as BedCleanedPayload;
    const ctx = systemCtx(tx as Db, 'housekeeping', event.facilityId);
    await markBedCleaned(tx, ctx, p.bedId, { taskId: p.taskId, turnaroundMinutes: p.turnaroundMinutes });
  });
  deps.events.subscribe('ipd.discharge-summary-signed', [ENCOUNTER_EVENTS.noteSigned], async (event, tx) => {
    await onNoteSigned(tx, event.payload as { encounterId: string; kind: string }, new Date());
  });
  deps.events.subscribe('ipd.follow-merge', [PATIENT_EVENTS.merged], async (event, tx) => {
    const p = event.payload as { survivorId: string; mergedId: string };
    await followMerge(tx, p.survivorId, p.mergedId);
  });
}

/** Every 5 minutes: reservations whose time is over expire; beds whose reservation began show reserved. */
export async function registerIpdJobs(jobs: Jobs, deps: AppDeps): Promise<void> {
  jobs.define(
    'ipd.reservations',
    async () => {
      const ctx = systemCtx(deps.database.db, 'ipd.reservations');
      await refreshReservations(deps.database.db, ctx, { events: deps.events }, null);
    },
    { retryLimit: 2, retryDelaySeconds: 60, expireInSeconds: 5 * 60 },
  );
  await jobs.schedule('ipd.reservations', '*/5 * * * *');
}
