import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectValidFhir } from '../../../../test/fhir-validators';
import { bearer, createTestApp, type TestApp } from '../../../../test/harness';
import { auditEntries } from '../../../platform/audit/audit.tables';
import { patients } from '../patients.tables';
import { describeImport, importFhirPatients } from './fhir-import';

// The Synthea sample lives beside the repository (../shared/testdata from the repo root), not in it.
const repoRoot = fileURLToPath(new URL('../../../../../../', import.meta.url));
const synthea = join(repoRoot, '../shared/testdata/synthea-r4-10/Patient.ndjson');
const hasSynthea = existsSync(synthea);
if (!hasSynthea) {
  console.warn(
    `Skipping the Synthea import tests: ${synthea} is absent (it comes with the shared test data).`,
  );
}

let t: TestApp;
const tmp = mkdtempSync(join(tmpdir(), 'newhms-fhir-import-'));
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
  rmSync(tmp, { recursive: true, force: true });
});

async function countPatients() {
  const [row] = await t.database.db.select({ n: sql<number>`count(*)::int` }).from(patients);
  return row!.n;
}

describe('import:fhir on a small hand-made file', () => {
  it('imports the good Patient, skips other resources, and names the line and element of each failure', async () => {
    const file = join(tmp, 'mixed.ndjson');
    writeFileSync(
      file,
      [
        JSON.stringify({
          resourceType: 'Patient',
          name: [{ family: 'Bhattacharya', given: ['Ishita'] }],
          gender: 'female',
          birthDate: '1987-10-02',
          telecom: [{ system: 'phone', value: '555-010-2233' }],
          identifier: [{ system: 'http://hl7.org/fhir/sid/us-ssn', value: '999-12-3456' }],
        }),
        '{"resourceType": "Patient", "gender": ',
        '',
        JSON.stringify({ resourceType: 'Observation', status: 'final', code: { text: 'pulse' } }),
        JSON.stringify({
          resourceType: 'Patient',
          name: [{ family: 'Sen' }],
          gender: 'M',
          birthDate: '1950-01-01',
        }),
        JSON.stringify({
          resourceType: 'Patient',
          name: [{ family: 'Roy' }],
          gender: 'male',
          birthDate: '2999-01-01',
        }),
      ].join('\n'),
    );
    const before = await countPatients();
    const summary = await importFhirPatients(t.app.deps, file);
    expect(summary).toMatchObject({ lines: 5, patients: 3, imported: 1, otherResources: { Observation: 1 } });
    expect(summary.failed).toEqual([
      { line: 2, message: 'not JSON' },
      { line: 5, expression: 'Patient.gender', message: expect.stringContaining('"M"') },
      { line: 6, expression: 'Patient.birthDate', message: expect.any(String) },
    ]);
    // The US phone number and the SSN are left out of the registered patient, with warnings.
    expect(summary.warnings.map((w) => [w.line, w.expression])).toEqual([
      [1, 'Patient.telecom[0].value'],
      [1, 'Patient.identifier[0].system'],
    ]);
    expect(await countPatients()).toBe(before + 1);
    const text = describeImport(summary, file);
    expect(text).toContain('imported 1, skipped 0, failed 3, warnings 2');
    expect(text).toContain('line 5 Patient.gender');
  });
});

describe.skipIf(!hasSynthea)('import:fhir of the Synthea sample', () => {
  const lines = hasSynthea
    ? readFileSync(synthea, 'utf8')
        .split('\n')
        .filter((l) => l.trim()).length
    : 0;

  it('registers every Patient once as the system actor, and a second run imports nothing new', async () => {
    const before = await countPatients();
    const first = await importFhirPatients(t.app.deps, synthea);
    expect(first).toMatchObject({ lines, patients: lines, imported: lines, skipped: [], failed: [] });
    expect(await countPatients()).toBe(before + lines);
    // Synthea's US phone numbers (555-...) are not kept; the patients are.
    expect(first.warnings.filter((w) => w.expression?.startsWith('Patient.telecom')).length).toBe(lines);

    const second = await importFhirPatients(t.app.deps, synthea);
    expect(second).toMatchObject({ patients: lines, imported: 0, failed: [] });
    expect(second.skipped).toHaveLength(lines);
    expect(second.skipped[0]!.message).toMatch(/^already registered as /);
    expect(await countPatients()).toBe(before + lines);

    const [registration] = await t.database.db
      .select()
      .from(auditEntries)
      .where(eq(auditEntries.actorName, 'fhir-import'))
      .limit(1);
    expect(registration).toMatchObject({ action: 'create', actorType: 'system', facilityId: t.facilityId });
  });

  it('keeps Synthea names as they are (with their digits), and a passport masked, readable over FHIR', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/fhir/R4/Patient?family=Medhurst46',
      headers: bearer(t.admin.token),
    });
    const bundle = res.json();
    expectValidFhir(bundle);
    expect(bundle.total).toBe(1);
    const p = bundle.entry[0].resource;
    expect(p.name[0]).toMatchObject({ family: 'Medhurst46', given: ['Sumiko254', 'Larue605'] });
    expect(p.identifier.find((i: { system: string }) => i.system.endsWith('/passport')).value).toBe(
      '••••••011X',
    );
    expect(p.address[0]).toMatchObject({ city: 'Emporia', state: 'KS', postalCode: '66801', country: 'US' });
    expect(p.maritalStatus.coding[0].code).toBe('M');
  });

  it('runs as `npm run newhms -- import:fhir FILE` and prints the summary', async () => {
    const dataDir = join(tmp, 'data');
    const run = promisify(execFile);
    const { stdout } = await run('npx', ['tsx', 'apps/server/src/cli.ts', 'import:fhir', synthea, '--json'], {
      cwd: repoRoot,
      env: { ...process.env, NEWHMS_DATA_DIR: dataDir, DATABASE_URL: '' },
      timeout: 170_000,
    });
    const summary = JSON.parse(stdout.trim().split('\n').pop()!);
    expect(summary).toMatchObject({ facility: 'MAIN', patients: lines, imported: lines, failed: [] });
  }, 180_000);
});
