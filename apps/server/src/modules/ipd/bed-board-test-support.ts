import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { bearer, createTestUser, signIn, type TestApp } from '../../../test/harness';
import { newId } from '../../platform/db/ids';
import { notifyBedBoard } from './bed-board';
import {
  admissionRequests,
  admissions,
  bedCategories,
  bedOccupancies,
  bedReservations,
  beds,
  rooms,
  wards,
} from './ipd.tables';

// Test factories of the bed board: a facility of its own per world (PostgreSQL test files share one
// database), patients through the API, and wards, beds, admissions, reservations and requests written straight
// into the ipd tables, each change NOTIFYing the board as the IPD services do.

type Headers = Record<string, string>;
type BedStatus = 'available' | 'reserved' | 'occupied' | 'cleaning' | 'maintenance' | 'blocked';

const letters = (n: number) =>
  Array.from(randomBytes(n), (b) => 'abcdefghijklmnopqrstuvwxyz'[b % 26])
    .join('')
    .replace(/^./, (c) => c.toUpperCase());

export type BedBoardWorld = Awaited<ReturnType<typeof createBedBoardWorld>>;

export async function createBedBoardWorld(t: TestApp, options: { timeZone?: string } = {}) {
  const code = `B${letters(6).toUpperCase()}`;
  const facility = await t.app.inject({
    method: 'POST',
    url: '/api/v1/organization/facilities',
    headers: bearer(t.admin.token),
    payload: { code, name: `Bed board test ${code}`, timeZone: options.timeZone ?? 'Asia/Kolkata' },
  });
  if (facility.statusCode !== 201) throw new Error(`facility: ${facility.statusCode} ${facility.body}`);
  const facilityId = facility.json().id as string;
  const db = t.database.db;
  const staff = async (roles: string[], displayName?: string) => {
    const user = await createTestUser(t.database, { roles, facilityId, displayName });
    const token = await signIn(t.app, user.email);
    return { id: user.id, token, headers: bearer(token, facilityId) };
  };
  const admin = await staff(['admin']);
  const nurse = await staff(['nurse']);
  const desk = await staff(['front-desk']);
  const [category] = await db
    .insert(bedCategories)
    .values({ facilityId, code: 'GEN', name: 'General', tariffClass: 'general' })
    .returning();
  let admissionNo = 0;

  /** Runs a change in one transaction and NOTIFYs the board in it, as the IPD services do. */
  const change = (fn: (tx: typeof db) => Promise<unknown>) =>
    db.transaction(async (tx) => {
      await fn(tx as unknown as typeof db);
      await notifyBedBoard(tx, facilityId);
    });

  return {
    facilityId,
    admin,
    nurse,
    desk,
    staff,
    categoryId: category!.id,
    change,

    async patient(given = letters(6), family = letters(8), extra: Record<string, unknown> = {}) {
      const body = { name: { given, family }, sex: 'female', birth: { birthDate: '1980-05-01' }, ...extra };
      let res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/patients',
        headers: desk.headers,
        payload: body,
      });
      if (res.statusCode === 409) {
        res = await t.app.inject({
          method: 'POST',
          url: '/api/v1/patients',
          headers: desk.headers,
          payload: { ...body, duplicateOverride: { reason: 'test patient', candidateIds: [] } },
        });
      }
      if (res.statusCode !== 201) throw new Error(`patient: ${res.statusCode} ${res.body}`);
      return res.json() as { id: string; displayName: string; mrn: string };
    },

    /** A ward with one room of `bedCount` beds, all available. */
    async ward(input: { kind?: string; displayCode?: string | null; bedCount?: number; code?: string } = {}) {
      const wardCode = input.code ?? `W${letters(4).toUpperCase()}`;
      const [ward] = await db
        .insert(wards)
        .values({
          facilityId,
          code: wardCode,
          name: `Ward ${wardCode}`,
          kind: input.kind ?? 'general',
          building: 'Block A',
          floor: '2',
          displayCode: input.displayCode === undefined ? `D${letters(7).toUpperCase()}` : input.displayCode,
        })
        .returning();
      const [room] = await db
        .insert(rooms)
        .values({ wardId: ward!.id, code: 'R1', name: 'Room 1' })
        .returning();
      const made = [];
      for (let i = 1; i <= (input.bedCount ?? 4); i++) {
        const [bed] = await db
          .insert(beds)
          .values({
            facilityId,
            wardId: ward!.id,
            roomId: room!.id,
            categoryId: category!.id,
            code: `${wardCode}-${String(i).padStart(2, '0')}`,
            sortOrder: i,
          })
          .returning();
        made.push(bed!);
      }
      return { ...ward!, roomId: room!.id, beds: made };
    },

    async setStatus(bedId: string, status: BedStatus, since = new Date(), reason: string | null = null) {
      await change((tx) =>
        tx.update(beds).set({ status, statusSince: since, statusReason: reason }).where(eq(beds.id, bedId)),
      );
    },

    /** Admits a patient into a bed (admission + open occupancy, bed occupied) in one notified transaction. */
    async admit(
      bed: { id: string; wardId: string },
      patientId: string,
      input: { expectedDischargeDate?: string | null; attending?: string; at?: Date } = {},
    ) {
      admissionNo += 1;
      const at = input.at ?? new Date(Date.now() - 3600_000);
      const admission = {
        id: newId(),
        facilityId,
        admissionNumber: `IP-${code}-${String(admissionNo).padStart(4, '0')}`,
        patientId,
        encounterId: newId(),
        source: 'direct',
        admittingPractitionerName: 'Dr. Admitting',
        attendingPractitionerName: input.attending ?? 'Dr. Meera Iyer',
        reason: 'Observation',
        expectedDischargeDate: input.expectedDischargeDate ?? null,
        payerCategory: 'cash',
        admittedAt: at,
        admittedByName: 'Test desk',
      };
      await change(async (tx) => {
        await tx.insert(admissions).values(admission);
        await tx.insert(bedOccupancies).values({
          admissionId: admission.id,
          patientId,
          bedId: bed.id,
          wardId: bed.wardId,
          tariffClass: 'general',
          startedAt: at,
          startReason: 'admission',
          movedByName: 'Test desk',
        });
        await tx.update(beds).set({ status: 'occupied', statusSince: at }).where(eq(beds.id, bed.id));
      });
      return admission;
    },

    /** Ends the open occupancy of a bed and sends it to cleaning (a discharge, as far as the board cares). */
    async release(bedId: string, admissionId: string, at = new Date()) {
      await change(async (tx) => {
        await tx
          .update(bedOccupancies)
          .set({ endedAt: at, endReason: 'discharge' })
          .where(sql`${bedOccupancies.bedId} = ${bedId} and ${bedOccupancies.endedAt} is null`);
        await tx
          .update(admissions)
          .set({ status: 'discharged', dischargedAt: at, dischargeType: 'normal' })
          .where(eq(admissions.id, admissionId));
        await tx.update(beds).set({ status: 'cleaning', statusSince: at }).where(eq(beds.id, bedId));
      });
    },

    async request(
      patientId: string,
      input: { wardKind?: string | null; priority?: string; createdAt?: Date; status?: string } = {},
    ) {
      const [row] = await db
        .insert(admissionRequests)
        .values({
          facilityId,
          patientId,
          source: 'emergency',
          priority: input.priority ?? 'urgent',
          wardKind: input.wardKind === undefined ? 'general' : input.wardKind,
          reason: 'Needs a bed',
          status: input.status ?? 'waiting',
          requestedByName: 'Test desk',
          ...(input.createdAt ? { createdAt: input.createdAt } : {}),
        })
        .returning();
      await notifyBedBoard(db, facilityId);
      return row!;
    },

    async reserve(bedId: string, patientId: string, requestId: string | null, hours = 4) {
      const id = newId();
      await change(async (tx) => {
        await tx.insert(bedReservations).values({
          id,
          facilityId,
          bedId,
          patientId,
          requestId,
          fromAt: new Date(Date.now() - 60_000),
          untilAt: new Date(Date.now() + hours * 3600_000),
          reservedByName: 'Test desk',
        });
        await tx.update(beds).set({ status: 'reserved', statusSince: new Date() }).where(eq(beds.id, bedId));
      });
      return id;
    },

    get(url: string, headers: Headers = nurse.headers) {
      return t.app.inject({ method: 'GET', url, headers });
    },
  };
}
