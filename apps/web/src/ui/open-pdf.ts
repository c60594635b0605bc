import { useMutation } from '@tanstack/react-query';
import { api } from '../app/api-client';

/**
 * Opens a PDF the API serves in a new tab for printing. The tab is opened at the click (a popup blocker
 * allows that) and pointed at the PDF once it has arrived; without a tab the PDF downloads. `accept` opens
 * another kind of file the same way (an uploaded scan: `image/*`).
 */
export function useOpenPdf() {
  return useMutation({
    mutationFn: async ({
      path,
      filename,
      accept = 'application/pdf',
    }: {
      path: string;
      filename: string;
      accept?: string;
    }) => {
      const tab = window.open('', '_blank');
      try {
        const pdf = await api.blob(path, accept);
        const url = URL.createObjectURL(pdf);
        if (tab) tab.location.href = url;
        else {
          const link = document.createElement('a');
          link.href = url;
          link.download = filename;
          link.click();
        }
        // The tab has loaded the PDF by then; the URL is no longer needed.
        setTimeout(() => URL.revokeObjectURL(url), 60_000);
      } catch (err) {
        tab?.close();
        throw err;
      }
    },
  });
}
