import type { RadCriticalAlert, RadPatientStudy } from '@newhms/contracts';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness';
import { rowsOf } from '../../platform/db/raw-rows';
import { escalateCriticalAlerts } from './critical-alerts.service';
import { createRadWorld, type RadWorld } from './radiology-test-support';

// Critical findings: the radiologist flags a tension pneumothorax at sign-off; the doctor who ordered the
// chest X-ray is told at once and must read the finding back; another doctor cannot take the call; a bare
// "ok" is not a read-back; unacknowledged, it climbs a level each period to the radiologists.

let t: TestApp;
let w: RadWorld;
beforeAll(async () => {
  t = await createTestApp();
  w = await createRadWorld(t);
}, 120_000);
afterAll(async () => {
  await t?.close();
});

const MINUTE = 60_000;
const FINDING = { text: 'Large left tension pneumothorax with mediastinal shift', category: 'immediate' };

async function mine(headers: Record<string, string>, status = 'open') {
  return w.ok<RadCriticalAlert[]>(
    await w.call('GET', `/api/v1/radiology/critical-alerts?mine=true&status=${status}`, headers),
    200,
    'mine',
  );
}

async function alertOf(reportId: string) {
  const [row] = await rowsOf<{ id: string; notified_at: string; escalation_level: number }>(
    t.database.db,
    sql`select id, notified_at, escalation_level from radiology.critical_alerts where report_id = ${reportId}`,
  );
  return row!;
}

/** A chest X-ray Dr Rao orders in the ER, done and signed with a critical finding. */
async function criticalChest() {
  const p = await w.patient({ sex: 'male', birthDate: '1985-02-02' });
  const visit = await w.visit(p.id);
  await w.order(visit.id, 'RAD-CXR-AP', { priority: 'stat' });
  await w.deliver();
  const [order] = await w.ordersOf(visit.id);
  const done = await w.completed(order!);
  const report = await w.signed(done, FINDING);
  return { patient: p, visit, order: done, report };
}

describe('critical findings', () => {
  it('calls a critical finding through to the ordering doctor, who acknowledges it by reading it back', async () => {
    // 1. Signed with a critical finding: one alert addressed to Dr Rao, and the event.
    const { patient, visit, order, report } = await criticalChest();
    expect(report).toMatchObject({
      status: 'final',
      criticalFinding: { text: FINDING.text, category: 'immediate', alertId: expect.any(String) },
    });
    const alertId = report.criticalFinding!.alertId!;
    const [event, ...more] = await w.events('radiology.finding.critical', alertId);
    expect(more).toEqual([]);
    expect(event!.payload).toEqual({
      alertId,
      reportId: report.id,
      radiologyOrderId: order.id,
      patientId: patient.id,
      encounterId: visit.id,
      accession: order.accession,
      procedureCode: 'RAD-CXR-AP',
      finding: FINDING.text,
      category: 'immediate',
      orderingUserId: w.doctor.id,
    });
    const [finalized] = await w.events('radiology.report.finalized', report.id);
    expect(finalized!.payload.critical).toBe(true);

    // 2. Dr Rao sees it among his; another doctor does not, and may not see the radiologists' list.
    const raos = await mine(w.doctor.headers);
    expect(raos.find((a) => a.id === alertId)).toMatchObject({
      status: 'open',
      patientName: patient.displayName,
      mrn: patient.mrn,
      finding: FINDING.text,
      orderingUserId: w.doctor.id,
      orderingUserName: 'Dr Rao',
      reportedByName: 'Dr Radiologist Sen',
      escalationLevel: 0,
    });
    const other = await w.staff(['doctor'], 'Dr Other');
    expect((await mine(other.headers)).some((a) => a.id === alertId)).toBe(false);
    const everything = await w.call('GET', '/api/v1/radiology/critical-alerts', other.headers);
    expect(everything.statusCode).toBe(403);
    const radiologists = w.ok<RadCriticalAlert[]>(
      await w.call('GET', '/api/v1/radiology/critical-alerts?status=open', w.radiologist.headers),
      200,
      'all',
    );
    expect(radiologists.some((a) => a.id === alertId)).toBe(true);

    // 3. Another doctor cannot acknowledge it (403).
    const url = `/api/v1/radiology/critical-alerts/${alertId}/acknowledge`;
    const stranger = await w.call('POST', url, other.headers, {
      readBack: 'Left tension pneumothorax noted',
    });
    expect(stranger.statusCode).toBe(403);
    expect(stranger.json().code).toBe('RAD_CRITICAL_NOT_ADDRESSEE');

    // 4. "ok, noted" is not a read-back (422 naming readBack).
    for (const readBack of ['ok', 'Noted, thanks', 'yes seen it']) {
      const trivial = await w.call('POST', url, w.doctor.headers, { readBack });
      expect(trivial.statusCode).toBe(422);
      expect(trivial.json()).toMatchObject({
        code: 'RAD_CRITICAL_READ_BACK',
        errors: [{ path: 'readBack' }],
      });
    }

    // 5. Dr Rao reads it back: acknowledged, by him, with what he said.
    const acknowledged = w.ok<RadCriticalAlert>(
      await w.call('POST', url, w.doctor.headers, {
        readBack: 'Left tension pneumothorax, inserting a chest drain now',
      }),
      200,
      'acknowledge',
    );
    expect(acknowledged).toMatchObject({
      status: 'acknowledged',
      acknowledgedByName: 'Dr Rao',
      readBack: 'Left tension pneumothorax, inserting a chest drain now',
    });
    const [ack] = await w.events('radiology.critical.acknowledged', alertId);
    expect(ack!.payload).toMatchObject({
      alertId,
      reportId: report.id,
      acknowledgedById: w.doctor.id,
      escalationLevel: 0,
    });

    // 6. Twice is 409; it left Dr Rao's open list.
    const again = await w.call('POST', url, w.doctor.headers, {
      readBack: 'Left tension pneumothorax again noted',
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('RAD_CRITICAL_ALREADY_ACKNOWLEDGED');
    expect((await mine(w.doctor.headers)).some((a) => a.id === alertId)).toBe(false);
    expect((await mine(w.doctor.headers, 'acknowledged')).some((a) => a.id === alertId)).toBe(true);

    // 7. The doctor's view flags the study; every step is audited with the patient.
    const studies = w.ok<RadPatientStudy[]>(
      await w.call('GET', `/api/v1/radiology/patients/${patient.id}/studies`, w.doctor.headers),
      200,
      'studies',
    );
    expect(studies[0]).toMatchObject({ orderId: order.id, critical: true, reportStatus: 'final' });
    const audits = await w.audits('RadCriticalAlert', patient.id);
    expect(audits.map((a) => a.action)).toEqual(expect.arrayContaining(['create', 'read', 'update']));
    // Alerts are never deleted.
    await expect(
      t.database.db.execute(sql`delete from radiology.critical_alerts where id = ${alertId}`),
    ).rejects.toThrow();
  });

  it('escalates an unacknowledged finding a level each period, to the radiologists, up to 3', async () => {
    const { report } = await criticalChest();
    const alert = await alertOf(report.id);
    const notified = new Date(alert.notified_at).getTime();
    const run = (minutes: number) =>
      escalateCriticalAlerts(t.database.db, t.app.deps.events, 30, new Date(notified + minutes * MINUTE));

    // 1. Before 30 minutes, nothing; at 31, level 1 to the facility's radiologists (and admins).
    await run(29);
    expect((await alertOf(report.id)).escalation_level).toBe(0);
    await run(31);
    expect((await alertOf(report.id)).escalation_level).toBe(1);
    await run(31);
    expect((await alertOf(report.id)).escalation_level).toBe(1);
    const [escalated] = await w.events('radiology.critical.escalated', alert.id);
    expect(escalated!.payload).toMatchObject({
      alertId: alert.id,
      reportId: report.id,
      level: 1,
      orderingUserId: w.doctor.id,
      category: 'immediate',
    });
    expect(escalated!.payload.escalatedToIds).toEqual(expect.arrayContaining([w.radiologist.id, w.admin.id]));

    // 2. The radiologist now sees it as his, and levels 2 and 3 follow, then no more.
    expect((await mine(w.radiologist.headers)).find((a) => a.id === alert.id)).toMatchObject({
      escalationLevel: 1,
    });
    await run(61);
    await run(91);
    await run(200);
    expect((await alertOf(report.id)).escalation_level).toBe(3);
    expect(await w.events('radiology.critical.escalated', alert.id)).toHaveLength(3);

    // 3. The radiologist who phoned the doctor takes the read-back; escalation stops.
    w.ok(
      await w.call(
        'POST',
        `/api/v1/radiology/critical-alerts/${alert.id}/acknowledge`,
        w.radiologist.headers,
        {
          readBack: 'Dr Rao repeated: left tension pneumothorax, drain now',
        },
      ),
      200,
      'radiologist acknowledges',
    );
    await run(400);
    expect(await w.events('radiology.critical.escalated', alert.id)).toHaveLength(3);
  });
});
