import type { RadOrder } from '@newhms/contracts';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness';
import { rowsOf } from '../../platform/db/raw-rows';
import { createRadWorld, freshUid, type RadWorld } from './radiology-test-support';

// The technologist's day: the worklist, the arrival with the safety checklist, a start refused while the
// checklist lacks what this patient and this procedure need, the completion with the DICOM Study Instance UID
// (validated and unique) and the PACS link.

const VIEWER = 'https://pacs.example/viewer?StudyInstanceUIDs={studyUid}&acc={accession}';

let t: TestApp;
let w: RadWorld;
beforeAll(async () => {
  t = await createTestApp({ env: { NEWHMS_PACS_VIEWER_URL: VIEWER } });
  w = await createRadWorld(t);
}, 120_000);
afterAll(async () => {
  await t?.close();
});

const url = (id: string, step: string) => `/api/v1/radiology/orders/${id}/${step}`;

describe('the study, from arrival to completion', () => {
  it('walks a contrast CT of a young woman through the checklist, refusing the start until it is complete', async () => {
    // 1. Priya, 30, is sent for a CT abdomen with contrast; booked in the CT room in an hour.
    const priya = await w.patient({ sex: 'female', birthDate: '1996-03-01' });
    let order = await w.walkIn(priya.id, 'RAD-CT-ABD-C', { priority: 'urgent' });
    expect(order.preparation).toMatch(/6 hours/);
    order = w.ok<RadOrder>(await w.book(order, w.rooms.CT.id, new Date(Date.now() + 3600_000)), 200, 'book');

    // 2. The CT worklist of the room shows her.
    const list = w.ok<RadOrder[]>(
      await w.call(
        'GET',
        `/api/v1/radiology/worklist?modality=CT&roomId=${w.rooms.CT.id}`,
        w.radiographer.headers,
      ),
      200,
      'worklist',
    );
    expect(list.find((o) => o.id === order.id)).toMatchObject({ status: 'scheduled', priority: 'urgent' });

    // 3. She cannot start before she has arrived.
    const early = await w.call('POST', url(order.id, 'start'), w.radiographer.headers, {
      version: order.version,
    });
    expect(early.statusCode).toBe(422);
    expect(early.json().code).toBe('RAD_ORDER_NOT_ARRIVED');

    // 4. She arrives; the radiographer confirms her identity only.
    order = w.ok<RadOrder>(
      await w.call('POST', url(order.id, 'arrive'), w.radiographer.headers, {
        checklist: { identityConfirmed: true },
        version: order.version,
      }),
      200,
      'arrive',
    );
    expect(order).toMatchObject({ status: 'arrived', arrived: { byName: 'Tech Latha' } });

    // 5. The start is refused, naming each missing item: pregnancy, contrast allergy, renal function.
    const refused = await w.call('POST', url(order.id, 'start'), w.radiographer.headers, {
      version: order.version,
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().code).toBe('RAD_CHECKLIST_INCOMPLETE');
    expect(refused.json().errors.map((e: { path: string }) => e.path)).toEqual([
      'checklist.pregnancyStatus',
      'checklist.contrastAllergy',
      'checklist.egfr',
    ]);
    // Nothing was written by the refusal.
    expect((await w.get(order.id)).version).toBe(order.version);

    // 6. Possibly pregnant: the radiologist's justification is needed too.
    const maybe = await w.call('POST', url(order.id, 'start'), w.radiographer.headers, {
      checklist: { pregnancyStatus: 'possibly-pregnant', contrastAllergy: false, egfr: 92 },
      version: order.version,
    });
    expect(maybe.json().errors.map((e: { path: string }) => e.path)).toEqual([
      'checklist.pregnancyJustification',
    ]);

    // 7. Not pregnant, no allergy, eGFR 92: the study starts in the booked room.
    order = w.ok<RadOrder>(
      await w.call('POST', url(order.id, 'start'), w.radiographer.headers, {
        checklist: {
          pregnancyStatus: 'not-pregnant',
          contrastAllergy: false,
          egfr: 92,
          renalTestDate: '2026-01-05',
        },
        version: order.version,
      }),
      200,
      'start',
    );
    expect(order).toMatchObject({
      status: 'in-progress',
      started: { byName: 'Tech Latha' },
      checklist: {
        identityConfirmed: true,
        pregnancyStatus: 'not-pregnant',
        contrastAllergy: false,
        egfr: 92,
      },
      studyInstanceUid: null,
      viewerUrl: null,
    });

    // 8. A stale screen cannot complete it (409); a malformed UID is 400; then it completes.
    const stale = await w.call('POST', url(order.id, 'complete'), w.radiographer.headers, {
      studyInstanceUid: freshUid(),
      version: order.version - 1,
    });
    expect(stale.statusCode).toBe(409);
    for (const bad of ['1.02.3', '1', 'abc', `1.${'2'.repeat(70)}`, '1..2']) {
      const res = await w.call('POST', url(order.id, 'complete'), w.radiographer.headers, {
        studyInstanceUid: bad,
        version: order.version,
      });
      expect(res.statusCode, bad).toBe(400);
      expect(res.json().errors[0].path).toBe('body.studyInstanceUid');
    }
    const uid = freshUid();
    order = w.ok<RadOrder>(
      await w.call('POST', url(order.id, 'complete'), w.radiographer.headers, {
        studyInstanceUid: uid,
        numberOfImages: 480,
        dose: { dlpMGyCm: 612.5, ctdiVolMGy: 11.2 },
        version: order.version,
      }),
      200,
      'complete',
    );
    expect(order).toMatchObject({
      status: 'completed',
      studyInstanceUid: uid,
      numberOfImages: 480,
      dose: { dlpMGyCm: 612.5, ctdiVolMGy: 11.2, dapGyCm2: null },
      completed: { byName: 'Tech Latha' },
      viewerUrl: `https://pacs.example/viewer?StudyInstanceUIDs=${uid}&acc=${order.accession}`,
    });
    const [event] = await w.events('radiology.study.completed', order.id);
    expect(event!.payload).toMatchObject({
      radiologyOrderId: order.id,
      patientId: priya.id,
      accession: order.accession,
      studyInstanceUid: uid,
      modality: 'CT',
      numberOfImages: 480,
    });

    // 9. The UID belongs to this study alone: another study cannot reuse it (409).
    const other = await w.started(await w.walkIn(priya.id, 'RAD-CT-HEAD'), {
      pregnancyStatus: 'not-pregnant',
    });
    const reused = await w.call('POST', url(other.id, 'complete'), w.radiographer.headers, {
      studyInstanceUid: uid,
      version: other.version,
    });
    expect(reused.statusCode).toBe(409);
    expect(reused.json().code).toBe('RAD_STUDY_UID_TAKEN');

    // 10. Without a UID from the modality, one is made under 2.25.
    const made = w.ok<RadOrder>(
      await w.call('POST', url(other.id, 'complete'), w.radiographer.headers, { version: other.version }),
      200,
      'complete without uid',
    );
    expect(made.studyInstanceUid).toMatch(/^2\.25\.\d+$/);

    // 11. A completed study cannot start again or be cancelled.
    const again = await w.call('POST', url(order.id, 'start'), w.radiographer.headers, {
      version: order.version,
    });
    expect(again.statusCode).toBe(422);
    const cancel = await w.call('POST', url(order.id, 'cancel'), w.desk.headers, {
      reason: 'x',
      version: order.version,
    });
    expect(cancel.json().code).toBe('RAD_ORDER_NOT_CANCELLABLE');
  });

  it('needs the MR safety screening before an MRI, and a note for an implant', async () => {
    const p = await w.patient({ sex: 'male', birthDate: '1950-06-01' });
    const order = await w.walkIn(p.id, 'RAD-MRI-BRAIN');
    const arrived = w.ok<RadOrder>(
      await w.call('POST', url(order.id, 'arrive'), w.radiographer.headers, {
        checklist: { identityConfirmed: true },
        version: order.version,
      }),
      200,
      'arrive',
    );
    const noRoom = await w.call('POST', url(order.id, 'start'), w.radiographer.headers, {
      checklist: {
        mriScreening: {
          pacemakerOrDefibrillator: true,
          cochlearImplant: false,
          aneurysmClip: false,
          neurostimulator: false,
          metalForeignBody: false,
          otherImplant: false,
        },
      },
      version: arrived.version,
    });
    expect(noRoom.statusCode).toBe(422);
    expect(noRoom.json().errors.map((e: { path: string }) => e.path)).toEqual([
      'checklist.mriScreening.note',
    ]);
    const missing = await w.call('POST', url(order.id, 'start'), w.radiographer.headers, {
      version: arrived.version,
    });
    expect(missing.json().errors.map((e: { path: string }) => e.path)).toEqual(['checklist.mriScreening']);
    // Without a booking, the room is asked for.
    const roomless = await w.call('POST', url(order.id, 'start'), w.radiographer.headers, {
      checklist: {
        mriScreening: {
          pacemakerOrDefibrillator: false,
          cochlearImplant: false,
          aneurysmClip: false,
          neurostimulator: false,
          metalForeignBody: false,
          otherImplant: false,
        },
      },
      version: arrived.version,
    });
    expect(roomless.json()).toMatchObject({ code: 'RAD_ROOM_REQUIRED', errors: [{ path: 'roomId' }] });
    const started = w.ok<RadOrder>(
      await w.call('POST', url(order.id, 'start'), w.radiographer.headers, {
        roomId: w.rooms.MR.id,
        checklist: {
          mriScreening: {
            pacemakerOrDefibrillator: true,
            cochlearImplant: false,
            aneurysmClip: false,
            neurostimulator: false,
            metalForeignBody: false,
            otherImplant: false,
            note: 'MR-conditional pacemaker (card seen); cardiologist present, MR mode on',
          },
        },
        version: arrived.version,
      }),
      200,
      'start',
    );
    expect(started.status).toBe('in-progress');
    // The worklist of the MR room shows it in progress; the front desk may not start studies.
    const refused = await w.call('POST', url(order.id, 'complete'), w.desk.headers, {
      version: started.version,
    });
    expect(refused.statusCode).toBe(403);
  });

  it('asks the side of an encounter order at arrival, and not the pregnancy of a man or before an ultrasound', async () => {
    const p = await w.patient({ sex: 'male', birthDate: '1990-01-01' });
    const visit = await w.visit(p.id);
    await w.order(visit.id, 'RAD-XR-WRIST');
    await w.deliver();
    const [order] = await w.ordersOf(visit.id);
    expect(order!.laterality).toBeNull();
    const arrived = w.ok<RadOrder>(
      await w.call('POST', url(order!.id, 'arrive'), w.radiographer.headers, {
        checklist: { identityConfirmed: true },
        version: order!.version,
      }),
      200,
      'arrive',
    );
    const refused = await w.call('POST', url(order!.id, 'start'), w.radiographer.headers, {
      roomId: w.rooms.XR.id,
      version: arrived.version,
    });
    expect(refused.json().errors.map((e: { path: string }) => e.path)).toEqual(['laterality']);
    const started = w.ok<RadOrder>(
      await w.call('POST', url(order!.id, 'start'), w.radiographer.headers, {
        roomId: w.rooms.XR.id,
        laterality: 'right',
        version: arrived.version,
      }),
      200,
      'start',
    );
    expect(started).toMatchObject({ status: 'in-progress', laterality: 'right' });

    const woman = await w.patient({ sex: 'female', birthDate: '1995-01-01' });
    const usg = await w.walkIn(woman.id, 'RAD-USG-ABD');
    const done = await w.started(usg);
    expect(done.status).toBe('in-progress');
  });

  it('lists the worklist STAT first, by day and state, and the radiologist the studies to report', async () => {
    const p = await w.patient();
    const routine = await w.walkIn(p.id, 'RAD-XR-PELVIS');
    const stat = await w.walkIn(p.id, 'RAD-XR-SKULL', { priority: 'stat' });
    const today = new Date().toLocaleDateString('en-CA', { timeZone: 'Asia/Kolkata' });
    const list = w.ok<RadOrder[]>(
      await w.call(
        'GET',
        `/api/v1/radiology/worklist?modality=XR&status=ordered&date=${today}`,
        w.radiographer.headers,
      ),
      200,
      'worklist',
    );
    const ids = list.map((o) => o.id);
    expect(ids.indexOf(stat.id)).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf(stat.id)).toBeLessThan(ids.indexOf(routine.id));
    expect(list.every((o) => o.status === 'ordered' && o.modality === 'XR')).toBe(true);

    const done = await w.completed(routine);
    const toReport = w.ok<RadOrder[]>(
      await w.call('GET', '/api/v1/radiology/worklist?reportStatus=none', w.radiologist.headers),
      200,
      'to report',
    );
    expect(toReport.some((o) => o.id === done.id)).toBe(true);
    expect(toReport.every((o) => o.status === 'completed' && o.report === null)).toBe(true);
    // The worklist is audited per patient shown.
    const audits = await w.audits('RadiologyOrder', p.id);
    expect(audits.some((a) => a.detail?.list === 'worklist')).toBe(true);
    // Orders are never deleted.
    await expect(
      t.database.db.execute(sql`delete from radiology.orders where id = ${done.id}`),
    ).rejects.toThrow();
    const [row] = await rowsOf<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from radiology.orders where id = ${done.id}`,
    );
    expect(row!.n).toBe(1);
  });
});
