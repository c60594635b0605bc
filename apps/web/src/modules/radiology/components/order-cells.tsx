import Link from '@mui/material/Link';
import Typography from '@mui/material/Typography';
import type { RadOrder } from '@newhms/contracts';
import { Link as RouterLink } from 'react-router';
import { modalityLabels, procedureWithSide } from '../radiology-labels';

/** The patient of an order: name (to the record), MRN, age and sex. */
export function PatientCell({
  order,
}: {
  order: Pick<RadOrder, 'patientId' | 'patientName' | 'mrn' | 'age' | 'sex'>;
}) {
  return (
    <>
      <Link component={RouterLink} to={`/patients/${order.patientId}?tab=imaging`} sx={{ fontWeight: 600 }}>
        {order.patientName}
      </Link>
      <Typography variant="body2" color="text.secondary">
        {`MRN ${order.mrn}${order.age ? ` · ${order.age}` : ''} · ${order.sex}`}
      </Typography>
    </>
  );
}

/** The study of an order: procedure with side, modality and accession, the indication. */
export function StudyCell({ order }: { order: RadOrder }) {
  return (
    <>
      <Typography component="span" sx={{ fontWeight: 600 }}>
        {procedureWithSide(order)}
      </Typography>
      <Typography variant="body2" color="text.secondary">
        {`${modalityLabels[order.modality]} · ${order.accession}`}
      </Typography>
      {order.clinicalIndication && (
        <Typography variant="body2" color="text.secondary">
          {order.clinicalIndication}
        </Typography>
      )}
    </>
  );
}
