import { describe, expect, it } from 'vitest';
import { phoneticKey } from './names';
import { nearKeys } from './search';

describe('nearKeys (one consonant slip in a word)', () => {
  it.each([
    ['vamra', 'varma'], // two consonants swapped
    ['sharm', 'sharma'], // a vowel dropped: the same key
    ['ramsh', 'ramesh'],
    ['prakah', 'prakash'], // a consonant dropped
    ['suresj', 'suresh'], // a consonant changed
    ['kumbar', 'kumar'], // a consonant added
  ])('finds the key of "%s" next to that of "%s" (or the same key)', (typed, registered) => {
    const typedKey = phoneticKey(typed);
    const key = phoneticKey(registered);
    expect(typedKey === key || nearKeys(typedKey).includes(key)).toBe(true);
  });

  it('keeps the first letter, leaves out the key itself and keys shorter than three letters', () => {
    const near = nearKeys('vmr');
    expect(near.length).toBeGreaterThan(20);
    expect(near.every((k) => k.startsWith('v') && k.length >= 3)).toBe(true);
    expect(near).not.toContain('vmr');
    expect(near).toContain('vrm');
    expect(nearKeys('vm').every((k) => k.length >= 3)).toBe(true);
  });

  it('does not make a neighbour of an unrelated name', () => {
    expect(nearKeys(phoneticKey('varma'))).not.toContain(phoneticKey('verghese'));
    expect(nearKeys(phoneticKey('ravi'))).not.toContain(phoneticKey('rahul'));
  });
});
