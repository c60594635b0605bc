import { Command } from 'commander';
import { eq } from 'drizzle-orm';
import { buildApp } from './app';
import { modules } from './modules/index';
import { roles, userRoles } from './platform/access/access.tables';
import { recordAudit, verifyAuditChain } from './platform/audit/audit.service';
import { assertPasswordPolicy } from './platform/auth/auth.service';
import { users } from './platform/auth/auth.tables';
import { hashPassword } from './platform/auth/passwords';
import { temporaryPassword } from './platform/auth/users.service';
import { bootstrapInstallation } from './platform/bootstrap';
import { loadConfig } from './platform/config/config';
import { systemCtx } from './platform/context';
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
      const db = database.db;
      const facilityId = await ensureDefaultFacility(db);
      const [admin] = await db.select().from(roles).where(eq(roles.name, 'admin'));
      if (!admin) {
        // Permissions and roles are synced when the app is built.
        await buildApp({ config: loadConfig(), database }).then((a) => a.close());
      }
      const [adminRole] = await db.select().from(roles).where(eq(roles.name, 'admin'));
      const email = opts.email.trim().toLowerCase();
      const [existing] = await db.select().from(users).where(eq(users.email, email));
      let userId = existing?.id;
      let shown: string | undefined;
      if (!existing) {
        const password = opts.password ?? temporaryPassword();
        if (opts.password) assertPasswordPolicy(password, email, '--password');
        else shown = password;
        const [row] = await db
          .insert(users)
          .values({
            email,
            displayName: opts.name,
            passwordHash: await hashPassword(password),
            mustChangePassword: !opts.password,
            defaultFacilityId: facilityId,
          })
          .returning();
        userId = row!.id;
      }
      await db
        .insert(userRoles)
        .values({ userId: userId!, roleId: adminRole!.id, facilityId })
        .onConflictDoNothing();
      await recordAudit(db, systemCtx(db, 'cli', facilityId), {
        action: 'admin',
        resourceType: 'User',
        resourceId: userId!,
        detail: { cli: 'create-admin', email, created: !existing },
      });
      console.log(existing ? `${email} now has the admin role.` : `Administrator ${email} created.`);
      if (shown) console.log(`One-time password: ${shown} (must be changed at first sign-in)`);
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
