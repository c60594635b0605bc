import { IPD_EVENTS } from '@newhms/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../test/harness';
import {
  auditOf,
  createNursingWorld,
  eventsOf,
  type NursingWorld,
  type TestAdmission,
} from './nursing-test-support';

let t: TestApp;
let w: NursingWorld;

beforeAll(async () => {
  t = await createTestApp();
  w = await createNursingWorld(t);
}, 120_000);
afterAll(() => t.close());

const normal = {
  respiratoryRate: 16,
  spo2: 97,
  supplementalOxygen: false,
  systolic: 122,
  diastolic: 78,
  heartRate: 76,
  consciousness: 'alert',
  temperature: 36.8,
};

type Charted = {
  observations: { code: string; value: number | null; valueText: string | null; groupId: string }[];
  news2: {
    id: string;
    score: number;
    risk: string;
    complete: boolean;
    missing: string[];
    escalation: string;
    parameters: Record<string, number | null>;
    spo2Scale: number;
    clinicalResponse: string;
    caveat: string | null;
  };
  escalationTask: {
    id: string;
    kind: string;
    sourceKey: string;
    status: string;
    dueAt: string;
    version: number;
  } | null;
  alertRaised: boolean;
};

const chart = (a: TestAdmission, body: Record<string, unknown>, headers = w.nurse.headers) =>
  w.call('POST', `/api/v1/ipd/admissions/${a.id}/vitals`, headers, body);

describe('charting vitals with NEWS2 (a night on the medical ward)', () => {
  let a: TestAdmission;
  beforeAll(async () => {
    a = await w.admit({ admittedHoursAgo: 10 });
  });

  it('1. a full normal set scores 0, low risk, goes into the encounter with ACVPU and air/oxygen, no alert', async () => {
    const res = await chart(a, normal);
    expect(res.statusCode).toBe(201);
    const body = res.json() as Charted;
    expect(body.news2).toMatchObject({
      score: 0,
      risk: 'low',
      complete: true,
      missing: [],
      escalation: 'none',
    });
    expect(body.news2.clinicalResponse).toBe('Continue routine NEWS monitoring.');
    expect(body.escalationTask).toBeNull();
    expect(body.alertRaised).toBe(false);
    const codes = Object.fromEntries(body.observations.map((o) => [o.code, o]));
    expect(codes['80288-4']).toMatchObject({ valueText: 'alert', value: null });
    expect(codes['3151-8']).toMatchObject({ valueText: 'room air', value: 0 });
    expect(new Set(body.observations.map((o) => o.groupId)).size).toBe(1);
    // The record of the stay holds the same observations (the encounters module owns them).
    const detail = await w.ok<{ vitals: { code: string }[] }>(
      'GET',
      `/api/v1/encounters/${a.encounterId}`,
      w.doctor.headers,
    );
    expect(detail.vitals.map((v) => v.code)).toEqual(expect.arrayContaining(['80288-4', '3151-8', '9279-1']));
    const audit = await auditOf(t, a.patientId);
    expect(audit.some((e) => e.action === 'create' && e.resource_type === 'RiskAssessment')).toBe(true);
    expect(audit.some((e) => e.action === 'create' && e.resource_type === 'Observation')).toBe(true);
  });

  it('2. a partial set is scored, flagged with what is missing, and not called an all-clear', async () => {
    const res = await chart(a, { heartRate: 80, temperature: 37.1 });
    expect(res.statusCode).toBe(201);
    const { news2 } = res.json() as Charted;
    expect(news2.complete).toBe(false);
    expect(news2.missing).toEqual([
      'respiratoryRate',
      'spo2',
      'supplementalOxygen',
      'systolic',
      'consciousness',
    ]);
    expect(news2.clinicalResponse).toMatch(/^Incomplete set: respiration rate, SpO2, air or oxygen/);
    expect(news2.escalation).toBe('none');
  });

  let firstAlert: Charted;
  it('3. new confusion alone (a single 3) raises an urgent ward-based escalation: task, event', async () => {
    const res = await chart(a, { ...normal, consciousness: 'new-confusion' });
    expect(res.statusCode).toBe(201);
    firstAlert = res.json() as Charted;
    expect(firstAlert.news2).toMatchObject({ score: 3, risk: 'low-medium', escalation: 'alerted' });
    expect(firstAlert.alertRaised).toBe(true);
    expect(firstAlert.escalationTask).toMatchObject({
      kind: 'escalation',
      status: 'pending',
      sourceKey: `news2:${firstAlert.news2.id}`,
    });
    const events = await eventsOf(t, IPD_EVENTS.earlyWarning, a.id);
    expect(events).toHaveLength(1);
    expect(events[0]!.payload).toMatchObject({
      admissionId: a.id,
      patientId: a.patientId,
      wardId: w.ward.id,
      score: 3,
      risk: 'low-medium',
      scoreId: firstAlert.news2.id,
    });
  });

  it('4. a worse set joins the open escalation (one task), raises the risk and alerts again', async () => {
    const res = await chart(a, {
      ...normal,
      consciousness: 'voice',
      supplementalOxygen: true,
      oxygenFlowRate: 4,
      respiratoryRate: 23,
      heartRate: 112,
    });
    const body = res.json() as Charted;
    expect(body.news2).toMatchObject({ score: 9, risk: 'high', escalation: 'alerted' });
    expect(body.news2.parameters).toMatchObject({
      consciousness: 3,
      supplementalOxygen: 2,
      respiratoryRate: 2,
    });
    expect(body.alertRaised).toBe(true);
    expect(body.escalationTask!.id).toBe(firstAlert.escalationTask!.id);
    expect(body.escalationTask!.version).toBe(2);
    expect(Date.parse(body.escalationTask!.dueAt)).toBeLessThan(Date.parse(firstAlert.escalationTask!.dueAt));
    const codes = Object.fromEntries(body.observations.map((o) => [o.code, o]));
    expect(codes['3151-8']).toMatchObject({ valueText: 'supplemental oxygen', value: 4 });
    expect(await eventsOf(t, IPD_EVENTS.earlyWarning, a.id)).toHaveLength(2);
  });

  it('5. another high set while the escalation is open does not page again', async () => {
    const res = await chart(a, {
      ...normal,
      consciousness: 'voice',
      supplementalOxygen: true,
      heartRate: 120,
    });
    const body = res.json() as Charted;
    expect(body.news2.risk).toBe('high');
    expect(body.alertRaised).toBe(false);
    expect(body.escalationTask!.id).toBe(firstAlert.escalationTask!.id);
    expect(await eventsOf(t, IPD_EVENTS.earlyWarning, a.id)).toHaveLength(2);
    const tasks = await w.ok<{ items: { kind: string }[] }>(
      'GET',
      `/api/v1/ipd/admissions/${a.id}/tasks?status=pending`,
      w.nurse.headers,
    );
    expect(tasks.items.filter((x) => x.kind === 'escalation')).toHaveLength(1);
  });

  it('6. the doctor acknowledges with the response taken: every open alert closes, the task is done', async () => {
    const open = await w.ok<{ items: { id: string }[] }>(
      'GET',
      `/api/v1/ipd/admissions/${a.id}/early-warnings?open=true`,
      w.nurse.headers,
    );
    expect(open.items).toHaveLength(3);
    const denied = await w.call(
      'POST',
      `/api/v1/ipd/early-warnings/${open.items[0]!.id}/acknowledge`,
      w.desk.headers,
      {
        response: 'seen',
      },
    );
    expect(denied.statusCode).toBe(403);
    const ack = await w.call(
      'POST',
      `/api/v1/ipd/early-warnings/${open.items[0]!.id}/acknowledge`,
      w.doctor.headers,
      {
        response: 'Reviewed at bedside; sepsis screen, cultures, IV antibiotics; ICU outreach informed',
      },
    );
    expect(ack.statusCode).toBe(200);
    expect(ack.json()).toMatchObject({
      escalation: 'acknowledged',
      acknowledgedBy: 'Dr. Kavya Menon',
      responseTaken: expect.stringMatching(/^Reviewed at bedside/),
    });
    const after = await w.ok<{ items: unknown[] }>(
      'GET',
      `/api/v1/ipd/admissions/${a.id}/early-warnings?open=true`,
      w.nurse.headers,
    );
    expect(after.items).toHaveLength(0);
    const tasks = await w.ok<{ items: { kind: string; status: string; outcome: string }[] }>(
      'GET',
      `/api/v1/ipd/admissions/${a.id}/tasks`,
      w.nurse.headers,
    );
    expect(tasks.items.find((x) => x.kind === 'escalation')).toMatchObject({
      status: 'done',
      outcome: expect.stringMatching(/^Reviewed at bedside/),
    });
    const again = await w.call(
      'POST',
      `/api/v1/ipd/early-warnings/${open.items[0]!.id}/acknowledge`,
      w.nurse.headers,
      {
        response: 'again',
      },
    );
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('IPD_ESCALATION_NOT_OPEN');
  });

  it('7. a later alert opens a new escalation task (the next source key)', async () => {
    const body = (await chart(a, { ...normal, systolic: 88, diastolic: 50 })).json() as Charted;
    expect(body.news2.risk).toBe('low-medium');
    expect(body.alertRaised).toBe(true);
    expect(body.escalationTask!.id).not.toBe(firstAlert.escalationTask!.id);
    expect(body.escalationTask!.sourceKey).toBe(`news2:${body.news2.id}`);
  });

  it('8. the flow sheet is time x parameter with NEWS2 per row, and trends', async () => {
    const sheet = await w.ok<{
      rows: {
        effectiveAt: string;
        values: Record<string, { value: number | null; text: string | null }>;
        news2: { score: number; risk: string } | null;
      }[];
      trend: Record<string, { value: number }[]>;
      columns: { key: string }[];
    }>('GET', `/api/v1/ipd/admissions/${a.id}/vitals/flow-sheet`, w.nurse.headers);
    expect(sheet.rows).toHaveLength(6);
    expect(sheet.rows.map((r) => r.news2?.score)).toEqual([0, 0, 3, 9, 7, 3]);
    expect(sheet.rows[0]!.values.consciousness).toMatchObject({ text: 'alert' });
    expect(sheet.rows[3]!.values.supplementalOxygen).toMatchObject({ value: 4, text: 'supplemental oxygen' });
    expect(sheet.rows[1]!.values.spo2).toBeUndefined();
    expect(sheet.trend.news2!.map((p) => p.value)).toEqual([0, 0, 3, 9, 7, 3]);
    expect(sheet.trend.heartRate!.map((p) => p.value)).toEqual([76, 80, 76, 112, 120, 76]);
    expect(sheet.columns.map((c) => c.key)).toContain('consciousness');
    const audit = await auditOf(t, a.patientId);
    expect(audit[0]).toMatchObject({ action: 'read', resource_type: 'Observation' });
    // A range beyond 31 days, or backwards, is refused.
    const tooLong = await w.call(
      'GET',
      `/api/v1/ipd/admissions/${a.id}/vitals/flow-sheet?from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z`,
      w.nurse.headers,
    );
    expect(tooLong.statusCode).toBe(400);
    const backwards = await w.call(
      'GET',
      `/api/v1/ipd/admissions/${a.id}/vitals/flow-sheet?from=2026-03-01T00:00:00Z&to=2026-01-01T00:00:00Z`,
      w.nurse.headers,
    );
    expect(backwards.statusCode).toBe(400);
  });
});

describe('SpO2 scale 2 and the rules around charting', () => {
  it('scores SpO2 on scale 2 once a clinician documents it: 97 % on oxygen becomes a 3', async () => {
    const a = await w.admit();
    const onOxygen = { ...normal, spo2: 97, supplementalOxygen: true };
    const before = (await chart(a, onOxygen)).json() as Charted;
    expect(before.news2).toMatchObject({ spo2Scale: 1, score: 2 });
    expect(before.news2.parameters.spo2).toBe(0);
    const initial = await w.ok('GET', `/api/v1/ipd/admissions/${a.id}/spo2-scale`, w.nurse.headers);
    expect(initial).toMatchObject({ scale: 1, reason: null });
    const set = await w.call('PUT', `/api/v1/ipd/admissions/${a.id}/spo2-scale`, w.doctor.headers, {
      scale: 2,
      reason: 'COPD with hypercapnic respiratory failure; target SpO2 88-92 %',
    });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toMatchObject({ scale: 2, decidedBy: 'Dr. Kavya Menon' });
    const after = (await chart(a, onOxygen)).json() as Charted;
    expect(after.news2).toMatchObject({ spo2Scale: 2, score: 5, risk: 'medium', escalation: 'alerted' });
    expect(after.news2.parameters.spo2).toBe(3);
    const target = (await chart(a, { ...onOxygen, spo2: 89 })).json() as Charted;
    expect(target.news2.parameters.spo2).toBe(0);
  });

  it('refuses impossible values and contradictions with a 400 and writes nothing', async () => {
    const a = await w.admit();
    for (const body of [
      { ...normal, spo2: 150 },
      { ...normal, consciousness: 'drowsy' },
      { ...normal, supplementalOxygen: false, oxygenFlowRate: 2 },
      {},
    ]) {
      const res = await chart(a, body);
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    const sheet = await w.ok<{ rows: unknown[] }>(
      'GET',
      `/api/v1/ipd/admissions/${a.id}/vitals/flow-sheet`,
      w.nurse.headers,
    );
    expect(sheet.rows).toHaveLength(0);
  });

  it('needs ipd:nursing to chart, and hides another facility’s admission', async () => {
    const a = await w.admit();
    expect((await chart(a, normal, w.desk.headers)).statusCode).toBe(403);
    const elsewhere = await t.app.inject({
      method: 'POST',
      url: `/api/v1/ipd/admissions/${a.id}/vitals`,
      headers: bearer(t.admin.token, t.facilityId),
      payload: normal,
    });
    expect(elsewhere.statusCode).toBe(404);
    expect(elsewhere.json().code).toBe('IPD_ADMISSION_NOT_FOUND');
  });

  it('adds the NEWS2 validity caveat for a child', async () => {
    const child = await w.patient({ birth: { birthDate: '2016-05-01' } });
    const a = await w.admit({ patientId: child.id });
    const body = (await chart(a, normal)).json() as Charted;
    expect(body.news2.caveat).toMatch(/aged 16 and over/);
  });
});
