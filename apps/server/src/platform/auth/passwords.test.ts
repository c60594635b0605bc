import { describe, expect, it } from 'vitest';
import { hashPassword, passwordProblems, verifyPassword } from './passwords';

describe('password policy', () => {
  it('accepts a long passphrase', () => {
    expect(passwordProblems('Monsoon-Ward-Round-7', 'asha@hospital.in')).toEqual([]);
  });
  it('refuses short, common and e-mail-based passwords', () => {
    expect(passwordProblems('Short-1', 'a@b.in')).toContain('must be at least 12 characters');
    expect(passwordProblems('password1234', 'a@b.in')).toContain('is too common');
    expect(passwordProblems('Hospital@123', 'a@b.in')).toContain('is too common');
    expect(passwordProblems('aaaaaaaaaaaaaaa', 'a@b.in')).toContain('is too common');
    expect(passwordProblems('xx-ramesh.kumar-2026', 'ramesh.kumar@hospital.in')).toContain(
      'must not contain your e-mail address',
    );
  });
  it('counts characters, not bytes (a Hindi passphrase)', () => {
    expect(passwordProblems('नमस्ते दुनिया', 'a@b.in')).toEqual([]);
  });
});

describe('argon2id hashing', () => {
  it('verifies the right password only, with argon2id parameters', async () => {
    const hash = await hashPassword('Monsoon-Ward-Round-7');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect(await verifyPassword(hash, 'Monsoon-Ward-Round-7')).toBe(true);
    expect(await verifyPassword(hash, 'Monsoon-Ward-Round-8')).toBe(false);
    expect(await verifyPassword('not-a-hash', 'x')).toBe(false);
  });
});
