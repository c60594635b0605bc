import { readFile } from 'node:fs/promises';
import type { LabCatalogQuery, LabCatalogSearch, LabPanel, LabTest } from '@newhms/contracts';
import { and, asc, eq, ilike, inArray, or, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { DbOrTx } from '../../platform/db/database';
import type { ReferenceRange } from './catalog/catalog-file';
import { formatCatalogError, type LabCatalog, parseLabCatalog } from './catalog/catalog-file';
import { deltaRules, panels, referenceRanges, tests } from './laboratory.tables';

// The catalog in the database: loaded from catalog/*.csv on the first start (a hospital later replaces the
// ranges with its analyzers' own, see catalog/README.md), searched by the order screens, and resolved when an
// order arrives (a test code, a panel code, or a LOINC code).

const SHIPPED = {
  tests: new URL('./catalog/tests.csv', import.meta.url),
  ranges: new URL('./catalog/reference-ranges.csv', import.meta.url),
  panels: new URL('./catalog/panels.csv', import.meta.url),
  deltaRules: new URL('./catalog/delta-rules.csv', import.meta.url),
};

export const LOINC_SYSTEM = 'http://loinc.org';

export type TestRow = typeof tests.$inferSelect;
export type PanelRow = typeof panels.$inferSelect;

export class LabCatalogInvalid extends Error {
  constructor(messages: string[]) {
    super(`${messages.length} problem(s) in the laboratory catalog:\n${messages.slice(0, 20).join('\n')}`);
  }
}

/** Loads the shipped catalog when the tables are empty (idempotent, cheap once loaded). */
export async function seedLabCatalog(db: DbOrTx): Promise<void> {
  const [any] = await db.select({ code: tests.code }).from(tests).limit(1);
  if (any) return;
  const [t, r, p, d] = await Promise.all([
    readFile(SHIPPED.tests, 'utf8'),
    readFile(SHIPPED.ranges, 'utf8'),
    readFile(SHIPPED.panels, 'utf8'),
    readFile(SHIPPED.deltaRules, 'utf8'),
  ]);
  const parsed = parseLabCatalog({ tests: t, ranges: r, panels: p, deltaRules: d });
  if (parsed.errors.length > 0) throw new LabCatalogInvalid(parsed.errors.map(formatCatalogError));
  await writeCatalog(db, parsed.catalog);
}

async function writeCatalog(db: DbOrTx, catalog: LabCatalog): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .insert(tests)
      .values(
        catalog.tests.map((t) => ({
          code: t.code,
          name: t.localName,
          loincCode: t.loincCode,
          section: t.section,
          specimen: t.specimen,
          container: t.container,
          resultType: t.resultType,
          unit: t.ucumUnit,
          decimals: t.decimals,
          tatMinutesRoutine: t.tatMinutesRoutine,
          tatMinutesStat: t.tatMinutesStat,
          source: t.source,
          licence: t.licence,
        })),
      )
      .onConflictDoNothing();
    for (let i = 0; i < catalog.ranges.length; i += 200) {
      await tx.insert(referenceRanges).values(
        catalog.ranges.slice(i, i + 200).map((r) => ({
          testCode: r.testCode,
          sex: r.sex,
          ageFromDays: r.ageFromDays,
          ageToDays: r.ageToDays,
          low: r.low,
          high: r.high,
          criticalLow: r.criticalLow,
          criticalHigh: r.criticalHigh,
          source: r.source,
          licence: r.licence,
        })),
      );
    }
    await tx
      .insert(panels)
      .values(
        catalog.panels.map((p) => ({
          code: p.code,
          name: p.name,
          members: [...p.members],
          loincCode: p.loincCode,
          source: p.source,
          licence: p.licence,
        })),
      )
      .onConflictDoNothing();
    await tx
      .insert(deltaRules)
      .values(
        catalog.deltaRules.map((d) => ({
          testCode: d.testCode,
          mode: d.mode,
          threshold: d.threshold,
          windowDays: d.windowDays,
          source: d.source,
          licence: d.licence,
        })),
      )
      .onConflictDoNothing();
  });
}

export function toLabTest(t: TestRow): LabTest {
  return {
    code: t.code,
    name: t.name,
    loincCode: t.loincCode,
    section: t.section as LabTest['section'],
    specimen: t.specimen,
    container: t.container,
    resultType: t.resultType as LabTest['resultType'],
    unit: t.unit,
    decimals: t.decimals,
    tatMinutesRoutine: t.tatMinutesRoutine,
    tatMinutesStat: t.tatMinutesStat,
  };
}

/** Tests and panels whose code, name or LOINC code matches. */
export async function searchCatalog(
  db: DbOrTx,
  query: z.output<typeof LabCatalogQuery>,
): Promise<z.output<typeof LabCatalogSearch>> {
  const q = query.q?.trim();
  const like = q ? `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const testWhere: (SQL | undefined)[] = [eq(tests.active, true)];
  if (query.section) testWhere.push(eq(tests.section, query.section));
  if (like) {
    testWhere.push(
      or(
        ilike(tests.code, like),
        ilike(tests.name, like),
        ilike(sql`coalesce(${tests.loincCode}, '')`, like),
      ),
    );
  }
  const testRows = await db
    .select()
    .from(tests)
    .where(and(...testWhere))
    .orderBy(asc(tests.section), asc(tests.code))
    .limit(query.limit);
  const panelRows = query.section
    ? []
    : await db
        .select()
        .from(panels)
        .where(
          and(
            eq(panels.active, true),
            like
              ? or(
                  ilike(panels.code, like),
                  ilike(panels.name, like),
                  ilike(sql`coalesce(${panels.loincCode}, '')`, like),
                )
              : undefined,
          ),
        )
        .orderBy(asc(panels.code))
        .limit(query.limit);
  return { tests: testRows.map(toLabTest), panels: await toLabPanels(db, panelRows) };
}

export async function toLabPanels(db: DbOrTx, rows: PanelRow[]): Promise<LabPanel[]> {
  const codes = [...new Set(rows.flatMap((p) => p.members))];
  const names = new Map(
    codes.length === 0
      ? []
      : (
          await db
            .select({ code: tests.code, name: tests.name })
            .from(tests)
            .where(inArray(tests.code, codes))
        ).map((t) => [t.code, t.name]),
  );
  return rows.map((p) => ({
    code: p.code,
    name: p.name,
    loincCode: p.loincCode,
    members: p.members.map((code) => ({ code, name: names.get(code) ?? code })),
  }));
}

export type Orderable =
  | { kind: 'test'; code: string; display: string; loincCode: string | null; tests: TestRow[] }
  | { kind: 'panel'; code: string; display: string; loincCode: string | null; tests: TestRow[] };

/**
 * What a code orders: a test code, a panel code, or (with `system` LOINC, or when nothing else matches) a
 * test's or panel's LOINC code. Null when the catalog does not know it or it is inactive.
 */
export async function resolveOrderable(
  db: DbOrTx,
  code: string,
  system?: string | null,
): Promise<Orderable | null> {
  const byLoinc = system === LOINC_SYSTEM;
  const upper = code.trim().toUpperCase();
  if (!byLoinc) {
    const found = await orderableWhere(db, eq(tests.code, upper), eq(panels.code, upper));
    if (found) return found;
  }
  if (!/^\d{1,6}-\d$/.test(code.trim())) return null;
  return orderableWhere(db, eq(tests.loincCode, code.trim()), eq(panels.loincCode, code.trim()));
}

async function orderableWhere(db: DbOrTx, testCond: SQL, panelCond: SQL): Promise<Orderable | null> {
  const [test] = await db
    .select()
    .from(tests)
    .where(and(testCond, eq(tests.active, true)))
    .limit(1);
  if (test)
    return { kind: 'test', code: test.code, display: test.name, loincCode: test.loincCode, tests: [test] };
  const [panel] = await db
    .select()
    .from(panels)
    .where(and(panelCond, eq(panels.active, true)))
    .limit(1);
  if (!panel) return null;
  const members = await db.select().from(tests).where(inArray(tests.code, panel.members));
  const byCode = new Map(members.map((m) => [m.code, m]));
  const ordered = panel.members.flatMap((c) => (byCode.get(c) ? [byCode.get(c)!] : []));
  if (ordered.length === 0) return null;
  return { kind: 'panel', code: panel.code, display: panel.name, loincCode: panel.loincCode, tests: ordered };
}

/** The reference ranges of some tests, in the shape interpret.ts reads. */
export async function rangesOf(db: DbOrTx, codes: readonly string[]): Promise<ReferenceRange[]> {
  if (codes.length === 0) return [];
  const rows = await db
    .select()
    .from(referenceRanges)
    .where(inArray(referenceRanges.testCode, [...codes]))
    .orderBy(asc(referenceRanges.createdAt), asc(referenceRanges.id));
  return rows.map((r, line) => ({
    testCode: r.testCode,
    sex: r.sex as ReferenceRange['sex'],
    ageFromDays: r.ageFromDays,
    ageToDays: r.ageToDays,
    low: r.low,
    high: r.high,
    criticalLow: r.criticalLow,
    criticalHigh: r.criticalHigh,
    source: r.source,
    licence: r.licence,
    line,
  }));
}

export async function deltaRulesOf(db: DbOrTx, codes: readonly string[]) {
  if (codes.length === 0) return [];
  return db
    .select()
    .from(deltaRules)
    .where(inArray(deltaRules.testCode, [...codes]));
}
