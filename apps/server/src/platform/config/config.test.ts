import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, redactConfig } from './config';

describe('loadConfig', () => {
  it('applies defaults and freezes the result', () => {
    const c = loadConfig({});
    expect(c.PORT).toBe(3000);
    expect(c.HOST).toBe('127.0.0.1');
    expect(c.NEWHMS_MFA_REQUIRED_ROLES).toEqual(['admin']);
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('fails the start on an unknown NEWHMS_ variable and on invalid values, naming each', () => {
    try {
      loadConfig({ NEWHMS_DATA_DRI: './x', PORT: '99999', DATABASE_URL: 'mysql://x' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const msg = (e as Error).message;
      expect(msg).toContain('NEWHMS_DATA_DRI: unknown variable');
      expect(msg).toContain('PORT');
      expect(msg).toContain('DATABASE_URL');
    }
  });

  it('treats an empty MFA role list as "no MFA required", not as unset', () => {
    expect(loadConfig({ NEWHMS_MFA_REQUIRED_ROLES: '' }).NEWHMS_MFA_REQUIRED_ROLES).toEqual([]);
    expect(loadConfig({ NEWHMS_MFA_REQUIRED_ROLES: 'admin, doctor' }).NEWHMS_MFA_REQUIRED_ROLES).toEqual([
      'admin',
      'doctor',
    ]);
  });

  it('never shows secrets when redacted', () => {
    const c = loadConfig({
      DATABASE_URL: 'postgres://u:hunter2@db/x',
      NEWHMS_ADMIN_PASSWORD: 'Very-Secret-Pass-1',
    });
    const shown = JSON.stringify(redactConfig(c));
    expect(shown).not.toContain('hunter2');
    expect(shown).not.toContain('Very-Secret');
  });
});
