import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const dataDir = mkdtempSync(join(tmpdir(), 'newhms-cli-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function cli(...args: string[]) {
  return run('npx', ['tsx', 'apps/server/src/cli.ts', ...args], {
    env: { ...process.env, NEWHMS_DATA_DIR: dataDir, DATABASE_URL: '' },
    timeout: 120_000,
  });
}

describe('npm run newhms -- <command>', () => {
  it('migrates, creates an administrator, and verifies the audit chain', async () => {
    const migrate = await cli('migrate');
    expect(migrate.stdout).toContain('Migrations are current.');
    const admin = await cli('create-admin', '--email', 'Night.Admin@Hospital.in');
    expect(admin.stdout).toContain('Administrator night.admin@hospital.in created.');
    expect(admin.stdout).toMatch(/One-time password: \S{16}/);
    const verify = await cli('audit:verify');
    expect(JSON.parse(verify.stdout.trim())).toMatchObject({ valid: true });
    expect(JSON.parse(verify.stdout.trim()).checked).toBeGreaterThan(0);
  }, 180_000);

  it('refuses a weak administrator password with a clear message', async () => {
    await expect(
      cli('create-admin', '--email', 'a@b.in', '--password', 'password1234'),
    ).rejects.toMatchObject({
      stderr: expect.stringContaining('too common'),
    });
  }, 120_000);
});
