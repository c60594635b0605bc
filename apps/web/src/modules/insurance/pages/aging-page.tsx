import Link from '@mui/material/Link';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { Link as RouterLink, useSearchParams } from 'react-router';
import { calendarDateIn, useFacilityTimeZone } from '../../../ui/facility-time';
import { formatRupees } from '../../../ui/money';
import { PageHeader } from '../../../ui/page-header';
import { ProblemAlert } from '../../../ui/problem-alert';
import { AgingTable } from '../components/aging-table';
import { Section } from '../components/section';
import { usePatientDues, usePayerAging } from '../hooks/use-insurance';
import { payerKindLabels } from '../insurance-labels';

/** Receivables by age at /insurance/aging (billing:reports): what payers owe on open claims, and patients' dues. */
export function AgingPage() {
  const zone = useFacilityTimeZone();
  const [params, setParams] = useSearchParams();
  const asOf = params.get('asOf') ?? undefined;
  const payers = usePayerAging(asOf);
  const patients = usePatientDues(asOf);
  const shown = payers.data?.asOf ?? asOf ?? calendarDateIn(zone);
  return (
    <>
      <PageHeader
        title="Aging"
        subtitle={`Receivables by age as of ${shown}: payers by days since the claim was submitted, patients by days since the bill`}
        actions={
          <TextField
            label="As of"
            type="date"
            value={asOf ?? ''}
            onChange={(e) => {
              const next = new URLSearchParams(params);
              if (e.target.value) next.set('asOf', e.target.value);
              else next.delete('asOf');
              setParams(next, { replace: true });
            }}
            helperText="Today when blank"
            slotProps={{ inputLabel: { shrink: true } }}
          />
        }
      />
      <Section
        title="Payers"
        actions={
          payers.data && (
            <Typography data-testid="payer-aging-total" sx={{ fontWeight: 600 }}>
              Payers owe {formatRupees(payers.data.totals.total)}
            </Typography>
          )
        }
      >
        <ProblemAlert error={payers.error} sx={{ mb: 2 }} />
        <AgingTable
          label="Receivables by payer"
          nameHeader="Payer"
          countHeader="Open claims"
          rows={(payers.data?.payers ?? []).map((p) => ({
            key: p.payerId,
            name: (
              <>
                <Link component={RouterLink} to={`/insurance/claims?payerId=${p.payerId}`}>
                  {p.payerName}
                </Link>
                <Typography variant="body2" color="text.secondary">
                  {p.payerCode} · {payerKindLabels[p.payerKind]}
                </Typography>
              </>
            ),
            count: p.openClaims,
            amounts: p.amounts,
          }))}
          totals={payers.data?.totals}
          emptyText={payers.isLoading ? 'Loading…' : 'No payer owes anything'}
        />
      </Section>
      <Section
        title="Patient dues"
        actions={
          patients.data && (
            <Typography data-testid="patient-dues-total" sx={{ fontWeight: 600 }}>
              Patients owe {formatRupees(patients.data.totals.total)}
            </Typography>
          )
        }
      >
        <ProblemAlert error={patients.error} sx={{ mb: 2 }} />
        <AgingTable
          label="Patient dues"
          nameHeader="Patient"
          countHeader="Open bills"
          rows={(patients.data?.patients ?? []).map((p) => ({
            key: p.patientId,
            name: (
              <>
                {p.patient?.displayName ?? 'Unknown patient'}
                <Typography variant="body2" color="text.secondary">
                  MRN {p.patient?.mrn ?? '—'}
                </Typography>
              </>
            ),
            count: p.openInvoices,
            amounts: p.amounts,
          }))}
          totals={patients.data?.totals}
          emptyText={patients.isLoading ? 'Loading…' : 'No patient owes anything on a final bill'}
        />
      </Section>
    </>
  );
}
