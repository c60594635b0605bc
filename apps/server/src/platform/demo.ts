import { builtinRoleNames } from '@newhms/contracts';
import { eq } from 'drizzle-orm';
import { roles, userRoles } from './access/access.tables';
import { users } from './auth/auth.tables';
import { hashPassword } from './auth/passwords';
import type { AppDeps, ModuleDefinition } from './module';
import { departments, facilities } from './organization/organization.tables';

export const DEMO_PASSWORD = 'Demo-Hospital-2026!';
const DEMO_FACILITY_CODE = 'DEMO';

const demoDepartments = [
  ['GMED', 'General Medicine', 'clinical'],
  ['GSUR', 'General Surgery', 'clinical'],
  ['PAED', 'Paediatrics', 'clinical'],
  ['OBGY', 'Obstetrics and Gynaecology', 'clinical'],
  ['ORTH', 'Orthopaedics', 'clinical'],
  ['CARD', 'Cardiology', 'clinical'],
  ['EMER', 'Emergency Medicine', 'clinical'],
  ['ANAE', 'Anaesthesiology', 'clinical'],
  ['PATH', 'Laboratory Medicine', 'diagnostic'],
  ['RADI', 'Radiology', 'diagnostic'],
  ['NURS', 'Nursing', 'nursing'],
  ['PHAR', 'Pharmacy', 'support'],
  ['HKPG', 'Housekeeping', 'support'],
  ['BILL', 'Billing and Accounts', 'administrative'],
  ['MRD', 'Medical Records', 'administrative'],
  ['HR', 'Human Resources', 'administrative'],
  ['QUAL', 'Quality and Accreditation', 'administrative'],
] as const;

/**
 * The demo hospital: one facility with departments and one user per role (e-mail <role>@demo.newhms.local,
 * one known password). Idempotent; then each module adds its own demo data.
 */
export async function seedDemo(
  deps: AppDeps,
  modules: readonly ModuleDefinition[],
  print: (line: string) => void,
): Promise<void> {
  const db = deps.database.db;
  await db
    .insert(facilities)
    .values({
      code: DEMO_FACILITY_CODE,
      name: 'Newhms Demo Multi-Speciality Hospital',
      city: 'Bengaluru',
      state: 'Karnataka',
      postalCode: '560001',
      addressLine: '1 MG Road',
      phone: '+91 80 4000 0000',
    })
    .onConflictDoNothing();
  const [facility] = await db.select().from(facilities).where(eq(facilities.code, DEMO_FACILITY_CODE));
  const facilityId = facility!.id;
  await db
    .insert(departments)
    .values(demoDepartments.map(([code, name, kind]) => ({ facilityId, code, name, kind })))
    .onConflictDoNothing();

  const roleRows = await db.select().from(roles);
  const hash = await hashPassword(DEMO_PASSWORD);
  const userIds: Record<string, string> = {};
  for (const role of builtinRoleNames) {
    const email = `${role}@demo.newhms.local`;
    const displayName = `Demo ${role.replace('-', ' ').replace(/\b\w/g, (c) => c.toUpperCase())}`;
    await db
      .insert(users)
      .values({ email, displayName, passwordHash: hash, defaultFacilityId: facilityId })
      .onConflictDoNothing();
    const [user] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
    const roleId = roleRows.find((r) => r.name === role)!.id;
    await db.insert(userRoles).values({ userId: user!.id, roleId, facilityId }).onConflictDoNothing();
    userIds[role] = user!.id;
  }
  for (const m of modules) await m.seedDemo?.(deps, { facilityId, userIds });

  print('');
  print(`Demo hospital ready: ${facility!.name}`);
  print(`  Sign in as <role>@demo.newhms.local with password ${DEMO_PASSWORD}`);
  print(`  roles: ${builtinRoleNames.join(', ')}`);
  if (deps.config.NEWHMS_MFA_REQUIRED_ROLES.includes('admin')) {
    print('  (admin@demo.newhms.local will be asked to set up TOTP MFA at first sign-in)');
  }
  print('');
}
