import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/database';
import { rowsOf } from '../../platform/db/raw-rows';
import { icd10Codes } from './encounters.tables';
import {
  ICD10_CM_SYSTEM,
  ICD10_WHO_SYSTEM,
  type Icd10Entry,
  normalizeIcdCode,
  parseCmOrderFile,
  parseCuratedCsv,
} from './reference/icd10';

const CURATED = fileURLToPath(new URL('./reference/icd10cm-curated.csv', import.meta.url));

/** Upserts ICD-10 entries in batches; answers how many were written. */
export async function importIcd10(db: DbOrTx, entries: readonly Icd10Entry[]): Promise<number> {
  let written = 0;
  for (let i = 0; i < entries.length; i += 1000) {
    const batch = entries.slice(i, i + 1000).map((e) => ({
      code: e.code,
      system: e.system,
      title: e.title,
      category: e.category,
      chapter: e.chapter,
      billable: e.billable,
      searchText: `${e.code.toLowerCase()} ${e.title.toLowerCase()}`,
    }));
    await db
      .insert(icd10Codes)
      .values(batch)
      .onConflictDoUpdate({
        target: icd10Codes.code,
        set: {
          system: sql`excluded.system`,
          title: sql`excluded.title`,
          category: sql`excluded.category`,
          chapter: sql`excluded.chapter`,
          billable: sql`excluded.billable`,
          searchText: sql`excluded.search_text`,
        },
      });
    written += batch.length;
  }
  return written;
}

/** Imports a code-set file: the CDC ICD-10-CM order file, or a CSV in our layout (ICD-10-CM or WHO). */
export async function importIcd10File(
  db: DbOrTx,
  file: string,
  options: { format: 'cm-order' | 'csv'; who: boolean },
): Promise<number> {
  const text = await readFile(file, 'utf8');
  const entries =
    options.format === 'csv'
      ? parseCuratedCsv(text, options.who ? ICD10_WHO_SYSTEM : ICD10_CM_SYSTEM)
      : parseCmOrderFile(text);
  return importIcd10(db, entries);
}

/** Loads the curated ICD-10-CM set shipped with Newhms when the table is empty (first start). */
export async function ensureCuratedIcd10(db: DbOrTx): Promise<number> {
  const [row] = await rowsOf<{ any: boolean }>(
    db,
    sql`select exists (select 1 from encounters.icd10_codes) as any`,
  );
  if (row?.any) return 0;
  return importIcd10(db, parseCuratedCsv(await readFile(CURATED, 'utf8')));
}

/**
 * Fast diagnosis search: an exact code or code prefix first ("E11", "e11.9"), then titles by trigram
 * word similarity ("diabetis" finds diabetes); the generic code of a group ("unspecified", "without
 * complications"), which doctors pick most, gets a small lift.
 */
export async function searchIcd10(db: DbOrTx, q: string, limit = 20) {
  const text = q.trim().toLowerCase();
  if (!text) return [];
  const code = /^[a-z]\d/i.test(text) ? normalizeIcdCode(text) : null;
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('pg_trgm.word_similarity_threshold', '0.5', true)`);
    return rowsOf<{ code: string; system: string; title: string; billable: boolean }>(
      tx,
      sql`select code, system, title, billable from (
        ${
          code
            ? sql`(select code, system, title, billable, 3 + (case when code = ${code} then 1 else 0 end) as score
           from encounters.icd10_codes where code like ${`${code.replace(/[%_]/g, '')}%`} order by code limit ${limit}) union all `
            : sql``
        }
        (select code, system, title, billable,
             word_similarity(${text}, search_text) + similarity(${text}, search_text)
               + case when search_text ~ '(unspecified|without complications)' then 0.15 else 0 end as score
           from encounters.icd10_codes where ${text} <% search_text order by score desc limit ${limit})
      ) hits
      group by code, system, title, billable
      order by max(score) desc, billable desc, code
      limit ${limit}`,
    );
  });
}
