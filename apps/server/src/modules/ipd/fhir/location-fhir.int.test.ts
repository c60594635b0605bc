import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectValidFhir } from '../../../../test/fhir-validators';
import { createTestApp, type TestApp } from '../../../../test/harness';
import { type BedBoardWorld, createBedBoardWorld } from '../bed-board-test-support';

// biome-ignore lint/suspicious/noExplicitAny: FHIR JSON read in assertions
type Json = Record<string, any>;

let t: TestApp;
let w: BedBoardWorld;
let ward: Awaited<ReturnType<BedBoardWorld['ward']>>;
let icu: Awaited<ReturnType<BedBoardWorld['ward']>>;

beforeAll(async () => {
  t = await createTestApp();
  w = await createBedBoardWorld(t);
  ward = await w.ward({ kind: 'general', bedCount: 4, code: 'GENA' });
  icu = await w.ward({ kind: 'icu', bedCount: 2, code: 'ICUA' });
  const p = await w.patient('Sita', 'Devi');
  await w.admit(ward.beds[0]!, p.id);
  await w.setStatus(ward.beds[1]!.id, 'cleaning');
  await w.setStatus(ward.beds[2]!.id, 'blocked');
}, 120_000);
afterAll(() => t.close());

const fhir = async (url: string, headers = w.nurse.headers) => {
  const res = await t.app.inject({ method: 'GET', url: `/fhir/R4${url}`, headers });
  return { status: res.statusCode, body: res.json() as Json, headers: res.headers };
};
const ids = (bundle: Json) => (bundle.entry ?? []).map((e: Json) => e.resource.id as string).sort();

describe('FHIR Location: beds, rooms and wards', () => {
  it('reads a bed with its operational status and the partOf chain up to the ward', async () => {
    const bed = await fhir(`/Location/${ward.beds[0]!.id}`);
    expect(bed.status).toBe(200);
    expect(bed.headers['content-type']).toContain('application/fhir+json');
    expect(bed.body).toMatchObject({
      resourceType: 'Location',
      id: ward.beds[0]!.id,
      status: 'active',
      name: ward.beds[0]!.code,
      operationalStatus: { system: 'http://terminology.hl7.org/CodeSystem/v2-0116', code: 'O' },
      physicalType: { coding: [{ code: 'bd' }] },
      partOf: { reference: `Location/${ward.roomId}` },
    });
    expectValidFhir(bed.body);
    const room = await fhir(`/Location/${ward.roomId}`);
    expect(room.body).toMatchObject({
      physicalType: { coding: [{ code: 'ro' }] },
      partOf: { reference: `Location/${ward.id}` },
    });
    expect(room.body.operationalStatus).toBeUndefined();
    expectValidFhir(room.body);
    const wa = await fhir(`/Location/${ward.id}`);
    expect(wa.body).toMatchObject({
      name: ward.name,
      physicalType: { coding: [{ code: 'wa' }] },
      description: 'Block A, floor 2',
    });
    expect(wa.body.partOf).toBeUndefined();
    expectValidFhir(wa.body);
    expect((await fhir(`/Location/${ward.beds[1]!.id}`)).body.operationalStatus.code).toBe('H');
    expect((await fhir(`/Location/${ward.beds[2]!.id}`)).body.operationalStatus.code).toBe('C');
    expect((await fhir(`/Location/${ward.beds[3]!.id}`)).body.operationalStatus.code).toBe('U');
  });

  it('searches by partof, physical-type, operational-status, name and status', async () => {
    const beds = await fhir(`/Location?partof=Location/${ward.roomId}`);
    expect(beds.status).toBe(200);
    expect(beds.body).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 4 });
    expect(ids(beds.body)).toEqual(ward.beds.map((b) => b.id).sort());
    for (const e of beds.body.entry) expectValidFhir(e.resource);
    const wards = await fhir('/Location?physical-type=wa');
    expect(ids(wards.body)).toEqual([ward.id, icu.id].sort());
    const free = await fhir('/Location?operational-status=http://terminology.hl7.org/CodeSystem/v2-0116|U');
    expect(ids(free.body)).toEqual([ward.beds[3]!.id, ...icu.beds.map((b) => b.id)].sort());
    const busy = await fhir('/Location?operational-status=O,H');
    expect(ids(busy.body)).toEqual([ward.beds[0]!.id, ward.beds[1]!.id].sort());
    const byName = await fhir('/Location?name=icua-');
    expect(ids(byName.body)).toEqual(icu.beds.map((b) => b.id).sort());
    const exact = await fhir(`/Location?name:exact=${encodeURIComponent(ward.name)}`);
    expect(ids(exact.body)).toEqual([ward.id]);
    const contains = await fhir('/Location?name:contains=%25');
    expect(contains.body.total).toBe(0);
    const inactive = await fhir('/Location?status=inactive');
    expect(inactive.body.total).toBe(0);
    const paged = await fhir(`/Location?partof=${ward.roomId}&_count=3`);
    expect(paged.body.entry).toHaveLength(3);
    const next = (paged.body.link as Json[]).find((l) => l.relation === 'next')!.url as string;
    const rest = await fhir(next.slice(next.indexOf('/Location')));
    expect(rest.body.entry).toHaveLength(1);
  });

  it('keeps other facilities out, needs ipd:read, and answers OperationOutcome for bad input', async () => {
    const other = await createBedBoardWorld(t);
    const theirs = await other.ward({ bedCount: 1 });
    expect((await fhir(`/Location/${theirs.id}`)).status).toBe(404);
    expect(ids((await fhir('/Location?physical-type=wa')).body)).not.toContain(theirs.id);
    const cook = await w.staff(['housekeeping']);
    expect((await fhir(`/Location/${ward.id}`, cook.headers)).status).toBe(403);
    const bad = await fhir('/Location/not-an-id');
    expect(bad.status).toBe(404);
    expect(bad.body.resourceType).toBe('OperationOutcome');
    const badModifier = await fhir('/Location?partof:exact=x');
    expect(badModifier.status).toBe(400);
    expect(badModifier.body.resourceType).toBe('OperationOutcome');
    const capability = (await fhir('/metadata')).body;
    const location = capability.rest[0].resource.find((r: Json) => r.type === 'Location');
    expect(location.searchParam.map((p: Json) => p.name)).toEqual(
      expect.arrayContaining(['partof', 'physical-type', 'operational-status', 'name', 'status']),
    );
  });
});
