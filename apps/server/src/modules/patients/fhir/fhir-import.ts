import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { systemCtx } from '../../../platform/context';
import { loadFieldCipher } from '../../../platform/crypto/field-cipher';
import { FhirError } from '../../../platform/fhir/operation-outcome';
import { DomainError } from '../../../platform/http/errors';
import type { AppDeps } from '../../../platform/module';
import { ensureDefaultFacility, listFacilities } from '../../../platform/organization/organization.service';
import { findCandidates, registerPatient } from '../duplicates';
import { displayNameOf } from '../names';
import type { PatientsEnv } from '../patients.service';
import { mapFhirPatient, parseFhirPatient, registrationOf } from './patient-input';

type ImportProblem = { line: number; expression?: string; message: string };

export type FhirImportSummary = {
  facility: string;
  /** Non-blank lines read. */
  lines: number;
  patients: number;
  imported: number;
  /** Patients not registered: already present (a re-run), or a possible duplicate to be looked at. */
  skipped: ImportProblem[];
  /** Lines that are not Patient resources, by resource type. */
  otherResources: Record<string, number>;
  failed: ImportProblem[];
  /** Values left out of registered patients (phones that are not phones, unknown identifier systems, ...). */
  warnings: ImportProblem[];
};

// An identifier match (0.97, see match-score.ts) or the same name, birth date and sex: the same person.
const SAME_PERSON_SCORE = 0.97;
const MAX_LINE = 1_000_000;

async function facilityIdOf(deps: AppDeps, code: string | undefined): Promise<{ id: string; code: string }> {
  const first = code ? null : await ensureDefaultFacility(deps.database.db);
  const all = await listFacilities(systemCtx(deps.database.db, 'fhir-import'));
  const facility = all.find((f) =>
    first ? f.id === first : f.code.toUpperCase() === (code ?? '').trim().toUpperCase(),
  );
  if (!facility) {
    throw new Error(
      `No facility with code ${code}; the facilities are ${all.map((f) => f.code).join(', ') || 'none'}`,
    );
  }
  return facility;
}

function problemsOf(line: number, err: unknown): ImportProblem[] {
  if (err instanceof FhirError) {
    return err.issues.map((i) => ({
      line,
      ...(i.expression?.[0] ? { expression: i.expression[0] } : {}),
      message: i.details?.text ?? i.diagnostics ?? 'invalid',
    }));
  }
  if (err instanceof DomainError) {
    return [
      {
        line,
        message: `${err.code}: ${err.message}`,
        ...(err.errors?.[0] ? { expression: err.errors[0].path } : {}),
      },
    ];
  }
  throw err;
}

/**
 * Bulk import of FHIR Patient NDJSON (one resource per line, e.g. a $export or Synthea's output), read as a
 * stream. Each Patient is registered through the registration path as the system actor in one facility.
 * Lines that are not Patients are counted and skipped; a Patient we cannot register fails with its line
 * number and the element at fault; values we cannot keep (a US phone number, an SSN) are left out with a
 * warning. Idempotent: a patient already present (same identifier, or same name, birth date and sex) is
 * skipped, so a re-run imports nothing new. Other likely duplicates are skipped for a person to look at,
 * or registered with the reason kept and queued for review when registerDuplicates is set.
 */
export async function importFhirPatients(
  deps: AppDeps,
  file: string,
  options: { facilityCode?: string | undefined; registerDuplicates?: boolean } = {},
): Promise<FhirImportSummary> {
  const env: PatientsEnv = {
    cipher: await loadFieldCipher(deps.database.db, deps.config),
    events: deps.events,
  };
  const facility = await facilityIdOf(deps, options.facilityCode);
  const summary: FhirImportSummary = {
    facility: facility.code,
    lines: 0,
    patients: 0,
    imported: 0,
    skipped: [],
    otherResources: {},
    failed: [],
    warnings: [],
  };
  const lines = createInterface({
    input: createReadStream(file, 'utf8'),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  let lineNo = 0;
  for await (const raw of lines) {
    lineNo++;
    const text = raw.trim();
    if (!text) continue;
    summary.lines++;
    if (text.length > MAX_LINE) {
      summary.failed.push({ line: lineNo, message: `the line is longer than ${MAX_LINE} characters` });
      continue;
    }
    let resource: unknown;
    try {
      resource = JSON.parse(text);
    } catch {
      summary.failed.push({ line: lineNo, message: 'not JSON' });
      continue;
    }
    const type = (resource as { resourceType?: unknown } | null)?.resourceType;
    if (type !== 'Patient') {
      const name = typeof type === 'string' ? type.slice(0, 60) : '(no resourceType)';
      summary.otherResources[name] = (summary.otherResources[name] ?? 0) + 1;
      continue;
    }
    summary.patients++;
    const ctx = systemCtx(deps.database.db, 'fhir-import', facility.id);
    try {
      const mapped = mapFhirPatient(parseFhirPatient(resource), 'lenient');
      const input = registrationOf(mapped, ctx.now);
      const birthDate = mapped.birthDateEstimated ? undefined : mapped.birthDate;
      const candidates = await findCandidates(ctx.db, env, input, ctx.now);
      const same = candidates.find(
        (c) =>
          c.score >= SAME_PERSON_SCORE ||
          (c.displayName === displayNameOf(input.name) &&
            c.sex === input.sex &&
            (birthDate === undefined || c.birthDate === birthDate)),
      );
      if (same) {
        summary.skipped.push({
          line: lineNo,
          message: `already registered as ${same.mrn} (Patient/${same.id})`,
        });
        continue;
      }
      if (candidates.length > 0 && !options.registerDuplicates) {
        const c = candidates[0]!;
        summary.skipped.push({
          line: lineNo,
          message: `possible duplicate of ${c.mrn} (score ${c.score}: ${c.reasons.join(', ')}); not imported`,
        });
        continue;
      }
      if (candidates.length > 0) {
        input.duplicateOverride = {
          reason: 'FHIR import: registered despite possible duplicates',
          candidateIds: [],
        };
      }
      await registerPatient(ctx, env, input);
      summary.imported++;
      summary.warnings.push(...mapped.warnings.map((w) => ({ line: lineNo, ...w })));
    } catch (err) {
      summary.failed.push(...problemsOf(lineNo, err));
    }
  }
  return summary;
}

/** The summary as people read it: counts, then skips, failures and warnings grouped by kind. */
export function describeImport(summary: FhirImportSummary, file: string): string {
  const out: string[] = [];
  const others = Object.entries(summary.otherResources);
  out.push(`FHIR import of ${file} into facility ${summary.facility}`);
  out.push(
    `read ${summary.lines} line(s): ${summary.patients} Patient` +
      (others.length > 0 ? `, skipped ${others.map(([t, n]) => `${n} ${t}`).join(', ')} (not Patient)` : ''),
  );
  out.push(
    `imported ${summary.imported}, skipped ${summary.skipped.length}, failed ${summary.failed.length}, ` +
      `warnings ${summary.warnings.length}`,
  );
  const list = (title: string, items: ImportProblem[], limit = 20) => {
    if (items.length === 0) return;
    out.push(`${title}:`);
    for (const p of items.slice(0, limit)) {
      out.push(`  line ${p.line}${p.expression ? ` ${p.expression}` : ''}: ${p.message}`);
    }
    if (items.length > limit) out.push(`  ... and ${items.length - limit} more`);
  };
  list('skipped', summary.skipped);
  list('failed', summary.failed);
  // Warnings repeat across a file (every US phone number): one line per kind, with a count.
  const kinds = new Map<string, { count: number; lines: number[] }>();
  for (const w of summary.warnings) {
    const message = w.message.replace(/"[^"]*"/g, '…');
    const key = `${(w.expression ?? '').replace(/\[\d+\]/g, '')}: ${message.length > 120 ? `${message.slice(0, 119)}…` : message}`;
    const k = kinds.get(key) ?? { count: 0, lines: [] };
    k.count++;
    if (k.lines.length < 5 && !k.lines.includes(w.line)) k.lines.push(w.line);
    kinds.set(key, k);
  }
  if (kinds.size > 0) {
    out.push('warnings (values left out):');
    for (const [key, k] of kinds) {
      out.push(`  ${k.count} x ${key} (lines ${k.lines.join(', ')}${k.lines.length === 5 ? ', ...' : ''})`);
    }
  }
  return out.join('\n');
}
