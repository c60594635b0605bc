import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Stack from '@mui/material/Stack';
import { Link as RouterLink, useSearchParams } from 'react-router';
import { PageHeader } from '../../../ui/page-header';
import { PatientPicker } from '../../opd';
import { PatientPoliciesPanel } from '../components/patient-policies-panel';

/** A patient's policies at /insurance/policies?patientId=: choose the patient, then record and attach. */
export function PoliciesPage() {
  const [params, setParams] = useSearchParams();
  const patientId = params.get('patientId');
  const choose = (id: string | null) => {
    const next = new URLSearchParams(params);
    if (id) next.set('patientId', id);
    else next.delete('patientId');
    setParams(next, { replace: true });
  };
  return (
    <>
      <PageHeader
        title="Patient policies"
        subtitle="Record a patient's insurance, corporate or scheme eligibility, and bill open accounts to it"
        actions={
          patientId && (
            <Button component={RouterLink} to={`/insurance/preauths?patientId=${patientId}`}>
              Pre-authorizations of this patient
            </Button>
          )
        }
      />
      <Stack spacing={3}>
        <Box sx={{ maxWidth: 640 }}>
          <PatientPicker value={patientId} onChange={choose} />
        </Box>
        {patientId && <PatientPoliciesPanel patientId={patientId} />}
      </Stack>
    </>
  );
}
