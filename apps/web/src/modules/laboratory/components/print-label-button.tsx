import Print from '@mui/icons-material/Print';
import Button from '@mui/material/Button';
import { useOpenPdf } from '../../../ui/open-pdf';
import { ProblemAlert } from '../../../ui/problem-alert';

/** Prints the tube label (the server's PDF: Code 128 of the accession, name, MRN, tests, tube). */
export function PrintLabelButton({ sampleId, accession }: { sampleId: string; accession: string }) {
  const pdf = useOpenPdf();
  return (
    <>
      <Button
        size="small"
        variant="outlined"
        startIcon={<Print />}
        disabled={pdf.isPending}
        aria-label={`Print label ${accession}`}
        onClick={() =>
          pdf.mutate({ path: `/laboratory/samples/${sampleId}/label`, filename: `${accession}.pdf` })
        }
      >
        {pdf.isPending ? 'Preparing…' : 'Label'}
      </Button>
      <ProblemAlert error={pdf.error} sx={{ mt: 1 }} />
    </>
  );
}

/** Opens a request's report (PDF, A4; PRELIMINARY until every result is validated). */
export function ReportButton({ requestId, code, label }: { requestId: string; code: string; label: string }) {
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
            path: `/laboratory/requests/${requestId}/report.pdf`,
            filename: `lab-report-${code}.pdf`,
          })
        }
      >
        {pdf.isPending ? 'Preparing…' : 'Report'}
      </Button>
      <ProblemAlert error={pdf.error} sx={{ mt: 1 }} />
    </>
  );
}
