import { syncPermissions } from './access/access.service';
import { platformPermissionDeclarations } from './access/permissions';
import { ensureFirstAdmin } from './auth/users.service';
import type { Config } from './config/config';
import type { Database } from './db/database';
import type { ModuleDefinition } from './module';
import { ensureDefaultFacility } from './organization/organization.service';

/**
 * First start of an empty database: a facility and an administrator (from NEWHMS_ADMIN_EMAIL/PASSWORD,
 * or with a one-time password printed once). A later start never resets an existing administrator.
 */
export async function bootstrapInstallation(
  database: Database,
  config: Config,
  modules: readonly ModuleDefinition[],
  print: (line: string) => void,
): Promise<void> {
  await syncPermissions(database.db, [
    ...platformPermissionDeclarations,
    ...modules.flatMap((m) => m.permissions),
  ]);
  const facilityId = await ensureDefaultFacility(database.db);
  const admin = await ensureFirstAdmin(database.db, {
    email: config.NEWHMS_ADMIN_EMAIL,
    password: config.NEWHMS_ADMIN_PASSWORD,
    facilityId,
  });
  if (!admin.created) return;
  if (admin.generatedPassword) {
    print('');
    print('  First administrator created:');
    print(`    e-mail:   ${admin.email}`);
    print(`    password: ${admin.generatedPassword}   (shown once; you must change it at first sign-in)`);
    print('');
  } else {
    print(`First administrator created: ${admin.email}`);
  }
}
