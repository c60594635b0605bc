import Typography from '@mui/material/Typography';

/**
 * The patient's name and MRN (and the stay's admission number) in a worklist row: the pre-authorization and
 * claim lists carry them, read in one batch by the server, so a row costs no request of its own.
 */
export function PatientName({
  name,
  mrn,
  admissionNumber,
}: {
  name: string;
  mrn: string;
  admissionNumber?: string | null;
}) {
  return (
    <>
      <Typography component="span" sx={{ fontWeight: 600 }}>
        {name || 'Unknown patient'}
      </Typography>
      <Typography variant="body2" color="text.secondary">
        {[mrn && `MRN ${mrn}`, admissionNumber && `Adm. ${admissionNumber}`].filter(Boolean).join(' · ')}
      </Typography>
    </>
  );
}
