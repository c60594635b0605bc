import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { displayNameOf, normalizeName, phoneticKey, phoneticKeys } from './names';

describe('normalizeName', () => {
  it('lower-cases, drops accents, digits and punctuation, and collapses spaces', () => {
    expect(normalizeName('  D’Souza,  Anne-Marie  ')).toBe('d souza anne marie');
    expect(normalizeName('José Ángel')).toBe('jose angel');
    expect(normalizeName('K. Ramesh 2')).toBe('k ramesh');
  });

  it('is idempotent and yields only letters and single spaces', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const n = normalizeName(s);
        expect(normalizeName(n)).toBe(n);
        expect(n).toMatch(/^([a-z]+( [a-z]+)*)?$/);
      }),
    );
  });
});

describe('phoneticKey', () => {
  it.each([
    ['Mohammad', 'Mohammed', 'Muhammad'],
    ['Lakshmi', 'Laxmi'],
    ['Srinivas', 'Sreenivas'],
    ['Chaudhary', 'Choudhury'],
    ['Venkatesh', 'Wenkatesh'],
    ['Zubair', 'Jubair'],
    ['Shaikh', 'Sheikh'],
    ['Reddy', 'Reddi'],
    ['Ekta', 'Aekta'],
    ['Priya', 'Pria'],
  ])('gives %s and its variants one key', (...spellings) => {
    const keys = new Set(spellings.map(phoneticKey));
    expect(keys.size).toBe(1);
  });

  it.each([
    ['Ravi', 'Rahul'],
    ['Ajay', 'Vijay'],
    ['Deepak', 'Dinesh'],
    ['Sunil', 'Anil'],
  ])('keeps %s and %s apart', (a, b) => {
    expect(phoneticKey(a)).not.toBe(phoneticKey(b));
  });

  it('does not depend on case or accents', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z]{1,12}$/), (w) => {
        expect(phoneticKey(w.toUpperCase())).toBe(phoneticKey(w.toLowerCase()));
      }),
    );
  });

  it('keys every word once', () => {
    expect(phoneticKeys('Mohammed Irfan Mohammad')).toEqual(['mmd', 'arfn']);
    expect(phoneticKeys('123')).toEqual([]);
  });
});

describe('displayNameOf', () => {
  it('joins the parts that exist', () => {
    expect(displayNameOf({ given: 'Kamala', middle: null, family: null })).toBe('Kamala');
    expect(displayNameOf({ given: ' Ravi ', middle: 'K', family: 'Nair' })).toBe('Ravi K Nair');
  });
});
