import { readFileSync } from 'node:fs';
import argon2 from 'argon2';

// OWASP Password Storage Cheat Sheet: argon2id with m=19 MiB, t=2, p=1 is the recommended minimum.
const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, ARGON2_OPTIONS);
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

// A hash to verify against when the e-mail is unknown, so that timing does not reveal which accounts exist.
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword('not-a-real-password-0000');
  return dummyHash;
}

const common = new Set(
  readFileSync(new URL('./common-passwords.txt', import.meta.url), 'utf8')
    .split('\n')
    .map((l) => l.trim().toLowerCase())
    .filter(Boolean),
);

/** Password policy (OWASP ASVS V2.1): 12+ characters, not the e-mail, not a common password. */
export function passwordProblems(password: string, email: string): string[] {
  const problems: string[] = [];
  const lower = password.toLowerCase();
  const local = email.toLowerCase().split('@')[0] ?? '';
  if ([...password].length < 12) problems.push('must be at least 12 characters');
  if ([...password].length > 128) problems.push('must be at most 128 characters');
  if (lower === email.toLowerCase() || (local.length >= 4 && lower.includes(local))) {
    problems.push('must not contain your e-mail address');
  }
  if (common.has(lower) || /^(.)\1+$/.test(password)) problems.push('is too common');
  return problems;
}
