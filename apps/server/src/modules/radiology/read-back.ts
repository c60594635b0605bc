// Pure: is what the doctor repeated on the telephone a read-back of a finding, or a mere "ok, noted"? The
// Joint Commission (NPSG.02.03.01) asks that a critical result be read back by the person who receives it;
// a radiology finding has no single number to repeat, so the read-back must name it in a few words of its own.

const FILLER = new Set([
  'ok',
  'okay',
  'k',
  'noted',
  'note',
  'seen',
  'yes',
  'yeah',
  'yep',
  'received',
  'acknowledged',
  'acknowledge',
  'ack',
  'fine',
  'got',
  'it',
  'thanks',
  'thank',
  'you',
  'will',
  'do',
  'done',
  'see',
  'sure',
  'read',
  'understood',
  'alright',
  'roger',
  'the',
  'a',
  'an',
  'and',
  'i',
  'have',
  'has',
  'is',
  'this',
  'that',
]);

/** The words of a read-back that say something (not "ok", "noted", "thanks"...), lower-cased, each once. */
export function meaningfulWords(readBack: string): string[] {
  const words = readBack.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return [...new Set(words.filter((w) => !FILLER.has(w) && /\p{L}/u.test(w) && w.length >= 2))];
}

/** At least this many distinct meaningful words make a read-back. */
export const READ_BACK_MIN_WORDS = 3;

/** True when the read-back repeats the finding in at least three words of substance. */
export function isMeaningfulReadBack(readBack: string): boolean {
  return meaningfulWords(readBack).length >= READ_BACK_MIN_WORDS;
}
