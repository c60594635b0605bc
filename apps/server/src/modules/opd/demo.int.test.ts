import { readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { bearer, createTestApp, createTestUser, signIn, type TestApp } from '../../../test/harness';
import { openDatabase, pgliteExtensions } from '../../platform/db/database';
import { seedOpdDemo } from './demo';
import { appointments, practitioners, rooms, scheduleTemplates, tokens } from './opd.tables';

let t: TestApp;
let doctorId: string;

beforeAll(async () => {
  // A private PGlite copy: the demo's board codes and doctor e-mails are fixed names.
  const client = await PGlite.create({
    loadDataDir: new Blob([readFileSync(inject('pgliteDump'))]),
    extensions: pgliteExtensions,
  });
  t = await createTestApp({ database: await openDatabase({ pglite: client }) });
  doctorId = (await createTestUser(t.database, { roles: ['doctor'], facilityId: t.facilityId })).id;
  const desk = await createTestUser(t.database, { roles: ['front-desk'], facilityId: t.facilityId });
  const headers = bearer(await signIn(t.app, desk.email));
  for (const [code, name] of [
    ['GMED', 'General Medicine'],
    ['PAED', 'Paediatrics'],
    ['CARD', 'Cardiology'],
    ['ORTH', 'Orthopaedics'],
  ]) {
    await t.app.inject({
      method: 'POST',
      url: `/api/v1/organization/facilities/${t.facilityId}/departments`,
      headers: bearer(t.admin.token),
      payload: { code, name, kind: 'clinical' },
    });
  }
  for (const [given, family, birthDate] of [
    ['Lakshmi', 'Narayanan', '1948-04-12'],
    ['Mohammed', 'Iqbal', '1985-01-20'],
    ['Priya', 'Sharma', '1994-07-02'],
    ['Arvind', 'Kulkarni', '1971-11-30'],
    ['Sunita', 'Verma', '1988-03-15'],
    ['Joseph', 'Dsouza', '1960-09-09'],
  ]) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/patients',
      headers,
      payload: { name: { given, family }, sex: 'other', birth: { birthDate } },
    });
    expect(res.statusCode).toBe(201);
  }
});
afterAll(async () => {
  await t.close();
  await t.database.close();
});

describe('the OPD demo data', () => {
  it('sets up doctors, rooms and a week of schedules, books today and tomorrow, and leaves a queue running', async () => {
    const demo = { facilityId: t.facilityId, userIds: { doctor: doctorId } };
    await seedOpdDemo(t.app.deps, demo);
    const db = t.database.db;
    const doctors = await db.select().from(practitioners).where(eq(practitioners.facilityId, t.facilityId));
    expect(doctors).toHaveLength(4);
    expect(doctors.map((d) => d.userId)).toContain(doctorId);
    expect(await db.select().from(rooms).where(eq(rooms.facilityId, t.facilityId))).toHaveLength(4);
    const templates = await db
      .select()
      .from(scheduleTemplates)
      .where(eq(scheduleTemplates.facilityId, t.facilityId));
    expect(new Set(templates.map((x) => x.weekday)).size).toBe(6);
    const booked = await db.select().from(appointments).where(eq(appointments.facilityId, t.facilityId));
    expect(booked.length).toBeGreaterThan(0);
    const queue = await db.select().from(tokens).where(eq(tokens.facilityId, t.facilityId));
    expect(queue.length).toBeGreaterThanOrEqual(3);
    expect(queue.map((x) => x.status)).toEqual(
      expect.arrayContaining(['in-consultation', 'called', 'waiting']),
    );
    // The board of the first room shows it, without names.
    const board = await t.app.inject({ method: 'GET', url: '/api/public/display/OPD-1' });
    expect(board.statusCode).toBe(200);
    expect(board.json().nowServing.length).toBeGreaterThan(0);

    // Loading the demo again changes nothing.
    await seedOpdDemo(t.app.deps, demo);
    expect(
      await db.select().from(practitioners).where(eq(practitioners.facilityId, t.facilityId)),
    ).toHaveLength(4);
  });
});
