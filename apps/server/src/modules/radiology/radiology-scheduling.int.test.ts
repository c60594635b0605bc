import type { RadOrder, RadRoom, RadRoomSchedule } from '@newhms/contracts';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness';
import { rowsOf } from '../../platform/db/raw-rows';
import { createRadWorld, type RadWorld } from './radiology-test-support';

// Booking studies into modality rooms: a room is never booked twice for the same time (the database's
// exclusion constraint decides, also when ten desks race for one slot), bookings move and are cancelled with
// their history kept, and the day schedule of a room shows them.

let t: TestApp;
let w: RadWorld;
beforeAll(async () => {
  t = await createTestApp();
  w = await createRadWorld(t, 'UTC');
}, 120_000);
afterAll(async () => {
  await t?.close();
});

/** Tomorrow (UTC) at hh:mm. */
function tomorrowAt(hh: number, mm = 0): Date {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + 1);
  d.setUTCHours(hh, mm, 0, 0);
  return d;
}
const day = (d: Date) => d.toISOString().slice(0, 10);

describe('room bookings', () => {
  it('books a slot and refuses an overlapping one with 409, but not the adjacent one', async () => {
    const room = await w.room('CT');
    const p = await w.patient();
    const [a, b, c] = [
      await w.walkIn(p.id, 'RAD-CT-HEAD'),
      await w.walkIn(p.id, 'RAD-CT-CHEST'),
      await w.walkIn(p.id, 'RAD-CT-PNS'),
    ];
    // 1. CT head 10:00-10:30; the default end is the procedure's duration (15 minutes for a CT head).
    const booked = w.ok<RadOrder>(await w.book(a!, room.id, tomorrowAt(10), 30), 200, 'book');
    expect(booked).toMatchObject({
      status: 'scheduled',
      version: 2,
      booking: {
        roomId: room.id,
        roomName: room.name,
        startsAt: tomorrowAt(10).toISOString(),
        endsAt: tomorrowAt(10, 30).toISOString(),
        bookedByName: 'Desk Kumar',
      },
    });
    // 2. 10:15 overlaps: 409 problem+json, nothing written.
    const overlap = await w.book(b!, room.id, tomorrowAt(10, 15));
    expect(overlap.statusCode).toBe(409);
    expect(overlap.headers['content-type']).toContain('application/problem+json');
    expect(overlap.json().code).toBe('RAD_ROOM_DOUBLE_BOOKED');
    expect((await w.get(b!.id)).status).toBe('ordered');
    // 3. 10:30 starts as the other ends: booked ([start, end) periods).
    const adjacent = w.ok<RadOrder>(await w.book(b!, room.id, tomorrowAt(10, 30)), 200, 'adjacent');
    expect(adjacent.booking!.endsAt).toBe(tomorrowAt(10, 45).toISOString());
    // 4. The same slot in another CT room is free.
    w.ok(await w.book(c!, w.rooms.CT.id, tomorrowAt(10)), 200, 'other room');

    // 5. The room's day, in time order, with the patients.
    const schedule = w.ok<RadRoomSchedule>(
      await w.call(
        'GET',
        `/api/v1/radiology/rooms/${room.id}/schedule?date=${day(tomorrowAt(10))}`,
        w.desk.headers,
      ),
      200,
      'schedule',
    );
    expect(schedule.timeZone).toBe('UTC');
    expect(schedule.bookings.map((x) => [x.procedureCode, x.startsAt, x.patientName])).toEqual([
      ['RAD-CT-HEAD', tomorrowAt(10).toISOString(), p.displayName],
      ['RAD-CT-CHEST', tomorrowAt(10, 30).toISOString(), p.displayName],
    ]);
  });

  it('lets exactly one of ten concurrent bookings of one slot through', async () => {
    const room = await w.room('MR');
    const orders: RadOrder[] = [];
    for (let i = 0; i < 10; i++) {
      const p = await w.patient();
      orders.push(await w.walkIn(p.id, 'RAD-MRI-BRAIN'));
    }
    const results = await Promise.all(orders.map((o) => w.book(o, room.id, tomorrowAt(14), 30)));
    const statuses = results.map((r) => r.statusCode).sort();
    expect(statuses).toEqual([200, 409, 409, 409, 409, 409, 409, 409, 409, 409]);
    for (const r of results.filter((x) => x.statusCode === 409)) {
      expect(['RAD_ROOM_DOUBLE_BOOKED', 'CONFLICTING_BOOKING']).toContain(r.json().code);
    }
    const [row] = await rowsOf<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from radiology.bookings where room_id = ${room.id} and status = 'active'`,
    );
    expect(row!.n).toBe(1);
  });

  it('refuses a stale version, a room of another modality, an inactive or closed room, and the past', async () => {
    const p = await w.patient();
    const order = await w.walkIn(p.id, 'RAD-XR-SKULL');
    const stale = await w.book({ ...order, version: 7 }, w.rooms.XR.id, tomorrowAt(8));
    expect(stale.statusCode).toBe(409);
    expect(stale.json().code).toBe('STALE_VERSION');

    const wrong = await w.book(order, w.rooms.CT.id, tomorrowAt(8));
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json()).toMatchObject({ code: 'RAD_ROOM_WRONG_MODALITY', errors: [{ path: 'roomId' }] });

    const past = await w.book(order, w.rooms.XR.id, new Date(Date.now() - 3 * 3600_000));
    expect(past.statusCode).toBe(422);
    expect(past.json().errors[0].path).toBe('startsAt');

    // A room that works 08:00-13:00 (UTC here) takes no booking at 12:50 for 20 minutes.
    const morning = await w.room('XR', { opensAt: '08:00', closesAt: '13:00' });
    const closed = await w.book(order, morning.id, tomorrowAt(12, 50), 20);
    expect(closed.statusCode).toBe(422);
    expect(closed.json().code).toBe('RAD_ROOM_CLOSED');

    // Deactivated: no new bookings.
    const off = w.ok<RadRoom>(
      await w.call('PATCH', `/api/v1/radiology/rooms/${morning.id}`, w.admin.headers, {
        active: false,
        version: morning.version,
      }),
      200,
      'deactivate',
    );
    expect(off.active).toBe(false);
    const inactive = await w.book(order, morning.id, tomorrowAt(9));
    expect(inactive.statusCode).toBe(422);
    expect(inactive.json().code).toBe('RAD_ROOM_INACTIVE');
    const listed = w.ok<RadRoom[]>(
      await w.call('GET', '/api/v1/radiology/rooms?modality=XR', w.desk.headers),
      200,
      'rooms',
    );
    expect(listed.some((r) => r.id === morning.id)).toBe(false);

    // None of it booked anything.
    expect((await w.get(order.id)).status).toBe('ordered');
  });

  it('moves a booking to another slot and cancels it, keeping the history', async () => {
    const p = await w.patient({ sex: 'female', birthDate: '1988-01-01' });
    let order = await w.walkIn(p.id, 'RAD-USG-PELVIS');
    order = w.ok<RadOrder>(await w.book(order, w.rooms.US.id, tomorrowAt(9)), 200, 'book');
    const first = order.booking!.id;

    // 1. Moved to 11:00: a new booking, the old one kept as moved.
    order = w.ok<RadOrder>(
      await w.call('POST', `/api/v1/radiology/orders/${order.id}/booking/reschedule`, w.desk.headers, {
        roomId: w.rooms.US.id,
        startsAt: tomorrowAt(11).toISOString(),
        version: order.version,
      }),
      200,
      'reschedule',
    );
    expect(order).toMatchObject({ status: 'scheduled', booking: { startsAt: tomorrowAt(11).toISOString() } });
    expect(order.booking!.id).not.toBe(first);
    // The 09:00 slot is free again.
    const q = await w.patient();
    w.ok(await w.book(await w.walkIn(q.id, 'RAD-USG-ABD'), w.rooms.US.id, tomorrowAt(9)), 200, 'slot freed');

    // 2. Cancelled: back to ordered, no booking; both rows stay.
    order = w.ok<RadOrder>(
      await w.call('POST', `/api/v1/radiology/orders/${order.id}/booking/cancel`, w.desk.headers, {
        reason: 'Patient asked for next week',
        version: order.version,
      }),
      200,
      'cancel booking',
    );
    expect(order).toMatchObject({ status: 'ordered', booking: null });
    const rows = await rowsOf<{ status: string; end_reason: string | null }>(
      t.database.db,
      sql`select status, end_reason from radiology.bookings where order_id = ${order.id} order by booked_at, id`,
    );
    expect(rows).toEqual([
      { status: 'moved', end_reason: 'rescheduled' },
      { status: 'cancelled', end_reason: 'Patient asked for next week' },
    ]);
    // Bookings are never deleted.
    await expect(
      t.database.db.execute(sql`delete from radiology.bookings where order_id = ${order.id}`),
    ).rejects.toThrow();
  });

  it('keeps rooms to the administrators and unique by code', async () => {
    const refused = await w.call('POST', '/api/v1/radiology/rooms', w.desk.headers, {
      code: 'X1',
      name: 'X',
      modality: 'XR',
    });
    expect(refused.statusCode).toBe(403);
    const dup = await w.call('POST', '/api/v1/radiology/rooms', w.admin.headers, {
      code: w.rooms.XR.code,
      name: 'Again',
      modality: 'XR',
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().code).toBe('RAD_ROOM_CODE_TAKEN');
    const badHours = await w.call('POST', '/api/v1/radiology/rooms', w.admin.headers, {
      code: 'X2',
      name: 'X',
      modality: 'XR',
      opensAt: '18:00',
      closesAt: '08:00',
    });
    expect(badHours.statusCode).toBe(400);
    expect(badHours.json().errors[0].path).toBe('body.closesAt');
  });
});
