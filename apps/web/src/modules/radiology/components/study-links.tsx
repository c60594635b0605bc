import OpenInNew from '@mui/icons-material/OpenInNew';
import Print from '@mui/icons-material/Print';
import Button from '@mui/material/Button';
import { useOpenPdf } from '../../../ui/open-pdf';
import { ProblemAlert } from '../../../ui/problem-alert';

/** Opens the study's report (PDF, A4; PRELIMINARY while a draft) in a new tab. */
export function ReportPdfButton({
  orderId,
  accession,
  label,
}: {
  orderId: string;
  accession: string;
  label: string;
}) {
  const pdf = useOpenPdf();
  return (
    <>
      <Button
        size="small"
        startIcon={<Print />}
        disabled={pdf.isPending}
        aria-label={label}
        onClick={() =>
          pdf.mutate({
            path: `/radiology/orders/${orderId}/report.pdf`,
            filename: `radiology-report-${accession}.pdf`,
          })
        }
      >
        {pdf.isPending ? 'Preparing…' : 'Report PDF'}
      </Button>
      <ProblemAlert error={pdf.error} sx={{ mt: 1 }} />
    </>
  );
}

/** The PACS viewer of the study, in a new tab; nothing when no viewer is configured (viewerUrl null). */
export function ViewerLink({ url, label }: { url: string | null; label: string }) {
  if (!url) return null;
  return (
    <Button
      size="small"
      component="a"
      href={url}
      target="_blank"
      rel="noopener noreferrer"
      startIcon={<OpenInNew />}
      aria-label={`${label} (opens in a new tab)`}
    >
      Images
    </Button>
  );
}
