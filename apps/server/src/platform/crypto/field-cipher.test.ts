import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FieldCipher } from './field-cipher';

describe('FieldCipher', () => {
  const cipher = new FieldCipher(randomBytes(32));

  it('round-trips any text and never stores it in clear', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), (text) => {
        const sealed = cipher.encrypt(text);
        expect(cipher.decrypt(sealed)).toBe(text);
        if (text.length >= 4) expect(sealed).not.toContain(text);
      }),
    );
  });

  it('gives a different ciphertext each time but the same lookup hash', () => {
    expect(cipher.encrypt('234123412346')).not.toBe(cipher.encrypt('234123412346'));
    expect(cipher.lookupHash('aadhaar', '234123412346')).toBe(cipher.lookupHash('aadhaar', '234123412346'));
    expect(cipher.lookupHash('aadhaar', '234123412346')).not.toBe(
      cipher.lookupHash('passport', '234123412346'),
    );
  });

  it('refuses a tampered value and a value sealed under another key', () => {
    const sealed = cipher.encrypt('A1234567');
    const parts = sealed.split('.');
    const ct = Buffer.from(parts[2]!, 'base64url');
    ct[0] = ct[0]! ^ 1;
    parts[2] = ct.toString('base64url');
    expect(() => cipher.decrypt(parts.join('.'))).toThrow();
    expect(() => new FieldCipher(randomBytes(32)).decrypt(sealed)).toThrow();
    const other = new FieldCipher(randomBytes(32));
    expect(other.lookupHash('aadhaar', '1')).not.toBe(cipher.lookupHash('aadhaar', '1'));
  });

  it('accepts only a 32-byte key', () => {
    expect(() => new FieldCipher(randomBytes(16))).toThrow('32 bytes');
  });
});
