import { Command } from 'commander';
import { buildApp } from './app';
import { importIcd10File } from './modules/encounters/index';
import { modules } from './modules/index';
import { describeImport, importFhirPatients } from './modules/patients/index';
import { importFormularyFile } from './modules/pharmacy/index';
import { syncPermissions } from './platform/access/access.service';
import { platformPermissionDeclarations } from './platform/access/permissions';
import { verifyAuditChain } from './platform/audit/audit.service';
import { grantAdministrator } from './platform/auth/users.service';
import { bootstrapInstallation } from './platform/bootstrap';
import { loadConfig } from './platform/config/config';
import { openConfiguredDatabase } from './platform/db/configured';
import type { Database } from './platform/db/database';
import { runMigrations } from './platform/db/migrate';
import { seedDemo } from './platform/demo';
import { ensureDefaultFacility } from './platform/organization/organization.service';

async function withDatabase<T>(
  fn: (db: Database, config: ReturnType<typeof loadConfig>) => Promise<T>,
): Promise<T> {
  const config = loadConfig();
  const database = await openConfiguredDatabase(config);
  try {
    await runMigrations(database);
    return await fn(database, config);
  } finally {
    await database.close();
  }
}

const program = new Command('newhms').description('Newhms administration commands');

program
  .command('migrate')
  .description('Apply pending database migrations')
  .action(() => withDatabase(async () => console.log('Migrations are current.')));

program
  .command('create-admin')
  .description('Create an administrator (or give an existing user the admin role) in the first facility')
  .requiredOption('--email <email>', 'e-mail of the administrator')
  .option('--name <name>', 'display name', 'Administrator')
  .option('--password <password>', 'password (else a one-time password is printed)')
  .action((opts: { email: string; name: string; password?: string }) =>
    withDatabase(async (database) => {
      // Roles and permissions exist once the platform has synced them.
      await syncPermissions(database.db, [
        ...platformPermissionDeclarations,
        ...modules.flatMap((m) => m.permissions),
      ]);
      const facilityId = await ensureDefaultFacility(database.db);
      const result = await grantAdministrator(database.db, {
        email: opts.email,
        displayName: opts.name,
        password: opts.password,
        facilityId,
      });
      console.log(
        result.created ? `Administrator ${result.email} created.` : `${result.email} now has the admin role.`,
      );
      if (result.oneTimePassword) {
        console.log(`One-time password: ${result.oneTimePassword} (must be changed at first sign-in)`);
      }
    }),
  );

program
  .command('audit:verify')
  .description('Walk the audit hash chain; exit 1 and name the first broken entry if it was altered')
  .action(() =>
    withDatabase(async (database) => {
      const result = await verifyAuditChain(database);
      console.log(JSON.stringify(result));
      if (!result.valid) process.exitCode = 1;
    }),
  );

program
  .command('demo')
  .description('Load the demo hospital (facility, departments, one user per role, and each module’s data)')
  .action(() =>
    withDatabase(async (database, config) => {
      await bootstrapInstallation(database, config, modules, (l) => console.log(l));
      const app = await buildApp({ config, database });
      await seedDemo(app.deps, modules, (l) => console.log(l));
      await app.close();
    }),
  );

program
  .command('import:fhir')
  .description('Import FHIR R4 Patient resources from an NDJSON file (one resource per line); safe to re-run')
  .argument('<file>', 'NDJSON file, e.g. Patient.ndjson of a bulk export')
  .option('--facility <code>', 'facility code to register the patients in (default: the first facility)')
  .option('--register-duplicates', 'register likely duplicates anyway (kept for review) instead of skipping')
  .option('--json', 'print the summary as JSON')
  .action((file: string, opts: { facility?: string; registerDuplicates?: boolean; json?: boolean }) =>
    withDatabase(async (database, config) => {
      // The whole app, so that every module's event subscribers get the registrations.
      const app = await buildApp({ config, database });
      try {
        const summary = await importFhirPatients(app.deps, file, {
          facilityCode: opts.facility,
          registerDuplicates: opts.registerDuplicates ?? false,
        });
        console.log(opts.json ? JSON.stringify(summary) : describeImport(summary, file));
        if (summary.failed.length > 0) process.exitCode = 1;
      } catch (err) {
        // A missing file or an unknown facility: say so, without a stack trace.
        console.error(`import:fhir: ${(err as Error).message}`);
        process.exitCode = 1;
      } finally {
        await app.close();
      }
    }),
  );

program
  .command('import:icd10')
  .description('Import a full ICD-10 code set (adds to, and updates, the curated set shipped with Newhms)')
  .argument('<file>', 'the CDC ICD-10-CM order file (icd10cm_order_YYYY.txt) or a CSV in our curated layout')
  .option('--format <format>', 'cm-order (fixed width, default for .txt) or csv')
  .option('--who', 'the rows are WHO ICD-10 (licensed), not ICD-10-CM (CSV only)')
  .action((file: string, opts: { format?: string; who?: boolean }) =>
    withDatabase(async (database) => {
      try {
        const format = opts.format ?? (file.endsWith('.csv') ? 'csv' : 'cm-order');
        if (format !== 'csv' && format !== 'cm-order') throw new Error('--format must be cm-order or csv');
        const written = await importIcd10File(database.db, file, { format, who: opts.who ?? false });
        console.log(`import:icd10: ${written} codes written from ${file}`);
      } catch (err) {
        console.error(`import:icd10: ${(err as Error).message}`);
        process.exitCode = 1;
      }
    }),
  );

program
  .command('import:formulary')
  .description(
    "Import a hospital's own formulary (adds new item codes, updates known ones; nothing is deleted)",
  )
  .argument(
    '<file>',
    'a CSV with the columns of the shipped formulary (apps/server/src/modules/pharmacy/formulary)',
  )
  .option('--brands <file>', 'a brands CSV (brand_name, formulary_code, manufacturer, pack_size, ...)')
  .action((file: string, opts: { brands?: string }) =>
    withDatabase(async (database) => {
      try {
        const written = await importFormularyFile(database.db, file, opts.brands);
        console.log(
          `import:formulary: ${written.items} items and ${written.brands} brands written from ${file}`,
        );
      } catch (err) {
        console.error(`import:formulary: ${(err as Error).message}`);
        process.exitCode = 1;
      }
    }),
  );

await program.parseAsync(process.argv);
