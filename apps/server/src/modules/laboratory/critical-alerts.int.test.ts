import type { LabCriticalAlert, LabRequest } from '@newhms/contracts';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness';
import { rowsOf } from '../../platform/db/raw-rows';
import { escalateCriticalAlerts } from './critical-alerts.service';
import { createLabWorld, type LabWorld } from './laboratory-test-support';

// The critical-value loop: a pathologist validates a potassium of 6.9; the doctor who ordered it is told at
// once and must read the value back; another doctor cannot take the call; unacknowledged, it climbs a level
// each period to the lab's validators, and stops when someone reads it back.

let t: TestApp;
let w: LabWorld;
beforeAll(async () => {
  t = await createTestApp();
  w = await createLabWorld(t);
}, 120_000);
afterAll(async () => {
  await t?.close();
});

const MINUTE = 60_000;

/** A potassium for a patient, entered by the technician and validated by the pathologist. */
async function validatedPotassium(request: LabRequest, value: number): Promise<LabRequest> {
  await w.collectAndReceive(request);
  w.ok(
    await w.call('POST', `/api/v1/laboratory/requests/${request.id}/results`, w.technician.headers, {
      results: [{ testCode: 'K', value }],
    }),
    200,
    'enter',
  );
  return w.ok<LabRequest>(
    await w.call('POST', `/api/v1/laboratory/requests/${request.id}/validate`, w.pathologist.headers, {}),
    200,
    'validate',
  );
}

async function alertsOf(requestId: string) {
  return rowsOf<{ id: string; revision_no: number; value: number; escalation_level: number }>(
    t.database.db,
    sql`select id, revision_no, value::float8 as value, escalation_level from laboratory.critical_alerts
      where request_id = ${requestId} order by revision_no`,
  );
}

async function eventsOfType(type: string, key: string, value: string) {
  return rowsOf<{ payload: Record<string, unknown> }>(
    t.database.db,
    sql`select payload from events.outbox where type = ${type} and payload->>${key} = ${value}
      order by occurred_at, id`,
  );
}

async function mine(headers: Record<string, string>) {
  return w.ok<LabCriticalAlert[]>(
    await w.call('GET', '/api/v1/laboratory/critical-alerts?mine=true', headers),
    200,
    'mine',
  );
}

describe('critical values: notification, read-back, escalation', () => {
  it('calls a critical potassium through to the ordering doctor, who acknowledges it by reading the value back', async () => {
    // 1. Dr Rao orders a potassium for Ravi in the OPD; the lab collects, enters 6.9 and validates it.
    const ravi = await w.patient({ sex: 'male', birthDate: '1958-07-01' });
    const visit = await w.visit(ravi.id);
    await w.order(visit.id, 'K', { priority: 'stat' });
    await w.deliver();
    const [request] = await w.requestsOf(visit.id);
    const validated = await validatedPotassium(request!, 6.9);
    expect(validated.results[0]).toMatchObject({ flag: 'HH', critical: true, status: 'validated' });

    // 2. One alert, addressed to Dr Rao, and the event that notifies him.
    const alerts = await alertsOf(request!.id);
    expect(alerts).toHaveLength(1);
    const alertId = alerts[0]!.id;
    const [event, ...more] = await eventsOfType('laboratory.result.critical', 'requestId', request!.id);
    expect(more).toEqual([]);
    expect(event!.payload).toEqual({
      alertId,
      resultId: validated.results[0]!.id,
      requestId: request!.id,
      patientId: ravi.id,
      encounterId: visit.id,
      test: { code: 'K', name: expect.any(String), loincCode: '2823-3' },
      value: 6.9,
      unit: 'mmol/L',
      flag: 'HH',
      orderingUserId: w.doctor.id,
    });

    // 3. Dr Rao sees it among his; another doctor does not, and may not see the lab's list either.
    const raos = await mine(w.doctor.headers);
    expect(raos.find((a) => a.id === alertId)).toMatchObject({
      status: 'open',
      patientName: ravi.displayName,
      mrn: ravi.mrn,
      testCode: 'K',
      value: 6.9,
      orderingUserId: w.doctor.id,
      validatedByName: 'Dr Path Sen',
      escalationLevel: 0,
    });
    const other = await w.staff(['doctor'], 'Dr Other');
    expect((await mine(other.headers)).some((a) => a.id === alertId)).toBe(false);
    const everything = await w.call('GET', '/api/v1/laboratory/critical-alerts', other.headers);
    expect(everything.statusCode).toBe(403);
    const lab = w.ok<LabCriticalAlert[]>(
      await w.call('GET', '/api/v1/laboratory/critical-alerts?status=open', w.technician.headers),
      200,
      'lab list',
    );
    expect(lab.some((a) => a.id === alertId)).toBe(true);

    // 4. The other doctor cannot acknowledge it (403).
    const url = `/api/v1/laboratory/critical-alerts/${alertId}/acknowledge`;
    const stranger = await w.call('POST', url, other.headers, { readBack: 'Potassium 6.9' });
    expect(stranger.statusCode).toBe(403);
    expect(stranger.json().code).toBe('LAB_CRITICAL_NOT_ADDRESSEE');

    // 5. A read-back without the value, or with the wrong value, is refused (422).
    for (const readBack of ['Potassium is high, noted', 'Potassium 6.8', 'Potassium 69']) {
      const wrong = await w.call('POST', url, w.doctor.headers, { readBack });
      expect(wrong.statusCode).toBe(422);
      expect(wrong.json()).toMatchObject({ code: 'LAB_CRITICAL_READ_BACK', title: expect.any(String) });
    }

    // 6. Dr Rao reads it back: acknowledged, by him, now, with what he said.
    const before = Date.now();
    const acknowledged = w.ok<LabCriticalAlert>(
      await w.call('POST', url, w.doctor.headers, { readBack: 'Potassium 6.90 mmol/L, will treat' }),
      200,
      'acknowledge',
    );
    expect(acknowledged).toMatchObject({
      status: 'acknowledged',
      acknowledgedByName: 'Dr Rao',
      readBack: 'Potassium 6.90 mmol/L, will treat',
    });
    expect(Date.parse(acknowledged.acknowledgedAt!)).toBeGreaterThanOrEqual(before - 1000);
    const [row] = await rowsOf<{ acknowledged_by_id: string }>(
      t.database.db,
      sql`select acknowledged_by_id from laboratory.critical_alerts where id = ${alertId}`,
    );
    expect(row!.acknowledged_by_id).toBe(w.doctor.id);
    expect((await mine(w.doctor.headers)).some((a) => a.id === alertId)).toBe(false);

    // 7. A second acknowledgement is a conflict; it never escalates now.
    expect((await w.call('POST', url, w.doctor.headers, { readBack: 'K 6.9' })).statusCode).toBe(409);
    await escalateCriticalAlerts(t.database.db, t.app.deps.events, 15, new Date(Date.now() + 120 * MINUTE));
    expect((await alertsOf(request!.id))[0]!.escalation_level).toBe(0);

    // 8. The loop is in the audit trail: created, read, acknowledged.
    const audit = await rowsOf<{ action: string; detail: Record<string, unknown> | null }>(
      t.database.db,
      sql`select action, detail from audit.entries where resource_type = 'LabCriticalAlert'
        and patient_id = ${ravi.id} order by occurred_at`,
    );
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['create', 'read', 'update']));
    expect(audit.find((a) => a.action === 'update')?.detail).toMatchObject({
      acknowledged: true,
      readBack: 'Potassium 6.90 mmol/L, will treat',
    });
    expect((await eventsOfType('laboratory.critical.acknowledged', 'alertId', alertId)).length).toBe(1);
  });

  it('escalates an unacknowledged critical value one level per period, once per level, until it is read back', async () => {
    // 1. A walk-in STAT potassium of 7.1 placed by the technician (the walk-in's requester).
    const p = await w.patient({ sex: 'female', birthDate: '1949-01-01' });
    const [request] = await w.walkIn(p.id, ['K'], 'stat');
    await validatedPotassium(request!, 7.1);
    const [alert] = await alertsOf(request!.id);
    const notified = Date.now();
    const escalate = (minutes: number) =>
      escalateCriticalAlerts(t.database.db, t.app.deps.events, 15, new Date(notified + minutes * MINUTE));
    const level = async () => (await alertsOf(request!.id))[0]!.escalation_level;

    // 2. Within the 15 minutes nothing happens.
    await escalate(10);
    expect(await level()).toBe(0);

    // 3. Past 15 minutes: level 1, to the lab's validators; again at the same time: still level 1.
    await escalate(16);
    expect(await level()).toBe(1);
    await escalate(16);
    await escalate(20);
    expect(await level()).toBe(1);
    const escalated = await eventsOfType('laboratory.critical.escalated', 'alertId', alert!.id);
    expect(escalated.map((e) => e.payload.level)).toEqual([1]);
    expect(escalated[0]!.payload.escalatedToIds).toEqual(
      expect.arrayContaining([w.pathologist.id, w.technician.id]),
    );
    expect(escalated[0]!.payload.escalatedToIds).not.toContain(w.doctor.id);

    // 4. The pathologist now finds it among hers.
    expect((await mine(w.pathologist.headers)).find((a) => a.id === alert!.id)).toMatchObject({
      escalationLevel: 1,
      escalatedTo: expect.arrayContaining([{ id: w.pathologist.id, name: 'Dr Path Sen' }]),
    });

    // 5. After another period: level 2, and only once.
    await escalate(31);
    await escalate(31);
    expect(await level()).toBe(2);
    expect(
      (await eventsOfType('laboratory.critical.escalated', 'alertId', alert!.id)).map((e) => e.payload.level),
    ).toEqual([1, 2]);

    // 6. The pathologist takes the read-back on the telephone: acknowledged; no level 3 follows.
    w.ok(
      await w.call(
        'POST',
        `/api/v1/laboratory/critical-alerts/${alert!.id}/acknowledge`,
        w.pathologist.headers,
        { readBack: 'K 7.1 read back by Dr Rao on the phone' },
      ),
      200,
      'acknowledge',
    );
    await escalate(200);
    expect(await level()).toBe(2);
    const audit = await rowsOf<{ detail: Record<string, unknown> }>(
      t.database.db,
      sql`select detail from audit.entries where resource_type = 'LabCriticalAlert'
        and resource_id = ${alert!.id} and action = 'update' order by occurred_at`,
    );
    expect(audit.map((a) => a.detail.escalationLevel)).toEqual([1, 2, 2]);
  });

  it('stops at level 3', async () => {
    const p = await w.patient({ sex: 'male', birthDate: '1990-01-01' });
    const [request] = await w.walkIn(p.id, ['K']);
    await validatedPotassium(request!, 2.1);
    const notified = Date.now();
    for (const minutes of [16, 31, 46, 61, 200, 400]) {
      await escalateCriticalAlerts(
        t.database.db,
        t.app.deps.events,
        15,
        new Date(notified + minutes * MINUTE),
      );
    }
    const [alert] = await alertsOf(request!.id);
    expect(alert!.escalation_level).toBe(3);
    expect(
      (await eventsOfType('laboratory.critical.escalated', 'alertId', alert!.id)).map((e) => e.payload.level),
    ).toEqual([1, 2, 3]);
  });

  it('raises a new alert when an amendment is still critical, and none when it is not', async () => {
    const p = await w.patient({ sex: 'male', birthDate: '1970-01-01' });
    const [request] = await w.walkIn(p.id, ['K']);
    const validated = await validatedPotassium(request!, 6.6);
    const result = validated.results[0]!;
    const amend = (value: number, version: number) =>
      w.call('POST', `/api/v1/laboratory/results/${result.id}/amend`, w.pathologist.headers, {
        value,
        reason: 'Recalculated after dilution',
        version,
      });
    const first = w.ok<LabRequest>(await amend(7.4, result.version), 200, 'amend critical');
    expect((await alertsOf(request!.id)).map((a) => [a.revision_no, a.value])).toEqual([
      [0, 6.6],
      [1, 7.4],
    ]);
    w.ok(await amend(4.4, first.results[0]!.version), 200, 'amend normal');
    expect(await alertsOf(request!.id)).toHaveLength(2);
  });
});
