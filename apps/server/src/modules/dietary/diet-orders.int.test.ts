import type { AdmissionDiet, DietOrder, KitchenList } from '@newhms/contracts';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness';
import { auditEntries } from '../../platform/audit/audit.tables';
import { dietOrders } from './dietary.tables';
import { createDietaryWorld, type DietaryWorld } from './dietary-test-support';

let t: TestApp;
let w: DietaryWorld;
let dietitian: { id: string; headers: Record<string, string> };
beforeAll(async () => {
  t = await createTestApp();
  w = await createDietaryWorld(t);
  dietitian = await w.staff(['dietitian'], 'Dt. Kavya');
});
afterAll(() => t.close());

const order = (admissionId: string, body: Record<string, unknown>, headers = dietitian.headers) =>
  w.call('POST', `/api/v1/dietary/admissions/${admissionId}/orders`, headers, body);

async function inpatient(ward: { wardId: string; beds: Record<string, string> }, bedCode: string) {
  const patient = await w.patient();
  const admission = await w.admit(patient.id, ward, ward.beds[bedCode]!);
  return { ...admission, patient };
}

async function kitchen(query: string, headers = dietitian.headers) {
  const res = await w.call('GET', `/api/v1/dietary/kitchen-list?${query}`, headers);
  if (res.statusCode !== 200) throw new Error(`kitchen list: ${res.statusCode} ${res.body}`);
  return res.json() as KitchenList;
}

describe('diet orders of an admission', () => {
  it('orders a diet with the allergies from the record, and a new order replaces it', async () => {
    const ward = await w.ward('Ward Lotus', ['L1']);
    const stay = await inpatient(ward, 'L1');
    await w.allergy(stay.patientId, 'Peanut', 'food', 'severe', 'anaphylaxis');
    await w.allergy(stay.patientId, 'Penicillin', 'drug', 'moderate');

    // 1. The dietitian orders a diabetic diet.
    const first = await order(stay.admissionId, { diet: 'diabetic', instructions: '1800 kcal, no sugar' });
    expect(first.statusCode).toBe(201);
    expect(first.headers.etag).toBe('W/"1"');
    const diabetic = first.json() as DietOrder;
    expect(diabetic).toMatchObject({
      admissionId: stay.admissionId,
      patientId: stay.patientId,
      diet: 'diabetic',
      instructions: '1800 kcal, no sugar',
      allergyState: 'recorded',
      allergies: ['Peanut (food, severe: anaphylaxis)', 'Penicillin (drug, moderate)'],
      status: 'active',
      orderedByName: 'Dt. Kavya',
      npoFrom: null,
      tubeFeed: null,
    });
    const [created] = await t.database.db
      .select()
      .from(auditEntries)
      .where(and(eq(auditEntries.resourceId, diabetic.id), eq(auditEntries.action, 'create')));
    expect(created).toMatchObject({
      resourceType: 'DietOrder',
      patientId: stay.patientId,
      actorId: dietitian.id,
    });

    // 2. A screen that still thinks no order exists is told the diet changed.
    const stale = await order(stay.admissionId, { diet: 'soft', replacesOrderId: null });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('DIETARY_ORDER_CHANGED');
    const wrong = await order(stay.admissionId, { diet: 'soft', replacesOrderId: crypto.randomUUID() });
    expect(wrong.statusCode).toBe(409);

    // 3. The doctor changes it to soft: the diabetic order is kept, replaced.
    const second = await order(stay.admissionId, { diet: 'soft', replacesOrderId: diabetic.id });
    expect(second.statusCode).toBe(201);
    const soft = second.json() as DietOrder;
    const view = (
      await w.call('GET', `/api/v1/dietary/admissions/${stay.admissionId}`, dietitian.headers)
    ).json() as AdmissionDiet;
    expect(view.placement).toMatchObject({
      admissionId: stay.admissionId,
      patientName: stay.patient.displayName,
      mrn: stay.patient.mrn,
      wardName: 'Ward Lotus',
      bedCode: 'L1',
      status: 'admitted',
    });
    expect(view.active?.id).toBe(soft.id);
    expect(view.history.map((o) => [o.diet, o.status])).toEqual([
      ['soft', 'active'],
      ['diabetic', 'replaced'],
    ]);
    expect(view.history[1]!.endedAt).not.toBeNull();
    expect(view.history[1]!.version).toBe(2);
    const reads = await t.database.db
      .select()
      .from(auditEntries)
      .where(and(eq(auditEntries.patientId, stay.patientId), eq(auditEntries.action, 'read')));
    expect(reads.some((r) => r.resourceType === 'DietOrder' && r.resourceId === stay.admissionId)).toBe(true);
  });

  it('records NPO with its window and a tube feed with formula, volume and frequency', async () => {
    const ward = await w.ward('Ward Jasmine', ['J1', 'J2']);
    const npoStay = await inpatient(ward, 'J1');
    const tubeStay = await inpatient(ward, 'J2');
    await w.noKnownAllergies(tubeStay.patientId);
    const until = new Date(Date.now() + 6 * 3600_000).toISOString();
    const npo = await order(npoStay.admissionId, {
      diet: 'npo',
      npoUntil: until,
      instructions: 'For surgery',
    });
    expect(npo.statusCode).toBe(201);
    expect(npo.json()).toMatchObject({
      diet: 'npo',
      npoUntil: until,
      allergyState: 'not-recorded',
      allergies: [],
    });
    expect(Math.abs(Date.parse(npo.json().npoFrom) - Date.now())).toBeLessThan(60_000);

    const tube = await order(tubeStay.admissionId, {
      diet: 'tube-feed',
      tubeFeed: { formula: 'Peptamen', volumeMl: 200, timesPerDay: 6 },
    });
    expect(tube.json()).toMatchObject({
      tubeFeed: { formula: 'Peptamen', volumeMl: 200, timesPerDay: 6 },
      allergyState: 'none-known',
    });
    const [row] = await t.database.db.select().from(dietOrders).where(eq(dietOrders.id, tube.json().id));
    expect(row).toMatchObject({ tubeFeedFormula: 'Peptamen', tubeFeedVolumeMl: 200, tubeFeedTimesPerDay: 6 });
  });

  it('refuses bad orders with a problem and changes nothing', async () => {
    const ward = await w.ward('Ward Orchid', ['O1']);
    const stay = await inpatient(ward, 'O1');
    const refusals: [Record<string, unknown>, number, string?][] = [
      [{ diet: 'normal', npoUntil: new Date(Date.now() + 3600_000).toISOString() }, 400],
      [{ diet: 'tube-feed' }, 400],
      [{ diet: 'soft', tubeFeed: { formula: 'X', volumeMl: 100, timesPerDay: 4 } }, 400],
      [{ diet: 'tube-feed', tubeFeed: { formula: 'X', volumeMl: 0, timesPerDay: 4 } }, 400],
      [{ diet: 'fasting' }, 400],
      [
        {
          diet: 'npo',
          npoFrom: new Date(Date.now() + 7200_000).toISOString(),
          npoUntil: new Date(Date.now() + 3600_000).toISOString(),
        },
        400,
      ],
      [{ diet: 'npo', npoUntil: new Date(Date.now() - 60_000).toISOString() }, 422, 'DIETARY_NPO_WINDOW'],
    ];
    for (const [body, status, code] of refusals) {
      const res = await order(stay.admissionId, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(status);
      expect(res.headers['content-type']).toContain('application/problem+json');
      if (code) expect(res.json().code).toBe(code);
    }
    expect(
      await t.database.db.select().from(dietOrders).where(eq(dietOrders.admissionId, stay.admissionId)),
    ).toEqual([]);
    const unknown = await order(crypto.randomUUID(), { diet: 'normal' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('DIETARY_ADMISSION_NOT_FOUND');
    // Another facility's admission is not found from here.
    const other = await createDietaryWorld(t);
    const otherNurse = await other.staff(['nurse']);
    expect((await order(stay.admissionId, { diet: 'normal' }, otherNurse.headers)).statusCode).toBe(404);
    // Housekeeping and the front desk do not see diets.
    const keeper = await w.staff(['housekeeping']);
    expect((await order(stay.admissionId, { diet: 'normal' }, keeper.headers)).statusCode).toBe(403);
    expect((await w.call('GET', '/api/v1/dietary/kitchen-list?meal=lunch', w.desk.headers)).statusCode).toBe(
      403,
    );
  });

  it('stops an order with a reason, once, at the version the client saw', async () => {
    const ward = await w.ward('Ward Iris', ['I1']);
    const stay = await inpatient(ward, 'I1');
    const placed = (await order(stay.admissionId, { diet: 'liquid' })).json() as DietOrder;
    const url = `/api/v1/dietary/orders/${placed.id}/stop`;
    expect((await w.call('POST', url, dietitian.headers, {})).statusCode).toBe(400);
    const stale = await w.call('POST', url, dietitian.headers, { reason: 'Eating well', version: 7 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('STALE_VERSION');
    const stopped = await w.call(
      'POST',
      url,
      { ...dietitian.headers, 'if-match': 'W/"1"' },
      { reason: 'Eating well' },
    );
    expect(stopped.statusCode).toBe(200);
    expect(stopped.json()).toMatchObject({ status: 'stopped', endReason: 'Eating well', version: 2 });
    const again = await w.call('POST', url, dietitian.headers, { reason: 'again' });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('DIETARY_ORDER_NOT_ACTIVE');
    const read = await w.call('GET', `/api/v1/dietary/orders/${placed.id}`, dietitian.headers);
    expect(read.headers.etag).toBe('W/"2"');
  });
});

describe('orders at the same moment', () => {
  it('leave exactly one active order for the admission', async () => {
    const ward = await w.ward('Ward Busy', ['B1']);
    const stay = await inpatient(ward, 'B1');
    const diets = ['normal', 'soft', 'liquid', 'diabetic', 'renal', 'low-salt'];
    const results = await Promise.all(diets.map((diet) => order(stay.admissionId, { diet })));
    for (const r of results) expect([201, 409]).toContain(r.statusCode);
    expect(results.some((r) => r.statusCode === 201)).toBe(true);
    const rows = await t.database.db
      .select()
      .from(dietOrders)
      .where(eq(dietOrders.admissionId, stay.admissionId));
    expect(rows.filter((r) => r.status === 'active')).toHaveLength(1);
    expect(rows).toHaveLength(results.filter((r) => r.statusCode === 201).length);
  });
});

describe('the end of the stay', () => {
  it('discharge and cancellation stop the active order; no new order after', async () => {
    const ward = await w.ward('Ward Daisy', ['D1', 'D2']);
    const discharged = await inpatient(ward, 'D1');
    const cancelled = await inpatient(ward, 'D2');
    const a = (await order(discharged.admissionId, { diet: 'renal' })).json() as DietOrder;
    const b = (await order(cancelled.admissionId, { diet: 'low-salt' })).json() as DietOrder;

    await w.endStay(discharged.admissionId, discharged.patientId, 'discharged');
    await w.endStay(cancelled.admissionId, cancelled.patientId, 'cancelled');
    await w.deliver();

    const [ra] = await t.database.db.select().from(dietOrders).where(eq(dietOrders.id, a.id));
    const [rb] = await t.database.db.select().from(dietOrders).where(eq(dietOrders.id, b.id));
    expect(ra).toMatchObject({ status: 'stopped', endReason: 'discharged', version: 2 });
    expect(rb).toMatchObject({ status: 'stopped', endReason: 'admission cancelled', version: 2 });
    const [audit] = await t.database.db
      .select()
      .from(auditEntries)
      .where(and(eq(auditEntries.resourceId, a.id), eq(auditEntries.actorType, 'system')));
    expect(audit).toMatchObject({
      action: 'update',
      patientId: discharged.patientId,
      actorName: 'dietary.stop-on-discharge',
    });

    const closed = await order(discharged.admissionId, { diet: 'normal' });
    expect(closed.statusCode).toBe(409);
    expect(closed.json().code).toBe('DIETARY_ADMISSION_CLOSED');
    const list = await kitchen(`meal=lunch&wardId=${ward.wardId}`);
    expect(list.wards).toEqual([]);
  });
});

describe("the kitchen's list", () => {
  it('lists beds by ward with diets, NPO over the meal, allergies, tube feeds apart and counts', async () => {
    const kw = await createDietaryWorld(t);
    const nurse = await kw.staff(['nurse']);
    const wardA = await kw.ward('A Ward Rose', ['R1', 'R2', 'R3']);
    const wardB = await kw.ward('B Ward Lily', ['Y1', 'Y2', 'Y3']);
    const put = async (ward: typeof wardA, bed: string) => {
      const patient = await kw.patient();
      return { ...(await kw.admit(patient.id, ward, ward.beds[bed]!)), patient };
    };
    const diabetic = await put(wardA, 'R1');
    const fasting = await put(wardA, 'R2');
    const noOrder = await put(wardA, 'R3');
    const tube = await put(wardB, 'Y1');
    const npoEnds = await put(wardB, 'Y2');
    await kw.allergy(diabetic.patientId, 'Groundnut', 'food', 'severe');
    const place = (stay: { admissionId: string }, body: Record<string, unknown>) =>
      kw.call('POST', `/api/v1/dietary/admissions/${stay.admissionId}/orders`, nurse.headers, body);

    const today = await kw.call('GET', '/api/v1/dietary/kitchen-list?meal=lunch', nurse.headers);
    const { date: todayDate, mealAt: lunchToday } = today.json() as KitchenList;
    expect(lunchToday).toBe(new Date(`${todayDate}T12:30:00+05:30`).toISOString());
    const tomorrow = new Date(Date.parse(`${todayDate}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const lunchTomorrow = new Date(`${tomorrow}T12:30:00+05:30`);
    const hour = 3600_000;

    expect(
      (await place(diabetic, { diet: 'diabetic', instructions: 'Small frequent meals' })).statusCode,
    ).toBe(201);
    // NPO from before today's lunch until after tomorrow's lunch: no tray at any meal in between.
    await place(fasting, {
      diet: 'npo',
      npoFrom: new Date(Date.parse(lunchToday) - hour).toISOString(),
      npoUntil: new Date(lunchTomorrow.getTime() + hour).toISOString(),
    });
    await place(tube, { diet: 'tube-feed', tubeFeed: { formula: 'Ensure', volumeMl: 250, timesPerDay: 5 } });
    // NPO until tomorrow's breakfast is over: at tomorrow's dinner the kitchen must ask the ward.
    await place(npoEnds, {
      diet: 'npo',
      npoFrom: new Date(Date.parse(lunchToday) - hour).toISOString(),
      npoUntil: new Date(`${tomorrow}T09:00:00+05:30`).toISOString(),
    });

    const lunch = await kitchen(`meal=lunch&date=${todayDate}`, nurse.headers);
    expect(lunch.wards.map((x) => [x.wardName, x.lines.map((l) => [l.bedCode, l.serve, l.diet])])).toEqual([
      [
        'A Ward Rose',
        [
          ['R1', 'meal', 'diabetic'],
          ['R2', 'npo', 'npo'],
          ['R3', 'ask-ward', null],
        ],
      ],
      [
        'B Ward Lily',
        [
          ['Y1', 'tube-feed', 'tube-feed'],
          ['Y2', 'npo', 'npo'],
        ],
      ],
    ]);
    const r1 = lunch.wards[0]!.lines[0]!;
    expect(r1).toMatchObject({
      patientName: diabetic.patient.displayName,
      mrn: diabetic.patient.mrn,
      instructions: 'Small frequent meals',
      allergies: ['Groundnut (food, severe)'],
      allergyState: 'recorded',
    });
    expect(lunch.wards[0]!.counts).toEqual({ diabetic: 1, npo: 1, 'ask-ward': 1 });
    expect(lunch.wards[1]!.counts).toEqual({ 'tube-feed': 1, npo: 1 });
    expect(lunch.totals).toEqual({ diabetic: 1, npo: 2, 'ask-ward': 1, 'tube-feed': 1 });
    expect(lunch.tubeFeeds).toHaveLength(1);
    expect(lunch.tubeFeeds[0]).toMatchObject({
      bedCode: 'Y1',
      wardName: 'B Ward Lily',
      tubeFeed: { formula: 'Ensure', volumeMl: 250, timesPerDay: 5 },
    });

    // Tomorrow's breakfast falls in both NPO windows; by tomorrow's dinner both are over: the kitchen asks the ward.
    const dinner = await kitchen(`meal=dinner&date=${tomorrow}`, nurse.headers);
    expect(dinner.mealAt).toBe(new Date(`${tomorrow}T19:30:00+05:30`).toISOString());
    const serveOf = (l: KitchenList, bed: string) =>
      l.wards.flatMap((x) => x.lines).find((x) => x.bedCode === bed)?.serve;
    expect(serveOf(dinner, 'R2')).toBe('ask-ward');
    expect(serveOf(dinner, 'Y2')).toBe('ask-ward');
    const breakfast = await kitchen(`meal=breakfast&date=${tomorrow}`, nurse.headers);
    expect(serveOf(breakfast, 'R2')).toBe('npo');
    expect(serveOf(breakfast, 'Y2')).toBe('npo');

    // A transfer needs nothing stored: the list reads the bed now.
    await kw.transfer(diabetic.admissionId, wardB, wardB.beds.Y3!);
    const moved = await kitchen(`meal=lunch&date=${todayDate}&wardId=${wardB.wardId}`, nurse.headers);
    expect(moved.wards).toHaveLength(1);
    expect(moved.wards[0]!.lines.map((l) => [l.bedCode, l.diet])).toEqual([
      ['Y1', 'tube-feed'],
      ['Y2', 'npo'],
      ['Y3', 'diabetic'],
    ]);

    // Each patient listed is an audited read.
    const reads = await t.database.db
      .select()
      .from(auditEntries)
      .where(and(eq(auditEntries.patientId, noOrder.patientId), eq(auditEntries.action, 'read')));
    expect(reads.some((r) => (r.detail as { purpose?: string } | null)?.purpose === 'kitchen-list')).toBe(
      true,
    );

    // Out of range dates are refused.
    const old = await kw.call(
      'GET',
      '/api/v1/dietary/kitchen-list?meal=lunch&date=2020-01-01',
      nurse.headers,
    );
    expect(old.statusCode).toBe(422);
    expect(old.json().code).toBe('DIETARY_DATE_OUT_OF_RANGE');
    expect((await kw.call('GET', '/api/v1/dietary/kitchen-list?meal=supper', nurse.headers)).statusCode).toBe(
      400,
    );

    // The printable list.
    const pdf = await kw.call(
      'GET',
      `/api/v1/dietary/kitchen-list.pdf?meal=lunch&date=${todayDate}`,
      nurse.headers,
    );
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.rawPayload.length).toBeGreaterThan(1500);
  });
});
