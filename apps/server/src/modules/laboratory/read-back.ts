// Pure: does what the doctor repeated on the telephone name the critical value? Joint Commission NPSG.02.03.01
// asks for a "read-back" of critical results: the receiver repeats the value, and the caller confirms it.

const NUMBER = /(?<![\d.])-?\d+(?:\.\d+)?(?![\d.])/g;

/** The numbers written in a read-back ("K 6.90 mmol/L" -> [6.9]); a comma is not a decimal point. */
export function numbersIn(text: string): number[] {
  return [...text.replaceAll(/(\d),(\d{3})(?!\d)/g, '$1$2').matchAll(NUMBER)].map((m) => Number(m[0]));
}

/**
 * True when the read-back contains the value as a number (6.9, 6.90 and 6.900 all name 6.9; 69 and 6.8 do
 * not). Compared as numbers, within a millionth, as the value is stored to six decimals.
 */
export function readBackNamesValue(readBack: string, value: number): boolean {
  return numbersIn(readBack).some((n) => Math.abs(n - value) < 1e-6 || Math.abs(-n - value) < 1e-6);
}
