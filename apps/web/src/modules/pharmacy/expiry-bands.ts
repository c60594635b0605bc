import type { ExpiringBatch } from '@newhms/contracts';

// Expiry alert bands, the server's rule (apps/server/src/modules/pharmacy/stock.service.ts, expiryBand): a batch
// expiring today is already expired for sale.

export type ExpiryBand = ExpiringBatch['band'];
export const expiryBands = ['expired', '30', '60', '90', 'later'] as const satisfies readonly ExpiryBand[];

export const expiryBandLabels: Record<ExpiryBand, string> = {
  expired: 'Expired',
  '30': 'Within 30 days',
  '60': 'Within 60 days',
  '90': 'Within 90 days',
  later: 'Later',
};

/** The band of a batch by the days left to its expiry (0 or fewer: expired). */
export function expiryBandOf(daysToExpiry: number): ExpiryBand {
  if (daysToExpiry <= 0) return 'expired';
  if (daysToExpiry <= 30) return '30';
  if (daysToExpiry <= 60) return '60';
  if (daysToExpiry <= 90) return '90';
  return 'later';
}

/**
 * The chip colour of a band: red when expired, amber within 30 days, blue (the theme's primary: MUI's light
 * "info" blue is below 4.5:1 on white) within 90, green beyond.
 */
export function expiryBandColor(band: ExpiryBand): 'error' | 'warning' | 'primary' | 'success' {
  if (band === 'expired') return 'error';
  if (band === '30') return 'warning';
  if (band === 'later') return 'success';
  return 'primary';
}

/** "12 days left", "1 day left", "Expires today", "Expired 3 days ago": words, not colour only. */
export function daysLeftLabel(daysToExpiry: number): string {
  if (daysToExpiry === 0) return 'Expires today';
  if (daysToExpiry < 0) {
    const ago = -daysToExpiry;
    return `Expired ${ago} day${ago === 1 ? '' : 's'} ago`;
  }
  return `${daysToExpiry} day${daysToExpiry === 1 ? '' : 's'} left`;
}
