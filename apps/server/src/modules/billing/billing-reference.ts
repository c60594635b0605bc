import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/database';
import { taxCodes, taxRates } from './billing.tables';
import { csvRecords, parseTaxRatesCsv } from './tax-rates';

// The GST reference data billing ships (reference/tax-codes.csv and tax-rates.csv, with their source and
// licence): loaded when missing, never overwriting what a hospital changed.

const folder = (name: string) => fileURLToPath(new URL(`./reference/${name}`, import.meta.url));

/**
 * Loads the tax codes and their dated GST rows. Idempotent: a code that exists is left as it is, and a row is
 * added only when no row of the same code, setting and threshold overlaps its dates.
 */
export async function seedBillingReference(db: Db): Promise<void> {
  const codes = csvRecords(readFileSync(folder('tax-codes.csv'), 'utf8'));
  const rates = parseTaxRatesCsv(readFileSync(folder('tax-rates.csv'), 'utf8'));
  await db.transaction(async (tx) => {
    await tx
      .insert(taxCodes)
      .values(
        codes.map((c) => ({
          code: c.code!,
          name: c.name!,
          hsnSac: c.hsn_sac || null,
          description: c.description || null,
        })),
      )
      .onConflictDoNothing();
    for (const r of rates) {
      const [overlap] = await tx
        .select({ id: taxRates.id })
        .from(taxRates)
        .where(
          and(
            eq(taxRates.taxCode, r.taxCode),
            eq(taxRates.setting, r.setting),
            sql`coalesce(${taxRates.minUnitPrice}, -1) = ${r.minUnitPrice ?? -1}`,
            sql`daterange(${taxRates.validFrom}, ${taxRates.validTo}, '[)') && daterange(${r.validFrom}::date, ${r.validTo}::date, '[)')`,
          ),
        )
        .limit(1);
      if (overlap) continue;
      await tx.insert(taxRates).values({
        taxCode: r.taxCode,
        setting: r.setting,
        rateBp: r.rateBp,
        minUnitPrice: r.minUnitPrice,
        inputCredit: r.inputCredit,
        validFrom: r.validFrom,
        validTo: r.validTo,
        notification: r.notification,
      });
    }
  });
}
