import { readFile } from 'node:fs/promises';
import type { RadCatalogQuery, RadProcedure } from '@newhms/contracts';
import { and, asc, eq, ilike, or, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { DbOrTx } from '../../platform/db/database';
import { formatRadCatalogError, parseRadCatalog, type RadCatalog } from './catalog/catalog-file';
import { procedures, reportTemplates } from './radiology.tables';

// The catalog in the database: loaded from catalog/*.csv on the first start (a hospital adapts it, see
// catalog/README.md), searched by the order screens, and resolved when an order arrives (our procedure code,
// else the exact procedure name).

const SHIPPED = {
  procedures: new URL('./catalog/procedures.csv', import.meta.url),
  templates: new URL('./catalog/templates.csv', import.meta.url),
};

export type ProcedureRow = typeof procedures.$inferSelect;
export type TemplateRow = typeof reportTemplates.$inferSelect;

export class RadCatalogInvalid extends Error {
  constructor(messages: string[]) {
    super(`${messages.length} problem(s) in the radiology catalog:\n${messages.slice(0, 20).join('\n')}`);
  }
}

/** Loads the shipped catalog when the tables are empty (idempotent, cheap once loaded). */
export async function seedRadiologyCatalog(db: DbOrTx): Promise<void> {
  const [any] = await db.select({ code: procedures.code }).from(procedures).limit(1);
  if (any) return;
  const [p, t] = await Promise.all([
    readFile(SHIPPED.procedures, 'utf8'),
    readFile(SHIPPED.templates, 'utf8'),
  ]);
  const parsed = parseRadCatalog({ procedures: p, templates: t });
  if (parsed.errors.length > 0) throw new RadCatalogInvalid(parsed.errors.map(formatRadCatalogError));
  await writeCatalog(db, parsed.catalog);
}

async function writeCatalog(db: DbOrTx, catalog: RadCatalog): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .insert(reportTemplates)
      .values(
        catalog.templates.map((t) => ({
          code: t.code,
          name: t.name,
          modality: t.modality,
          technique: t.technique,
          findings: t.findings,
          impression: t.impression,
          source: t.source,
          licence: t.licence,
        })),
      )
      .onConflictDoNothing();
    await tx
      .insert(procedures)
      .values(
        catalog.procedures.map((p) => ({
          code: p.code,
          name: p.name,
          modality: p.modality,
          bodyPart: p.bodyPart,
          lateralityRequired: p.lateralityRequired,
          contrast: p.contrast,
          contrastRoute: p.contrastRoute,
          durationMinutes: p.durationMinutes,
          preparation: p.preparation,
          loincCode: p.loincCode,
          radlexCode: p.radlexCode,
          templateCode: p.templateCode,
          source: p.source,
          licence: p.licence,
        })),
      )
      .onConflictDoNothing();
  });
}

export function toRadProcedure(p: ProcedureRow): RadProcedure {
  return {
    code: p.code,
    name: p.name,
    modality: p.modality as RadProcedure['modality'],
    bodyPart: p.bodyPart,
    lateralityRequired: p.lateralityRequired,
    contrast: p.contrast as RadProcedure['contrast'],
    contrastRoute: p.contrastRoute as RadProcedure['contrastRoute'],
    durationMinutes: p.durationMinutes,
    preparation: p.preparation,
    loincCode: p.loincCode,
    radlexCode: p.radlexCode,
    templateCode: p.templateCode,
  };
}

/** Active procedures whose code, name or body part matches, by modality then name. */
export async function searchCatalog(
  db: DbOrTx,
  query: z.output<typeof RadCatalogQuery>,
): Promise<RadProcedure[]> {
  const q = query.q?.trim();
  const like = q ? `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const where: (SQL | undefined)[] = [eq(procedures.active, true)];
  if (query.modality) where.push(eq(procedures.modality, query.modality));
  if (like) {
    where.push(
      or(ilike(procedures.code, like), ilike(procedures.name, like), ilike(procedures.bodyPart, like)),
    );
  }
  const rows = await db
    .select()
    .from(procedures)
    .where(and(...where))
    .orderBy(asc(procedures.modality), asc(procedures.name))
    .limit(query.limit);
  return rows.map(toRadProcedure);
}

/** An active procedure by our code, or (when nothing has the code) by its exact name, case aside. */
export async function resolveProcedure(
  db: DbOrTx,
  code: string | null,
  display?: string | null,
): Promise<ProcedureRow | null> {
  if (code?.trim()) {
    const [byCode] = await db
      .select()
      .from(procedures)
      .where(and(eq(procedures.code, code.trim().toUpperCase()), eq(procedures.active, true)));
    if (byCode) return byCode;
  }
  for (const name of display?.trim() ? namesOf(display) : []) {
    const [byName] = await db
      .select()
      .from(procedures)
      .where(and(sql`lower(${procedures.name}) = lower(${name})`, eq(procedures.active, true)))
      .orderBy(asc(procedures.code))
      .limit(1);
    if (byName) return byName;
  }
  return null;
}

/** The name as written, then without the side it names ("X-ray knee AP and lateral (left)"). */
function namesOf(display: string): string[] {
  const trimmed = display.trim();
  const sideless = trimmed
    .replace(/\s*[(,-]?\s*\b(left|right|bilateral|both sides?)\b\s*\)?/gi, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return sideless && sideless !== trimmed ? [trimmed, sideless] : [trimmed];
}

export async function procedureOf(db: DbOrTx, code: string): Promise<ProcedureRow | null> {
  const [row] = await db.select().from(procedures).where(eq(procedures.code, code));
  return row ?? null;
}

export async function templateOf(db: DbOrTx, code: string): Promise<TemplateRow | null> {
  const [row] = await db.select().from(reportTemplates).where(eq(reportTemplates.code, code));
  return row ?? null;
}
