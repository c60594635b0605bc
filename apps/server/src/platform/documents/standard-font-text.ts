// The 14 standard PDF fonts (Helvetica, Times, Courier) are not embedded: pdfkit writes their text in
// WinAnsiEncoding (Windows-1252). A character outside it is written as raw hex and garbles the line, so text is
// folded to WinAnsi before it reaches pdfkit. Latin-script Indian names (Ananya, Saurabh, Nagaraju, Poojā,
// Śrīnivās) come through: ASCII as is, accented Latin-1 letters kept, other Latin letters lose their marks.
// Scripts with no Latin form (Devanagari, Tamil, ...) need an embedded Unicode font (see README.md).

// The code points of Windows-1252 in 0x80-0x9F that differ from Latin-1 (pdfkit maps them itself).
const winAnsiPunctuation = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

const replacements: Readonly<Record<string, string>> = {
  '₹': 'Rs.',
  '\t': ' ',
  '‐': '-',
  '‑': '-',
  '−': '-',
  '\u2009': ' ',
  '\u202f': ' ',
  ı: 'i',
  ł: 'l',
  Ł: 'L',
  đ: 'd',
  Đ: 'D',
};

function isWinAnsi(char: string): boolean {
  const code = char.codePointAt(0)!;
  return (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || winAnsiPunctuation.has(char);
}

/**
 * Text that a standard (non-embedded) PDF font can show: WinAnsi characters unchanged, other Latin letters
 * without their diacritics (ā -> a, ṣ -> s), ₹ as "Rs.", line breaks kept, control characters dropped and
 * anything else (Devanagari and other scripts) as "?".
 */
export function toStandardFontText(text: string): string {
  let out = '';
  for (const char of text.normalize('NFC')) {
    if (isWinAnsi(char) || char === '\n') {
      out += char;
      continue;
    }
    const replacement = replacements[char];
    if (replacement !== undefined) {
      out += replacement;
      continue;
    }
    if (/\p{M}|\p{Cc}|\p{Cf}/u.test(char)) continue;
    const base = char.normalize('NFD').replace(/\p{M}/gu, '');
    out += base.length > 0 && [...base].every(isWinAnsi) ? base : '?';
  }
  return out;
}
