import type { RadOrder, RadPatientStudy } from '@newhms/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness';
import { createRadWorld, type RadWorld } from './radiology-test-support';

// A patient's studies by the visit they were ordered in: the consultation shows that visit's imaging only,
// the patient's record all of it; the worklist can be narrowed to one encounter too.

let t: TestApp;
let w: RadWorld;
beforeAll(async () => {
  t = await createTestApp();
  w = await createRadWorld(t);
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('studies of one encounter', () => {
  it('names the encounter of each study and lists one visit’s studies when asked', async () => {
    // 1. Anand's January visit orders a chest X-ray; today's visit a CT head; the desk books a knee X-ray
    //    walk-in without a visit.
    const anand = await w.patient({ sex: 'male', birthDate: '1958-11-30' });
    const january = await w.visit(anand.id);
    const today = await w.visit(anand.id);
    await w.order(january.id, 'RAD-CXR-PA');
    await w.order(today.id, 'RAD-CT-HEAD', { priority: 'stat' });
    await w.deliver();
    const knee = await w.walkIn(anand.id, 'RAD-XR-KNEE', { laterality: 'left' });
    const [ct] = await w.ordersOf(today.id);
    if (!ct) throw new Error('no CT order');

    // 2. The record: all three, each with its encounter (none for the walk-in).
    const studies = async (query = '') =>
      w.ok<RadPatientStudy[]>(
        await w.call('GET', `/api/v1/radiology/patients/${anand.id}/studies${query}`, w.doctor.headers),
        200,
        'studies',
      );
    const all = await studies();
    expect(Object.fromEntries(all.map((s) => [s.procedureCode, s.encounterId]))).toEqual({
      'RAD-CXR-PA': january.id,
      'RAD-CT-HEAD': today.id,
      'RAD-XR-KNEE': null,
    });
    expect(all.find((s) => s.orderId === knee.id)?.encounterId).toBeNull();

    // 3. Today's consultation: the CT only; January's: the chest X-ray only.
    expect((await studies(`?encounterId=${today.id}`)).map((s) => s.orderId)).toEqual([ct.id]);
    expect((await studies(`?encounterId=${january.id}`)).map((s) => s.procedureCode)).toEqual(['RAD-CXR-PA']);
    const audits = await w.audits('RadiologyOrder', anand.id);
    expect(audits.at(-1)?.detail).toMatchObject({
      list: 'patient-studies',
      encounterId: january.id,
      count: 1,
    });

    // 4. The worklist narrowed to today's visit: its CT, with the encounter it came from.
    const worklist = w.ok<RadOrder[]>(
      await w.call('GET', `/api/v1/radiology/worklist?encounterId=${today.id}`, w.radiographer.headers),
      200,
      'worklist',
    );
    expect(worklist.map((o) => [o.id, o.encounterId])).toEqual([[ct.id, today.id]]);
  });

  it('answers 400 naming encounterId when it is no id, and changes nothing', async () => {
    const patient = await w.patient();
    for (const url of [
      `/api/v1/radiology/patients/${patient.id}/studies?encounterId=nope`,
      '/api/v1/radiology/worklist?encounterId=nope',
    ]) {
      const res = await w.call('GET', url, w.admin.headers);
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().errors.map((e: { path: string }) => e.path)).toContain('querystring.encounterId');
    }
    expect(await w.audits('RadiologyOrder', patient.id)).toEqual([]);
  });
});
