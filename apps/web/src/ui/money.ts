// Money on screen: the API speaks integer paise and basis points; people read and type rupees and
// percentages. Conversions go through strings so that no float ever touches an amount.

const rupeeGrouping = new Intl.NumberFormat('en-IN', { maximumFractionDigits: 0 });

/** Paise as rupees with the Indian grouping: 12345678 -> "₹1,23,456.78"; negatives as "-₹5.00". */
export function formatRupees(paise: number | null | undefined): string {
  if (paise === null || paise === undefined || !Number.isFinite(paise)) return '—';
  const negative = paise < 0;
  const abs = Math.abs(Math.trunc(paise));
  const rupees = Math.floor(abs / 100);
  const fraction = String(abs % 100).padStart(2, '0');
  return `${negative ? '-' : ''}₹${rupeeGrouping.format(rupees)}.${fraction}`;
}

/** The most a form takes: a hundred crore rupees (the contracts' limit). */
export const MAX_PAISE = 1_000_000_000_00;

/**
 * Rupees as typed ("1,23,456.5", "₹ 500", "80000") to paise exactly, or null when it is not an amount of
 * rupees with at most two decimals. Blank is null too: callers say whether blank is allowed.
 */
export function parseRupees(input: string): number | null {
  const cleaned = input.replace(/[₹,\s]/g, '').replace(/^Rs\.?/i, '');
  const match = /^(\d+)(?:\.(\d{0,2}))?$/.exec(cleaned);
  if (!match) return null;
  const whole = (match[1] ?? '').replace(/^0+(?=\d)/, '');
  if (whole.length > 10) return null;
  const paise = Number(whole) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  return paise <= MAX_PAISE ? paise : null;
}

/** Paise as the rupees a field shows for editing: 150000 -> "1500", 150050 -> "1500.50". */
export function rupeesInput(paise: number | null | undefined): string {
  if (paise === null || paise === undefined) return '';
  const rupees = Math.floor(paise / 100);
  const fraction = paise % 100;
  return fraction === 0 ? String(rupees) : `${rupees}.${String(fraction).padStart(2, '0')}`;
}

/** Basis points as a percentage: 1000 -> "10%", 1250 -> "12.5%". */
export function formatPercent(bp: number | null | undefined): string {
  if (bp === null || bp === undefined) return '—';
  const whole = Math.floor(bp / 100);
  const fraction = String(bp % 100)
    .padStart(2, '0')
    .replace(/0+$/, '');
  return `${whole}${fraction ? `.${fraction}` : ''}%`;
}

/** A percentage as typed ("10", "12.5", "12.50 %") to basis points, or null (blank, over 100, bad). */
export function parsePercent(input: string): number | null {
  const match = /^(\d{1,3})(?:\.(\d{0,2}))?$/.exec(input.replace(/[%\s]/g, ''));
  if (!match) return null;
  const bp = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  return bp <= 10_000 ? bp : null;
}

/** Basis points as a percentage a field shows for editing: 1250 -> "12.5". */
export function percentInput(bp: number | null | undefined): string {
  if (bp === null || bp === undefined) return '';
  return formatPercent(bp).replace('%', '');
}
