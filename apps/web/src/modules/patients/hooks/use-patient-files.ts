import { useMutation, useQuery } from '@tanstack/react-query';
import { api } from '../../../app/api-client';
import { patientsKey } from './use-patients';

function dataUrlOf(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('The photo could not be read.'));
    reader.readAsDataURL(blob);
  });
}

/**
 * The patient's photo as a data URL (null when there is none). The image needs the bearer token, so it is
 * fetched through the API client rather than by an `<img src>`, and the server's CSP allows `data:` images
 * (not `blob:`); `version` refetches it after an upload.
 */
export function usePatientPhoto(patientId: string, hasPhoto: boolean, version: number): string | null {
  const photo = useQuery({
    queryKey: [...patientsKey, 'photo', patientId, version],
    queryFn: async ({ signal }) =>
      dataUrlOf(await api.blob(`/patients/${patientId}/photo`, 'image/*', signal)),
    enabled: hasPhoto,
    staleTime: Number.POSITIVE_INFINITY,
  });
  return hasPhoto ? (photo.data ?? null) : null;
}

export type PatientDocument = 'card' | 'wristband';

/**
 * Opens the registration card or wristband PDF in a new tab for printing. The tab is opened at the click (a
 * popup blocker allows that) and pointed at the PDF once it has arrived; without a tab it downloads.
 */
export function usePrintPatientDocument(patientId: string) {
  return useMutation({
    mutationFn: async (kind: PatientDocument) => {
      const tab = window.open('', '_blank');
      try {
        const pdf = await api.blob(`/patients/${patientId}/${kind}.pdf`, 'application/pdf');
        const url = URL.createObjectURL(pdf);
        if (tab) tab.location.href = url;
        else {
          const link = document.createElement('a');
          link.href = url;
          link.download = `${kind}.pdf`;
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
