/**
 * Name normalization and phonetic keys for the patient index.
 *
 * Indian names reach the desk spelt many ways in Latin script: Mohammad / Mohammed / Muhammad,
 * Lakshmi / Laxmi, Srinivas / Sreenivas, Chaudhary / Choudhury. Soundex and Metaphone are tuned for
 * English; this key folds the transliteration variants that matter here (aspirated consonants, long
 * vowels written twice, w/v, z/j, x/ksh, q/k) and then keeps the consonant skeleton, so those spellings
 * share a key (Mohammad, Mohammed and Muhammad all give "mmd") while different names (Ravi / Rahul) do not.
 */

/** Lower case, accents removed, only letters and single spaces. */
export function normalizeName(raw: string): string {
  return raw
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z\s]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The phonetic key of one word; '' for a word without letters. */
export function phoneticKey(word: string): string {
  const w = normalizeName(word)
    .replace(/\s/g, '')
    .replace(/ksh/g, 'x')
    .replace(/ph/g, 'f')
    .replace(/sh/g, 's')
    .replace(/([bcdgjkpt])h/g, '$1')
    .replace(/q/g, 'k')
    .replace(/ck/g, 'k')
    .replace(/w/g, 'v')
    .replace(/z/g, 'j')
    .replace(/y/g, 'i');
  if (!w) return '';
  // The first letter stays (a leading vowel folds to 'a': Ekta / Aekta); after it, the consonant
  // skeleton without repeats.
  const first = /^[aeiou]/.test(w) ? 'a' : w[0]!;
  return (
    first +
    w
      .slice(1)
      .replace(/[aeiouh]/g, '')
      .replace(/(.)\1+/g, '$1')
  );
}

/** Phonetic keys of every word of a name, without repeats. */
export function phoneticKeys(fullName: string): string[] {
  return [...new Set(normalizeName(fullName).split(' ').map(phoneticKey).filter(Boolean))];
}

/** How a person is called on screens: "Given Middle Family", falling back to whichever part exists. */
export function displayNameOf(name: {
  given?: string | null;
  middle?: string | null;
  family?: string | null;
}) {
  return [name.given, name.middle, name.family]
    .map((p) => p?.trim())
    .filter(Boolean)
    .join(' ');
}
