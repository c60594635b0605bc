import { describe, expect, it } from 'vitest';
import { clashOf, firstFreeSlot, overlaps, wallTime, zonedInstant } from './booking-slots';

describe('zonedInstant and wallTime', () => {
  it("turns the facility's wall clock into an instant and back, whatever the computer's zone", () => {
    expect(zonedInstant('2026-03-10', '09:30', 'Asia/Kolkata')).toBe('2026-03-10T04:00:00.000Z');
    expect(wallTime('2026-03-10T04:00:00.000Z', 'Asia/Kolkata')).toBe('09:30');
    expect(zonedInstant('2026-03-10', '00:00', 'UTC')).toBe('2026-03-10T00:00:00.000Z');
  });
  it('follows daylight saving time', () => {
    // London: GMT in January, BST (UTC+1) in July.
    expect(zonedInstant('2026-01-15', '09:00', 'Europe/London')).toBe('2026-01-15T09:00:00.000Z');
    expect(zonedInstant('2026-07-15', '09:00', 'Europe/London')).toBe('2026-07-15T08:00:00.000Z');
    expect(wallTime('2026-07-15T08:00:00.000Z', 'Europe/London')).toBe('09:00');
  });
});

describe('overlaps and clashOf', () => {
  const booked = { startsAt: '2026-03-10T04:00:00.000Z', endsAt: '2026-03-10T04:10:00.000Z' };
  it('sees a shared minute as a clash, and back-to-back periods as none', () => {
    expect(
      overlaps(booked, { startsAt: '2026-03-10T04:05:00.000Z', endsAt: '2026-03-10T04:15:00.000Z' }),
    ).toBe(true);
    expect(
      overlaps(booked, { startsAt: '2026-03-10T04:10:00.000Z', endsAt: '2026-03-10T04:20:00.000Z' }),
    ).toBe(false);
    expect(clashOf([booked], '2026-03-10T03:55:00.000Z', 10)).toBe(booked);
    expect(clashOf([booked], '2026-03-10T03:50:00.000Z', 10)).toBeNull();
  });
});

describe('firstFreeSlot', () => {
  const day = {
    date: '2026-03-10',
    timeZone: 'Asia/Kolkata',
    opensAt: '08:00',
    closesAt: '20:00',
    minutes: 10,
    now: new Date('2026-03-09T00:00:00Z'),
  };
  it('is the opening time of an empty day', () => {
    expect(firstFreeSlot({ ...day, bookings: [] })).toBe('08:00');
  });
  it('skips the booked periods', () => {
    const bookings = [
      {
        startsAt: zonedInstant(day.date, '08:00', day.timeZone),
        endsAt: zonedInstant(day.date, '08:10', day.timeZone),
      },
      {
        startsAt: zonedInstant(day.date, '08:15', day.timeZone),
        endsAt: zonedInstant(day.date, '08:30', day.timeZone),
      },
    ];
    expect(firstFreeSlot({ ...day, bookings })).toBe('08:30');
    expect(firstFreeSlot({ ...day, bookings, minutes: 5 })).toBe('08:10');
  });
  it('starts no earlier than now, and says when the day is over or full', () => {
    expect(
      firstFreeSlot({ ...day, bookings: [], now: new Date(zonedInstant(day.date, '13:02', day.timeZone)) }),
    ).toBe('13:05');
    expect(
      firstFreeSlot({ ...day, bookings: [], now: new Date(zonedInstant(day.date, '19:55', day.timeZone)) }),
    ).toBe(null);
  });
  it('runs around the clock when the room has no hours', () => {
    expect(firstFreeSlot({ ...day, opensAt: null, closesAt: null, bookings: [] })).toBe('00:00');
  });
});
