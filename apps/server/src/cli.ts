import { Command } from 'commander';
import { buildApp } from './app';
import { modules } from './modules/index';
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

await program.parseAsync(process.argv);
