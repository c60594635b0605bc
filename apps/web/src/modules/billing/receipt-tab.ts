import { api } from '../../app/api-client';

/**
 * A tab opened at the click that takes a payment (a popup blocker allows that, not a tab opened after the
 * server answered), pointed at the receipt PDF once the payment is recorded; closed if it fails.
 */
export function openPendingTab(): Window | null {
  return window.open('', '_blank');
}

/** Shows the PDF at `path` in the tab opened earlier (or downloads it when no tab could be opened). */
export async function showPdfInTab(tab: Window | null, path: string, filename: string): Promise<void> {
  try {
    const pdf = await api.blob(path, 'application/pdf');
    const url = URL.createObjectURL(pdf);
    if (tab && !tab.closed) tab.location.href = url;
    else {
      const link = document.createElement('a');
      link.href = url;
      link.download = filename;
      link.click();
    }
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  } catch (err) {
    tab?.close();
    throw err;
  }
}
