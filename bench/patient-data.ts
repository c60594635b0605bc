// Bulk-loads generated patients straight into the patients tables of a migrated scratch database, the way
// registration would have written them (same normalization, phonetic keys, encryption and hashes), without
// versions, audit entries or events: a benchmark needs the rows search reads, fast.
import { getTableColumns } from 'drizzle-orm';
import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import { V7Generator } from 'uuidv7';
import {
  patientIdentifiers,
  patientPhones,
  patients,
} from '../apps/server/src/modules/patients/patients.tables';
import { createRandom } from '../apps/server/src/modules/patients/synthetic/random';
import {
  type SyntheticPatient,
  syntheticPatients,
  toInsertRows,
} from '../apps/server/src/modules/patients/synthetic/synthetic-patients';
import type { FieldCipher } from '../apps/server/src/platform/crypto/field-cipher';

/** Runs one SQL statement with parameters; `parallel` statements may run at once (connections). */
export type SqlRunner = {
  query(text: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  parallel: number;
};

export type SampledPatient = SyntheticPatient & { mrn: string; id: string };

export type LoadedPatients = {
  patients: number;
  phones: number;
  identifiers: number;
  /** Every n-th patient loaded, for building queries that find someone. */
  sample: SampledPatient[];
  seconds: { rows: number; indexes: number; analyze: number; total: number };
  /** The secondary indexes dropped before the load and created again after it, as pg_indexes shows them. */
  indexes: string[];
  tableSizes: string;
};

const LOADED_TABLES = ['patients', 'phones', 'identifiers'] as const;
const BATCH = 5000;

export async function loadPatients(
  sql: SqlRunner,
  options: {
    count: number;
    seed: number;
    cipher: FieldCipher;
    facilityId: string;
    now: Date;
    samples: number;
    log: (line: string) => void;
  },
): Promise<LoadedPatients> {
  const started = performance.now();
  const [facility] = await sql.query('select code from org.facilities where id = $1', [options.facilityId]);
  const code = String(facility?.code ?? 'MAIN');

  // The migration's own index definitions, read back from the catalog: dropped for the load and created
  // again from the same text afterwards (a bulk build is much faster than maintaining GIN indexes per row).
  const indexRows = await sql.query(
    `select indexname, indexdef from pg_indexes
      where schemaname = 'patients' and tablename = any($1::text[])
        and indexname not in (select conname from pg_constraint where connamespace = 'patients'::regnamespace)
      order by indexname`,
    [LOADED_TABLES],
  );
  const indexes = indexRows.map((r) => String(r.indexdef));
  for (const r of indexRows) await sql.query(`drop index patients."${String(r.indexname)}"`);

  const every = Math.max(1, Math.floor(options.count / options.samples));
  const sample: SampledPatient[] = [];
  const perYear = new Map<number, number>();
  const counts = { patients: 0, phones: 0, identifiers: 0 };
  const inFlight = new Set<Promise<void>>();
  const people = syntheticPatients({ seed: options.seed, catchment: 'india', now: options.now });
  // UUIDv7 like the platform's, from a seeded source: the default reads the OS random pool every two ids,
  // which is a third of the generation time at a million rows.
  const idRandom = createRandom(options.seed ^ 0x5eed);
  const ids = new V7Generator({ nextUint32: () => Math.floor(idRandom.next() * 2 ** 32) });
  const newId = () => ids.generate().toString();
  let lastLog = performance.now();
  while (counts.patients < options.count) {
    const size = Math.min(BATCH, options.count - counts.patients);
    const batch = { patients: [] as object[], phones: [] as object[], identifiers: [] as object[] };
    for (let i = 0; i < size; i++) {
      const p = people.next().value as SyntheticPatient;
      const year = p.registeredAt.getUTCFullYear();
      const seq = (perYear.get(year) ?? 0) + 1;
      perYear.set(year, seq);
      const mrn = `${code}-${year}-${String(seq).padStart(6, '0')}`;
      const rows = toInsertRows(p, {
        facilityId: options.facilityId,
        mrn,
        cipher: options.cipher,
        now: options.now,
        newId,
      });
      batch.patients.push(rows.patient);
      batch.phones.push(...rows.phones);
      batch.identifiers.push(...rows.identifiers);
      if ((counts.patients + i) % every === 0) sample.push({ ...p, mrn, id: rows.patient.id! });
    }
    counts.patients += size;
    counts.phones += batch.phones.length;
    counts.identifiers += batch.identifiers.length;
    // Generation (this process) and insertion (the database) overlap: up to `parallel` batches in flight.
    const insert = (async () => {
      await insertRows(sql, patients, batch.patients);
      await insertRows(sql, patientPhones, batch.phones);
      await insertRows(sql, patientIdentifiers, batch.identifiers);
    })();
    const tracked = insert.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
    if (inFlight.size >= sql.parallel) await Promise.race(inFlight);
    if (performance.now() - lastLog > 15_000) {
      lastLog = performance.now();
      options.log(`  ${counts.patients.toLocaleString('en')} patients in ${seconds(started)} s`);
    }
  }
  await Promise.all(inFlight);
  const rowsDone = performance.now();
  options.log(`  rows loaded in ${seconds(started)} s; creating ${indexes.length} indexes`);

  // The two GIN indexes are the slow ones; spread the statements over the connections, slowest first.
  const queue = [...indexes].sort(
    (a, b) => Number(b.includes('USING gin')) - Number(a.includes('USING gin')),
  );
  await Promise.all(
    Array.from({ length: Math.min(sql.parallel, queue.length) }, async () => {
      for (let def = queue.shift(); def; def = queue.shift()) {
        await sql.query(def);
      }
    }),
  );
  const after = await sql.query(
    `select indexdef from pg_indexes where schemaname = 'patients' and tablename = any($1::text[])
        and indexname not in (select conname from pg_constraint where connamespace = 'patients'::regnamespace)
      order by indexname`,
    [LOADED_TABLES],
  );
  if (JSON.stringify(after.map((r) => String(r.indexdef))) !== JSON.stringify(indexes)) {
    throw new Error('the indexes after the load differ from the migration');
  }
  const indexesDone = performance.now();
  // name_words: the dictionary the patients' insert trigger filled (migration 0030).
  for (const t of [...LOADED_TABLES, 'name_words']) await sql.query(`analyze patients.${t}`);
  const [size] = await sql.query(
    `select pg_size_pretty(pg_total_relation_size('patients.patients')) as patients,
            pg_size_pretty(pg_relation_size('patients.patients_search_name_trgm')) as trgm,
            pg_size_pretty(pg_relation_size('patients.patients_phonetic_keys_gin')) as phonetic`,
  );
  return {
    ...counts,
    sample,
    indexes,
    tableSizes: `patients table with indexes ${size?.patients}, of which trigram index ${size?.trgm} and phonetic-key index ${size?.phonetic}`,
    seconds: {
      rows: (rowsDone - started) / 1000,
      indexes: (indexesDone - rowsDone) / 1000,
      analyze: (performance.now() - indexesDone) / 1000,
      total: (performance.now() - started) / 1000,
    },
  };
}

function seconds(since: number): string {
  return ((performance.now() - since) / 1000).toFixed(0);
}

/**
 * One INSERT ... SELECT FROM unnest(...) per batch: one array parameter per column, so that a batch of
 * thousands of rows is one statement with a few dozen parameters. Array columns travel as array literals.
 */
async function insertRows(sql: SqlRunner, table: PgTable, rows: readonly object[]): Promise<void> {
  if (rows.length === 0) return;
  const { schema, name } = getTableConfig(table);
  const columns = Object.entries(getTableColumns(table))
    .filter(([key]) => key in rows[0]!)
    .map(([key, c]) => ({ key, name: c.name, type: c.getSQLType() }));
  const isArray = (type: string) => type.endsWith('[]');
  const params = columns.map((c) =>
    rows.map((r) => {
      const v = (r as Record<string, unknown>)[c.key];
      if (v === undefined || v === null) return null;
      if (isArray(c.type)) return `{${(v as string[]).join(',')}}`;
      return v instanceof Date ? v.toISOString() : v;
    }),
  );
  const list = columns.map((c) => `"${c.name}"`).join(', ');
  const arrays = columns.map((c, i) => `$${i + 1}::${isArray(c.type) ? 'text' : c.type}[]`).join(', ');
  const values = columns.map((c, i) => (isArray(c.type) ? `c${i}::${c.type}` : `c${i}`)).join(', ');
  const aliases = columns.map((_, i) => `c${i}`).join(', ');
  await sql.query(
    `insert into "${schema}"."${name}" (${list}) select ${values} from unnest(${arrays}) as t(${aliases})`,
    params,
  );
}
