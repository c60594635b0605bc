import { randomUUID } from 'node:crypto';
import net, { type AddressInfo } from 'node:net';
import { Hl7Message } from '@medplum/core';
import { Hl7Client } from '@medplum/hl7';
import type { LabRequest } from '@newhms/contracts';
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness';
import { rowsOf } from '../../platform/db/raw-rows';
import { fileAnalyzerResults } from './analyzer-results.service';
import { createMllpListener, type MllpListener } from './hl7/mllp-listener';
import { createLabWorld, type LabWorld } from './laboratory-test-support';

// A chemistry analyzer sends its results over HL7 v2 (MLLP): a potassium walk-in is collected and received,
// the analyzer measures 6.9 and sends an ORU^R01 with the tube's accession; the result is filed as entered
// by the analyzer, flagged HH, waiting for the pathologist. The analyzer is played by Medplum's MLLP client.

let t: TestApp;
let w: LabWorld;
let listener: MllpListener;
let port: number;
beforeAll(async () => {
  t = await createTestApp();
  w = await createLabWorld(t);
  listener = createMllpListener({
    handler: (message) => fileAnalyzerResults(t.database.db, message),
    logger: pino({ level: 'silent' }),
  });
  ({ port } = await listener.start(0, '127.0.0.1'));
}, 120_000);
afterAll(async () => {
  await listener?.close();
  await t?.close();
});

type Obx = { code: string; system?: string; value: string; type?: string; unit?: string; status?: string };

function oru(o: { controlId: string; accession: string; mrn?: string; obx: Obx[]; sender?: string }) {
  return [
    `MSH|^~\\&|${o.sender ?? 'COBAS-C311'}|LAB|NEWHMS|${w.facilityCode}|20260127101500+0530||ORU^R01^ORU_R01|${o.controlId}|P|2.5.1`,
    `PID|1||${o.mrn ?? ''}^^^NEWHMS^MR||Test^Patient`,
    `OBR|1||${o.accession}|2823-3^Potassium^LN|||20260127093000+0530||||||||||||||||||F`,
    ...o.obx.map(
      (x, i) =>
        `OBX|${i + 1}|${x.type ?? 'NM'}|${x.code}^${x.code}^${x.system ?? 'LN'}||${x.value}|${x.unit ?? 'mmol/L'}^^UCUM|3.5-5.1||||${x.status ?? 'F'}`,
    ),
  ].join('\r');
}

async function send(text: string, to = port) {
  const client = new Hl7Client({ host: '127.0.0.1', port: to });
  try {
    const ack = await client.sendAndWait(Hl7Message.parse(text), { timeoutMs: 10_000 });
    return {
      code: ack.getSegment('MSA')?.getComponent(1, 1),
      controlId: ack.getSegment('MSA')?.getComponent(2, 1),
      text: ack.getSegment('MSA')?.getComponent(3, 1),
      conditions: ack.getAllSegments('ERR').map((e) => e.getComponent(3, 1)),
      reasons: ack.getAllSegments('ERR').map((e) => e.getField(8)?.toString() ?? ''),
    };
  } finally {
    await client.close();
  }
}

/** A received sample of a new walk-in request for the tests. */
async function receivedRequest(tests: string[]) {
  const p = await w.patient({ sex: 'male', birthDate: '1966-06-06' });
  const [request] = await w.walkIn(p.id, tests, 'stat');
  await w.collectAndReceive(request!);
  return { patient: p, request: await w.request(request!.id) };
}

describe('analyzer results over HL7 v2', () => {
  it('files a potassium of 6.9 from the analyzer as entered, flagged HH, pending validation; a resend files nothing twice', async () => {
    // 1. A STAT potassium at the counter; the tube is collected and received.
    const { patient, request } = await receivedRequest(['K']);
    const accession = request.samples[0]!.accession;
    const controlId = `K-${randomUUID().slice(0, 8)}`;
    const message = oru({ controlId, accession, mrn: patient.mrn, obx: [{ code: '2823-3', value: '6.9' }] });

    // 2. The analyzer sends its result: AA.
    expect(await send(message)).toMatchObject({ code: 'AA', controlId, conditions: [] });

    // 3. The result is entered, from the analyzer, by COBAS-C311, flagged HH, and not validated.
    const filed = await w.request(request.id);
    expect(filed.results[0]).toMatchObject({
      testCode: 'K',
      status: 'entered',
      source: 'analyzer',
      value: 6.9,
      unit: 'mmol/L',
      flag: 'HH',
      critical: true,
      enteredByName: 'COBAS-C311',
      validatedAt: null,
    });
    const version = filed.results[0]!.version;

    // 4. The ACK was lost; the analyzer sends the message again: AA, and nothing is written twice.
    expect(await send(message)).toMatchObject({ code: 'AA', controlId });
    const again = await w.request(request.id);
    expect(again.results).toHaveLength(1);
    expect(again.results[0]!.version).toBe(version);
    const received = await rowsOf<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from laboratory.analyzer_messages where control_id = ${controlId}`,
    );
    expect(Number(received[0]!.n)).toBe(1);
    const audit = await rowsOf<{ actor_name: string; detail: Record<string, unknown> }>(
      t.database.db,
      sql`select actor_name, detail from audit.entries where resource_type = 'LabResult'
        and resource_id = ${request.id} and detail->>'source' = 'analyzer'`,
    );
    expect(audit).toEqual([
      { actor_name: 'COBAS-C311', detail: expect.objectContaining({ entered: ['K'], controlId, accession }) },
    ]);

    // 5. The pathologist validates it (anyone may: the analyzer is not a person) and the doctor is called.
    const validated = w.ok<LabRequest>(
      await w.call('POST', `/api/v1/laboratory/requests/${request.id}/validate`, w.pathologist.headers, {}),
      200,
      'validate',
    );
    expect(validated.results[0]).toMatchObject({ status: 'validated', source: 'analyzer' });
    expect(await w.count('results', 'request_id', request.id)).toBe(1);
    const alerts = await rowsOf<{ n: number }>(
      t.database.db,
      sql`select count(*)::int as n from laboratory.critical_alerts where request_id = ${request.id}`,
    );
    expect(Number(alerts[0]!.n)).toBe(1);
  });

  it('answers AE 204 for an accession the laboratory never issued', async () => {
    const ack = await send(
      oru({
        controlId: `U-${randomUUID().slice(0, 8)}`,
        accession: 'L9901010001X',
        obx: [{ code: '2823-3', value: '4.2' }],
      }),
    );
    expect(ack).toMatchObject({
      code: 'AE',
      text: 'Unknown accession number L9901010001X',
      conditions: ['204'],
    });
  });

  it('files nothing of a message with an unknown test, a wrong unit or a comparator, and names every problem', async () => {
    const { request } = await receivedRequest(['ELECTROLYTES']);
    expect(request.samples).toHaveLength(1);
    const accession = request.samples[0]!.accession;
    const ack = await send(
      oru({
        controlId: `M-${randomUUID().slice(0, 8)}`,
        accession,
        obx: [
          { code: 'NA', system: '99ROCHE', value: '139' },
          { code: 'XYZ', system: '99ROCHE', value: '1' },
          { code: '2823-3', value: '18', unit: 'mg/dL' },
          { code: 'CL', system: '99ROCHE', type: 'SN', value: '<^70' },
        ],
      }),
    );
    expect(ack.code).toBe('AE');
    expect(ack.conditions).toEqual(['103', '102', '102']);
    expect(ack.reasons.join(' | ')).toContain('OBX 4: CL needs a plain number');
    expect(ack.reasons.join(' | ')).toContain(
      `OBX 2: test XYZ (99ROCHE) is not ordered on sample ${accession}`,
    );
    expect(ack.reasons.join(' | ')).toContain('OBX 3: K in mg/dL, reported here in mmol/L');
    const untouched = await w.request(request.id);
    expect(untouched.results.every((r) => r.status === 'pending')).toBe(true);

    // Corrected and sent again under another control id: both filed, by our code and by LOINC.
    const fixed = await send(
      oru({
        controlId: `M-${randomUUID().slice(0, 8)}`,
        accession,
        obx: [
          { code: 'NA', system: '99ROCHE', value: '139' },
          { code: '2823-3', value: '4.25' },
        ],
      }),
    );
    expect(fixed.code).toBe('AA');
    const both = await w.request(request.id);
    expect(both.results.map((r) => [r.testCode, r.status, r.value, r.flag])).toEqual(
      expect.arrayContaining([
        ['NA', 'entered', 139, 'N'],
        ['K', 'entered', 4.3, 'N'],
      ]),
    );
  });

  it('refuses a tube the lab has not received, and one PID-3 says is another patient’s', async () => {
    const p = await w.patient();
    const [request] = await w.walkIn(p.id, ['K']);
    const accession = request!.samples[0]!.accession;
    const early = await send(
      oru({ controlId: `E-${randomUUID().slice(0, 8)}`, accession, obx: [{ code: '2823-3', value: '4.0' }] }),
    );
    expect(early).toMatchObject({ code: 'AE', conditions: ['206'] });
    expect(early.text).toContain('awaiting-collection');

    await w.collectAndReceive(request!);
    const mislabelled = await send(
      oru({
        controlId: `P-${randomUUID().slice(0, 8)}`,
        accession,
        mrn: 'NOT-HER-MRN',
        obx: [{ code: '2823-3', value: '4.0' }],
      }),
    );
    expect(mislabelled).toMatchObject({ code: 'AE', conditions: ['204'] });
    expect((await w.request(request!.id)).results[0]!.status).toBe('pending');
  });
});

describe('the HL7 listener in the server process', () => {
  it('starts with the HTTP server when NEWHMS_HL7_PORT is set, answers analyzers, and stops with it', async () => {
    // A free port for the listener (NEWHMS_HL7_PORT=0 would work too, but the test must know the port).
    const probe = net.createServer();
    const hl7Port = await new Promise<number>((resolve) =>
      probe.listen(0, '127.0.0.1', () => resolve((probe.address() as AddressInfo).port)),
    );
    await new Promise((resolve) => probe.close(resolve));
    const server = await createTestApp({
      database: t.database,
      env: { NEWHMS_HL7_PORT: String(hl7Port), NEWHMS_HL7_HOST: '127.0.0.1' },
    });
    try {
      await server.app.listen({ port: 0, host: '127.0.0.1' });
      const ack = await send(
        oru({
          controlId: `S-${randomUUID().slice(0, 8)}`,
          accession: 'L0000000000',
          obx: [{ code: '2823-3', value: '4' }],
        }),
        hl7Port,
      );
      expect(ack).toMatchObject({ code: 'AE', conditions: ['204'] });
    } finally {
      await server.close();
    }
    await expect(
      new Promise((resolve, reject) =>
        net.connect({ host: '127.0.0.1', port: hl7Port }).on('connect', resolve).on('error', reject),
      ),
    ).rejects.toThrow(/ECONNREFUSED/);
  });
});
