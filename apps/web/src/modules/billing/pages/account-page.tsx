import Button from '@mui/material/Button';
import LinearProgress from '@mui/material/LinearProgress';
import Stack from '@mui/material/Stack';
import { Link as RouterLink, useParams } from 'react-router';
import { calendarDateIn, useFacilityTimeZone } from '../../../ui/facility-time';
import { PageHeader } from '../../../ui/page-header';
import { ProblemAlert } from '../../../ui/problem-alert';
import { PatientBanner, usePatient } from '../../patients';
import { AccountHeader } from '../components/account-header';
import { BillSection } from '../components/bill-section';
import { ChargesSection } from '../components/charges-section';
import { DiscountsSection } from '../components/discounts-section';
import { InvoicesSection } from '../components/invoices-section';
import { PaymentsSection } from '../components/payments-section';
import { useAccount } from '../hooks/use-billing';

/** One account at /billing/accounts/:accountId: charges, discounts, the bill, invoices, deposits and payments. */
export function AccountPage() {
  const { accountId } = useParams();
  const account = useAccount(accountId);
  const patient = usePatient(account.data?.patientId);
  const zone = useFacilityTimeZone();
  const today = calendarDateIn(zone);
  if (account.isLoading) return <LinearProgress aria-label="Loading the account" />;
  if (!account.data) {
    return (
      <>
        <PageHeader title="Billing account" />
        <ProblemAlert error={account.error} />
      </>
    );
  }
  const a = account.data;
  const name = patient.data?.displayName;
  return (
    <>
      <PageHeader
        title={`Billing account${name ? `: ${name}` : ''}`}
        subtitle={a.kind === 'ipd' ? `In-patient stay ${a.admissionNumber ?? ''}` : 'Out-patient visit'}
        actions={
          <Button component={RouterLink} to={`/billing?patientId=${a.patientId}`}>
            All accounts of the patient
          </Button>
        }
      />
      <Stack spacing={2}>
        {patient.data && <PatientBanner patient={patient.data} />}
        <AccountHeader account={a} />
        <ChargesSection account={a} today={today} />
        <DiscountsSection account={a} />
        <BillSection account={a} />
        <InvoicesSection accountId={a.id} />
        <PaymentsSection account={a} />
      </Stack>
    </>
  );
}
