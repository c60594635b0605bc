import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness';
import { formularyItemByCode } from './formulary.service';
import { createPharmacyWorld, type PharmacyWorld } from './pharmacy-test-support';

// The prescribing story of issue #7: a doctor writes simvastatin + clarithromycin for a patient with a
// penicillin allergy and adds amoxicillin; the checker warns of both; signing needs a reason for each serious
// alert; the pharmacist sees the overrides, must acknowledge them, and fills the prescription FEFO; an
// in-patient order schedules its doses on the MAR, and a nurse gives one only with the right scans.

let t: TestApp;
let w: PharmacyWorld;
let doctor: Awaited<ReturnType<PharmacyWorld['prescriber']>>;
const items: Record<string, { id: string; code: string }> = {};

beforeAll(async () => {
  t = await createTestApp();
  w = await createPharmacyWorld(t);
  doctor = await w.prescriber();
  // The shipped formulary's products, by name and strength.
  const find = async (name: string, strength: string, form = 'tablet') => {
    const res = await w.call(
      'GET',
      `/api/v1/pharmacy/formulary?q=${encodeURIComponent(name)}&limit=50`,
      w.pharmacist.headers,
    );
    const hit = (
      res.json() as { id: string; code: string; genericName: string; strength: string; doseForm: string }[]
    ).find((i) => i.genericName === name && i.strength === strength && i.doseForm.startsWith(form));
    if (!hit) throw new Error(`${name} ${strength} is not in the shipped formulary`);
    return hit;
  };
  items.simvastatin = await find('Simvastatin', '20 mg');
  items.clarithromycin = await find('Clarithromycin', '500 mg');
  items.amoxicillin = await find('Amoxicillin', '500 mg', 'capsule');
  items.paracetamol = await find('Paracetamol', '500 mg');
  items.ondansetron = await find('Ondansetron', '4 mg');
}, 180_000);
afterAll(async () => {
  await t?.close();
});

const line = (formularyItemId: string, over: Record<string, unknown> = {}) => ({
  formularyItemId,
  dose: { amount: 1, unit: 'tablet' },
  route: 'oral',
  frequency: 'OD',
  durationDays: 5,
  ...over,
});

describe('prescribing with the checker', () => {
  it('warns of simvastatin + clarithromycin and a penicillin allergy, and signs only with reasons', async () => {
    const patient = await w.patient();
    await w.allergy(patient.id, 'Penicillin');
    const visit = await w.call('POST', '/api/v1/encounters', doctor.headers, {
      patientId: patient.id,
      class: 'ambulatory',
    });
    const encounterId = visit.json().id as string;
    const draft = {
      encounterId,
      items: [
        line(items.simvastatin!.id, { frequency: 'HS', durationDays: 30 }),
        line(items.clarithromycin!.id, { frequency: 'BD', durationDays: 7 }),
        line(items.amoxicillin!.id, { dose: { amount: 500, unit: 'mg' }, frequency: 'TDS', durationDays: 5 }),
      ],
    };
    const check = await w.call('POST', '/api/v1/prescriptions/check', doctor.headers, draft);
    expect(check.statusCode).toBe(200);
    const alerts = check.json().alerts as {
      key: string;
      kind: string;
      severity: string;
      lineNos: number[];
      requiresOverrideReason: boolean;
      citation: string | null;
    }[];
    const interaction = alerts.find(
      (a) => a.kind === 'interaction' && a.lineNos.includes(1) && a.lineNos.includes(2),
    );
    expect(interaction).toMatchObject({ requiresOverrideReason: true });
    expect(['contraindicated', 'major']).toContain(interaction!.severity);
    expect(interaction!.citation).toBeTruthy();
    const allergy = alerts.find((a) => a.kind === 'allergy' && a.lineNos.includes(3));
    expect(allergy).toMatchObject({ requiresOverrideReason: true });
    expect(check.json().quantities).toEqual([30, 14, 15]);

    // Without reasons: 422 naming the alerts, nothing written.
    const refused = await w.call('POST', '/api/v1/prescriptions', doctor.headers, draft);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().code).toBe('PRESCRIPTION_ALERTS_NEED_OVERRIDE');
    const none = await w.call('GET', `/api/v1/patients/${patient.id}/prescriptions`, doctor.headers);
    expect(none.json()).toEqual([]);

    // The doctor drops amoxicillin and overrides the interaction with a reason.
    const signed = await w.call('POST', '/api/v1/prescriptions', doctor.headers, {
      encounterId,
      items: draft.items.slice(0, 2),
      overrides: [
        {
          alertKey: interaction!.key,
          reason: 'Simvastatin paused by the patient for the 7 days of clarithromycin',
        },
      ],
    });
    expect(signed.statusCode, signed.body).toBe(201);
    const rx = signed.json();
    expect(rx).toMatchObject({
      setting: 'outpatient',
      prescriberName: 'Dr Meera Iyer',
      prescriberQualification: 'MBBS, MD (Medicine)',
      prescriberRegistration: 'KMC 54321',
      allergyState: 'recorded',
    });
    expect(rx.items.map((i: { sig: string }) => i.sig)).toEqual([
      '1 tablet oral, at bedtime after food, for 30 days',
      '1 tablet oral, twice a day after food, for 7 days',
    ]);
    expect(rx.alerts.find((a: { key: string }) => a.key === interaction!.key)).toMatchObject({
      overrideReason: 'Simvastatin paused by the patient for the 7 days of clarithromycin',
      overriddenByName: 'Dr Meera Iyer',
    });

    // A later prescription is checked against these current medicines.
    const later = await w.call('POST', '/api/v1/prescriptions/check', doctor.headers, {
      encounterId,
      items: [line(items.clarithromycin!.id, { frequency: 'BD', durationDays: 3 })],
    });
    const againstCurrent = (later.json().alerts as { kind: string; currentMedicines: string[] }[]).filter(
      (a) => a.kind === 'interaction',
    );
    expect(againstCurrent[0]?.currentMedicines).toContain('Simvastatin');

    const pdf = await w.call('GET', `/api/v1/prescriptions/${rx.id}/pdf`, doctor.headers);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('lets the pharmacist fill it only after reading the overrides, FEFO, never beyond what was prescribed', async () => {
    const patient = await w.patient();
    const visit = (
      await w.call('POST', '/api/v1/encounters', doctor.headers, {
        patientId: patient.id,
        class: 'ambulatory',
      })
    ).json();
    const check = (
      await w.call('POST', '/api/v1/prescriptions/check', doctor.headers, {
        encounterId: visit.id,
        items: [
          line(items.simvastatin!.id, { frequency: 'HS', durationDays: 10 }),
          line(items.clarithromycin!.id, { frequency: 'BD', durationDays: 5 }),
        ],
      })
    ).json();
    const rx = (
      await w.call('POST', '/api/v1/prescriptions', doctor.headers, {
        encounterId: visit.id,
        items: [
          line(items.simvastatin!.id, { frequency: 'HS', durationDays: 10 }),
          line(items.clarithromycin!.id, { frequency: 'BD', durationDays: 5 }),
        ],
        overrides: check.alerts
          .filter((a: { requiresOverrideReason: boolean }) => a.requiresOverrideReason)
          .map((a: { key: string }) => ({
            alertKey: a.key,
            reason: 'Benefit outweighs the risk; lipid clinic informed',
          })),
      })
    ).json();
    await w.receive(w.opdStore.id, [
      {
        formularyItemId: items.simvastatin!.id,
        batchNo: 'SIM-LATE',
        expiryDate: '2031-01-31',
        quantity: 50,
        mrp: 300,
      },
      {
        formularyItemId: items.simvastatin!.id,
        batchNo: 'SIM-SOON',
        expiryDate: '2027-06-30',
        quantity: 4,
        mrp: 250,
      },
      {
        formularyItemId: items.clarithromycin!.id,
        batchNo: 'CLA-1',
        expiryDate: '2030-01-31',
        quantity: 40,
        mrp: 2000,
      },
    ]);
    const queue = (await w.call('GET', '/api/v1/pharmacy/prescription-queue', w.pharmacist.headers)).json();
    const queued = queue.find((q: { prescription: { id: string } }) => q.prescription.id === rx.id);
    expect(queued).toMatchObject({
      outstandingLines: 2,
      overriddenAlerts: 1,
      patientName: patient.displayName,
    });

    const fill = {
      storeId: w.opdStore.id,
      lines: [
        { lineNo: 1, quantity: 10 },
        { lineNo: 2, quantity: 10 },
      ],
      counsellingNote: 'Stop simvastatin if muscle pain',
    };
    const unread = await w.call(
      'POST',
      `/api/v1/prescriptions/${rx.id}/dispense`,
      w.pharmacist.headers,
      fill,
    );
    expect(unread.statusCode).toBe(422);
    expect(unread.json().code).toBe('PRESCRIPTION_ALERTS_NOT_ACKNOWLEDGED');

    const sale = await w.call('POST', `/api/v1/prescriptions/${rx.id}/dispense`, w.pharmacist.headers, {
      ...fill,
      alertsAcknowledged: true,
    });
    expect(sale.statusCode, sale.body).toBe(201);
    expect(
      sale.json().lines.map((l: { batchNo: string; quantity: number }) => [l.batchNo, l.quantity]),
    ).toEqual([
      ['SIM-SOON', 4],
      ['SIM-LATE', 6],
      ['CLA-1', 10],
    ]);
    expect(sale.json().prescriptionId).toBe(rx.id);
    const after = (await w.call('GET', `/api/v1/prescriptions/${rx.id}`, w.pharmacist.headers)).json();
    expect(after.items.map((i: { dispensed: number }) => i.dispensed)).toEqual([10, 10]);
    expect(
      after.alerts.find((a: { overrideReason: string | null }) => a.overrideReason)?.acknowledgedByName,
    ).toBe('Priya Pharmacist');

    const again = await w.call('POST', `/api/v1/prescriptions/${rx.id}/dispense`, w.pharmacist.headers, {
      storeId: w.opdStore.id,
      lines: [{ lineNo: 1, quantity: 1 }],
      alertsAcknowledged: true,
    });
    expect(again.statusCode).toBe(422);
    expect(await w.units(w.opdStore.id, items.simvastatin!.id)).toBe(44);
  });
});

describe("a doctor's favourites", () => {
  it('keeps named order sets per doctor, refuses a second of the same name, and removes one', async () => {
    const set = {
      name: 'Fever, adult',
      items: [
        line(items.paracetamol!.id, { dose: { amount: 500, unit: 'mg' }, frequency: 'TDS', durationDays: 3 }),
      ],
    };
    const saved = await w.call('POST', '/api/v1/prescriptions/favourites', doctor.headers, set);
    expect(saved.statusCode, saved.body).toBe(201);
    expect((await w.call('POST', '/api/v1/prescriptions/favourites', doctor.headers, set)).statusCode).toBe(
      409,
    );
    const other = await w.prescriber();
    expect((await w.call('GET', '/api/v1/prescriptions/favourites', other.headers)).json()).toEqual([]);
    const mine = (await w.call('GET', '/api/v1/prescriptions/favourites', doctor.headers)).json();
    expect(mine.map((f: { name: string }) => f.name)).toEqual(['Fever, adult']);
    expect(mine[0].items[0]).toMatchObject({ frequency: 'TDS', durationDays: 3 });
    expect(
      (await w.call('POST', `/api/v1/prescriptions/favourites/${saved.json().id}/remove`, other.headers))
        .statusCode,
    ).toBe(404);
    expect(
      (await w.call('POST', `/api/v1/prescriptions/favourites/${saved.json().id}/remove`, doctor.headers))
        .statusCode,
    ).toBe(204);
    expect((await w.call('GET', '/api/v1/prescriptions/favourites', doctor.headers)).json()).toEqual([]);
  });
});

describe('the medication administration record', () => {
  it('schedules an in-patient order, gives a dose only with matching scans, and takes held doses with a reason', async () => {
    const patient = await w.patient();
    const stay = await w.inpatient(patient.id, doctor);
    const rx = await w.call('POST', '/api/v1/prescriptions', doctor.headers, {
      encounterId: stay.encounterId,
      items: [
        line(items.paracetamol!.id, {
          dose: { amount: 1000, unit: 'mg' },
          frequency: 'QID',
          durationDays: 2,
        }),
        line(items.ondansetron!.id, {
          dose: { amount: 4, unit: 'mg' },
          frequency: 'SOS',
          prnIndication: 'nausea or vomiting',
          maxDosesPerDay: 1,
          durationDays: 2,
        }),
      ],
    });
    expect(rx.statusCode, rx.body).toBe(201);
    const body = rx.json();
    expect(body).toMatchObject({ setting: 'inpatient', admissionId: stay.admissionId });

    const mar = (await w.call('GET', `/api/v1/admissions/${stay.admissionId}/mar`, w.nurse.headers)).json();
    expect(mar.orders).toHaveLength(2);
    const scheduled = mar.doses.filter((d: { lineNo: number }) => d.lineNo === 1);
    expect(scheduled.length).toBeGreaterThanOrEqual(4);
    expect(scheduled.length).toBeLessThanOrEqual(8);
    // The first two doses are brought to now (the chart was written at any time of day); a later one waits.
    const later = scheduled[2];
    const early = await w.call('POST', `/api/v1/mar/doses/${later.id}/record`, w.nurse.headers, {
      status: 'held',
      reason: 'Too early',
      version: later.version,
    });
    expect(early.statusCode).toBe(422);
    expect(early.json().code).toBe('MAR_DOSE_NOT_DUE');
    for (const [n, minutes] of [
      [0, 20],
      [1, 10],
    ] as const) {
      await t.database.db.execute(
        sql`update pharmacy.administrations set scheduled_at = now() - make_interval(mins => ${minutes}) where id = ${scheduled[n].id}`,
      );
    }
    const dose = scheduled[0];

    const paracetamol = await formularyItemByCode(t.database.db, items.paracetamol!.code);
    const ondansetron = await formularyItemByCode(t.database.db, items.ondansetron!.code);
    const wrongPatient = await w.call('POST', `/api/v1/mar/doses/${dose.id}/record`, w.nurse.headers, {
      status: 'given',
      wristbandCode: 'NOT-THIS-ONE',
      medicineCode: paracetamol!.code,
      version: dose.version,
    });
    expect(wrongPatient.statusCode).toBe(422);
    expect(wrongPatient.json().code).toBe('MAR_SCAN_MISMATCH');
    const wrongMedicine = await w.call('POST', `/api/v1/mar/doses/${dose.id}/record`, w.nurse.headers, {
      status: 'given',
      wristbandCode: patient.mrn,
      medicineCode: items.simvastatin!.code,
      version: dose.version,
    });
    expect(wrongMedicine.json().errors.map((e: { path: string }) => e.path)).toEqual(['medicineCode']);
    const given = await w.call('POST', `/api/v1/mar/doses/${dose.id}/record`, w.nurse.headers, {
      status: 'given',
      wristbandCode: patient.mrn,
      medicineCode: paracetamol!.code,
      version: dose.version,
    });
    expect(given.statusCode, given.body).toBe(200);
    expect(given.json()).toMatchObject({ status: 'given', recordedByName: 'Sr Nurse' });
    const twice = await w.call('POST', `/api/v1/mar/doses/${dose.id}/record`, w.nurse.headers, {
      status: 'held',
      reason: 'Nil by mouth',
      version: given.json().version,
    });
    expect(twice.statusCode).toBe(409);

    const next = scheduled[1];
    const noReason = await w.call('POST', `/api/v1/mar/doses/${next.id}/record`, w.nurse.headers, {
      status: 'held',
      version: next.version,
    });
    expect(noReason.statusCode).toBe(400);
    const held = await w.call('POST', `/api/v1/mar/doses/${next.id}/record`, w.nurse.headers, {
      status: 'held',
      reason: 'Patient in theatre',
      version: next.version,
    });
    expect(held.json().status).toBe('held');

    // The PRN line: given with its indication, once a day at most.
    const prn = {
      prescriptionId: body.id,
      lineNo: 2,
      prnIndication: 'Vomited twice',
      wristbandCode: patient.mrn,
      medicineCode: ondansetron!.code,
    };
    expect((await w.call('POST', '/api/v1/mar/prn-doses', w.nurse.headers, prn)).statusCode).toBe(201);
    const tooMany = await w.call('POST', '/api/v1/mar/prn-doses', w.nurse.headers, prn);
    expect(tooMany.statusCode).toBe(409);
    expect(tooMany.json().code).toBe('MAR_PRN_LIMIT');

    // A doctor stops the scheduled line: its doses still due come off the chart.
    const stopped = await w.call('POST', `/api/v1/prescriptions/${body.id}/lines/1/stop`, doctor.headers, {
      reason: 'Afebrile',
    });
    expect(stopped.statusCode).toBe(200);
    const chart = (await w.call('GET', `/api/v1/admissions/${stay.admissionId}/mar`, w.nurse.headers)).json();
    const statuses = chart.doses
      .filter((d: { lineNo: number }) => d.lineNo === 1)
      .map((d: { status: string }) => d.status);
    expect(statuses).toContain('given');
    expect(statuses).toContain('held');
    expect(statuses).not.toContain('due');
  });
});
