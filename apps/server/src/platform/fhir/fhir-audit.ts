import { recordAudit } from '../audit/audit.service';
import type { Ctx } from '../context';
import type { ParsedSearch } from './fhir-search';
import { referencedId } from './fhir-search';

/** A read through FHIR, audited like the REST read of the same record: what, whose, by whom. */
export async function auditFhirRead(ctx: Ctx, resourceType: string, id: string, patientId: string) {
  await recordAudit(ctx.db, ctx, {
    action: 'read',
    resourceType,
    resourceId: id,
    patientId,
    detail: { via: 'fhir' },
  });
}

/**
 * A search through FHIR, audited like the REST lists: what was asked and how many were found, with the
 * patient when the search named one (or every result is one patient's), else the patients whose records
 * were shown. `patientOf` says whose each result is.
 */
export async function auditFhirSearch<R>(
  ctx: Ctx,
  resourceType: string,
  search: ParsedSearch,
  results: readonly R[],
  patientOf: (r: R) => string | null,
  options: { nextPage: boolean; patientParams?: readonly string[] },
) {
  const names = options.patientParams ?? ['patient', 'subject'];
  const asked = new Set(
    search.params
      .filter(([k]) => names.includes(k.split(':')[0] ?? ''))
      .flatMap(([, v]) => v.split(','))
      .map((v) => referencedId(v.trim(), 'Patient'))
      .filter((id): id is string => id !== null),
  );
  const shown = [...new Set(results.map(patientOf).filter((id): id is string => !!id))];
  const only = asked.size === 1 ? [...asked][0]! : shown.length === 1 ? shown[0]! : null;
  await recordAudit(ctx.db, ctx, {
    action: 'search',
    resourceType,
    patientId: only,
    detail: {
      via: 'fhir',
      query: search.params.map(([k, v]) => `${k}=${v}`).join('&'),
      results: results.length,
      ...(only === null && shown.length > 0 ? { patientIds: shown } : {}),
      ...(options.nextPage ? { page: 'next' } : {}),
    },
  });
}
