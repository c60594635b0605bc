import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, createTestApp, type TestApp } from '../../../test/harness';
import { FormularyFileInvalid, formularyItemByCode, importFormularyFile } from './formulary.service';

// The shipped formulary is loaded on the first start; the search finds items by name with typos, by brand
// and by ingredient; a hospital's own file adds and updates items, and a bad file writes nothing.

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
}, 120_000);
afterAll(async () => {
  await t?.close();
});

const search = async (q: string) =>
  (
    await t.app.inject({
      method: 'GET',
      url: `/api/v1/pharmacy/formulary?q=${encodeURIComponent(q)}`,
      headers: bearer(t.admin.token, t.facilityId),
    })
  ).json() as {
    code: string;
    genericName: string;
    controlled: boolean;
    taxCode: string;
    brands: { name: string }[];
  }[];

describe('the formulary', () => {
  it('is loaded from the shipped list with schedules, controlled flags and billing tax codes', async () => {
    const [row] = (await t.database.db
      .execute(sql`select count(*)::int as n from pharmacy.formulary_items`)
      .then((r) => (Array.isArray(r) ? r : (r as { rows: unknown[] }).rows))) as { n: number }[];
    expect(Number(row!.n)).toBeGreaterThan(600);
    const morphine = await formularyItemByCode(t.database.db, 'F0040');
    expect(morphine).toMatchObject({
      genericName: 'Morphine',
      narcotic: true,
      highAlert: true,
      taxCode: 'MEDICINE',
    });
  });

  it('finds an item by a misspelt name, by its brand and by an ingredient of a combination', async () => {
    expect((await search('amoxycilin')).map((i) => i.genericName)).toContain('Amoxicillin');
    const byBrand = await search('Pyrexonova');
    expect(byBrand.flatMap((i) => i.brands.map((b) => b.name))).toContain('Pyrexonova 500');
    expect(byBrand.every((i) => i.genericName === 'Paracetamol')).toBe(true);
    const byIngredient = await search('clavulanic acid');
    expect(byIngredient.some((i) => /clavulan/i.test(i.genericName))).toBe(true);
    expect((await search('morphine')).every((i) => i.controlled)).toBe(true);
  });

  it("imports a hospital's own list: new codes added, known ones updated; a bad file writes nothing", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'formulary-'));
    const header =
      'code,generic_name,ingredients,strength,dose_form,route,unit_of_issue,schedule,narcotic,hsn_code,gst_rate_percent,gst_valid_from,high_alert,lasa_group,atc_code,nlem_2022';
    const good = join(dir, 'good.csv');
    writeFileSync(
      good,
      `${header}\nH0001,Hospitalol,hospitalol,25 mg,tablet,oral,tablet,H,false,3004,5,2025-09-22,false,,,false\nF0040,Morphine,morphine,10 mg,tablet,oral,tablet,X,true,3004,5,2025-09-22,true,,,true\n`,
    );
    expect(await importFormularyFile(t.database.db, good)).toEqual({ items: 2, brands: 0 });
    expect(await formularyItemByCode(t.database.db, 'H0001')).toMatchObject({ genericName: 'Hospitalol' });
    expect(await formularyItemByCode(t.database.db, 'F0040')).toMatchObject({ schedule: 'X', version: 2 });

    const bad = join(dir, 'bad.csv');
    writeFileSync(
      bad,
      `${header}\nH0002,Goodol,goodol,5 mg,tablet,oral,tablet,H,false,3004,5,2025-09-22,false,,,false\nH0003,Badol,badol,5 mg,tablet,oral,tablet,Z,false,3004,7,2025-09-22,false,,,false\n`,
    );
    const error = await importFormularyFile(t.database.db, bad).catch((e) => e);
    expect(error).toBeInstanceOf(FormularyFileInvalid);
    expect((error as FormularyFileInvalid).errors.map((e) => [e.line, e.column])).toEqual(
      expect.arrayContaining([
        [3, 'schedule'],
        [3, 'gst_rate_percent'],
      ]),
    );
    expect(await formularyItemByCode(t.database.db, 'H0002')).toBeNull();
  });
});
