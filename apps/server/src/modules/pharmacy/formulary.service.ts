import { readFile } from 'node:fs/promises';
import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/database';
import { rowsOf } from '../../platform/db/raw-rows';
import {
  type Brand,
  type FormularyFileError,
  type FormularyItem,
  formatFormularyError,
  gstRateOn,
  parseBrandsCsv,
  parseFormularyCsv,
} from './formulary/formulary-file';
import { brands, formularyItems } from './pharmacy.tables';

// Loading the formulary: the list shipped with Newhms (formulary/formulary.csv, from NLEM 2022 plus common
// hospital items, and fictional demo brands) on the first start, and a hospital's own list with
// `npm run newhms -- import:formulary FILE`, which adds new codes and updates known ones (never deletes:
// an item a hospital stops stocking is deactivated by leaving `active` false in its file... or in the app).

const SHIPPED_FORMULARY = new URL('./formulary/formulary.csv', import.meta.url);
const SHIPPED_BRANDS = new URL('./formulary/brands.csv', import.meta.url);

/**
 * Billing's tax code for an item: GST on medicines is kept as dated rows of billing's tax codes (one place
 * for every rate change). A medicine whose current rate in the file is nil is one of the listed life-saving
 * drugs; any other rate is billed as MEDICINE. Devices (HSN 9018-9022) are DEVICE.
 */
export function taxCodeOf(item: Pick<FormularyItem, 'gst' | 'hsnCode'>, today: string): string {
  if (/^90(1[89]|2[0-2])/.test(item.hsnCode)) return 'DEVICE';
  const rate = gstRateOn(item, today) ?? item.gst.at(-1)?.ratePercent ?? null;
  return rate === 0 ? 'MEDICINE-LIFESAVING' : 'MEDICINE';
}

export class FormularyFileInvalid extends Error {
  constructor(readonly errors: FormularyFileError[]) {
    super(
      `${errors.length} problem(s) in the formulary file:\n${errors.slice(0, 20).map(formatFormularyError).join('\n')}`,
    );
  }
}

/** Writes items (new codes inserted, known codes updated) and brands; returns how many rows were written. */
async function writeFormulary(
  db: DbOrTx,
  items: FormularyItem[],
  itemBrands: Brand[],
  source: string,
): Promise<{ items: number; brands: number }> {
  const today = new Date().toISOString().slice(0, 10);
  return db.transaction(async (tx) => {
    const values = items.map((i) => ({
      code: i.code,
      genericName: i.genericName,
      ingredients: i.ingredients,
      strength: i.strength,
      doseForm: i.doseForm,
      route: i.routes.join('/'),
      unitOfIssue: i.unitOfIssue,
      schedule: i.schedule,
      narcotic: i.narcotic,
      hsnCode: i.hsnCode,
      taxCode: taxCodeOf(i, today),
      highAlert: i.highAlert,
      lasaGroup: i.lasaGroup,
      atcCode: i.atcCode,
      nlem: i.nlem2022,
      source: i.source ?? source,
    }));
    for (let start = 0; start < values.length; start += 200) {
      await tx
        .insert(formularyItems)
        .values(values.slice(start, start + 200))
        .onConflictDoUpdate({
          target: formularyItems.code,
          set: {
            genericName: sql`excluded.generic_name`,
            ingredients: sql`excluded.ingredients`,
            strength: sql`excluded.strength`,
            doseForm: sql`excluded.dose_form`,
            route: sql`excluded.route`,
            unitOfIssue: sql`excluded.unit_of_issue`,
            schedule: sql`excluded.schedule`,
            narcotic: sql`excluded.narcotic`,
            hsnCode: sql`excluded.hsn_code`,
            taxCode: sql`excluded.tax_code`,
            highAlert: sql`excluded.high_alert`,
            lasaGroup: sql`excluded.lasa_group`,
            atcCode: sql`excluded.atc_code`,
            nlem: sql`excluded.nlem`,
            source: sql`excluded.source`,
            version: sql`${formularyItems.version} + 1`,
            updatedAt: sql`now()`,
          },
        });
    }
    let brandCount = 0;
    if (itemBrands.length > 0) {
      const ids = new Map(
        (
          await rowsOf<{ id: string; code: string }>(tx, sql`select id, code from pharmacy.formulary_items`)
        ).map((r) => [r.code, r.id]),
      );
      const brandValues = itemBrands.flatMap((b) => {
        const formularyItemId = ids.get(b.formularyCode);
        return formularyItemId
          ? [
              {
                formularyItemId,
                name: b.brandName,
                manufacturer: b.manufacturer,
                packSize: b.packSize,
                source: b.source ?? source,
              },
            ]
          : [];
      });
      for (const b of brandValues) {
        await tx.insert(brands).values(b).onConflictDoNothing();
      }
      brandCount = brandValues.length;
    }
    return { items: values.length, brands: brandCount };
  });
}

/** Loads the shipped formulary when the table is empty (first start); cheap when it is already there. */
export async function seedFormulary(db: DbOrTx): Promise<void> {
  const [any] = await db.select({ id: formularyItems.id }).from(formularyItems).limit(1);
  if (any) return;
  const parsed = parseFormularyCsv(await readFile(SHIPPED_FORMULARY, 'utf8'), 'formulary.csv');
  const parsedBrands = parseBrandsCsv(await readFile(SHIPPED_BRANDS, 'utf8'), 'brands.csv');
  const errors = [...parsed.errors, ...parsedBrands.errors];
  if (errors.length > 0) throw new FormularyFileInvalid(errors);
  await writeFormulary(db, parsed.items, parsedBrands.brands, 'Newhms formulary');
}

/**
 * Imports a hospital's own formulary file (the same columns as the shipped one; `source` and `licence`
 * optional). Every bad row is reported and nothing is written unless the whole file is good.
 */
export async function importFormularyFile(
  db: DbOrTx,
  file: string,
  brandsFile?: string,
): Promise<{ items: number; brands: number }> {
  const parsed = parseFormularyCsv(await readFile(file, 'utf8'), file);
  const parsedBrands = brandsFile
    ? parseBrandsCsv(await readFile(brandsFile, 'utf8'), brandsFile)
    : { brands: [], errors: [] };
  const errors = [...parsed.errors, ...parsedBrands.errors];
  if (errors.length > 0) throw new FormularyFileInvalid(errors);
  return writeFormulary(db, parsed.items, parsedBrands.brands, file);
}

/** The item with a code (the CLI and the tests use it). */
export async function formularyItemByCode(db: DbOrTx, code: string) {
  const [row] = await db.select().from(formularyItems).where(eq(formularyItems.code, code));
  return row ?? null;
}
