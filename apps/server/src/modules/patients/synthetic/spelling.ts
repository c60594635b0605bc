import { spellingVariants } from './communities';
import type { Random } from './random';

const groupOf = new Map<string, readonly string[]>();
for (const group of spellingVariants) for (const v of group) groupOf.set(v.toLowerCase(), group);

/** The other spellings of a name ("Laxmi" for "Lakshmi"), or none. */
export function otherSpellings(word: string): string[] {
  const group = groupOf.get(word.toLowerCase());
  return group ? group.filter((v) => v.toLowerCase() !== word.toLowerCase()) : [];
}

/** Now and then, one of the other spellings instead of the name given. */
export function sometimesRespelt(word: string, random: Random, probability: number): string {
  if (!random.chance(probability)) return word;
  const others = otherSpellings(word);
  return others.length > 0 ? random.pick(others) : word;
}

// Slips seen at a registration desk: sounds written the other way (ee/i, oo/u, v/w, th/t, sh/s, ph/f),
// a letter dropped or doubled, two letters swapped.
const soundSwaps: readonly (readonly [RegExp, string])[] = [
  [/ee/, 'i'],
  [/i(?!i)/, 'ee'],
  [/oo/, 'u'],
  [/u(?!u)/, 'oo'],
  [/v/, 'w'],
  [/w/, 'v'],
  [/th/, 't'],
  [/(?<!s)h?t(?!h)/, 'th'],
  [/sh/, 's'],
  [/ph/, 'f'],
  [/ks/, 'x'],
  [/a(?=[^aeiou]*$)/, 'aa'],
  [/y/, 'i'],
];

/** One typing or hearing slip in a word, keeping the first letter (clerks rarely miss it). */
export function withTypo(word: string, random: Random): string {
  const w = word.toLowerCase();
  if (w.length < 4) return w;
  for (let attempt = 0; attempt < 4; attempt++) {
    const kind = random.int(0, 3);
    let out = w;
    if (kind === 0) {
      const [pattern, replacement] = random.pick(soundSwaps);
      out = w[0] + w.slice(1).replace(pattern, replacement);
    } else if (kind === 1) {
      const at = random.int(1, w.length - 1);
      out = w.slice(0, at) + w.slice(at + 1);
    } else if (kind === 2) {
      const at = random.int(1, w.length - 1);
      out = w.slice(0, at) + w[at] + w.slice(at);
    } else {
      const at = random.int(1, w.length - 2);
      out = w.slice(0, at) + w[at + 1] + w[at] + w.slice(at + 2);
    }
    if (out !== w) return out;
  }
  return `${w}a`;
}
